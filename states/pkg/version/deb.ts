/**
 * Debian version comparison (deb-version(7)): `[epoch:]upstream[-revision]`, compared part by part; in each part
 * non-digit runs compare by a modified ASCII order where `~` sorts before everything (even the end of the string)
 * and letters before other characters, and digit runs compare numerically. Same answers as
 * `dpkg --compare-versions` (checked against it in tests/e2e/pkg).
 */
import { splitEpoch } from './epoch.js';

interface DebVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

export function parseDebVersion(v: string): DebVersion {
  const { epoch, main, tail } = splitEpoch(v);
  return { epoch, upstream: main, revision: tail ?? '' };
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string): boolean => /[A-Za-z]/.test(c);

/** Weight of one character in a non-digit run; undefined (end of string) weighs 0. */
function order(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (isAlpha(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

/** Compares one part (upstream or revision). */
function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = order(a[i]);
      const bc = order(b[j]);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

/**
 * -1, 0 or 1 as `a` is older than, equal to or newer than `b`.
 *
 * @example debCompare('1:1.0', '2.0') // 1 (the epoch wins)
 * debCompare('1.0~rc1', '1.0')        // -1
 */
export function debCompare(a: string, b: string): number {
  const x = parseDebVersion(a);
  const y = parseDebVersion(b);
  const r =
    x.epoch !== y.epoch ? x.epoch - y.epoch : verrevcmp(x.upstream, y.upstream) || verrevcmp(x.revision, y.revision);
  return Math.sign(r);
}
