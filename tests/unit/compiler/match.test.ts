/** Minion targeting as Salt's matchers do it (table-driven). */
import { describe, expect, it } from 'vitest';
import { matchTarget, subdictMatch, traverse } from '../../../engine/compiler/match.js';
import { fnmatch } from '../../../engine/compiler/fnmatch.js';

const minion = {
  id: 'web1.example.com',
  grains: {
    os: 'Debian',
    os_family: 'Debian',
    osrelease: '12',
    num_cpus: 4,
    roles: ['web', 'cache'],
    ipv4: ['10.1.2.3', '127.0.0.1'],
    ipv6: ['::1', 'fe80::1'],
    virtual: true,
    nested: { a: { b: 'c:d' } },
  },
  pillar: { role: 'frontend', app: { tier: 'gold', ports: [80, 443] } },
};

const cases: [string, string, boolean][] = [
  // [type, target, expected]
  ['glob', '*', true],
  ['glob', 'web*', true],
  ['glob', 'web?.example.com', true],
  ['glob', 'web[0-9].*', true],
  ['glob', 'web[!1]*', false],
  ['glob', 'db*', false],
  ['pcre', 'web\\d', true], // re.match: anchored at the start only
  ['pcre', 'example', false],
  ['pcre', '.*example\\.com$', true],
  ['pcre', '(unclosed', false],
  ['grain', 'os:Debian', true],
  ['grain', 'os:debian', true], // case-insensitive values
  ['grain', 'os:Deb*', true],
  ['grain', 'os:RedHat', false],
  ['grain', 'roles:cache', true], // list members
  ['grain', 'num_cpus:4', true],
  ['grain', 'virtual:True', true],
  ['grain', 'nested:a:b:c:d', true], // delimiter inside the value
  ['grain', 'os', false], // no delimiter
  ['grain_pcre', 'os:Deb.*', true],
  ['grain_pcre', 'osrelease:1[0-2]', true],
  ['pillar', 'role:front*', true],
  ['pillar', 'app:tier:gold', true],
  ['pillar', 'app:ports:443', true],
  ['pillar', 'app:tier:silver', false],
  ['pillar_pcre', 'app:tier:g.ld', true],
  ['pillar_exact', 'role:front*', false],
  ['pillar_exact', 'role:frontend', true],
  ['list', 'db1,web1.example.com,web2', true],
  ['list', 'web1.example.com', true],
  ['list', 'web1,web2', false],
  ['ipcidr', '10.0.0.0/8', true],
  ['ipcidr', '10.1.2.3', true],
  ['ipcidr', '192.168.0.0/16', false],
  ['ipcidr', 'fe80::/10', true],
  ['ipcidr', 'not-an-ip', false],
  ['compound', 'web*', true],
  ['compound', 'web* and G@os:Debian', true],
  ['compound', 'web* and not G@os:Debian', false],
  ['compound', 'db* or G@roles:web', true],
  ['compound', 'G@os:RedHat or ( web* and I@role:frontend )', true],
  ['compound', '( db* or G@os:RedHat ) and web*', false],
  ['compound', 'not db*', true],
  ['compound', 'web* not G@os:RedHat', true], // implicit "and" before not
  ['compound', 'L@a,b,web1.example.com and E@^web', true],
  ['compound', 'P@os:Deb.* and J@app:tier:g.*', true],
  ['compound', 'S@10.1.0.0/16', true],
  ['compound', 'and web*', false], // leading binary operator
  ['compound', '( and web* )', false],
  ['compound', 'X@foo', false], // unknown engine letter is a glob on the id
  ['compound', 'web* and ( G@os:Debian', false], // unbalanced
  ['nodegroup', 'webs', true],
  ['nodegroup', 'nosuch', false],
  ['bogus', '*', false],
];

describe('matchTarget', () => {
  it.each(cases)('%s %s → %s', (type, target, want) => {
    expect(matchTarget(target, type, minion, { nodegroups: { webs: 'web* and G@os:Debian' } })).toBe(want);
  });

  it('compound with N@ expands nodegroups in place', () => {
    expect(matchTarget('N@webs and not db*', 'compound', minion, { nodegroups: { webs: 'G@roles:web' } })).toBe(true);
  });
});

describe('subdictMatch / traverse', () => {
  it('prefers the deepest key and walks lists of dicts', () => {
    expect(traverse({ a: [{ b: 1 }, { c: 2 }] }, 'a:c')).toBe(2);
    expect(traverse({ a: ['x', 'y'] }, 'a:1')).toBe('y');
    expect(traverse({ a: 1 }, 'a:b')).toBeUndefined();
    expect(subdictMatch({ foo: { bar: 'baz' } }, 'foo:bar:baz')).toBe(true);
    expect(subdictMatch({ foo: 'bar:baz' }, 'foo:bar:baz')).toBe(true);
    expect(subdictMatch({ foo: { bar: 'x' } }, 'foo:*')).toBe(true);
  });
});

describe('fnmatch (Python semantics)', () => {
  it.each([
    ['a/b.c', '*', true],
    ['a.b', 'a.*', true],
    ['a.b', 'a?b', true],
    ['a]', '[]]', false],
    [']', '[]]', true],
    ['x', '[!a-c]', true],
    ['b', '[!a-c]', false],
    ['[x', '[x', true],
    ['a+b', 'a+b', true],
    ['A', 'a', false],
  ] as [string, string, boolean][])('%s ~ %s → %s', (name, pat, want) => {
    expect(fnmatch(name, pat)).toBe(want);
  });
});
