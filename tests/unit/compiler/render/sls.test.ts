/**
 * renderSls end to end over a temp file root: pipes, imports, errors with file and line, root escapes, caching.
 */
import { mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { flushCodeCache } from '../../../../engine/compiler/render/jinja/codecache.js';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { RenderError } from '../../../../engine/errors.js';
import { renderSls, SlsRenderError } from '../../../../engine/compiler/render/index.js';
import { cleanup, renderEnv, tree } from './helpers.js';

afterAll(cleanup);

function fail(fn: () => unknown): SlsRenderError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RenderError);
    return e as SlsRenderError;
  }
  throw new Error('expected a render error');
}

describe('pipes', () => {
  const root = tree({
    'default.sls': "{% set n = 'x' %}\n{{ n }}:\n  test.nop: []\n",
    'yamlonly.sls': '#!yaml\nfoo:\n  test.nop:\n    - name: "{{ x }}"\n',
    'json.sls': '#!jinja|json\n{"{{ grains.os }}": {"test.nop": []}}\n',
    'old.sls': "#!yaml_jinja\n{{ 'a' }}: b.c\n",
    'plain.sls': 'a: "{{ x }}"\n',
    'bom.sls': '\ufeff#!yaml\nk: v\n',
    'empty.sls': '',
    'blank.sls': '  \n\n',
    'allcomment.sls': '# nothing\n',
    'py.sls': '#!py\ndef run():\n    return {}\n',
    'gpg.sls': '#!yaml|gpg\na: b\n',
    'unknown.sls': '#!nosuch\na: b\n',
  });
  const r = (f: string, over = {}) => renderSls(path.join(root, f), renderEnv(root, over));

  test('default jinja|yaml', () => expect(r('default.sls').data).toEqual({ x: { 'test.nop': [] } }));
  test('#!yaml leaves jinja literal', () => expect(r('yamlonly.sls').data).toEqual({ foo: { 'test.nop': [{ name: '{{ x }}' }] } }));
  test('#!jinja|json', () => {
    const out = r('json.sls');
    expect(out.data).toEqual({ Debian: { 'test.nop': [] } });
    expect(out.keyLines.get('Debian')).toBe(2);
  });
  test('a byte-order mark is ignored', () => expect(r('bom.sls').data).toEqual({ k: 'v' }));
  test('old combined name yaml_jinja', () => expect(r('old.sls').data).toEqual({ a: 'b.c' }));
  test('opts.renderer sets the default pipe', () =>
    expect(r('plain.sls', { opts: { renderer: 'yaml' } }).data).toEqual({ a: '{{ x }}' }));
  test.each(['empty.sls', 'blank.sls', 'allcomment.sls'])('%s renders to {}', (f) => expect(r(f).data).toEqual({}));
  test.each([
    ['py.sls', /renderer 'py' .*not supported/],
    ['gpg.sls', /renderer 'gpg' \(in 'yaml\|gpg'\) is not supported/],
    ['unknown.sls', /unknown renderer 'nosuch'/],
  ])('%s is refused with a clear error', (f, pattern) => {
    const e = fail(() => r(f));
    expect(e.message).toMatch(pattern);
    expect(e.message).toContain(path.join(root, f));
    expect(e.loc.file).toBe(path.join(root, f));
  });
  test('a missing file is a render error naming it', () => {
    expect(fail(() => r('nope.sls')).message).toContain(path.join(root, 'nope.sls'));
  });
});

describe('line maps', () => {
  test('keyLines and declLines follow the rendered text', () => {
    const root = tree({ 'x.sls': "{% for i in [1, 2] %}\nid{{ i }}:\n  test.nop:\n    - name: n{{ i }}\n{% endfor %}\n" });
    const out = renderSls(path.join(root, 'x.sls'), renderEnv(root));
    expect(out.keyLines.get('id1')).toBe(2);
    expect(out.keyLines.get('id2')).toBe(6);
    expect(out.declLines?.get('id2\u0000test.nop')).toBe(7);
    expect(out.file).toBe(path.join(root, 'x.sls'));
  });
});

describe('errors carry Salt message, file and line', () => {
  const root = tree({
    'undef.sls': 'foo:\n  test.nop:\n    - name: {{ nosuchvar }}\n',
    'attr.sls': 'foo:\n  test.nop:\n    - name: {{ grains.nosuchkey }}\n',
    'raise.sls': "a: 1\n{{ raise('custom failure message') }}\n",
    'dup.sls': 'foo:\n  test.nop: []\nfoo:\n  test.nop: []\n',
    'tab.sls': 'foo:\n\ttest.nop: []\n',
    'curly.sls': '#!yaml\nfoo:\n  - name: {{ x }}\n',
    'syntax.sls': 'a: 1\n{% if %}\n',
    'long.sls': Array.from({ length: 12 }, (_, i) => `k${i + 1}: ${i === 7 ? '{{ nope }}' : 'v'}`).join('\n') + '\n',
    'ifundef.sls': '{% if pillar.nokey %}a: 1{% endif %}\n',
  });
  const r = (f: string) => fail(() => renderSls(path.join(root, f), renderEnv(root)));

  test('undefined variable', () => {
    const e = r('undef.sls');
    expect(e.message).toBe(
      "Jinja variable 'nosuchvar' is undefined; line 3\n\n---\nfoo:\n  test.nop:\n    - name: {{ nosuchvar }}    <======================\n---",
    );
    expect(e.loc).toMatchObject({ file: path.join(root, 'undef.sls'), line: 3, sls: 'x' });
    expect(e.code).toBe('render');
  });
  test('undefined attribute', () => {
    const e = r('attr.sls');
    expect(e.message).toMatch(/^Jinja variable 'dict object' has no attribute 'nosuchkey'; line 3\n\n---\n/);
    expect(e.loc.line).toBe(3);
  });
  test('undefined value in a condition raises (StrictUndefined)', () => {
    expect(r('ifundef.sls').message).toMatch(/^Jinja variable 'dict object' has no attribute 'nokey'; line 1/);
  });
  test('raise()', () => {
    const e = r('raise.sls');
    expect(e.message).toMatch(/^Jinja error: custom failure message; line 2\n/);
    expect(e.loc.line).toBe(2);
  });
  test('context is cut to 5 lines either side', () => {
    const e = r('long.sls');
    expect(e.message).toBe(
      "Jinja variable 'nope' is undefined; line 8\n\n---\n[...]\nk3: v\nk4: v\nk5: v\nk6: v\nk7: v\nk8: {{ nope }}    <======================\nk9: v\nk10: v\nk11: v\nk12: v\n---",
    );
  });
  test('jinja syntax error', () => {
    const e = r('syntax.sls');
    expect(e.message).toMatch(/^Jinja syntax error: .*; line 2/s);
    expect(e.loc.line).toBe(2);
  });
  test('duplicate ID names both lines', () => {
    const e = r('dup.sls');
    expect(e.message).toBe(
      'while constructing a mapping\n  in "<unicode string>", line 1, column 1\nfound conflicting ID \'foo\'\n  in "<unicode string>", line 3, column 1',
    );
    expect(e.loc.line).toBe(3);
    expect(e.firstLine).toBe(1);
  });
  test('tab', () => {
    const e = r('tab.sls');
    expect(e.message).toBe('Illegal tab character');
    expect(e.loc.line).toBe(2);
  });
  test('double curly brace', () => expect(r('curly.sls').message).toBe('Invalid YAML, possible double curly-brace'));
});

describe('imports', () => {
  const root = tree({
    'defaults.yaml': "port: {{ 80 + 1 }}\nmode: 0644\nlist: [yes, no]\n",
    'data.json': '{"a": [1, 2]}\n',
    'motd.txt': 'hello {{ grains.os }}\n',
    'map.jinja': "{% import_yaml 'defaults.yaml' as defaults %}\n{% set m = salt['grains.filter_by']({'Debian': {'pkg': 'apache2'}}) %}\n{% macro who() %}{{ sls }}{% endmacro %}\n",
    'a/b/macros.jinja': "{% macro hello(x) %}hello-{{ x }}-{{ sls }}{% endmacro %}\n",
    'a/b/c.sls':
      "{% from './macros.jinja' import hello with context %}\n{% from 'map.jinja' import defaults %}\n{% import_json 'data.json' as j %}\n{% import_text 'motd.txt' as motd %}\n" +
      "id:\n  test.nop:\n    - m: {{ hello('w') }}\n    - port: {{ defaults.port }}\n    - mode: {{ defaults.mode }}\n    - list: {{ defaults.list }}\n    - j: {{ j.a }}\n    - motd: {{ motd | trim }}\n",
    'a/b/rel.sls': "{% import_yaml '../../defaults.yaml' as d %}\nk: {{ d.port }}\n",
    'a/b/inc.sls': "{% include 'a/b/part.jinja' %}\n",
    'a/b/part.jinja': 'inc: {{ slspath }}\n',
    'escape1.sls': "{% import_yaml '../outside.yaml' as d %}\nk: 1\n",
    'escape2.sls': "{% import_yaml '/../outside.yaml' as d %}\nk: 1\n",
    'escape3.sls': "{% import_yaml 'link.yaml' as d %}\nk: 1\n",
    'missing.sls': "{% import_yaml 'nope.yaml' as d %}\nk: 1\n",
    'err-in-import.sls': "{% import_yaml 'bad.yaml' as d %}\nk: 1\n",
    'bad.yaml': 'a: 1\nb: {{ nope }}\n',
  });
  writeFileSync(path.join(root, '..', `${path.basename(root)}-outside.yaml`), 'secret: 1\n');
  symlinkSync(path.join(root, '..', `${path.basename(root)}-outside.yaml`), path.join(root, 'link.yaml'));
  mkdirSync(`${root}-outside.d`, { recursive: true });
  writeFileSync(`${root}-outside.d/x.yaml`, 'secret: 1\n');
  symlinkSync(`${root}-outside.d`, path.join(root, 'linkdir'));
  writeFileSync(path.join(root, 'escape4.sls'), "{% import_yaml 'linkdir/x.yaml' as d %}\nk: 1\n");
  const r = (f: string, sls: string) => renderSls(path.join(root, f), renderEnv(root, { sls }));

  test('import_yaml/json/text, relative from-import with context, filter_by in map.jinja', () => {
    const out = r('a/b/c.sls', 'a.b.c');
    expect(out.data).toEqual({
      id: {
        'test.nop': [
          { m: 'hello-w-a.b.c' },
          { port: 81 },
          { mode: 644 },
          { list: [true, false] },
          { j: [1, 2] },
          { motd: 'hello Debian' },
        ],
      },
    });
  });
  test('../ relative to the importing template', () => expect(r('a/b/rel.sls', 'a.b.rel').data).toEqual({ k: 81 }));
  test('include sees the context', () => expect(r('a/b/inc.sls', 'a.b.inc').data).toEqual({ inc: 'a/b' }));
  test.each(['escape1.sls', 'escape2.sls', 'escape3.sls', 'escape4.sls'])('%s: escaping the root is refused', (f) => {
    const e = fail(() => r(f, f.replace('.sls', '')));
    expect(e.message).toMatch(/not found \(outside the file roots\)/);
  });
  test('missing import', () => expect(fail(() => r('missing.sls', 'missing')).message).toMatch(/Template 'nope.yaml' not found/));
  test('error inside an imported file points at that file', () => {
    const e = fail(() => r('err-in-import.sls', 'err-in-import'));
    expect(e.message).toMatch(
      /^Jinja variable 'nope' is undefined; line 2 of bad.yaml \(imported from err-in-import.sls, line 1\)\n\n---\na: 1\nb: \{\{ nope \}\}    <=+\n---$/,
    );
    expect(e.loc.file).toBe(path.join(root, 'bad.yaml'));
  });
});

describe('caching', () => {
  test('an edited file is re-rendered (mtime/size checked)', () => {
    const root = tree({ 'x.sls': 'a: 1\n', 'inc.yaml': 'v: 1\n', 'y.sls': "{% import_yaml 'inc.yaml' as i %}\nv: {{ i.v }}\n" });
    const env = renderEnv(root);
    expect(renderSls(path.join(root, 'x.sls'), env).data).toEqual({ a: 1 });
    expect(renderSls(path.join(root, 'y.sls'), env).data).toEqual({ v: 1 });
    writeFileSync(path.join(root, 'x.sls'), 'a: 22\n');
    writeFileSync(path.join(root, 'inc.yaml'), 'v: 2\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(root, 'x.sls'), later, later);
    utimesSync(path.join(root, 'inc.yaml'), later, later);
    expect(renderSls(path.join(root, 'x.sls'), env).data).toEqual({ a: 22 });
    expect(renderSls(path.join(root, 'y.sls'), env).data).toEqual({ v: 2 });
  });
  test('per-render variables do not leak between renders', () => {
    const root = tree({ 'x.sls': 'k: {{ pillar.v }}-{{ sls }}\n' });
    expect(renderSls(path.join(root, 'x.sls'), renderEnv(root, { pillar: { v: 1 }, sls: 'x' })).data).toEqual({ k: '1-x' });
    expect(renderSls(path.join(root, 'x.sls'), renderEnv(root, { pillar: { v: 2 }, sls: 'y' })).data).toEqual({ k: '2-y' });
  });
});

describe('compiled-template cache (opts.cachedir)', () => {
  test('writes compiled code under cachedir and never serves stale code', () => {
    const root = tree({ 'x.sls': "k: {{ 'a' ~ 1 }}\n" });
    const cachedir = tree({ 'keep': '' });
    const env = renderEnv(root, { opts: { cachedir } });
    expect(renderSls(path.join(root, 'x.sls'), env).data).toEqual({ k: 'a1' });
    flushCodeCache();
    const bundle = JSON.parse(readFileSync(path.join(cachedir, 'halite', 'jinja', 'bundle.json'), 'utf8')) as { entries: object };
    expect(Object.keys(bundle.entries)).toHaveLength(1);
    writeFileSync(path.join(root, 'x.sls'), "k: {{ 'b' ~ 2 }}\n");
    const later = new Date(Date.now() + 10000);
    utimesSync(path.join(root, 'x.sls'), later, later);
    expect(renderSls(path.join(root, 'x.sls'), env).data).toEqual({ k: 'b2' });
    expect(renderSls(path.join(root, 'x.sls'), renderEnv(root, { opts: { cachedir, halite_jinja_cache: false } })).data).toEqual({ k: 'b2' });
  });
  test('errors still carry file and line when the cache is on', () => {
    const root = tree({ 'e.sls': 'a: 1\nb: {{ nope }}\n' });
    const cachedir = tree({ 'keep': '' });
    for (let i = 0; i < 2; i++) {
      const e = fail(() => renderSls(path.join(root, 'e.sls'), renderEnv(root, { opts: { cachedir } })));
      expect(e.message).toMatch(/^Jinja variable 'nope' is undefined; line 2/);
    }
  });
});
