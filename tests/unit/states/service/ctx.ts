/**
 * A StateContext for calling service state/exec functions directly in tests (no minion, no runner):
 * the given host and grains, test flag, a quiet logger; the rest are inert stand-ins the service module
 * never uses.
 */
import type { Host } from '../../../../engine/host/types.js';
import type { Dict, LowChunk, Registry, StateContext } from '../../../../engine/types.js';

export function makeCtx(host: Host, o: { test?: boolean; grains?: Dict; fun?: string; name?: string; registry?: Registry } = {},): StateContext {
  const low: LowChunk = {
    state: 'service',
    fun: o.fun ?? 'running',
    name: o.name ?? 'x',
    __id__: o.name ?? 'x',
    __sls__: 'test',
    __env__: 'base',
  };
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  return {
    host,
    opts: {},
    grains: o.grains ?? {},
    pillar: {},
    saltenv: 'base',
    test: o.test ?? false,
    fileserver: {} as StateContext['fileserver'],
    render: () => {
      throw new Error('render not available in service tests');
    },
    log: quiet,
    signal: new AbortController().signal,
    call: async () => {
      throw new Error('call not available in service tests');
    },
    secret() {},
    registry: o.registry ?? { states: new Map(), exec: new Map() },
    low,
  };
}
