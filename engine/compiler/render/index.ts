/**
 * Rendering SLS and template files: renderer pipes (default `jinja|yaml`, first-line shebang), Jinja via nunjucks
 * with Salt's Jinja gaps closed, YAML read as PyYAML/Salt read it (YAML 1.1, `0644` → 644, duplicate keys are an
 * error naming both places).
 *
 * CONTRACT (owned by the renderer; the compiler, pillar and file.managed code against it):
 */
import type { Dict, FileServer, Logger } from '../../types.js';

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
}

export declare function renderSls(file: string, env: RenderEnv): RenderedSls;
export declare function renderTemplate(text: string, engine: string, env: RenderEnv & { file?: string }): string;
