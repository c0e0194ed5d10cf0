/**
 * How Python's `str()` prints the scalars Salt's outputters show: `True`/`False`/`None`, floats with a `.0`
 * when integral (durations are floats in Salt), and `str.splitlines()`.
 */

/** `str(x)` for a JSON scalar, Python style. `float` marks numbers Salt holds as floats (durations). */
export function pyScalar(v: unknown, float = false): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    if (float && Number.isInteger(v)) return `${v}.0`;
    return String(v);
  }
  return String(v);
}

/** Python's `str.splitlines()`: no trailing empty line for a final newline; '' → []. */
export function splitLines(s: string): string[] {
  if (s === '') return [];
  const parts = s.split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/);
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Python's `pprint.pformat`-like one-line repr of JSON data (txt outputter). */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${pyRepr(k)}: ${pyRepr((v as Record<string, unknown>)[k])}`).join(', ')}}`;
  }
  return pyScalar(v);
}
