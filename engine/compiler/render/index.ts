/**
 * Rendering SLS and template files: renderer pipes (default `jinja|yaml`, first-line shebang), Jinja via nunjucks
 * with Salt's Jinja gaps closed, YAML read as PyYAML/Salt read it (YAML 1.1, `0644` → 644, duplicate keys are an
 * error naming both places).
 *
 * CONTRACT (owned by the renderer; the compiler, pillar and file.managed code against it):
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Dict, FileServer, Logger } from '../../types.js';
import { RenderError } from '../../errors.js';
import { jinjaOptions } from './jinja/env.js';
import { JinjaError, renderJinja } from './jinja/render.js';
import { ifelseGlobal, saltProxy, slsVars } from './jinja/context.js';
import { choosePipe, PipeError, stripShebang } from './pipe.js';
import { loadSaltYaml, SaltYamlError } from './yaml.js';

export { newDict } from './fastyaml.js';
export { flushCodeCache } from './jinja/codecache.js';

/** Synchronous bridge to execution functions for `salt['mod.fun'](…)` in templates. */
export type SaltCall = (fun: string, args: unknown[], kwargs: Dict) => unknown;

export interface RenderEnv {
  saltenv: string;
  /** Dotted SLS name ('a.b') of the file being rendered, or '' for a plain template. */
  sls: string;
  fileserver: FileServer;
  opts: Dict;
  grains: Dict;
  pillar: Dict;
  salt: SaltCall;
  /** Extra variables (file.managed `context`/`defaults`). */
  context?: Dict;
  log?: Logger;
}

export interface RenderedSls {
  /** The data the pipe produced (usually a mapping; `{}` for an empty file). */
  data: unknown;
  /** Absolute path of the source file. */
  file: string;
  /** 1-based line in the rendered text of each top-level key of `data` (state IDs, include, extend …).
   *  For `jinja|yaml` the rendered text's lines are reported (Salt does the same). */
  keyLines: Map<string, number>;
  /** Line of each state-ID → module → argument key, when known: `${id}\u0000${module}` → line. */
  declLines?: Map<string, number>;
  /** Top-level keys written as non-string YAML scalars (`123:` → 'int'), with Python's type name; the data
   *  holds them as strings (JS object keys), the compiler can still say "is not formed as a string". */
  keyTypes?: Map<string, string>;
  /** The text the last text-producing step produced (the rendered YAML/JSON), for messages. */
  rendered?: string;
}

/**
 * A render failure. `message` is Salt's inner message (the compiler wraps it as
 * `Rendering SLS 'base:x' failed: <message>`); `loc` has the file and 1-based line.
 * For a duplicate YAML key, `firstLine` is the line of the first occurrence (`loc.line` is the second).
 */
export class SlsRenderError extends RenderError {
  constructor(
    message: string,
    loc: { file?: string; line?: number; sls?: string },
    readonly firstLine?: number,
  ) {
    super(message, loc);
    this.name = 'RenderError';
  }
}

const proxies = new WeakMap<SaltCall, unknown>();

function saltFor(call: SaltCall): unknown {
  let p = proxies.get(call);
  if (!p) proxies.set(call, (p = saltProxy(call)));
  return p;
}

function jinjaGlobals(env: RenderEnv, file: string, roots: string[]): Dict {
  const rel = file ? relativeTo(roots, file) : null;
  return {
    salt: saltFor(env.salt),
    grains: env.grains,
    pillar: env.pillar,
    opts: env.opts,
    saltenv: env.saltenv,
    sls: env.sls,
    ifelse: ifelseGlobal(String(env.opts.id ?? env.grains.id ?? ''), env.grains, env.pillar, env.opts.nodegroups as Dict | undefined),
    ...slsVars(env.sls, file, rel),
  };
}

function relativeTo(roots: string[], file: string): string | null {
  for (const r of roots) {
    const rel = path.relative(path.resolve(r), file);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return null;
}

function rootsOf(env: RenderEnv): string[] {
  try {
    return env.fileserver.roots(env.saltenv);
  } catch {
    return [];
  }
}

function wrap(err: unknown, file: string, sls: string): never {
  if (err instanceof RenderError) throw err;
  if (err instanceof JinjaError) throw new SlsRenderError(err.message, { file: err.file ?? file, line: err.line, sls });
  if (err instanceof SaltYamlError) throw new SlsRenderError(err.message, { file, line: err.line, sls }, err.firstLine);
  if (err instanceof PipeError) throw new SlsRenderError(`${err.message} (${file})`, { file, sls });
  throw new SlsRenderError(err instanceof Error ? err.message : String(err), { file, sls });
}

function parseJson(text: string): unknown {
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch (e) {
    throw new SaltYamlError((e as Error).message);
  }
}

/**
 * Render an SLS file through its pipe to data. Synchronous; throws SlsRenderError (a RenderError).
 *
 * @example
 * // /srv/salt/web/init.sls:  {% set pkgs = ['nginx'] %}\nnginx:\n  pkg.installed: []\n
 * renderSls('/srv/salt/web/init.sls', { saltenv: 'base', sls: 'web', … }).data
 * // → { nginx: { 'pkg.installed': [] } }
 */
export function renderSls(file: string, env: RenderEnv): RenderedSls {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SlsRenderError(`Template ${file} could not be read: ${(e as Error).message}`, { file, sls: env.sls });
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  const empty: RenderedSls = { data: {}, file, keyLines: new Map(), declLines: new Map(), keyTypes: new Map() };
  if (text.trim() === '') return empty;
  try {
    const pipe = choosePipe(text, String(env.opts.renderer ?? 'jinja|yaml'));
    let cur: unknown = stripShebang(text, pipe);
    const asRead = cur === text && !bom;
    const roots = rootsOf(env);
    let out: RenderedSls = { ...empty };
    for (const step of pipe.steps) {
      if (step === 'jinja') {
        cur = renderJinja({
          source: String(cur),
          file,
          saltenv: env.saltenv,
          roots,
          options: jinjaOptions(env.opts, true),
          globals: jinjaGlobals(env, file, roots),
          context: env.context,
          sourceIsFile: asRead && cur === text,
        });
      } else if (step === 'yaml') {
        const t = typeof cur === 'string' ? cur : String(cur);
        const y = loadSaltYaml(t);
        out = { data: y.data, file, keyLines: y.keyLines, declLines: y.declLines, keyTypes: y.keyTypes, rendered: t };
        cur = y.data;
      } else if (step === 'json') {
        const t = String(cur);
        cur = parseJson(t);
        out = { ...empty, data: cur, rendered: t, keyLines: jsonKeyLines(t, cur) };
      }
      // 'text'/'raw' pass the text through
    }
    if (typeof cur === 'string') out = { ...empty, data: cur, rendered: cur };
    // Salt: rendered data that is falsy becomes {}.
    if (out.data === null || out.data === undefined || out.data === false || out.data === '' || out.data === 0) out.data = {};
    return out;
  } catch (err) {
    wrap(err, file, env.sls);
  }
}

/** Lines of the top-level keys of a JSON object (a light scan: strings, nesting depth, newlines). */
function jsonKeyLines(text: string, data: unknown): Map<string, number> {
  const lines = new Map<string, number>();
  if (!data || typeof data !== 'object' || Array.isArray(data)) return lines;
  let line = 1;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (depth === 1 && /^\s*:/.test(text.slice(i + 1, i + 40))) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (!lines.has(key)) lines.set(key, line);
      }
    }
  }
  return lines;
}

/**
 * Render template text (file.managed `template: jinja`, cp.get_template). Only 'jinja' is supported; the
 * template sees `salt`, `grains`, `pillar`, `opts`, `saltenv`, `sls`, the tpl* variables of `env.file` and
 * `env.context`.
 *
 * @example renderTemplate('port={{ pillar.port }}\n', 'jinja', env)  // 'port=8080\n'
 */
export function renderTemplate(text: string, engine: string, env: RenderEnv & { file?: string }): string {
  const file = env.file ?? '';
  const name = (engine || 'jinja').toLowerCase();
  if (name !== 'jinja') {
    throw new SlsRenderError(`template engine '${engine}' is not supported by halite (only 'jinja')`, { file: file || undefined, sls: env.sls });
  }
  const roots = rootsOf(env);
  try {
    return renderJinja({
      source: text,
      file,
      saltenv: env.saltenv,
      roots,
      options: jinjaOptions(env.opts, false),
      globals: jinjaGlobals(env, file, roots),
      context: env.context,
    });
  } catch (err) {
    wrap(err, file, env.sls);
  }
}
