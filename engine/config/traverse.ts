/**
 * `a:b:c` lookups into nested dicts and lists, as Salt's `traverse_dict_and_list` does them (pillar.get,
 * grains.get, config.get): a numeric part indexes a list (negative from the end); a non-numeric part on a list
 * looks the key up in the list's dict items (first that has it).
 */
import type { Dict } from '../types.js';

/** Marker meaning "not found" (a stored `undefined`/`null` is a found value). */
export const MISSING: unique symbol = Symbol('missing');

/**
 * @example traverse({ a: { b: [10, 20] } }, 'a:b:1') // 20
 * @example traverse({ users: [{ bob: 1 }] }, 'users:bob') // 1
 */
export function traverse(data: unknown, key: string | string[], delimiter = ':'): unknown | typeof MISSING {
  const parts = Array.isArray(key) ? key : key.split(delimiter);
  let ptr: unknown = data;
  for (const part of parts) {
    if (Array.isArray(ptr)) {
      ptr = stepList(ptr, part);
      if (ptr === MISSING) return MISSING;
    } else if (ptr !== null && typeof ptr === 'object' && Object.prototype.hasOwnProperty.call(ptr, part)) {
      ptr = (ptr as Dict)[part];
    } else {
      return MISSING;
    }
  }
  return ptr;
}

function stepList(list: unknown[], part: string): unknown | typeof MISSING {
  const dicts = list.filter((x): x is Dict => x !== null && typeof x === 'object' && !Array.isArray(x));
  for (const d of dicts) if (Object.prototype.hasOwnProperty.call(d, part)) return d[part];
  if (/^-?\d+$/.test(part)) {
    const n = Number(part);
    const i = n < 0 ? list.length + n : n;
    if (i >= 0 && i < list.length) return list[i];
  }
  return MISSING;
}

/** traverse with a default for "not found". */
export function traverseOr<T>(data: unknown, key: string, dflt: T, delimiter = ':'): unknown | T {
  const v = traverse(data, key, delimiter);
  return v === MISSING ? dflt : v;
}

export function isDict(v: unknown): v is Dict {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/**
 * Recursive merge (Salt's dictupdate.merge 'recurse'): dicts merge key by key, anything else from `src`
 * replaces `dest`'s; lists are replaced unless `mergeLists`, then concatenated without duplicates.
 * Returns a new object; neither input is mutated.
 */
export function mergeRecurse(dest: Dict, src: Dict, mergeLists = false): Dict {
  const out: Dict = { ...dest };
  for (const [k, v] of Object.entries(src)) {
    const cur = out[k];
    if (isDict(cur) && isDict(v)) out[k] = mergeRecurse(cur, v, mergeLists);
    else if (mergeLists && Array.isArray(cur) && Array.isArray(v)) out[k] = [...cur, ...v.filter((x) => !containsDeep(cur, x))];
    else out[k] = v;
  }
  return out;
}

function containsDeep(list: unknown[], x: unknown): boolean {
  const j = JSON.stringify(x);
  return list.some((y) => y === x || JSON.stringify(y) === j);
}

/** Deep copy of JSON-like data (so callers cannot mutate cached config/grains/pillar). */
export function deepCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  if (isDict(v)) {
    const o: Dict = {};
    for (const [k, x] of Object.entries(v)) o[k] = deepCopy(x);
    return o as T;
  }
  return v;
}
