import { describe, expect, it } from 'vitest';
import { parseCallArgs, toBool, yamlifyArg } from '../../../engine/cli/args.js';
import { distance, suggest } from '../../../engine/cli/didyoumean.js';

describe('yamlifyArg (salt-call typing of CLI values)', () => {
  it.each([
    ['True', true],
    ['false', false],
    ['yes', true],
    ['2', 2],
    ['1.5', 1.5],
    ['0644', 644],
    ['None', null],
    ['null', null],
    ['hello', 'hello'],
    ['onlyif test', 'onlyif test'],
    ['{"a": 1}', { a: 1 }],
    ['[1, "x"]', [1, 'x']],
    ['[{"fun": "test.true"}]', [{ fun: 'test.true' }]],
    ['a: 1', 'a: 1'], // a mapping only from {…}
    ['- a', '- a'], // a list only from […]
    ['2020-01-01', '2020-01-01'], // timestamps stay strings
    ['#', '#'],
    ['echo hi # comment', 'echo hi # comment'],
    ['|', '|'],
    ['!', '!'],
    ['', ''],
    ['  ', '  '],
    ['{unbalanced', '{unbalanced'],
    ['http://x/y?a=b', 'http://x/y?a=b'],
  ])('%j → %j', (input, want) => {
    expect(yamlifyArg(input)).toEqual(want);
  });
});

describe('parseCallArgs', () => {
  it('splits positional args and key=value kwargs', () => {
    expect(parseCallArgs(['file.managed', '/tmp/x', 'contents=hi', 'test=True', 'mode=0644'])).toEqual({
      args: ['file.managed', '/tmp/x'],
      kwargs: { contents: 'hi', test: true, mode: 644 },
    });
  });
  it('keeps a value with spaces and = signs as one kwarg', () => {
    expect(parseCallArgs(['name=onlyif test', 'cmd=a=b c']).kwargs).toEqual({ name: 'onlyif test', cmd: 'a=b c' });
  });
  it('reads JSON values of kwargs', () => {
    expect(parseCallArgs(['pillar={"a": {"b": 1}}', 'onlyif=[{"fun": "test.true"}]']).kwargs).toEqual({
      pillar: { a: { b: 1 } },
      onlyif: [{ fun: 'test.true' }],
    });
  });
  it('does not take words that are not identifiers before = as kwargs', () => {
    expect(parseCallArgs(['1a=b', '=x', 'a==b']).args).toEqual(['1a=b', '=x', 'a==b']);
  });
});

describe('toBool', () => {
  it.each([
    ['True', true],
    ['false', false],
    [undefined, true],
    [0, false],
    ['junk', true],
  ])('%j → %j (default true)', (v, want) => expect(toBool(v, true)).toBe(want));
});

describe('did you mean', () => {
  it('measures edit distance', () => {
    expect(distance('state.aply', 'state.apply')).toBe(1);
    expect(distance('', 'abc')).toBe(3);
  });
  it('suggests close names, none for far ones', () => {
    const names = ['state.apply', 'state.sls', 'state.single', 'test.ping', 'grains.items'];
    expect(suggest('state.aply', names)[0]).toBe('state.apply');
    expect(suggest('tset.ping', names)).toContain('test.ping');
    expect(suggest('zzzzzzzz.qqqq', names)).toEqual([]);
  });
});
