/**
 * Serializers behind the `yaml`, `json`, `tojson` and `python` filters, printing like Salt's (PyYAML flow style,
 * Python's json module spacing and ASCII escaping).
 */
import { dump } from 'js-yaml';
import { isDict, PyFloat, pyRepr, strict } from './pyobj.js';

function plain(v: unknown): unknown {
  strict(v);
  if (v instanceof PyFloat) return v.v;
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Set) return [...v].map(plain);
  if (isDict(v)) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = plain(x);
    return o;
  }
  if (v !== null && typeof v === 'object' && typeof (v as { val?: unknown }).val === 'string') return String(v);
  return v === undefined ? null : v;
}

/**
 * `{{ x | yaml }}` → `{a: 1, b: [1, 2]}`; `yaml(False)` → block style. The trailing newline / `...` is stripped.
 */
export function toYaml(v: unknown, flow: unknown = true): string {
  const out = dump(plain(v), { flowLevel: flow === false ? -1 : 0, lineWidth: -1, noRefs: true });
  return out.replace(/\n\.\.\.\n?$/, '').replace(/\n$/, '');
}

function jsonStr(s: string, ascii: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (ascii && c > 0x7e)) {
      if (c > 0xffff) {
        const hi = Math.floor((c - 0x10000) / 0x400) + 0xd800;
        const lo = ((c - 0x10000) % 0x400) + 0xdc00;
        out += `\\u${hi.toString(16)}\\u${lo.toString(16)}`;
      } else out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return out + '"';
}

/** Python's `json.dumps` (separators `', '`/`': '`, ensure_ascii, optional sort_keys/indent). */
export function pyJson(v: unknown, o: { sortKeys?: boolean; indent?: number | null; ascii?: boolean } = {}): string {
  const ascii = o.ascii !== false;
  const ind = o.indent ?? null;
  const rec = (x: unknown, level: number): string => {
    x = plain(x);
    if (x === null || x === undefined) return 'null';
    if (x === true) return 'true';
    if (x === false) return 'false';
    if (typeof x === 'number') return Number.isFinite(x) ? String(x) : Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
    if (typeof x === 'string') return jsonStr(x, ascii);
    const nl = ind === null ? '' : '\n' + ' '.repeat(ind * (level + 1));
    const end = ind === null ? '' : '\n' + ' '.repeat(ind * level);
    const sep = ind === null ? ', ' : ',';
    if (Array.isArray(x)) return x.length ? '[' + nl + x.map((e) => rec(e, level + 1)).join(sep + nl) + end + ']' : '[]';
    const entries = Object.entries(x as Record<string, unknown>);
    if (o.sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (!entries.length) return '{}';
    return '{' + nl + entries.map(([k, e]) => `${jsonStr(k, ascii)}: ${rec(e, level + 1)}`).join(sep + nl) + end + '}';
  };
  return rec(v, 0);
}

/** Salt's `tojson`: insertion order, HTML-sensitive characters escaped. */
export function toJsonSafe(v: unknown, indent?: number | null): string {
  return pyJson(v, { indent: indent ?? null })
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/'/g, '\\u0027');
}

export function toPython(v: unknown): string {
  return pyRepr(v);
}
