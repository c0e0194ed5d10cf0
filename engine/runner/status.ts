/**
 * Requisite status of one chunk (Salt's check_requisite, §8.4): resolve each requisite entry to the chunks it
 * matches, look their results up (`pre` for prereq, the run's results otherwise) and reduce the per-target
 * tokens to one status.
 */
import { REQUISITE_TYPES, entriesOf, findTargets, parseEntry, type ReqEntry } from '../graph/requisites.js';
import type { LowChunk, StateRecord } from '../types.js';

export type Status = 'unmet' | 'fail' | 'pre' | 'met' | 'onfail' | 'onchanges' | 'change';

export interface ResolvedEntry {
  entry: ReqEntry;
  targets: LowChunk[];
}

export interface ResolvedType {
  type: string;
  entries: ResolvedEntry[];
}

export interface ResolveOptions {
  /** Include `prerequired` (Salt's pre=True check; false while the chunk is test-run for a prereq). */
  pre: boolean;
  /** The chunk's module has mod_watch; without it watch behaves as require. */
  hasModWatch: boolean;
  disabled: ReadonlySet<string>;
}

/** A requisite value that is not a string: Salt refuses to locate it. */
export class BadRequisite extends Error {}

const TYPES: readonly string[] = [...REQUISITE_TYPES, 'prerequired'];

/** Does the chunk carry any requisite at all (most chunks do not: no lists to build then)? */
function hasRequisite(low: LowChunk): boolean {
  for (const t of TYPES) {
    const v = low[t];
    if (v !== undefined && v !== null) return true;
  }
  return false;
}

/** The requisites of `low` per type, in Salt's evaluation order, each entry with its matching chunks. */
export function resolve(low: LowChunk, chunks: readonly LowChunk[], o: ResolveOptions): ResolvedType[] {
  if (!hasRequisite(low)) return [];
  const lists = new Map<string, unknown[]>();
  for (const t of [...REQUISITE_TYPES, 'prerequired']) lists.set(t, [...entriesOf(low[t])]);
  if (!o.hasModWatch) {
    lists.get('require')!.push(...lists.get('watch')!.splice(0));
    lists.get('require_any')!.push(...lists.get('watch_any')!.splice(0));
  }
  const types = o.pre ? [...REQUISITE_TYPES, 'prerequired'] : [...REQUISITE_TYPES];
  const out: ResolvedType[] = [];
  for (const type of types) {
    if (o.disabled.has(type)) continue;
    const raw = lists.get(type)!;
    if (!raw.length) continue;
    const entries: ResolvedEntry[] = [];
    for (const r of raw) {
      const entry = parseEntry(r);
      if (entry.bad !== undefined) {
        throw new BadRequisite(`Could not locate requisite of [${entry.key}] present in state with name [${low.name}]`);
      }
      if (entry.value === null) continue;
      entries.push({ entry, targets: findTargets(chunks, entry) });
    }
    out.push({ type, entries });
  }
  return out;
}

/** Entries that match nothing, per type (for "The following requisites were not found"). */
export function lostEntries(res: ResolvedType[]): [string, ReqEntry[]][] {
  const out: [string, ReqEntry[]][] = [];
  for (const t of res) {
    const lost = t.entries.filter((e) => !e.targets.length).map((e) => e.entry);
    if (lost.length) out.push([t.type, lost]);
  }
  return out;
}

/** Looks a target's result up; undefined when it has not run (awaits a target still running). */
export type Lookup = (tag: string, fromPre: boolean) => Promise<StateRecord | undefined>;

/** Reduce the targets' results to Salt's status. */
export async function statusOf(res: ResolvedType[], lookup: Lookup, tagOf: (c: LowChunk) => string): Promise<Status> {
  const fun = new Set<string>();
  for (const t of res) {
    const stats = new Set<string>();
    const base = t.type.replace(/_(any|all)$/, '');
    for (const e of t.entries) {
      if (!e.targets.length) stats.add('unmet');
      for (const c of e.targets) {
        const r = await lookup(tagOf(c), base === 'prereq');
        if (!r) {
          stats.add('unmet');
          continue;
        }
        const changed = r.changes && Object.keys(r.changes).length > 0;
        if (base === 'onfail') {
          if (r.result === true) {
            stats.add('onfail');
            continue;
          }
        } else if (r.result === false) {
          stats.add('fail');
          continue;
        }
        if (base === 'onchanges') {
          stats.add(changed ? 'onchangesmet' : 'onchanges');
          continue;
        }
        if (base === 'watch' && changed) {
          stats.add('change');
          continue;
        }
        if (base === 'prereq') stats.add(r.result === null ? 'premet' : 'pre');
        else if (r.__state_ran__ !== false) stats.add('met');
      }
    }
    if (t.type.endsWith('_any') || t.type === 'onfail') {
      if ((stats.has('met') || stats.has('change')) && stats.has('fail')) stats.delete('fail');
      if (stats.has('onchangesmet')) {
        stats.delete('onchanges');
        stats.delete('fail');
      }
      if (stats.has('onfail') && stats.has('met')) stats.delete('onfail');
    }
    if (t.type.endsWith('_all') && stats.has('onfail')) stats.delete('met');
    for (const s of stats) fun.add(s);
  }
  if (fun.has('unmet')) return 'unmet';
  if (fun.has('fail')) return 'fail';
  if (fun.has('pre')) return fun.has('premet') ? 'met' : 'pre';
  if (fun.has('onfail') && !fun.has('onchangesmet')) return 'onfail';
  if (fun.has('onchanges') && !fun.has('onchangesmet')) return 'onchanges';
  if (fun.has('change')) return 'change';
  if (fun.has('onfail')) return 'onfail';
  return 'met';
}
