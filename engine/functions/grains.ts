/**
 * `grains.*`: the minion's grains. All synchronous (templates call them).
 *
 * ```
 * {% set cfg = salt['grains.filter_by']({'Debian': {'pkg': 'apache2'}, 'RedHat': {'pkg': 'httpd'}}) %}
 * {{ salt['grains.get']('ip4_interfaces:eth0:0', '127.0.0.1') }}
 * ```
 */
import { fnmatch } from '../compiler/fnmatch.js';
import { deepCopy, isDict, MISSING, mergeRecurse, traverse } from '../config/traverse.js';
import { HaliteError } from '../errors.js';
import type { Dict, ExecContext, ExecModule } from '../types.js';

/** Positional argument i or keyword `key`. */
function arg(args: unknown[], kwargs: Dict, i: number, key: string): unknown {
  return kwargs[key] !== undefined ? kwargs[key] : args[i];
}

function delim(kwargs: Dict): string {
  return typeof kwargs.delimiter === 'string' && kwargs.delimiter ? kwargs.delimiter : ':';
}

/** Python's str() of a scalar (True, None …) for fnmatch against lookup keys. */
function pyScalar(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  return String(v);
}

/**
 * Salt's filter_by over any data (grains.filter_by, pillar.filter_by): the first lookup_dict key that
 * fnmatches the looked-up value (or one of its values, for a list) wins; else `default`; `base` is merged
 * under the result and `merge` over it.
 */
export function filterBy(lookup: unknown, data: Dict, key: string, o: { merge?: unknown; default?: string; base?: unknown; delimiter?: string }): unknown {
  if (!isDict(lookup)) throw new HaliteError('command', 'filter_by: lookup_dict must be a dictionary');
  const v = traverse(data, key, o.delimiter ?? ':');
  const vals = v === MISSING ? [] : Array.isArray(v) ? v : [v];
  let ret: unknown = undefined;
  outer: for (const each of vals) {
    for (const k of Object.keys(lookup)) {
      if (fnmatch(pyScalar(each), k)) {
        ret = lookup[k];
        break outer;
      }
    }
  }
  if (ret === undefined || ret === null) ret = lookup[o.default ?? 'default'] ?? null;
  ret = deepCopy(ret);
  if (typeof o.base === 'string' && o.base in lookup) {
    const base = lookup[o.base];
    if (ret === null) ret = deepCopy(base);
    else if (isDict(base)) {
      if (!isDict(ret)) throw new HaliteError('command', 'filter_by default and look-up values must both be dictionaries.');
      ret = mergeRecurse(base, ret);
    }
  }
  // Salt tests `if merge:` — '', {}, 0 and None (what pillar.get returns for a missing key) merge nothing.
  if (o.merge !== undefined && o.merge !== null && o.merge !== false && o.merge !== '' && o.merge !== 0 && !(isDict(o.merge) && Object.keys(o.merge).length === 0)) {
    if (!isDict(o.merge)) throw new HaliteError('command', 'filter_by merge argument must be a dictionary.');
    ret = ret === null ? deepCopy(o.merge) : isDict(ret) ? mergeRecurse(ret, o.merge) : ret;
  }
  return ret;
}

const get = (ctx: ExecContext, args: unknown[], kwargs: Dict): unknown => {
  const key = String(arg(args, kwargs, 0, 'key') ?? '');
  const dflt = arg(args, kwargs, 1, 'default');
  const v = traverse(ctx.grains, key, delim(kwargs));
  return v === MISSING ? (dflt === undefined ? '' : dflt) : deepCopy(v);
};

export const grainsExecModule: ExecModule = {
  name: 'grains',
  doc: 'Static facts about the target machine (os, os_family, num_cpus, ip4_interfaces …).',
  functions: {
    items: { fn: (ctx) => deepCopy(ctx.grains), doc: 'All grains.\n\n    halite call grains.items' },
    get: { fn: get, doc: "A grain by `a:b` path, or `default` ('' unless given).\n\n    halite call grains.get os_family" },
    fetch: { fn: get, doc: 'Alias of grains.get.' },
    item: {
      fn: (ctx, args, kwargs) => {
        const out: Dict = {};
        const d = kwargs.default === undefined ? '' : kwargs.default;
        for (const a of args.map(String)) {
          const v = traverse(ctx.grains, a, delim(kwargs));
          out[a] = v === MISSING ? d : deepCopy(v);
        }
        return out;
      },
      doc: 'Named grains as a dict.\n\n    halite call grains.item os osrelease',
    },
    ls: { fn: (ctx) => Object.keys(ctx.grains).sort(), doc: 'Grain names.' },
    has_value: {
      fn: (ctx, args, kwargs) => {
        const v = traverse(ctx.grains, String(arg(args, kwargs, 0, 'key')), delim(kwargs));
        return v !== MISSING && v !== null && v !== '' && v !== false && !(Array.isArray(v) && v.length === 0) && !(isDict(v) && Object.keys(v).length === 0);
      },
      doc: 'True when the grain exists and is not empty.',
    },
    filter_by: {
      fn: (ctx, args, kwargs) =>
        filterBy(arg(args, kwargs, 0, 'lookup_dict'), ctx.grains, String(arg(args, kwargs, 1, 'grain') ?? 'os_family'), {
          merge: arg(args, kwargs, 2, 'merge'),
          default: String(arg(args, kwargs, 3, 'default') ?? 'default'),
          base: arg(args, kwargs, 4, 'base'),
        }),
      doc: "Pick from a lookup dict by a grain (default os_family), Salt's semantics.\n\n    {% set c = salt['grains.filter_by']({'Debian': {...}, 'RedHat': {...}}) %}",
    },
  },
};
