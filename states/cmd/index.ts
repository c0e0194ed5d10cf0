/**
 * The `cmd` state module: run commands. `cmd.run` always reports the command as a change (its run_all dict,
 * even when it fails) unless `stateful: True` lets the command say what changed; `cmd.wait` does nothing
 * until a `watch` fires; `cmd.script` runs a script from the file server. onlyif/unless/creates are handled
 * by the runner.
 *
 * ```yaml
 * reload-app:
 *   cmd.wait:
 *     - name: systemctl reload app
 *     - watch:
 *       - file: /etc/app.conf
 * migrate:
 *   cmd.run:
 *     - name: ./manage.py migrate
 *     - cwd: /srv/app
 *     - runas: app
 *     - env:
 *       - DJANGO_SETTINGS_MODULE: prod
 *     - unless: ./manage.py migrate --check
 * ```
 */
import type { Dict, StateContext, StateModule, StateResult } from '../../engine/types.js';
import { runAll } from './command.js';
import { runScript } from './script.js';
import { reinterpret } from './stateful.js';

const RUN_PARAMS = [
  'cwd', 'stdin', 'runas', 'shell', 'env', 'prepend_path', 'umask', 'timeout', 'ignore_timeout', 'use_vt',
  'success_retcodes', 'success_stdout', 'success_stderr', 'stateful', 'hide_output', 'output_loglevel', 'root',
];
const SCRIPT_PARAMS = [...RUN_PARAMS, 'source', 'template', 'context', 'defaults', 'args', 'saltenv'];

/** Salt refuses an `env` that is neither a mapping nor a list of mappings. */
function badEnv(args: Dict): string | null {
  const env = args.env;
  if (env === undefined || env === null || typeof env === 'object') return null;
  return "Invalidly-formatted 'env' parameter. See documentation.";
}

async function cwdMissing(ctx: StateContext, args: Dict): Promise<string | null> {
  if (typeof args.cwd !== 'string' || !args.cwd) return null;
  const st = await ctx.host.stat(args.cwd);
  return st && st.type === 'directory' ? null : `Desired working directory "${args.cwd}" is not available`;
}

function finish(ret: StateResult, args: Dict): StateResult {
  const run = ret.changes as { retcode?: number; stdout?: string };
  if (args.ignore_timeout && run.retcode === 1 && String(run.stdout ?? '').includes('Timed out after')) {
    ret.changes = { ...ret.changes, retcode: 0 };
    ret.result = true;
  }
  return args.stateful ? reinterpret(ret) : ret;
}

async function run(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const envErr = badEnv(args);
  if (envErr) return { name, result: false, changes: {}, comment: envErr };
  if (ctx.test) {
    const ret: StateResult = { name, result: null, comment: `Command "${name}" would have been executed`, changes: { cmd: name } };
    return args.stateful ? reinterpret({ ...ret, changes: {} }) : ret;
  }
  const bad = await cwdMissing(ctx, args);
  if (bad) return { name, result: false, changes: {}, comment: bad };
  let all;
  try {
    all = await runAll(ctx, name, { ...args, python_shell: true });
  } catch (e) {
    return { name, result: false, changes: {}, comment: e instanceof Error ? e.message : String(e) };
  }
  return finish({ name, result: all.retcode === 0, changes: { ...all }, comment: `Command "${name}" run` }, args);
}

async function wait(_ctx: StateContext, name: string): Promise<StateResult> {
  return { name, result: true, changes: {}, comment: '' };
}

async function script(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const envErr = badEnv(args);
  if (envErr) return { name, result: false, changes: {}, comment: envErr };
  if (ctx.test) {
    const ret: StateResult = { name, result: null, comment: `Command '${name}' would have been executed`, changes: {} };
    return args.stateful ? reinterpret(ret) : ret;
  }
  const bad = await cwdMissing(ctx, args);
  if (bad) return { name, result: false, changes: {}, comment: bad };
  // `name: salt://x.sh arg1 arg2` — the first word is the script, the rest its arguments (unless `args` is set).
  const [first, ...rest] = name.trim().split(/\s+/);
  const source = typeof args.source === 'string' && args.source ? args.source : first!;
  const withArgs = args.args === undefined || args.args === null || args.args === '' ? { ...args, args: rest.length ? name.trim().slice(first!.length).trim() : undefined } : args;
  try {
    const all = await runScript(ctx, source, withArgs);
    return finish({ name, result: all.retcode === 0, changes: { ...all }, comment: `Command '${name}' run` }, args);
  } catch (e) {
    return { name, result: false, changes: {}, comment: e instanceof Error ? e.message : String(e) };
  }
}

/** watch fired: run the command (cmd.run/cmd.wait) or the script (cmd.script/cmd.wait_script). */
async function modWatch(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const sfun = String(args.sfun ?? '');
  const rest = { ...args };
  delete rest.sfun;
  if (['wait', 'run', 'watch'].includes(sfun)) return run(ctx, name, rest);
  if (['wait_script', 'script'].includes(sfun)) return script(ctx, name, rest);
  return {
    name,
    result: false,
    changes: {},
    comment: `cmd.${sfun} does not work with the watch requisite, please use cmd.wait or cmd.wait_script`,
  };
}

export const cmdStateModule: StateModule = {
  name: 'cmd',
  doc: 'Run commands and scripts (cmd.run, cmd.wait, cmd.script).',
  mod_watch: modWatch,
  functions: {
    run: { fn: run, params: RUN_PARAMS, anyKwargs: true, doc: 'Run a shell command; it always counts as a change.' },
    wait: { fn: wait, params: RUN_PARAMS, anyKwargs: true, doc: 'Run the command only when a watched state changed.' },
    script: { fn: script, params: SCRIPT_PARAMS, anyKwargs: true, doc: 'Run a script from the file server (`source:`).' },
    wait_script: { fn: wait, params: SCRIPT_PARAMS, anyKwargs: true, doc: 'Run the script only when a watched state changed.' },
    mod_watch: { fn: modWatch, params: [...SCRIPT_PARAMS, 'sfun'], anyKwargs: true, doc: 'What a watch on a cmd state does.' },
  },
};
