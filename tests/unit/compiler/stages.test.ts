/** The compile stages one by one: include resolution and order, extend/exclude rules, high→low, ordering. */
import { describe, expect, it } from 'vitest';
import { compileSls, renderMatches } from '../../../engine/compiler/index.js';
import { resolveInclude } from '../../../engine/compiler/include.js';
import { compileHighData } from '../../../engine/compiler/low.js';
import { orderChunks } from '../../../engine/compiler/order.js';
import type { LowChunk } from '../../../engine/types.js';
import { treeEnv } from './helpers.js';

const avail = ['a', 'a.b', 'a.b.c', 'a.b.e', 'a.d', 'web.nginx', 'web.php', 'x', 'y'];
const ienv = { hasEnv: (e: string) => e === 'base' || e === 'prod', avail: (e: string) => (e === 'prod' ? ['p'] : avail) };

describe('include resolution', () => {
  it.each([
    // [item, sls, source, expected targets or error prefix]
    ['.c', 'a.b', 'a/b/init.sls', ['a.b.c']],
    ['..d', 'a.b', 'a/b/init.sls', ['a.d']],
    ['.e', 'a.b.c', 'a/b/c.sls', ['a.b.e']],
    ['..d', 'a.b.c', 'a/b/c.sls', ['a.d']],
    ['.y', 'x', 'x.sls', ['y']],
    ['web.*', 'x', 'x.sls', ['web.nginx', 'web.php']],
    ['nosuch', 'x', 'x.sls', ['nosuch']], // left for the render to report "not available"
    [{ prod: 'p' }, 'x', 'x.sls', ['prod:p']],
    ['..y', 'x', 'x.sls', "error:Attempted relative include of '..y' within SLS 'base:x' goes beyond top level package "],
    [{ dev: 'p' }, 'x', 'x.sls', "error:Nonexistent saltenv 'dev' found in include of 'p' within SLS 'base:x'"],
    [{ a: 1, b: 2 }, 'x', 'x.sls', 'error:Include item'],
  ] as [unknown, string, string, string[] | string][])('%j in %s', (item, sls, source, want) => {
    const r = resolveInclude(item, sls, 'base', source, ['base'], ienv);
    if (typeof want === 'string') {
      expect('error' in r && r.error.startsWith(want.slice(6))).toBe(true);
    } else {
      expect('targets' in r && r.targets.map((t) => (t.env === 'base' ? t.sls : `${t.env}:${t.sls}`))).toEqual(want);
    }
  });

  it('{_xenv: sls} resolves in whichever saltenv of the run has it', () => {
    const r = resolveInclude({ _xenv: 'p' }, 'x', 'base', 'x.sls', ['base', 'prod'], ienv);
    expect(r).toEqual({ targets: [{ env: 'prod', sls: 'p' }] });
    const none = resolveInclude({ _xenv: 'zz' }, 'x', 'base', 'x.sls', ['base', 'prod'], ienv);
    expect(none).toEqual({ error: 'Unknown include: Specified SLS _xenv: zz is not available on the salt master in saltenv(s): base, prod ' });
  });

  it('renders includes depth-first before the includer; each SLS once', () => {
    const { env } = treeEnv({
      'a/b/init.sls': 'include:\n  - .c\n  - ..d\ninit_state:\n  test.nop: []\n',
      'a/b/c.sls': 'include:\n  - .e\nc:\n  test.nop: []\n',
      'a/b/e.sls': 'e:\n  test.nop: []\n',
      'a/d.sls': 'include:\n  - a.b.e\nd:\n  test.nop: []\n',
    });
    const chunks = compileSls(['a.b'], env).chunks;
    expect(chunks.map((c) => `${c.__id__}:${c.order as number}`)).toEqual(['e:10000', 'c:10001', 'd:10002', 'init_state:10003']);
    expect(chunks[0]!.__sls_included_from__).toEqual(['a.b.c', 'a.b']);
  });

  it('x including y, z (z includes y) runs y1, z1, x1', () => {
    const { env } = treeEnv({
      'x.sls': 'include:\n  - y\n  - z\nx1:\n  test.nop: []\n',
      'y.sls': 'y1:\n  test.nop: []\n',
      'z.sls': 'include:\n  - y\nz1:\n  test.nop: []\n',
    });
    expect(compileSls(['x'], env).chunks.map((c) => c.__id__)).toEqual(['y1', 'z1', 'x1']);
  });

  it('`a.sls` wins over `a/init.sls`; an empty SLS is fine', () => {
    const { env } = treeEnv({ 'a.sls': 'from_file:\n  test.nop: []\n', 'a/init.sls': 'from_dir:\n  test.nop: []\n', 'empty.sls': '\n' });
    expect(compileSls(['a', 'empty'], env).chunks.map((c) => c.__id__)).toEqual(['from_file']);
  });

  it('an SLS named twice (directly and by include) renders once', () => {
    const { env } = treeEnv({ 'x.sls': 'include:\n  - y\nx1:\n  test.nop: []\n', 'y.sls': 'y1:\n  test.nop: []\n' });
    expect(compileSls(['y', 'x', 'y'], env).chunks.map((c) => c.__id__)).toEqual(['y1', 'x1']);
  });
});

describe('extend and exclude', () => {
  it('finds the target by name, appends requisites, keeps the original order', () => {
    const { env } = treeEnv({
      'x.sls':
        'a:\n  test.nop:\n    - name: the-a\n    - require:\n      - test: b\nb:\n  test.nop: []\nextend:\n  the-a:\n    test:\n      - require:\n        - test: c\n      - comment: extended\n      - order: 1\nc:\n  test.nop: []\n',
    });
    const a = compileSls(['x'], env).chunks.find((c) => c.__id__ === 'a')!;
    expect(a.require).toEqual([{ test: 'b' }, { test: 'c' }]);
    expect(a.comment).toBe('extended');
    expect(a.order).toBe(1); // an explicit order in the extension replaces the auto one
  });

  it('an extend coming from an excluded SLS is ignored (corpus exclude-drops-extend)', () => {
    const { env } = treeEnv({
      'x.sls': 'include:\n  - y\nexclude:\n  - sls: y\nt:\n  cmd.run:\n    - name: echo t\n',
      'y.sls': 'extend:\n  t:\n    cmd.run:\n      - name: echo other\ny1:\n  test.nop: []\n',
    });
    const chunks = compileSls(['x'], env).chunks;
    expect(chunks.map((c) => [c.__id__, c.name])).toEqual([['t', 'echo t']]);
  });

  it('exclude= kwarg: a comma string names SLS, a list may hold {id: …}', () => {
    const files = { 'x.sls': 'include:\n  - y\nx1:\n  test.nop: []\n', 'y.sls': 'y1:\n  test.nop: []\ny2:\n  test.nop: []\n' };
    expect(compileSls(['x'], treeEnv(files).env, { exclude: 'y' }).chunks.map((c) => c.__id__)).toEqual(['x1']);
    expect(compileSls(['x'], treeEnv(files).env, { exclude: 'y1' }).chunks).toHaveLength(3);
    expect(compileSls(['x'], treeEnv(files).env, { exclude: [{ id: 'y1' }] }).chunks.map((c) => c.__id__)).toEqual(['y2', 'x1']);
  });

  it('renderedHigh stays as rendered (extend/exclude unprocessed) while high has them applied', () => {
    const { env } = treeEnv({ 'x.sls': 'a:\n  test.nop: []\nextend:\n  a:\n    test:\n      - comment: c\n' });
    const r = compileSls(['x'], env);
    expect(r.renderedHigh.__extend__).toBeDefined();
    expect((r.renderedHigh.a!.test as unknown[]).some((x) => JSON.stringify(x) === '{"comment":"c"}')).toBe(false);
    expect((r.high.a!.test as unknown[]).some((x) => JSON.stringify(x) === '{"comment":"c"}')).toBe(true);
  });

  it('show_sls data: __extend__/__exclude__ kept, orders injected', () => {
    const { env } = treeEnv({ 'x.sls': 'exclude:\n  - id: zz\na: test.nop\nextend:\n  a:\n    test:\n      - comment: c\n' });
    const r = renderMatches({ base: ['x'] }, env);
    expect(r.high).toEqual({
      a: { __sls__: 'x', __env__: 'base', test: ['nop', { order: 10000 }] },
      __extend__: [{ a: { test: [{ comment: 'c' }], __sls__: 'x', __env__: 'base' } }],
      __exclude__: [{ id: 'zz' }],
    });
  });
});

describe('high → low', () => {
  it('name defaults to the ID; names dedupe; state arg ignored; non-string name falls back to the ID', () => {
    const chunks = compileHighData({
      a: { __sls__: 's', __env__: 'base', test: ['nop', { state: 'x' }] },
      b: { __sls__: 's', __env__: 'base', test: ['nop', { names: ['one', 'two', 'one'] }] },
      c: { __sls__: 's', __env__: 'base', test: ['nop', { name: ['l'] }] },
    });
    expect(chunks.map((c) => [c.__id__, c.name, c.name_order])).toEqual([
      ['a', 'a', undefined],
      ['b', 'one', 1],
      ['b', 'two', 2],
      ['c', 'c', undefined],
    ]);
    expect('state' in chunks[0]! && chunks[0]!.state).toBe('test');
  });

  it('order_chunks: the documented example', () => {
    const mk = (id: string, order?: unknown): LowChunk =>
      ({ state: 'test', name: id, __id__: id, __sls__: 's', __env__: 'base', fun: 'nop', ...(order === undefined ? {} : { order }) }) as LowChunk;
    const out = orderChunks([mk('a', 10000), mk('b', 'last'), mk('c', 'first'), mk('d', 1), mk('e', -1), mk('f', 20000), mk('g', 10001)]);
    expect(out.map((c) => `${c.__id__}(${c.order as number})`)).toEqual(['c(0)', 'd(1)', 'a(10000)', 'g(10001)', 'f(20000)', 'e(1020099)', 'b(1020100)']);
  });

  it('without state_auto_order, unordered chunks sort by state+name+fun', () => {
    const { env } = treeEnv({ 'x.sls': 'b:\n  test.nop: []\na:\n  test.nop: []\n' }, { opts: { state_auto_order: false } });
    expect(compileSls(['x'], env).chunks.map((c) => [c.__id__, c.order])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });
});
