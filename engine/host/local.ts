/**
 * LocalHost: the machine halite runs on. Commands through execa (argv, never a shell unless `shell: true`),
 * files through node:fs, writes atomic (see atomic.ts), user/group names from /etc/passwd and /etc/group.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { constants as osConstants, userInfo } from 'node:os';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { HostError } from '../errors.js';
import { Accounts } from './accounts.js';
import { signalCode, wrapArgv } from './argv.js';
import { atomicWriteSync } from './atomic.js';
import type { CommandResult, FileStat, Host, RunOptions, WriteOptions } from './types.js';

const SIGNALS = osConstants.signals as unknown as Record<string, number>;
const MAX_BUFFER = 512 * 1024 * 1024;

/**
 * The local machine as a Host.
 *
 * `run` returns stdout/stderr exactly as the command printed them (no newline stripping: callers such as
 * cmd.run decide). Codes: 127 binary not found, 126 not executable, 124 timeout, 128+N killed by signal N.
 * A command runs in its own process group, so a timeout or abort kills its children too.
 */
export class LocalHost implements Host {
  readonly name = 'local';
  readonly accounts: Accounts;
  private readonly live = new Set<number>();
  private readonly me: string;

  constructor(o: { root?: string } = {}) {
    this.accounts = new Accounts(o.root ?? '/');
    this.me = safeUserName();
  }

  async run(argv: string[], opts: RunOptions = {}): Promise<CommandResult> {
    const full = this.argvFor(argv, opts);
    const bad = checkCwd(opts.cwd);
    if (bad) return bad;
    const sub = execa(full[0]!, full.slice(1), {
      reject: false,
      stripFinalNewline: false,
      encoding: 'utf8',
      detached: true,
      cleanup: false,
      maxBuffer: MAX_BUFFER,
      env: opts.env,
      extendEnv: true,
      cwd: opts.cwd,
      ...(opts.stdin !== undefined ? { input: opts.stdin } : { stdin: 'ignore' as const }),
    });
    const pid = sub.pid;
    let timedOut = false;
    const killGroup = (): void => {
      if (pid !== undefined) killTree(pid);
    };
    if (pid !== undefined) {
      this.live.add(pid);
      trackChild(pid);
    }
    const timer =
      opts.timeoutMs !== undefined && opts.timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            killGroup();
          }, opts.timeoutMs)
        : undefined;
    const onAbort = (): void => killGroup();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) killGroup();
    try {
      const r = await sub;
      const stdout = typeof r.stdout === 'string' ? r.stdout : '';
      const stderr = typeof r.stderr === 'string' ? r.stderr : '';
      if (timedOut) return { code: 124, stdout, stderr, pid, timedOut: true };
      if (typeof r.exitCode === 'number') return { code: r.exitCode, stdout, stderr, pid };
      if (r.signal) return { code: signalCode(r.signal, SIGNALS), stdout, stderr, pid };
      return spawnFailure((r as { code?: string }).code, full[0]!, r.message ?? '', stdout, stderr);
    } finally {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) {
        this.live.delete(pid);
        untrackChild(pid);
      }
    }
  }

  runSync(argv: string[], opts: RunOptions = {}): CommandResult {
    const full = this.argvFor(argv, opts);
    const bad = checkCwd(opts.cwd);
    if (bad) return bad;
    const r = spawnSync(full[0]!, full.slice(1), {
      encoding: 'utf8',
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      cwd: opts.cwd,
      input: opts.stdin,
      stdio: [opts.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      timeout: opts.timeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: MAX_BUFFER,
    });
    const stdout = r.stdout ?? '';
    const stderr = r.stderr ?? '';
    const err = r.error as NodeJS.ErrnoException | undefined;
    if (err?.code === 'ETIMEDOUT') return { code: 124, stdout, stderr, pid: r.pid, timedOut: true };
    if (err) return spawnFailure(err.code, full[0]!, err.message, stdout, stderr);
    if (r.status !== null) return { code: r.status, stdout, stderr, pid: r.pid };
    return { code: signalCode(r.signal, SIGNALS), stdout, stderr, pid: r.pid };
  }

  async readFile(path: string): Promise<Buffer | null> {
    return this.readFileSync(path);
  }

  readFileSync(path: string): Buffer | null {
    try {
      return fs.readFileSync(path);
    } catch (e) {
      if (isAbsent(e)) return null;
      throw hostErr('read', path, e);
    }
  }

  async writeFile(path: string, data: string | Buffer, opts: WriteOptions = {}): Promise<void> {
    try {
      let target = path;
      let cur = lstatOrNull(target);
      if (cur?.isSymbolicLink()) {
        // Write through a symlink, as `echo > link` would: the link stays, its target gets the content.
        try {
          target = fs.realpathSync(path);
          cur = lstatOrNull(target);
        } catch {
          cur = null; // dangling: replace the link itself
        }
      }
      if (cur?.isDirectory()) throw new HostError(`write ${path}: is a directory`);
      if (opts.makedirs) fs.mkdirSync(dirname(target), { recursive: true, mode: opts.dirMode ?? 0o755 });
      else if (!lstatOrNull(dirname(target))) throw new HostError(`write ${path}: parent directory ${dirname(target)} does not exist`);
      const mode = opts.mode ?? (cur ? cur.mode & 0o7777 : 0o666 & ~currentUmask());
      const uid = opts.user !== undefined ? this.accounts.uid(opts.user) : cur ? cur.uid : -1;
      const gid = opts.group !== undefined ? this.accounts.gid(opts.group) : cur ? cur.gid : -1;
      atomicWriteSync(target, data, { mode, uid, gid });
    } catch (e) {
      throw hostErr('write', path, e);
    }
  }

  async lstat(path: string): Promise<FileStat | null> {
    return this.toStat(lstatOrNull(path));
  }

  async stat(path: string): Promise<FileStat | null> {
    try {
      return this.toStat(fs.statSync(path));
    } catch (e) {
      if (isAbsent(e)) return null;
      throw hostErr('stat', path, e);
    }
  }

  async readdir(path: string): Promise<string[]> {
    try {
      return fs.readdirSync(path).sort();
    } catch (e) {
      throw hostErr('readdir', path, e);
    }
  }

  async readlink(path: string): Promise<string | null> {
    try {
      return fs.readlinkSync(path);
    } catch (e) {
      if (isAbsent(e) || (e as NodeJS.ErrnoException).code === 'EINVAL') return null;
      throw hostErr('readlink', path, e);
    }
  }

  async mkdir(path: string, opts: { mode?: number; parents?: boolean } = {}): Promise<void> {
    try {
      const existed = lstatOrNull(path)?.isDirectory() ?? false;
      fs.mkdirSync(path, { recursive: opts.parents ?? false, mode: opts.mode ?? 0o755 });
      // mkdir(2) applies the umask; an explicit mode is meant literally.
      if (!existed && opts.mode !== undefined) fs.chmodSync(path, opts.mode);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && lstatOrNull(path)?.isDirectory()) return;
      throw hostErr('mkdir', path, e);
    }
  }

  async remove(path: string, opts: { recursive?: boolean } = {}): Promise<void> {
    try {
      const st = lstatOrNull(path);
      if (!st) return;
      if (st.isDirectory()) {
        if (opts.recursive) fs.rmSync(path, { recursive: true, force: true });
        else fs.rmdirSync(path);
      } else fs.unlinkSync(path);
    } catch (e) {
      throw hostErr('remove', path, e);
    }
  }

  async symlink(target: string, path: string): Promise<void> {
    try {
      fs.symlinkSync(target, path);
    } catch (e) {
      throw hostErr('symlink', path, e);
    }
  }

  async rename(from: string, to: string): Promise<void> {
    try {
      fs.renameSync(from, to);
    } catch (e) {
      throw hostErr('rename', `${from} -> ${to}`, e);
    }
  }

  async chmod(path: string, mode: number): Promise<void> {
    try {
      fs.chmodSync(path, mode);
    } catch (e) {
      throw hostErr('chmod', path, e);
    }
  }

  async chown(path: string, user?: string | number, group?: string | number): Promise<void> {
    if (user === undefined && group === undefined) return;
    try {
      const uid = user !== undefined ? this.accounts.uid(user) : -1;
      const gid = group !== undefined ? this.accounts.gid(group) : -1;
      // lchown: a symlink's own owner, never its target's (file.symlink manages the link).
      fs.lchownSync(path, uid, gid);
    } catch (e) {
      throw hostErr('chown', path, e);
    }
  }

  async close(): Promise<void> {
    this.killAll();
  }

  private argvFor(argv: string[], opts: RunOptions): string[] {
    // runuser refuses non-root callers even for themselves; running as oneself needs no wrapper.
    const runas = opts.runas && opts.runas !== this.me ? opts.runas : undefined;
    if (runas !== undefined && !this.accounts.hasUser(runas)) throw new HostError(`runas: user '${runas}' does not exist`);
    return wrapArgv(argv, { ...opts, runas });
  }

  private killAll(): void {
    for (const pid of this.live) killTree(pid);
    this.live.clear();
  }

  private toStat(st: fs.Stats | null): FileStat | null {
    if (!st) return null;
    const type = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'other';
    return {
      type,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      user: this.accounts.userName(st.uid),
      group: this.accounts.groupName(st.gid),
      size: st.size,
      mtimeMs: st.mtimeMs,
    };
  }
}

// Commands run detached (own process group); if halite exits mid-command, their groups must not outlive it.
const running = new Set<number>();
let exitHook = false;
function trackChild(pid: number): void {
  running.add(pid);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const p of running) killTree(p);
    });
  }
}
function untrackChild(pid: number): void {
  running.delete(pid);
}

function killTree(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

function checkCwd(cwd: string | undefined): CommandResult | null {
  if (cwd === undefined) return null;
  if (lstatOrNull(cwd) && fs.statSync(cwd).isDirectory()) return null;
  return { code: 1, stdout: '', stderr: `cwd '${cwd}' does not exist or is not a directory\n` };
}

function spawnFailure(code: string | undefined, bin: string, msg: string, stdout: string, stderr: string): CommandResult {
  if (code === 'ENOENT') return { code: 127, stdout, stderr: stderr || `${bin}: command not found\n` };
  if (code === 'EACCES') return { code: 126, stdout, stderr: stderr || `${bin}: permission denied\n` };
  throw new HostError(`could not start ${bin}: ${msg}`);
}

function lstatOrNull(path: string): fs.Stats | null {
  try {
    return fs.lstatSync(path);
  } catch (e) {
    if (isAbsent(e)) return null;
    throw e;
  }
}

function isAbsent(e: unknown): boolean {
  const c = (e as NodeJS.ErrnoException)?.code;
  return c === 'ENOENT' || c === 'ENOTDIR';
}

function hostErr(op: string, path: string, e: unknown): HostError {
  if (e instanceof HostError) return e;
  const err = e as NodeJS.ErrnoException;
  return new HostError(`${op} ${path}: ${err?.message ?? String(e)}`);
}

let umaskCache: number | undefined;
function currentUmask(): number {
  // process.umask() without an argument is deprecated but still the only read-only way; read it once.
  if (umaskCache === undefined) {
    try {
      umaskCache = process.umask();
    } catch {
      umaskCache = 0o022;
    }
  }
  return umaskCache;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}
