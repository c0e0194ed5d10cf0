import { describe, expect, it } from 'vitest';
import { debCompare, parseDebVersion } from '../../../../states/pkg/version/deb.js';
import { parseEvr, rpmCompare, rpmvercmp } from '../../../../states/pkg/version/rpm.js';

describe('debCompare (deb-version(7))', () => {
  const cases: [string, string, number][] = [
    ['1.0', '1.0', 0],
    ['1.0', '1.1', -1],
    ['1.10', '1.9', 1],
    ['1.0~rc1', '1.0', -1],
    ['1.0~~', '1.0~', -1],
    ['1.0', '1.0+b1', -1],
    ['1:0.1', '9.9', 1],
    ['0:1.0', '1.0', 0],
    ['1.0-1', '1.0-2', -1],
    ['1.0-10', '1.0-9', 1],
    ['1.0a', '1.0', 1],
    ['1.0', '1.0.0', -1],
    ['001', '1', 0],
    ['2.36-9+deb12u10', '2.36-9+deb12u9', 1],
    ['1.2-3-4', '1.2-3-5', -1],
  ];
  it.each(cases)('%s vs %s → %i', (a, b, want) => {
    expect(debCompare(a, b)).toBe(want);
    expect(debCompare(b, a)).toBe(want === 0 ? 0 : -want);
  });
  it('splits epoch, upstream and revision (revision after the last dash)', () => {
    expect(parseDebVersion('2:1.2-3-4')).toEqual({ epoch: 2, upstream: '1.2-3', revision: '4' });
  });
});

describe('rpm version comparison', () => {
  // Examples from rpm's documentation of rpmvercmp.
  const cases: [string, string, number][] = [
    ['1.0', '1.0', 0],
    ['1.0', '2.0', -1],
    ['2.0.1', '2.0', 1],
    ['2.0.1a', '2.0.1', 1],
    ['5.5p1', '5.5p2', -1],
    ['5.5p10', '5.5p1', 1],
    ['10xyz', '10.1xyz', -1],
    ['xyz10', 'xyz10.1', -1],
    ['1.0~rc1', '1.0', -1],
    ['1.0^', '1.0', 1],
    ['1.0^git1', '1.0.1', -1],
    ['a', '1', -1],
    ['1.0010', '1.9', 1],
    ['1.05', '1.5', 0],
  ];
  it.each(cases)('rpmvercmp %s vs %s → %i', (a, b, want) => {
    expect(rpmvercmp(a, b)).toBe(want);
    expect(rpmvercmp(b, a)).toBe(want === 0 ? 0 : -want);
  });
  it('compares epoch first, and ignores the release when one side has none', () => {
    expect(rpmCompare('1:1.0-1', '2.0-1')).toBe(1);
    expect(rpmCompare('1.0-2.el9', '1.0-10.el9')).toBe(-1);
    expect(rpmCompare('1.0-2.el9', '1.0')).toBe(0);
    expect(parseEvr('2:8.2.2637-20.el9_1')).toEqual({ epoch: 2, version: '8.2.2637', release: '20.el9_1' });
  });
});
