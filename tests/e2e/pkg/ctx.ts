/** A StateContext over a real Host for pkg tests (no compiler/runner needed). */
import type { Host } from '../../../engine/host/types.js';
import type { Dict, FileServer, StateContext } from '../../../engine/types.js';

const nullFileServer: FileServer = {
  resolve: () => null,
  read: () => null,
  list: () => [],
  roots: () => [],
  envs: () => ['base'],
};

export function makeCtx(host: Host, o: { test?: boolean; opts?: Dict; grains?: Dict; files?: Record<string, string> } = {}): StateContext {
  const files = o.files ?? {};
  const fileserver: FileServer = {
    ...nullFileServer,
    read: (url) => (url in files ? Buffer.from(files[url]!) : null),
  };
  const ctx: StateContext = {
    host,
    opts: o.opts ?? {},
    grains: o.grains ?? { os_family: 'Debian' },
    pillar: {},
    saltenv: 'base',
    test: o.test ?? false,
    fileserver,
    render: (text) => text,
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    signal: new AbortController().signal,
    call: async () => {
      throw new Error('ctx.call not available in pkg tests');
    },
    secret: () => {},
    registry: { states: new Map(), exec: new Map() },
    low: { state: 'pkg', fun: 'installed', name: 'x', __id__: 'x', __sls__: null, __env__: 'base' },
  };
  return ctx;
}
