/**
 * Turning (argv, RunOptions) into the argv actually executed: `shell` → `/bin/sh -c`, `umask` → a tiny sh
 * wrapper, `runas` → `runuser -u USER --`. Pure, so every transport (local, ssh) builds the same command line.
 */
import { HostError } from '../errors.js';
import type { RunOptions } from './types.js';

/**
 * The final argv for a command.
 *
 * @example
 * wrapArgv(['id', '-u'], { runas: 'nobody' }) // ['runuser', '-u', 'nobody', '--', 'id', '-u']
 * wrapArgv(['echo $HOME'], { shell: true })    // ['/bin/sh', '-c', 'echo $HOME']
 */
export function wrapArgv(argv: string[], opts: RunOptions = {}): string[] {
  if (argv.length === 0) throw new HostError('run: empty argv');
  let out: string[];
  if (opts.shell) {
    // A shell snippet is one string; extra elements are joined as the user would have typed them.
    out = ['/bin/sh', '-c', argv.join(' ')];
  } else {
    out = [...argv];
  }
  if (opts.umask !== undefined) {
    const u = String(opts.umask);
    if (!/^0?[0-7]{1,4}$/.test(u)) throw new HostError(`run: invalid umask '${u}'`);
    // "$0" is the umask, "$@" the command: no data is ever spliced into the script text.
    out = ['/bin/sh', '-c', 'umask "$0" && exec "$@"', u, ...out];
  }
  if (opts.runas !== undefined && opts.runas !== '') {
    out = ['runuser', '-u', opts.runas, '--', ...out];
  }
  return out;
}

/** Exit code for a signal name: 128 + N (SIGKILL → 137). */
export function signalCode(signal: string | undefined | null, table: Record<string, number>): number {
  const n = signal ? table[signal] : undefined;
  return 128 + (n ?? 15);
}
