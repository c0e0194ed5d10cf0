/**
 * The fixture tree (tests/fixtures/compile-tree: 36 SLS files, two saltenvs) exercises every compiler feature:
 * top matchers (glob, compound with and/or/not/parentheses, grain, pillar, list, pcre, ipcidr, {env: sls}),
 * map.jinja with grains.filter_by, pillar lookups, relative/parent/absolute/dict/glob includes, extend (append
 * requisite, replace arg, add a state type), exclude (sls:, id:), names with per-name args, short forms, explicit
 * orders (first, 1, last, -1, 20000), require_in/watch_in/prereq_in/use/use_in, sls: and glob requisites.
 *
 * expected-lowstate.json was checked by hand against Salt's documented rules (salt-state-semantics §3–8); the
 * assertions below spell the key facts out so a wrong golden cannot hide them.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileHighstate, showTop, type Compiled } from '../../../engine/compiler/index.js';
import type { Dict, LowChunk } from '../../../engine/types.js';
import { makeEnv } from './helpers.js';

const F = new URL('../../fixtures/compile-tree', import.meta.url).pathname;

function env() {
  return makeEnv(
    { base: [`${F}/base`], dev: [`${F}/dev`] },
    {
      grains: JSON.parse(readFileSync(`${F}/grains.json`, 'utf8')) as Dict,
      pillar: JSON.parse(readFileSync(`${F}/pillar.json`, 'utf8')) as Dict,
      opts: { id: 'web1' },
    },
  );
}

let compiled: Compiled & { top: Record<string, string[]> };
const by = (id: string, state?: string): LowChunk[] => compiled.chunks.filter((c) => c.__id__ === id && (!state || c.state === state));
const one = (id: string, state?: string): LowChunk => {
  const l = by(id, state);
  expect(l, `${id} ${state ?? ''}`).toHaveLength(1);
  return l[0]!;
};

describe('compile-tree fixture', () => {
  beforeAll(() => {
    compiled = compileHighstate(env());
  });

  it('matches the golden lowstate exactly (values, order, key order)', () => {
    const want = JSON.parse(readFileSync(`${F}/expected-lowstate.json`, 'utf8')) as Dict[];
    expect(compiled.chunks).toEqual(want);
    compiled.chunks.forEach((c, i) => expect(Object.keys(c)).toEqual(Object.keys(want[i]!)));
  });

  it('top: every matcher type, {env: sls} items, merge of the dev top file', () => {
    expect(showTop(env())).toEqual({
      base: ['common', 'web', 'roles.grain', 'db', 'roles.listed', 'roles.pcre', 'roles.compound', 'roles.pillar_compound', 'roles.net', 'monitoring', 'exclude-demo', 'app', 'requisites'],
      dev: ['devtools', 'devtools.extra'],
    });
    expect(by('role_never')).toHaveLength(0);
    expect(one('devtools').__env__).toBe('dev');
  });

  it('auto order: includes first (depth-first), then the file, from 10000; modules in key order', () => {
    expect(one('vim').order).toBe(10001);
    expect(one('common_done').order).toBe(10006);
    expect(one('nginx_pkg', 'pkg').order).toBe(10007);
    expect(one('rsyslog', 'pkg').order).toBe(10011);
    expect(one('rsyslog', 'service').order).toBe(10012);
    expect(one('app_config').order).toBe(10028);
    expect(one('app_user_alice').order).toBe(10031);
  });

  it('explicit orders: first, 1, 5, last, -1, 20000; extend-added state gets cap', () => {
    const ids = compiled.chunks.map((c) => `${c.__id__}:${c.order as number}`);
    expect(ids.slice(0, 3)).toEqual(['db_first:0', 'db_one:1', 'nginx_service:5']);
    expect(ids.slice(-5)).toEqual(['db_big:20000', 'nginx_pkg:20100', 'db_neg:1020099', 'final_step:1020100', 'db_last:1020100']);
  });

  it('names with per-name dicts and name_order', () => {
    const users = compiled.chunks.filter((c) => c.__id__ === 'users');
    expect(users.map((c) => [c.name, c.order, c.shell, c.uid])).toEqual([
      ['alice', 10000.0001, '/bin/bash', undefined],
      ['bob', 10000.0002, '/bin/zsh', 2001],
      ['carol', 10000.0003, '/bin/bash', undefined],
    ]);
    expect(users.every((c) => !('name_order' in c) && !('names' in c))).toBe(true);
  });

  it('short forms', () => {
    expect([one('vim').fun, one('git').fun, one('curl').fun, one('htop').fun]).toEqual(['installed', 'installed', 'installed', 'latest']);
    expect(one('htop').refresh).toBe(true);
  });

  it('map.jinja/filter_by, grains and pillar lookups', () => {
    expect(one('nginx_conf').name).toBe('/etc/nginx/nginx.conf');
    expect(one('nginx_conf').contents).toBe('worker_processes 4;');
    expect(one('/etc/motd').contents).toBe('Welcome to web1 (database), app port 8080');
    expect(one('app_config').name).toBe('/srv/app/app.conf');
  });

  it('extend: requisite appended, argument replaced, new state type added', () => {
    const svc = one('nginx_service');
    expect(svc.enable).toBe(false);
    expect(svc.watch).toEqual([{ file: 'vhost_defaults' }, { file: 'nginx_conf' }, { cmd: 'reload_all' }]);
    expect(one('nginx_pkg', 'cmd').name).toBe('nginx -t');
  });

  it('requisite_in, bare-ID watch_in, prereq/prereq_in, use/use_in', () => {
    expect(one('nginx_service').require).toEqual([{ file: 'vhosts' }]);
    expect(one('app_config').require).toEqual([{ user: 'app_user_alice' }, { user: 'app_user_bob' }]);
    expect(one('backup_script').prerequired).toEqual([{ service: 'stop_db' }]);
    expect(one('final_step').prereq).toEqual([{ cmd: 'reload_all' }]);
    expect(one('reload_all').prerequired).toEqual([{ cmd: 'final_step' }]);
    const [a, b] = by('vhosts');
    expect([a!.user, a!.group, a!.mode, a!.contents]).toEqual(['www-data', 'www-data', '0644', undefined]);
    expect(b!.contents).toBe('b');
    expect(a!.require).toBeUndefined(); // requisites are not inherited through use
    const envFile = one('app_env');
    expect([envFile.contents, envFile.user, envFile.mode, envFile.name]).toEqual(['port=8080', 'app', '0640', '/srv/app/env']);
  });

  it('exclude by sls and by id; glob include', () => {
    expect(by('cpu_check')).toHaveLength(1);
    expect(by('disk_check')).toHaveLength(1);
    expect(by('mem_check')).toHaveLength(0);
    expect(by('disk_check_extra')).toHaveLength(0);
  });

  it('__sls_included_from__ accumulates includers; top-level SLS have none', () => {
    expect(one('rsyslog', 'pkg').__sls_included_from__).toEqual(['logging', 'web']);
    expect(one('vim').__sls_included_from__).toEqual(['common']);
    expect(one('common_done').__sls_included_from__).toBeUndefined();
  });

  it('positions point at the declaring file and line', () => {
    expect(compiled.positions.get('nginx_service')).toEqual({ file: `${F}/base/web/nginx.sls`, line: 15 });
    expect(compiled.positions.get('perf')).toEqual({ file: `${F}/dev/devtools/extra.sls`, line: 3 });
  });
});
