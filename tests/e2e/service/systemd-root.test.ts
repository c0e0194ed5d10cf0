/**
 * The systemd backend's unit-file side for real: `systemctl --root=DIR` on a tree the test builds
 * (no systemd needs to run). service.enabled/disabled with `provider: systemd` and `root: DIR`, then the
 * symlinks systemd made are checked on disk.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHost } from '../../../engine/host/local.js';
import type { Dict, StateResult } from '../../../engine/types.js';
import { serviceExec, serviceState } from '../../../states/service/index.js';
import { makeCtx } from '../../unit/states/service/ctx.js';

const host = new LocalHost();
let root: string;
const wants = () => join(root, 'etc/systemd/system/multi-user.target.wants/demo.service');

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'halite-sdroot-'));
  const lib = join(root, 'usr/lib/systemd/system');
  mkdirSync(lib, { recursive: true });
  mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
  writeFileSync(join(lib, 'demo.service'), '[Unit]\nDescription=demo\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n');
  writeFileSync(join(lib, 'static.service'), '[Service]\nExecStart=/bin/true\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// grains say sysvinit (as on this host): provider: systemd must win.
const grains = { init: 'sysvinit' };
function state(fun: string, name: string, args: Dict = {}, test = false): Promise<StateResult> {
  return serviceState.functions[fun]!.fn(makeCtx(host, { test, fun, name, grains }), name, { provider: 'systemd', root, ...args });
}
function call(fun: string, args: unknown[], kw: Dict = {}) {
  return serviceExec.functions[fun]!.fn(makeCtx(host, { grains }), args, { provider: 'systemd', root, ...kw });
}

describe('systemd unit files under --root', () => {
  it('service.enabled: test mode predicts, apply links, second apply no changes', async () => {
    expect(await state('enabled', 'demo', {}, true)).toEqual({
      name: 'demo',
      result: null,
      comment: 'Service demo set to be enabled',
      changes: { demo: true },
    });
    expect(existsSync(wants())).toBe(false);
    expect(await state('enabled', 'demo')).toEqual({
      name: 'demo',
      result: true,
      comment: 'Service demo has been enabled, and is in the desired state',
      changes: { demo: true },
    });
    expect(lstatSync(wants()).isSymbolicLink()).toBe(true);
    expect(readlinkSync(wants())).toBe('/usr/lib/systemd/system/demo.service');
    expect(await state('enabled', 'demo.service')).toEqual({
      name: 'demo.service',
      result: true,
      comment: 'Service demo.service is already enabled, and is in the desired state',
      changes: {},
    });
  });

  it('service.disabled removes the link; static units count as enabled', async () => {
    expect(await state('disabled', 'demo')).toEqual({
      name: 'demo',
      result: true,
      comment: 'Service demo has been disabled, and is in the desired state',
      changes: { demo: true },
    });
    expect(existsSync(wants())).toBe(false);
    expect(await state('disabled', 'demo')).toMatchObject({ result: true, changes: {} });
    expect(await state('enabled', 'static')).toMatchObject({ result: true, comment: 'Service static is already enabled, and is in the desired state' });
  });

  it('unknown units and live-only operations', async () => {
    expect(await state('enabled', 'nope')).toEqual({
      name: 'nope',
      result: false,
      comment: 'The named service nope is not available',
      changes: {},
    });
    const r = await state('running', 'demo');
    expect(r.result).toBe(false);
    expect(r.comment).toMatch(/cannot be used with root=/);
  });

  it('service.masked / unmasked (indefinite mask: /etc/systemd/system/UNIT → /dev/null)', async () => {
    const link = join(root, 'etc/systemd/system/demo.service');
    expect(await state('masked', 'demo', {}, true)).toEqual({
      name: 'demo',
      result: null,
      comment: 'Service demo would be masked',
      changes: { masked: { old: false, new: true } },
    });
    expect(existsSync(link)).toBe(false);
    expect(await state('masked', 'demo')).toEqual({
      name: 'demo',
      result: true,
      comment: 'Service demo was masked',
      changes: { masked: { old: false, new: true } },
    });
    expect(readlinkSync(link)).toBe('/dev/null');
    expect(await state('masked', 'demo')).toEqual({ name: 'demo', result: true, comment: 'Service demo is already masked', changes: {} });
    expect(await call('masked', ['demo'])).toBe(true);
    expect(await state('unmasked', 'demo')).toEqual({
      name: 'demo',
      result: true,
      comment: 'Service demo was unmasked',
      changes: { masked: { old: true, new: false } },
    });
    expect(existsSync(link)).toBe(false);
    expect(await state('unmasked', 'demo')).toEqual({ name: 'demo', result: true, comment: 'Service demo was already unmasked', changes: {} });
  });

  it('masking on a sysvinit host is not available', async () => {
    const r = await serviceState.functions['masked']!.fn(makeCtx(host, { grains }), 'demo', {});
    expect(r).toEqual({ name: 'demo', result: false, comment: 'Service masking not available on this minion', changes: {} });
    await expect(serviceExec.functions['mask']!.fn(makeCtx(host, { grains }), ['demo'], {})).rejects.toThrow(
      'service.mask is only available with systemd (this host uses sysvinit)',
    );
  });

  it('exec functions with root', async () => {
    expect(await call('available', ['demo'])).toBe(true);
    expect(await call('available', ['nope'])).toBe(false);
    expect(await call('get_all', [])).toEqual(['demo', 'static']);
    expect(await call('enabled', ['demo'])).toBe(false);
    expect(await call('enable', ['demo'])).toBe(true);
    expect(await call('enabled', ['demo'])).toBe(true);
    expect(await call('disable', ['demo'])).toBe(true);
    expect(await call('disabled', ['demo'])).toBe(true);
    await expect(call('enable', ['nope'])).rejects.toThrow('Failed to enable unit, unit nope.service does not exist.');
  });
});
