/**
 * The service states on this host's real sysvinit-style init (PID 1 is not systemd here), against a test-owned
 * LSB service installed as a .deb (tests/helpers/lsbservice.ts). Each step checks the state's return and the
 * machine itself (daemon PID, rc links, reload marker). Steps run in order and build on each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHost } from '../../../engine/host/local.js';
import type { Dict, StateResult } from '../../../engine/types.js';
import { serviceExec, serviceState } from '../../../states/service/index.js';
import { installLsbService, type LsbService } from '../../helpers/lsbservice.js';
import { makeCtx } from '../../unit/states/service/ctx.js';

const host = new LocalHost();
let svc: LsbService;
let n: string;

beforeAll(() => {
  svc = installLsbService();
  n = svc.name;
});
afterAll(() => svc?.uninstall());

function state(fun: string, args: Dict = {}, test = false, name = n): Promise<StateResult> {
  return serviceState.functions[fun]!.fn(makeCtx(host, { test, fun, name }), name, args);
}
function watch(sfun: string, args: Dict = {}, test = false): Promise<StateResult> {
  return serviceState.mod_watch!(makeCtx(host, { test, fun: sfun, name: n }), n, { ...args, sfun });
}
const bootLinks = () => svc.links().filter((l) => /^rc[2-5]\.d\//.test(l));

describe('service states on sysvinit (real LSB service)', () => {
  it('running, test mode: predicts the start and enable, changes nothing', async () => {
    expect(svc.links()).toEqual([]);
    const r = await state('running', { enable: true }, true);
    expect(r).toEqual({ name: n, result: null, comment: `Service ${n} is set to start`, changes: { [n]: true } });
    expect(svc.pid()).toBeNull();
    expect(svc.links()).toEqual([]);
  });

  it('running with enable: starts it and registers start links', async () => {
    const r = await state('running', { enable: true });
    expect(r).toEqual({ name: n, result: true, comment: `Service ${n} has been enabled, and is running`, changes: { [n]: true } });
    expect(svc.pid()).not.toBeNull();
    expect(bootLinks().every((l) => l.includes('/S'))).toBe(true);
    expect(bootLinks()).toHaveLength(4);
  });

  it('running again: no changes', async () => {
    const r = await state('running', { enable: true });
    expect(r).toEqual({ name: n, result: true, comment: `The service ${n} is already running`, changes: {} });
    const t = await state('running', { enable: true }, true);
    expect(t).toEqual(r);
  });

  it('mod_watch: test mode reports the restart and does nothing', async () => {
    const pid = svc.pid();
    const r = await watch('running', {}, true);
    expect(r).toEqual({ name: n, result: null, comment: 'Service is set to be restarted', changes: { [n]: true } });
    expect(svc.pid()).toBe(pid);
  });

  it('mod_watch: restarts (new PID)', async () => {
    const pid = svc.pid();
    const r = await watch('running');
    expect(r).toEqual({ name: n, result: true, comment: 'Service restarted', changes: { [n]: true } });
    expect(svc.pid()).not.toBeNull();
    expect(svc.pid()).not.toBe(pid);
    expect(svc.reloads()).toBe(0);
  });

  it('mod_watch with reload: reloads (same PID, marker touched)', async () => {
    const pid = svc.pid();
    const r = await watch('running', { reload: true });
    expect(r).toEqual({ name: n, result: true, comment: 'Service reloaded', changes: { [n]: true } });
    expect(svc.pid()).toBe(pid);
    expect(svc.reloads()).toBe(1);
  });

  it('mod_watch with full_restart: stop + start (new PID)', async () => {
    const pid = svc.pid();
    const r = await watch('running', { full_restart: true });
    expect(r).toEqual({ name: n, result: true, comment: 'Service fully restarted', changes: { [n]: true } });
    expect(svc.pid()).not.toBe(pid);
    expect(svc.reloads()).toBe(1);
  });

  it('dead, test mode: predicts the stop', async () => {
    const r = await state('dead', {}, true);
    expect(r).toEqual({ name: n, result: null, comment: `Service ${n} is set to be killed`, changes: { [n]: false } });
    expect(svc.pid()).not.toBeNull();
  });

  it('dead: stops it; again: no changes', async () => {
    const r = await state('dead');
    expect(r).toEqual({ name: n, result: true, comment: `Service ${n} was killed`, changes: { [n]: false } });
    expect(svc.pid()).toBeNull();
    expect(await state('dead')).toEqual({ name: n, result: true, comment: `The service ${n} is already dead`, changes: {} });
  });

  it('mod_watch on a stopped running-state starts it (not reload)', async () => {
    const r = await watch('running', { reload: true });
    expect(r).toEqual({ name: n, result: true, comment: 'Service started', changes: { [n]: true } });
    expect(svc.pid()).not.toBeNull();
    expect(svc.reloads()).toBe(1);
    const d = await watch('dead');
    expect(d).toEqual({ name: n, result: true, comment: 'Service stopped', changes: { [n]: true } });
    expect(svc.pid()).toBeNull();
    expect(await watch('dead')).toEqual({ name: n, result: true, comment: 'Service is already stopped', changes: {} });
  });

  it('disabled: test mode predicts, apply turns start links into kill links, again no changes', async () => {
    const t = await state('disabled', {}, true);
    expect(t).toEqual({ name: n, result: null, comment: `Service ${n} set to be disabled`, changes: { [n]: true } });
    expect(bootLinks().every((l) => l.includes('/S'))).toBe(true);
    const r = await state('disabled');
    expect(r).toEqual({
      name: n,
      result: true,
      comment: `Service ${n} has been disabled, and is in the desired state`,
      changes: { [n]: true },
    });
    expect(bootLinks()).toHaveLength(4);
    expect(bootLinks().every((l) => l.includes('/K'))).toBe(true);
    expect(await state('disabled')).toEqual({
      name: n,
      result: true,
      comment: `Service ${n} is already disabled, and is in the desired state`,
      changes: {},
    });
  });

  it('enabled: enables; dead with enable False disables without starting', async () => {
    const r = await state('enabled');
    expect(r).toEqual({
      name: n,
      result: true,
      comment: `Service ${n} has been enabled, and is in the desired state`,
      changes: { [n]: true },
    });
    expect(bootLinks().every((l) => l.includes('/S'))).toBe(true);
    const d = await state('dead', { enable: false });
    expect(d).toEqual({
      name: n,
      result: true,
      comment: `Service ${n} has been disabled, and is in the desired state`,
      changes: { [n]: true },
    });
    expect(svc.pid()).toBeNull();
    expect(bootLinks().every((l) => l.includes('/K'))).toBe(true);
  });

  it('running with init_delay reports the delay', async () => {
    const r = await state('running', { init_delay: 0.2 });
    expect(r).toEqual({ name: n, result: true, comment: `Started service ${n}\nDelayed return for 0.2 seconds`, changes: { [n]: true } });
    expect(await state('dead')).toMatchObject({ result: true, changes: { [n]: false } });
  });

  it('the execution module drives the same service', async () => {
    const call = (fun: string, args: unknown[] = [n], kw: Dict = {}) =>
      serviceExec.functions[fun]!.fn(makeCtx(host), args, kw);
    expect(await call('available')).toBe(true);
    expect(await call('missing')).toBe(false);
    expect(await call('get_all', [])).toContain(n);
    expect(await call('status')).toBe(false);
    expect(await call('start')).toBe(true);
    expect(await call('status')).toBe(true);
    expect(await call('reload')).toBe(true);
    expect(svc.reloads()).toBe(2);
    expect(await call('enabled')).toBe(false);
    const sync = (fun: string) => serviceExec.functions[fun]!.sync!(makeCtx(host), [n], {});
    expect([sync('status'), sync('enabled'), sync('available'), sync('missing')]).toEqual([true, false, true, false]);
    expect(await call('enable')).toBe(true);
    expect(await call('enabled')).toBe(true);
    expect(sync('enabled')).toBe(true);
    expect(await call('disable')).toBe(true);
    expect(await call('disabled')).toBe(true);
    expect(await call('stop')).toBe(true);
    expect(await call('status')).toBe(false);
    await expect(call('status', [])).rejects.toThrow(/missing the service name/);
  });

  it('a service that does not exist', async () => {
    const nope = `${n}-nope`;
    expect(await state('running', {}, false, nope)).toEqual({
      name: nope,
      result: false,
      comment: `The named service ${nope} is not available`,
      changes: {},
    });
    expect(await state('running', {}, true, nope)).toEqual({
      name: nope,
      result: null,
      comment: `Service ${nope} not present; if created in this state run, it would have been started`,
      changes: {},
    });
    expect(await state('dead', {}, false, nope)).toMatchObject({ result: true, comment: `The named service ${nope} is not available` });
    expect(await state('enabled', {}, false, nope)).toMatchObject({ result: false });
    expect(await state('enabled', {}, true, nope)).toMatchObject({
      result: null,
      comment: `Service ${nope} not present; if created in this state run, it would have been enabled`,
    });
  });

  it('a failing start is result False, and enable is still applied', async () => {
    svc.breakStart(true);
    try {
      expect(await state('running')).toEqual({ name: n, result: false, comment: `Service ${n} failed to start`, changes: {} });
      const r = await state('running', { enable: 'True', provider: 'sysvinit' });
      expect(r).toEqual({ name: n, result: false, comment: `Service ${n} has been enabled, and is dead`, changes: { [n]: true } });
      expect(svc.pid()).toBeNull();
      expect(await watch('running')).toEqual({ name: n, result: false, comment: 'Failed to start the service', changes: { [n]: false } });
    } finally {
      svc.breakStart(false);
    }
  });
});
