import { describe, expect, it } from 'vitest';
import { closure, errorsOutput, getTestValue, modsList, stateRetcode } from '../../../engine/functions/state-run-util.js';
import { CompileError, CompileErrors } from '../../../engine/errors.js';
import type { ExecContext, LowChunk, StateRecord } from '../../../engine/types.js';

const ctx = (p: { opts?: object; grains?: object; pillar?: object; test?: boolean } = {}): ExecContext =>
  ({ opts: p.opts ?? {}, grains: p.grains ?? {}, pillar: p.pillar ?? {}, test: p.test ?? false }) as unknown as ExecContext;

describe('_get_test_value rules', () => {
  it.each([
    ['explicit test=True', ctx(), { test: true }, true],
    ['explicit test=False beats pillar test: true', ctx({ pillar: { test: true } }), { test: false }, false],
    ['explicit test=False beats opts test', ctx({ opts: { test: true } }), { test: false }, false],
    ['Test=True spelled differently', ctx(), { Test: true }, true],
    ['pillar test: true', ctx({ pillar: { test: true } }), {}, true],
    ['grains test: true', ctx({ grains: { test: true } }), {}, true],
    ['minion opts test', ctx({ opts: { test: true } }), {}, true],
    ['default false', ctx(), {}, false],
  ])('%s', (_label, c, kw, want) => expect(getTestValue(c, kw)).toBe(want));
});

describe('retcode rules (§13)', () => {
  const r = (result: boolean | null): StateRecord => ({ name: 'n', result, comment: '', changes: {}, __run_num__: 0 });
  it.each([
    ['empty return fails', {}, 2],
    ['all true', { a: r(true) }, 0],
    ['None is fine', { a: r(null) }, 0],
    ['any False', { a: r(true), b: r(false) }, 2],
  ])('%s', (_l, ret, want) => expect(stateRetcode(ret)).toBe(want));
});

describe('modsList', () => {
  it.each([
    ['a,b', ['a', 'b']],
    [['a', 'b'], ['a', 'b']],
    [' a , b ', ['a', 'b']],
    [5, ['5']],
    [undefined, []],
    ['', []],
  ])('%j', (v, want) => expect(modsList(v)).toEqual(want));
});

describe('errorsOutput', () => {
  it('keeps Salt messages and halite locations', () => {
    const out = errorsOutput(new CompileErrors([new CompileError("msg A", { file: '/s/a.sls', line: 2, id: 'A' }), new CompileError('msg B')]));
    expect(out.kind).toBe('errors');
    expect(out.retcode).toBe(1);
    expect(out.data).toEqual(['msg A', 'msg B']);
    expect(out.errorDetails?.[0]).toEqual({ message: 'msg A', file: '/s/a.sls', line: 2, id: 'A' });
  });
});

describe('sls_id closure', () => {
  const ch = (id: string, extra: Partial<LowChunk> = {}): LowChunk => ({ state: 'test', fun: 'nop', name: id, __id__: id, __sls__: 's', __env__: 'base', ...extra });
  const chunks = [ch('a', { require: [{ test: 'b' }] }), ch('b', { watch: [{ cmd: 'c' }] }), ch('c', { state: 'cmd', name: 'echo c' }), ch('d')];
  it('takes the ID and what it requires, transitively, in compiled order', () => {
    expect(closure(chunks, 'a').map((c) => c.__id__)).toEqual(['a', 'b', 'c']);
  });
  it('matches targets by name too, and respects the module', () => {
    expect(closure([ch('x', { require: [{ cmd: 'echo c' }] }), ...chunks], 'x').map((c) => c.__id__)).toEqual(['x', 'c']);
    expect(closure([ch('x', { require: [{ pkg: 'c' }] }), ...chunks], 'x').map((c) => c.__id__)).toEqual(['x']);
  });
  it('is empty for an unknown ID', () => {
    expect(closure(chunks, 'zzz')).toEqual([]);
  });
});
