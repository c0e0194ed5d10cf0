/**
 * Test harness for the file states: a real temp directory, LocalHost, a RootsFileServer over a temp file root,
 * and the "run every case twice" discipline (test mode mutates nothing and predicts; apply; apply again: no
 * changes; test mode again: in the correct state).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { LocalHost } from '../../../../engine/host/local.js';
import { RootsFileServer } from '../../../../engine/fileserver/index.js';
import type { Dict, StateContext, StateFunction, StateResult } from '../../../../engine/types.js';

export interface Env {
  root: string;
  /** Directory states write into. */
  tmp: string;
  /** file_roots.base */
  srv: string;
  host: LocalHost;
  secrets: string[];
  ctx(test: boolean, extra?: Partial<StateContext>): StateContext;
  cleanup(): void;
}

/** A small stand-in for the Jinja renderer (the real one is tested with it in tests/e2e/file): `{{ var }}`. */
export function fakeRender(text: string, o: { context?: Dict }): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, k: string) => String(o.context?.[k] ?? ''));
}

export function makeEnv(opts: { pillar?: Dict } = {}): Env {
  const root = fs.mkdtempSync(join(tmpdir(), 'halite-file-'));
  const tmp = join(root, 'tmp');
  const srv = join(root, 'srv');
  fs.mkdirSync(tmp);
  fs.mkdirSync(srv);
  const host = new LocalHost();
  const fileserver = new RootsFileServer({ roots: { base: [srv] } });
  const secrets: string[] = [];
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  const env: Env = {
    root,
    tmp,
    srv,
    host,
    secrets,
    ctx(test, extra = {}) {
      return {
        host,
        opts: { cachedir: join(root, 'cache') },
        grains: { os: 'Debian' },
        pillar: opts.pillar ?? {},
        saltenv: 'base',
        test,
        fileserver,
        render: fakeRender,
        log,
        signal: new AbortController().signal,
        call: async () => undefined,
        secret: (v: string) => void secrets.push(v),
        registry: { states: new Map(), exec: new Map() },
        low: { state: 'file', fun: 'x', name: 'x', __id__: 'x', __sls__: 't', __env__: 'base' },
        ...extra,
      } as StateContext;
    },
    cleanup() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  return env;
}

/** Every path under dir with type, mode, owner, size, content hash, link target and mtime. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (p: string): void => {
    const st = fs.lstatSync(p);
    let extra = '';
    if (st.isSymbolicLink()) extra = `-> ${fs.readlinkSync(p)}`;
    else if (st.isFile()) extra = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    out[p] = `${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.size} ${st.mtimeMs} ${extra}`;
    if (st.isDirectory()) for (const n of fs.readdirSync(p).sort()) visit(join(p, n));
  };
  if (fs.existsSync(dir)) visit(dir);
  return out;
}

export interface TwiceCase {
  fn: StateFunction;
  name: string;
  args: Dict;
  /** Expected test-mode changes (default: same as applyChanges). */
  testChanges?: Dict;
  testComment?: string;
  applyChanges: Dict | ((c: Dict) => void);
  applyComment?: string;
  /** Comment of the second apply (no changes). */
  cleanComment?: string;
}

/**
 * Run a state in test mode (no mutation anywhere under env.root, result null, predicted changes), then apply
 * (result true, changes), apply again (result true, no changes) and test again (true, no changes).
 */
export async function runTwice(env: Env, c: TwiceCase): Promise<{ test: StateResult; apply: StateResult; again: StateResult }> {
  const before = snapshot(env.root);
  const test = await c.fn(env.ctx(true), c.name, c.args);
  expect(snapshot(env.root), 'test mode must not mutate anything').toEqual(before);
  expect(test.result, `test-mode result (${test.comment})`).toBeNull();
  // Salt's file.managed predicts a new file as {newfile: name}, not the apply-time {diff: 'New file', …}.
  const applied = typeof c.applyChanges === 'function' ? undefined : c.applyChanges;
  const expectedTest = c.testChanges ?? (applied?.['diff'] === 'New file' ? { newfile: c.name } : applied);
  if (expectedTest) expect(test.changes).toEqual(expectedTest);
  if (c.testComment !== undefined) expect(test.comment).toBe(c.testComment);

  const apply = await c.fn(env.ctx(false), c.name, c.args);
  expect(apply.result, `apply result (${apply.comment})`).toBe(true);
  if (typeof c.applyChanges === 'function') c.applyChanges(apply.changes);
  else expect(apply.changes).toEqual(c.applyChanges);
  if (c.applyComment !== undefined) expect(apply.comment).toBe(c.applyComment);

  const again = await c.fn(env.ctx(false), c.name, c.args);
  expect(again.result, `second apply (${again.comment})`).toBe(true);
  expect(again.changes, 'second apply must change nothing').toEqual({});
  if (c.cleanComment !== undefined) expect(again.comment).toBe(c.cleanComment);

  const test2 = await c.fn(env.ctx(true), c.name, c.args);
  expect(test2.result).toBe(true);
  expect(test2.changes).toEqual({});
  return { test, apply, again };
}

/** Ensure a test user and group exist (we are root); returns their names. */
export function ensureAccount(user = 'halitetest', group = 'halitegrp'): { user: string; group: string } {
  const has = (file: string, name: string): boolean => fs.readFileSync(file, 'utf8').split('\n').some((l) => l.startsWith(`${name}:`));
  // Test files run in parallel processes: another one may create the account between the check and the add.
  const add = (file: string, name: string, argv: string[]): void => {
    if (has(file, name)) return;
    try {
      execFileSync(argv[0]!, argv.slice(1), { stdio: 'ignore' });
    } catch (e) {
      if (!has(file, name)) throw e;
    }
  };
  add('/etc/group', group, ['groupadd', group]);
  add('/etc/passwd', user, ['useradd', '-M', '-N', '-g', group, user]);
  return { user, group };
}

export function write(path: string, text: string | Buffer, mode = 0o644): void {
  fs.mkdirSync(join(path, '..'), { recursive: true });
  fs.writeFileSync(path, text);
  fs.chmodSync(path, mode);
}

export function read(path: string): string {
  return fs.readFileSync(path, 'utf8');
}

export function modeOf(path: string): number {
  return fs.lstatSync(path).mode & 0o7777;
}
