/**
 * Reading `<configDir>/minion` and `<configDir>/master` (plus `minion.d/*.conf` / `master.d/*.conf` and any
 * `include:`), applying Salt's defaults, CLI overrides and the `--file-root` / `--pillar-root` shortcuts.
 * Config lives on the controller, so it is read with node:fs, not through a Host.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import picomatch from 'picomatch';
import { loadYamlValue } from '../compiler/render/yaml.js';
import { HaliteError } from '../errors.js';
import type { Dict } from '../types.js';
import { masterDefaults, minionDefaults } from './defaults.js';
import { deepCopy, isDict } from './traverse.js';

export interface ConfigOptions {
  /** Default /etc/halite. */
  configDir?: string;
  fileRoots?: string[];
  pillarRoots?: string[];
  overrides?: Dict;
}

export interface LoadedConfig {
  opts: Dict;
  master: Dict;
}

/**
 * @example
 * // /etc/halite/minion:  file_roots: {base: [/srv/salt, /srv/formulas]}
 * loadConfig({ configDir: '/etc/halite', fileRoots: ['/tmp/tree'] }).opts.file_roots // { base: ['/tmp/tree'] }
 */
export function loadConfig(o: ConfigOptions = {}): LoadedConfig {
  const configDir = resolve(o.configDir ?? '/etc/halite');
  const opts = { ...minionDefaults(configDir), ...readWithIncludes(join(configDir, 'minion'), 'minion.d/*.conf') };
  const master = { ...masterDefaults(configDir), ...readWithIncludes(join(configDir, 'master'), 'master.d/*.conf') };
  Object.assign(opts, deepCopy(o.overrides ?? {}));
  opts.config_dir = configDir;
  opts.file_roots = normalizeRoots(opts.file_roots, 'file_roots', configDir);
  opts.pillar_roots = normalizeRoots(opts.pillar_roots, 'pillar_roots', configDir);
  master.file_roots = normalizeRoots(master.file_roots, 'file_roots', configDir);
  master.pillar_roots = normalizeRoots(master.pillar_roots, 'pillar_roots', configDir);
  if (o.fileRoots?.length) {
    (opts.file_roots as Dict).base = o.fileRoots.map((p) => resolve(p));
  }
  if (o.pillarRoots?.length) {
    (opts.pillar_roots as Dict).base = o.pillarRoots.map((p) => resolve(p));
  }
  if (!isDict(opts.grains)) opts.grains = {};
  return { opts, master };
}

/** Read one YAML config file; absent → {}. */
export function readConfigFile(path: string): Dict {
  if (!existsSync(path)) return {};
  let data: unknown;
  try {
    data = loadYamlValue(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new HaliteError('invocation', `Error parsing configuration file: ${path} - ${(e as Error).message}`, { file: path });
  }
  if (data === null || data === undefined) return {};
  if (!isDict(data)) throw new HaliteError('invocation', `Error parsing configuration file: ${path} - not a mapping`, { file: path });
  return data;
}

/** Main file, then its default_include glob, then `include:` entries: later files override earlier keys. */
function readWithIncludes(path: string, defaultInclude: string): Dict {
  const main = readConfigFile(path);
  const dir = dirname(path);
  const out: Dict = { ...main };
  const globs = [typeof main.default_include === 'string' ? main.default_include : defaultInclude];
  const inc = main.include;
  if (typeof inc === 'string') globs.push(inc);
  else if (Array.isArray(inc)) globs.push(...inc.filter((x): x is string => typeof x === 'string'));
  for (const g of globs) for (const f of expandGlob(dir, g)) Object.assign(out, readConfigFile(f));
  return out;
}

function expandGlob(dir: string, pattern: string): string[] {
  const full = isAbsolute(pattern) ? pattern : join(dir, pattern);
  const d = dirname(full);
  const base = basename(full);
  if (!/[*?[]/.test(base)) return existsSync(full) ? [full] : [];
  let names: string[];
  try {
    names = readdirSync(d);
  } catch {
    return [];
  }
  const m = picomatch(base, { dot: false });
  return names.filter((n) => m(n)).sort().map((n) => join(d, n));
}

/** `{env: [dirs]}` with every dir absolute; a single string becomes a one-element list. */
export function normalizeRoots(v: unknown, key: string, configDir: string): Dict {
  if (v === null || v === undefined) return {};
  if (!isDict(v)) throw new HaliteError('invocation', `config ${key} must be a mapping of saltenv to directories`);
  const out: Dict = {};
  for (const [env, dirs] of Object.entries(v)) {
    const list = typeof dirs === 'string' ? [dirs] : Array.isArray(dirs) ? dirs : [];
    out[env] = list.filter((x): x is string => typeof x === 'string').map((p) => resolve(configDir, p));
  }
  return out;
}
