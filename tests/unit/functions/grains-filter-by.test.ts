import { describe, expect, it } from 'vitest';
import { filterBy } from '../../../engine/functions/grains.js';

const lookup = { Debian: { pkg: 'cron', svc: 'cron' }, RedHat: { pkg: 'cronie', svc: 'crond' } };

describe('grains.filter_by', () => {
  it.each([
    ['no merge', undefined],
    ['merge of a missing pillar key (pillar.get returns "")', ''],
    ['merge None', null],
    ['merge {}', {}],
    ['merge 0', 0],
  ])('%s merges nothing, as Salt\'s `if merge:`', (_label, merge) => {
    expect(filterBy(lookup, { os_family: 'Debian' }, 'os_family', { merge })).toEqual({ pkg: 'cron', svc: 'cron' });
  });

  it('a dict merge overrides recursively', () => {
    expect(filterBy(lookup, { os_family: 'RedHat' }, 'os_family', { merge: { pkg: 'x' } })).toEqual({ pkg: 'x', svc: 'crond' });
  });

  it('a non-dict truthy merge is an error', () => {
    expect(() => filterBy(lookup, { os_family: 'Debian' }, 'os_family', { merge: 'oops' })).toThrow(/merge argument must be a dictionary/);
  });

  it('falls back to the default key', () => {
    expect(filterBy(lookup, { os_family: 'Arch' }, 'os_family', { default: 'Debian' })).toEqual({ pkg: 'cron', svc: 'cron' });
  });
});
