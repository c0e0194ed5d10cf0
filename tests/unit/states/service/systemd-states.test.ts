/**
 * The service states over the systemd backend, against FakeSystemd (recorded-style systemctl answers):
 * which systemctl command lines run, that test mode runs none that mutate, and Salt's results/comments.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../../../engine/host/types.js';
import type { Dict, StateResult } from '../../../../engine/types.js';
import { detectInit } from '../../../../states/service/backend.js';
import { serviceExec, serviceState } from '../../../../states/service/index.js';
import { makeCtx } from './ctx.js';
import { FakeSystemd, type FakeUnit } from './fakesystemd.js';

function setup(units: Record<string, FakeUnit>) {
  const fake = new FakeSystemd(units);
  const host = fake as unknown as Host;
  const grains = { init: 'systemd' };
  const state = (fun: string, name: string, args: Dict = {}, test = false): Promise<StateResult> =>
    serviceState.functions[fun]!.fn(makeCtx(host, { test, fun, name, grains }), name, args);
  const watch = (name: string, args: Dict, test = false): Promise<StateResult> =>
    serviceState.mod_watch!(makeCtx(host, { test, name, grains }), name, args);
  return { fake, host, grains, state, watch };
}

describe('service.running on systemd', () => {
  it('starts and enables with the expected systemctl calls', async () => {
    const t = setup({ nginx: {} });
    const r = await t.state('running', 'nginx', { enable: true });
    expect(r).toEqual({ name: 'nginx', result: true, comment: 'Service nginx has been enabled, and is running', changes: { nginx: true } });
    expect(t.fake.mutations()).toEqual([
      ['systemctl', 'start', '--', 'nginx.service'],
      ['systemctl', 'enable', '--', 'nginx.service'],
    ]);
    expect(t.fake.calls[0]).toEqual(['systemctl', 'show', '-p', 'LoadState,ActiveState,SubState,UnitFileState', '--', 'nginx.service']);
    expect(t.fake.calls.some((a) => a[0] === 'test')).toBe(false); // grains init: systemd → no probe
  });

  it('test mode: predicts, runs nothing that mutates', async () => {
    const t = setup({ nginx: {} });
    expect(await t.state('running', 'nginx', { enable: true }, true)).toEqual({
      name: 'nginx',
      result: null,
      comment: 'Service nginx is set to start',
      changes: { nginx: true },
    });
    const en = setup({ nginx: { active: true } });
    expect(await en.state('running', 'nginx', { enable: true }, true)).toEqual({
      name: 'nginx',
      result: null,
      comment: 'Service nginx set to be enabled',
      changes: { nginx: true },
    });
    expect([...t.fake.mutations(), ...en.fake.mutations()]).toEqual([]);
  });

  it.each<[string, FakeUnit, Dict, Partial<StateResult>, string[][]]>([
    ['already running, enable not given', { active: true }, {}, { result: true, comment: 'The service nginx is already running', changes: {} }, []],
    ['already running and enabled', { active: true, enabled: true }, { enable: true }, { result: true, comment: 'The service nginx is already running', changes: {} }, []],
    [
      'running but enabled, enable False',
      { active: true, enabled: true },
      { enable: 'False' },
      { result: true, comment: 'Service nginx has been disabled, and is in the desired state', changes: { nginx: true } },
      [['systemctl', 'disable', '--', 'nginx.service']],
    ],
    [
      'stopped and enabled',
      { enabled: true },
      { enable: true },
      { result: true, comment: 'Service nginx is already enabled, and is running', changes: { nginx: true } },
      [['systemctl', 'start', '--', 'nginx.service']],
    ],
    [
      'no_block',
      {},
      { no_block: true },
      { result: true, comment: 'Started service nginx', changes: { nginx: true } },
      [['systemctl', '--no-block', 'start', '--', 'nginx.service']],
    ],
    [
      'masked: systemctl explains',
      { masked: true },
      {},
      { result: false, comment: 'Failed to start nginx.service: Unit nginx.service is masked.', changes: {} },
      [['systemctl', 'start', '--', 'nginx.service']],
    ],
  ])('%s', async (_label, unit, args, want, mutations) => {
    const t = setup({ nginx: unit });
    expect(await t.state('running', 'nginx', args)).toEqual({ name: 'nginx', ...want });
    expect(t.fake.mutations()).toEqual(mutations);
  });

  it('start failure with enable: result False, boot setting still applied', async () => {
    const t = setup({ web: { failStart: 'Job for web.service failed because the control process exited with error code.\n' } });
    const r = await t.state('running', 'web', { enable: true });
    expect(r.result).toBe(false);
    expect(r.comment).toBe('Job for web.service failed because the control process exited with error code.');
  });

  it('unknown unit', async () => {
    const t = setup({});
    expect(await t.state('running', 'nope', {})).toEqual({
      name: 'nope',
      result: false,
      comment: 'The named service nope is not available',
      changes: {},
    });
  });

  it('systemd not booted: the error is the comment', async () => {
    const t = setup({ nginx: {} });
    t.fake.booted = false;
    const r = await t.state('running', 'nginx', {});
    expect(r.result).toBe(false);
    expect(r.comment).toMatch(/has not been booted with systemd/);
  });

  it('the "enabled" typo is caught', async () => {
    const t = setup({ nginx: {} });
    expect(await t.state('running', 'nginx', { enabled: true })).toMatchObject({
      result: false,
      comment: 'Service nginx uses non-existent option "enabled".  Perhaps "enable" option was intended?',
    });
    expect(t.fake.calls).toEqual([]);
  });
});

describe('service.dead / enabled / disabled on systemd', () => {
  it('dead with enable False stops and disables', async () => {
    const t = setup({ cups: { active: true, enabled: true } });
    expect(await t.state('dead', 'cups', { enable: false })).toEqual({
      name: 'cups',
      result: true,
      comment: 'Service cups has been disabled, and is dead',
      changes: { cups: true },
    });
    expect(t.fake.mutations()).toEqual([
      ['systemctl', 'stop', '--', 'cups.service'],
      ['systemctl', 'disable', '--', 'cups.service'],
    ]);
  });
  it('dead test mode', async () => {
    const t = setup({ cups: { active: true, enabled: true } });
    expect(await t.state('dead', 'cups', { enable: false }, true)).toEqual({
      name: 'cups',
      result: null,
      comment: 'Service cups is set to be killed',
      changes: { cups: true },
    });
    expect(t.fake.mutations()).toEqual([]);
  });
  it('enabled / disabled', async () => {
    const t = setup({ cron: {} });
    expect(await t.state('enabled', 'cron', {})).toEqual({
      name: 'cron',
      result: true,
      comment: 'Service cron has been enabled, and is in the desired state',
      changes: { cron: true },
    });
    expect(await t.state('enabled', 'cron', {})).toEqual({
      name: 'cron',
      result: true,
      comment: 'Service cron is already enabled, and is in the desired state',
      changes: {},
    });
    expect(await t.state('disabled', 'cron', {}, true)).toMatchObject({ result: null, comment: 'Service cron set to be disabled' });
    expect(await t.state('disabled', 'cron', {})).toMatchObject({ result: true, changes: { cron: true } });
    expect(await t.state('disabled', 'nope', {})).toMatchObject({ result: true, comment: 'The named service nope is not available' });
  });
});

describe('boot setting failures', () => {
  const err = 'Failed to enable unit: Unit file /etc/systemd/system/web.service is masked.\n';
  it.each<[string, FakeUnit, Dict, string]>([
    ['enabled', {}, {}, 'Failed when setting service web to start at boot, but the service was already running'],
    ['running', {}, { enable: true }, 'Failed when setting service web to start at boot, but the service is running'],
    ['running', { active: true, enabled: true }, { enable: false }, 'Failed when setting service web to not start at boot, but the service was already running'],
    ['dead', { active: true, enabled: true }, { enable: false }, 'Failed when setting service web to not start at boot, and the service is dead'],
    ['disabled', { enabled: true }, {}, 'Failed when setting service web to not start at boot, but the service was already running'],
  ])('%s %j %j', async (fun, unit, args, comment) => {
    const t = setup({ web: { ...unit, failBoot: err } });
    const r = await t.state(fun, 'web', args);
    expect(r.result).toBe(false);
    expect(r.comment).toBe(`${comment}. Additional information follows:\n\n${err.trim()}`);
  });
});

describe('service.mod_watch on systemd', () => {
  it.each<[string, FakeUnit, Dict, string, string[][]]>([
    ['restart', { active: true }, { sfun: 'running' }, 'Service restarted', [['systemctl', 'restart', '--', 'nginx.service']]],
    ['reload', { active: true }, { sfun: 'running', reload: true }, 'Service reloaded', [['systemctl', 'reload', '--', 'nginx.service']]],
    [
      'force reload',
      { active: true },
      { sfun: 'running', reload: true, force: true },
      'Service forcefully reloaded',
      [['systemctl', 'force-reload', '--', 'nginx.service']],
    ],
    // systemd has no full restart of its own: restart, as Salt does.
    ['full_restart', { active: true }, { sfun: 'running', full_restart: true }, 'Service restarted', [['systemctl', 'restart', '--', 'nginx.service']]],
    [
      'stopped → stop + start',
      {},
      { sfun: 'running', reload: true },
      'Service started',
      [
        ['systemctl', 'stop', '--', 'nginx.service'],
        ['systemctl', 'start', '--', 'nginx.service'],
      ],
    ],
    ['dead', { active: true }, { sfun: 'dead' }, 'Service stopped', [['systemctl', 'stop', '--', 'nginx.service']]],
  ])('%s', async (_l, unit, args, comment, mutations) => {
    const t = setup({ nginx: unit });
    expect(await t.watch('nginx', args)).toEqual({ name: 'nginx', result: true, comment, changes: { nginx: true } });
    expect(t.fake.mutations()).toEqual(mutations);
  });
  it('test mode and odd sfun', async () => {
    const t = setup({ nginx: { active: true } });
    expect(await t.watch('nginx', { sfun: 'running', reload: true }, true)).toEqual({
      name: 'nginx',
      result: null,
      comment: 'Service is set to be reloaded',
      changes: { nginx: true },
    });
    expect(await t.watch('nginx', { sfun: 'enabled' })).toMatchObject({ result: false, comment: 'Unable to trigger watch for service.enabled' });
    expect(await t.watch('nginx', { sfun: 'dead' }, true)).toMatchObject({ result: null, comment: 'Service is set to be stopped' });
    expect(t.fake.mutations()).toEqual([]);
  });
  it('a failing reload is result False', async () => {
    const t = setup({ nginx: { active: true } });
    const r = await t.watch('nginx', { sfun: 'running', reload: true });
    expect(r).toEqual({ name: 'nginx', result: true, comment: 'Service reloaded', changes: { nginx: true } });
    t.fake.units['nginx']!.masked = true;
    expect(await t.watch('nginx', { sfun: 'running' })).toMatchObject({
      result: false,
      comment: 'Failed to restart nginx.service: Unit nginx.service is masked.',
    });
  });
});

describe('init detection and the exec module', () => {
  it.each<[Dict, unknown, boolean, string, boolean]>([
    [{ init: 'systemd' }, undefined, true, 'systemd', false],
    [{ init: 'sysvinit' }, undefined, true, 'sysvinit', false],
    [{}, undefined, true, 'systemd', true],
    [{}, undefined, false, 'sysvinit', true],
    [{ init: 'unknown' }, undefined, false, 'sysvinit', true],
    [{ init: 'systemd' }, 'debian_service', true, 'sysvinit', false],
    [{}, 'systemd', false, 'systemd', false],
  ])('grains %j provider %s booted %s → %s (probed %s)', async (grains, provider, booted, kind, probed) => {
    const fake = new FakeSystemd({});
    fake.booted = booted;
    expect(await detectInit(fake as unknown as Host, grains, provider)).toBe(kind);
    expect(fake.calls).toEqual(probed ? [['test', '-d', '/run/systemd/system']] : []);
  });

  it('exec functions call systemctl', async () => {
    const t = setup({ cron: { active: true, enabled: true }, ssh: {} });
    const call = (fun: string, args: unknown[], kw: Dict = {}) =>
      serviceExec.functions[fun]!.fn(makeCtx(t.host, { grains: t.grains }), args, kw);
    expect(await call('status', ['cron'])).toBe(true);
    expect(await call('status', ['ssh'])).toBe(false);
    expect(await call('status', ['ssh', 'present-process'])).toBe(true);
    expect(await call('enabled', ['cron'])).toBe(true);
    expect(await call('available', ['nope'])).toBe(false);
    expect(await call('get_all', [])).toEqual(['cron', 'ssh']);
    expect(await call('restart', [], { name: 'ssh', no_block: true })).toBe(true);
    await expect(call('start', ['nope'])).rejects.toThrow('Failed to start nope.service: Unit nope.service not found.');
    const sync = (fun: string, args: unknown[]) =>
      serviceExec.functions[fun]!.sync!(makeCtx(t.host, { grains: t.grains }), args, {});
    expect([sync('status', ['cron']), sync('status', ['ssh', 'present-process']), sync('enabled', ['cron'])]).toEqual([true, true, true]);
    expect([sync('available', ['nope']), sync('missing', ['nope']), sync('disabled', ['cron'])]).toEqual([false, true, false]);
    expect(t.fake.mutations()).toEqual([
      ['systemctl', '--no-block', 'restart', '--', 'ssh.service'],
      ['systemctl', 'start', '--', 'nope.service'],
    ]);
  });
});
