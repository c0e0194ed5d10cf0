/**
 * Jinja features real Salt formulas use, each checked against the output Jinja (Salt) gives.
 */
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { renderTemplate } from '../../../../engine/compiler/render/index.js';
import { cleanup, renderEnv, tree } from './helpers.js';

afterAll(cleanup);

const root = tree({ 'dummy': '' });
const render = (t: string, over = {}) => renderTemplate(t, 'jinja', { ...renderEnv(root), ...over });

// [name, template, expected output]
const cases: [string, string, string][] = [
  // printing Python-style
  ['True prints True', '{{ True }}', 'True'],
  ['None prints None', '{{ None }}', 'None'],
  ['lowercase literals', '{{ true }} {{ none }}', 'True None'],
  ['dict prints like Python', "{{ {'a': 'b'} }}", "{'a': 'b'}"],
  ['list prints like Python', "{{ ['a', 'b'] }}", "['a', 'b']"],
  ['nested repr', "{{ {'a': [1, None, True, \"it's\"]} }}", `{'a': [1, None, True, "it's"]}`],
  ['trailing newline kept', 'x\n', 'x\n'],
  // Python truthiness and operators
  ['empty list is false', '{% if [] %}T{% else %}F{% endif %}', 'F'],
  ['empty dict is false', '{% if {} %}T{% else %}F{% endif %}', 'F'],
  ['or returns operand', "{{ [] or 'x' }}", 'x'],
  ['and returns operand', "{{ 'a' and 'b' }}", 'b'],
  ['not', '{{ not [] }}', 'True'],
  ['list concat', '{{ [1] + [2] }}', '[1, 2]'],
  ['string repeat', "{{ '-' * 3 }}", '---'],
  ['tilde concat', "{{ 'a' ~ 1 ~ True }}", 'a1True'],
  ['percent format tuple', "{{ '%s-%d' % ('a', 2) }}", 'a-2'],
  ['equality is by value', '{{ [1, 2] == [1, 2] }} {{ 1 == "1" }}', 'True False'],
  ['chained comparison', '{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }}', 'True False'],
  ['in on dict/list/str', "{{ 'a' in {'a': 1} }} {{ 2 in [1, 2] }} {{ 'b' in 'abc' }} {{ 'z' not in 'abc' }}", 'True True True True'],
  ['tuple literal', "{{ ('a', 'b') }}", "('a', 'b')"],
  ['slice', "{{ [1, 2, 3][1:] }} {{ [1, 2, 3][::-1] }} {{ 'abcd'[1:3] }} {{ [1, 2, 3][-2:] }}", "[2, 3] [3, 2, 1] bc [2, 3]"],
  // str methods
  ['lower/upper', "{{ 'Ab'.lower() }} {{ 'Ab'.upper() }}", 'ab AB'],
  ['split', "{{ 'a,b,c'.split(',') }} {{ ' a  b '.split() }} {{ 'a,b,c'.split(',', 1) }}", "['a', 'b', 'c'] ['a', 'b'] ['a', 'b,c']"],
  ['startswith/endswith', "{{ 'abc'.startswith('ab') }} {{ 'abc'.endswith('bc') }} {{ 'abc'.startswith(('x', 'a')) }}", 'True True True'],
  ['strip family', "{{ '  x '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ ' x'.lstrip() }}|{{ 'x '.rstrip() }}|", 'x|a|x|x|'],
  ['replace', "{{ 'a-b-c'.replace('-', '_') }}", 'a_b_c'],
  ['format', "{{ '{}:{}'.format('h', 80) }} {{ '{0}{0}'.format('x') }} {{ '{n}!'.format(n='hi') }} {{ '{:>4}'.format('a') }}", 'h:80 xx hi!    a'],
  ['join', "{{ ', '.join(['a', 'b']) }}", 'a, b'],
  ['title/capitalize', "{{ 'hello world'.title() }} {{ 'hELLO'.capitalize() }}", 'Hello World Hello'],
  ['isdigit/zfill', "{{ '12'.isdigit() }} {{ '7'.zfill(3) }}", 'True 007'],
  // dict/list methods
  ['items', "{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}", 'a=1;b=2;'],
  ['keys/values', "{{ {'a': 1}.keys() | list }} {{ {'a': 1}.values() | list }}", "['a'] [1]"],
  ['get with default', "{{ {'a': 1}.get('a') }} {{ {'a': 1}.get('b', 'd') }} {{ {}.get('x') }}", '1 d None'],
  ['update via do', "{% set d = {'a': 1} %}{% do d.update({'b': 2}) %}{{ d }}", "{'a': 1, 'b': 2}"],
  ['setdefault', "{% set d = {} %}{% do d.setdefault('l', []).append(1) %}{{ d }}", "{'l': [1]}"],
  ['append', '{% set l = [] %}{% do l.append(1) %}{% do l.append(2) %}{{ l }}', '[1, 2]'],
  ['method beats key for calls', "{% set d = {'items': 5} %}{{ d.items() | list }} {{ d['items'] }}", "[('items', 5)] 5"],
  ['for over dict iterates keys', "{% for k in {'a': 1, 'b': 2} %}{{ k }}{% endfor %}", 'ab'],
  ['loop vars', '{% for x in [5, 6] %}{{ loop.index }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex0 }}{% endfor %}', '1TrueFalse212FalseTrue20'],
  ['for … if filters items (loop.index counts kept ones)', '{% for x in [1, 2, 3, 4] if x is even %}{{ loop.index }}:{{ x }} {% endfor %}', '1:2 2:4 '],
  ['for k, v … if', "{% for k, v in {'a': 1, 'b': 2}.items() if v > 1 %}{{ k }}{% endfor %}", 'b'],
  ['loop.cycle', "{% for x in [1, 2, 3] %}{{ loop.cycle('a', 'b') }}{% endfor %}", 'aba'],
  ['nested loops keep their own loop', '{% for a in [1, 2] %}{% for b in [1] %}{{ loop.index }}{% endfor %}{{ loop.index }}{% endfor %}', '1112'],
  ['format filter', "{{ '%s-%03d' | format('a', 7) }}", 'a-007'],
  // tests
  ['is defined / undefined', '{{ nosuch is defined }} {{ nosuch is undefined }} {{ grains is defined }}', 'False True True'],
  ['is none', '{{ None is none }} {{ 1 is none }}', 'True False'],
  ['is string / mapping', "{{ 'a' is string }} {{ {} is mapping }} {{ [] is mapping }}", 'True True False'],
  ['is number/sequence', '{{ 1 is number }} {{ [1] is sequence }} {{ [] is iterable }}', 'True True True'],
  ['is match (Salt)', "{{ 'abc' is match('a.c') }} {{ 'xabc' is match('a') }}", 'True False'],
  // filters
  ['default on undefined', "{{ nosuch | default('d') }} {{ nosuch | d('e') }} {{ '' | default('x', true) }}", 'd e x'],
  ['yaml flow', "{{ {'a': 1, 'b': [1, 2]} | yaml }}", '{a: 1, b: [1, 2]}'],
  ['yaml block', "{{ {'a': 1} | yaml(False) }}", 'a: 1'],
  ['yaml quotes yaml-ish strings', "{{ ['yes', '0644', 'plain'] | yaml }}", "['yes', '0644', plain]"],
  ['json sorted', "{{ {'b': 1, 'a': [True, None]} | json }}", '{"a": [true, null], "b": 1}'],
  ['tojson insertion order, escaped', "{{ {'b': '<x>', 'a': 1} | tojson }}", '{"b": "\\u003cx\\u003e", "a": 1}'],
  ['load_yaml/load_json filters', "{{ ('a: 0644' | load_yaml).a }} {{ ('{\"x\": [1]}' | load_json).x }}", '644 [1]'],
  ['join filter', "{{ ['a', 'b'] | join(',') }} {{ [{'n': 'x'}, {'n': 'y'}] | join('-', attribute='n') }}", 'a,b x-y'],
  ['unique', '{{ [1, 2, 1, 3] | unique }}', '[1, 2, 3]'],
  ['to_bool', "{{ 'yes' | to_bool }} {{ 'off' | to_bool }} {{ 1 | to_bool }}", 'True False True'],
  ['regex_replace', "{{ 'a1b22' | regex_replace('[0-9]+', '#') }} {{ 'ab' | regex_replace('(a)(b)', '\\\\2\\\\1') }}", 'a#b# ba'],
  ['regex_search', "{{ 'foo=bar' | regex_search('(\\\\w+)=(\\\\w+)') }} {{ 'x' | regex_search('y') }}", "['foo', 'bar'] None"],
  ['regex_match anchors at start', "{{ 'abc' | regex_match('b(c)') }} {{ 'abc' | regex_match('a(b)') }}", "None ['b']"],
  ['quote', "{{ 'a b' | quote }} {{ 'ab' | quote }}", "'a b' ab"],
  ['indent', "{{ 'a\\nb\\n\\nc' | indent(2) }}", 'a\n  b\n\n  c'],
  ['sort', "{{ [3, 1, 2] | sort }} {{ ['b', 'A', 'c'] | sort }} {{ [1, 3, 2] | sort(reverse=true) }}", "[1, 2, 3] ['A', 'b', 'c'] [3, 2, 1]"],
  ['sort by attribute', "{{ [{'n': 2}, {'n': 1}] | sort(attribute='n') | map(attribute='n') | list }}", '[1, 2]'],
  ['dictsort', "{% for k, v in {'b': 1, 'a': 2} | dictsort %}{{ k }}{{ v }}{% endfor %}", 'a2b1'],
  ['selectattr', "{{ [{'a': 1, 'n': 'x'}, {'a': 0, 'n': 'y'}] | selectattr('a') | map(attribute='n') | list }}", "['x']"],
  ['selectattr with test', "{{ [{'a': 1}, {'a': 2}] | selectattr('a', 'equalto', 2) | list }}", "[{'a': 2}]"],
  ['rejectattr', "{{ [{'a': 1}, {'a': 0}] | rejectattr('a') | list }}", "[{'a': 0}]"],
  ['map filter by name', "{{ ['a', 'b'] | map('upper') | list }}", "['A', 'B']"],
  ['min/max', '{{ [3, 1, 2] | min }} {{ [3, 1, 2] | max }}', '1 3'],
  ['flatten', '{{ [1, [2, [3, [4]]]] | flatten }} {{ [1, [2, [3]]] | flatten(levels=1) }}', '[1, 2, 3, 4] [1, 2, [3]]'],
  ['set operations', '{{ [1, 2, 3] | difference([2]) }} {{ [1, 2] | union([2, 3]) }} {{ [1, 2] | intersect([2, 3]) }}', '[1, 3] [1, 2, 3] [2]'],
  ['length/first/last', '{{ [1, 2] | length }} {{ [1, 2] | first }} {{ [1, 2] | last }} {{ {"a": 1} | length }}', '2 1 2 1'],
  ['string filter', '{{ True | string }} {{ [1] | string }}', 'True [1]'],
  ['int/float', "{{ '42' | int }} {{ 'x' | int }} {{ '1.5' | float }}", '42 0 1.5'],
  // macros, sets, raise-free globals
  ['macro with kwargs', "{% macro m(a, b='B') %}{{ a }}{{ b }}{% endmacro %}{{ m('x') }}{{ m('y', b='z') }}", 'xByz'],
  ['set block', '{% set x %}in{% endset %}[{{ x }}]', '[in]'],
  ['range', '{{ range(3) | list }}', '[0, 1, 2]'],
  ['dict global', "{{ dict(a=1) }}", "{'a': 1}"],
  ['dict keys are expressions', "{% set k = 'x' %}{{ {k: 1, 'lit': 2, 3: 'n'} }}", "{'3': 'n', 'x': 1, 'lit': 2}"],
  ['do update with a variable key', "{% set d = {} %}{% for k in ['a', 'b'] %}{% do d.update({k: loop.index}) %}{% endfor %}{{ d }}", "{'a': 1, 'b': 2}"],
  ['namespace set attribute', '{% set ns = namespace(found=false) %}{% for x in [1, 2] %}{% if x == 2 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.found }}', 'True'],
  ['set multiple targets still works', '{% set a, b = 1 %}{{ a }}{{ b }}', '11'],
  ['load_yaml block', '{% load_yaml as v %}\na: [yes, 010]\n{% endload %}{{ v.a }}', '[True, 10]'],
  ['load_json block', '{% load_json as v %}{"a": 1}{% endload %}{{ v.a }}', '1'],
  ['load_text block', '{% load_text as v %}hi{% endload %}{{ v }}', 'hi'],
];

describe('Jinja compatibility', () => {
  test.each(cases)('%s', (_name, template, expected) => {
    expect(render(template)).toBe(expected);
  });
});

describe('Salt variables', () => {
  test('salt proxy: item and attribute forms, keyword args become kwargs', () => {
    const env = renderEnv(root);
    const out = renderTemplate("{{ salt['grains.filter_by']({'Debian': 1}, grain='os')['fun'] }} {{ salt.pkg.version('vim')['args'] }}", 'jinja', env);
    expect(out).toBe("grains.filter_by ['vim']");
    expect(env.calls).toEqual([
      ['grains.filter_by', [{ Debian: 1 }], { grain: 'os' }],
      ['pkg.version', ['vim'], {}],
    ]);
  });

  test('grains, pillar, opts, saltenv and context', () => {
    const out = render("{{ grains.os }} {{ pillar.port }} {{ opts.id }} {{ saltenv }} {{ extra }}", { context: { extra: 'ctx' } });
    expect(out).toBe('Debian 8080 testminion base ctx');
  });

  // [file (relative to root), sls, expected "sls|slspath|sls_path|slsdotpath|slscolonpath|tplfile|tpldir|tpldot"]
  const paths: [string, string, string][] = [
    ['a/b/init.sls', 'a.b', 'a.b|a/b|a_b|a.b|a:b|a/b/init.sls|a/b|a.b'],
    ['a/b/c.sls', 'a.b.c', 'a.b.c|a/b|a_b|a.b|a:b|a/b/c.sls|a/b|a.b'],
    ['top.sls', 'top', 'top|||||top.sls|.|'],
  ];
  test.each(paths)('path variables for %s', (rel, sls, expected) => {
    const t = '{{ sls }}|{{ slspath }}|{{ sls_path }}|{{ slsdotpath }}|{{ slscolonpath }}|{{ tplfile }}|{{ tpldir }}|{{ tpldot }}';
    const out = renderTemplate(t, 'jinja', { ...renderEnv(root), sls, file: path.join(root, rel) });
    expect(out).toBe(expected);
    expect(renderTemplate('{{ tplpath }}', 'jinja', { ...renderEnv(root), sls, file: path.join(root, rel) })).toBe(path.join(root, rel));
  });
});

describe('template engine', () => {
  test('only jinja is supported', () => {
    expect(() => renderTemplate('x', 'mako', renderEnv(root))).toThrow(/template engine 'mako' is not supported/);
  });
});
