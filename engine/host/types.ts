/**
 * Host: the only way halite touches a machine. `LocalHost` (execa + node:fs) implements it today; an OpenSSH
 * transport implements the same interface later, so every method must be expressible as commands/file transfer
 * over one SSH connection (no fd passing, no shared memory, no Node objects crossing the boundary).
 *
 * Rules every implementation keeps:
 * - `run` never throws on a non-zero exit: it returns the code. It throws HostError only when the command could
 *   not be started at all (transport down, binary missing is a 127-style result, not a throw).
 * - `writeFile` is atomic: temp file in the same directory, fsync, chmod/chown, rename. A killed run leaves
 *   either the old or the new file, never a truncated one.
 * - Paths are absolute POSIX paths on the target machine.
 */
export interface RunOptions {
  /** Bytes or text fed to stdin. */
  stdin?: string | Buffer;
  /** Extra environment variables (merged over the host's environment). */
  env?: Record<string, string>;
  cwd?: string;
  /** Milliseconds; the command is killed after it. */
  timeoutMs?: number;
  /** Run as this user (via runuser/su on the host). */
  runas?: string;
  /** Pass the argv to `/bin/sh -c` (argv must then be one string). Only for user-written shell snippets
   *  (cmd.run names, onlyif strings): never build such a string from data. */
  shell?: boolean;
  umask?: string;
  signal?: AbortSignal;
}

export interface CommandResult {
  /** Exit code; 127 when the binary was not found, 124 on timeout, 128+N when killed by signal N. */
  code: number;
  stdout: string;
  stderr: string;
  pid?: number;
  /** True when the command was killed because of timeoutMs. */
  timedOut?: boolean;
}

export interface FileStat {
  type: 'file' | 'directory' | 'symlink' | 'other';
  /** Permission bits only (e.g. 0o644). */
  mode: number;
  uid: number;
  gid: number;
  /** Owner and group names when resolvable. */
  user?: string;
  group?: string;
  size: number;
  mtimeMs: number;
}

export interface WriteOptions {
  /** Permission bits, e.g. 0o600. Default: keep the existing file's mode, else 0o644 (umask applies). */
  mode?: number;
  /** Owner name or uid. */
  user?: string | number;
  group?: string | number;
  /** Create missing parent directories (with dirMode). */
  makedirs?: boolean;
  dirMode?: number;
}

export interface Host {
  /** Stable name for logs and outputs: 'local', or 'ssh://user@host:port'. */
  readonly name: string;
  run(argv: string[], opts?: RunOptions): Promise<CommandResult>;
  /** Synchronous variant, for Jinja templates (`salt['cmd.run'](…)`), which cannot await. */
  runSync(argv: string[], opts?: RunOptions): CommandResult;
  /** null when the file does not exist. */
  readFile(path: string): Promise<Buffer | null>;
  readFileSync(path: string): Buffer | null;
  writeFile(path: string, data: string | Buffer, opts?: WriteOptions): Promise<void>;
  /** lstat: a symlink is reported as 'symlink'. null when absent. */
  lstat(path: string): Promise<FileStat | null>;
  /** stat following symlinks. null when absent or dangling. */
  stat(path: string): Promise<FileStat | null>;
  readdir(path: string): Promise<string[]>;
  readlink(path: string): Promise<string | null>;
  mkdir(path: string, opts?: { mode?: number; parents?: boolean }): Promise<void>;
  /** Remove a file, symlink, or (recursive) directory; absent is not an error. */
  remove(path: string, opts?: { recursive?: boolean }): Promise<void>;
  symlink(target: string, path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  /** user/group by name or id; undefined leaves it as it is. */
  chown(path: string, user?: string | number, group?: string | number): Promise<void>;
  close(): Promise<void>;
}
