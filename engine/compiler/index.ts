/**
 * The compiler: top file → SLS list → rendered high data (include/extend/exclude) → validated → low chunks in
 * execution order. Pure with respect to the machine: it reads only the file roots.
 *
 * CONTRACT (owned by the compiler; the runner, state.* functions and the CLI code against it). Every failure is a
 * `CompileErrors` holding every error found at once, each a HaliteError with Salt's message text and halite's
 * location (file, line, state ID, SLS).
 *
 * Stages, as Salt runs them (`state.sls`): render (+ includes, extends/excludes collected, auto order) → extend →
 * verify → requisite_in/use → exclude → high→low → halite's checks (unknown functions, requisite targets when
 * `strict_requisites`, cycles) → order.
 */
import { CompileErrors } from '../errors.js';
import type { Dict, ExecContext, FileServer, HighData, Logger, LowChunk, Registry, SourcePos } from '../types.js';
import { checkCycles, checkRequisiteTargets, checkStateFunctions, resolveRequisites } from './checks.js';
import { applyExclude, splitExcludeArg } from './exclude.js';
import { reconcileExtend } from './extend.js';
import { getEnvs, HighstateBuilder, type BuilderEnv, type RenderFn } from './highstate.js';
import { compileHighData } from './low.js';
import { orderChunks } from './order.js';
import { renderSls, type SaltCall } from './render/index.js';
import { requisiteIn } from './requisite-in.js';
import { RequisiteIndex } from './requisites.js';
import { ErrorList } from './sources.js';
import { getTops, mergeTops, topMatches, verifyTop } from './top.js';
import { verifyHigh } from './verify.js';

export { matchTarget, subdictMatch, traverse, type MinionData } from './match.js';
export { matchRequisite, normalizeReq, RequisiteIndex, RUNTIME_REQUISITES, STATE_REQUISITE_KEYWORDS } from './requisites.js';
export { fnmatch } from './fnmatch.js';

export interface CompileEnv {
  opts: Dict; // minion config with defaults (file_roots, top_file_merging_strategy, state_auto_order, …)
  grains: Dict;
  pillar: Dict;
  fileserver: FileServer;
  /** Known state modules, for "did you mean" on unknown module/function names. */
  registry: Registry;
  salt: SaltCall;
  log?: Logger;
  /** Renderer override (tests); default the real `renderSls`. */
  render?: RenderFn;
}

export interface Compiled {
  /** High data after include/extend/requisite_in/exclude (what show_highstate prints is `renderedHigh`). */
  high: HighData;
  /** High data as rendered, with `__extend__`/`__exclude__` unprocessed (show_sls / show_highstate). */
  renderedHigh: HighData;
  /** Ordered low chunks (Salt's order_chunks), with requisite_in/use applied (show_lowstate). */
  chunks: LowChunk[];
  /** Where each state ID was declared. */
  positions: Map<string, SourcePos>;
}

export interface CompileOptions {
  saltenv?: string; // default 'base' (or opts.saltenv)
  /** Extra excludes (`exclude=` kwarg): SLS names or {id:…}/{sls:…}. */
  exclude?: unknown;
}

/**
 * A CompileEnv for one ExecContext: `salt` calls execution functions synchronously (`def.sync ?? def.fn`) and
 * throws when one returns a Promise (Jinja cannot wait).
 */
export function compileEnvFromContext(ctx: ExecContext): CompileEnv {
  const salt: SaltCall = (fun, args, kwargs) => {
    const def = ctx.registry.exec.get(fun);
    if (!def) throw new Error(`'${fun}' is not available.`);
    const out = (def.sync ?? def.fn)(ctx, args, kwargs);
    if (out && typeof (out as { then?: unknown }).then === 'function') {
      throw new Error(`'${fun}' is asynchronous and cannot be called from a template`);
    }
    return out;
  };
  return { opts: ctx.opts, grains: ctx.grains, pillar: ctx.pillar, fileserver: ctx.fileserver, registry: ctx.registry, salt, log: ctx.log };
}

function builderEnv(env: CompileEnv): BuilderEnv {
  return {
    opts: env.opts,
    grains: env.grains,
    pillar: env.pillar,
    fileserver: env.fileserver,
    salt: env.salt,
    render: env.render ?? renderSls,
    ...(env.log ? { log: env.log } : {}),
  };
}

function fail(errors: ErrorList): void {
  if (errors.length) throw new CompileErrors(errors.items);
}

function saltenvOf(env: CompileEnv, o: CompileOptions): string {
  return o.saltenv ?? (typeof env.opts.saltenv === 'string' && env.opts.saltenv ? env.opts.saltenv : 'base');
}

/** Normalise `mods` (list, or comma string, numbers allowed) as `state.sls` does. */
export function splitMods(mods: unknown): string[] {
  if (Array.isArray(mods)) return mods.map(String).filter(Boolean);
  if (mods === undefined || mods === null) return [];
  return String(mods).split(',').map((s) => s.trim()).filter(Boolean);
}

/** A rendered run: high data as rendered (extends/excludes not applied) and where everything came from. */
export interface Rendered {
  high: Dict;
  builder: HighstateBuilder;
}

/** Render `matches` ({saltenv: [sls …]}); throws CompileErrors on render/include/declaration errors. */
export function renderMatches(matches: Record<string, string[]>, env: CompileEnv, o: CompileOptions = {}): Rendered {
  const builder = new HighstateBuilder(builderEnv(env));
  const errors = new ErrorList();
  const high = builder.renderHighstate(matches, errors);
  fail(errors);
  const exc = splitExcludeArg(o.exclude);
  if (exc.length) high.__exclude__ = [...((high.__exclude__ as unknown[] | undefined) ?? []), ...exc];
  return { high, builder };
}

function disabledReqs(opts: Dict): Set<string> {
  const d = opts.disabled_requisites;
  return new Set(Array.isArray(d) ? d.map(String) : typeof d === 'string' && d ? [d] : []);
}

/** Verify rendered high data as show_sls/show_low_sls do (no extend): throws CompileErrors. */
export function verifyRendered(r: Rendered): void {
  const errors = new ErrorList();
  verifyHigh(r.high, { errors, src: r.builder.src });
  fail(errors);
}

/** Salt's `call_high` compile half plus halite's checks: high → ordered chunks. Throws CompileErrors. */
export function compileRendered(r: Rendered, env: CompileEnv): Compiled {
  const src = r.builder.src;
  const errors = new ErrorList();
  // Copy-on-write: bodies an extend changes are cloned first, so `r.high` stays as rendered.
  const high: Dict = { ...r.high };
  const owned = new Set<string>();
  reconcileExtend(high, {
    strict: false,
    errors,
    owned,
    locate: (e, sls, id) => {
      const l = r.builder.extendLocs.get(`${e}:${sls}\u0000${id}`);
      return l ? { ...l } : { id, sls };
    },
  });
  verifyHigh(high, { errors, src });
  fail(errors);
  const disabled = disabledReqs(env.opts);
  const dropped = requisiteIn(high, {
    errors,
    disabled,
    locOf: (id, mod) => src.locOf(id, mod),
    warn: (m) => env.log?.warn(m),
    owned,
  });
  fail(errors);
  applyExclude(high);
  const chunks = compileHighData(high);
  const index = new RequisiteIndex(chunks);
  const ctx = { errors, src, disabled };
  checkStateFunctions(chunks, env.registry, ctx);
  const resolved = resolveRequisites(chunks, index, disabled);
  if (env.opts.strict_requisites !== false) checkRequisiteTargets(chunks, resolved, index, dropped, ctx);
  checkCycles(chunks, resolved, ctx);
  fail(errors);
  return { high: high as HighData, renderedHigh: r.high as HighData, chunks: orderChunks(chunks), positions: src.positions() };
}

/**
 * state.sls: render `mods` in the saltenv, then compile. Throws CompileErrors (every error at once).
 *
 * @example compileSls(['webapp'], env).chunks.map((c) => c.__id__)
 */
export function compileSls(mods: string[], env: CompileEnv, o: CompileOptions = {}): Compiled {
  const saltenv = saltenvOf(env, o);
  return compileRendered(renderMatches({ [saltenv]: splitMods(mods) }, env, o), env);
}

/** The top data for this minion: {saltenv: [sls …]} (state.show_top). Throws CompileErrors on bad top files. */
export function showTop(env: CompileEnv, o: CompileOptions = {}): Record<string, string[]> {
  const benv = builderEnv(env);
  const errors = new ErrorList();
  const saltenv = o.saltenv ?? (typeof env.opts.saltenv === 'string' && env.opts.saltenv ? env.opts.saltenv : null);
  const tops = getTops(benv, saltenv, errors);
  for (const list of tops.values()) for (const t of list) verifyTop(t.data, t.file, t.lines, errors);
  fail(errors);
  const top = mergeTops(tops, env.opts);
  const id = String(env.opts.id ?? env.grains.id ?? 'local');
  const envs = getEnvs(env.opts, env.fileserver);
  return topMatches(top, { id, grains: env.grains, pillar: env.pillar }, env.opts, envs, saltenv);
}

/** Render the highstate's SLS files (show_highstate's data); `top` is {} when nothing matched. */
export function renderHighstate(env: CompileEnv, o: CompileOptions = {}): Rendered & { top: Record<string, string[]> } {
  const top = showTop(env, o);
  if (!Object.keys(top).length) {
    return { top, high: {}, builder: new HighstateBuilder(builderEnv(env)) };
  }
  return { top, ...renderMatches(top, env, o) };
}

/**
 * state.highstate: top file(s) → matching SLS → compile. When the top matches nothing, `top` is `{}` and
 * `chunks` is empty (Salt's "No Top file or master_tops data matches found"); when the matched SLS render to no
 * states, `top` is non-empty and `chunks` empty ("No states found for this minion").
 */
export function compileHighstate(env: CompileEnv, o: CompileOptions = {}): Compiled & { top: Record<string, string[]> } {
  const r = renderHighstate(env, o);
  if (!Object.keys(r.top).length || !Object.keys(r.high).length) {
    return { top: r.top, high: {}, renderedHigh: r.high as HighData, chunks: [], positions: r.builder.src.positions() };
  }
  return { top: r.top, ...compileRendered(r, env) };
}

export { splitExcludeArg };
