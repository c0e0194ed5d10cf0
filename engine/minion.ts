/**
 * A "minion": the loaded configuration, grains, pillar, file server and host for one target machine, and the
 * factory for the ExecContext that every function gets.
 *
 * CONTRACT (owned by engine/minion; the CLI and state.* functions code against it).
 */
import { join } from 'node:path';
import * as renderer from './compiler/render/index.js';
import type { RenderEnv, SaltCall } from './compiler/render/index.js';
import { loadConfig, readConfigFile } from './config/load.js';
import { attachMaster } from './config/option.js';
import { HaliteError, InvocationError } from './errors.js';
import { RootsFileServer } from './fileserver/index.js';
import { coreGrains, finishGrains } from './host/grains.js';
import { LocalHost } from './host/local.js';
import type { Host } from './host/types.js';
import { compilePillar } from './pillar/compile.js';
import { secretPillarValues } from './pillar/secrets.js';
import { Secrets } from './secrets.js';
import type { Dict, ExecContext, FileServer, Logger, Registry, TemplateRenderer } from './types.js';

export interface MinionOptions {
  /** Holds `minion` and `master` YAML files. Default /etc/halite. */
  configDir?: string;
  /** --file-root / --pillar-root shortcuts: replace file_roots.base / pillar_roots.base. */
  fileRoots?: string[];
  pillarRoots?: string[];
  /** Extra config keys set over the files (CLI flags such as state_output). */
  overrides?: Dict;
  log: Logger;
  host?: Host;
}

export interface Minion {
  opts: Dict; // minion config with defaults applied
  master: Dict; // master config (config.option falls back to it)
  grains: Dict;
  fileserver: FileServer;
  host: Host;
  registry: Registry;
  log: Logger;
  /** Secrets registered by pillar (secret keys) and by states (private keys); outputters mask them. */
  secrets: Secrets;
  /** Compile pillar for saltenv with `override` (CLI pillar=) merged on top. */
  pillar(o?: { saltenv?: string; override?: Dict }): Dict;
  /** ExecContext for one call. */
  context(o?: { test?: boolean; saltenv?: string; pillar?: Dict; signal?: AbortSignal }): ExecContext;
  close(): Promise<void>;
}

/**
 * Load config, gather grains (one command on the host), and return the minion. Pillar is compiled lazily on
 * the first `pillar()`/`context()` call and cached per (pillarenv, override).
 */
export async function loadMinion(registry: Registry, o: MinionOptions): Promise<Minion> {
  const { opts, master } = loadConfig(o);
  const host = o.host ?? new LocalHost();
  const core = await coreGrains(host);
  const fileGrains = readConfigFile(join(String(opts.config_dir), 'grains'));
  const grains = finishGrains(core, { id: opts.id, fileGrains, configGrains: opts.grains as Dict });
  opts.id = grains.id;
  attachMaster(opts, master);
  return new MinionImpl(registry, opts, master, grains, RootsFileServer.fromOpts(opts), host, o.log);
}

class MinionImpl implements Minion {
  readonly secrets = new Secrets();
  private readonly pillarCache = new Map<string, Dict>();

  constructor(
    readonly registry: Registry,
    readonly opts: Dict,
    readonly master: Dict,
    readonly grains: Dict,
    readonly fileserver: FileServer,
    readonly host: Host,
    readonly log: Logger,
  ) {}

  pillar(o: { saltenv?: string; override?: Dict } = {}): Dict {
    const pillarenv = pillarEnvFor(this.opts, o.saltenv);
    const key = JSON.stringify([pillarenv, o.override ?? {}]);
    const hit = this.pillarCache.get(key);
    if (hit) return hit;
    // Pillar templates see the override as `pillar`, and salt[...] calls run with that pillar too.
    const early = this.makeContext({ pillar: o.override ?? {}, saltenv: o.saltenv });
    const p = compilePillar({
      opts: this.opts,
      grains: this.grains,
      id: String(this.grains.id),
      pillarenv,
      override: o.override,
      render: (file, env) => requireRenderer('renderSls')(file, env),
      salt: saltBridge(early),
      log: this.log,
    });
    for (const s of secretPillarValues(p, this.opts.secret_pillar_keys)) this.secrets.add(s);
    this.pillarCache.set(key, p);
    return p;
  }

  context(o: { test?: boolean; saltenv?: string; pillar?: Dict; signal?: AbortSignal } = {}): ExecContext {
    const pillar = o.pillar ?? this.pillar({ saltenv: o.saltenv });
    return this.makeContext({ ...o, pillar });
  }

  private makeContext(o: { test?: boolean; saltenv?: string; pillar: Dict; signal?: AbortSignal }): ExecContext {
    const ctx: ExecContext = {
      host: this.host,
      opts: this.opts,
      grains: this.grains,
      pillar: o.pillar,
      saltenv: o.saltenv ?? (typeof this.opts.saltenv === 'string' && this.opts.saltenv ? this.opts.saltenv : 'base'),
      test: o.test ?? this.opts.test === true,
      fileserver: this.fileserver,
      render: undefined as unknown as TemplateRenderer,
      log: this.log,
      signal: o.signal ?? new AbortController().signal,
      call: (fun, args = [], kwargs = {}) => callExec(ctx, fun, args, kwargs),
      secret: (v) => this.secrets.add(v),
      registry: this.registry,
    };
    ctx.render = templateRenderer(ctx);
    return ctx;
  }

  async close(): Promise<void> {
    await this.host.close();
  }
}

/** Pillar saltenv to compile: opts.pillarenv, else the state saltenv when pillarenv_from_saltenv, else all. */
function pillarEnvFor(opts: Dict, saltenv?: string): string | null {
  if (typeof opts.pillarenv === 'string' && opts.pillarenv) return opts.pillarenv;
  if (opts.pillarenv_from_saltenv === true && saltenv) return saltenv;
  return null;
}

/** `ctx.call`: look the function up in the registry and run it with the same context. */
export async function callExec(ctx: ExecContext, fun: string, args: unknown[], kwargs: Dict): Promise<unknown> {
  const def = ctx.registry.exec.get(fun);
  if (!def) throw new InvocationError(`'${fun}' is not available.`);
  return await def.fn(ctx, args, kwargs);
}

/** `salt['mod.fun'](…)` from templates: synchronous, so it uses `sync` when `fn` is async. */
export function saltBridge(ctx: ExecContext): SaltCall {
  return (fun, args, kwargs) => {
    const def = ctx.registry.exec.get(fun);
    if (!def) throw new HaliteError('render', `'${fun}' is not available.`);
    const r = (def.sync ?? def.fn)(ctx, args ?? [], kwargs ?? {});
    if (r instanceof Promise) {
      r.catch(() => {}); // the caller gets the error below; do not leave an unhandled rejection
      throw new HaliteError('render', `'${fun}' cannot be called from a template (it is asynchronous and has no synchronous form)`);
    }
    return r;
  };
}

/** The RenderEnv a template sees for this context. */
export function renderEnvFor(ctx: ExecContext, o: { saltenv?: string; sls?: string; context?: Dict; file?: string } = {}): RenderEnv & { file?: string } {
  return {
    saltenv: o.saltenv ?? ctx.saltenv,
    sls: o.sls ?? '',
    fileserver: ctx.fileserver,
    opts: ctx.opts,
    grains: ctx.grains,
    pillar: ctx.pillar,
    salt: saltBridge(ctx),
    context: o.context,
    log: ctx.log,
    file: o.file,
  };
}

function templateRenderer(ctx: ExecContext): TemplateRenderer {
  return (text, o) => requireRenderer('renderTemplate')(text, o.engine, renderEnvFor(ctx, o));
}

function requireRenderer<K extends 'renderSls' | 'renderTemplate'>(name: K): (typeof renderer)[K] {
  const f = (renderer as Record<string, unknown>)[name];
  if (typeof f !== 'function') throw new HaliteError('internal', `renderer ${name} is not available`);
  return f as (typeof renderer)[K];
}
