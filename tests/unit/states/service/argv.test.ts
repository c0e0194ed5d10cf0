import { describe, expect, it } from 'vitest';
import { showArgv, systemctlArgv } from '../../../../states/service/systemd.js';
import { bootLinkArgvs, serviceArgv } from '../../../../states/service/sysv.js';

describe('systemctl command lines', () => {
  it.each<[string, string | null, object, string[], string[]]>([
    ['start', 'nginx', {}, [], ['systemctl', 'start', '--', 'nginx.service']],
    ['stop', 'nginx.service', { noBlock: true }, [], ['systemctl', '--no-block', 'stop', '--', 'nginx.service']],
    ['enable', 'demo', { root: '/srv/img' }, [], ['systemctl', '--root=/srv/img', 'enable', '--', 'demo.service']],
    ['enable', 'demo', { noBlock: true }, [], ['systemctl', 'enable', '--', 'demo.service']],
    ['is-enabled', 'fstrim.timer', {}, [], ['systemctl', 'is-enabled', '--', 'fstrim.timer']],
    ['list-unit-files', null, { root: '/r' }, ['--no-legend'], ['systemctl', '--root=/r', 'list-unit-files', '--no-legend']],
  ])('%s %s %j', (verb, name, o, extra, want) => {
    expect(systemctlArgv(verb, name, o, extra)).toEqual(want);
  });
  it('show', () => {
    expect(showArgv('cron')).toEqual(['systemctl', 'show', '-p', 'LoadState,ActiveState,SubState,UnitFileState', '--', 'cron.service']);
  });
  it.each(['start', 'stop', 'restart', 'reload', 'show', 'is-active'])('%s refuses --root', (verb) => {
    expect(() => systemctlArgv(verb, 'x', { root: '/r' })).toThrow(/cannot be used with root=\/r/);
  });
});

describe('sysvinit command lines', () => {
  it('service NAME ACTION', () => {
    expect(serviceArgv('cron', 'status')).toEqual(['service', 'cron', 'status']);
    expect(serviceArgv('cron', '--full-restart')).toEqual(['service', 'cron', '--full-restart']);
    expect(() => serviceArgv('../x', 'start')).toThrow(/invalid service name/);
    expect(() => serviceArgv('--status-all', 'start')).toThrow(/invalid service name/);
  });
  it.each<['update-rc.d' | 'chkconfig', boolean, boolean, string[][]]>([
    ['update-rc.d', true, true, [['update-rc.d', 'cron', 'enable']]],
    ['update-rc.d', true, false, [['update-rc.d', 'cron', 'defaults'], ['update-rc.d', 'cron', 'enable']]],
    ['update-rc.d', false, true, [['update-rc.d', 'cron', 'disable']]],
    ['update-rc.d', false, false, [['update-rc.d', 'cron', 'defaults'], ['update-rc.d', 'cron', 'disable']]],
    ['chkconfig', true, true, [['chkconfig', 'cron', 'on']]],
    ['chkconfig', false, false, [['chkconfig', '--add', 'cron'], ['chkconfig', 'cron', 'off']]],
  ])('%s on=%s registered=%s', (tool, on, registered, want) => {
    expect(bootLinkArgvs(tool, 'cron', on, registered)).toEqual(want);
  });
});
