/**
 * Include resolution (Salt's `render_state` include loop): absolute names, relative `.x`/`..x`, `{saltenv: sls}`
 * and `{_xenv: sls}` items, fnmatch globs against the environment's SLS list.
 *
 * @example in `a/b/init.sls` (SLS `a.b`): `.c` → `a.b.c`, `..d` → `a.d`; in `a/b/c.sls`: `.e` → `a.b.e`
 */
import { fnfilter } from './fnmatch.js';
import { pyRepr } from './pyrepr.js';
import { isDict } from './util.js';

export interface IncludeTarget {
  env: string;
  sls: string;
}

export interface IncludeEnv {
  /** Environments that exist (Salt's `self.avail` keys). */
  hasEnv(env: string): boolean;
  /** Sorted SLS names available in an environment. */
  avail(env: string): string[];
}

export type IncludeResult = { targets: IncludeTarget[] } | { error: string };

/**
 * Resolve one `include:` item of SLS `sls` (rendered from `source`, relative to its root) in `saltenv`.
 * `matches` are the saltenvs of the current run (keys of the top matches / `{saltenv: mods}`).
 */
export function resolveInclude(
  item: unknown,
  sls: string,
  saltenv: string,
  source: string,
  matches: string[],
  env: IncludeEnv,
): IncludeResult {
  let envKey = saltenv;
  let inc: unknown = item;
  if (isDict(item)) {
    const entries = Object.entries(item);
    if (entries.length !== 1) {
      return { error: `Include item ${pyRepr(item)} in SLS '${saltenv}:${sls}' must be an SLS name or a single-key mapping {saltenv: sls}` };
    }
    [envKey, inc] = entries[0]!;
  }
  if (typeof inc !== 'string' || inc === '') {
    return { error: `Include item ${pyRepr(item)} in SLS '${saltenv}:${sls}' must be an SLS name or a single-key mapping {saltenv: sls}` };
  }
  const xenv = envKey === '_xenv';
  if (!xenv && !env.hasEnv(envKey)) {
    return { error: `Nonexistent saltenv '${envKey}' found in include of '${inc}' within SLS '${saltenv}:${sls}'` };
  }
  if (inc.startsWith('.')) {
    const m = /^(\.+)(.*)$/s.exec(inc)!;
    const levels = m[1]!.length;
    const comps = sls.split('.');
    if (source.endsWith('/init.sls') || source === 'init.sls') comps.push('init');
    if (levels > comps.length) {
      return { error: `Attempted relative include of '${inc}' within SLS '${saltenv}:${sls}' goes beyond top level package ` };
    }
    inc = [...comps.slice(0, comps.length - levels), m[2]!].join('.');
  }
  const name = inc as string;
  let resolved: string[];
  if (!xenv) {
    resolved = matches.includes(envKey) || fnfilter(env.avail(envKey), name).length ? [envKey] : [];
  } else {
    resolved = matches.filter((e) => env.hasEnv(e) && fnfilter(env.avail(e), name).length > 0);
  }
  if (resolved.length === 1 || resolved.includes(saltenv)) {
    const rEnv = resolved.length === 1 ? resolved[0]! : saltenv;
    const found = fnfilter(env.avail(rEnv), name);
    const targets = (found.length ? found : [name]).map((s) => ({ env: rEnv, sls: s }));
    return { targets };
  }
  if (!resolved.length) {
    const where = xenv ? matches.join(', ') : envKey;
    return { error: `Unknown include: Specified SLS ${envKey}: ${name} is not available on the salt master in saltenv(s): ${where} ` };
  }
  return {
    error: `Ambiguous include: Specified SLS ${envKey}: ${name} is available on the salt master in multiple available saltenvs: ${resolved.join(', ')}`,
  };
}
