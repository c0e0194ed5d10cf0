import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvocationError } from '../../../engine/errors.js';
import { configExecModule } from '../../../engine/functions/config.js';
import { cpExecModule } from '../../../engine/functions/cp.js';
import { grainsExecModule } from '../../../engine/functions/grains.js';
import { pillarExecModule } from '../../../engine/functions/pillar.js';
import { loadMinion, type Minion } from '../../../engine/minion.js';
import { buildRegistry, type Dict, type Logger } from '../../../engine/types.js';

let t: string;
let m: Minion;
const put = (p: string, c: string): void => {
  mkdirSync(dirname(join(t, p)), { recursive: true });
  writeFileSync(join(t, p), c);
};
const log: Logger = { debug() {}, info() {}, warn() {}, error() {} };

beforeAll(async () => {
  t = mkdtempSync(join(tmpdir(), 'halite-minion-'));
  put('etc/minion', 'id: test-minion\nfile_roots:\n  base: [../salt]\npillar_roots:\n  base: [../pillar]\ngrains:\n  role: web\nlocal_only: from-minion\n');
  put('etc/master', 'from_master: yes\nlocal_only: from-master\n');
  put('etc/grains', 'rack: r42\nrole: ignored\n');
  put('salt/motd', 'hello\n');
  put('salt/app.conf.j2', "id={{ grains['id'] }} port={{ salt['pillar.get']('app:port') }} who={{ who }}\n");
  put('salt/sub/x.txt', 'x');
  put('pillar/top.sls', "base:\n  'test-*':\n    - app\n  'G@rack:r42':\n    - rack\n");
  put('pillar/app.sls', "app:\n  port: 8080\n  db_password: sup3rs3cret\n  os: {{ grains['os_family'] }}\n");
  put('pillar/rack.sls', 'rack_pillar: true\n');
  const registry = buildRegistry([], [grainsExecModule, pillarExecModule, configExecModule, cpExecModule]);
  m = await loadMinion(registry, { configDir: join(t, 'etc'), log });
});
afterAll(async () => {
  await m.close();
  rmSync(t, { recursive: true, force: true });
});

describe('loadMinion on the local host', () => {
  it('config, grains (file < config), id', () => {
    expect(m.opts.id).toBe('test-minion');
    expect(m.opts.file_roots).toEqual({ base: [join(t, 'salt')] });
    expect(m.grains).toMatchObject({ id: 'test-minion', rack: 'r42', role: 'web', kernel: 'Linux' });
    expect(m.master.from_master).toBe(true);
  });

  it('pillar: top matched on id and on a static grain; secrets registered', () => {
    const p = m.pillar();
    expect(p).toMatchObject({ app: { port: 8080, db_password: 'sup3rs3cret' }, rack_pillar: true });
    expect(m.secrets.has('sup3rs3cret')).toBe(true);
    expect(m.secrets.mask('pw=sup3rs3cret')).not.toContain('sup3rs3cret');
    expect(m.pillar({ override: { app: { port: 1 } } })).toMatchObject({ app: { port: 1, db_password: 'sup3rs3cret' } });
  });

  it('context: call, unknown function, template rendering with salt[...]', async () => {
    const ctx = m.context({ test: true });
    expect(ctx.test).toBe(true);
    expect(ctx.saltenv).toBe('base');
    expect(await ctx.call('grains.get', ['rack'])).toBe('r42');
    expect(await ctx.call('pillar.get', ['app:port'])).toBe(8080);
    expect(await ctx.call('pillar.get', ['app:nope', 'd'])).toBe('d');
    expect(await ctx.call('config.get', ['local_only'])).toBe('from-minion');
    expect(await ctx.call('config.option', ['from_master'])).toBe(true);
    expect(await ctx.call('config.get', ['rack'])).toBe('r42');
    await expect(ctx.call('nope.nope')).rejects.toThrow(InvocationError);
    expect(ctx.render("{{ salt['grains.get']('rack') }}-{{ x }}", { engine: 'jinja', context: { x: 1 } })).toBe('r42-1');
    const tpl = "{% set c = salt['grains.filter_by']({'r42': 'yes', 'default': 'no'}, grain='rack') %}{{ c }} {{ salt['pillar.get']('app:none', default='dflt') }} {{ salt['config.get']('from_master') }}";
    expect(ctx.render(tpl, { engine: 'jinja' })).toBe('yes dflt True');
  });

  it('grains.filter_by', async () => {
    const ctx = m.context();
    const lookup = { Debian: { pkg: 'apache2', opts: { a: 1 } }, RedHat: { pkg: 'httpd' }, default: { pkg: 'web' } };
    const fam = String(m.grains.os_family);
    expect(await ctx.call('grains.filter_by', [lookup])).toEqual(fam === 'Debian' ? lookup.Debian : lookup.default);
    expect(await ctx.call('grains.filter_by', [{ 'r4*': 'rack-glob', default: 'd' }], { grain: 'rack' })).toBe('rack-glob');
    expect(await ctx.call('grains.filter_by', [{ x: { a: 1 }, base: { a: 0, b: 2 } }], { grain: 'nope', default: 'x', base: 'base', merge: { c: 3 } })).toEqual({ a: 1, b: 2, c: 3 });
    expect(await ctx.call('grains.filter_by', [{ x: 1 }], { grain: 'nope' })).toBeNull();
  });

  it('cp: get_file, get_template, cache_file, hash_file, list_master', async () => {
    const ctx = m.context();
    const out = join(t, 'out');
    expect(await ctx.call('cp.get_file', ['salt://motd', join(out, 'a', 'motd')], { makedirs: true })).toBe(join(out, 'a', 'motd'));
    expect(readFileSync(join(out, 'a', 'motd'), 'utf8')).toBe('hello\n');
    expect(await ctx.call('cp.get_file', ['salt://motd', join(out, 'a') + '/'])).toBe(join(out, 'a', 'motd'));
    expect(await ctx.call('cp.get_file', ['salt://missing', join(out, 'x')])).toBe('');
    await ctx.call('cp.get_template', ['salt://app.conf.j2', join(out, 'app.conf')], { who: 'me' });
    expect(readFileSync(join(out, 'app.conf'), 'utf8')).toBe('id=test-minion port=8080 who=me\n');
    const cached = m.context();
    cached.opts.cachedir = join(t, 'cache');
    expect(await cached.call('cp.cache_file', ['salt://sub/x.txt'])).toBe(join(t, 'cache/files/base/sub/x.txt'));
    expect(statSync(join(t, 'cache/files/base/sub/x.txt')).isFile()).toBe(true);
    expect(await ctx.call('cp.hash_file', ['salt://motd'])).toEqual({ hash_type: 'sha256', hsum: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03' });
    expect(await ctx.call('cp.list_master', [])).toEqual(['app.conf.j2', 'motd', 'sub/x.txt']);
    expect(await ctx.call('cp.list_master', [], { prefix: 'sub' })).toEqual(['sub/x.txt']);
    await expect(ctx.call('cp.get_file', ['salt://../etc/minion', join(out, 'y')])).rejects.toThrow(/not allowed/);
  });

  it('pillar.* and grains.* functions', async () => {
    const ctx = m.context();
    expect(await ctx.call('pillar.item', ['app:port', 'rack_pillar'])).toEqual({ 'app:port': 8080, rack_pillar: true });
    expect(await ctx.call('pillar.raw', ['app'])).toMatchObject({ port: 8080 });
    expect(await ctx.call('pillar.get', ['app', { extra: 1 }, true])).toMatchObject({ extra: 1, port: 8080 });
    expect(((await ctx.call('pillar.items', [])) as Dict).rack_pillar).toBe(true);
    expect(await ctx.call('grains.item', ['rack', 'role'])).toEqual({ rack: 'r42', role: 'web' });
    expect(await ctx.call('grains.get', ['nope'])).toBe('');
    expect(((await ctx.call('grains.items', [])) as Dict).id).toBe('test-minion');
  });
});
