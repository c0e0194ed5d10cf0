import { describe, expect, it } from 'vitest';
import { pkgExec, pkgrepo } from '../../../../states/pkg/index.js';
import { makeCtx } from '../../../e2e/pkg/ctx.js';
import { ScriptedHost } from './fakehost.js';

const debian = { os_family: 'Debian' };

describe('pkgrepo with a scripted host', () => {
  it('edits the entry where it already is (sources.list) and refreshes', async () => {
    const host = new ScriptedHost((argv) => (argv[0] === 'apt-get' ? { stdout: 'Reading package lists...\n' } : undefined));
    host.files.set('/etc/apt/sources.list', Buffer.from('deb http://deb.example/debian bookworm main\n'));
    const name = 'deb http://deb.example/debian bookworm main contrib';
    const t = await pkgrepo.functions.managed.fn(makeCtx(host, { test: true, grains: debian }), name, {});
    expect(t).toMatchObject({ result: null, changes: { line: { old: 'deb http://deb.example/debian bookworm main', new: name } } });
    expect(host.calls).toEqual([]);
    const a = await pkgrepo.functions.managed.fn(makeCtx(host, { grains: debian }), name, {});
    expect(a).toMatchObject({ result: true, comment: `Configured package repo '${name}'` });
    expect(host.files.get('/etc/apt/sources.list')!.toString()).toBe(`${name}\n`);
    expect(host.calls.map((c) => c.at(-1))).toEqual(['update']);
  });

  it('absent keeps an emptied sources.list', async () => {
    const host = new ScriptedHost(() => undefined);
    host.files.set('/etc/apt/sources.list', Buffer.from('deb file:/r ./\n'));
    const r = await pkgrepo.functions.absent.fn(makeCtx(host, { grains: debian }), 'deb file:/r ./', {});
    expect(r).toMatchObject({ result: true, comment: 'Removed repo deb file:/r ./', changes: { repo: 'deb file:/r ./' } });
    expect(host.files.get('/etc/apt/sources.list')!.toString()).toBe('');
  });

  it.each([
    [{ os_family: 'RedHat', pkg_manager: 'dnf' }, 'deb file:/r ./', /only apt sources are supported \(this host uses dnf\)/],
    [debian, 'http://not-a-deb-line', /is not a one-line apt source/],
  ])('fails clearly (%j, %s)', async (grains, name, re) => {
    const r = await pkgrepo.functions.managed.fn(makeCtx(new ScriptedHost(() => undefined), { grains }), name, { file: '/x.list' });
    expect(r.result).toBe(false);
    expect(r.comment).toMatch(re);
  });

  it('reports a missing salt:// key', async () => {
    const r = await pkgrepo.functions.managed.fn(makeCtx(new ScriptedHost(() => undefined), { grains: debian }), 'deb file:/r ./', {
      file: '/x.list',
      key_url: 'salt://nope.asc',
    });
    expect(r).toMatchObject({ result: false, comment: "Failed to configure repo 'deb file:/r ./': key_url salt://nope.asc not found in file_roots" });
  });
});

describe('pkg execution functions usable from Jinja (sync)', () => {
  const host = new ScriptedHost((argv) =>
    argv[0] === 'sh' ? { stdout: 'amd64\nvim\t2:9.0.1378-2\tii \tamd64\nold\t1.0\trc \tall\n' } : undefined,
  );
  const ctx = makeCtx(host, { grains: debian });
  it('version and list_pkgs', () => {
    expect(pkgExec.functions.version!.sync!(ctx, ['vim'], {})).toBe('2:9.0.1378-2');
    expect(pkgExec.functions.version!.sync!(ctx, ['vim', 'old'], {})).toEqual({ vim: '2:9.0.1378-2', old: '' });
    expect(pkgExec.functions.list_pkgs!.sync!(ctx, [], {})).toEqual({ vim: '2:9.0.1378-2' });
  });
  it('version_cmp', () => {
    expect(pkgExec.functions.version_cmp!.sync!(ctx, ['1.0~rc1', '1.0'], {})).toBe(-1);
  });
  it('rejects malformed names', () => {
    expect(() => pkgExec.functions.version!.sync!(ctx, ['-rf'], {})).toThrow(/invalid package name/);
  });
});
