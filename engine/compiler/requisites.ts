/**
 * Requisite vocabulary and target matching (Salt's `check_requisite` rules), shared by the compiler (strict
 * checks, cycle detection) and the runner.
 *
 * An entry `{key: value}` matches a chunk when
 * - `key == 'sls'`: `fnmatch(chunk.__sls__, value)` or `value` is in `chunk.__sls_included_from__`;
 * - otherwise: `fnmatch(chunk.name, value)` or `fnmatch(chunk.__id__, value)`, and `key` is `id` or the chunk's
 *   state module. A bare string `V` is `{id: V}`; `mod.fun: V` is trimmed to `mod: V`.
 *
 * @example `- require: [{file: /etc/x}, {sls: web.*}, app_dir]`
 */
import type { LowChunk } from '../types.js';
import { fnmatch, hasGlob } from './fnmatch.js';
import { isDict } from './util.js';

/** Requisites resolved against chunks at run time (a missing target is "not found"). */
export const RUNTIME_REQUISITES = [
  'require',
  'require_any',
  'watch',
  'watch_any',
  'prereq',
  'onfail',
  'onfail_any',
  'onfail_all',
  'onchanges',
  'onchanges_any',
] as const;

/** Requisites that make a chunk wait for its targets (cycle detection; prereq is reversed, see checks.ts). */
export const ORDERING_REQUISITES = new Set([
  'require',
  'require_any',
  'watch',
  'watch_any',
  'onfail',
  'onfail_any',
  'onfail_all',
  'onchanges',
  'onchanges_any',
]);

/** Salt's STATE_REQUISITE_KEYWORDS: `extend` appends to these instead of replacing them. */
export const STATE_REQUISITE_KEYWORDS = new Set([
  ...RUNTIME_REQUISITES,
  'onfail_stop',
  'prerequired',
  'listen',
]);

export interface ReqEntry {
  key: string;
  value: string;
}

/** Normalise one requisite list item: `'A'` → `{id, A}`, `{'file.managed': x}` → `{file, x}`; null if malformed. */
export function normalizeReq(item: unknown): ReqEntry | null {
  if (typeof item === 'string') return { key: 'id', value: item };
  if (!isDict(item)) return null;
  const keys = Object.keys(item);
  if (keys.length !== 1) return null;
  const raw = keys[0]!;
  const v = item[raw];
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const key = raw.includes('.') ? raw.slice(0, raw.indexOf('.')) : raw;
  return { key, value: String(v) };
}

/** Does requisite entry `{key: value}` name this chunk? */
export function matchRequisite(chunk: LowChunk, key: string, value: string): boolean {
  if (key === 'sls') {
    if (chunk.__sls__ !== null && fnmatch(String(chunk.__sls__), value)) return true;
    return Array.isArray(chunk.__sls_included_from__) && chunk.__sls_included_from__.includes(value);
  }
  if (key !== 'id' && chunk.state !== key) return false;
  return fnmatch(String(chunk.name), value) || fnmatch(chunk.__id__, value);
}

function push<K>(m: Map<K, number[]>, k: K, i: number): void {
  const l = m.get(k);
  if (l) {
    if (l[l.length - 1] !== i) l.push(i);
  } else m.set(k, [i]);
}

/**
 * Chunks indexed by ID, name, SLS and includer so that exact requisites resolve without a scan; glob values
 * fall back to a scan. Results keep chunk order.
 */
export class RequisiteIndex {
  private readonly byId = new Map<string, number[]>();
  private readonly byName = new Map<string, number[]>();
  private readonly bySls = new Map<string, number[]>();

  constructor(readonly chunks: readonly LowChunk[]) {
    chunks.forEach((c, i) => {
      push(this.byId, c.__id__, i);
      push(this.byName, String(c.name), i);
      if (c.__sls__ !== null) push(this.bySls, String(c.__sls__), i);
      if (Array.isArray(c.__sls_included_from__)) for (const s of c.__sls_included_from__) push(this.bySls, s, i);
    });
  }

  /** Indexes (into `chunks`) of the chunks `{key: value}` matches, in chunk order (do not modify the result). */
  findIndexes(key: string, value: string): number[] {
    if (hasGlob(value)) {
      const out: number[] = [];
      this.chunks.forEach((c, i) => {
        if (matchRequisite(c, key, value)) out.push(i);
      });
      return out;
    }
    if (key === 'sls') return this.bySls.get(value) ?? [];
    const a = this.byId.get(value);
    const b = this.byName.get(value);
    let out: number[];
    if (!a) out = b ?? [];
    else if (!b) out = a;
    else out = [...new Set([...a, ...b])].sort((x, y) => x - y);
    return key === 'id' ? out : out.filter((i) => this.chunks[i]!.state === key);
  }

  /** The chunks `{key: value}` matches, in chunk order. */
  find(key: string, value: string): LowChunk[] {
    return this.findIndexes(key, value).map((i) => this.chunks[i]!);
  }

  /** All IDs and names known (for did-you-mean). */
  names(key: string): string[] {
    const out = new Set<string>();
    for (const c of this.chunks) {
      if (key === 'sls') {
        if (c.__sls__ !== null) out.add(String(c.__sls__));
      } else if (key === 'id' || c.state === key) {
        out.add(c.__id__);
        out.add(String(c.name));
      }
    }
    return [...out];
  }
}
