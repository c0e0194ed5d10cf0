/**
 * The checks around a state call (§9): `onlyif`, `unless`, `creates` before it, `check_cmd` after it.
 * String entries are shell snippets the user wrote, run through the host's shell with the state's cwd, env,
 * runas, umask, timeout and shell; dict entries (`{fun: mod.fn, args: [...], get_return: a:b, **kwargs}`) call
 * execution functions.
 *
 * ```yaml
 * restart-app:
 *   cmd.run:
 *     - name: systemctl restart app
 *     - onlyif: test -e /etc/app.conf
 *     - unless:
 *       - fun: service.status
 *         args: [app]
 * ```
 */
import { HaliteError } from '../errors.js';
import type { RunOptions } from '../host/types.js';
import type { Dict, ExecContext, LowChunk } from '../types.js';
import { pyRepr } from '../output/pyfmt.js';
import { getRetcode } from './retcode.js';

export interface CheckOutcome {
  /** True: skip the state. */
  skip: boolean;
  comments: string[];
}

const CMD_OPTS = ['cwd', 'root', 'runas', 'env', 'prepend_path', 'umask', 'timeout', 'success_retcodes', 'shell'];

/** A state's `env` (mapping, or list of one-key mappings) as strings. */
export function envOf(v: unknown): Record<string, string> | undefined {
  if (!v) return undefined;
  const out: Record<string, string> = {};
  const add = (o: unknown): void => {
    if (o && typeof o === 'object' && !Array.isArray(o)) for (const [k, x] of Object.entries(o)) out[k] = x === null || x === undefined ? '' : String(x);
  };
  if (Array.isArray(v)) v.forEach(add);
  else add(v);
  return out;
}

/** Run one user-written shell snippet on the state's host; returns the exit code (100 when it could not start). */
export async function shellCode(ctx: ExecContext, cmd: string, low: Dict): Promise<number> {
  const exclude = new Set(Array.isArray(low.cmd_opts_exclude) ? (low.cmd_opts_exclude as string[]) : []);
  const opt = (k: string): unknown => (CMD_OPTS.includes(k) && !exclude.has(k) ? low[k] : undefined);
  const ro: RunOptions = { signal: ctx.signal };
  if (typeof opt('cwd') === 'string') ro.cwd = opt('cwd') as string;
  if (typeof opt('runas') === 'string') ro.runas = opt('runas') as string;
  const env = envOf(opt('env'));
  if (env) ro.env = env;
  if (opt('umask') !== undefined) ro.umask = String(opt('umask'));
  if (typeof opt('timeout') === 'number') ro.timeoutMs = (opt('timeout') as number) * 1000;
  const shell = opt('shell');
  let argv = [cmd];
  if (typeof shell === 'string' && shell) argv = [shell, '-c', cmd];
  else ro.shell = true;
  try {
    const r = await ctx.host.run(argv, ro);
    const ok = Array.isArray(opt('success_retcodes')) && (opt('success_retcodes') as unknown[]).map(Number).includes(r.code);
    return ok ? 0 : r.code;
  } catch (e) {
    if (e instanceof HaliteError) return 100;
    throw e;
  }
}

/** Call an execution function for a `{fun: …}` check; returns its value and the return code it reported. */
export async function callCheckFun(ctx: ExecContext, entry: Dict): Promise<{ value: unknown; retcode: number }> {
  const { fun, args, get_return: getReturn, ...kwargs } = entry;
  const name = String(fun);
  const def = ctx.registry.exec.get(name);
  if (!def) throw new HaliteError('invocation', `'${name}' is not available.`);
  const sub = Object.create(ctx) as ExecContext;
  let value = await def.fn(sub, Array.isArray(args) ? args : args === undefined ? [] : [args], kwargs);
  if (typeof getReturn === 'string' && getReturn) value = traverse(value, getReturn);
  return { value, retcode: getRetcode(sub) ?? 0 };
}

function traverse(v: unknown, path: string): unknown {
  let cur = v;
  for (const part of path.split(':')) {
    if (cur && typeof cur === 'object') cur = Array.isArray(cur) ? cur[Number(part)] : (cur as Dict)[part];
    else return undefined;
  }
  return cur;
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** `onlyif`: every entry must succeed; the first failing one skips the state. */
async function onlyif(ctx: ExecContext, low: LowChunk): Promise<{ skip: boolean; comment: string }> {
  let out = { skip: false, comment: '' };
  for (const entry of asList(low.onlyif)) {
    if (typeof entry === 'string' || typeof entry === 'boolean' || typeof entry === 'number') {
      const code = typeof entry === 'string' ? await shellCode(ctx, entry, low) : entry ? 0 : 1;
      if (code !== 0) return { skip: true, comment: 'onlyif condition is false' };
      out = { skip: false, comment: 'onlyif condition is true' };
    } else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
      if (!('fun' in entry)) return { skip: false, comment: `no \`fun\` argument in onlyif: ${pyRepr(entry)}` };
      const { value, retcode } = await callCheckFun(ctx, { ...(entry as Dict) });
      if (retcode ? retcode !== 0 : !value) return { skip: true, comment: 'onlyif condition is false' };
      out = { skip: false, comment: 'onlyif condition is true' };
    } else {
      return { skip: false, comment: 'onlyif execution failed, bad type passed' };
    }
  }
  return out;
}

/** `unless`: the state is skipped only when every entry succeeds. */
async function unless(ctx: ExecContext, low: LowChunk): Promise<{ skip: boolean; comment: string }> {
  let out = { skip: false, comment: '' };
  for (const entry of asList(low.unless)) {
    let ok: boolean;
    if (typeof entry === 'string') ok = (await shellCode(ctx, entry, low)) === 0;
    else if (typeof entry === 'boolean' || typeof entry === 'number') ok = Boolean(entry);
    else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
      if (!('fun' in entry)) return { skip: false, comment: `no \`fun\` argument in unless: ${pyRepr(entry)}` };
      const { value, retcode } = await callCheckFun(ctx, { ...(entry as Dict) });
      ok = retcode ? false : Boolean(value);
    } else {
      return { skip: false, comment: 'unless execution failed, bad type passed' };
    }
    if (!ok) return { skip: false, comment: 'unless condition is false' };
    out = { skip: true, comment: 'unless condition is true' };
  }
  return out;
}

/** `creates`: skip when the path (or every listed path) exists on the host. */
async function creates(ctx: ExecContext, low: LowChunk): Promise<{ skip: boolean; comment: string }> {
  const c = low.creates;
  if (typeof c === 'string') {
    if (await ctx.host.stat(c)) return { skip: true, comment: `${c} exists` };
  } else if (Array.isArray(c)) {
    const all = await Promise.all(c.map((p) => ctx.host.stat(String(p))));
    if (all.every(Boolean)) return { skip: true, comment: 'All files in creates exist' };
  }
  return { skip: false, comment: 'Creates files not found' };
}

/** Run onlyif, unless and creates in that order; comments of all three are kept for the skip comment. */
export async function runChecks(ctx: ExecContext, low: LowChunk): Promise<CheckOutcome | null> {
  if (!('onlyif' in low) && !('unless' in low) && !('creates' in low)) return null;
  const out: CheckOutcome = { skip: false, comments: [] };
  for (const [key, fn] of [['onlyif', onlyif], ['unless', unless], ['creates', creates]] as const) {
    if (!(key in low)) continue;
    const r = await fn(ctx, low);
    out.comments.push(r.comment);
    out.skip = out.skip || r.skip;
  }
  return out;
}

/** `check_cmd`: after the state ran, every command must exit 0; the result and comment are overridden. */
export async function runCheckCmd(ctx: ExecContext, low: LowChunk): Promise<{ result: boolean; comment: string }> {
  for (const entry of asList(low.check_cmd)) {
    const code = await shellCode(ctx, String(entry), low);
    if (code !== 0) return { result: false, comment: 'check_cmd determined the state failed' };
  }
  return { result: true, comment: 'check_cmd determined the state succeeded' };
}
