/**
 * pkg.* and pkgrepo.* against real apt/dpkg and a private file: repository built by tests/helpers/aptrepo.ts.
 * Every state case runs three times: test mode (result null, the predicted changes, nothing changed on disk),
 * apply (the same changes), apply again (no changes).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHost } from '../../../engine/host/local.js';
import type { CommandResult, Host, RunOptions } from '../../../engine/host/types.js';
import type { Dict, StateContext, StateFunction, StateResult } from '../../../engine/types.js';
import { pkg, pkgExec, pkgrepo } from '../../../states/pkg/index.js';
import { type AptRepo, buildAptRepo, dpkgStatus, purgePackages } from '../../helpers/aptrepo.js';
import { makeCtx } from './ctx.js';

const NAMES = ['halitetest', 'halitetest-dep', 'halitetest-extra'];

/** LocalHost that records every argv it runs. */
class RecordingHost extends LocalHost {
  readonly calls: string[][] = [];
  override async run(argv: string[], opts?: RunOptions): Promise<CommandResult> {
    this.calls.push(argv);
    return super.run(argv, opts);
  }
}

let repo: AptRepo;
let host: RecordingHost;
let tmp: string;
const ctxFor = (test: boolean, extra: { files?: Record<string, string> } = {}): StateContext =>
  makeCtx(host as Host, { test, opts: { apt_options: repo.aptOptions }, ...extra });

const fn = (mod: typeof pkg | typeof pkgrepo, f: string): StateFunction =>
  (mod.functions as Record<string, { fn: StateFunction }>)[f]!.fn;

/** test → apply → apply; asserts the contract and returns the three results. */
async function cycle(f: StateFunction, name: string, args: Dict, files?: Record<string, string>) {
  const snap = dpkgStatus(NAMES);
  const t = await f(ctxFor(true, { files }), name, args);
  expect(dpkgStatus(NAMES), 'test mode changed the package database').toEqual(snap);
  expect(t.result, t.comment).toBeNull();
  const a = await f(ctxFor(false, { files }), name, args);
  expect(a.result, a.comment).toBe(true);
  expect(a.changes, 'apply changes differ from the test-mode prediction').toEqual(t.changes);
  const b = await f(ctxFor(false, { files }), name, args);
  expect(b.result, b.comment).toBe(true);
  expect(b.changes).toEqual({});
  return { t, a, b };
}

const aptInstalls = (): string[][] => host.calls.filter((c) => c[0] === 'apt-get' && c.includes('install') && !c.includes('-s'));

beforeAll(async () => {
  repo = buildAptRepo();
  purgePackages(NAMES);
  host = new RecordingHost();
  tmp = mkdtempSync(join(tmpdir(), 'halite-pkg-'));
  await pkgExec.functions.refresh_db!.fn(ctxFor(false), [], {});
});

afterAll(() => {
  purgePackages(NAMES);
  repo?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('pkg states on real apt', () => {
  it('installs a pinned version with its dependency', async () => {
    const { t, a, b } = await cycle(fn(pkg, 'installed'), 'halitetest', { version: '1.0' });
    expect(t.changes).toEqual({ halitetest: { old: '', new: '1.0' }, 'halitetest-dep': { old: '', new: '1.0' } });
    expect(t.comment).toBe('The following packages would be installed/updated: halitetest');
    expect(a.comment).toBe('The following packages were installed/updated: halitetest=1.0');
    expect(b.comment).toBe('All specified packages are already installed and are at the desired version');
    expect(dpkgStatus(NAMES)).toMatchObject({ halitetest: { version: '1.0', status: 'ii' }, 'halitetest-dep': { version: '1.0' } });
    expect(readFileSync('/etc/halitetest/halitetest.conf', 'utf8')).toBe('setting=1.0\n');
  });

  it('upgrades one package and installs another in ONE apt transaction', async () => {
    const before = aptInstalls().length;
    const { t, a } = await cycle(fn(pkg, 'installed'), 'several', { pkgs: [{ halitetest: '1.1' }, 'halitetest-extra'] });
    expect(t.changes).toEqual({ halitetest: { old: '1.0', new: '1.1' }, 'halitetest-extra': { old: '', new: '2.0' } });
    expect(a.comment).toBe('2 targeted packages were installed/updated.');
    const runs = aptInstalls().slice(before);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toEqual(expect.arrayContaining(['halitetest=1.1', 'halitetest-extra']));
    expect(runs[0]).toEqual(expect.arrayContaining(['-y', 'Dpkg::Options::=--force-confold']));
  });

  it('downgrades to a pinned version', async () => {
    const { t } = await cycle(fn(pkg, 'installed'), 'halitetest', { version: '1.0' });
    expect(t.changes).toEqual({ halitetest: { old: '1.1', new: '1.0' } });
    expect(aptInstalls().at(-1)).toContain('--allow-downgrades');
  });

  it('accepts a version range that the installed version already meets', async () => {
    const r = await fn(pkg, 'installed')(ctxFor(false), 'halitetest', { version: '>=1.0,<2' });
    expect(r).toMatchObject({ result: true, changes: {}, comment: 'All specified packages are already installed and are at the desired version' });
  });

  it('holds a package (apt-mark hold)', async () => {
    const { t, a, b } = await cycle(fn(pkg, 'installed'), 'halitetest', { hold: true });
    expect(t.changes).toEqual({ halitetest: { old: 'install', new: 'hold' } });
    expect(t.comment).toBe('All specified packages are already installed.\nPackage halitetest is set to be held.');
    expect(a.comment).toBe('All specified packages are already installed.\nPackage halitetest is now being held.');
    expect(b.comment).toBe('All specified packages are already installed.\nPackage halitetest is already set to be held.');
    expect(dpkgStatus(['halitetest']).halitetest!.status).toBe('hi');
  });

  it('refuses to change a held package unless update_holds is set', async () => {
    for (const test of [true, false]) {
      const r = await fn(pkg, 'installed')(ctxFor(test), 'halitetest', { version: '1.1' });
      expect(r.result).toBe(false);
      expect(r.comment).toMatch(/held and would be changed: halitetest/);
    }
    expect(dpkgStatus(['halitetest']).halitetest!.version).toBe('1.0');
    const rm = await fn(pkg, 'removed')(ctxFor(true), 'halitetest', {});
    expect(rm).toMatchObject({ result: false, changes: {} });
    expect(rm.comment).toMatch(/packages are held: halitetest/);
    const up = await fn(pkg, 'latest')(ctxFor(true), 'halitetest', {});
    expect(up.result).toBe(false);
    expect(up.comment).toMatch(/held and would be changed: halitetest/);
  });

  it('changes a held package with update_holds: True, keeping the hold', async () => {
    // apt-get install drops the hold of a package it changes; the state holds it again (Salt's change format).
    const { t, a } = await cycle(fn(pkg, 'installed'), 'halitetest', { version: '1.1', hold: true, update_holds: true });
    expect(t.changes).toEqual({ halitetest: { old: '1.0\ninstall', new: '1.1\nhold' } });
    expect(a.comment).toBe('The following packages were installed/updated: halitetest=1.1\nPackage halitetest is now being held.');
    expect(dpkgStatus(['halitetest']).halitetest).toEqual({ version: '1.1', status: 'hi' });
    // Without `hold`, update_holds unholds for the transaction only: the package stays held.
    const back = await fn(pkg, 'installed')(ctxFor(false), 'halitetest', { version: '1.0', update_holds: true });
    expect(back).toMatchObject({ result: true, changes: { halitetest: { old: '1.1', new: '1.0' } } });
    expect(dpkgStatus(['halitetest']).halitetest).toEqual({ version: '1.0', status: 'hi' });
  });

  it('unholds with hold: False', async () => {
    const { t } = await cycle(fn(pkg, 'installed'), 'halitetest', { hold: false });
    expect(t.changes).toEqual({ halitetest: { old: 'hold', new: 'install' } });
    expect(dpkgStatus(['halitetest']).halitetest!.status).toBe('ii');
  });

  it('pkg.latest upgrades to the candidate', async () => {
    const { t, a, b } = await cycle(fn(pkg, 'latest'), 'halitetest', {});
    expect(t.changes).toEqual({ halitetest: { old: '1.0', new: '1.1' } });
    expect(t.comment).toBe('The following packages would be installed/upgraded: halitetest');
    expect(a.comment).toBe('The following packages were successfully installed/upgraded: halitetest');
    expect(b.comment).toBe('Package halitetest is already up-to-date');
  });

  it('pkg.removed leaves the conffile (dpkg state rc)', async () => {
    const { t, a, b } = await cycle(fn(pkg, 'removed'), 'halitetest', {});
    expect(t.changes).toEqual({ halitetest: { old: '1.1', new: '' } });
    expect(t.comment).toBe('The following packages will be removed: halitetest.');
    expect(a.comment).toBe('All targeted packages were removed.');
    expect(b.comment).toBe('All specified packages are already absent');
    expect(dpkgStatus(['halitetest']).halitetest!.status).toBe('rc');
    expect(existsSync('/etc/halitetest/halitetest.conf')).toBe(true);
  });

  it('pkg.purged purges installed and config-only packages in one go', async () => {
    const { t, b } = await cycle(fn(pkg, 'purged'), 'all', { pkgs: NAMES });
    expect(t.changes).toEqual({
      removed: { halitetest: { old: '1.1', new: '' } },
      installed: { 'halitetest-dep': { old: '1.0', new: '' }, 'halitetest-extra': { old: '2.0', new: '' } },
    });
    expect(b.comment).toBe('None of the targeted packages are installed or partially installed');
    expect(dpkgStatus(NAMES)).toEqual({});
    expect(existsSync('/etc/halitetest/halitetest.conf')).toBe(false);
  });

  it('fails with a clear comment for unknown packages and unavailable versions', async () => {
    const unknown = await fn(pkg, 'installed')(ctxFor(false), 'halitetest-nope', {});
    expect(unknown).toMatchObject({ result: false, changes: {} });
    expect(unknown.comment).toBe(
      'The following package(s) were not found, and no possible matches were found in the package db: halitetest-nope',
    );
    const badver = await fn(pkg, 'installed')(ctxFor(true), 'halitetest', { version: '9.9' });
    expect(badver.result).toBe(false);
    expect(badver.comment).toMatch(/No version of package 'halitetest' matching '9.9' is available \(available: 1.1, 1.0\)/);
    expect(dpkgStatus(NAMES)).toEqual({});
  });
});

describe('pkg execution module on real apt', () => {
  const call = (f: string, args: unknown[] = [], kwargs: Dict = {}) =>
    Promise.resolve(pkgExec.functions[f]!.fn(ctxFor(false), args, kwargs));

  it('install, version, list_pkgs, latest_version, hold/unhold, remove, purge', async () => {
    expect(await call('install', ['halitetest'], { version: '1.0' })).toEqual({
      halitetest: { old: '', new: '1.0' },
      'halitetest-dep': { old: '', new: '1.0' },
    });
    expect(await call('version', ['halitetest'])).toBe('1.0');
    expect(await call('version', ['halitetest', 'halitetest-extra'])).toEqual({ halitetest: '1.0', 'halitetest-extra': '' });
    expect(await call('list_pkgs')).toMatchObject({ halitetest: '1.0', 'halitetest-dep': '1.0' });
    expect(await call('latest_version', ['halitetest'])).toBe('1.1');
    expect(await call('latest_version', ['halitetest-dep'])).toBe('');
    expect(await call('hold', ['halitetest'])).toEqual({
      halitetest: { name: 'halitetest', changes: { old: 'install', new: 'hold' }, result: true, comment: 'Package halitetest is now being held.' },
    });
    expect((await call('unhold', [], { pkgs: ['halitetest'] })) as Dict).toMatchObject({ halitetest: { result: true } });
    expect(await call('remove', ['halitetest'])).toEqual({ halitetest: { old: '1.0', new: '' } });
    expect(await call('purge', [], { pkgs: ['halitetest', 'halitetest-dep'] })).toEqual({
      removed: { halitetest: { old: '1.0', new: '' } },
      installed: { 'halitetest-dep': { old: '1.0', new: '' } },
    });
  });

  it('version_cmp agrees with dpkg --compare-versions', async () => {
    const pairs: [string, string][] = [
      ['1.0', '1.1'], ['1.0~rc1', '1.0'], ['1:0.9', '2.0'], ['1.0-1', '1.0-1ubuntu1'], ['2.10', '2.9'],
      ['1.0a', '1.0'], ['1.0+b1', '1.0'], ['1.0.0', '1.0'], ['0.0~git20200101', '0.0'], ['1.2-3', '1.2-3'],
      ['7.88.1-10+deb12u5', '7.88.1-10+deb12u12'], ['a', 'b'], ['1~~', '1~'], ['001', '1'],
    ];
    for (const [a, b] of pairs) {
      const ours = (await call('version_cmp', [a, b])) as number;
      const op = ours < 0 ? 'lt' : ours > 0 ? 'gt' : 'eq';
      const r = await host.run(['dpkg', '--compare-versions', a, op, b]);
      expect(r.code, `${a} ${op} ${b}`).toBe(0);
    }
  });
});

describe('pkgrepo states on real apt', () => {
  it('manages and removes a source entry, with a key from salt://', async () => {
    const file = join(tmp, 'sources.list.d', 'halitetest.list');
    const keyPath = join(tmp, 'keyrings', 'halitetest.asc');
    const key = '-----BEGIN PGP PUBLIC KEY BLOCK-----\nnot a real key\n-----END PGP PUBLIC KEY BLOCK-----\n';
    const files = { 'salt://keys/halitetest.asc': key };
    const args = { file, humanname: 'halite test repo', refresh: false };
    const { t, a, b } = await cycle(fn(pkgrepo, 'managed'), repo.sourceLine, args);
    expect(t.changes).toEqual({ repo: repo.sourceLine });
    expect(a.comment).toBe(`Configured package repo '${repo.sourceLine}'`);
    expect(b.comment).toBe(`Package repo '${repo.sourceLine}' already configured`);
    expect(readFileSync(file, 'utf8')).toBe(`# halite test repo\n${repo.sourceLine}\n`);

    const keyed = await cycle(fn(pkgrepo, 'managed'), repo.sourceLine, { ...args, key_url: 'salt://keys/halitetest.asc', signedby: keyPath }, files);
    const newLine = repo.sourceLine.replace('[trusted=yes]', `[trusted=yes signed-by=${keyPath}]`);
    expect(keyed.t.changes).toEqual({ key: keyPath, line: { old: repo.sourceLine, new: newLine } });
    expect(readFileSync(keyPath, 'utf8')).toBe(key);

    const gone = await cycle(fn(pkgrepo, 'absent'), repo.sourceLine, { file });
    expect(gone.t.changes).toEqual({ repo: repo.sourceLine });
    expect(gone.b.comment).toBe(`Package repo ${repo.sourceLine} is absent`);
    expect(existsSync(file)).toBe(false);
  });

  it('refreshes the package lists after a change (apt-get update with the private options)', async () => {
    const file = join(tmp, 'refresh.list');
    const before = host.calls.length;
    const r = await fn(pkgrepo, 'managed')(ctxFor(false), repo.sourceLine, { file });
    expect(r.result, r.comment).toBe(true);
    const update = host.calls.slice(before).find((c) => c[0] === 'apt-get' && c.at(-1) === 'update');
    expect(update).toEqual(expect.arrayContaining(repo.aptOptions));
  });
});

// Keep the StateResult import used for readers of cycle()'s return type.
export type { StateResult };
