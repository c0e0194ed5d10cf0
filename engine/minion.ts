/**
 * A "minion": the loaded configuration, grains, pillar, file server and host for one target machine, and the
 * factory for the ExecContext that every function gets.
 *
 * CONTRACT (owned by engine/minion; the CLI and state.* functions code against it):
 */
import type { Host } from './host/types.js';
import type { Secrets } from './secrets.js';
import type { Dict, ExecContext, FileServer, Logger, Registry } from './types.js';

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

export declare function loadMinion(registry: Registry, o: MinionOptions): Promise<Minion>;
