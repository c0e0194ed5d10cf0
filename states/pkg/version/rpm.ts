/**
 * RPM version comparison: `[epoch:]version[-release]`, version and release compared with rpmvercmp (alphanumeric
 * segments; digits numerically and newer than letters; `~` sorts before everything, `^` after the end).
 * Written from rpm's documented rules (rpm.org "RPM version comparison"); unit-tested on its documented examples,
 * not against a live rpm binary (none on this machine).
 */
import { splitEpoch } from './epoch.js';

export interface Evr {
  epoch: number;
  version: string;
  release: string | null;
}

export function parseEvr(v: string): Evr {
  const { epoch, main, tail } = splitEpoch(v);
  return { epoch, version: main, release: tail };
}

const isAlnum = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9]/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** rpm's segment comparison of one version or release string. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    const num = isDigit(a[i]);
    const take = (s: string, k: number): number => {
      let e = k;
      while (e < s.length && (num ? isDigit(s[e]) : /[A-Za-z]/.test(s[e]!))) e++;
      return e;
    };
    const ie = take(a, i);
    const je = take(b, j);
    let sa = a.slice(i, ie);
    let sb = b.slice(j, je);
    i = ie;
    j = je;
    if (sb === '') return num ? 1 : -1;
    if (num) {
      sa = sa.replace(/^0+/, '');
      sb = sb.replace(/^0+/, '');
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa < sb ? -1 : 1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/**
 * -1, 0 or 1. A side without a release matches any release (as `dnf install foo-1.0` does).
 *
 * @example rpmCompare('1.0-2.el9', '1.0-10.el9') // -1
 */
export function rpmCompare(a: string, b: string): number {
  const x = parseEvr(a);
  const y = parseEvr(b);
  if (x.epoch !== y.epoch) return Math.sign(x.epoch - y.epoch);
  const v = rpmvercmp(x.version, y.version);
  if (v !== 0 || x.release === null || y.release === null) return v;
  return rpmvercmp(x.release, y.release);
}
