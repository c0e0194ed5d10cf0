/**
 * Requisite data as the runner sees it: the requisite types, one entry parsed to `{key, value}`, and Salt's
 * matching rule (§8.3) — `sls` globs the SLS name (or names an including SLS), anything else globs the chunk's
 * `name` or `__id__` and must equal the chunk's state module unless the key is `id`.
 *
 * ```yaml
 * B:
 *   cmd.run:
 *     - require:
 *       - cmd: echo web*     # by name, glob
 *       - id: web2           # any module
 *       - web3               # bare ID ≡ id: web3
 *       - sls: sub.*         # every state of matching SLS
 * ```
 * Pure data, no I/O.
 */
import type { LowChunk } from '../types.js';
import { matchRequisite, RequisiteIndex, RUNTIME_REQUISITES } from '../compiler/requisites.js';

/** The requisite types the runner checks, in Salt's evaluation order (prerequired is added for full checks). */
export const REQUISITE_TYPES = RUNTIME_REQUISITES;

export type RequisiteType = (typeof REQUISITE_TYPES)[number] | 'prerequired';

/** Every key that names a requisite (direct or `_in`), stripped from the arguments a state function gets. */
export const REQUISITE_KEYS = new Set<string>([
  ...REQUISITE_TYPES,
  'prerequired',
  'require_in',
  'watch_in',
  'onfail_in',
  'onchanges_in',
  'prereq_in',
  'listen',
  'listen_in',
  'use',
  'use_in',
]);

/** One parsed requisite entry. `value` is null when the entry is to be ignored (`- cmd: null`). */
export interface ReqEntry {
  key: string;
  value: string | null;
  /** The value as written, when it is not a string (an error for the caller). */
  bad?: unknown;
}

/** `'A'` → {id: A}; `{cmd: A}` → {cmd: A}; `{'file.managed': A}` → {file: A}. */
export function parseEntry(entry: unknown): ReqEntry {
  if (typeof entry === 'string') return { key: 'id', value: entry };
  if (typeof entry === 'number') return { key: 'id', value: String(entry) };
  if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const [k, v] = Object.entries(entry as Record<string, unknown>)[0] ?? ['id', null];
    const key = k.includes('.') ? k.split('.')[0]! : k;
    if (v === null || v === undefined) return { key, value: null };
    if (typeof v === 'string') return { key, value: v };
    if (typeof v === 'number' || typeof v === 'boolean') return { key, value: String(v) };
    return { key, value: null, bad: v };
  }
  return { key: 'id', value: null, bad: entry };
}

/** The entries of one requisite argument (a list; a lone dict or string is accepted as a one-item list). */
export function entriesOf(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * Salt's requisite matcher: does `chunk` satisfy the entry `{key: value}`? The compiler's, so compile-time
 * checks and run-time matching agree (§8.3).
 */
export { matchRequisite };

const indexes = new WeakMap<readonly LowChunk[], RequisiteIndex>();

/** Every chunk matching one entry, in chunk order (indexed: exact values resolve without a scan). */
export function findTargets(chunks: readonly LowChunk[], e: ReqEntry): LowChunk[] {
  if (e.value === null) return [];
  let idx = indexes.get(chunks);
  if (!idx) {
    idx = new RequisiteIndex(chunks);
    indexes.set(chunks, idx);
  }
  return idx.find(e.key, e.value);
}
