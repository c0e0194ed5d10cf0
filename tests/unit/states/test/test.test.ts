/**
 * The test state module and test.* execution functions (salt/states/test.py comments, §10, corpus 79).
 */
import { describe, expect, it } from 'vitest';
import { getRetcode } from '../../../../engine/runner/retcode.js';
import type { Dict, LowChunk, StateContext } from '../../../../engine/types.js';
import { testExecModule } from '../../../../states/test/exec.js';
import { PRETEND_CHANGES, testStateModule } from '../../../../states/test/index.js';
import { makeContext } from '../../runner/helpers.js';

function sctx(test: boolean, low: Dict = {}): StateContext {
  const ctx = makeContext({ test }) as StateContext;
  ctx.low = { state: 'test', fun: 'x', name: 'n', __id__: 'n', __sls__: 's', __env__: 'base', ...low } as LowChunk;
  return ctx;
}
const call = (f: string, test: boolean, args: Dict = {}) => testStateModule.functions[f]!.fn(sctx(test), 'n', args);

describe('test states', () => {
  it.each([
    ['succeed_without_changes', false, true, {}, 'Success!'],
    ['succeed_without_changes', true, true, {}, 'Success!'],
    ['succeed_with_changes', false, true, PRETEND_CHANGES, 'Success!'],
    ['succeed_with_changes', true, null, PRETEND_CHANGES, "If we weren't testing, this would be successful with changes"],
    ['fail_without_changes', false, false, {}, 'Failure!'],
    ['fail_without_changes', true, false, {}, "If we weren't testing, this would be a failure!"],
    ['fail_with_changes', false, false, PRETEND_CHANGES, 'Failure!'],
    ['fail_with_changes', true, null, PRETEND_CHANGES, "If we weren't testing, this would be failed with changes"],
    ['nop', false, true, {}, 'Success!'],
    ['nop', true, true, {}, 'Success!'],
    ['configurable_test_state', false, true, PRETEND_CHANGES, ''],
    ['configurable_test_state', true, null, PRETEND_CHANGES, 'This is a test'],
  ])('%s (test=%s)', async (f, test, result, changes, comment) => {
    expect(await call(f, test)).toEqual({ name: 'n', result, changes, comment });
  });

  it('comment kwarg of the succeed/fail states (corpus 18)', async () => {
    expect((await call('succeed_without_changes', false, { comment: 'mine' })).comment).toBe('mine');
    expect((await call('fail_with_changes', false, { comment: 'bad' })).comment).toBe('bad');
  });

  it('configurable_test_state arguments', async () => {
    expect(await call('configurable_test_state', false, { changes: false, result: false, comment: 'c', warnings: 'w' })).toEqual({ name: 'n', result: false, changes: {}, comment: 'c', warnings: ['w'] });
    expect((await call('configurable_test_state', true, { changes: 'False' })).result).toBe(true);
    expect([true, false]).toContain((await call('configurable_test_state', false, { result: 'Random' })).result);
    await expect(call('configurable_test_state', false, { result: 'sometimes' })).rejects.toThrow("state option 'Result'");
  });

  it('show_notification', async () => {
    expect(await call('show_notification', false, { text: 'hi' })).toEqual({ name: 'n', result: true, changes: {}, comment: 'hi' });
    await expect(call('show_notification', false, {})).rejects.toThrow('Missing required argument text.');
  });

  it('mod_watch lists the watched states that changed (and ignores test)', async () => {
    const a = { state: 'test', fun: 'succeed_with_changes', name: 'a', __id__: 'a' };
    const b = { state: 'cmd', fun: 'run', name: 'b', __id__: 'b' };
    const ctx = sctx(true, {
      __reqs__: { watch: [a, b] },
      __running__: { 'test_|-a_|-a_|-succeed_with_changes': { changes: { x: 1 } }, 'cmd_|-b_|-b_|-run': { changes: {} } },
    });
    expect(await testStateModule.mod_watch!(ctx, 'n', { sfun: 'nop' })).toEqual({
      name: 'n',
      result: true,
      comment: 'Watch statement fired.',
      changes: { 'Requisites with changes': ['test: a'] },
    });
  });

  it('configurable_test_state declares its parameters (unknown ones are refused)', () => {
    expect(testStateModule.functions.configurable_test_state!.params).toEqual(['changes', 'result', 'comment', 'warnings']);
    expect(testStateModule.functions.configurable_test_state!.anyKwargs).toBeFalsy();
  });
});

describe('test execution functions', () => {
  const fn = (f: string) => testExecModule.functions[f]!.fn;
  it('true/false/echo/arg', async () => {
    const ctx = makeContext();
    expect(await fn('true')(ctx, [], {})).toBe(true);
    expect(await fn('false')(ctx, [], {})).toBe(false);
    expect(await fn('echo')(ctx, ['hi'], {})).toBe('hi');
    expect(await fn('arg')(ctx, [1], { k: 2 })).toEqual({ args: [1], kwargs: { k: 2 } });
  });
  it('retcode sets the return code (default 42) and returns True', async () => {
    const ctx = makeContext();
    expect(await fn('retcode')(ctx, [], {})).toBe(true);
    expect(getRetcode(ctx)).toBe(42);
    await fn('retcode')(ctx, [], { code: 0 });
    expect(getRetcode(ctx)).toBe(0);
  });
  it('sleep returns True', async () => {
    expect(await fn('sleep')(makeContext(), [0.01], {})).toBe(true);
  });
});
