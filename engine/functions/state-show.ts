/**
 * `state.show_*`: what the compiler produces, without running anything (Salt's salt/modules/state.py).
 *
 * - `show_top` → `{saltenv: [sls …]}` for this minion;
 * - `show_highstate` → the highstate's rendered high data (`__extend__`/`__exclude__` unprocessed);
 * - `show_lowstate` → the highstate's ordered low chunks (extend, requisite_in/use and exclude applied);
 * - `show_states` → the SLS names of those chunks, in order, once each;
 * - `show_sls mods` → rendered + verified high data of `mods`;
 * - `show_low_sls mods` → their low chunks without extend/requisite_in/exclude.
 *
 * A compile failure returns `CallOutput('errors', [messages], 1, details)`, like Salt's list of strings.
 *
 * @example halite call state.show_lowstate --out json
 */
import {
  compileEnvFromContext,
  compileHighstate,
  renderHighstate,
  renderMatches,
  showTop,
  splitMods,
  verifyRendered,
  type CompileEnv,
  type CompileOptions,
} from '../compiler/index.js';
import { compileHighData } from '../compiler/low.js';
import { orderChunks } from '../compiler/order.js';
import { clone, isDict } from '../compiler/util.js';
import { CompileErrors, HaliteError } from '../errors.js';
import { CallOutput, type Dict, type ExecContext, type ExecFunction, type ExecModule } from '../types.js';

function mergePillar(base: Dict, over: Dict): Dict {
  const out: Dict = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isDict(v) && isDict(out[k]) ? mergePillar(out[k] as Dict, v) : v;
  return out;
}

function envOf(ctx: ExecContext, kwargs: Dict): CompileEnv {
  const env = compileEnvFromContext(ctx);
  if (isDict(kwargs.pillar)) env.pillar = mergePillar(env.pillar, kwargs.pillar);
  return env;
}

function optsOf(kwargs: Dict): CompileOptions {
  const o: CompileOptions = {};
  if (typeof kwargs.saltenv === 'string' && kwargs.saltenv) o.saltenv = kwargs.saltenv;
  if (kwargs.exclude !== undefined) o.exclude = kwargs.exclude;
  return o;
}

/** Turn a compile failure into Salt's error-list return (anything else propagates). */
export function errorOutput(e: unknown): CallOutput {
  const errs: HaliteError[] = e instanceof CompileErrors ? e.errors : e instanceof HaliteError ? [e] : [];
  if (!errs.length) throw e;
  return new CallOutput(
    'errors',
    errs.map((x) => x.message),
    1,
    errs.map((x) => ({
      message: x.message,
      ...(x.loc.file ? { file: x.loc.file } : {}),
      ...(x.loc.line !== undefined ? { line: x.loc.line } : {}),
      ...(x.loc.id !== undefined ? { id: x.loc.id } : {}),
    })),
  );
}

function guarded(f: (ctx: ExecContext, args: unknown[], kwargs: Dict) => unknown): ExecFunction {
  return (ctx, args, kwargs) => {
    try {
      return f(ctx, args, kwargs);
    } catch (e) {
      return errorOutput(e);
    }
  };
}

function modsOf(args: unknown[], kwargs: Dict): string[] {
  return splitMods(args[0] ?? kwargs.mods);
}

export const showTopFn = guarded((ctx, _args, kwargs) => showTop(envOf(ctx, kwargs), optsOf(kwargs)));

export const showHighstateFn = guarded((ctx, _args, kwargs) => renderHighstate(envOf(ctx, kwargs), optsOf(kwargs)).high);

export const showLowstateFn = guarded((ctx, _args, kwargs) => compileHighstate(envOf(ctx, kwargs), optsOf(kwargs)).chunks);

export const showStatesFn = guarded((ctx, _args, kwargs) => {
  const seen: string[] = [];
  for (const c of compileHighstate(envOf(ctx, kwargs), optsOf(kwargs)).chunks) {
    const s = String(c.__sls__);
    if (!seen.includes(s)) seen.push(s);
  }
  return seen;
});

export const showSlsFn = guarded((ctx, args, kwargs) => {
  const env = envOf(ctx, kwargs);
  const o = optsOf(kwargs);
  const saltenv = o.saltenv ?? (typeof env.opts.saltenv === 'string' && env.opts.saltenv ? env.opts.saltenv : 'base');
  const r = renderMatches({ [saltenv]: modsOf(args, kwargs) }, env, { ...o, exclude: undefined });
  verifyRendered(r);
  return r.high;
});

export const showLowSlsFn = guarded((ctx, args, kwargs) => {
  const env = envOf(ctx, kwargs);
  const o = optsOf(kwargs);
  const saltenv = o.saltenv ?? (typeof env.opts.saltenv === 'string' && env.opts.saltenv ? env.opts.saltenv : 'base');
  const r = renderMatches({ [saltenv]: modsOf(args, kwargs) }, env, { ...o, exclude: undefined });
  verifyRendered(r);
  return orderChunks(compileHighData(clone(r.high)));
});

/** The `state` execution module's show_* functions (the lead registers it next to state.sls & co). */
export const stateShowModule: ExecModule = {
  name: 'state',
  doc: 'Show what the compiler makes of the top file and SLS files, without running anything.',
  functions: {
    show_top: { fn: showTopFn, doc: 'The SLS names the top file assigns to this minion, per saltenv.' },
    show_highstate: { fn: showHighstateFn, doc: "The highstate's rendered high data." },
    show_lowstate: { fn: showLowstateFn, doc: "The highstate's ordered low chunks." },
    show_states: { fn: showStatesFn, doc: 'The SLS names the highstate would apply, in order.' },
    show_sls: { fn: showSlsFn, doc: 'Rendered high data of the given SLS (comma list).' },
    show_low_sls: { fn: showLowSlsFn, doc: 'Low chunks of the given SLS, before extend/requisite_in/exclude.' },
  },
};
