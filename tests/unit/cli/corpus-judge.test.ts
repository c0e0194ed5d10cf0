import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { equal, judgeStep, subset, typeName } from '../../helpers/corpus-judge.js';

const obs = (R: unknown, code = 0, ms = 100) => ({ code, ms, stdout: JSON.stringify({ local: R }), stderr: '' });
const rec = (p: object) => ({ name: 'n', result: true, comment: 'ok', changes: {}, __run_num__: 0, __id__: 'A', __sls__: 's', duration: 5, ...p });

describe('corpus comparison rules', () => {
  it('equal: key order ignored, true is not 1, arrays ordered', () => {
    expect(equal({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1.0 })).toBe(true);
    expect(equal(true, 1)).toBe(false);
    expect(equal([1, 2], [2, 1])).toBe(false);
    expect(equal(null, undefined)).toBe(false);
  });
  it('subset: objects by key, arrays whole', () => {
    expect(subset({ a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 })).toBe(true);
    expect(subset({ a: [1] }, { a: [1, 2] })).toBe(false);
    expect(subset({ a: null }, {})).toBe(false);
  });
  it('Python type names', () => {
    expect([typeName({}), typeName([]), typeName('x'), typeName(1), typeName(1.5), typeName(true), typeName(null)]).toEqual(['dict', 'list', 'str', 'int', 'float', 'bool', 'NoneType']);
  });
});

describe('judgeStep', () => {
  const R = { 'test_|-A_|-n_|-nop': rec({}), 'cmd_|-B_|-echo_|-run': rec({ __id__: 'B', result: false, comment: 'Command "echo" run', changes: { retcode: 1 }, __run_num__: 1 }) };
  it.each([
    ['retcode ok', { retcode: 2 }, obs(R, 2), 0],
    ['retcode wrong', { retcode: 0 }, obs(R, 2), 1],
    ['wall time', { max_wall_seconds: 1 }, obs(R, 0, 1500), 1],
    ['states + exact_tags', { states: { 'test_|-A_|-n_|-nop': { result: true, changes: false, run_num: 0 } }, exact_tags: true }, obs(R), 1],
    ['states all tags', { states: { 'test_|-A_|-n_|-nop': { result: true }, 'cmd_|-B_|-echo_|-run': { result: false, comment_contains: 'echo' } }, exact_tags: true }, obs(R), 0],
    ['by_id', { by_id: { B: { result_falsy: true, changes: true, changes_subset: { retcode: 1 } } } }, obs(R), 0],
    ['null is not false', { by_id: { A: { result: null } } }, obs(R), 1],
    ['all', { all: { sls_is_str: true, has_keys: ['__run_num__'], duration_gte: 5 } }, obs(R), 0],
    ['single needs one record', { single: { result: true } }, obs(R), 1],
    ['present / absent', { present: ['test_|-A_|-n_|-nop'], absent: ['x'] }, obs(R), 0],
    ['compile_failed on a dict', { compile_failed: true }, obs(R, 1), 1],
    ['errors', { compile_failed: true, errors: ['e1', 'e2'] }, obs(['e1', 'e2'], 1), 0],
    ['errors_contain whole element', { errors_contain: ['e'] }, obs(['e1'], 1), 1],
    ['error_startswith', { error_startswith: 'No matching' }, obs(["No matching sls found for 'x'"], 1), 0],
    ['return + type', { return: ['core'], return_type: 'list', items_type: 'str' }, obs(['core']), 0],
    ['return_subset', { return_subset: { base: ['a'] } }, obs({ base: ['a'], dev: [] }), 0],
    ['item0_subset_contains', { item0_subset_contains: { require: { test: 'A' } } }, obs([{ require: [{ test: 'A' }] }]), 0],
    ['states on a list', { states: { x: {} } }, obs(['err'], 1), 1],
    ['unknown key', { frobnicate: 1 }, obs(R), 1],
  ])('%s', (_l, exp, o, nfail) => {
    expect(judgeStep(exp as never, o)).toHaveLength(nfail);
  });
  it('stdout that is not JSON fails whatever is expected, process keys still judged', () => {
    const errs = judgeStep({ retcode: 0 }, { code: 1, ms: 1, stdout: 'local:\n  x', stderr: '' });
    expect(errs).toHaveLength(2);
  });
  it('accepts a bare R', () => {
    expect(judgeStep({ return: [1] }, { code: 0, ms: 1, stdout: '[1]', stderr: '' })).toEqual([]);
  });
  it('files and modes', () => {
    const d = mkdtempSync(join(tmpdir(), 'judge-'));
    writeFileSync(join(d, 'f'), 'x');
    chmodSync(join(d, 'f'), 0o640);
    expect(judgeStep({ files_exist: [join(d, 'f')], files_absent: [join(d, 'g')], file_modes: { [join(d, 'f')]: '640' } }, obs({}))).toEqual([]);
    expect(judgeStep({ file_modes: { [join(d, 'f')]: '644' } }, obs({}))).toHaveLength(1);
  });
});
