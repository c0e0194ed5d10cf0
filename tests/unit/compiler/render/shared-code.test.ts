/**
 * Templates of the same structure share one compiled JS function (literals and template text are per-template
 * constants), and sharing never mixes up their data, names or error locations.
 */
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { renderSls } from '../../../../engine/compiler/render/index.js';
import { sharedFunctionCount } from '../../../../engine/compiler/render/jinja/template.js';
import { cleanup, renderEnv, tree } from './helpers.js';

afterAll(cleanup);

const body = (n: number, extra = '') =>
  `{% set m = {'k${n}': ${n}, 'name': 'n${n}'} %}\n{% for i in range(${n}) %}\ns${n}_{{ i }}:\n  test.nop:\n    - v: {{ m['k${n}'] + i }}\n    - name: {{ m.name }}${extra}\n{% endfor %}\n`;

describe('shared compiled template functions', () => {
  const root = tree({
    'a.sls': body(1),
    'b.sls': body(2),
    'c.sls': body(3),
    'd.sls': body(2, '{{ nope }}'),
    'e.sls': body(4, '{{ nope }}'),
  });
  const r = (f: string) => renderSls(path.join(root, f), renderEnv(root, { sls: f.replace('.sls', '') }));

  test('same structure: one function, each template keeps its own text and literals', () => {
    const before = sharedFunctionCount();
    expect(r('a.sls').data).toEqual({ s1_0: { 'test.nop': [{ v: 1 }, { name: 'n1' }] } });
    const one = sharedFunctionCount();
    expect(one).toBe(before + 1);
    expect(r('b.sls').data).toEqual({
      s2_0: { 'test.nop': [{ v: 2 }, { name: 'n2' }] },
      s2_1: { 'test.nop': [{ v: 3 }, { name: 'n2' }] },
    });
    expect(Object.keys(r('c.sls').data as object)).toEqual(['s3_0', 's3_1', 's3_2']);
    expect(sharedFunctionCount()).toBe(one);
  });
  test('errors in templates sharing a function name their own file', () => {
    for (const f of ['d.sls', 'e.sls']) {
      let err: { message: string; loc: { file?: string; line?: number } } | undefined;
      try {
        r(f);
      } catch (e) {
        err = e as typeof err;
      }
      expect(err?.message).toMatch(/^Jinja variable 'nope' is undefined; line 6\n/);
      expect(err?.loc).toMatchObject({ file: path.join(root, f), line: 6 });
    }
  });
});
