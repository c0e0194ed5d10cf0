/**
 * The compiler's and runner's fast paths give what the plain code they replace gave: fnfilter's set lookup, the
 * single-key test, `names` de-duplication, the cached `HH:MM:SS.` prefix of start_time.
 */
import { describe, expect, it } from 'vitest';
import { fnfilter } from '../../../engine/compiler/fnmatch.js';
import { compileHighData } from '../../../engine/compiler/low.js';
import { hasOneKey } from '../../../engine/compiler/util.js';
import { startTime } from '../../../engine/runner/records.js';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
/** start_time as computed before the per-second cache. */
function reference(wall: number, mono: bigint): string {
  const d = new Date(wall);
  const micro = (d.getMilliseconds() * 1000 + Number(mono % 1000n)) % 1_000_000;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(micro, 6)}`;
}

describe('fast paths', () => {
  const many = Array.from({ length: 40 }, (_, i) => `app.s${i}`);
  it.each([
    ['app.s7', ['app.s7']],
    ['app.s40', []],
    ['app.s1*', ['app.s1', ...many.filter((n) => n.startsWith('app.s1') && n !== 'app.s1')]],
  ])('fnfilter(40 names, %s)', (pat, want) => {
    expect(fnfilter(many, pat)).toEqual(want);
    expect(fnfilter(many, pat)).toEqual(want); // second call: cached set
  });

  it.each([
    [{}, false],
    [{ a: 1 }, true],
    [{ a: 1, b: 2 }, false],
    [{ 1: 'x' }, true],
  ])('hasOneKey(%j)', (d, want) => {
    expect(hasOneKey(d)).toBe(want);
    expect(hasOneKey(d)).toBe(Object.keys(d).length === 1);
  });

  it('names: duplicates dropped by value, NaN never equal, order kept', () => {
    const high = {
      pkgs: {
        __sls__: 's',
        __env__: 'base',
        pkg: ['installed', { names: ['vim', 1, 'git', 'vim', 1, NaN, NaN, { a: [{ v: 1 }] }, { a: [{ v: 1 }] }, null, null, 0, -0] }],
      },
    };
    const names = compileHighData(high).map((c) => c.name);
    expect(names).toEqual(['vim', '1', 'git', 'NaN', 'NaN', 'a', 'null', '0']);
  });

  it('start_time matches the uncached format across second boundaries', () => {
    const base = Date.UTC(2026, 10, 29, 16, 59, 58, 990);
    for (let i = 0; i < 3000; i += 7) {
      const wall = base + i;
      const mono = BigInt(i) * 1_000_123n;
      expect(startTime({ wall, mono })).toBe(reference(wall, mono));
    }
  });
});
