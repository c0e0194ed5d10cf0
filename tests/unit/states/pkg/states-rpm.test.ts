/**
 * The state logic over the dnf and zypper backends with a scripted host that answers like dnf/zypper would
 * (documented formats). The same logic runs for real against apt in tests/e2e/pkg/apt.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Dict } from '../../../../engine/types.js';
import { pkg } from '../../../../states/pkg/index.js';
import { makeCtx } from '../../../e2e/pkg/ctx.js';
import { ScriptedHost } from './fakehost.js';

type Db = Record<string, string>;
const rpmQa = (db: Db): string =>
  'x86_64\n' + Object.entries(db).map(([n, v]) => `${n}\t(none)\t${v.split('-')[0]}\t${v.split('-')[1]}\tx86_64`).join('\n') + '\n';

const AVAIL: Record<string, string[]> = { tree: ['1.8.0-10.el9', '1.7.0-1.el9'], nginx: ['1.20.1-16.el9'] };

/** A tiny dnf: knows AVAIL, keeps an installed db, records commands. */
function dnfHost(db: Db): ScriptedHost {
  return new ScriptedHost((argv) => {
    if (argv[0] === 'sh') return { stdout: rpmQa(db) };
    if (argv[0] !== 'dnf') return undefined;
    if (argv.includes('versionlock')) return { stdout: '' };
    if (argv.includes('list')) {
      const names = argv.slice(argv.indexOf('available') + 1).filter((n) => AVAIL[n]);
      if (!names.length) return { code: 1, stderr: 'Error: No matching Packages to list\n' };
      return { stdout: 'Available Packages\n' + names.flatMap((n) => AVAIL[n]!.map((v) => `${n}.x86_64  ${v}  baseos`)).join('\n') + '\n' };
    }
    const verb = argv.find((a) => ['install', 'remove'].includes(a))!;
    const targets = argv.slice(argv.indexOf(verb) + 1).map((t) => {
      const m = /^(.+?)-(\d.*)$/.exec(t);
      return m ? { n: m[1]!, v: m[2]! } : { n: t, v: AVAIL[t]?.[0] ?? '' };
    });
    if (argv.includes('--assumeno')) {
      const rows = targets.map((t) => ` ${t.n}  x86_64  ${verb === 'remove' ? db[t.n] : t.v}  baseos  10 k`).join('\n');
      const head = verb === 'remove' ? 'Removing:' : 'Installing:';
      return { code: 1, stdout: `Dependencies resolved.\n=====\n${head}\n${rows}\n\nTransaction Summary\n=====\nOperation aborted.\n` };
    }
    for (const t of targets) {
      if (verb === 'remove') delete db[t.n];
      else db[t.n] = t.v.includes('-') ? t.v : (AVAIL[t.n] ?? []).find((v) => v.startsWith(t.v)) ?? t.v;
    }
    return { stdout: 'Complete!\n' };
  });
}

const grains = { os_family: 'RedHat', pkg_manager: 'dnf' };
const run = (host: ScriptedHost, test: boolean, f: string, name: string, args: Dict) =>
  (pkg.functions as Record<string, { fn: (c: ReturnType<typeof makeCtx>, n: string, a: Dict) => Promise<unknown> }>)[f]!.fn(
    makeCtx(host, { test, grains }),
    name,
    args,
  ) as Promise<{ result: boolean | null; comment: string; changes: Dict }>;

describe('pkg states over dnf (scripted host)', () => {
  it('installed: test predicts, apply installs in one transaction, re-apply is a no-op', async () => {
    const db: Db = { bash: '5.1.8-9.el9' };
    const host = dnfHost(db);
    const t = await run(host, true, 'installed', 'x', { pkgs: [{ tree: '1.7.0' }, 'nginx'] });
    expect(t).toMatchObject({ result: null, comment: 'The following packages would be installed/updated: tree, nginx' });
    expect(t.changes).toEqual({ nginx: { old: '', new: '1.20.1-16.el9' }, tree: { old: '', new: '1.7.0-1.el9' } });
    expect(host.calls.some((c) => c[0] === 'dnf' && c.includes('-y'))).toBe(false);
    const a = await run(host, false, 'installed', 'x', { pkgs: [{ tree: '1.7.0' }, 'nginx'] });
    expect(a.result).toBe(true);
    expect(a.changes).toEqual(t.changes);
    expect(host.calls.filter((c) => c[0] === 'dnf' && c.includes('-y'))).toEqual([['dnf', '-y', 'install', 'tree-1.7.0-1.el9', 'nginx']]);
    const b = await run(host, false, 'installed', 'x', { pkgs: [{ tree: '1.7.0' }, 'nginx'] });
    expect(b).toMatchObject({ result: true, changes: {}, comment: 'All specified packages are already installed and are at the desired version' });
  });

  it('latest upgrades to the newest available version', async () => {
    const host = dnfHost({ tree: '1.7.0-1.el9' });
    const t = await run(host, true, 'latest', 'tree', {});
    expect(t).toMatchObject({ result: null, changes: { tree: { old: '1.7.0-1.el9', new: '1.8.0-10.el9' } } });
    const a = await run(host, false, 'latest', 'tree', {});
    expect(a).toMatchObject({ result: true, comment: 'The following packages were successfully installed/upgraded: tree' });
  });

  it('removed: prediction equals the change', async () => {
    const host = dnfHost({ tree: '1.7.0-1.el9' });
    const t = await run(host, true, 'removed', 'tree', {});
    expect(t).toMatchObject({ result: null, comment: 'The following packages will be removed: tree.', changes: { tree: { old: '1.7.0-1.el9', new: '' } } });
    const a = await run(host, false, 'removed', 'tree', {});
    expect(a.changes).toEqual(t.changes);
  });

  it.each([
    ['unknown package', { name: 'nosuch' }, /were not found.*: nosuch/],
    ['unavailable version', { name: 'tree', version: '9' }, /No version of package 'tree' matching '9'/],
    ['malformed pkgs', { pkgs: 'tree' }, /Invalidly formatted 'pkgs' parameter/],
    ['malformed version spec', { name: 'tree', version: '>=' }, /Invalid version specification/],
  ])('fails cleanly: %s', async (_t, args, re) => {
    const host = dnfHost({});
    const { name, ...rest } = args as Dict;
    const r = await run(host, false, 'installed', String(name ?? 'x'), rest);
    expect(r.result).toBe(false);
    expect(r.comment).toMatch(re);
    expect(r.changes).toEqual({});
  });

  it('reports a failed transaction with the tool output', async () => {
    const host = new ScriptedHost((argv) => {
      if (argv[0] === 'sh') return { stdout: 'x86_64\n' };
      if (argv.includes('versionlock')) return { stdout: '' };
      if (argv.includes('list')) return { stdout: 'tree.x86_64  1.8.0-10.el9  baseos\n' };
      if (argv.includes('--assumeno')) return { code: 1, stdout: 'Installing:\n tree x86_64 1.8.0-10.el9 baseos 1 k\nTransaction Summary\n' };
      return { code: 1, stderr: 'Error: GPG check FAILED\n' };
    });
    const r = await run(host, false, 'installed', 'tree', {});
    expect(r).toMatchObject({ result: false, comment: 'An error was encountered while installing package(s): Error: GPG check FAILED' });
  });

  it('empty pkgs list', async () => {
    const r = await run(dnfHost({}), false, 'installed', 'x', { pkgs: [] });
    expect(r).toMatchObject({ result: true, comment: 'No packages to install provided' });
  });
});

describe('pkg.purged over zypper (scripted host)', () => {
  it('removes with one zypper call and reports changes', async () => {
    const db: Db = { tree: '1.7.0-3.5' };
    const host = new ScriptedHost((argv) => {
      if (argv[0] === 'sh') return { stdout: rpmQa(db) };
      if (argv[0] === 'cat') return { code: 1 };
      if (argv.includes('--dry-run')) {
        return { stdout: '<stream><install-summary><to-remove><solvable type="package" name="tree" edition="1.7.0-3.5" arch="x86_64"/></to-remove></install-summary></stream>' };
      }
      if (argv.includes('remove')) {
        delete db.tree;
        return { code: 0 };
      }
      return undefined;
    });
    const ctx = (test: boolean) => makeCtx(host, { test, grains: { os_family: 'Suse' } });
    const purged = pkg.functions.purged.fn;
    const t = await purged(ctx(true), 'tree', {});
    expect(t.changes).toEqual({ removed: {}, installed: { tree: { old: '1.7.0-3.5', new: '' } } });
    const a = await purged(ctx(false), 'tree', {});
    expect(a).toMatchObject({ result: true, comment: 'All targeted packages were purged.', changes: t.changes });
    expect(host.calls.filter((c) => c[0] === 'zypper' && !c.includes('--dry-run'))).toEqual([['zypper', '--non-interactive', 'remove', 'tree']]);
  });
});
