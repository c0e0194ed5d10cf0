/**
 * watch → service.mod_watch through the real runner: a file.managed config and a service.running that
 * watches it, applied three times on the host's sysvinit with a real LSB service.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHost } from '../../../engine/host/local.js';
import { runChunks } from '../../../engine/runner/index.js';
import { buildRegistry, type LowChunk, type StateReturn } from '../../../engine/types.js';
import { fileStates } from '../../../states/file/index.js';
import { serviceExec, serviceState } from '../../../states/service/index.js';
import { installLsbService, type LsbService } from '../../helpers/lsbservice.js';
import { makeCtx } from '../../unit/states/service/ctx.js';

let svc: LsbService;
let dir: string;
beforeAll(() => {
  svc = installLsbService('halite-watch');
  dir = mkdtempSync(join(tmpdir(), 'halite-svcwatch-'));
});
afterAll(() => {
  svc?.uninstall();
  rmSync(dir, { recursive: true, force: true });
});

const registry = buildRegistry([fileStates, serviceState], [serviceExec]);

function chunks(contents: string, extra: Record<string, unknown> = {}): LowChunk[] {
  const base = { __sls__: 'svc', __env__: 'base' };
  return [
    { ...base, state: 'file', fun: 'managed', name: join(dir, 'svc.conf'), __id__: 'conf', contents, order: 10000 },
    { ...base, state: 'service', fun: 'running', name: svc.name, __id__: 'svc', watch: [{ file: 'conf' }], order: 10001, ...extra },
  ];
}
async function apply(contents: string, extra: Record<string, unknown> = {}, test = false): Promise<StateReturn> {
  return runChunks(chunks(contents, extra), makeCtx(new LocalHost(), { test, registry }), { test });
}
const svcRecord = (r: StateReturn) => r[`service_|-svc_|-${svc.name}_|-running`]!;

describe('watch → mod_watch through the runner', () => {
  it('first apply starts the service (its own change: no mod_watch)', async () => {
    const r = await apply('v1', { reload: true });
    expect(svcRecord(r)).toMatchObject({ result: true, comment: `Started service ${svc.name}`, changes: { [svc.name]: true } });
    expect(svc.pid()).not.toBeNull();
    expect(svc.reloads()).toBe(0);
  });

  it('config change with reload: True → reload (same PID)', async () => {
    const pid = svc.pid();
    const t = await apply('v2', { reload: true }, true);
    expect(svcRecord(t)).toMatchObject({ result: null, comment: 'Service is set to be reloaded' });
    expect(svc.reloads()).toBe(0);
    const r = await apply('v2', { reload: true });
    expect(svcRecord(r)).toMatchObject({ result: true, comment: 'Service reloaded', changes: { [svc.name]: true } });
    expect(svc.pid()).toBe(pid);
    expect(svc.reloads()).toBe(1);
  });

  it('config change without reload → restart (new PID); no change → nothing', async () => {
    const pid = svc.pid();
    const r = await apply('v3');
    expect(svcRecord(r)).toMatchObject({ result: true, comment: 'Service restarted', changes: { [svc.name]: true } });
    expect(svc.pid()).not.toBe(pid);
    const again = await apply('v3');
    expect(svcRecord(again)).toMatchObject({ result: true, comment: `The service ${svc.name} is already running`, changes: {} });
  });
});
