/**
 * Errors inside imported/included templates and macros name the file (and line) where the error is, show that
 * file's lines, and say which template imported it; errors after an import still point at the right line.
 */
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { RenderError } from '../../../../engine/errors.js';
import { renderSls, type SlsRenderError } from '../../../../engine/compiler/render/index.js';
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

const MAP_SYNTAX = "{#- defaults -#}\n{%- set m = salt['grains.filter_by']({\n    'Debian': {'pkg': 'cron'},\n  }, grain='os_family',\n  default='Debian') %}\n{% if %}\n";
const root = tree({
  'web/map.jinja': MAP_SYNTAX,
  'web/init.sls': "{%- from 'web/map.jinja' import m with context %}\ninclude:\n  - .config\n\nweb_pkg:\n  pkg.installed:\n    - name: {{ m.pkg }}\n",
  'rt/map.jinja': "{% set a = 1 %}\n{{ grains.nosuch }}\n",
  'rt/init.sls': "# comment\n{% from 'rt/map.jinja' import a %}\nk: {{ a }}\n",
  'deep/a.jinja': "{% from 'deep/b.jinja' import x %}\n{% set y = x %}\n",
  'deep/b.jinja': "{% set x = 1 %}\n\n{{ nope }}\n",
  'deep/init.sls': "\n\n{% from 'deep/a.jinja' import y %}\nk: {{ y }}\n",
  'after/map.jinja': "{% set m = 1 %}\n",
  'after/init.sls': "{% from 'after/map.jinja' import m %}\na: {{ m }}\n\nb: {{ nope }}\n",
  'mac/macros.jinja': "{% macro f(x) %}\n{{ x.missing }}\n{% endmacro %}\n",
  'mac/init.sls': "{% from 'mac/macros.jinja' import f %}\na: 1\nb: {{ f({}) }}\n",
  'inc/part.jinja': "ok: 1\nbad: {{ nope }}\n",
  'inc/init.sls': "x: 1\n{% include 'inc/part.jinja' %}\n",
  'miss/init.sls': "a: 1\n{% from 'miss/nope.jinja' import m %}\n",
});
const r = (sls: string) => fail(() => renderSls(path.join(root, sls.replace(/\./g, '/'), 'init.sls'), renderEnv(root, { sls })));

describe('errors in imported templates', () => {
  test('syntax error in map.jinja: that file, its line and context, and the importing SLS', () => {
    const e = r('web');
    expect(e.message).toBe(
      'Jinja syntax error: unexpected token: %}; line 6 of web/map.jinja (imported from web/init.sls, line 1)\n\n' +
        "---\n{#- defaults -#}\n{%- set m = salt['grains.filter_by']({\n    'Debian': {'pkg': 'cron'},\n  }, grain='os_family',\n  default='Debian') %}\n{% if %}    <======================\n---",
    );
    expect(e.loc).toMatchObject({ file: path.join(root, 'web/map.jinja'), line: 6, sls: 'web' });
  });
  test('runtime error at the top level of an imported template', () => {
    const e = r('rt');
    expect(e.message).toMatch(/^Jinja variable 'dict object' has no attribute 'nosuch'; line 2 of rt\/map.jinja \(imported from rt\/init.sls, line 2\)\n\n---\n/);
    expect(e.message).toContain('{{ grains.nosuch }}    <===');
    expect(e.loc).toMatchObject({ file: path.join(root, 'rt/map.jinja'), line: 2 });
  });
  test('two levels of imports: the whole chain', () => {
    const e = r('deep');
    expect(e.message).toMatch(
      /^Jinja variable 'nope' is undefined; line 3 of deep\/b.jinja \(imported from deep\/a.jinja, line 1, imported from deep\/init.sls, line 3\)\n/,
    );
    expect(e.loc).toMatchObject({ file: path.join(root, 'deep/b.jinja'), line: 3 });
  });
  test('an error after an import is on the importing file and its own line', () => {
    const e = r('after');
    expect(e.message).toMatch(/^Jinja variable 'nope' is undefined; line 4\n\n---\n/);
    expect(e.loc).toMatchObject({ file: path.join(root, 'after/init.sls'), line: 4 });
  });
  test('an error inside an imported macro names the macro file and line', () => {
    const e = r('mac');
    expect(e.message).toMatch(/^Jinja variable 'dict object' has no attribute 'missing'; line 2 of mac\/macros.jinja \(imported from mac\/init.sls\)\n/);
    expect(e.loc).toMatchObject({ file: path.join(root, 'mac/macros.jinja'), line: 2 });
  });
  test('an error in an included template', () => {
    const e = r('inc');
    expect(e.message).toMatch(/^Jinja variable 'nope' is undefined; line 2 of inc\/part.jinja \(imported from inc\/init.sls, line 2\)\n\n---\nok: 1\nbad: \{\{ nope \}\}    <=+\n---$/);
    expect(e.loc).toMatchObject({ file: path.join(root, 'inc/part.jinja'), line: 2 });
  });
  test('a missing import is reported at the import line', () => {
    const e = r('miss');
    expect(e.message).toMatch(/Template 'miss\/nope.jinja' not found; line 2\n/);
    expect(e.loc).toMatchObject({ file: path.join(root, 'miss/init.sls'), line: 2 });
  });
});
