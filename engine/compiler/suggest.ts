/** "Did you mean …?" for unknown names (state modules, functions, requisite targets). */

function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest candidates to `word` (at most `limit`), or [] when nothing is close. */
export function suggest(word: string, candidates: Iterable<string>, limit = 1): string[] {
  const max = Math.max(2, Math.floor(word.length / 3));
  const scored: { c: string; d: number }[] = [];
  const lower = word.toLowerCase();
  for (const c of candidates) {
    if (c === word) continue;
    let d = distance(lower, c.toLowerCase(), max);
    if (d > max && (c.startsWith(word) || word.startsWith(c)) && Math.min(c.length, word.length) >= 3) d = max;
    if (d <= max) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  return [...new Set(scored.map((s) => s.c))].slice(0, limit);
}
