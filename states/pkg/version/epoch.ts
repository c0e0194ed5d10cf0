/**
 * The `[epoch:]version[-release]` split Debian and RPM versions share; each caller names the parts its own way.
 */
export function splitEpoch(v: string): { epoch: number; main: string; tail: string | null } {
  let s = v.trim();
  let epoch = 0;
  const colon = s.indexOf(':');
  if (colon > 0 && /^\d+$/.test(s.slice(0, colon))) {
    epoch = Number(s.slice(0, colon));
    s = s.slice(colon + 1);
  }
  const dash = s.lastIndexOf('-');
  if (dash > 0) return { epoch, main: s.slice(0, dash), tail: s.slice(dash + 1) };
  return { epoch, main: s, tail: null };
}
