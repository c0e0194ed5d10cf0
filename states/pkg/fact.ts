/**
 * Facts, pyinfra style: a command (argv + env) and a pure parser of its result. The same fact runs async
 * (state functions) or sync (Jinja-callable execution functions such as `salt['pkg.version']`).
 */
import { CommandError } from '../../engine/errors.js';
import type { CommandResult, Host } from '../../engine/host/types.js';

/** A command whose output becomes data. `parse` is pure and may throw CommandError on a failed command. */
export interface Fact<T> {
  argv: string[];
  env?: Record<string, string>;
  parse(res: CommandResult): T;
}

/** A command run for its effect; its result is checked by the caller. */
export interface Cmd {
  argv: string[];
  env?: Record<string, string>;
  /** Exit codes that mean success (default [0]; zypper's 100-103 are "done, with a note"). */
  ok?: number[];
}

export function succeeded(cmd: Cmd, res: CommandResult): boolean {
  return (cmd.ok ?? [0]).includes(res.code);
}

export async function runFact<T>(host: Host, fact: Fact<T>, signal?: AbortSignal): Promise<T> {
  const res = await host.run(fact.argv, { env: fact.env, signal });
  return fact.parse(res);
}

export function runFactSync<T>(host: Host, fact: Fact<T>): T {
  return fact.parse(host.runSync(fact.argv, { env: fact.env }));
}

export async function runCmd(host: Host, cmd: Cmd, signal?: AbortSignal): Promise<CommandResult> {
  return host.run(cmd.argv, { env: cmd.env, signal });
}

/** The last few lines of a failed command's output, for a comment a human can act on. */
export function failureText(res: CommandResult, lines = 6): string {
  const text = (res.stderr.trim() || res.stdout.trim() || `exit code ${res.code}`).split('\n');
  return text.slice(-lines).join('\n');
}

/** Throws CommandError unless the command exited with one of `ok`. */
export function expectCode(argv: string[], res: CommandResult, ok: number[] = [0]): void {
  if (!ok.includes(res.code)) {
    throw new CommandError(`${argv.slice(0, 2).join(' ')} failed (exit ${res.code}): ${failureText(res)}`);
  }
}
