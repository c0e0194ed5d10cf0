/**
 * YAML as Salt reads it (PyYAML 1.1 SafeLoader + Salt's loader): scalar resolution, duplicate keys, line maps.
 */
import { describe, expect, test } from 'vitest';
import { loadSaltYaml } from '../../../../engine/compiler/render/yaml.js';

// [yaml scalar as written, value Salt loads]
const scalars: [string, unknown][] = [
  ['0644', 644],
  ['010', 10],
  ['0', 0],
  ['00', 0],
  ['08', '08'],
  ['09:30', '09:30'],
  ['-0644', -420], // PyYAML octal for a signed value: Salt only strips zeros of unsigned ones
  ['1_000', 1000],
  ['0x1F', 31],
  ['0b101', 5],
  ['1:20', 80], // sexagesimal
  ['+12', 12],
  ['yes', true],
  ['Yes', true],
  ['YES', true],
  ['yEs', 'yEs'],
  ['on', true],
  ['On', true],
  ['off', false],
  ['No', false],
  ['n', 'n'],
  ['y', 'y'],
  ['true', true],
  ['False', false],
  ['~', null],
  ['null', null],
  ['Null', null],
  ['', null],
  ['2024-01-02', '2024-01-02'],
  ['2024-01-02 10:00:00', '2024-01-02 10:00:00'],
  ['1e3', '1e3'],
  ['1.0e3', '1.0e3'],
  ['1.0e+3', 1000],
  ['1.5', 1.5],
  ['.5', 0.5],
  ['.inf', Infinity],
  ["'0644'", '0644'],
  ['"yes"', 'yes'],
  ['!!str 0644', '0644'],
  ['0o17', '0o17'],
];

describe('scalars resolve as PyYAML 1.1 + Salt', () => {
  test.each(scalars)('%s', (src, want) => {
    expect((loadSaltYaml(`k: ${src}\n`).data as { k: unknown }).k).toEqual(want);
  });

  test('the reference list from the semantics notes', () => {
    const src = "[0644, 010, yes, on, off, No, 2024-01-02, 1_000, 0x1F, 08, ~, 1e3, 1.0e3, '0644']";
    expect(loadSaltYaml(src).data).toEqual([644, 10, true, true, false, false, '2024-01-02', 1000, 31, '08', null, '1e3', '1.0e3', '0644']);
  });
});

describe('structure', () => {
  test('mappings keep insertion order', () => {
    expect(Object.keys(loadSaltYaml('zeta: 1\nalpha: 2\nmid: 3\n').data as object)).toEqual(['zeta', 'alpha', 'mid']);
  });

  test('merge keys and anchors work', () => {
    expect(loadSaltYaml('base: &b {a: 1}\nx:\n  <<: *b\n  c: 2\n').data).toEqual({ base: { a: 1 }, x: { a: 1, c: 2 } });
  });

  test('keyLines, declLines and keyTypes', () => {
    const r = loadSaltYaml('# comment\ninclude:\n  - a\nfoo:\n  pkg.installed:\n    - name: x\n  service:\n    - running\n123: bar\n');
    expect([...r.keyLines]).toEqual([['include', 2], ['foo', 4], ['123', 9]]);
    expect(r.declLines.get('foo\u0000pkg.installed')).toBe(5);
    expect(r.declLines.get('foo\u0000service')).toBe(7);
    expect(r.keyTypes.get('123')).toBe('int');
    expect(r.keyTypes.has('foo')).toBe(false);
  });
});

// [name, yaml, message pattern, line, first line]
const errors: [string, string, RegExp, number, number | undefined][] = [
  [
    'duplicate top-level ID',
    'foo:\n  test.nop: []\nbar: 1\nfoo: 2\n',
    /^while constructing a mapping\n  in "<unicode string>", line 1, column 1\nfound conflicting ID 'foo'\n  in "<unicode string>", line 4, column 1$/,
    4,
    1,
  ],
  ['duplicate nested key', 'a:\n  b: 1\n  c: 2\n  b: 3\n', /found conflicting ID 'b'\n  in "<unicode string>", line 4, column 3/, 4, 2],
  ['second extend block', 'extend:\n  a: {}\nx: 1\nextend:\n  b: {}\n', /found conflicting ID 'extend'/, 4, 1],
  ['tab indentation', 'foo:\n\ttest.nop: []\n', /^Illegal tab character$/, 2, undefined],
  ['dict as a key (unrendered jinja)', 'foo:\n  - name: {{ x }}\n', /^Invalid YAML, possible double curly-brace$/, 2, undefined],
  ['syntax error carries a line', 'a: [1, 2\nb: 3\n', /line \d+, column \d+/, 0, undefined],
];

describe('errors', () => {
  test.each(errors)('%s', (_name, src, pattern, line, first) => {
    let err: { message: string; line?: number; firstLine?: number } | undefined;
    try {
      loadSaltYaml(src);
    } catch (e) {
      err = e as typeof err;
    }
    expect(err).toBeDefined();
    expect(err!.message).toMatch(pattern);
    if (line) expect(err!.line).toBe(line);
    else expect(err!.line).toBeGreaterThan(0);
    expect(err!.firstLine).toBe(first);
  });
});
