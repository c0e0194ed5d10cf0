/**
 * The fast YAML path must agree with the full loader wherever it does not decline.
 */
import { describe, expect, test } from 'vitest';
import { FALLBACK, fastLoad } from '../../../../engine/compiler/render/fastyaml.js';
import { loadSaltYamlFull } from '../../../../engine/compiler/render/yaml.js';

// [name, yaml, should the fast path take it?]
const docs: [string, string, boolean][] = [
  ['typical sls', 'include:\n  - a.b\n\nfoo:\n  pkg.installed:\n    - name: vim\n    - version: 1.0\n  service.running:\n    - enable: True\n    - watch:\n      - file: /etc/x\n', true],
  ['compact sequence under key', 'a:\n- 1\n- two\nb: 3\n', true],
  ['nested seq item mapping keys', 'x:\n  file.managed:\n    - name: /a\n      mode: 0644\n      user: root\n    - require:\n        - pkg: p\n', true],
  ['scalars', "a: [0644, 010, yes, on, off, No, 2024-01-02, 1_000, 0x1F, 08, ~, 1e3, 1.0e3, '0644']\nb: -12\nc: .5\nd: ''\ne: \"x\\ty\"\n", true],
  ['flow mapping', "a: {b: 1, 'c d': [1, 2], e: {f: null}}\nf: []\ng: {}\n", true],
  ['comments', '# top\na: 1 # c\nb: "x # not" # c\nc: x#y\n  # indented comment\nd:\n  # c\n  - 1\n', true],
  ['quoted keys', "'a b': 1\n\"c\": 2\n'it''s': 3\n", true],
  ['non-string keys', '123: a\nyes: b\n~: c\n1.5: d\n', true],
  ['urls and colons', 'a: http://x/y\nb: [http://a, c:d]\nc: "k: v"\n', true],
  ['empty values', 'a:\nb:\n  -\n  - 1\nc: ~\n', true],
  ['top-level list', '- a\n- b: 1\n  c: 2\n', true],
  ['unicode', 'a: héllo\nb: "\\u00e9"\n', true],
  ['only comments', '# nothing\n\n', true],
  ['literal block', 'a: |\n  line1\n\n    more\n  # not a comment\n  line2\n\nb: 1\n', true],
  ['literal block strip, in a list', 'a:\n  - |-\n    x\n    y\n  - name: |\n      z\n  - 1\nb: |  # c\n  q\n', true],
  ['literal block at end without newline', 'a: |\n  x', false],
  ['literal keep', 'a: |+\n  x\n\nb: 1\n', false],
  ['literal with indentation indicator', 'a: |2\n   x\n', false],
  ['folded scalar', 'a: >-\n  x\n  y\n', false],
  ['multi-line plain', 'a: this is\n  continued\n', false],
  ['anchors', 'a: &x 1\nb: *x\n', false],
  ['merge', 'a: &x {k: 1}\nb:\n  <<: *x\n', false],
  ['tags', 'a: !!str 1\n', false],
  ['duplicate', 'a: 1\na: 2\n', false],
  ['multi-line flow', 'a: [1,\n  2]\n', false],
  ['document marker', '---\na: 1\n', false],
  ['tab', 'a:\n\t- 1\n', false],
  ['crlf', 'a: 1\r\nb: 2\r\n', false],
  ['plain scalar doc', 'hello\n', false],
  ['mapping value error', 'a: b: c\n', false],
  ['dict as key', 'a:\n  - name: {{ x }}\n', false],
  ['multi-line double quoted', 'a: "x\n  y"\n', false],
];

describe('fast YAML path agrees with the full loader', () => {
  test.each(docs)('%s', (_name, src, fast) => {
    const f = fastLoad(src);
    expect(f === FALLBACK).toBe(!fast);
    if (f === FALLBACK) return;
    const full = loadSaltYamlFull(src);
    expect(f.data).toEqual(full.data);
    expect([...f.keyLines]).toEqual([...full.keyLines]);
    expect([...f.declLines]).toEqual([...full.declLines]);
    expect([...f.keyTypes]).toEqual([...full.keyTypes]);
  });
});
