/**
 * runSingle (state.single): requisites ignored; onlyif/unless/retry honoured; verify errors thrown as a list
 * (corpus 49–52, 58, 70, 79).
 */
import { describe, expect, it } from 'vitest';
import { CompileErrors } from '../../../engine/errors.js';
import { runSingle } from '../../../engine/runner/index.js';
import type { Dict, LowChunk } from '../../../engine/types.js';
import { makeContext } from './helpers.js';

function low(fun: string, name: string, kw: Dict = {}): LowChunk {
  const [state, f] = fun.split('.') as [string, string];
  return { state, fun: f, name, __id__: name, __sls__: null, __env__: 'base', ...kw };
}

async function single(fun: string, name: string, kw: Dict = {}, test = false) {
  const ret = await runSingle(low(fun, name, kw), makeContext({ test }), { test });
  const recs = Object.values(ret);
  expect(recs).toHaveLength(1);
  return { tag: Object.keys(ret)[0]!, rec: recs[0]! };
}

describe('runSingle', () => {
  it.each([
    ['test.succeed_with_changes', { onlyif: [{}] }, true, 'Success!'],
    ['test.succeed_without_changes', { onlyif: [{ fun: 'test.true' }] }, true, 'Success!'],
    ['test.fail_with_changes', { onlyif: [{ fun: 'test.false' }] }, true, 'onlyif condition is false'],
    ['test.fail_with_changes', { onlyif: [{ fun: 'test.true' }] }, false, 'Failure!'],
    ['test.succeed_with_changes', { onlyif: [{ fun: 'test.retcode' }] }, true, 'onlyif condition is false'],
    ['test.succeed_with_changes', { onlyif: [{ fun: 'test.retcode', code: 0 }] }, true, 'Success!'],
    ['test.succeed_with_changes', { unless: [{}] }, true, 'Success!'],
    ['test.fail_with_changes', { unless: [{ fun: 'test.true' }] }, true, 'unless condition is true'],
    ['test.fail_with_changes', { unless: [{ fun: 'test.false' }] }, false, 'Failure!'],
    ['test.succeed_with_changes', { unless: [{ fun: 'test.retcode' }] }, true, 'Success!'],
    ['test.succeed_with_changes', { unless: [{ fun: 'test.retcode', code: 0 }] }, true, 'unless condition is true'],
  ])('corpus 49–52: %s %j', async (fun, kw, result, comment) => {
    const { rec } = await single(fun, 'onlyif test', kw);
    expect(rec.result).toBe(result);
    expect(rec.comment).toBe(comment);
  });

  it('corpus 58: record keys, __sls__ None, tag', async () => {
    const { tag, rec } = await single('test.succeed_without_changes', 'gndn');
    expect(tag).toBe('test_|-gndn_|-gndn_|-succeed_without_changes');
    expect(Object.keys(rec).sort()).toEqual(['__id__', '__run_num__', '__sls__', 'changes', 'comment', 'duration', 'name', 'result', 'start_time']);
    expect(rec.__sls__).toBeNull();
    expect(rec.__run_num__).toBe(0);
    expect(rec.start_time).toMatch(/^\d\d:\d\d:\d\d\.\d{6}$/);
    expect(typeof rec.duration).toBe('number');
  });

  it.each([
    ['test.succeed_without_changes', true, false, 'Success!'],
    ['test.fail_without_changes', false, false, "If we weren't testing, this would be a failure!"],
    ['test.succeed_with_changes', null, true, "If we weren't testing, this would be successful with changes"],
    ['test.fail_with_changes', null, true, "If we weren't testing, this would be failed with changes"],
    ['test.configurable_test_state', null, true, 'This is a test'],
  ])('corpus 79: %s under test=True', async (fun, result, changed, comment) => {
    const { rec } = await single(fun, 'salt', {}, true);
    expect(rec.result).toBe(result);
    expect(Object.keys(rec.changes).length > 0).toBe(changed);
    expect(rec.comment).toBe(comment);
  });

  it('corpus 70: invalid umask is returned as an error list', async () => {
    const err = await runSingle(low('test.nop', '/tmp/x', { umask: 999 }), makeContext(), { test: false }).catch((e) => e);
    expect(err).toBeInstanceOf(CompileErrors);
    expect((err as CompileErrors).errors.map((e) => e.message)).toEqual(['Invalid umask: 999']);
  });

  it('an unknown function is an error list too', async () => {
    const err = await runSingle(low('nosuch.fn', 'x'), makeContext(), { test: false }).catch((e) => e);
    expect((err as CompileErrors).errors[0]!.message).toBe("State 'nosuch.fn' was not found in SLS 'None'\nReason: 'nosuch.fn' is not available.");
  });

  it('ignores requisites', async () => {
    const { rec } = await single('test.succeed_with_changes', 'x', { require: [{ test: 'nothing' }], watch: [{ cmd: 'nope' }] });
    expect(rec.result).toBe(true);
    expect(rec.comment).toBe('Success!');
  });

  it('honours retry: run number of the last attempt', async () => {
    const { rec } = await single('test.fail_without_changes', 'x', { retry: { attempts: 3, interval: 0 } });
    expect(rec.__run_num__).toBe(2);
    expect(String(rec.comment).split('\n')).toHaveLength(3);
  });

  it('reports progress events', async () => {
    const events: string[] = [];
    await runSingle(low('test.nop', 'x'), makeContext(), { test: false, onEvent: (e) => events.push(`${e.type}:${e.done}/${e.total}`) });
    expect(events).toEqual(['start:0/1', 'finish:1/1']);
  });
});
