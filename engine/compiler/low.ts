/**
 * High data → low chunks (Salt's `compile_high_data`): one chunk per (ID, module, name); `name` defaults to the
 * ID; `names` expands to one chunk per entry (a `{name: [{arg: v}]}` entry overrides args), each with
 * `name_order` 1, 2, …; `__id__`, `__sls__`, `__env__`, `__sls_included_from__` carried along.
 *
 * @example
 * pkgs:
 *   pkg.installed:
 *     - names:
 *       - vim
 *       - git: [{version: '2.39'}]
 */
import type { Dict, LowChunk } from '../types.js';
import { clone, deepEqual, isDict } from './util.js';

/** Append `n` unless an equal entry is there (Python's `if n not in names`). */
function addName(names: unknown[], scalars: Set<unknown>, n: unknown): void {
  if (n === null || typeof n !== 'object') {
    if (Number.isNaN(n)) {
      names.push(n); // NaN equals nothing, itself included
      return;
    }
    if (scalars.has(n)) return;
    scalars.add(n);
    names.push(n);
    return;
  }
  if (!names.some((x) => deepEqual(x, n))) names.push(n);
}

/** Compile high data (IDs starting `__` skipped) into unordered chunks, in definition order. */
export function compileHighData(high: Dict): LowChunk[] {
  const chunks: LowChunk[] = [];
  for (const [id, body] of Object.entries(high)) {
    if (id.startsWith('__') || !isDict(body)) continue;
    for (const [state, run] of Object.entries(body)) {
      if (state.startsWith('__') || !Array.isArray(run)) continue;
      const chunk: Dict = { state, name: id };
      if ('__sls__' in body) chunk.__sls__ = body.__sls__;
      if ('__env__' in body) chunk.__env__ = body.__env__;
      if ('__sls_included_from__' in body) chunk.__sls_included_from__ = body.__sls_included_from__;
      chunk.__id__ = id;
      const funcs: string[] = [];
      const names: unknown[] = [];
      const scalars = new Set<unknown>(); // names already taken that `===` compares (long `names` lists: no rescan)
      for (const arg of run) {
        if (typeof arg === 'string') {
          if (!funcs.includes(arg)) funcs.push(arg);
          continue;
        }
        if (!isDict(arg)) continue;
        for (const [key, val] of Object.entries(arg)) {
          if (key === 'names') {
            if (Array.isArray(val)) for (const n of val) addName(names, scalars, n);
          } else if (key === 'state') {
            continue;
          } else if (key === 'name' && typeof val !== 'string') {
            chunk[key] = id;
          } else {
            chunk[key] = val;
          }
        }
      }
      const fun = funcs[0];
      if (fun === undefined) continue;
      if (!names.length) {
        const live = clone(chunk);
        live.fun = fun;
        chunks.push(live as LowChunk);
        continue;
      }
      let nameOrder = 1;
      for (const entry of names) {
        const live = clone(chunk);
        if (isDict(entry)) {
          const lowName = Object.keys(entry)[0]!;
          live.name = lowName;
          const args = entry[lowName];
          if (Array.isArray(args)) for (const a of args) if (isDict(a)) Object.assign(live, clone(a));
        } else {
          live.name = typeof entry === 'string' ? entry : String(entry);
        }
        live.name_order = nameOrder++;
        live.fun = fun;
        chunks.push(live as LowChunk);
      }
    }
  }
  return chunks;
}
