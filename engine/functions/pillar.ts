/**
 * `pillar.*`: the pillar of the current call. All synchronous (templates call them). Secret values are
 * registered when pillar is compiled, so outputters mask them even in `pillar.items`.
 *
 * ```
 * {{ salt['pillar.get']('apache:port', 80) }}
 * ```
 */
import { deepCopy, isDict, MISSING, mergeRecurse, traverse } from '../config/traverse.js';
import { CommandError } from '../errors.js';
import type { Dict, ExecContext, ExecModule } from '../types.js';
import { filterBy } from './grains.js';

function arg(args: unknown[], kwargs: Dict, i: number, key: string): unknown {
  return kwargs[key] !== undefined ? kwargs[key] : args[i];
}

function delim(kwargs: Dict): string {
  return typeof kwargs.delimiter === 'string' && kwargs.delimiter ? kwargs.delimiter : ':';
}

/** pillar.get with Salt's `merge` (a dict/list default merged with the found value). */
export function pillarGet(pillar: Dict, key: string, dflt: unknown = '', o: { merge?: boolean; delimiter?: string; mergeLists?: boolean; raiseOnMissing?: boolean } = {}): unknown {
  const d = o.delimiter ?? ':';
  const v = traverse(pillar, key, d);
  if (o.merge && v !== MISSING) {
    if (isDict(dflt) && isDict(v)) return mergeRecurse(deepCopy(dflt), v, o.mergeLists ?? false);
    if (Array.isArray(dflt) && Array.isArray(v)) return [...deepCopy(dflt), ...deepCopy(v).filter((x) => !dflt.includes(x))];
  }
  if (v === MISSING) {
    if (o.raiseOnMissing && dflt === '') throw new CommandError(`Pillar key not found: ${key}`);
    return dflt;
  }
  return deepCopy(v);
}

const get = (ctx: ExecContext, args: unknown[], kwargs: Dict): unknown => {
  const dflt = arg(args, kwargs, 1, 'default');
  return pillarGet(ctx.pillar, String(arg(args, kwargs, 0, 'key') ?? ''), dflt === undefined ? '' : dflt, {
    merge: arg(args, kwargs, 2, 'merge') === true,
    delimiter: delim(kwargs),
    mergeLists: kwargs.merge_nested_lists === true || ctx.opts.pillar_merge_lists === true,
    raiseOnMissing: ctx.opts.pillar_raise_on_missing === true,
  });
};

export const pillarExecModule: ExecModule = {
  name: 'pillar',
  doc: 'Pillar data compiled for this minion (pillar_roots top file, rendered like states).',
  functions: {
    get: { fn: get, doc: "A pillar value by `a:b` path, or `default` ('').\n\n    halite call pillar.get apache:port 80" },
    fetch: { fn: get, doc: 'Alias of pillar.get.' },
    items: {
      fn: (ctx, args) => {
        if (args.length === 0) return deepCopy(ctx.pillar);
        const out: Dict = {};
        for (const a of args.map(String)) out[a] = pillarGet(ctx.pillar, a, '');
        return out;
      },
      doc: 'All pillar data (or the named keys).\n\n    halite call pillar.items',
    },
    data: { fn: (ctx) => deepCopy(ctx.pillar), doc: 'Alias of pillar.items.' },
    item: {
      fn: (ctx, args, kwargs) => {
        const out: Dict = {};
        const d = kwargs.default === undefined ? '' : kwargs.default;
        for (const a of args.map(String)) out[a] = pillarGet(ctx.pillar, a, d, { delimiter: delim(kwargs) });
        return out;
      },
      doc: 'Named pillar keys as a dict.\n\n    halite call pillar.item users',
    },
    raw: {
      fn: (ctx, args, kwargs) => {
        const key = arg(args, kwargs, 0, 'key');
        return key === undefined || key === null ? deepCopy(ctx.pillar) : deepCopy(ctx.pillar[String(key)] ?? {});
      },
      doc: 'Pillar as compiled, or one top-level key.',
    },
    ls: { fn: (ctx) => Object.keys(ctx.pillar).sort(), doc: 'Top-level pillar keys.' },
    keys: {
      fn: (ctx, args, kwargs) => {
        const v = traverse(ctx.pillar, String(arg(args, kwargs, 0, 'key') ?? ''), delim(kwargs));
        if (!isDict(v)) throw new CommandError(`Pillar item '${String(arg(args, kwargs, 0, 'key'))}' is not a dictionary`);
        return Object.keys(v);
      },
      doc: 'Keys under a pillar dict.',
    },
    filter_by: {
      fn: (ctx, args, kwargs) =>
        filterBy(arg(args, kwargs, 0, 'lookup_dict'), ctx.pillar, String(arg(args, kwargs, 1, 'pillar') ?? ''), {
          merge: arg(args, kwargs, 2, 'merge'),
          default: String(arg(args, kwargs, 3, 'default') ?? 'default'),
          base: arg(args, kwargs, 4, 'base'),
        }),
      doc: 'Pick from a lookup dict by a pillar value.',
    },
  },
};
