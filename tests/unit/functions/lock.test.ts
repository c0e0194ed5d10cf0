import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireStateLock, lockPath } from '../../../engine/functions/lock.js';
import { InvocationError } from '../../../engine/errors.js';

const log = { debug() {}, info() {}, warn() {}, error() {} };
const dir = (): string => mkdtempSync(join(tmpdir(), 'halite-lock-'));

/** A live process that is not us, to own a lock. */
function sleeper(): { pid: number; stop: () => void } {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  return { pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

describe('state-run lock', () => {
  it('lives in cachedir, default /var/cache/halite', () => {
    expect(lockPath({ cachedir: '/x/cache' })).toBe('/x/cache/state.lock');
    expect(lockPath({})).toBe('/var/cache/halite/state.lock');
  });

  it('writes our PID, and release removes it', async () => {
    const p = join(dir(), 'sub', 'state.lock');
    const lock = await acquireStateLock(p, { queue: false, fun: 'state.apply', log });
    expect(JSON.parse(readFileSync(p, 'utf8'))).toMatchObject({ pid: process.pid, fun: 'state.apply' });
    lock.release();
    expect(existsSync(p)).toBe(false);
  });

  it('takes over a stale lock (dead PID)', async () => {
    const p = join(dir(), 'state.lock');
    writeFileSync(p, JSON.stringify({ pid: 2 ** 22 + 12345, fun: 'state.sls', started: 'x' }));
    const lock = await acquireStateLock(p, { queue: false, fun: 'state.sls', log });
    expect(JSON.parse(readFileSync(p, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('queue=False refuses while a live process holds it, naming the PID', async () => {
    const p = join(dir(), 'state.lock');
    const s = sleeper();
    try {
      writeFileSync(p, `${s.pid}\n`);
      const err = await acquireStateLock(p, { queue: false, fun: 'state.sls', log }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvocationError);
      expect((err as Error).message).toContain(`running as PID ${s.pid}`);
    } finally {
      s.stop();
    }
  });

  it('queue (default) waits with one message, then gets the lock when the owner goes', async () => {
    const p = join(dir(), 'state.lock');
    const s = sleeper();
    writeFileSync(p, JSON.stringify({ pid: s.pid, fun: 'state.apply', started: 'now' }));
    const messages: string[] = [];
    const pending = acquireStateLock(p, { queue: true, fun: 'state.sls', log, pollMs: 20, notify: (m) => messages.push(m) });
    await new Promise((r) => setTimeout(r, 150));
    s.stop();
    const lock = await pending;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('waiting');
    lock.release();
  });

  it('is re-entrant within one process', async () => {
    const p = join(dir(), 'state.lock');
    const a = await acquireStateLock(p, { queue: false, fun: 'state.apply', log });
    const b = await acquireStateLock(p, { queue: false, fun: 'state.sls', log });
    b.release();
    expect(existsSync(p)).toBe(true);
    a.release();
    expect(existsSync(p)).toBe(false);
  });
});
