/** "Did you mean" suggestions for unknown function names (edit distance over the registry's names). */

/** Levenshtein distance. */
export function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** Up to `max` names close to `name`: same-module names first, then by distance. */
export function suggest(name: string, names: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  const mod = name.split('.')[0];
  return [...names]
    .map((n) => ({ n, d: distance(name, n) - (n.split('.')[0] === mod && n.includes('.') ? 0.5 : 0) }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || x.n.localeCompare(y.n))
    .slice(0, max)
    .map((x) => x.n);
}
