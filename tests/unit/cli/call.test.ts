import { describe, expect, it } from 'vitest';
import { haliteRegistry, toReport } from '../../../engine/cli/call.js';
import { CallOutput } from '../../../engine/types.js';

describe('composition root', () => {
  it('builds one registry from states/ and the engine functions (no duplicate names)', () => {
    const reg = haliteRegistry();
    for (const f of ['state.apply', 'state.sls', 'state.single', 'state.sls_id', 'state.highstate', 'state.test', 'test.ping', 'sys.doc']) {
      expect(reg.exec.has(f), f).toBe(true);
    }
  });
});

describe('toReport (salt-call retcode rules)', () => {
  it.each([
    ['plain data', { a: 1 }, 'data', 0],
    ['a dict with result False', { result: false, comment: 'x' }, 'data', 1],
    ['a list', [false], 'data', 0],
    ['a state run', new CallOutput('states', {}, 2), 'states', 2],
    ['compile errors', new CallOutput('errors', ['e'], 1, [{ message: 'e' }]), 'errors', 1],
  ])('%s', (_l, value, kind, retcode) => {
    const r = toReport('local', 'x.y', value);
    expect(r.kind).toBe(kind);
    expect(r.retcode).toBe(retcode);
    expect(r.host).toBe('local');
  });
});
