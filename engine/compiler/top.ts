/**
 * Top files (Salt's `get_tops` / `merge_tops` / `verify_tops` / `top_matches`): one top file per saltenv (or only
 * the requested saltenv's), `include:` of further top files, merged by `top_file_merging_strategy`
 * (`merge` — base is authoritative, other envs only add their own section; `same` — each env uses its own top file,
 * falling back to `default_top`; `merge_all` — every section, lists unioned in `env_order`), then matched against
 * the minion (default matcher compound).
 *
 * @example
 * base:
 *   '*': [core]
 *   'web* and G@os:Debian': [nginx]
 *   'role:db':
 *     - match: pillar
 *     - postgres
 */
import type { ErrorLocation } from '../errors.js';
import type { Dict } from '../types.js';
import { fnfilter } from './fnmatch.js';
import { getEnvs, listStates, type BuilderEnv } from './highstate.js';
import { MATCHERS, matchTarget, type MinionData } from './match.js';
import type { ErrorList } from './sources.js';
import { isDict } from './util.js';

/** Per saltenv, the top files read (its own first, then included ones); `{}` where a saltenv has none. */
export type TopFiles = Map<string, { data: Dict; file?: string; lines?: Map<string, number> }[]>;
/** Merged top data: saltenv → target → list of SLS / match items. */
export type TopData = Record<string, Record<string, unknown>>;

function topPath(opts: Dict): string {
  const t = typeof opts.state_top === 'string' && opts.state_top ? opts.state_top : 'top.sls';
  return t.startsWith('salt://') ? t : `salt://${t}`;
}

function renderTop(env: BuilderEnv, file: string, saltenv: string, errors: ErrorList) {
  try {
    const r = env.render(file, {
      saltenv,
      sls: '',
      fileserver: env.fileserver,
      opts: env.opts,
      grains: env.grains,
      pillar: env.pillar,
      salt: env.salt,
      ...(env.log ? { log: env.log } : {}),
    });
    const data = r.data ?? {};
    if (!isDict(data)) {
      errors.add('Top data was not formed as a dict', { file });
      return null;
    }
    return { data, file, lines: r.keyLines };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const loc = (e as { loc?: ErrorLocation }).loc ?? {};
    errors.add(`Unable to render top file: ${msg}`, { file, ...loc });
    return null;
  }
}

/** Read the top files: only `saltenv`'s when given, else one per environment (or `state_top_saltenv`). */
export function getTops(env: BuilderEnv, saltenv: string | null, errors: ErrorList): TopFiles {
  const tops: TopFiles = new Map();
  const url = topPath(env.opts);
  const envs = saltenv ? [saltenv] : env.opts.state_top_saltenv ? [String(env.opts.state_top_saltenv)] : getEnvs(env.opts, env.fileserver);
  for (const e of envs) {
    let file: string | null = null;
    try {
      file = env.fileserver.resolve(url, e);
    } catch {
      file = null;
    }
    const list = tops.get(e) ?? [];
    tops.set(e, list);
    const t = file ? renderTop(env, file, e, errors) : null;
    list.push(t ?? { data: {} });
  }
  // includes of the initial top files (not followed further, as in Salt)
  for (const [e, ctops] of tops) {
    const include: unknown[] = [];
    for (const ctop of [...ctops]) {
      if (!('include' in ctop.data)) continue;
      const inc = ctop.data.include;
      delete ctop.data.include;
      if (Array.isArray(inc)) include.push(...inc);
      else errors.add(`Include Declaration in top file of saltenv ${e} is not formed as a list`, { file: ctop.file });
    }
    const done = new Set<string>();
    let avail: string[] | undefined;
    for (const m of include) {
      avail ??= listStates(env.fileserver, e);
      const names = fnfilter(avail, String(m));
      if (!names.length) errors.add(`Specified SLS ${String(m)} in saltenv ${e} is not available on the salt master or through a configured fileserver`, {});
      for (const sls of names) {
        if (done.has(sls)) continue;
        done.add(sls);
        const base = sls.replace(/\./g, '/');
        const file = env.fileserver.resolve(`salt://${base}.sls`, e) ?? env.fileserver.resolve(`salt://${base}/init.sls`, e);
        const t = file ? renderTop(env, file, e, errors) : null;
        if (t) ctops.push(t);
      }
    }
  }
  return tops;
}

/** Structural checks of one top file (Salt's `verify_tops` messages, with the file). */
export function verifyTop(data: Dict, file: string | undefined, lines: Map<string, number> | undefined, errors: ErrorList): void {
  for (const [saltenv, matches] of Object.entries(data)) {
    if (saltenv === 'include') continue;
    const loc: ErrorLocation = {};
    if (file) loc.file = file;
    const line = lines?.get(saltenv);
    if (line !== undefined) loc.line = line;
    if (saltenv === '') errors.add('Empty saltenv statement in top file', loc);
    if (!isDict(matches)) {
      errors.add(`The top file matches for saltenv ${saltenv} are not formatted as a dict`, loc);
      continue;
    }
    for (const slsmods of Object.values(matches)) {
      if (!Array.isArray(slsmods)) {
        errors.add('Malformed topfile (state declarations not formed as a list)', loc);
        continue;
      }
      for (const m of slsmods) {
        if (isDict(m)) {
          for (const v of Object.values(m)) {
            if (!v) errors.add(`Improperly formatted top file matcher in saltenv ${saltenv}: ${String(v)} file`, loc);
          }
          if (typeof m.match === 'string' && !(MATCHERS as readonly string[]).includes(m.match)) {
            errors.add(`Unknown matcher '${m.match}' in the top file of saltenv ${saltenv} (known: ${MATCHERS.join(', ')})`, loc);
          }
        } else if (typeof m === 'string') {
          if (!m) errors.add(`Environment ${saltenv} contains an empty sls index`, loc);
        } else {
          errors.add(`Malformed topfile (state declarations not formed as a list)`, loc);
        }
      }
    }
  }
}

function sections(ctop: Dict): [string, Dict][] {
  return Object.entries(ctop).filter(([k, v]) => k !== 'include' && isDict(v)) as [string, Dict][];
}

/** Merge the top files by `top_file_merging_strategy` (unknown → merge, as Salt). */
export function mergeTops(tops: TopFiles, opts: Dict): TopData {
  const strategy = opts.top_file_merging_strategy;
  const top: TopData = {};
  const put = (env: string, tgt: string, v: unknown) => {
    (top[env] ??= {})[tgt] = v;
  };
  if (strategy === 'same') {
    for (const [cenv, ctops] of tops) {
      if (ctops.every((t) => !Object.keys(t.data).length)) {
        const fallback = tops.get(String(opts.default_top ?? 'base')) ?? [];
        for (const t of fallback) {
          const sec = sections(t.data).find(([e]) => e === cenv);
          if (sec) for (const [tgt, v] of Object.entries(sec[1])) put(cenv, tgt, v);
        }
        continue;
      }
      for (const t of ctops) for (const [e, targets] of sections(t.data)) if (e === cenv) for (const [tgt, v] of Object.entries(targets)) put(e, tgt, v);
    }
    return top;
  }
  if (strategy === 'merge_all') {
    for (const ctops of tops.values()) {
      for (const t of ctops) {
        for (const [e, targets] of sections(t.data)) {
          for (const [tgt, v] of Object.entries(targets)) {
            const have = top[e]?.[tgt];
            if (have === undefined) {
              put(e, tgt, v);
              continue;
            }
            const [m1, s1] = readTgt(have);
            const [m2, s2] = readTgt(v);
            const merged: unknown[] = [];
            const mt = m2 ?? m1;
            if (mt !== undefined) merged.push(mt);
            merged.push(...s1);
            for (const x of s2) if (!merged.includes(x)) merged.push(x);
            put(e, tgt, merged);
          }
        }
      }
    }
    return top;
  }
  // merge (default)
  for (const t of tops.get('base') ?? []) for (const [e, targets] of sections(t.data)) for (const [tgt, v] of Object.entries(targets)) put(e, tgt, v);
  for (const [cenv, ctops] of tops) {
    if (cenv === 'base') continue;
    for (const t of ctops) {
      for (const [e, targets] of sections(t.data)) {
        // another env's top file only adds its own section, and only if nothing (base, or an earlier file) did
        if (e !== cenv || e in top) continue;
        for (const [tgt, v] of Object.entries(targets)) put(e, tgt, v);
      }
    }
  }
  return top;
}

function readTgt(v: unknown): [unknown, unknown[]] {
  let match: unknown;
  const states: unknown[] = [];
  if (Array.isArray(v)) {
    for (const item of v) {
      if (isDict(item)) match = item;
      if (typeof item === 'string') states.push(item);
    }
  }
  return [match, states];
}

/** Salt's `top_matches`: {saltenv: [sls …]} for this minion (duplicates kept, as state.show_top shows them). */
export function topMatches(top: TopData, minion: MinionData, opts: Dict, envs: string[], saltenv: string | null): Record<string, string[]> {
  const matches: Record<string, string[]> = {};
  const nodegroups = isDict(opts.nodegroups) ? opts.nodegroups : {};
  for (const [env, body] of Object.entries(top)) {
    if (saltenv && env !== saltenv) continue;
    const filter = (tgt: string, data: unknown): void => {
      const list = typeof data === 'string' ? [data] : Array.isArray(data) ? data : [];
      let matcher = 'compound';
      for (const item of list) if (isDict(item) && typeof item.match === 'string') matcher = item.match;
      if (!matchTarget(tgt, matcher, minion, { nodegroups })) return;
      matches[env] ??= [];
      for (const item of list) {
        if (isDict(item) && isDict(item.subfilter)) {
          for (const [t2, d2] of Object.entries(item.subfilter)) filter(t2, d2);
          continue;
        }
        if (typeof item === 'string') matches[env]!.push(item);
        else if (isDict(item)) {
          const entries = Object.entries(item);
          const [envKey, inc] = entries[entries.length - 1] ?? [];
          if (envKey === undefined || envKey === 'match' || !envs.includes(envKey)) continue;
          (matches[envKey] ??= []).push(String(inc));
        }
      }
    };
    for (const [tgt, data] of Object.entries(body)) filter(tgt, data);
  }
  return matches;
}
