/**
 * The runner's parts in isolation: status reduction (§8.4 tokens), requisite entry parsing, records, retry
 * data, umask validation, listener planning, progress events and abort.
 */
import { describe, expect, it } from 'vitest';
import { parseEntry } from '../../../engine/graph/requisites.js';
import { retryData } from '../../../engine/runner/call.js';
import { runChunks } from '../../../engine/runner/index.js';
import { planListeners } from '../../../engine/runner/listen.js';
import { notFoundComment, startTime, stamp, unify } from '../../../engine/runner/records.js';
import { statusOf, type ResolvedType } from '../../../engine/runner/status.js';
import { validUmask, verifyLow } from '../../../engine/runner/verify.js';
import type { LowChunk, StateRecord } from '../../../engine/types.js';
import { makeContext, sls, testRegistry } from './helpers.js';

const chunk = (id: string, state = 'test'): LowChunk => ({ state, fun: 'f', name: id, __id__: id, __sls__: 's', __env__: 'base' });
const rec = (result: boolean | null, changed = false, extra: Partial<StateRecord> = {}): StateRecord => ({
  name: 'x',
  result,
  comment: '',
  changes: changed ? { a: 1 } : {},
  __run_num__: 0,
  ...extra,
});

async function status(type: string, results: (StateRecord | undefined)[]): Promise<string> {
  const targets = results.map((_, i) => chunk(`t${i}`));
  const res: ResolvedType[] = [{ type, entries: targets.map((t) => ({ entry: { key: 'id', value: t.__id__ }, targets: [t] })) }];
  const byTag = new Map(targets.map((t, i) => [`test_|-${t.__id__}_|-${t.name}_|-f`, results[i]]));
  return statusOf(res, async (tag) => byTag.get(tag), (c) => `test_|-${c.__id__}_|-${c.name}_|-f`);
}

describe('status reduction (§8.4)', () => {
  it.each([
    ['require', [rec(true)], 'met'],
    ['require', [rec(null)], 'met'],
    ['require', [rec(true), rec(false)], 'fail'],
    ['require', [undefined], 'unmet'],
    ['require', [rec(true, false, { __state_ran__: false })], 'met'],
    ['require_any', [rec(false), rec(true)], 'met'],
    ['require_any', [rec(false), rec(false)], 'fail'],
    ['watch', [rec(true, true)], 'change'],
    ['watch', [rec(true)], 'met'],
    ['watch', [rec(false, true)], 'fail'],
    ['watch_any', [rec(false), rec(true, true)], 'change'],
    ['onchanges', [rec(true)], 'onchanges'],
    ['onchanges', [rec(true), rec(true, true)], 'met'],
    ['onchanges', [rec(false, true)], 'fail'],
    ['onchanges', [rec(null, true)], 'met'],
    ['onchanges_any', [rec(false, true), rec(true, true)], 'met'],
    ['onfail', [rec(true)], 'onfail'],
    ['onfail', [rec(false)], 'met'],
    ['onfail', [rec(null)], 'met'],
    ['onfail', [rec(true), rec(false)], 'met'],
    ['onfail_any', [rec(true), rec(true)], 'onfail'],
    ['onfail_all', [rec(false), rec(true)], 'onfail'],
    ['onfail_all', [rec(false), rec(false)], 'met'],
    ['prereq', [rec(null, true)], 'met'],
    ['prereq', [rec(true)], 'pre'],
    ['prereq', [rec(true), rec(null, true)], 'met'],
    ['prereq', [rec(false)], 'fail'],
  ])('%s %j → %s', async (type, results, want) => {
    expect(await status(type, results)).toBe(want);
  });
});

describe('requisite entries', () => {
  it.each([
    ['A', { key: 'id', value: 'A' }],
    [{ cmd: 'A' }, { key: 'cmd', value: 'A' }],
    [{ 'file.managed': '/x' }, { key: 'file', value: '/x' }],
    [{ cmd: null }, { key: 'cmd', value: null }],
    [{ cmd: 5 }, { key: 'cmd', value: '5' }],
  ])('%j', (raw, want) => {
    expect(parseEntry(raw)).toEqual(want);
  });
  it('a non-string value is flagged', () => {
    expect(parseEntry({ cmd: ['A'] }).bad).toEqual(['A']);
  });
});

describe('records', () => {
  it('not-found comment, exact spacing', () => {
    expect(notFoundComment([['require', [{ key: 'id', value: 'Z' }]], ['prereq', [{ key: 'cmd', value: 'Y' }]]])).toBe(
      'The following requisites were not found:\n' + ' '.repeat(19) + 'require:\n' + ' '.repeat(23) + 'id: Z\n' + ' '.repeat(19) + 'prereq:\n' + ' '.repeat(23) + 'cmd: Y\n',
    );
  });
  it('start_time is HH:MM:SS.ffffff', () => {
    expect(startTime(stamp())).toMatch(/^\d\d:\d\d:\d\d\.\d{6}$/);
  });
  it.each([
    [null, 'the return must be an object'],
    [[1], 'the return must be an object'],
    [{ name: 'x', result: true, comment: '' }, 'the following keys are missing: changes'],
    [{ name: 'x', result: true, comment: '', changes: [] }, "'changes' must be an object"],
  ])('unify refuses %j', (raw, why) => {
    const r = unify(raw, chunk('x'));
    expect(r.result).toBe(false);
    expect(r.comment).toBe(`An exception occurred in this state: Malformed state return from test.f: ${why}`);
  });
  it('unify normalises comment lists and truthy results', () => {
    expect(unify({ name: 'x', result: 'yes', comment: ['a', 'b'], changes: {} }, chunk('x'))).toMatchObject({ result: true, comment: 'a\nb' });
    expect(unify({ name: 'x', result: null, comment: null, changes: {} }, chunk('x'))).toMatchObject({ result: null, comment: '' });
  });
});

describe('retry data and umask', () => {
  it.each([
    [true, { until: true, attempts: 2, interval: 30, splay: 0 }],
    [false, { until: true, attempts: 0, interval: 30, splay: 0 }],
    [{ attempts: 5, until: false }, { until: false, attempts: 5, interval: 30, splay: 0 }],
    [{ attempts: '5', interval: 1.5 }, { until: true, attempts: 2, interval: 30, splay: 0 }],
    ['yes', { until: true, attempts: 2, interval: 30, splay: 0 }],
  ])('retry %j', (v, want) => {
    expect(retryData(v)).toEqual(want);
  });
  it.each([
    ['022', true],
    ['0o027', true],
    [22, true],
    [999, false],
    ['999', false],
    ['foo', false],
    [18, false],
  ])('umask %j → %s', (v, ok) => {
    expect(validUmask(v)).toBe(ok);
  });
  it('verifyLow lists every problem', () => {
    expect(verifyLow({ ...chunk('x', 'fx'), fun: 'needs', umask: 'foo' }, testRegistry())).toEqual([
      'Invalid umask: foo',
      'Missing parameter pattern for state fx.needs',
      'Missing parameter repl for state fx.needs',
    ]);
  });
});

describe('listener planning', () => {
  it('a bare target resolves to the last chunk with that ID or name; unknown bare targets are dropped', () => {
    const chunks = [
      { ...chunk('a'), name: 'shared' },
      { ...chunk('b', 'cmd'), name: 'shared' },
      { ...chunk('L'), listen: ['shared', 'nothing'] },
    ];
    const plan = planListeners(chunks, (c) => c.__id__ === 'b');
    expect(plan.watchers.map((w) => [w.__id__, w.fun, w.sfun])).toEqual([['listener_L', 'mod_watch', 'f']]);
    expect(plan.watchers[0]!.listen).toBeUndefined();
    expect(plan.errors).toEqual([]);
  });
});

describe('progress and abort', () => {
  it('emits start/finish for calls and finish for synthetic records, done reaching the total', async () => {
    const events: string[] = [];
    await runChunks(
      sls(`
A:
  test.succeed_with_changes: []
B:
  test.succeed_without_changes:
    - onchanges:
      - test: N
N:
  test.succeed_without_changes: []
L:
  test.succeed_without_changes:
    - listen:
      - test: A
`),
      makeContext(),
      { test: false, onEvent: (e) => events.push(`${e.type} ${e.tag.split('_|-')[1]} ${e.done}/${e.total}`) },
    );
    expect(events).toEqual([
      'start A 0/4',
      'finish A 1/4',
      'start N 1/4',
      'finish N 2/4',
      'finish B 3/4',
      'start L 3/4',
      'finish L 4/4',
      'start listener_L 4/5',
      'finish listener_L 5/5',
    ]);
  });

  it('an aborted run starts nothing more', async () => {
    const ac = new AbortController();
    ac.abort();
    const ctx = makeContext();
    ctx.signal = ac.signal;
    expect(await runChunks(sls('A:\n  test.nop: []\n'), ctx, { test: false })).toEqual({});
  });
});

describe('mock', () => {
  it('calls no state function (state.sls mock=True)', async () => {
    const ret = await runChunks(sls('A:\n  cmd.run:\n    - name: touch /nonexistent/halite-mock\n'), makeContext(), { test: false, mock: true });
    expect(Object.values(ret)[0]).toMatchObject({ result: true, comment: 'Not called, mocked', changes: {} });
  });
});
