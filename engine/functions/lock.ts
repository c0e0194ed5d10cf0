/**
 * The state-run lock: one `state.*` run at a time per target. A file (`<cachedir>/state.lock`) holds the PID and
 * start time of the run that owns it; a lock whose PID is gone is stale and taken over. A second run waits (with
 * a message on stderr) or, with `queue=False`, refuses with an error naming the running PID.
 *
 * The lock lives on the controller (the machine halite runs on), next to the minion's cache: that is where the
 * competing halite processes are, and where their PIDs mean something.
 */
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InvocationError } from '../errors.js';
import type { Dict, Logger } from '../types.js';

export interface LockInfo {
  pid: number;
  fun: string;
  started: string;
}

export interface StateLock {
  readonly path: string;
  release(): void;
}

export interface LockOptions {
  /** Wait for a running state run (default) or refuse at once. */
  queue: boolean;
  fun: string;
  log: Logger;
  signal?: AbortSignal;
  /** Poll interval while waiting, ms. */
  pollMs?: number;
  /** Tell the user once that we are waiting (stderr). */
  notify?: (msg: string) => void;
}

/** Path of the lock for a minion config: `<cachedir>/state.lock` (default /var/cache/halite). */
export function lockPath(opts: Dict): string {
  const dir = typeof opts.cachedir === 'string' && opts.cachedir ? opts.cachedir : '/var/cache/halite';
  return join(dir, 'state.lock');
}

/** Take the lock, waiting for (or refusing, with queue false) a live owner; a dead owner's lock is taken over. */
export async function acquireStateLock(path: string, o: LockOptions): Promise<StateLock> {
  mkdirSync(join(path, '..'), { recursive: true });
  let told = false;
  for (;;) {
    if (tryCreate(path, o.fun)) return { path, release: () => releaseLock(path) };
    const owner = readOwner(path);
    // Re-entrant: a state run in this process that starts another (a state calling state.sls) shares the lock.
    if (owner?.pid === process.pid) return { path, release: () => undefined };
    if (!owner || !alive(owner.pid)) {
      o.log.warn(`removing stale state lock ${path}${owner ? ` (PID ${owner.pid} is gone)` : ''}`);
      rmSync(path, { force: true });
      continue;
    }
    const what = `The function "${owner.fun}" is running as PID ${owner.pid} and was started at ${owner.started}`;
    if (!o.queue) throw new InvocationError(`${what}; pass queue=True to wait for it, or try again later`, { file: path });
    if (!told) {
      (o.notify ?? ((m: string) => process.stderr.write(`${m}\n`)))(`${what}; waiting for it to finish (lock ${path})`);
      told = true;
    }
    if (o.signal?.aborted) throw new InvocationError(`gave up waiting for the state lock ${path}`);
    await new Promise((r) => setTimeout(r, o.pollMs ?? 250));
  }
}

/** Write the owner record to a temp file, then hard-link it into place: link fails atomically when the lock
 *  exists, and a reader never sees a half-written lock. */
function tryCreate(path: string, fun: string): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  const info: LockInfo = { pid: process.pid, fun, started: new Date().toISOString() };
  writeSync(fd, `${JSON.stringify(info)}\n`);
  closeSync(fd);
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

function readOwner(path: string): LockInfo | null {
  try {
    const text = readFileSync(path, 'utf8').trim();
    if (!text) return null;
    if (/^\d+$/.test(text)) return { pid: Number(text), fun: 'state.*', started: 'an unknown time' };
    const v = JSON.parse(text) as Partial<LockInfo>;
    return typeof v.pid === 'number' ? { pid: v.pid, fun: v.fun ?? 'state.*', started: v.started ?? '?' } : null;
  } catch {
    return null;
  }
}

/** Only the owner removes the lock. */
function releaseLock(path: string): void {
  const owner = readOwner(path);
  if (owner && owner.pid === process.pid) rmSync(path, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
