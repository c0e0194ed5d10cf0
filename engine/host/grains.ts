/**
 * Core grains of a Host in one command (GRAINS_SCRIPT), parsed by pure functions, with static grains merged on
 * top: core < `<configDir>/grains` file < config `grains:` (Salt's order).
 */
import { HostError } from '../errors.js';
import type { Dict } from '../types.js';
import { parseGrains } from './grains-parse.js';
import { GRAINS_SCRIPT } from './grains-script.js';
import type { Host } from './types.js';

/** Grains halite reports about itself (templates gate on saltversioninfo). */
export const VERSION_GRAINS: Dict = { saltversion: '3006.0', saltversioninfo: [3006, 0], halite: true };

/** Run the grains script on `host` and parse it. */
export async function coreGrains(host: Host): Promise<Dict> {
  const r = await host.run(['sh', '-c', GRAINS_SCRIPT], { timeoutMs: 30_000 });
  if (r.code !== 0) throw new HostError(`could not gather grains on ${host.name}: exit ${r.code}: ${r.stderr.trim()}`);
  return parseGrains(r.stdout);
}

export interface GrainsInput {
  /** Minion id from config (null → fqdn). */
  id?: unknown;
  /** The `<configDir>/grains` file's mapping. */
  fileGrains?: Dict;
  /** Config `grains:`. */
  configGrains?: Dict;
}

/** Final grains: core + id + static layers. */
export function finishGrains(core: Dict, o: GrainsInput): Dict {
  const id = typeof o.id === 'string' && o.id ? o.id : String(core.fqdn ?? core.host ?? 'localhost');
  return { ...core, ...VERSION_GRAINS, id, ...(o.fileGrains ?? {}), ...(o.configGrains ?? {}) };
}
