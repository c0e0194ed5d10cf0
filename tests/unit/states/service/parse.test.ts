import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  canonicalUnit,
  chkconfigEnabled,
  initdServices,
  lsbRunning,
  parseChkconfig,
  parseIsEnabled,
  parseShow,
  parseUnitList,
  rcEnabled,
  rcLinks,
  rcUnregistered,
  serviceNameOf,
  unitExists,
  unitRunning,
  unitTransient,
  validServiceName,
} from '../../../../states/service/parse.js';

const fx = (f: string) => readFileSync(new URL(`../../../fixtures/service/${f}`, import.meta.url), 'utf8');

describe('canonicalUnit / serviceNameOf', () => {
  it.each([
    ['cron', 'cron.service'],
    ['cron.service', 'cron.service'],
    ['getty@tty1', 'getty@tty1.service'],
    ['fstrim.timer', 'fstrim.timer'],
    ['dbus.socket', 'dbus.socket'],
    ['hwclock.sh', 'hwclock.sh.service'],
    ['php8.2-fpm', 'php8.2-fpm.service'],
  ])('%s → %s', (name, unit) => {
    expect(canonicalUnit(name)).toBe(unit);
  });
  it.each([
    ['cron.service', 'cron'],
    ['fstrim.timer', 'fstrim.timer'],
  ])('serviceNameOf(%s) = %s', (u, n) => expect(serviceNameOf(u)).toBe(n));
});

describe('parseShow (systemctl show -p LoadState,ActiveState,SubState,UnitFileState)', () => {
  it.each([
    ['show-active.txt', { exists: true, running: true, transient: false, unitFileState: 'enabled' }],
    ['show-inactive.txt', { exists: true, running: false, transient: false, unitFileState: 'disabled' }],
    ['show-not-found.txt', { exists: false, running: false, transient: false, unitFileState: '' }],
    ['show-masked.txt', { exists: true, running: false, transient: false, unitFileState: 'masked' }],
    ['show-activating.txt', { exists: true, running: false, transient: true, unitFileState: 'enabled' }],
    ['nspawn-show-active.txt', { exists: true, running: true, transient: false, unitFileState: 'disabled' }],
    ['nspawn-show-inactive.txt', { exists: true, running: false, transient: false, unitFileState: 'disabled' }],
    ['nspawn-show-not-found.txt', { exists: false, running: false, transient: false, unitFileState: '' }],
    ['nspawn-show-masked.txt', { exists: true, running: false, transient: false, unitFileState: 'masked' }],
  ])('%s', (file, want) => {
    const s = parseShow(fx(file));
    expect({
      exists: unitExists(s),
      running: unitRunning(s),
      transient: unitTransient(s),
      unitFileState: s.unitFileState,
    }).toEqual(want);
  });
  it('missing keys are empty; garbage lines ignored', () => {
    expect(parseShow('junk\n=x\nActiveState=active\n')).toEqual({
      loadState: '',
      activeState: 'active',
      subState: '',
      unitFileState: '',
    });
    expect(unitExists(parseShow(''))).toBe(false);
  });
});

describe('parseIsEnabled (recorded systemctl --root=DIR is-enabled)', () => {
  it.each([
    ['is-enabled-enabled.txt', 0, 'enabled', true],
    ['is-enabled-demo.txt', 1, 'disabled', false],
    ['is-enabled-static.txt', 0, 'static', true],
    ['is-enabled-masked.txt', 1, 'masked', false],
    ['is-enabled-nope.txt', 1, 'not-found', false],
  ])('%s (exit %i) → %s', (file, code, state, enabled) => {
    expect(parseIsEnabled(fx(file), code)).toEqual({ state, enabled });
  });
});

describe('parseUnitList', () => {
  it('list-unit-files (recorded, --root)', () => {
    expect(parseUnitList(fx('systemctl-root-list-unit-files.txt'))).toEqual([
      'demo.service',
      'static.service',
      'worker@.service',
      'demo.timer',
    ]);
  });
  it('list-units --all (recorded in the nspawn host): names only, not-found ones included', () => {
    const names = parseUnitList(fx('nspawn-list-units-all.txt'));
    expect(names).toContain('halite-demo.service');
    expect(names).toContain('auditd.service');
    expect(names).toContain('getty@tty1.service');
    expect(names.every((u) => u.endsWith('.service'))).toBe(true);
  });
  it('list-units --all with the ● marker for failed/not-found units', () => {
    expect(parseUnitList(fx('list-units-all.txt'))).toEqual([
      'cron.service',
      'dbus.service',
      'nope.service',
      'ssh.service',
      'systemd-journald.service',
    ]);
  });
});

describe('sysvinit rc links', () => {
  const host = JSON.parse(fx('rc-listing-host.json')) as Record<string, string[]>;
  it.each([
    ['dbus', true, false, { '2': 'S', '3': 'S', '4': 'S', '5': 'S' }],
    ['postgresql', true, false, { '0': 'K', '1': 'K', '2': 'S', '3': 'S', '4': 'S', '5': 'S', '6': 'K' }],
    ['hwclock.sh', false, false, { S: 'S', '0': 'K', '6': 'K' }],
    ['cron', false, true, {}],
    ['dbu', false, true, {}],
  ])('%s on the recorded host listing: enabled=%s unregistered=%s', (name, en, unreg, byLevel) => {
    const l = rcLinks(host, name);
    expect(l.byLevel).toEqual(byLevel);
    expect(rcEnabled(l)).toBe(en);
    expect(rcUnregistered(l)).toBe(unreg);
  });
  it('after update-rc.d disable (K links in 2-5) it is disabled but registered', () => {
    const l = rcLinks({ '1': ['K01cron'], '2': ['K01cron'], '3': ['K01cron'], '4': ['K01cron'], '5': ['K01cron'] }, 'cron');
    expect(rcEnabled(l)).toBe(false);
    expect(rcUnregistered(l)).toBe(false);
  });
  it('names with regex characters match literally', () => {
    expect(rcEnabled(rcLinks({ '2': ['S01a.b+c'] }, 'a.b+c'))).toBe(true);
    expect(rcEnabled(rcLinks({ '2': ['S01aXb+c'] }, 'a.b+c'))).toBe(false);
  });
});

describe('chkconfig --list', () => {
  it.each([
    ['chkconfig-list-crond.txt', 'crond', true],
    ['chkconfig-list-off.txt', 'netconsole', false],
  ])('%s', (file, name, en) => {
    const levels = parseChkconfig(fx(file), name);
    expect(levels?.['0']).toBe(false);
    expect(chkconfigEnabled(levels)).toBe(en);
  });
  it('service not listed → null, not enabled', () => {
    expect(parseChkconfig(fx('chkconfig-list-crond.txt'), 'httpd')).toBeNull();
    expect(chkconfigEnabled(null)).toBe(false);
  });
});

describe('misc', () => {
  it('initdServices drops helper files and dpkg leftovers', () => {
    const got = initdServices(fx('initd-listing-host.txt').split('\n').filter(Boolean));
    expect(got).toEqual(['dbus', 'hwclock.sh', 'postgresql', 'procps', 'x11-common']);
  });
  it.each([
    [0, true],
    [1, false],
    [3, false],
    [4, false],
  ])('LSB status %i → running %s', (code, r) => expect(lsbRunning(code)).toBe(r));
  it.each([
    ['cron', true],
    ['getty@tty1', true],
    ['', false],
    ['../etc/passwd', false],
    ['--help', false],
    ['a\nb', false],
  ])('validServiceName(%j) = %s', (n, ok) => expect(validServiceName(n)).toBe(ok));
});
