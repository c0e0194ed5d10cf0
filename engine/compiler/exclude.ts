/**
 * `exclude:` (Salt's `apply_exclude`): drop IDs by SLS (fnmatch glob) or by ID, after requisite_in.
 *
 * @example
 * exclude:
 *   - web.debug          # every ID of SLS web.debug
 *   - sls: 'test.*'
 *   - id: motd
 */
import type { Dict } from '../types.js';
import { fnmatch } from './fnmatch.js';
import { isDict } from './util.js';

/** Parse the `exclude=` kwarg of state.sls/highstate: a comma string means SLS names; lists pass through. */
export function splitExcludeArg(v: unknown): unknown[] {
  if (v === undefined || v === null || v === '') return [];
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(v)) return v;
  return [v];
}

/** Remove excluded IDs from `high` in place (and `__exclude__` itself). Returns the removed IDs. */
export function applyExclude(high: Dict): string[] {
  const exc = high.__exclude__;
  if (!Array.isArray(exc)) return [];
  delete high.__exclude__;
  const exSls = new Set<string>();
  const exId = new Set<string>();
  for (const e of exc) {
    if (typeof e === 'string') exSls.add(e);
    else if (isDict(e) && Object.keys(e).length === 1) {
      if (typeof e.sls === 'string') exSls.add(e.sls);
      else if (e.id !== undefined) exId.add(String(e.id));
    }
  }
  if (exSls.size) {
    for (const [id, body] of Object.entries(high)) {
      if (id.startsWith('__') || !isDict(body)) continue;
      const sls = body.__sls__;
      if (typeof sls !== 'string' || !sls) continue;
      for (const pat of exSls) if (fnmatch(sls, pat)) exId.add(id);
    }
  }
  const removed: string[] = [];
  for (const id of exId) {
    if (id in high) {
      delete high[id];
      removed.push(id);
    }
  }
  return removed;
}
