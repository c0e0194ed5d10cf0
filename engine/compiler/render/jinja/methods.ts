/**
 * Python methods on template values (`'Ab'.lower()`, `d.items()`, `l.append(x)` …) and attribute lookup with
 * Jinja's StrictUndefined messages (`'dict object' has no attribute 'x'`).
 */
import { isDict, isUndef, pyEq, pyItems, PyTuple, pyRepr, pyStr, strict, typeRepr, Undef, pyCmp } from './pyobj.js';

type Fn = (...args: unknown[]) => unknown;
export type Kwargs = Record<string, unknown>;

/** Split nunjucks' trailing keyword-argument object off the positional arguments. */
export function splitArgs(args: unknown[]): { args: unknown[]; kwargs: Kwargs } {
  const last = args[args.length - 1] as { __keywords?: boolean } | undefined;
  if (last && typeof last === 'object' && last.__keywords === true) {
    const kwargs: Kwargs = { ...(last as Kwargs) };
    delete kwargs.__keywords;
    return { args: args.slice(0, -1), kwargs };
  }
  return { args, kwargs: {} };
}

const isWs = (s: string) => /^\s*$/.test(s);

function pySplit(s: string, sep: unknown, maxsplit: number): string[] {
  if (sep === undefined || sep === null) {
    const parts: string[] = [];
    let rest = s.replace(/^\s+/, '');
    while (rest.length) {
      if (maxsplit >= 0 && parts.length === maxsplit) {
        parts.push(rest);
        return parts;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        parts.push(rest);
        break;
      }
      parts.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return parts;
  }
  const d = String(sep);
  if (d === '') throw new Error('ValueError: empty separator');
  const all = s.split(d);
  if (maxsplit < 0 || all.length <= maxsplit + 1) return all;
  return [...all.slice(0, maxsplit), all.slice(maxsplit).join(d)];
}

function pyRsplit(s: string, sep: unknown, maxsplit: number): string[] {
  if (maxsplit < 0) return pySplit(s, sep, -1);
  if (sep === undefined || sep === null) {
    const parts = s.trim().split(/\s+/).filter((x) => x);
    if (parts.length <= maxsplit + 1) return parts;
    const head = s.trim();
    const tail = parts.slice(parts.length - maxsplit);
    const cut = head.length - tail.join(' ').length; // approximation for runs of whitespace
    return [head.slice(0, cut).trimEnd(), ...tail];
  }
  const d = String(sep);
  const all = s.split(d);
  if (all.length <= maxsplit + 1) return all;
  return [all.slice(0, all.length - maxsplit).join(d), ...all.slice(all.length - maxsplit)];
}

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  if (chars === undefined || chars === null) {
    if (left) s = s.replace(/^\s+/, '');
    if (right) s = s.replace(/\s+$/, '');
    return s;
  }
  const set = String(chars);
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a]!)) a++;
  if (right) while (b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function prefixMatch(s: string, p: unknown, fn: (x: string) => boolean): boolean {
  return Array.isArray(p) ? p.some((x) => fn(String(x))) : fn(String(p));
}

/** `str.format`: `{}`, `{0}`, `{name}`, `{x.attr}`/`{x[k]}`, conversion `!r`, simple specs (`:>8`, `:02d`, `:.2f`). */
export function pyFormat(fmt: string, args: unknown[], kwargs: Kwargs): string {
  let auto = 0;
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g, (m, field: string | undefined, conv, spec) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const path = (field ?? '').match(/^([^.[]*)(.*)$/)!;
    const head = path[1] ?? '';
    let v: unknown = head === '' ? args[auto++] : /^\d+$/.test(head) ? args[Number(head)] : kwargs[head];
    for (const part of (path[2] ?? '').matchAll(/\.(\w+)|\[([^\]]+)\]/g)) {
      const k = part[1] ?? part[2]!;
      v = Array.isArray(v) && /^\d+$/.test(k) ? v[Number(k)] : (v as Kwargs)[k];
    }
    let s = conv === 'r' ? pyRepr(v) : undefined;
    return applySpec(s ?? v, spec ?? '');
  });
}

function applySpec(v: unknown, spec: string): string {
  const m = /^(?:(.)?([<>^=]))?([-+ ])?(#)?(0)?(\d+)?(,)?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(spec);
  if (!spec || !m) return pyStr(v);
  const [, fill = ' ', align, , , zero, width, , prec, type] = m;
  let s: string;
  if (type === 'd') s = String(Math.trunc(Number(v)));
  else if (type === 'f' || type === 'F') s = Number(v).toFixed(prec ? Number(prec) : 6);
  else if (type === 'x') s = Math.trunc(Number(v)).toString(16);
  else if (type === 'X') s = Math.trunc(Number(v)).toString(16).toUpperCase();
  else if (type === 'o') s = Math.trunc(Number(v)).toString(8);
  else if (type === 'b') s = Math.trunc(Number(v)).toString(2);
  else if (type === '%') s = (Number(v) * 100).toFixed(prec ? Number(prec) : 6) + '%';
  else s = prec && typeof v === 'string' ? v.slice(0, Number(prec)) : pyStr(v);
  const w = width ? Number(width) : 0;
  if (s.length >= w) return s;
  const numeric = typeof v === 'number';
  const al = align ?? (zero ? '=' : numeric ? '>' : '<');
  const f = zero && !align ? '0' : fill;
  const pad = f.repeat(w - s.length);
  if (al === '<') return s + pad;
  if (al === '^') return f.repeat(Math.floor((w - s.length) / 2)) + s + f.repeat(Math.ceil((w - s.length) / 2));
  if (al === '=' && /^[-+]/.test(s)) return s[0] + pad + s.slice(1);
  return pad + s;
}

const strMethods: Record<string, (s: string, a: unknown[], kw: Kwargs) => unknown> = {
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  casefold: (s) => s.toLowerCase(),
  swapcase: (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  title: (s) => s.replace(/[A-Za-z]+/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()),
  capitalize: (s) => (s ? s[0]!.toUpperCase() + s.slice(1).toLowerCase() : s),
  strip: (s, a) => stripChars(s, a[0], true, true),
  lstrip: (s, a) => stripChars(s, a[0], true, false),
  rstrip: (s, a) => stripChars(s, a[0], false, true),
  split: (s, a, kw) => pySplit(s, a[0] ?? kw.sep, Number(a[1] ?? kw.maxsplit ?? -1)),
  rsplit: (s, a, kw) => pyRsplit(s, a[0] ?? kw.sep, Number(a[1] ?? kw.maxsplit ?? -1)),
  splitlines: (s, a) => {
    const lines = s.split(/(?<=\r\n|\n|\r)/);
    return a[0] ? lines : lines.map((l) => l.replace(/\r?\n$|\r$/, ''));
  },
  startswith: (s, a) => prefixMatch(s, a[0], (p) => s.startsWith(p, Number(a[1] ?? 0))),
  endswith: (s, a) => prefixMatch(s, a[0], (p) => s.endsWith(p)),
  replace: (s, a) => {
    const n = a[2] === undefined ? -1 : Number(a[2]);
    const parts = s.split(String(a[0]));
    if (n < 0 || parts.length <= n + 1) return parts.join(String(a[1]));
    return parts.slice(0, n + 1).join(String(a[1])) + String(a[0]) + parts.slice(n + 1).join(String(a[0]));
  },
  format: (s, a, kw) => pyFormat(s, a, kw),
  join: (s, a) => (Array.isArray(a[0]) ? a[0] : isDict(a[0]) ? Object.keys(a[0]) : [...String(a[0])]).map((x) => {
    if (typeof x !== 'string' && !(x && typeof x === 'object' && 'val' in x)) {
      throw new TypeError(`sequence item: expected str instance, ${typeRepr(x).replace(' object', '')} found`);
    }
    return String(x);
  }).join(s),
  count: (s, a) => (a[0] === '' ? s.length + 1 : s.split(String(a[0])).length - 1),
  find: (s, a) => s.indexOf(String(a[0]), Number(a[1] ?? 0)),
  rfind: (s, a) => s.lastIndexOf(String(a[0])),
  index: (s, a) => {
    const i = s.indexOf(String(a[0]), Number(a[1] ?? 0));
    if (i < 0) throw new Error('ValueError: substring not found');
    return i;
  },
  isdigit: (s) => /^[0-9]+$/.test(s),
  isnumeric: (s) => /^[0-9]+$/.test(s),
  isdecimal: (s) => /^[0-9]+$/.test(s),
  isalpha: (s) => /^[A-Za-z]+$/.test(s),
  isalnum: (s) => /^[A-Za-z0-9]+$/.test(s),
  isspace: (s) => s.length > 0 && isWs(s),
  islower: (s) => /[a-z]/.test(s) && s === s.toLowerCase(),
  isupper: (s) => /[A-Z]/.test(s) && s === s.toUpperCase(),
  zfill: (s, a) => (/^[-+]/.test(s) ? s[0] + s.slice(1).padStart(Number(a[0]) - 1, '0') : s.padStart(Number(a[0]), '0')),
  ljust: (s, a) => s.padEnd(Number(a[0]), String(a[1] ?? ' ')),
  rjust: (s, a) => s.padStart(Number(a[0]), String(a[1] ?? ' ')),
  center: (s, a) => {
    const w = Number(a[0]);
    const f = String(a[1] ?? ' ');
    if (s.length >= w) return s;
    const left = Math.floor((w - s.length) / 2 + ((w - s.length) % 2 && w % 2 ? 0.5 : 0));
    return f.repeat(left) + s + f.repeat(w - s.length - left);
  },
  partition: (s, a) => {
    const i = s.indexOf(String(a[0]));
    return i < 0 ? [s, '', ''] : [s.slice(0, i), String(a[0]), s.slice(i + String(a[0]).length)];
  },
  rpartition: (s, a) => {
    const i = s.lastIndexOf(String(a[0]));
    return i < 0 ? ['', '', s] : [s.slice(0, i), String(a[0]), s.slice(i + String(a[0]).length)];
  },
  encode: (s) => s,
  decode: (s) => s,
};

function listIndex(l: unknown[], x: unknown): number {
  const i = l.findIndex((e) => pyEq(e, x));
  if (i < 0) throw new Error(`ValueError: ${pyRepr(x)} is not in list`);
  return i;
}

const listMethods: Record<string, (l: unknown[], a: unknown[], kw: Kwargs) => unknown> = {
  append: (l, a) => void l.push(a[0]),
  extend: (l, a) => void l.push(...(a[0] as unknown[])),
  insert: (l, a) => void l.splice(Number(a[0]) < 0 ? Math.max(0, l.length + Number(a[0])) : Number(a[0]), 0, a[1]),
  pop: (l, a) => {
    if (!l.length) throw new Error('IndexError: pop from empty list');
    const i = a[0] === undefined ? l.length - 1 : Number(a[0]) < 0 ? l.length + Number(a[0]) : Number(a[0]);
    return l.splice(i, 1)[0];
  },
  remove: (l, a) => void l.splice(listIndex(l, a[0]), 1),
  index: (l, a) => listIndex(l, a[0]),
  count: (l, a) => l.filter((e) => pyEq(e, a[0])).length,
  sort: (l, _a, kw) => {
    l.sort(pyCmp);
    if (kw.reverse) l.reverse();
  },
  reverse: (l) => void l.reverse(),
  copy: (l) => [...l],
  clear: (l) => void l.splice(0),
};

const own = (d: object, k: string) => Object.prototype.hasOwnProperty.call(d, k);

const dictMethods: Record<string, (d: Record<string, unknown>, a: unknown[], kw: Kwargs) => unknown> = {
  items: (d) => pyItems(d),
  keys: (d) => Object.keys(d),
  values: (d) => Object.values(d),
  get: (d, a) => (own(d, String(a[0])) ? d[String(a[0])] : a.length > 1 ? a[1] : null),
  update: (d, a, kw) => {
    const src = a[0];
    if (Array.isArray(src)) for (const [k, v] of src as [string, unknown][]) d[k] = v;
    else if (src !== undefined && src !== null) Object.assign(d, strict(src));
    Object.assign(d, kw);
  },
  setdefault: (d, a) => {
    const k = String(a[0]);
    if (!own(d, k)) d[k] = a.length > 1 ? a[1] : null;
    return d[k];
  },
  pop: (d, a) => {
    const k = String(a[0]);
    if (own(d, k)) {
      const v = d[k];
      delete d[k];
      return v;
    }
    if (a.length > 1) return a[1];
    throw new Error(`KeyError: ${pyRepr(a[0])}`);
  },
  popitem: (d) => {
    const k = Object.keys(d).pop();
    if (k === undefined) throw new Error('KeyError: popitem(): dictionary is empty');
    const v = d[k];
    delete d[k];
    return PyTuple.of(k, v);
  },
  copy: (d) => ({ ...d }),
  clear: (d) => {
    for (const k of Object.keys(d)) delete d[k];
  },
  has_key: (d, a) => own(d, String(a[0])),
  iteritems: (d) => pyItems(d),
  iterkeys: (d) => Object.keys(d),
  itervalues: (d) => Object.values(d),
};

function fmtKey(key: unknown): string {
  return typeof key === 'string' ? `'${key}'` : pyRepr(key);
}

function noAttr(obj: unknown, key: unknown): Undef {
  return new Undef(`'${typeRepr(obj)}' has no attribute ${fmtKey(key)}`);
}

function isStringLike(obj: unknown): obj is string | { val: string } {
  return typeof obj === 'string' || (obj !== null && typeof obj === 'object' && typeof (obj as { val?: unknown }).val === 'string' && !isDict(obj));
}

/** The Python method `name` of obj bound to it, or undefined. */
function method(obj: unknown, name: string): Fn | undefined {
  if (isStringLike(obj)) {
    const m = strMethods[name];
    if (m) {
      const s = String(obj);
      return (...raw) => {
        const { args, kwargs } = splitArgs(raw);
        return m(s, args, kwargs);
      };
    }
  } else if (Array.isArray(obj)) {
    const m = listMethods[name];
    if (m) return (...raw) => {
      const { args, kwargs } = splitArgs(raw);
      return m(obj, args, kwargs);
    };
  } else if (isDict(obj)) {
    const m = dictMethods[name];
    if (m) return (...raw) => {
      const { args, kwargs } = splitArgs(raw);
      return m(obj, args, kwargs);
    };
  }
  return undefined;
}

/** `obj[key]` / `obj.key` for data: items first, then methods; a miss is a StrictUndefined. */
export function memberLookup(obj: unknown, key: unknown): unknown {
  if (isUndef(obj)) obj.fail();
  if (obj === null || obj === undefined) return noAttr(obj, key);
  if (Array.isArray(obj)) {
    if (typeof key === 'number') {
      const i = key < 0 ? obj.length + key : key;
      return i >= 0 && i < obj.length ? obj[i] : noAttr(obj, key);
    }
    return method(obj, String(key)) ?? noAttr(obj, key);
  }
  if (isStringLike(obj)) {
    const s = String(obj);
    if (typeof key === 'number') {
      const i = key < 0 ? s.length + key : key;
      return i >= 0 && i < s.length ? s[i] : noAttr(obj, key);
    }
    return method(obj, String(key)) ?? noAttr(obj, key);
  }
  if (isDict(obj)) {
    const k = String(key);
    if (own(obj, k)) return obj[k];
    return method(obj, k) ?? noAttr(obj, key);
  }
  if (typeof obj === 'object' || typeof obj === 'function') {
    const v = (obj as Record<string, unknown>)[key as string];
    if (typeof v === 'function') return (v as Fn).bind(obj);
    return v === undefined ? noAttr(obj, key) : v;
  }
  return noAttr(obj, key);
}

/** `obj.name(args)`: methods first (so `d.items()` works on a dict with an 'items' key), then items. */
export function callMethod(obj: unknown, name: unknown, args: unknown[]): unknown {
  if (isUndef(obj)) obj.fail();
  const m = typeof name === 'string' ? method(obj, name) : undefined;
  if (m) return m(...args);
  const f = memberLookup(obj, name);
  if (isUndef(f)) f.fail();
  if (typeof f !== 'function') throw new TypeError(`'${typeRepr(f).replace(' object', '')}' object is not callable`);
  return (f as Fn)(...args);
}
