/**
 * nunjucks Environments configured as Salt's Jinja environment, cached per (saltenv, roots, options): building
 * one per file would dominate the render time of a 2,000-file tree. Compiled templates are cached by the loader
 * and re-validated by mtime/size, so an edited file is recompiled.
 */
import path from 'node:path';
import nunjucks from 'nunjucks';
import { installSaltJinja } from './compat.js';
import { tagImporter } from './errloc.js';
import { saltExtension } from './ext.js';
import { saltFilters } from './filters.js';
import { makeHelpers, type Helpers } from './helpers.js';
import { RootsLoader } from './loader.js';
import { splitArgs } from './methods.js';
import { isDict, pyStr } from './pyobj.js';
import { saltTests } from './tests.js';
import { loadYamlValue } from '../yaml.js';

type Fn = (...a: unknown[]) => unknown;

/** `{{ raise('msg') }}` → render error "Jinja error: msg". */
export class JinjaRaise extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JinjaRaise';
  }
}

export interface SaltEnvironment extends nunjucks.Environment {
  __h: Helpers & {
    importData(context: unknown, parent: string | undefined, name: unknown, kind: string, line: number): unknown;
    loadData(kind: string, text: unknown): unknown;
  };
  rootsLoader: RootsLoader;
}

export interface JinjaOptions {
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
  /** Directory for the compiled-template cache (codecache.ts); none → no disk cache. */
  codeCache?: string;
}

const cache = new Map<string, SaltEnvironment>();

function parseData(kind: string, text: string): unknown {
  if (kind === 'yaml') return loadYamlValue(text);
  if (kind === 'json') return text.trim() === '' ? null : JSON.parse(text);
  return text;
}

/** Jinja options from minion opts (`jinja_sls_env` for SLS files, `jinja_env` otherwise; old `jinja_*_blocks`). */
export function jinjaOptions(opts: Record<string, unknown>, forSls: boolean): JinjaOptions {
  const raw = (opts[forSls ? 'jinja_sls_env' : 'jinja_env'] ?? {}) as Record<string, unknown>;
  const cachedir = opts.cachedir;
  return {
    trimBlocks: Boolean(raw.trim_blocks ?? opts.jinja_trim_blocks ?? false),
    lstripBlocks: Boolean(raw.lstrip_blocks ?? opts.jinja_lstrip_blocks ?? false),
    codeCache: typeof cachedir === 'string' && cachedir && opts.halite_jinja_cache !== false ? path.join(cachedir, 'halite', 'jinja') : undefined,
  };
}

function build(roots: string[], o: JinjaOptions): SaltEnvironment {
  installSaltJinja();
  const loader = new RootsLoader(roots);
  const env = new nunjucks.Environment(loader as unknown as nunjucks.ILoader, {
    autoescape: false,
    throwOnUndefined: true,
    dev: true, // keep the original error (cause) on TemplateErrors
    trimBlocks: o.trimBlocks ?? false,
    lstripBlocks: o.lstripBlocks ?? false,
  }) as unknown as SaltEnvironment;
  if (o.codeCache) (env as unknown as { opts: Record<string, unknown> }).opts.haliteCodeCache = o.codeCache;
  const tests = saltTests();
  for (const [k, f] of Object.entries(tests)) (env as unknown as { addTest(n: string, f: Fn): void }).addTest(k, f);
  const filters = saltFilters((name) => {
    const t = (env as unknown as { getTest(n: string): Fn }).getTest(name);
    if (!t) throw new Error(`no test named '${name}'`);
    return t;
  });
  for (const [k, f] of Object.entries(filters)) env.addFilter(k, f);
  env.addExtension('SaltExtension', saltExtension() as nunjucks.Extension);
  env.addGlobal('raise', (msg: unknown) => {
    throw new JinjaRaise(pyStr(msg));
  });
  // Python's dict(pairs_or_mapping, **kw); Salt's odict is the same here (JS objects keep insertion order).
  const dict = (...raw: unknown[]): Record<string, unknown> => {
    const { args, kwargs } = splitArgs(raw);
    const out: Record<string, unknown> = {};
    const src = args[0];
    if (Array.isArray(src)) for (const [k, v] of src as [string, unknown][]) out[k] = v;
    else if (isDict(src)) Object.assign(out, src);
    return Object.assign(out, kwargs);
  };
  env.addGlobal('odict', dict);
  env.addGlobal('dict', dict);
  env.addGlobal('namespace', (...raw: unknown[]) => ({ ...splitArgs(raw).kwargs }));
  env.addGlobal('show_full_context', function (this: { getVariables(): unknown }) {
    return this.getVariables();
  });
  const getFilter = (n: string) => (env as unknown as { getFilter(n: string): Fn }).getFilter(n);
  env.rootsLoader = loader;
  env.__h = {
    ...makeHelpers({ getFilter }),
    importData(_context, parent, name, kind, line) {
      const getT = env.getTemplate as unknown as (n: string, eager: boolean, parent: string | undefined) => { render(ctx: object): string };
      try {
        const tmpl = getT.call(env, String(name), false, parent);
        return parseData(kind, tmpl.render({}));
      } catch (e) {
        throw tagImporter(e, line, parent);
      }
    },
    loadData(kind, text) {
      return parseData(kind, pyStr(text));
    },
  };
  return env;
}

/** The cached Environment for these roots and options. */
export function getEnvironment(saltenv: string, roots: string[], o: JinjaOptions): SaltEnvironment {
  const key = `${saltenv}\u0000${roots.join('\u0001')}\u0000${o.trimBlocks ? 1 : 0}${o.lstripBlocks ? 1 : 0}\u0000${o.codeCache ?? ''}`;
  let env = cache.get(key);
  if (!env) {
    env = build(roots, o);
    cache.set(key, env);
  }
  return env;
}

/**
 * Run fn with per-render variables installed as globals (so `{% import %}`ed templates see `salt`, `grains`,
 * `pillar` … as they do in Salt), restoring the previous values after (renders may nest).
 */
export function withGlobals<T>(env: SaltEnvironment, vars: Record<string, unknown>, fn: () => T): T {
  const globals = (env as unknown as { globals: Record<string, unknown> }).globals;
  const saved: [string, boolean, unknown][] = [];
  for (const [k, v] of Object.entries(vars)) {
    saved.push([k, Object.prototype.hasOwnProperty.call(globals, k), globals[k]]);
    globals[k] = v;
  }
  try {
    return fn();
  } finally {
    for (const [k, had, v] of saved.reverse()) {
      if (had) globals[k] = v;
      else delete globals[k];
    }
  }
}
