/**
 * Pillar compilation as Salt does it: pillar_roots top file(s) → matching SLS per saltenv → each rendered like a
 * state file (its own `include:`, with `{name: {defaults: …, key: a:b}}`), merged recursively in top-file order
 * (later wins; lists replaced unless pillar_merge_lists), the CLI override merged last. Errors do not throw:
 * they are collected in `_errors`, as Salt does, so state runs can refuse to start with all messages.
 *
 * @example
 * # /srv/pillar/web.sls
 * include:
 *   - common
 *   - users: {key: site:users, defaults: {shell: /bin/bash}}
 * site:
 *   name: example
 */
import type { RenderedSls, RenderEnv, SaltCall } from '../compiler/render/index.js';
import { fnfilter } from '../compiler/fnmatch.js';
import { isDict, mergeRecurse } from '../config/traverse.js';
import { RootsFileServer } from '../fileserver/index.js';
import type { Dict, Logger } from '../types.js';
import { mergeTops, topMatches } from './top.js';

export type RenderSlsFn = (file: string, env: RenderEnv) => RenderedSls;

export interface PillarInput {
  opts: Dict;
  grains: Dict;
  /** Minion id (targets match it). */
  id: string;
  /** Only this pillar saltenv (opts.pillarenv, or the state saltenv with pillarenv_from_saltenv). */
  pillarenv?: string | null;
  /** CLI `pillar=` data, merged on top. */
  override?: Dict;
  render: RenderSlsFn;
  salt: SaltCall;
  log?: Logger;
}

interface Ctx extends PillarInput {
  fs: RootsFileServer;
  errors: string[];
  mergeLists: boolean;
  strategy: string;
}

/** Compile pillar; `_errors` (list of messages) is set when something failed to render or was not found. */
export function compilePillar(p: PillarInput): Dict {
  const roots = (p.opts.pillar_roots ?? {}) as Record<string, string[]>;
  const ctx: Ctx = {
    ...p,
    fs: new RootsFileServer({ roots }),
    errors: [],
    mergeLists: p.opts.pillar_merge_lists === true,
    strategy: String(p.opts.pillar_source_merging_strategy ?? 'smart'),
  };
  const override = p.override ?? {};
  const tops = envOrder(p.opts, roots)
    .filter((e) => !p.pillarenv || e === p.pillarenv)
    .map((env) => ({ env, data: renderFile(ctx, 'top.sls', env, 'top', {}) }))
    .filter((t) => t.data !== undefined);
  const top = mergeTops(tops, String(p.opts.top_file_merging_strategy ?? 'merge'), (m) => ctx.errors.push(m));
  const matches = topMatches(top, { id: p.id, grains: p.grains, pillar: override }, { pillarenv: p.pillarenv, nodegroups: p.opts.nodegroups as Dict | undefined });
  let pillar: Dict = { ...override };
  for (const [env, patterns] of Object.entries(matches)) {
    const avail = availableSls(ctx.fs, env);
    const files: string[] = [];
    for (const pat of patterns) {
      const hit = fnfilter(avail, pat);
      for (const s of hit.length ? hit : [pat]) if (!files.includes(s)) files.push(s);
    }
    const mods = new Map<string, Dict | null>();
    for (const sls of files) {
      const data = renderPstate(ctx, sls, env, mods, {});
      if (data) pillar = merge(ctx, pillar, data);
    }
  }
  if (Object.keys(override).length) pillar = merge(ctx, pillar, override);
  if (ctx.errors.length) pillar._errors = ctx.errors;
  return pillar;
}

function merge(ctx: Ctx, a: Dict, b: Dict): Dict {
  if (ctx.strategy === 'none') return a;
  return mergeRecurse(a, b, ctx.mergeLists);
}

/** saltenvs in opts.env_order first, then pillar_roots order. */
function envOrder(opts: Dict, roots: Record<string, string[]>): string[] {
  const order = Array.isArray(opts.env_order) ? (opts.env_order as string[]) : [];
  const keys = Object.keys(roots);
  return [...order.filter((e) => keys.includes(e)), ...keys.filter((e) => !order.includes(e))];
}

/** Dotted SLS names available in a saltenv (`a/b.sls` → `a.b`, `a/init.sls` → `a` and `a.init`). */
export function availableSls(fs: RootsFileServer, env: string): string[] {
  const out: string[] = [];
  for (const f of fs.list(env)) {
    if (!f.endsWith('.sls')) continue;
    const dotted = f.slice(0, -4).split('/').join('.');
    out.push(dotted);
    if (dotted === 'init') continue;
    if (dotted.endsWith('.init')) out.push(dotted.slice(0, -5));
  }
  return out;
}

/** The file for an SLS name: `a/b.sls`, else `a/b/init.sls`. */
function findSls(fs: RootsFileServer, sls: string, env: string): string | null {
  const base = sls.split('.').join('/');
  try {
    return fs.resolve(`${base}.sls`, env) ?? fs.resolve(`${base}/init.sls`, env);
  } catch {
    return null;
  }
}

/** Render one file to data; undefined when absent or failed (error recorded). */
function renderFile(ctx: Ctx, rel: string, env: string, sls: string, context: Dict): unknown {
  let file: string | null;
  try {
    file = ctx.fs.resolve(rel, env);
  } catch (e) {
    ctx.errors.push((e as Error).message);
    return undefined;
  }
  if (!file) return undefined;
  return renderPath(ctx, file, env, sls, context);
}

function renderPath(ctx: Ctx, file: string, env: string, sls: string, context: Dict): unknown {
  const renv: RenderEnv = {
    saltenv: env,
    sls,
    fileserver: ctx.fs,
    opts: ctx.opts,
    grains: ctx.grains,
    pillar: { ...(ctx.override ?? {}) },
    salt: ctx.salt,
    context,
    log: ctx.log,
  };
  try {
    return ctx.render(file, renv).data ?? {};
  } catch (e) {
    ctx.errors.push(`Rendering SLS '${sls}' failed, render error:\n${(e as Error).message}`);
    return undefined;
  }
}

/** Render one pillar SLS with its includes (the including file's own data merged last). */
function renderPstate(ctx: Ctx, sls: string, env: string, mods: Map<string, Dict | null>, defaults: Dict): Dict | null {
  const file = findSls(ctx.fs, sls, env);
  if (!file) {
    ctx.errors.push(`Specified SLS '${sls}' in environment '${env}' is not available on the salt master`);
    mods.set(sls, null);
    return null;
  }
  mods.set(sls, null); // include cycles stop here
  const data = renderPath(ctx, file, env, sls, defaults);
  if (data === undefined) return null;
  if (!isDict(data)) {
    ctx.errors.push(`SLS '${sls}' does not render to a dictionary`);
    return null;
  }
  let state: Dict = { ...data };
  if ('include' in state) {
    const inc = state.include;
    delete state.include;
    if (!Array.isArray(inc)) {
      ctx.errors.push(`Include Declaration in SLS '${sls}' is not formed as a list`);
    } else {
      const parts: Dict[] = [];
      for (const item of inc) for (const d of includeOne(ctx, item, sls, file, env, mods)) parts.push(d);
      let merged: Dict = {};
      for (const d of [...parts, state]) merged = merge(ctx, merged, d);
      state = merged;
    }
  }
  mods.set(sls, state);
  return state;
}

function includeOne(ctx: Ctx, item: unknown, sls: string, file: string, env: string, mods: Map<string, Dict | null>): Dict[] {
  let name: string;
  let key: string | undefined;
  let defaults: Dict = {};
  if (isDict(item)) {
    const [k, v] = Object.entries(item)[0] ?? [];
    if (k === undefined) return [];
    name = k;
    if (isDict(v)) {
      if (isDict(v.defaults)) defaults = v.defaults;
      if (typeof v.key === 'string') key = v.key;
    }
  } else if (typeof item === 'string') name = item;
  else return [];
  if (name.startsWith('.')) {
    const base = file.endsWith('/init.sls') ? sls.split('.') : sls.split('.').slice(0, -1);
    name = [...base, name.replace(/^\.+/, '')].filter(Boolean).join('.');
  }
  const hits = fnfilter(availableSls(ctx.fs, env), name);
  const out: Dict[] = [];
  for (const sub of hits.length ? hits : [name]) {
    let d = mods.has(sub) ? mods.get(sub)! : renderPstate(ctx, sub, env, mods, defaults);
    if (!d) continue;
    if (key) for (const frag of key.split(':').reverse()) d = { [frag]: d };
    out.push(d);
  }
  return out;
}
