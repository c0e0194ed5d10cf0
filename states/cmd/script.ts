/**
 * cmd.script: copy a script (salt:// or a path on the host) to a private temporary file on the host, run it
 * with its arguments, remove it.
 *
 * ```yaml
 * bootstrap:
 *   cmd.script:
 *     - source: salt://scripts/bootstrap.sh
 *     - args: --fast
 *     - cwd: /srv/app
 * ```
 */
import { randomBytes } from 'node:crypto';
import type { Dict, ExecContext } from '../../engine/types.js';
import { runAll, runAllSync, type RunAll } from './command.js';

const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

async function scriptText(ctx: ExecContext, source: string, kw: Dict): Promise<string> {
  let text: string | null = null;
  if (source.startsWith('salt://')) {
    const buf = ctx.fileserver.read(source, typeof kw.saltenv === 'string' ? kw.saltenv : ctx.saltenv);
    text = buf ? buf.toString('utf8') : null;
  } else {
    const buf = await ctx.host.readFile(source);
    text = buf ? buf.toString('utf8') : null;
  }
  if (text === null) throw new Error(`Unable to cache script ${source} from saltenv '${String(kw.saltenv ?? ctx.saltenv)}'`);
  if (typeof kw.template === 'string' && kw.template) {
    text = ctx.render(text, { engine: kw.template, saltenv: ctx.saltenv, context: (kw.context as Dict) ?? {}, file: source });
  }
  return text;
}

function scriptTextSync(ctx: ExecContext, source: string, kw: Dict): string {
  const saltenv = typeof kw.saltenv === 'string' ? kw.saltenv : ctx.saltenv;
  const buf = source.startsWith('salt://') ? ctx.fileserver.read(source, saltenv) : ctx.host.readFileSync(source);
  if (!buf) throw new Error(`Unable to cache script ${source} from saltenv '${saltenv}'`);
  const text = buf.toString('utf8');
  if (typeof kw.template === 'string' && kw.template) {
    return ctx.render(text, { engine: kw.template, saltenv: ctx.saltenv, context: (kw.context as Dict) ?? {}, file: source });
  }
  return text;
}

function argLine(path: string, kw: Dict): string {
  const args = Array.isArray(kw.args) ? kw.args.map((a) => shq(String(a))).join(' ') : typeof kw.args === 'string' ? kw.args : '';
  return args ? `${shq(path)} ${args}` : shq(path);
}

const tmpPath = (kw: Dict): string => `${typeof kw.tmpdir === 'string' ? kw.tmpdir : '/tmp'}/halite-script-${randomBytes(6).toString('hex')}`;

/**
 * Synchronous cmd.script for templates: the script is written through the host's shell (stdin → a private
 * file), so it works on any transport.
 */
export function runScriptSync(ctx: ExecContext, source: string, kw: Dict = {}): RunAll {
  const text = scriptTextSync(ctx, source, kw);
  const path = tmpPath(kw);
  const w = ctx.host.runSync(['sh', '-c', 'umask 077 && cat > "$0" && chmod 700 "$0"', path], { stdin: text });
  if (w.code !== 0) throw new Error(`Unable to write script ${path}: ${w.stderr.trim()}`);
  try {
    if (typeof kw.runas === 'string' && kw.runas) ctx.host.runSync(['chown', kw.runas, path]);
    return runAllSync(ctx, argLine(path, kw), { ...kw, python_shell: true });
  } finally {
    ctx.host.runSync(['rm', '-f', path]);
  }
}

/** Run the script `source` with `args` (a string of arguments as the user wrote them, or a list). */
export async function runScript(ctx: ExecContext, source: string, kw: Dict = {}): Promise<RunAll> {
  const text = await scriptText(ctx, source, kw);
  const path = tmpPath(kw);
  const owner = typeof kw.runas === 'string' && kw.runas ? kw.runas : undefined;
  await ctx.host.writeFile(path, text, { mode: 0o700, user: owner });
  try {
    return await runAll(ctx, argLine(path, kw), { ...kw, python_shell: true });
  } finally {
    await ctx.host.remove(path);
  }
}
