/**
 * listen / listen_in (§8.5): after every other state (even after failhard stopped the run), each listening
 * chunk whose target changed gets a `mod_watch` call under the ID `listener_<ID>`; a target that names no
 * state gives a `Listen_Error` record. listen never changes the order of the run itself.
 *
 * ```yaml
 * nginx:
 *   service.running:
 *     - listen:
 *       - file: /etc/nginx/nginx.conf     # restarted once, at the end, if the file changed
 * ```
 */
import { entriesOf, parseEntry, REQUISITE_KEYS } from '../graph/requisites.js';
import type { LowChunk, StateRecord } from '../types.js';

type Key = [state: string, id: string, name: string];

export interface ListenPlan {
  watchers: LowChunk[];
  errors: [tag: string, rec: StateRecord][];
}

/** `Listen_Error_|-listen_<target>_|-listen_<module>_|-Listen_Error`. */
export function listenErrorTag(mod: string, target: string): string {
  return `Listen_Error_|-listen_${target}_|-listen_${mod}_|-Listen_Error`;
}

function errorRecord(mod: string, target: string): StateRecord {
  return { comment: `Referenced state ${mod}: ${target} does not exist`, name: `listen_${mod}:${target}`, result: false, changes: {}, __run_num__: -1 };
}

/**
 * The listener chunks to run and the errors to report, given the finished run.
 * `changed(chunk)` says whether that chunk ran and reported changes.
 */
export function planListeners(chunks: readonly LowChunk[], changed: (c: LowChunk) => boolean): ListenPlan {
  const hits = (c: LowChunk, mod: string, target: string): boolean => c.state === mod && (c.__id__ === target || c.name === target);
  const listeners: { key: Key | [string, string, null]; targets: unknown[] }[] = [];
  for (const c of chunks) {
    if (c.listen !== undefined) listeners.push({ key: [c.state, c.__id__, c.name], targets: entriesOf(c.listen) });
    for (const l of entriesOf(c.listen_in)) {
      const e = parseEntry(l);
      if (e.value !== null) listeners.push({ key: [e.key, e.value, null], targets: [{ [c.state]: c.__id__ }] });
    }
  }
  const watchers: LowChunk[] = [];
  const errors = new Map<string, StateRecord>();
  for (const { key, targets } of listeners) {
    for (const raw of targets) {
      let target = raw;
      if (typeof raw === 'string') {
        const found = chunks.filter((c) => c.__id__ === raw || c.name === raw).pop();
        if (!found) continue;
        target = { [found.state]: found.__id__ };
      }
      const e = parseEntry(target);
      if (e.value === null) continue;
      const tmod = e.key;
      const tval = e.value;
      const to = chunks.filter((c) => hits(c, tmod, tval));
      if (!to.length) {
        errors.set(listenErrorTag(tmod, tval), errorRecord(tmod, tval));
        continue;
      }
      if (!to.some(changed)) continue;
      const mine = chunks.filter((c) => hits(c, key[0], key[1]));
      if (!mine.length) {
        errors.set(listenErrorTag(key[0], key[1]), errorRecord(key[0], key[1]));
        continue;
      }
      for (const c of mine) watchers.push(listenerChunk(c));
    }
  }
  return { watchers, errors: [...errors] };
}

/** The mod_watch copy of a listening chunk, requisites removed. */
export function listenerChunk(c: LowChunk): LowChunk {
  const low: LowChunk = { ...c, sfun: c.fun, fun: 'mod_watch', __id__: `listener_${c.__id__}` };
  for (const k of Object.keys(low)) if (REQUISITE_KEYS.has(k)) delete low[k];
  return low;
}
