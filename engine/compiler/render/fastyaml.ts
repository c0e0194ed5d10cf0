/**
 * A fast path for the YAML most SLS files are made of: block mappings and sequences, plain and quoted one-line
 * scalars, one-line flow collections, literal block scalars (`|`, `|-`). Anything else — anchors, tags, folded
 * scalars, multi-line plain scalars, merge keys, duplicate keys, tabs, any syntax error — returns FALLBACK and the
 * full loader (js-yaml, yaml.ts) takes over, so errors and rare constructs behave identically. js-yaml 5 costs ~0.3 ms for a 40-line file; this is ~10x less.
 */
import { SALT_YAML_SCHEMA } from './yaml.js';

export const FALLBACK = Symbol('fallback');

interface Line {
  indent: number;
  text: string;
  no: number;
}

export interface FastResult {
  data: unknown;
  keyLines: Map<string, number>;
  declLines: Map<string, number>;
  keyTypes: Map<string, string>;
}

/**
 * An empty plain object in V8 dictionary mode: the right container for many distinct keys (state IDs, high
 * data). Same prototype and behaviour as `{}`.
 */
export function newDict<T = unknown>(): Record<string, T> {
  const o: Record<string, T> = { a: undefined as T, b: undefined as T };
  delete o.a;
  delete o.b;
  return o;
}

class Bail extends Error {}
const bail = (): never => {
  throw new Bail();
};

const SAFE_FIRST = /[A-Za-z_/$\u0080-\uffff]/;

function resolvePlain(s: string): unknown {
  if (SAFE_FIRST.test(s[0]!)) {
    const c = s[0]!;
    // Only these first letters can start a non-string implicit scalar (bool/null words).
    if (!'yYnNtTfFoO'.includes(c)) return s;
  }
  return SALT_YAML_SCHEMA.resolveImplicitScalarTag(s).value;
}

function typeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return 'str';
}

/** Parse a quoted scalar starting at s[i]; returns [value, index after the closing quote]. */
function quoted(s: string, i: number): [string, number] {
  const q = s[i];
  let out = '';
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j]!;
    if (q === "'") {
      if (c === "'") {
        if (s[j + 1] === "'") {
          out += "'";
          j++;
          continue;
        }
        return [out, j + 1];
      }
      out += c;
    } else {
      if (c === '"') return [out, j + 1];
      if (c === '\\') {
        const e = s[++j];
        const simple: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0', ' ': ' ' };
        if (e !== undefined && e in simple) out += simple[e];
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(j + 1, j + 5))) {
          out += String.fromCharCode(parseInt(s.slice(j + 1, j + 5), 16));
          j += 4;
        } else bail();
        continue;
      }
      out += c;
    }
  }
  return bail(); // unterminated on this line: multi-line scalar
}

/** After a value ends at i: only spaces and an optional comment may follow. */
function expectEnd(s: string, i: number): void {
  while (s[i] === ' ') i++;
  if (i < s.length && !(s[i] === '#' && (i === 0 || s[i - 1] === ' '))) bail();
}

/** Plain scalar text: up to ` #` (comment); `: ` inside or a trailing `:` is an error → bail. */
function plainText(s: string): string {
  const h = s.indexOf(' #');
  const t = (h === -1 ? s : s.slice(0, h)).trimEnd();
  if (t.includes(': ') || t.endsWith(':')) bail();
  return t;
}

function inlineValue(s: string): unknown {
  const c = s[0]!;
  if (c === '"' || c === "'") {
    const [v, end] = quoted(s, 0);
    expectEnd(s, end);
    return v;
  }
  if (c === '[' || c === '{') {
    const p = { s, i: 0 };
    const v = flow(p);
    expectEnd(s, p.i);
    return v;
  }
  if ('&*!|>%@`?:,-#]}'.includes(c)) {
    if (c !== '-' || s[1] === ' ' || s.length === 1) bail();
    if (c === '-' && s[1] === '-' && s[2] === '-') bail();
  }
  return resolvePlain(plainText(s));
}

function flow(p: { s: string; i: number }): unknown {
  const { s } = p;
  const open = s[p.i]!;
  const close = open === '[' ? ']' : '}';
  p.i++;
  const list: unknown[] = [];
  const map: Record<string, unknown> = {};
  const skip = () => {
    while (s[p.i] === ' ') p.i++;
  };
  for (;;) {
    skip();
    if (s[p.i] === close) {
      p.i++;
      return open === '[' ? list : map;
    }
    const item = flowScalar(p, open === '{');
    if (open === '[') list.push(item);
    else {
      skip();
      if (s[p.i] !== ':') bail();
      p.i++;
      skip();
      if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean' && item !== null) bail();
      const k = String(item);
      if (Object.prototype.hasOwnProperty.call(map, k) || k === '<<' || k === '__proto__') bail();
      map[k] = flowScalar(p, false);
    }
    skip();
    if (s[p.i] === ',') p.i++;
    else if (s[p.i] !== close) bail();
  }
}

function flowScalar(p: { s: string; i: number }, isKey: boolean): unknown {
  const { s } = p;
  const c = s[p.i];
  if (c === undefined) return bail();
  if (c === '[' || c === '{') {
    if (isKey) bail();
    return flow(p);
  }
  if (c === '"' || c === "'") {
    const [v, end] = quoted(s, p.i);
    p.i = end;
    return v;
  }
  if ('&*!|>%@`?#,]}'.includes(c)) bail();
  const start = p.i;
  while (p.i < s.length) {
    const ch = s[p.i]!;
    if (ch === ',' || ch === ']' || ch === '}' || ch === '[' || ch === '{') break;
    if (ch === ':' && (s[p.i + 1] === ' ' || s[p.i + 1] === ',' || s[p.i + 1] === '}' || s[p.i + 1] === ']')) break;
    if (ch === '#' && s[p.i - 1] === ' ') bail();
    p.i++;
  }
  const t = s.slice(start, p.i).trim();
  if (t === '') return null;
  return resolvePlain(t);
}

/** Split `key: rest` / `key:`; null when the line is not a mapping entry. */
function splitKey(t: string): { key: unknown; plain: boolean; rest: string } | null {
  let key: unknown;
  let i: number;
  let plain = false;
  if (t[0] === '"' || t[0] === "'") {
    [key, i] = quoted(t, 0);
    while (t[i] === ' ') i++;
    if (t[i] !== ':' || (i + 1 < t.length && t[i + 1] !== ' ')) return null;
  } else {
    if ('[{&*!|>%@`?,#'.includes(t[0]!) || (t[0] === ':' && (t[1] === ' ' || t.length === 1))) return null;
    const h = t.indexOf(' #');
    const end = h === -1 ? t.length : h;
    i = -1;
    for (let j = t.indexOf(':'); j !== -1 && j < end; j = t.indexOf(':', j + 1)) {
      if (j + 1 === t.length || t[j + 1] === ' ') {
        i = j;
        break;
      }
    }
    if (i === -1) return null;
    const raw = t.slice(0, i).trimEnd();
    if (raw === '<<') bail();
    key = resolvePlain(raw);
    plain = true;
  }
  const rest = t.slice(i + 1).trim();
  return { key, plain, rest: rest.startsWith('#') ? '' : rest };
}

class Parser {
  i = 0;
  readonly keyLines = new Map<string, number>();
  readonly declLines = new Map<string, number>();
  readonly keyTypes = new Map<string, string>();
  constructor(
    readonly lines: Line[],
    /** Every line of the text (block scalars need blank and `#` lines too). */
    readonly raw: string[],
  ) {}

  /** A literal block scalar (`|` or `|-`; `|+` goes to the full loader) whose header is on line `no`, content indented beyond `parent`. */
  literal(header: string, no: number, parent: number): string {
    const m = /^\|(-?)(\s+#.*)?$/.exec(header);
    if (!m) return bail(); // folded, keep (+), indentation indicator, or junk: full loader
    const body: string[] = [];
    let indent = -1;
    let last = no; // 1-based number of the last line consumed
    for (let j = no; j < this.raw.length; j++) {
      const line = this.raw[j]!;
      let ind = 0;
      while (line.charCodeAt(ind) === 32) ind++;
      if (ind === line.length) {
        body.push(line.slice(indent < 0 ? line.length : Math.min(indent, line.length)));
        continue;
      }
      if (indent < 0) {
        if (ind <= parent) break;
        indent = ind;
      } else if (ind < indent) break;
      body.push(line.slice(indent));
      last = j + 1;
    }
    if (indent < 0) return bail();
    // the lines consumed are gone from the structural view
    while (this.i < this.lines.length && this.lines[this.i]!.no <= last) this.i++;
    const content = body.slice(0, last - no);
    if (last === this.raw.length && !this.endsWithNewline) bail();
    const text = content.join('\n');
    if (m[1] === '-') return text;
    return text + '\n';
  }

  endsWithNewline = true;

  block(indent: number, depth: number, id?: string): unknown {
    const l = this.lines[this.i]!;
    if (l.text === '-' || l.text.startsWith('- ')) return this.seq(indent, depth);
    return this.map(indent, depth, id);
  }

  /** Value after `key:` with nothing on the line: a nested block, a same-indent sequence, or null. */
  nested(indent: number, depth: number, id?: string): unknown {
    const n = this.lines[this.i];
    if (!n) return null;
    if (n.indent > indent) return this.block(n.indent, depth, id);
    if (n.indent === indent && (n.text === '-' || n.text.startsWith('- '))) return this.seq(indent, depth);
    return null;
  }

  map(indent: number, depth: number, id?: string): Record<string, unknown> {
    // Top-level keys (state IDs) are unique across files: a fast-mode object would mint a V8 hidden class per
    // key (~15 µs each); a dictionary-mode one does not.
    const out: Record<string, unknown> = depth === 1 ? newDict() : {};
    while (this.i < this.lines.length) {
      const l = this.lines[this.i]!;
      if (l.indent < indent) break;
      if (l.indent > indent || l.text === '-' || l.text.startsWith('- ')) bail();
      const kv = splitKey(l.text);
      if (!kv) return bail();
      const k = String(kv.key);
      if (Object.prototype.hasOwnProperty.call(out, k) || k === '__proto__') bail(); // duplicates: full loader reports
      if (depth === 1) {
        this.keyLines.set(k, l.no);
        if (kv.plain && typeof kv.key !== 'string') this.keyTypes.set(k, typeName(kv.key));
      } else if (depth === 2 && id !== undefined) this.declLines.set(`${id}\u0000${k}`, l.no);
      this.i++;
      if (kv.rest === '') out[k] = this.nested(indent, depth + 1, depth === 1 ? k : undefined);
      else {
        const v = (out[k] = kv.rest[0] === '|' ? this.literal(kv.rest, l.no, indent) : inlineValue(kv.rest));
        if (depth === 1 && v !== null && typeof v === 'object' && !Array.isArray(v)) {
          for (const dk of Object.keys(v)) this.declLines.set(`${k}\u0000${dk}`, l.no);
        }
        const n = this.lines[this.i];
        if (n && n.indent > indent) bail(); // continuation line of a multi-line scalar
      }
    }
    return out;
  }

  seq(indent: number, depth: number): unknown[] {
    const out: unknown[] = [];
    while (this.i < this.lines.length) {
      const l = this.lines[this.i]!;
      if (l.indent < indent) break;
      if (l.indent > indent) bail();
      if (!(l.text === '-' || l.text.startsWith('- '))) break; // back to the parent mapping (compact sequence)
      let off = 1;
      while (l.text[off] === ' ') off++;
      const item = l.text.slice(off);
      if (item === '' || item.startsWith('#')) {
        this.i++;
        const n = this.lines[this.i];
        out.push(n && n.indent > indent ? this.block(n.indent, depth + 1) : null);
        continue;
      }
      if (item === '-' || item.startsWith('- ')) bail();
      if (splitKey(item)) {
        // `- key: v` opens a mapping whose keys sit at the item's column
        this.lines[this.i] = { indent: indent + off, text: item, no: l.no };
        out.push(this.map(indent + off, depth + 1));
        continue;
      }
      this.i++;
      if (item[0] === '|') {
        out.push(this.literal(item, l.no, indent));
        continue;
      }
      out.push(inlineValue(item));
      const n = this.lines[this.i];
      if (n && n.indent > indent) bail();
    }
    return out;
  }
}

/** Fast load, or FALLBACK when the text needs the full loader. */
export function fastLoad(text: string): FastResult | typeof FALLBACK {
  if (text.includes('\t') || text.includes('\r') || text.includes('\u0000')) return FALLBACK;
  const lines: Line[] = [];
  let no = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    no++;
    const raw = text.slice(start, end);
    start = end + 1;
    let ind = 0;
    while (raw.charCodeAt(ind) === 32) ind++;
    if (ind === raw.length || raw[ind] === '#') continue;
    if (ind === 0 && (raw.startsWith('---') || raw.startsWith('...') || raw[0] === '%')) return FALLBACK;
    lines.push({ indent: ind, text: raw.slice(ind).trimEnd(), no });
  }
  const p = new Parser(lines, text.split('\n'));
  p.endsWithNewline = text.endsWith('\n');
  try {
    if (!lines.length) return { data: null, keyLines: p.keyLines, declLines: p.declLines, keyTypes: p.keyTypes };
    const first = lines[0]!;
    if (!(first.text === '-' || first.text.startsWith('- ')) && !splitKey(first.text)) return FALLBACK;
    const data = p.block(first.indent, 1);
    if (p.i !== lines.length) return FALLBACK;
    return { data, keyLines: p.keyLines, declLines: p.declLines, keyTypes: p.keyTypes };
  } catch (e) {
    if (e instanceof Bail) return FALLBACK;
    throw e;
  }
}
