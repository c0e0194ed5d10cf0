/** Small helpers shared by the compiler stages: type guards, cloning, key order. */
import type { Dict } from '../types.js';

export function isDict(v: unknown): v is Dict {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** First key of a mapping (Python's `next(iter(d))`), or undefined for `{}`. */
export function firstKey(d: Dict): string | undefined {
  for (const k in d) return k;
  return undefined;
}

/** `Object.keys(d).length === 1` without building the key list (called for every argument of every state). */
export function hasOneKey(d: Dict): boolean {
  let n = 0;
  for (const k in d) if (Object.prototype.hasOwnProperty.call(d, k) && ++n > 1) return false;
  return n === 1;
}

/** Deep copy of YAML/JSON-shaped data (faster than structuredClone for many small objects). */
export function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (isDict(v)) {
    const out: Dict = {};
    for (const k in v) out[k] = clone(v[k]);
    return out as T;
  }
  return v;
}

/** JSON-ish deep equality (Python `==` on loaded YAML data). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Python's `hash()` succeeds: scalars yes, lists and dicts no. */
export function isHashable(v: unknown): boolean {
  return v === null || v === undefined || typeof v !== 'object';
}
