/**
 * Jinja/Salt filters with Python semantics, registered over nunjucks' built-ins.
 *
 * ```jinja
 * {{ pillar.get('pkgs', []) | unique | join(', ') }}
 * {{ {'a': 1} | yaml }}   {# {a: 1} #}
 * {{ users | selectattr('admin') | map(attribute='name') | list }}
 * ```
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { splitArgs, memberLookup } from './methods.js';
import { isDict, isUndef, percentFormat, pyCmp, pyEq, PyFloat, pyFloat, pyItems, pyRepr, pyStr, strict, truthy } from './pyobj.js';
import { pyJson, toJsonSafe, toPython, toYaml } from './serialize.js';
import { loadYamlValue } from '../yaml.js';

type Fn = (...a: unknown[]) => unknown;
type TestLookup = (name: string) => Fn;

function seq(v: unknown): unknown[] {
  strict(v);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isDict(v)) return Object.keys(v);
  if (v instanceof Set || v instanceof Map) return [...v.keys()];
  if (v === null || v === undefined) throw new TypeError("'NoneType' object is not iterable");
  throw new TypeError(`'${typeof v}' object is not iterable`);
}

function uniq(l: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of l) if (!out.some((y) => pyEq(x, y))) out.push(x);
  return out;
}

/** `attribute='a.b'` / `attribute=0` lookup as Jinja's make_attrgetter does. */
function attr(obj: unknown, a: unknown): unknown {
  if (a === undefined || a === null) return obj;
  let v = obj;
  for (const part of typeof a === 'string' ? a.split('.') : [a]) {
    v = memberLookup(v, typeof part === 'string' && /^\d+$/.test(part) && Array.isArray(v) ? Number(part) : part);
  }
  return v;
}

function pyRegex(pattern: unknown, ignorecase: unknown, multiline: unknown): RegExp {
  let p = String(pattern).replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>').replace(/\\A/g, '^').replace(/\\Z/g, '$');
  let flags = 'u';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(p);
  if (inline) {
    p = p.slice(inline[0].length);
    if (inline[1]!.includes('i')) flags += 'i';
    if (inline[1]!.includes('m')) flags += 'm';
    if (inline[1]!.includes('s')) flags += 's';
  }
  if (truthy(ignorecase ?? false) && !flags.includes('i')) flags += 'i';
  if (truthy(multiline ?? false) && !flags.includes('m')) flags += 'm';
  return new RegExp(p, flags);
}

/** Python `re.sub` replacement syntax (`\1`, `\g<name>`) → JS (`$1`, `$<name>`). */
function pyRepl(r: string): string {
  return r.replace(/\$/g, '$$$$').replace(/\\g<(\w+)>/g, (_m, g) => (/^\d+$/.test(g) ? `$${g}` : `$<${g}>`)).replace(/\\(\d+)/g, '$$$1');
}

function groups(m: RegExpExecArray | null): unknown {
  if (!m) return null;
  return m.slice(1).map((g) => (g === undefined ? null : g));
}

function toBool(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v > 0;
  if (typeof v === 'string') return ['true', 'yes', '1', 'on'].includes(v.trim().toLowerCase());
  return truthy(v);
}

function shQuote(s: unknown): string {
  const t = pyStr(s);
  if (t === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(t)) return t;
  return "'" + t.replace(/'/g, `'"'"'`) + "'";
}

function indent(s: unknown, width: unknown = 4, first: unknown = false, blank: unknown = false): string {
  const pad = typeof width === 'string' ? width : ' '.repeat(Number(width));
  const text = pyStr(s);
  const lines = text.split('\n');
  return lines
    .map((l, i) => {
      if (i === 0) return truthy(first) ? pad + l : l;
      if (!truthy(blank) && l.trim() === '') return l;
      return pad + l;
    })
    .join('\n');
}

function flatten(l: unknown, levels: unknown, preserveNulls: unknown, depth = 0): unknown[] {
  const out: unknown[] = [];
  for (const x of seq(l)) {
    if (Array.isArray(x) && (levels === undefined || levels === null || depth < Number(levels))) {
      out.push(...flatten(x, levels, preserveNulls, depth + 1));
    } else if (x !== null || truthy(preserveNulls ?? false)) out.push(x);
  }
  return out;
}

function hasher(alg: string): Fn {
  return (s) => createHash(alg).update(pyStr(s)).digest('hex');
}

/** The filters, given a lookup for the environment's tests (select/reject use them). */
export function saltFilters(getTest: TestLookup): Record<string, Fn> {
  const testOf = (name: unknown, args: unknown[]): ((x: unknown) => boolean) => {
    if (name === undefined) return truthy;
    const t = getTest(String(name));
    return (x) => t(x, ...args) === true;
  };
  const selectImpl = (keep: boolean, byAttr: boolean) => (...raw: unknown[]) => {
    const [l, ...rest] = raw;
    const a = byAttr ? rest.shift() : undefined;
    const [tname, ...targs] = rest;
    const t = testOf(tname, targs);
    return seq(l).filter((x) => {
      const v = byAttr ? attr(x, a) : x;
      if (byAttr && isUndef(v)) return !keep;
      return t(v) === keep;
    });
  };
  const f: Record<string, Fn> = {
    default: (v, d = '', boolean = false) => (isUndef(v) || v === undefined || (truthy(boolean) && !truthy(v)) ? d : v),
    yaml: (v, flow = true) => toYaml(v, flow),
    json: (...raw) => {
      const { args, kwargs } = splitArgs(raw);
      return pyJson(args[0], { sortKeys: (kwargs.sort_keys ?? args[1] ?? true) !== false, indent: (kwargs.indent ?? args[2] ?? null) as number | null });
    },
    tojson: (...raw) => {
      const { args, kwargs } = splitArgs(raw);
      return toJsonSafe(args[0], (kwargs.indent ?? args[1] ?? null) as number | null);
    },
    python: (v) => toPython(v),
    load_yaml: (v) => (typeof v === 'string' || (v && typeof v === 'object' && 'val' in (v as object)) ? loadYamlValue(String(v)) : v),
    load_json: (v) => JSON.parse(String(v)),
    load_text: (v) => String(v),
    yaml_encode: (v) => toYaml(v, true),
    yaml_dquote: (v) => pyJson(pyStr(v), { ascii: false }),
    yaml_squote: (v) => "'" + pyStr(v).replace(/'/g, "''") + "'",
    str: (v) => pyStr(v),
    string: (v) => pyStr(v),
    list: (v) => [...seq(v)],
    join: (...raw) => {
      const { args, kwargs } = splitArgs(raw);
      const [l, d = '', a = kwargs.attribute] = args;
      return seq(l).map((x) => pyStr(strict(attr(x, a)))).join(pyStr(d));
    },
    unique: (l) => uniq(seq(l)),
    to_bool: toBool,
    regex_replace: (s, p, r, i, m) => pyStr(s).replace(new RegExp(pyRegex(p, i, m).source, pyRegex(p, i, m).flags + 'g'), pyRepl(pyStr(r))),
    regex_search: (s, p, i, m) => groups(pyRegex(p, i, m).exec(pyStr(s))),
    regex_match: (s, p, i, m) => {
      const re = pyRegex(p, i, m);
      const anchored = new RegExp(re.source, re.flags + 'y');
      return groups(anchored.exec(pyStr(s)));
    },
    regex_escape: (s) => pyStr(s).replace(/[^A-Za-z0-9_]/g, (c) => '\\' + c),
    quote: shQuote,
    indent,
    sort: (...raw) => {
      const { args, kwargs } = splitArgs(raw);
      const [l, reverse = kwargs.reverse ?? false, cs = kwargs.case_sensitive ?? false, a = kwargs.attribute] = args;
      const key = (x: unknown) => {
        const v = attr(x, a);
        return typeof v === 'string' && !truthy(cs) ? v.toLowerCase() : v;
      };
      const out = [...seq(l)].sort((x, y) => pyCmp(key(x), key(y)));
      return truthy(reverse) ? out.reverse() : out;
    },
    dictsort: (...raw) => {
      const { args, kwargs } = splitArgs(raw);
      const [d, cs = kwargs.case_sensitive ?? false, by = kwargs.by ?? 'key', reverse = kwargs.reverse ?? false] = args;
      const idx = by === 'value' ? 1 : 0;
      const key = (e: unknown[]) => (typeof e[idx] === 'string' && !truthy(cs) ? (e[idx] as string).toLowerCase() : e[idx]);
      const out = pyItems(strict(d) as object).sort((x, y) => pyCmp(key(x), key(y)));
      return truthy(reverse) ? out.reverse() : out;
    },
    selectattr: selectImpl(true, true),
    rejectattr: selectImpl(false, true),
    select: selectImpl(true, false),
    reject: selectImpl(false, false),
    map: (...raw) => {
      const { args, kwargs } = splitArgs(raw);
      const [l, name, ...rest] = args;
      if (name === undefined && kwargs.attribute !== undefined) {
        return seq(l).map((x) => {
          const v = attr(x, kwargs.attribute);
          return isUndef(v) && 'default' in kwargs ? kwargs.default : v;
        });
      }
      const fn = f[String(name)];
      if (!fn) throw new Error(`no filter named '${String(name)}'`);
      return seq(l).map((x) => fn(x, ...rest));
    },
    min: (...raw) => {
      const { args, kwargs } = splitArgs(raw);
      const l = seq(args[0]);
      if (!l.length) return undefined;
      return l.reduce((a, b) => (pyCmp(attr(b, kwargs.attribute), attr(a, kwargs.attribute)) < 0 ? b : a));
    },
    max: (...raw) => {
      const { args, kwargs } = splitArgs(raw);
      const l = seq(args[0]);
      if (!l.length) return undefined;
      return l.reduce((a, b) => (pyCmp(attr(b, kwargs.attribute), attr(a, kwargs.attribute)) > 0 ? b : a));
    },
    avg: (l) => {
      const s = seq(l) as number[];
      return s.length ? s.reduce((a, b) => a + Number(b), 0) / s.length : 0;
    },
    sum: (...raw) => {
      const { args, kwargs } = splitArgs(raw);
      const [l, a = kwargs.attribute, start = kwargs.start ?? 0] = args;
      return seq(l).reduce((acc: number, x) => acc + Number(attr(x, a)), Number(start));
    },
    flatten: (...raw) => {
      const { args, kwargs } = splitArgs(raw);
      return flatten(args[0], args[1] ?? kwargs.levels, args[2] ?? kwargs.preserve_nulls);
    },
    difference: (a, b) => uniq(seq(a).filter((x) => !seq(b).some((y) => pyEq(x, y)))),
    union: (a, b) => uniq([...seq(a), ...seq(b)]),
    intersect: (a, b) => uniq(seq(a).filter((x) => seq(b).some((y) => pyEq(x, y)))),
    symmetric_difference: (a, b) =>
      uniq([...seq(a).filter((x) => !seq(b).some((y) => pyEq(x, y))), ...seq(b).filter((x) => !seq(a).some((y) => pyEq(x, y)))]),
    first: (l) => (seq(l).length ? seq(l)[0] : undefined),
    last: (l) => (seq(l).length ? seq(l)[seq(l).length - 1] : undefined),
    length: (v) => (isDict(v) ? Object.keys(v).length : seq(v).length),
    count: (v) => (isDict(v) ? Object.keys(v).length : seq(v).length),
    lower: (s) => pyStr(s).toLowerCase(),
    upper: (s) => pyStr(s).toUpperCase(),
    replace: (s, a, b, n) => {
      const parts = pyStr(s).split(pyStr(a));
      if (n === undefined || parts.length <= Number(n) + 1) return parts.join(pyStr(b));
      return parts.slice(0, Number(n) + 1).join(pyStr(b)) + pyStr(a) + parts.slice(Number(n) + 1).join(pyStr(a));
    },
    trim: (s) => pyStr(s).trim(),
    int: (v, d = 0) => {
      const n = typeof v === 'number' ? Math.trunc(v) : typeof v === 'boolean' ? Number(v) : parseInt(pyStr(v), 10);
      return Number.isNaN(n) ? d : n;
    },
    float: (v, d = 0.0) => {
      if (v instanceof PyFloat) return v;
      const n = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number(pyStr(v).trim() || NaN);
      return Number.isNaN(n) ? (typeof d === 'number' ? pyFloat(d) : d) : pyFloat(n);
    },
    to_num: (v) => {
      const s = pyStr(v);
      const n = Number(s);
      return s.trim() !== '' && !Number.isNaN(n) ? n : v;
    },
    items: (d) => pyItems(strict(d) as object),
    dict2items: (d) => Object.entries(strict(d) as object).map(([key, value]) => ({ key, value })),
    to_entries: (d) => Object.entries(strict(d) as object).map(([key, value]) => ({ key, value })),
    from_entries: (l) => Object.fromEntries(seq(l).map((e) => [String((e as { key: unknown }).key), (e as { value: unknown }).value])),
    is_list: (v) => Array.isArray(v),
    sequence: (v) => (Array.isArray(v) ? v : [v]),
    md5: hasher('md5'),
    sha1: hasher('sha1'),
    sha256: hasher('sha256'),
    sha512: hasher('sha512'),
    base64_encode: (s) => Buffer.from(pyStr(s)).toString('base64'),
    base64_decode: (s) => Buffer.from(pyStr(s), 'base64').toString('utf8'),
    b64encode: (s) => Buffer.from(pyStr(s)).toString('base64'),
    b64decode: (s) => Buffer.from(pyStr(s), 'base64').toString('utf8'),
    path_join: (...parts) => path.posix.join(...splitArgs(parts).args.map(pyStr)),
    basename: (s) => path.posix.basename(pyStr(s)),
    dirname: (s) => path.posix.dirname(pyStr(s)),
    repr: (v) => pyRepr(v),
    /** `'%s-%s' | format(a, b)` (Python %-formatting). */
    format: (...raw) => {
      const { args, kwargs } = splitArgs(raw);
      return percentFormat(pyStr(args[0]), Object.keys(kwargs).length ? kwargs : args.slice(1));
    },
  };
  f.d = f.default!;
  f.e = (s: unknown) => pyStr(s);
  return f;
}
