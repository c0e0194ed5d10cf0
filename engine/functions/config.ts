/**
 * `config.*`: Salt's layered lookup (minion config → grains → pillar → master config → defaults).
 *
 * ```
 * {{ salt['config.get']('nginx:worker_processes', 'auto') }}
 * ```
 */
import { configGet, configOption, masterOf, type ConfigLayers, type OptionFlags } from '../config/option.js';
import { deepCopy } from '../config/traverse.js';
import type { Dict, ExecContext, ExecModule } from '../types.js';

function layers(ctx: ExecContext): ConfigLayers {
  return { opts: ctx.opts, grains: ctx.grains, pillar: ctx.pillar, master: masterOf(ctx.opts) };
}

function flags(kwargs: Dict): OptionFlags {
  return {
    omit_opts: kwargs.omit_opts === true,
    omit_grains: kwargs.omit_grains === true,
    omit_pillar: kwargs.omit_pillar === true,
    omit_master: kwargs.omit_master === true,
    omit_all: kwargs.omit_all === true,
  };
}

function arg(args: unknown[], kwargs: Dict, i: number, key: string): unknown {
  return kwargs[key] !== undefined ? kwargs[key] : args[i];
}

export const configExecModule: ExecModule = {
  name: 'config',
  doc: 'Configuration lookups across minion config, grains, pillar and master config.',
  functions: {
    get: {
      fn: (ctx, args, kwargs) => {
        const d = arg(args, kwargs, 1, 'default');
        return configGet(layers(ctx), String(arg(args, kwargs, 0, 'key') ?? ''), d === undefined ? '' : d, {
          ...flags(kwargs),
          delimiter: typeof kwargs.delimiter === 'string' ? kwargs.delimiter : ':',
          merge: typeof kwargs.merge === 'string' ? kwargs.merge : null,
        });
      },
      doc: "A value by `a:b` path: minion config, then grains, pillar, master config; first match wins.\n\n    halite call config.get file_roots:base",
    },
    option: {
      fn: (ctx, args, kwargs) => {
        const d = arg(args, kwargs, 1, 'default');
        return configOption(layers(ctx), String(arg(args, kwargs, 0, 'value') ?? ''), d === undefined ? null : d, flags(kwargs));
      },
      doc: 'A top-level key: minion config, then grains, pillar, master config.\n\n    halite call config.option state_output',
    },
    items: {
      fn: (ctx: ExecContext) => deepCopy(ctx.opts),
      doc: 'The minion config (with defaults).',
    },
  },
};
