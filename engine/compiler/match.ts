/**
 * Minion targeting, as Salt's matchers do it (salt/matchers/*): used by top files (states and pillar).
 *
 * @example
 * matchTarget('web* and G@os:Debian', 'compound', { id: 'web1', grains: { os: 'Debian' }, pillar: {} }) // true
 * matchTarget('os_family:Red*', 'grain', minion)
 */
import type { Dict } from '../types.js';
import { fnmatch } from './fnmatch.js';
import { pyStr } from './pyrepr.js';
import { isDict } from './util.js';

export interface MinionData {
  id: string;
  grains: Dict;
  pillar: Dict;
}

export interface MatchOptions {
  /** `nodegroups` config: name → compound expression (string) or list of words. */
  nodegroups?: Dict;
  /** Delimiter for grain/pillar key paths (default `:`). */
  delimiter?: string;
}

/** Matcher names accepted in `match:` (top files) — nodegroup needs `nodegroups` in the config. */
export const MATCHERS = [
  'glob',
  'pcre',
  'grain',
  'grain_pcre',
  'pillar',
  'pillar_pcre',
  'pillar_exact',
  'list',
  'compound',
  'ipcidr',
  'nodegroup',
] as const;

/** Is `target` a match for this minion with matcher `type` (default compound, like top files)? */
export function matchTarget(target: unknown, type: string, minion: MinionData, o: MatchOptions = {}): boolean {
  const delim = o.delimiter ?? ':';
  switch (type) {
    case 'glob':
      return typeof target === 'string' && fnmatch(minion.id, target);
    case 'pcre':
      return typeof target === 'string' && pyReMatch(target, minion.id);
    case 'grain':
      return typeof target === 'string' && target.includes(delim) && subdictMatch(minion.grains, target, delim);
    case 'grain_pcre':
      return typeof target === 'string' && target.includes(delim) && subdictMatch(minion.grains, target, delim, 'regex');
    case 'pillar':
      return typeof target === 'string' && target.includes(delim) && subdictMatch(minion.pillar, target, delim);
    case 'pillar_pcre':
      return typeof target === 'string' && target.includes(delim) && subdictMatch(minion.pillar, target, delim, 'regex');
    case 'pillar_exact':
      return typeof target === 'string' && target.includes(delim) && subdictMatch(minion.pillar, target, delim, 'exact');
    case 'list':
      return listMatch(target, minion.id);
    case 'ipcidr':
      return typeof target === 'string' && ipcidrMatch(target, minion.grains);
    case 'nodegroup': {
      const words = nodegroupWords(String(target), o.nodegroups ?? {});
      return words !== null && compoundMatch(words, minion, o);
    }
    case 'compound':
      if (typeof target === 'string') return compoundMatch(target.split(/\s+/).filter(Boolean), minion, o);
      if (Array.isArray(target)) return compoundMatch(target.map(String), minion, o);
      return false;
    default:
      return false;
  }
}

/** Python `re.match` (anchored at the start only); an invalid pattern matches nothing. */
export function pyReMatch(pattern: string, text: string): boolean {
  try {
    const js = pattern.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
    return new RegExp(js, 'y').test(text);
  } catch {
    return false;
  }
}

function listMatch(target: unknown, id: string): boolean {
  if (typeof target === 'string') {
    return target.includes(`,${id},`) || target.startsWith(`${id},`) || target.endsWith(`,${id}`) || target === id;
  }
  if (Array.isArray(target)) return target.includes(id);
  return false;
}

// ------------------------------------------------------------------------------------------------ compound

const ENGINES: Record<string, string> = {
  G: 'grain',
  P: 'grain_pcre',
  I: 'pillar',
  J: 'pillar_pcre',
  L: 'list',
  S: 'ipcidr',
  E: 'pcre',
};
const TARGET_RX = /^(?:([GPIJLNSER])((?<=[GPIJ]).)?@)?(.+)$/s;
const OPERS = new Set(['and', 'or', 'not', '(', ')']);

function nodegroupWords(name: string, nodegroups: Dict): string[] | null {
  const g = nodegroups[name];
  if (typeof g === 'string') return ['(', ...g.split(/\s+/).filter(Boolean), ')'];
  if (Array.isArray(g)) return ['(', ...g.map(String), ')'];
  return null;
}

type Tok = boolean | 'and' | 'or' | 'not' | '(' | ')';

function compoundMatch(input: string[], minion: MinionData, o: MatchOptions): boolean {
  const words = [...input];
  const results: Tok[] = [];
  let guard = 0;
  while (words.length) {
    if (++guard > 10000) return false;
    const word = words.shift()!;
    if (OPERS.has(word)) {
      const w = word as Tok;
      if (results.length) {
        const last = results[results.length - 1];
        if (last === '(' && (word === 'and' || word === 'or')) return false;
        if (word === 'not' && !(last === 'and' || last === 'or' || last === '(')) results.push('and');
        results.push(w);
      } else {
        if (word !== '(' && word !== 'not') return false;
        results.push(w);
      }
      continue;
    }
    const m = TARGET_RX.exec(word);
    const engine = m?.[1];
    if (m && engine) {
      const pattern = m[3]!;
      if (engine === 'N') {
        const expanded = nodegroupWords(pattern, o.nodegroups ?? {});
        if (expanded) words.unshift(...expanded);
        continue;
      }
      const type = ENGINES[engine];
      if (!type) return false; // R@ (range) is not supported
      const delimiter = m[2] ?? o.delimiter;
      const bool = matchTarget(pattern, type, minion, delimiter === undefined ? o : { ...o, delimiter });
      results.push(bool);
    } else {
      results.push(fnmatch(minion.id, word));
    }
  }
  return evalBool(results);
}

/** Evaluates a token list with Python's precedence (not > and > or); a syntax error is no match. */
function evalBool(toks: Tok[]): boolean {
  let i = 0;
  const fail = (): never => {
    throw new Error('bad compound');
  };
  const atom = (): boolean => {
    const t = toks[i++];
    if (typeof t === 'boolean') return t;
    if (t === '(') {
      const v = orExpr();
      if (toks[i++] !== ')') fail();
      return v;
    }
    if (t === 'not') return !atom();
    return fail();
  };
  const andExpr = (): boolean => {
    let v = atom();
    while (toks[i] === 'and') {
      i++;
      const r = atom();
      v = v && r;
    }
    return v;
  };
  const orExpr = (): boolean => {
    let v = andExpr();
    while (toks[i] === 'or') {
      i++;
      const r = andExpr();
      v = v || r;
    }
    return v;
  };
  try {
    if (!toks.length) return false;
    const v = orExpr();
    return i === toks.length ? v : false;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------------------------------------ subdict

type Mode = 'glob' | 'regex' | 'exact';

function matchValue(target: unknown, pattern: string, mode: Mode): boolean {
  const t = pyStr(target).toLowerCase();
  const p = pattern.toLowerCase();
  if (mode === 'regex') return pyReMatch(p, t);
  return mode === 'exact' ? t === p : fnmatch(t, p);
}

function dictMatch(target: Dict, pattern: string, mode: Mode, delim: string): boolean {
  const wildcard = pattern.startsWith('*:');
  if (wildcard) pattern = pattern.slice(2);
  if (pattern === '*') return true;
  if (pattern in target) return true;
  if (subdictMatch(target, pattern, delim, mode)) return true;
  if (!wildcard) return false;
  for (const v of Object.values(target)) {
    if (isDict(v)) {
      if (dictMatch(v, pattern, mode, delim)) return true;
    } else if (Array.isArray(v)) {
      if (v.some((item) => matchValue(item, pattern, mode))) return true;
    } else if (matchValue(v, pattern, mode)) return true;
  }
  return false;
}

/** Salt's `traverse_dict_and_list`: walk `a:b:0:c` through dicts and lists; undefined when absent. */
export function traverse(data: unknown, key: string, delim = ':'): unknown {
  let ptr: unknown = data;
  for (const each of key.split(delim)) {
    if (Array.isArray(ptr)) {
      const embedded = ptr.find((x) => isDict(x) && each in x) as Dict | undefined;
      if (embedded) {
        ptr = embedded[each];
        continue;
      }
      if (!/^-?\d+$/.test(each)) return undefined;
      const idx = Number(each);
      const v = ptr.at(idx);
      if (v === undefined) return undefined;
      ptr = v;
    } else if (isDict(ptr)) {
      if (!(each in ptr)) return undefined;
      ptr = ptr[each];
    } else {
      return undefined;
    }
  }
  return ptr;
}

/**
 * Salt's `subdict_match`: `foo:bar:baz` matches `data.foo.bar == 'baz'` (tried first) or `data.foo == 'bar:baz'`;
 * values compare case-insensitively as globs (or regex / exact); list members match individually.
 */
export function subdictMatch(data: Dict, expr: string, delim = ':', mode: Mode = 'glob'): boolean {
  const splits = expr.split(delim);
  if (splits.length === 1) return false;
  for (let idx = splits.length - 1; idx > 0; idx--) {
    const key = splits.slice(0, idx).join(delim);
    let matchstr: string;
    let match: unknown;
    if (key === '*') {
      matchstr = expr;
      match = data;
    } else {
      matchstr = splits.slice(idx).join(delim);
      match = traverse(data, key, delim);
    }
    if (match === undefined || (isDict(match) && Object.keys(match).length === 0)) continue;
    if (isDict(match)) {
      if (dictMatch(match, matchstr, mode, delim)) return true;
      continue;
    }
    if (Array.isArray(match)) {
      for (const member of match) {
        if (isDict(member) && dictMatch(member, matchstr, mode, delim)) return true;
        if (matchValue(member, matchstr, mode)) return true;
      }
      continue;
    }
    if (matchValue(match, matchstr, mode)) return true;
  }
  return false;
}

// ------------------------------------------------------------------------------------------------ ipcidr

function parseV4(s: string): bigint | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    const n = Number(m[i]);
    if (n > 255) return null;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(s: string): bigint | null {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return null;
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseV4(last);
    if (v4 === null) return null;
    s = `${s.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const part = (x: string) => (x === '' ? [] : x.split(':'));
  const head = part(halves[0]!);
  const rest = halves.length === 2 ? part(halves[1]!) : [];
  const fill = 8 - head.length - rest.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...rest];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

interface Net {
  v: 4 | 6;
  addr: bigint;
  prefix: number;
  host: boolean;
}

function parseNet(s: string): Net | null {
  const [a, p, extra] = s.split('/');
  if (extra !== undefined || a === undefined) return null;
  const v4 = parseV4(a);
  const v = v4 !== null ? 4 : 6;
  const addr = v4 ?? parseV6(a);
  if (addr === null) return null;
  const bits = v === 4 ? 32 : 128;
  if (p !== undefined && !/^\d+$/.test(p)) return null;
  const prefix = p === undefined ? bits : Number(p);
  if (prefix > bits) return null;
  return { v, addr, prefix, host: p === undefined };
}

function inNet(net: Net, ip: string): boolean {
  const n = parseNet(ip);
  if (!n || n.v !== net.v) return false;
  const bits = BigInt(net.v === 4 ? 32 : 128);
  const shift = bits - BigInt(net.prefix);
  return n.addr >> shift === net.addr >> shift;
}

function ipcidrMatch(target: string, grains: Dict): boolean {
  const net = parseNet(target);
  if (!net) return false;
  const list = grains[`ipv${net.v}`];
  if (!Array.isArray(list)) return false;
  return list.some((ip) => typeof ip === 'string' && inNet(net, ip));
}
