/**
 * Test helpers for the runner: an ExecContext over a real LocalHost, a registry with the test and cmd modules
 * plus a few fixture modules, and a tiny SLS → low-chunk converter (definition order, names, *_in, prereq →
 * prerequired) so requisite fixtures can be written as SLS until they are driven through the compiler.
 */
import { load } from 'js-yaml';
import { LocalHost } from '../../../engine/host/local.js';
import type { Host } from '../../../engine/host/types.js';
import { buildRegistry, type Dict, type ExecContext, type LowChunk, type Registry, type StateModule } from '../../../engine/types.js';
import { cmdExecModule } from '../../../states/cmd/exec.js';
import { cmdStateModule } from '../../../states/cmd/index.js';
import { testExecModule } from '../../../states/test/exec.js';
import { testStateModule } from '../../../states/test/index.js';

/** A module without mod_watch (watch behaves as require) and with misbehaving functions. */
export const fixtureModule: StateModule = {
  name: 'fx',
  functions: {
    changed: { fn: async (_c, name) => ({ name, result: true, comment: 'changed', changes: { fx: name } }), anyKwargs: true },
    same: { fn: async (_c, name) => ({ name, result: true, comment: 'same', changes: {} }), anyKwargs: true },
    throws: { fn: async () => { throw new Error('boom'); }, anyKwargs: true },
    malformed: { fn: async () => ({ result: true }) as never, anyKwargs: true },
    listcomment: { fn: async (_c, name) => ({ name, result: 1 as never, comment: ['a', 'b'] as never, changes: {} }), anyKwargs: true },
    needs: { fn: async (_c, name) => ({ name, result: true, comment: 'ok', changes: {} }), required: ['pattern', 'repl'] },
    strict: { fn: async (_c, name) => ({ name, result: true, comment: 'ok', changes: {} }), params: ['a'] },
    echoargs: { fn: async (_c, name, args) => ({ name, result: true, comment: JSON.stringify(Object.keys(args).sort()), changes: {} }), anyKwargs: true },
  },
};

export function testRegistry(): Registry {
  return buildRegistry([testStateModule, cmdStateModule, fixtureModule], [testExecModule, cmdExecModule]);
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** An ExecContext on `host` (default: the real local machine). */
export function makeContext(o: { host?: Host; opts?: Dict; test?: boolean; registry?: Registry } = {}): ExecContext {
  const registry = o.registry ?? testRegistry();
  const ctx: ExecContext = {
    host: o.host ?? new LocalHost(),
    opts: o.opts ?? {},
    grains: {},
    pillar: {},
    saltenv: 'base',
    test: o.test ?? false,
    fileserver: {
      resolve: () => null,
      read: () => null,
      list: () => [],
      roots: () => [],
      envs: () => ['base'],
    },
    render: (t) => t,
    log: quiet,
    signal: new AbortController().signal,
    call: async (fun, args, kwargs) => {
      const def = registry.exec.get(fun);
      if (!def) throw new Error(`'${fun}' is not available`);
      return def.fn(ctx, args ?? [], kwargs ?? {});
    },
    secret() {},
    registry,
  };
  return ctx;
}

const IN_KEYS: Record<string, string> = {
  require_in: 'require',
  watch_in: 'watch',
  onchanges_in: 'onchanges',
  onfail_in: 'onfail',
  prereq_in: 'prereq',
};

function one(entry: unknown): [string, string] {
  if (typeof entry === 'string') return ['id', entry];
  const [k, v] = Object.entries(entry as Dict)[0]!;
  return [k, String(v)];
}

function push(c: LowChunk, key: string, v: unknown): void {
  const cur = Array.isArray(c[key]) ? (c[key] as unknown[]) : [];
  c[key] = [...cur, v];
}

/**
 * SLS text (one file, YAML) → ordered low chunks. Each ID is `{mod.fun: [args]}` or `{mod: [fun, args]}` or
 * the short form `mod.fun`; `__sls__` / `__sls_included_from__` keys in an ID override the SLS name.
 */
export function sls(text: string, slsName = 'fx'): LowChunk[] {
  const high = load(text) as Record<string, unknown>;
  const chunks: LowChunk[] = [];
  for (const [id, body0] of Object.entries(high)) {
    const body: Dict = typeof body0 === 'string' ? { [body0]: [] } : (body0 as Dict);
    const sl = typeof body.__sls__ === 'string' ? body.__sls__ : slsName;
    for (const [key, decl] of Object.entries(body)) {
      if (key.startsWith('__')) continue;
      let [state, fun] = key.split('.') as [string, string | undefined];
      const args: Dict = {};
      let names: unknown[] | undefined;
      for (const item of (decl as unknown[]) ?? []) {
        if (typeof item === 'string') fun = item;
        else for (const [k, v] of Object.entries(item as Dict)) if (k === 'names') names = v as unknown[];
        else args[k] = v;
      }
      const base: LowChunk = { state, fun: fun!, name: typeof args.name === 'string' ? args.name : id, __id__: id, __sls__: sl, __env__: 'base' };
      if (Array.isArray(body.__sls_included_from__)) base.__sls_included_from__ = body.__sls_included_from__ as string[];
      const list = names ?? [undefined];
      list.forEach((n, i) => {
        const c: LowChunk = { ...base, ...args, name: base.name };
        if (typeof n === 'string') c.name = n;
        else if (n && typeof n === 'object') {
          const [nm, extra] = Object.entries(n as Dict)[0]!;
          c.name = nm;
          for (const d of (extra as Dict[]) ?? []) Object.assign(c, d);
        }
        if (names) c.name_order = i + 1;
        chunks.push(c);
      });
    }
  }
  const find = (k: string, v: string): LowChunk[] => chunks.filter((c) => (k === 'id' || c.state === k) && (c.__id__ === v || c.name === v));
  for (const c of [...chunks]) {
    for (const [inKey, req] of Object.entries(IN_KEYS)) {
      for (const e of (c[inKey] as unknown[]) ?? []) {
        const [k, v] = one(e);
        for (const t of find(k, v)) {
          push(t, req, { [c.state]: c.__id__ });
          if (req === 'prereq') push(c, 'prerequired', { [t.state]: t.__id__ });
        }
      }
      delete c[inKey];
    }
  }
  for (const c of chunks) {
    for (const e of (c.prereq as unknown[]) ?? []) {
      const [k, v] = one(e);
      const targets = k === 'sls' ? chunks.filter((t) => t.__sls__ === v) : find(k, v);
      for (const t of targets) {
        const already = ((t.prerequired as unknown[]) ?? []).some((x) => JSON.stringify(x) === JSON.stringify({ [c.state]: c.__id__ }));
        if (!already) push(t, 'prerequired', { [c.state]: c.__id__ });
      }
    }
  }
  return chunks;
}
