/**
 * Rendering a set of SLS files into one high data dict (Salt's `render_highstate` / `render_state` /
 * `merge_included_states`): each `env:sls` renders once, includes render first (depth-first, in list order),
 * included IDs are tagged `__sls_included_from__`, IDs must be globally unique, auto order is assigned in render
 * order.
 */
import { CompileError, HaliteError, RenderError, type ErrorLocation } from '../errors.js';
import { join } from 'node:path';
import { RootsFileServer } from '../fileserver/index.js';
import type { Dict, FileServer } from '../types.js';
import { handleExclude, handleExtend, handleIorder, handleStateDecls, type ExtendLoc, type FileCtx } from './decls.js';
import { fnfilter } from './fnmatch.js';
import { resolveInclude, type IncludeEnv } from './include.js';
import type { RenderEnv, RenderedSls } from './render/index.js';
import { ErrorList, SourceMap } from './sources.js';
import { deepEqual, isDict } from './util.js';

export type RenderFn = (file: string, env: RenderEnv) => RenderedSls;

export interface BuilderEnv {
  opts: Dict;
  grains: Dict;
  pillar: Dict;
  fileserver: FileServer;
  salt: RenderEnv['salt'];
  log?: RenderEnv['log'];
  render: RenderFn;
}

/** Salt's `_get_envs`: base first, then file_roots keys, then the fileserver's; `env_order` filters/orders. */
export function getEnvs(opts: Dict, fs: FileServer): string[] {
  const envs = ['base'];
  const roots = opts.file_roots;
  if (isDict(roots)) for (const k of Object.keys(roots)) if (!envs.includes(k)) envs.push(k);
  const order = [...new Set(Array.isArray(opts.env_order) ? opts.env_order.map(String) : [])];
  const client = fs.envs();
  if (order.length && client.length) return order.filter((e) => client.includes(e));
  if (order.length) return order;
  for (const e of client) if (!envs.includes(e)) envs.push(e);
  return envs;
}

/** Salt's `list_states`: `a/b.sls` → `a.b`, `a/init.sls` → `a`; sorted. */
export function listStates(fs: FileServer, env: string): string[] {
  return statesOf(fs.list(env));
}

function statesOf(files: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of files) {
    if (!p.endsWith('.sls')) continue;
    if (p.endsWith('/init.sls')) out.add(p.slice(0, -9).replace(/\//g, '.'));
    else out.add(p.slice(0, -4).replace(/\//g, '.'));
  }
  return [...out].sort();
}

export class HighstateBuilder implements IncludeEnv {
  readonly src = new SourceMap();
  readonly mods = new Set<string>();
  readonly iorder = { next: 10000 };
  /** Extend bodies → where they were written. */
  readonly extendLocs = new Map<string, ExtendLoc>();
  private readonly envs: string[];
  private readonly availCache = new Map<string, string[]>();
  /** saltenv → the file server's listing (relative paths), filled with `availCache`. */
  private readonly listed = new Map<string, Set<string>>();

  constructor(readonly env: BuilderEnv) {
    this.envs = getEnvs(env.opts, env.fileserver);
  }

  hasEnv(e: string): boolean {
    return this.envs.includes(e);
  }

  avail(e: string): string[] {
    let a = this.availCache.get(e);
    if (!a) {
      const files = this.hasEnv(e) ? this.env.fileserver.list(e) : [];
      a = statesOf(files);
      this.availCache.set(e, a);
      this.listed.set(e, new Set(files));
    }
    return a;
  }

  /**
   * The file `salt://source` resolves to, without the file server's per-call checks when the env's listing
   * (already walked for `avail`, with the same ignore and inside-the-root checks) holds it and the env has a
   * single root: then `resolve` would return `root/source`.
   */
  private resolve(source: string, env: string): string | null {
    const fs = this.env.fileserver;
    if (fs instanceof RootsFileServer && this.listed.get(env)?.has(source)) {
      const roots = fs.roots(env);
      if (roots.length === 1) return join(roots[0]!, source);
    }
    try {
      return fs.resolve(`salt://${source}`, env);
    } catch {
      return null;
    }
  }

  /** Salt's `get_state`: `a/b.sls` wins over `a/b/init.sls`. */
  private locate(sls: string, env: string): { source: string; file: string } | null {
    const base = sls.replace(/\./g, '/');
    for (const source of [`${base}.sls`, `${base}/init.sls`]) {
      const file = this.resolve(source, env);
      if (file) return { source, file };
    }
    return null;
  }

  /** `render_highstate`: render every SLS of `matches` ({saltenv: [sls or glob …]}) into one high dict. */
  renderHighstate(matches: Record<string, string[]>, errors: ErrorList): Dict {
    const high = emptyState();
    const envKeys = Object.keys(matches);
    for (const [saltenv, states] of Object.entries(matches)) {
      for (const slsMatch of states) {
        if (!this.hasEnv(saltenv)) {
          errors.add(`No matching salt environment for environment '${saltenv}' found`);
          continue;
        }
        let files = fnfilter(this.avail(saltenv), slsMatch);
        if (!files.length) files = [slsMatch];
        for (const sls of files) {
          if (this.mods.has(`${saltenv}:${sls}`)) continue;
          const errs: HaliteError[] = [];
          const state = this.renderState(sls, saltenv, envKeys, errs);
          if (state) this.mergeIncluded(high, state, errs);
          for (const e of errs) {
            if (e.message.includes('is not available') && e.message.includes(`SLS ${slsMatch} in saltenv`)) {
              errors.push(new CompileError(`No matching sls found for '${slsMatch}' in env '${saltenv}'`, {}));
            } else errors.push(e);
          }
        }
      }
    }
    const out: Dict = {};
    for (const [id, body] of high.states) out[id] = body;
    if (high.extend.length) out.__extend__ = cleanDuplicateExtends(high.extend);
    if (high.exclude.length) out.__exclude__ = high.exclude;
    return out;
  }

  /** `render_state`: one SLS plus (recursively) its includes; null when it rendered to nothing. */
  renderState(sls: string, saltenv: string, matches: string[], errs: HaliteError[], at?: ErrorLocation): RenderedState | null {
    const where = this.locate(sls, saltenv);
    if (!where) {
      errs.push(
        new CompileError(
          `Specified SLS ${sls} in saltenv ${saltenv} is not available on the salt master or through a configured fileserver`,
          at ?? { sls },
        ),
      );
      return null;
    }
    let rendered: RenderedSls | null = null;
    try {
      rendered = this.env.render(where.file, {
        saltenv,
        sls,
        fileserver: this.env.fileserver,
        opts: this.env.opts,
        grains: this.env.grains,
        pillar: this.env.pillar,
        salt: this.env.salt,
        ...(this.env.log ? { log: this.env.log } : {}),
      });
    } catch (e) {
      errs.push(renderFailure(e, saltenv, sls, where.file));
    }
    this.mods.add(`${saltenv}:${sls}`);
    if (!rendered) return null;
    const data = rendered.data;
    if (data === null || data === undefined || data === false || data === '' || (isDict(data) && !Object.keys(data).length)) return null;
    if (!isDict(data)) {
      errs.push(new CompileError(`SLS ${sls} does not render to a dictionary`, { file: where.file, sls }));
      return null;
    }
    this.src.addSls(saltenv, sls, rendered);
    const list = new ErrorList();
    const f: FileCtx = {
      sls,
      env: saltenv,
      src: this.src,
      errors: list,
      keyLines: rendered.keyLines,
      file: where.file,
      ...(rendered.declLines ? { declLines: rendered.declLines } : {}),
      ...(rendered.keyTypes ? { keyTypes: rendered.keyTypes } : {}),
    };
    const data2 = data;
    let include: unknown[] = [];
    const incLoc: ErrorLocation = { file: where.file, sls };
    const incLine = rendered.keyLines.get('include');
    if (incLine !== undefined) incLoc.line = incLine;
    if ('include' in data2) {
      if (!Array.isArray(data2.include)) list.add(`Include Declaration in SLS ${sls} is not formed as a list`, incLoc);
      else {
        include = data2.include;
        delete data2.include;
      }
    }
    handleExtend(data2, f, this.extendLocs);
    handleExclude(data2, f);
    handleStateDecls(data2, f);
    errs.push(...list.items);
    const state = emptyState();
    if (Array.isArray(data2.__extend__)) state.extend.push(...(data2.__extend__ as Dict[]));
    if (Array.isArray(data2.__exclude__)) state.exclude.push(...(data2.__exclude__ as unknown[]));
    delete data2.__extend__;
    delete data2.__exclude__;
    const own = Object.keys(data2);
    for (const id of own) state.states.set(id, data2[id]);
    for (const item of include) this.include(item, state, where.source, sls, saltenv, matches, errs, incLoc);
    if (this.env.opts.state_auto_order !== false) handleIorder(state.states, own, this.iorder);
    return state;
  }

  private include(
    item: unknown,
    state: RenderedState,
    source: string,
    sls: string,
    saltenv: string,
    matches: string[],
    errs: HaliteError[],
    loc: ErrorLocation,
  ): void {
    const r = resolveInclude(item, sls, saltenv, source, matches, this);
    if ('error' in r) {
      errs.push(new CompileError(r.error, loc));
      return;
    }
    for (const t of r.targets) {
      if (this.mods.has(`${t.env}:${t.sls}`)) continue;
      const nstate = this.renderState(t.sls, t.env, matches, errs, loc);
      if (!nstate) continue;
      for (const [id, body] of nstate.states) {
        if (id.startsWith('__') || !isDict(body)) continue;
        const from = Array.isArray(body.__sls_included_from__) ? body.__sls_included_from__ : [];
        from.push(sls);
        body.__sls_included_from__ = from;
      }
      this.mergeIncluded(state, nstate, errs);
    }
  }

  /** `merge_included_states`: collect extends/excludes, refuse different bodies under one ID. */
  mergeIncluded(high: RenderedState, state: RenderedState, errs: HaliteError[]): void {
    high.extend.push(...state.extend);
    high.exclude.push(...state.exclude);
    for (const [id, body] of state.states) {
      const have = high.states.get(id);
      if (have !== undefined && have !== body && !deepEqual(have, body)) {
        const a = isDict(have) ? have : {};
        const b = isDict(body) ? body : {};
        const src = this.src.fileOf(String(b.__env__), String(b.__sls__));
        const line = src?.keyLines.get(id);
        const loc: ErrorLocation = { id, sls: String(b.__sls__) };
        if (src) loc.file = src.file;
        if (line !== undefined) loc.line = line;
        errs.push(
          new CompileError(
            `Detected conflicting IDs, SLS IDs need to be globally unique.\n    The conflicting ID is '${id}' and is found in SLS '${String(a.__env__)}:${String(a.__sls__)}' and SLS '${String(b.__env__)}:${String(b.__sls__)}'`,
            loc,
          ),
        );
      }
      high.states.set(id, body);
    }
  }
}

/** One rendered SLS (with its includes merged): IDs in Salt's dict order, extends and excludes aside. */
export interface RenderedState {
  states: Map<string, unknown>;
  extend: Dict[];
  exclude: unknown[];
}

function emptyState(): RenderedState {
  return { states: new Map(), extend: [], exclude: [] };
}

/** `clean_duplicate_extends`: one `{ID: body}` per extend, identical ones once. */
function cleanDuplicateExtends(ext: Dict[]): Dict[] {
  const out: Dict[] = [];
  for (const e of ext) {
    if (!isDict(e)) continue;
    for (const [k, v] of Object.entries(e)) {
      if (!out.some((o) => k in o && deepEqual(o[k], v))) out.push({ [k]: v });
    }
  }
  return out;
}

/** Salt's wording for a failed render, keeping the renderer's location. */
function renderFailure(e: unknown, saltenv: string, sls: string, file: string): HaliteError {
  if (e instanceof HaliteError) {
    const msg = e.message.startsWith('Rendering SLS') ? e.message : `Rendering SLS '${saltenv}:${sls}' failed: ${e.message}`;
    const loc = { file, sls, ...e.loc };
    return e.code === 'render' ? new RenderError(msg, loc) : new CompileError(msg, loc);
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new CompileError(`Rendering SLS ${sls} failed, render error: ${msg}`, { file, sls });
}
