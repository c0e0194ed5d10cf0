import { describe, expect, it } from 'vitest';
import { AptBackend } from '../../../../states/pkg/apt/backend.js';
import { DnfBackend } from '../../../../states/pkg/rpm/backend.js';
import { backendFromConfig, makeBackend, selectBackend } from '../../../../states/pkg/select.js';
import { ZypperBackend } from '../../../../states/pkg/zypper/backend.js';
import type { InstallRequest } from '../../../../states/pkg/types.js';
import { ScriptedHost } from './fakehost.js';

const extra = ['-o', 'Dir::Etc::SourceList=/t/s.list', '-o', 'Dir::Etc::SourceParts=-'];
const req: InstallRequest = { targets: [{ name: 'a', version: '1.0' }, { name: 'b' }], downgrade: true, changeHeld: true, fromrepo: 'bookworm-backports' };

describe('apt command lines', () => {
  const be = new AptBackend({ aptOptions: extra, lockTimeout: 30 });
  it('install: one transaction, non-interactive, confold, extra options, flags', () => {
    const c = be.install(req);
    expect(c.argv).toEqual([
      'apt-get', '-q', '-y', '-o', 'DPkg::Lock::Timeout=30', ...extra,
      '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold',
      '--allow-downgrades', '--allow-change-held-packages', '-t', 'bookworm-backports', 'install', 'a=1.0', 'b',
    ]);
    expect(c.env).toMatchObject({ DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' });
  });
  it('simulation is the same command with -s', () => {
    const sim = be.simulateInstall(req, { installed: {}, removed: {}, held: [] }).argv;
    expect(sim.filter((x) => x !== '-s')).toEqual(be.install(req).argv);
    expect(sim).toContain('-s');
  });
  it('every apt command carries the extra options', () => {
    for (const argv of [be.info(['a']).argv, be.refresh().argv, be.remove(['a'], true).argv, be.hold(['a']).argv]) {
      expect(argv.join(' ')).toContain(extra.join(' '));
    }
    expect(be.remove(['a'], true).argv.at(-2)).toBe('purge');
    expect(be.hold(['a', 'b']).argv.slice(-3)).toEqual(['hold', 'a', 'b']);
  });
});

describe('dnf / yum / zypper command lines (documented syntax)', () => {
  it('dnf', () => {
    const be = new DnfBackend('dnf');
    expect(be.install(req).argv).toEqual([
      'dnf', '-y', '--disablerepo=*', '--enablerepo=bookworm-backports', '--disableplugin=versionlock', 'install', 'a-1.0', 'b',
    ]);
    expect(be.simulateInstall({ targets: [{ name: 'a' }] }, { installed: {}, removed: {}, held: [] }).argv).toEqual(['dnf', '--assumeno', 'install', 'a']);
    expect(be.remove(['a'], true).argv).toEqual(['dnf', '-y', 'remove', 'a']);
    expect(be.hold(['a']).argv).toEqual(['dnf', '-q', 'versionlock', 'add', 'a']);
    expect(be.info(['a']).argv).toEqual(['dnf', '-q', 'list', '--showduplicates', 'available', 'a']);
  });
  it('yum downgrades with the downgrade command', () => {
    expect(new DnfBackend('yum').install({ targets: [{ name: 'a', version: '1.0' }], downgrade: true }).argv).toEqual(['yum', '-y', 'downgrade', 'a-1.0']);
  });
  it('zypper', () => {
    const be = new ZypperBackend();
    const c = be.install(req);
    expect(c.argv).toEqual([
      'zypper', '--non-interactive', 'install', '--auto-agree-with-licenses', '--oldpackage', '--from', 'bookworm-backports', 'a=1.0', 'b',
    ]);
    expect(c.ok).toContain(102);
    expect(be.simulateRemove(['a'], false, { installed: {}, removed: {}, held: [] }).argv).toEqual([
      'zypper', '--non-interactive', '--xmlout', 'remove', '--dry-run', 'a',
    ]);
    expect(be.hold(['a']).argv).toEqual(['zypper', '--non-interactive', 'addlock', 'a']);
  });
});

describe('backend selection', () => {
  it.each([
    [{ providers: { pkg: 'yumpkg' } }, { os_family: 'Debian' }, 'yum'],
    [{}, { pkg_manager: 'zypper' }, 'zypper'],
    [{}, { os_family: 'Debian' }, 'apt'],
    [{}, { os_family: 'RedHat' }, 'rpm'],
    [{}, { os_family: 'Suse' }, 'zypper'],
    [{}, {}, null],
  ])('opts %j grains %j → %s', (opts, grains, want) => {
    expect(backendFromConfig(opts, grains)).toBe(want);
  });
  it('probes the host when config and grains do not say', async () => {
    const host = new ScriptedHost((argv) => (argv[0] === 'sh' ? { stdout: 'dnf\n' } : undefined));
    const be = await selectBackend({ host, opts: {}, grains: { os_family: 'RedHat' } });
    expect(be.name).toBe('dnf');
    const none = new ScriptedHost(() => ({ code: 1 }));
    await expect(selectBackend({ host: none, opts: {}, grains: {} })).rejects.toThrow(/no supported package manager/);
  });
  it('rejects apt_options that are not a list of strings', () => {
    expect(() => makeBackend('apt', { apt_options: '-o x' })).toThrow(/apt_options/);
  });
});
