import { describe, expect, it } from 'vitest';
import { AptBackend } from '../../../../states/pkg/apt/backend.js';
import { DnfBackend } from '../../../../states/pkg/rpm/backend.js';
import { desiredFrom, desiredLabel, parseSpec, pickVersion, satisfies, SpecError } from '../../../../states/pkg/spec.js';

const apt = new AptBackend();
const dnf = new DnfBackend('dnf');

describe('desired packages', () => {
  it.each([
    ['name only', 'vim', {}, [['vim', null]]],
    ['name + version (number from YAML)', 'vim', { version: 2 }, [['vim', '2']]],
    ['pkgs with versions', 'ignored', { pkgs: ['a', { b: '1.0' }, { c: null }] }, [['a', null], ['b', '1.0'], ['c', null]]],
  ])('%s', (_t, name, args, want) => {
    expect([...desiredFrom(name, args as Record<string, unknown>)]).toEqual(want);
  });
  it.each([
    [{ pkgs: 'vim' }],
    [{ pkgs: [{ a: '1', b: '2' }] }],
    [{ pkgs: [['x']] }],
    [{ pkgs: ['-o'] }],
  ])('rejects %j', (args) => {
    expect(() => desiredFrom('x', args)).toThrow(SpecError);
  });
  it('labels like Salt (name=version, operators kept)', () => {
    expect(desiredLabel('a', null)).toBe('a');
    expect(desiredLabel('a', '1.0')).toBe('a=1.0');
    expect(desiredLabel('a', '>=1.0')).toBe('a>=1.0');
  });
});

describe('version specs', () => {
  it.each([
    ['1.0', '1.0', true],
    ['1.0', '=1.0', true],
    ['1.0', '==1.1', false],
    ['1.1', '>=1.0,<2', true],
    ['2.0', '>=1.0,<2', false],
    ['1.0.3', '1.0*', true],
    ['1.1', '1.0*', false],
    ['1.1', '!=1.0', true],
    ['1:1.0', '1.0', true], // no epoch in the spec: the installed epoch is ignored
    ['1:1.0', '2:1.0', false],
  ])('apt %s satisfies %s → %s', (have, spec, want) => {
    expect(satisfies(apt, have, spec)).toBe(want);
  });
  it('rpm: a spec without release matches any release', () => {
    expect(satisfies(dnf, '1.0-3.el9', '1.0')).toBe(true);
    expect(satisfies(dnf, '1.0-3.el9', '1.0-4.el9')).toBe(false);
  });
  it('rejects malformed specs', () => {
    expect(() => parseSpec('>=')).toThrow(SpecError);
    expect(() => parseSpec('>1.0*')).toThrow(SpecError);
  });
  it('picks the exact version offered, else the newest matching one', () => {
    const avail = ['1:2.0', '1.1', '1.0'];
    expect(pickVersion(apt, '1.0', avail)).toBe('1.0');
    expect(pickVersion(apt, '2.0', avail)).toBe('1:2.0');
    expect(pickVersion(apt, '<2', avail)).toBe('1.1');
    expect(pickVersion(apt, '1*', avail)).toBe('1.1');
    expect(pickVersion(apt, '9.9', avail)).toBeNull();
    expect(pickVersion(dnf, '1.8.0', ['1.8.0-10.el9', '1.7.0-1.el9'])).toBe('1.8.0-10.el9');
  });
});
