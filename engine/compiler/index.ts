/**
 * The compiler: top file → SLS list → rendered high data (include/extend/exclude) → validated → low chunks in
 * execution order. Pure with respect to the machine: it reads only the file roots.
 *
 * CONTRACT (owned by the compiler; the runner, state.* functions and the CLI code against it):
 */
import type { Dict, FileServer, HighData, Logger, LowChunk, Registry, SourcePos } from '../types.js';
import type { SaltCall } from './render/index.js';

export interface CompileEnv {
  opts: Dict; // minion config with defaults (file_roots, top_file_merging_strategy, state_auto_order, …)
  grains: Dict;
  pillar: Dict;
  fileserver: FileServer;
  /** Known state modules, for "did you mean" on unknown module/function names. */
  registry: Registry;
  salt: SaltCall;
  log?: Logger;
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

/** state.sls mods: throws CompileErrors (every error at once) on bad input. */
export declare function compileSls(mods: string[], env: CompileEnv, o?: CompileOptions): Compiled;
/** state.highstate: top file(s) → matching SLS → compileSls. Returns null chunks when nothing matched. */
export declare function compileHighstate(env: CompileEnv, o?: CompileOptions): Compiled & { top: Record<string, string[]> };
/** state.show_top. */
export declare function showTop(env: CompileEnv, o?: CompileOptions): Record<string, string[]>;
