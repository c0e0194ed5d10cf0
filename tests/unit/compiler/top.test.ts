/** Top files: include, saltenv restriction, state_top_saltenv, subfilter, {env: sls}, nothing matched. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileHighstate, showTop } from '../../../engine/compiler/index.js';
import type { Dict } from '../../../engine/types.js';
import { makeEnv, writeTree } from './helpers.js';

function envs(trees: Record<string, Record<string, string>>, opts: Dict = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'halite-top-'));
  const roots: Record<string, string[]> = {};
  for (const [e, files] of Object.entries(trees)) roots[e] = [writeTree(files, path.join(root, e))];
  return makeEnv(roots, { opts: { id: 'web1', ...opts } });
}

describe('top files', () => {
  it('include: pulls other top files of the same saltenv', () => {
    const env = envs({ base: { 'top.sls': "include:\n  - tops.extra\nbase:\n  '*':\n    - a\n", 'tops/extra.sls': "base:\n  'web*':\n    - b\n" } });
    expect(showTop(env)).toEqual({ base: ['a', 'b'] });
  });

  it('saltenv restricts to that env\'s top file and section', () => {
    const env = envs({
      base: { 'top.sls': "base:\n  '*': [a]\nprod:\n  '*': [from_base]\n" },
      prod: { 'top.sls': "base:\n  '*': [ignored]\nprod:\n  '*': [p]\n" },
    });
    expect(showTop(env, { saltenv: 'prod' })).toEqual({ prod: ['p'] });
    expect(showTop(env)).toEqual({ base: ['a'], prod: ['from_base'] });
  });

  it('state_top_saltenv reads a single top file', () => {
    const env = envs(
      { base: { 'top.sls': "base:\n  '*': [a]\n" }, prod: { 'top.sls': "prod:\n  '*': [p]\n" } },
      { state_top_saltenv: 'prod' },
    );
    expect(showTop(env)).toEqual({ prod: ['p'] });
  });

  it('subfilter and {env: sls} items; duplicates kept', () => {
    const env = envs({
      base: { 'top.sls': "base:\n  '*':\n    - a\n    - prod: p\n    - a\n    - subfilter:\n        'G@os:Debian':\n          - deb\n        'G@os:RedHat':\n          - rh\n" },
      prod: {},
    });
    expect(showTop(env)).toEqual({ base: ['a', 'a', 'deb'], prod: ['p'] });
  });

  it('nothing matched: empty top and no chunks; matched but empty SLS: no chunks', () => {
    const none = envs({ base: { 'top.sls': "base:\n  'db*': [a]\n", 'a.sls': 'a:\n  test.nop: []\n' } });
    const r = compileHighstate(none);
    expect([r.top, r.chunks]).toEqual([{}, []]);
    const empty = envs({ base: { 'top.sls': "base:\n  '*': [a]\n", 'a.sls': '# nothing\n' } });
    const r2 = compileHighstate(empty);
    expect([r2.top, r2.chunks]).toEqual([{ base: ['a'] }, []]);
  });

  it('SLS entries in a top file may be globs', () => {
    const env = envs({ base: { 'top.sls': "base:\n  '*': ['svc.*']\n", 'svc/a.sls': 'a:\n  test.nop: []\n', 'svc/b.sls': 'b:\n  test.nop: []\n' } });
    expect(compileHighstate(env).chunks.map((c) => c.__id__)).toEqual(['a', 'b']);
  });
});
