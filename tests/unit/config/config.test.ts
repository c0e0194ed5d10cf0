import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../engine/config/load.js';
import { configGet, configOption, type ConfigLayers } from '../../../engine/config/option.js';
import { mergeRecurse, traverse, MISSING } from '../../../engine/config/traverse.js';
import { HaliteError } from '../../../engine/errors.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'halite-cfg-'));
  writeFileSync(join(dir, 'minion'), 'id: m1\nfile_roots:\n  base: [/srv/a, rel/b]\n  dev: /srv/dev\nstate_output: terse\nmode: 0644\nflag: yes\n');
  mkdirSync(join(dir, 'minion.d'));
  writeFileSync(join(dir, 'minion.d', '10-x.conf'), 'state_output: mixed\nextra: 1\n');
  writeFileSync(join(dir, 'minion.d', 'ignored.txt'), 'extra: 2\n');
  writeFileSync(join(dir, 'master'), 'top_file_merging_strategy: same\nmaster_only: yes\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('applies Salt defaults when no file exists', () => {
    const { opts, master } = loadConfig({ configDir: join(dir, 'none') });
    expect(opts).toMatchObject({
      id: null,
      file_roots: { base: ['/srv/salt'] },
      pillar_roots: { base: ['/srv/pillar'] },
      renderer: 'jinja|yaml',
      state_output: 'full',
      state_verbose: true,
      failhard: false,
      test: false,
      state_auto_order: true,
      top_file_merging_strategy: 'merge',
      env_order: [],
      default_top: 'base',
      cachedir: '/var/cache/halite',
      strict_requisites: true,
      grains: {},
      pillar_merge_lists: false,
      pillar_source_merging_strategy: 'smart',
    });
    expect(master.file_roots).toEqual({ base: ['/srv/salt'] });
  });

  it('reads minion, minion.d/*.conf (later wins), master; YAML 1.1 scalars; roots absolute', () => {
    const { opts, master } = loadConfig({ configDir: dir });
    expect(opts).toMatchObject({ id: 'm1', state_output: 'mixed', extra: 1, mode: 644, flag: true });
    expect(opts.file_roots).toEqual({ base: ['/srv/a', join(dir, 'rel/b')], dev: ['/srv/dev'] });
    expect(master).toMatchObject({ top_file_merging_strategy: 'same', master_only: true });
  });

  it('--file-root / --pillar-root replace the base roots; overrides win', () => {
    const { opts } = loadConfig({ configDir: dir, fileRoots: ['/tmp/t1'], pillarRoots: ['/tmp/p1'], overrides: { state_output: 'changes' } });
    expect(opts.file_roots).toEqual({ base: ['/tmp/t1'], dev: ['/srv/dev'] });
    expect(opts.pillar_roots).toEqual({ base: ['/tmp/p1'] });
    expect(opts.state_output).toBe('changes');
  });

  it('a broken config file is an error naming the file', () => {
    const bad = mkdtempSync(join(tmpdir(), 'halite-cfgbad-'));
    writeFileSync(join(bad, 'minion'), 'a: [1,\n');
    expect(() => loadConfig({ configDir: bad })).toThrow(HaliteError);
    expect(() => loadConfig({ configDir: bad })).toThrow(/Error parsing configuration file: .*minion/);
    writeFileSync(join(bad, 'minion'), '- a\n');
    expect(() => loadConfig({ configDir: bad })).toThrow(/not a mapping/);
    rmSync(bad, { recursive: true });
  });
});

describe('config.option / config.get lookup order', () => {
  const l: ConfigLayers = {
    opts: { k: 'opts', only_opts: 1, nested: { a: 'o' } },
    grains: { k: 'grains', g: 'grain', nested: { b: 'g' } },
    pillar: { k: 'pillar', p: 'pil', g: 'pillar-g', nested: { c: 'p' }, list: [{ x: 1 }, 'y'] },
    master: { k: 'master', m: 'mas', p: 'master-p' },
    defaults: { k: 'defaults', d: 'def' },
  };
  it.each([
    ['k', {}, 'opts'],
    ['k', { omit_opts: true }, 'grains'],
    ['k', { omit_opts: true, omit_grains: true }, 'pillar'],
    ['k', { omit_opts: true, omit_grains: true, omit_pillar: true }, 'master'],
    ['k', { omit_opts: true, omit_grains: true, omit_pillar: true, omit_master: true }, 'defaults'],
    ['k', { omit_all: true }, 'defaults'],
    ['g', {}, 'grain'],
    ['p', {}, 'pil'],
    ['m', {}, 'mas'],
    ['d', {}, 'def'],
    ['nope', {}, 'DFLT'],
  ])('option %s %j → %s', (key, flags, want) => {
    expect(configOption(l, key, 'DFLT', flags)).toBe(want);
    expect(configGet(l, key, 'DFLT', flags)).toBe(want);
  });

  it('option does not traverse, get does; first match wins without merging', () => {
    expect(configOption(l, 'nested:a', 'D')).toBe('D');
    expect(configGet(l, 'nested:a')).toBe('o');
    expect(configGet(l, 'nested:b')).toBe('g');
    expect(configGet(l, 'nested')).toEqual({ a: 'o' });
    expect(configGet(l, 'nested/c', '', { delimiter: '/' })).toBe('p');
    expect(configGet(l, 'list:x')).toBe(1);
    expect(configGet(l, 'list:1')).toBe('y');
    expect(configGet(l, 'missing')).toBe('');
  });

  it('get with merge=recurse merges the layers (opts win)', () => {
    expect(configGet(l, 'nested', {}, { merge: 'recurse' })).toEqual({ a: 'o', b: 'g', c: 'p' });
  });

  it('returns copies', () => {
    const v = configGet(l, 'nested') as Record<string, unknown>;
    v.a = 'changed';
    expect((l.opts.nested as Record<string, unknown>).a).toBe('o');
  });
});

describe('traverse / mergeRecurse', () => {
  it('traverse', () => {
    expect(traverse({ a: { b: [1, 2, 3] } }, 'a:b:-1')).toBe(3);
    expect(traverse({ a: 'str' }, 'a:b')).toBe(MISSING);
    expect(traverse({ a: null }, 'a')).toBe(null);
  });
  it('mergeRecurse replaces lists unless asked', () => {
    expect(mergeRecurse({ a: { l: [1, 2], x: 1 } }, { a: { l: [2, 3] } })).toEqual({ a: { l: [2, 3], x: 1 } });
    expect(mergeRecurse({ a: { l: [1, 2] } }, { a: { l: [2, 3] } }, true)).toEqual({ a: { l: [1, 2, 3] } });
  });
});
