import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSls } from '../../../engine/compiler/render/index.js';
import { minionDefaults } from '../../../engine/config/defaults.js';
import { compilePillar, type PillarInput } from '../../../engine/pillar/compile.js';
import { secretPillarValues } from '../../../engine/pillar/secrets.js';
import { mergeTops, topMatches } from '../../../engine/pillar/top.js';
import type { Dict } from '../../../engine/types.js';

let t: string;
const put = (p: string, c: string): void => {
  mkdirSync(dirname(join(t, p)), { recursive: true });
  writeFileSync(join(t, p), c);
};

function run(o: Partial<PillarInput> & { opts?: Dict } = {}): Dict {
  const { opts: extra, ...rest } = o;
  const opts = { ...minionDefaults('/etc/halite'), pillar_roots: { base: [join(t, 'base')], dev: [join(t, 'dev')] }, ...(extra ?? {}) };
  return compilePillar({
    opts,
    grains: { os_family: 'Debian', id: 'web1', roles: ['web', 'db'] },
    id: 'web1',
    render: renderSls,
    salt: (fun) => {
      if (fun === 'test.echo') return 'echoed';
      throw new Error(`no ${fun}`);
    },
    ...rest,
  });
}

beforeAll(() => {
  t = mkdtempSync(join(tmpdir(), 'halite-pillar-'));
  put(
    'base/top.sls',
    `base:
  '*':
    - common
  'web*':
    - web
  'db*':
    - db
  'os_family:Debian':
    - match: grain
    - debian
  'roles:db':
    - match: grain
    - roles.*
dev:
  '*':
    - devstuff
`,
  );
  put('base/common.sls', 'site:\n  name: common\n  list: [1, 2]\n  users: {alice: 1}\nntp: pool.example\n');
  put('base/web.sls', 'include:\n  - .webparts\n  - users:\n      key: site:users\n      defaults:\n        shell: /bin/zsh\nsite:\n  name: web\n  list: [3]\n');
  put('base/webparts.sls', 'site:\n  port: 80\n  name: from-include\n');
  put('base/users.sls', "{{ shell }}_user:\n  shell: {{ shell }}\nbob: {{ grains['os_family'] }}\n");
  put('base/db.sls', 'db: never\n');
  put('base/debian/init.sls', "pkg: apt\necho: {{ salt['test.echo']('x') }}\n");
  put('base/roles/a.sls', 'roles_a: 1\n');
  put('base/roles/b.sls', 'roles_b: 2\n');
  put('dev/top.sls', "dev:\n  '*':\n    - ignored\nbase:\n  '*':\n    - fromdevtop\n");
  put('dev/devstuff.sls', 'dev: yes\nsite:\n  name: dev\n');
});
afterAll(() => rmSync(t, { recursive: true, force: true }));

describe('compilePillar', () => {
  it('top matching (glob, grain, sls globs), includes with key/defaults, merge order', () => {
    const p = run();
    expect(p._errors).toBeUndefined();
    expect(p).toEqual({
      site: {
        name: 'dev', // dev saltenv comes after base
        list: [3], // lists replaced
        users: { alice: 1, '/bin/zsh_user': { shell: '/bin/zsh' }, bob: 'Debian' },
        port: 80,
      },
      ntp: 'pool.example',
      pkg: 'apt',
      echo: 'echoed',
      roles_a: 1,
      roles_b: 2,
      dev: true,
    });
  });

  it('the including file wins over its includes', () => {
    const p = run({ pillarenv: 'base' });
    expect((p.site as Dict).name).toBe('web');
    expect(p.dev).toBeUndefined();
  });

  it('pillar_merge_lists merges lists', () => {
    const p = run({ pillarenv: 'base', opts: { pillar_merge_lists: true } });
    expect((p.site as Dict).list).toEqual([1, 2, 3]);
  });

  it('the CLI override is merged last', () => {
    const p = run({ pillarenv: 'base', override: { site: { name: 'cli' }, extra: [1] } });
    expect(p.site).toMatchObject({ name: 'cli', port: 80 });
    expect(p.extra).toEqual([1]);
  });

  it('missing and broken SLS files are collected in _errors', () => {
    const tt = mkdtempSync(join(tmpdir(), 'halite-pillar2-'));
    mkdirSync(join(tt, 'base'));
    writeFileSync(join(tt, 'base/top.sls'), "base:\n  '*':\n    - missing\n    - broken\n    - notdict\n    - ok\n");
    writeFileSync(join(tt, 'base/broken.sls'), 'a: [1,\n');
    writeFileSync(join(tt, 'base/notdict.sls'), '- 1\n');
    writeFileSync(join(tt, 'base/ok.sls'), 'ok: 1\n');
    const p = run({ opts: { pillar_roots: { base: [join(tt, 'base')] } } });
    expect(p.ok).toBe(1);
    const errs = p._errors as string[];
    expect(errs[0]).toBe("Specified SLS 'missing' in environment 'base' is not available on the salt master");
    expect(errs[1]).toMatch(/^Rendering SLS 'broken' failed, render error:\n/);
    expect(errs[2]).toBe("SLS 'notdict' does not render to a dictionary");
    rmSync(tt, { recursive: true });
  });

  it('no pillar roots → empty pillar', () => {
    expect(run({ opts: { pillar_roots: {} } })).toEqual({});
  });
});

describe('mergeTops / topMatches', () => {
  it('merge: base is authoritative; other saltenvs only add their own section', () => {
    const top = mergeTops(
      [
        { env: 'base', data: { base: { '*': ['a'] } } },
        { env: 'dev', data: { base: { '*': ['x'] }, dev: { '*': ['d'] } } },
      ],
      'merge',
    );
    expect(top).toEqual({ base: { '*': ['a'] }, dev: { '*': ['d'] } });
    const same = mergeTops([{ env: 'base', data: { base: { '*': ['a'] }, dev: { '*': ['b'] } } }], 'same');
    expect(same).toEqual({ base: { '*': ['a'] } });
  });

  it('matchers: compound default, match: list/pcre', () => {
    const top = { base: { 'web* and G@os:Debian': ['c'], 'web1,web2': [{ match: 'list' }, 'l'], '^w.b\\d$': [{ match: 'pcre' }, 'r'], 'db*': ['no'] } };
    expect(topMatches(top, { id: 'web1', grains: { os: 'Debian' }, pillar: {} })).toEqual({ base: ['c', 'l', 'r'] });
  });
});

describe('secretPillarValues', () => {
  it('finds values under secret-looking keys and PEM private keys anywhere', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----\n';
    const got = secretPillarValues({
      db: { password: 'hunter22', host: 'db1', admin_passwd: 'pw-123456' },
      api_token: 'tok-abcdef',
      Secrets: { list: ['s3cr3t-1'] },
      ssh_key: 'ssh-rsa AAAA public',
      tls_key: pem,
      elsewhere: { blob: pem.replace('RSA ', '') },
      flag_password_enabled: true,
    });
    expect(got.sort()).toEqual(['hunter22', 'pw-123456', 'tok-abcdef', 's3cr3t-1', pem, pem.replace('RSA ', '')].sort());
  });
});
