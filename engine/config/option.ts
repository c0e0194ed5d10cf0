/**
 * `config.option` and `config.get`: Salt's lookup over minion config, grains, pillar, master config and defaults.
 * The first layer that has the key wins (no merging unless `merge` is given to config.get).
 */
import type { Dict } from '../types.js';
import { deepCopy, isDict, MISSING, mergeRecurse, traverse } from './traverse.js';

export interface ConfigLayers {
  opts: Dict;
  grains: Dict;
  pillar: Dict;
  master: Dict;
  /** Last resort (Salt's module DEFAULTS). */
  defaults?: Dict;
}

export interface OptionFlags {
  omit_opts?: boolean;
  omit_grains?: boolean;
  omit_pillar?: boolean;
  omit_master?: boolean;
  omit_all?: boolean;
}

function layers(l: ConfigLayers, f: OptionFlags): Dict[] {
  const all = !!f.omit_all;
  const out: Dict[] = [];
  if (!(all || f.omit_opts)) out.push(l.opts);
  if (!(all || f.omit_grains)) out.push(l.grains);
  if (!(all || f.omit_pillar)) out.push(l.pillar);
  if (!(all || f.omit_master)) out.push(l.master);
  out.push(l.defaults ?? {});
  return out;
}

/**
 * config.option: exact top-level key (no `a:b` paths), first layer that has it.
 *
 * @example {{ salt['config.option']('file_roots') }}
 */
export function configOption(l: ConfigLayers, key: string, dflt: unknown = null, f: OptionFlags = {}): unknown {
  for (const d of layers(l, f)) if (Object.prototype.hasOwnProperty.call(d, key)) return deepCopy(d[key]);
  return dflt;
}

/**
 * config.get: `a:b` path (delimiter), first layer that has it; with `merge: 'recurse'|'overwrite'` the layers
 * are merged first (defaults < master < pillar < grains < opts) and the path looked up in the result.
 *
 * @example {{ salt['config.get']('apache:port', 80) }}
 */
export function configGet(
  l: ConfigLayers,
  key: string,
  dflt: unknown = '',
  o: OptionFlags & { delimiter?: string; merge?: string | null } = {},
): unknown {
  const delim = o.delimiter ?? ':';
  const ls = layers(l, o);
  if (o.merge === 'recurse' || o.merge === 'overwrite') {
    let merged: Dict = {};
    for (const d of [...ls].reverse()) merged = o.merge === 'recurse' ? mergeRecurse(merged, d) : { ...merged, ...d };
    const v = traverse(merged, key, delim);
    return v === MISSING ? dflt : deepCopy(v);
  }
  for (const d of ls) {
    const v = traverse(d, key, delim);
    if (v !== MISSING) return deepCopy(v);
  }
  return dflt;
}

/** The master config rides on opts as a non-enumerable property (not printed, not copied by spreads). */
const MASTER_KEY = '__master__';

/** Attach the master config to opts (loadMinion does it). */
export function attachMaster(opts: Dict, master: Dict): void {
  Object.defineProperty(opts, MASTER_KEY, { value: master, enumerable: false, configurable: true, writable: true });
}

/** The master config attached to opts, or {}. */
export function masterOf(opts: Dict): Dict {
  const m = (opts as Record<string, unknown>)[MASTER_KEY];
  return isDict(m) ? m : {};
}
