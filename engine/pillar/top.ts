/**
 * Pillar top files: read `top.sls` from each pillar saltenv, merge them (top_file_merging_strategy `merge` or
 * `same`), and match targets against the minion (compound by default, `- match: grain` etc.).
 *
 * @example
 * # /srv/pillar/top.sls
 * base:
 *   '*':
 *     - common
 *   'os_family:Debian':
 *     - match: grain
 *     - debian
 */
import { matchTarget, type MinionData } from '../compiler/match.js';
import { isDict } from '../config/traverse.js';
import type { Dict } from '../types.js';

/** saltenv → target → items (SLS names and `{match: type}` dicts). */
export type TopData = Record<string, Record<string, unknown[]>>;

/**
 * Merge per-saltenv top files. `merge`: the base top file is authoritative for every saltenv it names; another
 * saltenv's top file only adds its own saltenv, and only when base did not define it. `same`: each saltenv
 * uses only its own top file.
 */
export function mergeTops(tops: { env: string; data: unknown }[], strategy: string, warn: (m: string) => void = () => {}): TopData {
  const top: TopData = {};
  const add = (env: string, targets: unknown): void => {
    if (!isDict(targets)) {
      warn(`pillar top file: saltenv '${env}' has no targets (expected a mapping)`);
      return;
    }
    top[env] ??= {};
    for (const [tgt, items] of Object.entries(targets)) top[env]![tgt] = Array.isArray(items) ? items : items === null ? [] : [items];
  };
  const ordered = [...tops.filter((t) => t.env === 'base'), ...tops.filter((t) => t.env !== 'base')];
  for (const { env: cenv, data } of ordered) {
    if (!isDict(data)) continue;
    for (const [env, targets] of Object.entries(data)) {
      if (env === 'include') continue;
      if (strategy === 'same' || cenv !== 'base') {
        if (env !== cenv) continue;
        if (cenv !== 'base' && top[env]) continue; // base already defined it: base is authoritative
      }
      add(env, targets);
    }
  }
  return top;
}

/** For each saltenv, the SLS names whose targets match the minion, in top-file order, without duplicates. */
export function topMatches(top: TopData, minion: MinionData, o: { pillarenv?: string | null; nodegroups?: Dict } = {}): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [env, body] of Object.entries(top)) {
    if (o.pillarenv && env !== o.pillarenv) continue;
    for (const [target, items] of Object.entries(body)) {
      let type = 'compound';
      for (const it of items) if (isDict(it) && typeof it.match === 'string') type = it.match;
      if (!matchTarget(target, type, minion, { nodegroups: o.nodegroups })) continue;
      const list = (out[env] ??= []);
      for (const it of items) if (typeof it === 'string' && !list.includes(it)) list.push(it);
    }
  }
  return out;
}
