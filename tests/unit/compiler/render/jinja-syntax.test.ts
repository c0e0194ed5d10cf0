/**
 * Jinja2 syntax nunjucks lacks, each checked against the output Jinja2 gives: trailing commas, tuples,
 * `{% with %}`, Salt's `ifelse` global.
 */
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { renderSls, renderTemplate } from '../../../../engine/compiler/render/index.js';
import { cleanup, renderEnv, tree } from './helpers.js';

afterAll(cleanup);

const root = tree({ dummy: '' });
const render = (t: string) => renderTemplate(t, 'jinja', renderEnv(root));

// [name, template, expected output]
const cases: [string, string, string][] = [
  ['dict trailing comma', "{{ {'a': 1, 'b': 2,} }}", "{'a': 1, 'b': 2}"],
  ['list trailing comma', '{{ [1, 2,] }}', '[1, 2]'],
  ['tuple trailing comma', '{{ (1, 2,) }}', '(1, 2)'],
  ['nested trailing commas in set', "{% set d = {'a': {'b': [1,],},} %}{{ d }}", "{'a': {'b': [1]}}"],
  ['multi-line dict with trailing comma', "{% set d = {\n  'x': 1,\n  'y': 2,\n} %}{{ d.y }}", '2'],
  ['call argument list trailing comma', "{{ '{}-{}'.format('a', 'b',) }}", 'a-b'],
  ['keyword argument trailing comma', '{{ dict(a=1,) }}', "{'a': 1}"],
  ['macro definition and call trailing commas', '{% macro f(a, b=2,) %}{{ a }}{{ b }}{% endmacro %}{{ f(1,) }}{{ f(1, b=3,) }}', '1213'],
  ['filter argument trailing comma', "{{ ['a', 'b'] | join(',',) }}", 'a,b'],
  ['one-element tuple', "{{ ('a',) }}", "('a',)"],
  ['empty tuple', '{{ () }}', '()'],
  ['parenthesised expression is not a tuple', '{{ (1 + 2) * 3 }}', '9'],
  ['tuple membership', "{{ 'b' in ('a', 'b') }}", 'True'],
  ['items() gives tuples', "{{ {'a': 1}.items() | list }}", "[('a', 1)]"],
  ['dictsort gives tuples', "{{ {'b': 1, 'a': 2} | dictsort }}", "[('a', 2), ('b', 1)]"],
  ['tuple in a list', "{{ [(1, 'x'), (2, 'y')] }}", "[(1, 'x'), (2, 'y')]"],
  ['tuple unpacking in for', "{% for a, b in [(1, 2), (3, 4)] %}{{ a + b }};{% endfor %}", '3;7;'],
  ['tuple % formatting', "{{ '%s=%s' % ('k', 'v') }}", 'k=v'],
  ['float literal prints as a float', '{{ 1.0 }} {{ 2.50 }} {{ -3.0 }}', '1.0 2.5 -3.0'],
  ['true division gives a float', '{{ 4 / 2 }} {{ 7 / 2 }} {{ 7 // 2 }}', '2.0 3.5 3'],
  ['a float operand makes a float result', '{{ 1.0 + 1 }} {{ 2 * 1.5 }} {{ 3 - 1 }} {{ 0.5 + 0.5 }}', '2.0 3.0 2 1.0'],
  ['floats in containers', "{{ [1.0, 2] }} {{ {'a': 4 / 4} }}", "[1.0, 2] {'a': 1.0}"],
  ['float equality and truthiness', '{{ 1.0 == 1 }} {{ 2.0 > 1 }} {{ 0.0 or "z" }} {% if 0.0 %}T{% else %}F{% endif %}', 'True True z F'],
  ['float through set and filters', "{% set x = 10 / 5 %}{{ x }} {{ x | int }} {{ '3' | float }} {{ x | string }} {{ '%s|%d' % (x, x) }}", '2.0 2 3.0 2.0 2.0|2'],
  ['float tests', '{{ 1.0 is float }} {{ 1 is float }} {{ 1.0 is number }}', 'True False True'],
  ['with scopes its names', "{% set x = 'out' %}{% with x = 'in', y = 2 %}{{ x }}{{ y }}{% endwith %}{{ x }}", 'in2out'],
  ['with: values see the outer scope', "{% set a = 1 %}{% with a = a + 1 %}{{ a }}{% endwith %}{{ a }}", '21'],
  ['with: set inside stays inside', "{% set z = 1 %}{% with %}{% set z = 2 %}{{ z }}{% endwith %}{{ z }}", '21'],
  ['with inside a for loop', "{% for i in [1, 2] %}{% with j = i * 10 %}{{ j }};{% endwith %}{% endfor %}", '10;20;'],
  ['ifelse: glob on the minion id', "{{ ifelse('web*', 'w', 'test*', 't', 'd') }}", 't'],
  ['ifelse: grain matcher', "{{ ifelse('G@os:RedHat', 'r', 'G@os:Debian', 'deb', 'd') }}", 'deb'],
  ['ifelse: default', "{{ ifelse('nomatch*', 'x', 'dflt') }}", 'dflt'],
  ['ifelse: minion_id', "{{ ifelse('web*', 'w', 'd', minion_id='web01') }}", 'w'],
];

describe('Jinja2 syntax', () => {
  test.each(cases)('%s', (_name, template, expected) => {
    expect(render(template)).toBe(expected);
  });
  test('execution functions get plain numbers for floats', () => {
    const env = renderEnv(root);
    renderTemplate("{{ salt['x.y'](1.0, t=4 / 2) }}", 'jinja', env);
    expect(env.calls).toEqual([['x.y', [1], { t: 2 }]]);
    expect(typeof env.calls[0]![1][0]).toBe('number');
  });
  test('ifelse needs an odd number of arguments', () => {
    expect(() => render("{{ ifelse('a', 'b') }}")).toThrow(/The ifelse function must have an odd number of arguments!/);
  });
});

describe('trailing commas in a real formula map', () => {
  // The shape of examples/webapp/salt/webapp/map.jinja: filter_by over a multi-line dict with a trailing comma.
  const r = tree({
    'webapp/map.jinja':
      "{%- set webapp = salt['grains.filter_by']({\n    'Debian': {'pkg': 'cron'},\n    'RedHat': {'pkg': 'cronie'},\n  }, grain='os_family', default='Debian') %}\n",
    'webapp/init.sls': "{%- from 'webapp/map.jinja' import webapp with context %}\nwebapp_pkg:\n  pkg.installed:\n    - name: {{ webapp.fun }}\n",
  });
  test('renders, and filter_by gets the whole dict and its keyword arguments', () => {
    const env = renderEnv(r, { sls: 'webapp' });
    const out = renderSls(path.join(r, 'webapp/init.sls'), env);
    expect(out.data).toEqual({ webapp_pkg: { 'pkg.installed': [{ name: 'grains.filter_by' }] } });
    expect(env.calls).toEqual([['grains.filter_by', [{ Debian: { pkg: 'cron' }, RedHat: { pkg: 'cronie' } }], { grain: 'os_family', default: 'Debian' }]]);
  });
});
