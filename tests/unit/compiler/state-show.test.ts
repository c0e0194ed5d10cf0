/** state.show_* (engine/functions/state-show.ts) and compileEnvFromContext. */
import { describe, expect, it } from 'vitest';
import { compileEnvFromContext } from '../../../engine/compiler/index.js';
import { stateShowModule } from '../../../engine/functions/state-show.js';
import { CallOutput, type Dict, type ExecContext } from '../../../engine/types.js';
import { treeEnv } from './helpers.js';

function ctxFor(files: Record<string, string>, opts: Dict = {}): ExecContext {
  const { env } = treeEnv(files, { opts });
  const exec = new Map([
    ['pillar.get', { fn: () => 'async', sync: (_c: unknown, args: unknown[]) => `v-${String(args[0])}` }],
    ['slow.fn', { fn: async () => 1 }],
  ]);
  return {
    opts: env.opts,
    grains: env.grains,
    pillar: env.pillar,
    fileserver: env.fileserver,
    registry: { states: env.registry.states, exec },
    log: { debug() {}, info() {}, warn() {}, error() {} },
  } as unknown as ExecContext;
}

const call = (ctx: ExecContext, fun: string, args: unknown[] = [], kwargs: Dict = {}) => stateShowModule.functions[fun]!.fn(ctx, args, kwargs);

const tree = {
  'top.sls': "base:\n  '*':\n    - a\n    - b\n",
  'a.sls': "include:\n  - c\na1:\n  test.nop:\n    - name: {{ salt['pillar.get']('k') }}\n    - require_in:\n      - test: b1\n",
  'b.sls': 'b1:\n  test.nop: []\nextend:\n  a1:\n    test:\n      - comment: x\n',
  'c.sls': 'c1:\n  test.nop: []\n',
};

describe('state.show_*', () => {
  it('show_top', () => {
    expect(call(ctxFor(tree), 'show_top')).toEqual({ base: ['a', 'b'] });
  });

  it('show_states: SLS names in chunk order, once each', () => {
    expect(call(ctxFor(tree), 'show_states')).toEqual(['c', 'a', 'b']);
  });

  it('show_highstate: rendered data, extends unprocessed', () => {
    const high = call(ctxFor(tree), 'show_highstate') as Dict;
    expect(Object.keys(high)).toEqual(['a1', 'c1', 'b1', '__extend__']);
  });

  it('show_lowstate: extend and requisite_in applied; templates call salt[] synchronously', () => {
    const low = call(ctxFor(tree), 'show_lowstate') as Dict[];
    const b1 = low.find((c) => c.__id__ === 'b1')!;
    const a1 = low.find((c) => c.__id__ === 'a1')!;
    expect(b1.require).toEqual([{ test: 'a1' }]);
    expect(a1.comment).toBe('x');
    expect(a1.name).toBe('v-k');
  });

  it('show_sls / show_low_sls: mods as a comma string; no extend/requisite_in in show_low_sls', () => {
    const ctx = ctxFor(tree);
    const high = call(ctx, 'show_sls', ['a,b']) as Dict;
    expect(high.__extend__).toBeDefined();
    const low = call(ctx, 'show_low_sls', ['a,b']) as Dict[];
    expect(low.map((c) => c.__id__)).toEqual(['c1', 'a1', 'b1']);
    expect(low.find((c) => c.__id__ === 'b1')!.require).toBeUndefined();
    expect(low[0]!.__sls_included_from__).toEqual(['a']);
  });

  it('errors come back as Salt\'s list of strings with retcode 1 and locations', () => {
    const out = call(ctxFor({ 'x.sls': 'foo: bar\n' }), 'show_sls', ['x']);
    expect(out).toBeInstanceOf(CallOutput);
    const o = out as CallOutput;
    expect([o.kind, o.data, o.retcode]).toEqual(['errors', ['ID foo in SLS x is not a dictionary'], 1]);
    expect(o.errorDetails![0]).toMatchObject({ line: 1, id: 'foo' });
  });

  it('a template calling an async-only execution function fails with a clear message', () => {
    const out = call(ctxFor({ 'x.sls': "a:\n  test.nop:\n    - name: {{ salt['slow.fn']() }}\n" }), 'show_sls', ['x']) as CallOutput;
    expect((out.data as string[])[0]).toMatch(/'slow\.fn' is asynchronous and cannot be called from a template/);
  });
});

describe('compileEnvFromContext', () => {
  it('calls sync ?? fn and refuses unknown functions', () => {
    const env = compileEnvFromContext(ctxFor({}));
    expect(env.salt('pillar.get', ['x'], {})).toBe('v-x');
    expect(() => env.salt('no.such', [], {})).toThrow("'no.such' is not available.");
    expect(() => env.salt('slow.fn', [], {})).toThrow(/asynchronous/);
  });
});
