/**
 * Running a command for cmd.* (execution and state functions alike): Salt's cmd.run_all result
 * `{pid, retcode, stdout, stderr}` with trailing whitespace stripped, from an argv list or a user-written shell
 * string. Everything goes through ctx.host (async) or ctx.host.runSync (templates).
 */
import { setRetcode } from '../../engine/runner/retcode.js';
import { envOf } from '../../engine/runner/checks.js';
import type { CommandResult, RunOptions } from '../../engine/host/types.js';
import type { Dict, ExecContext } from '../../engine/types.js';

export interface RunAll {
  pid: number;
  retcode: number;
  stdout: string;
  stderr: string;
}

/** Split a command line the way Python's shlex.split does (quotes and backslashes; no globbing). */
export function shlexSplit(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let q: '"' | "'" | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q === "'") {
      if (c === "'") q = null;
      else cur += c;
    } else if (q === '"') {
      if (c === '"') q = null;
      else if (c === '\\' && i + 1 < s.length && '"\\$`\n'.includes(s[i + 1]!)) cur += s[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      q = c;
      has = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
    }
  }
  if (q) throw new Error(`No closing quotation in: ${s}`);
  if (has || cur) out.push(cur);
  return out;
}

/** argv and host options for a cmd.* call. A string runs through the shell unless `python_shell: False`. */
export function commandSpec(cmd: unknown, kw: Dict, signal?: AbortSignal): { argv: string[]; opts: RunOptions } {
  const opts: RunOptions = { signal };
  if (typeof kw.cwd === 'string' && kw.cwd) opts.cwd = kw.cwd;
  if (typeof kw.runas === 'string' && kw.runas) opts.runas = kw.runas;
  const env = envOf(kw.env);
  if (env) opts.env = env;
  if (kw.umask !== undefined && kw.umask !== null) opts.umask = String(kw.umask);
  if (kw.timeout !== undefined && kw.timeout !== null && Number(kw.timeout) > 0) opts.timeoutMs = Number(kw.timeout) * 1000;
  if (kw.stdin !== undefined && kw.stdin !== null) opts.stdin = String(kw.stdin);
  let argv: string[];
  if (Array.isArray(cmd)) {
    argv = cmd.map(String);
  } else {
    const text = String(cmd ?? '');
    if (kw.python_shell === false) argv = shlexSplit(text);
    else if (typeof kw.shell === 'string' && kw.shell) argv = [kw.shell, '-c', text];
    else {
      argv = [text];
      opts.shell = true;
    }
  }
  if (!argv.length || !argv[0]) throw new Error('No command given');
  return { argv, opts };
}

const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** The run_all dict: success_retcodes/success_stdout/success_stderr turn a code into 0; hide_output blanks output. */
function toRunAll(r: CommandResult, kw: Dict): RunAll {
  const strip = kw.rstrip !== false;
  const stdout = strip ? r.stdout.trimEnd() : r.stdout;
  const stderr = strip ? r.stderr.trimEnd() : r.stderr;
  let code = r.code;
  if (listOf(kw.success_retcodes).map(Number).includes(code)) code = 0;
  if (listOf(kw.success_stdout).some((s) => stdout.includes(String(s)))) code = 0;
  if (listOf(kw.success_stderr).some((s) => stderr.includes(String(s)))) code = 0;
  const hide = kw.hide_output === true;
  return { pid: r.pid ?? 0, retcode: code, stdout: hide ? '' : stdout, stderr: hide ? '' : stderr };
}

/** cmd.run_all on the context's host. Sets the call's retcode (onlyif/unless read it). */
export async function runAll(ctx: ExecContext, cmd: unknown, kw: Dict = {}): Promise<RunAll> {
  const { argv, opts } = commandSpec(cmd, kw, ctx.signal);
  const out = toRunAll(await ctx.host.run(argv, opts), kw);
  setRetcode(ctx, out.retcode);
  return out;
}

/** Synchronous cmd.run_all, for templates. */
export function runAllSync(ctx: ExecContext, cmd: unknown, kw: Dict = {}): RunAll {
  const { argv, opts } = commandSpec(cmd, kw);
  const out = toRunAll(ctx.host.runSync(argv, opts), kw);
  setRetcode(ctx, out.retcode);
  return out;
}
