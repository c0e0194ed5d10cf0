/**
 * The service states and exec functions against a real, booted systemd (tests/helpers/nspawn.ts), with the
 * backend chosen by detection (no grains: the probe of /run/systemd/system runs inside the container).
 * Run: npx vitest run -c tests/e2e/service/vitest.nspawn.config.ts
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dict, StateResult } from '../../../engine/types.js';
import { serviceExec, serviceState } from '../../../states/service/index.js';
import { bootNspawn, type NspawnMachine } from '../../helpers/nspawn.js';
import { makeCtx } from '../../unit/states/service/ctx.js';

const n = 'halite-demo';
const UNIT = `[Unit]
Description=halite demo
[Service]
ExecStart=/bin/sleep infinity
ExecReload=/bin/sh -c 'date +%%s%%N >> /var/lib/halite-demo.reloads'
[Install]
WantedBy=multi-user.target
`;
let m: NspawnMachine;

beforeAll(async () => {
  m = await bootNspawn({ setup: (root) => writeFileSync(`${root}/usr/lib/systemd/system/${n}.service`, UNIT) });
});
afterAll(async () => m?.stop());

async function sh(...argv: string[]): Promise<string> {
  return (await m.host.run(argv)).stdout.trim();
}
const mainPid = () => sh('systemctl', 'show', '-p', 'MainPID', '--value', `${n}.service`);
const reloads = async () => (await sh('sh', '-c', `cat /var/lib/${n}.reloads 2>/dev/null || true`)).split('\n').filter(Boolean).length;
function state(fun: string, args: Dict = {}, test = false): Promise<StateResult> {
  return serviceState.functions[fun]!.fn(makeCtx(m.host, { test, fun, name: n }), n, args);
}
function watch(sfun: string, args: Dict = {}, test = false): Promise<StateResult> {
  return serviceState.mod_watch!(makeCtx(m.host, { test, name: n }), n, { ...args, sfun });
}

describe('service states on a booted systemd (nspawn)', () => {
  it('running with enable: test mode predicts, apply starts and enables, second apply no changes', async () => {
    expect(await state('running', { enable: true }, true)).toEqual({
      name: n,
      result: null,
      comment: `Service ${n} is set to start`,
      changes: { [n]: true },
    });
    expect(await sh('systemctl', 'is-active', n)).toBe('inactive');
    expect(await state('running', { enable: true })).toEqual({
      name: n,
      result: true,
      comment: `Service ${n} has been enabled, and is running`,
      changes: { [n]: true },
    });
    expect(await sh('systemctl', 'is-active', n)).toBe('active');
    expect(await sh('systemctl', 'is-enabled', n)).toBe('enabled');
    expect(await state('running', { enable: true })).toEqual({ name: n, result: true, comment: `The service ${n} is already running`, changes: {} });
  });

  it('mod_watch restarts (new MainPID) or reloads (same MainPID, ExecReload ran)', async () => {
    const p0 = await mainPid();
    expect(await watch('running', {}, true)).toMatchObject({ result: null, comment: 'Service is set to be restarted' });
    expect(await mainPid()).toBe(p0);
    expect(await watch('running')).toEqual({ name: n, result: true, comment: 'Service restarted', changes: { [n]: true } });
    const p1 = await mainPid();
    expect(p1).not.toBe(p0);
    expect(await watch('running', { reload: true })).toEqual({ name: n, result: true, comment: 'Service reloaded', changes: { [n]: true } });
    expect(await mainPid()).toBe(p1);
    expect(await reloads()).toBe(1);
  });

  it('dead with enable False stops and disables', async () => {
    expect(await state('dead', { enable: false }, true)).toMatchObject({ result: null, comment: `Service ${n} is set to be killed` });
    expect(await sh('systemctl', 'is-active', n)).toBe('active');
    expect(await state('dead', { enable: false })).toEqual({
      name: n,
      result: true,
      comment: `Service ${n} has been disabled, and is dead`,
      changes: { [n]: true },
    });
    expect(await sh('systemctl', 'is-active', n)).toBe('inactive');
    expect(await sh('systemctl', 'is-enabled', n)).toBe('disabled');
    expect(await state('dead', { enable: false })).toEqual({ name: n, result: true, comment: `The service ${n} is already dead`, changes: {} });
  });

  it('runtime mask via service.masked; start then fails with systemd\'s message', async () => {
    expect(await state('masked', { runtime: true })).toEqual({
      name: n,
      result: true,
      comment: `Service ${n} was runtime masked`,
      changes: { 'runtime masked': { old: false, new: true } },
    });
    expect(await sh('systemctl', 'is-enabled', n)).toBe('masked-runtime');
    expect(await state('masked')).toMatchObject({ result: true, comment: `Service ${n} was masked` });
    try {
      expect(await state('running')).toEqual({
        name: n,
        result: false,
        comment: `Failed to start ${n}.service: Unit ${n}.service is masked.`,
        changes: {},
      });
    } finally {
      expect(await state('unmasked', { runtime: true })).toMatchObject({ result: true, comment: `Service ${n} was runtime unmasked` });
      expect(await state('unmasked')).toMatchObject({ result: true, comment: `Service ${n} was unmasked` });
    }
    expect(await sh('systemctl', 'is-enabled', n)).toBe('disabled');
  });

  it('unknown units, and the exec module', async () => {
    expect(await serviceState.functions['running']!.fn(makeCtx(m.host), 'nope', {})).toMatchObject({
      result: false,
      comment: 'The named service nope is not available',
    });
    const call = (fun: string, args: unknown[] = [n]) => serviceExec.functions[fun]!.fn(makeCtx(m.host), args, {});
    expect(await call('get_all', [])).toEqual(expect.arrayContaining([n, 'dbus', 'systemd-journald']));
    expect(await call('available')).toBe(true);
    expect(await call('start')).toBe(true);
    expect(await call('status')).toBe(true);
    const sync = (fun: string, name = n) => serviceExec.functions[fun]!.sync!(makeCtx(m.host), [name], {});
    expect([sync('status'), sync('available'), sync('enabled'), sync('available', 'nope')]).toEqual([true, true, false, false]);
    expect(await call('enable')).toBe(true);
    expect(await call('enabled')).toBe(true);
    expect(await call('disable')).toBe(true);
    expect(await call('stop')).toBe(true);
    expect(await call('status')).toBe(false);
    await expect(call('reload')).rejects.toThrow(`${n}.service is not active, cannot reload.`);
  });
});
