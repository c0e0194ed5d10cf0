/**
 * Chunk ordering (Salt's `order_chunks`): `cap` = highest positive integer order + 100 (at least 1); no order →
 * cap; `first` → 0; `last` → cap + 1e6; other strings → cap; a negative `-k` → cap + 1e6 - k; `names` entries add
 * `name_order / 10000`. Sorted by (order, state + name + fun), stably.
 *
 * @example orders `a, b(last), c(first), d(1), e(-1), f(20000), g` → c(0) d(1) a(10000) g(10001) f(20000)
 *          e(1020099) b(1020100)
 */
import type { LowChunk } from '../types.js';

/** Resolve `order` on every chunk (in place; `name_order` is consumed) and return them sorted. */
export function orderChunks(chunks: LowChunk[]): LowChunk[] {
  let cap = 1;
  for (const c of chunks) {
    const o = c.order;
    if (typeof o === 'number' && Number.isInteger(o) && o > cap - 1 && o > 0) cap = o + 100;
  }
  for (const c of chunks) {
    if (!('order' in c)) {
      c.order = cap; // Salt keeps name_order on these (only reachable with state_auto_order off)
      continue;
    }
    let o: unknown = c.order;
    if (typeof o !== 'number') o = o === 'last' ? cap + 1_000_000 : o === 'first' ? 0 : cap;
    let n = o as number;
    if (typeof c.name_order === 'number') n += c.name_order / 10000;
    delete c.name_order;
    if (n < 0) n = cap + 1_000_000 + n;
    c.order = n;
  }
  const keyed = chunks.map((c, i) => ({ c, i, k: `${c.state}${String(c.name)}${c.fun}` }));
  keyed.sort((a, b) => {
    const d = (a.c.order as number) - (b.c.order as number);
    if (d !== 0) return d;
    if (a.k !== b.k) return a.k < b.k ? -1 : 1;
    return a.i - b.i;
  });
  return keyed.map((x) => x.c);
}
