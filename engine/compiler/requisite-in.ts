/**
 * The `*_in` / `use` / `prereq` rewrite (Salt's `requisite_in`): each `X_in: [{mod: T}]` on state S becomes an
 * extension of T adding `X: [{S's module: S}]`; `prereq` and `prereq_in` add `prerequired` on the other side;
 * `use`/`use_in` copy plain arguments. The extensions are then applied strictly (module must match), so an
 * unresolvable target is Salt's "Cannot extend ID …" compile error.
 *
 * @example
 * nginx:
 *   pkg.installed:
 *     - require_in:
 *       - service: nginx      # → service nginx gets `require: [{pkg: nginx}]`
 */
import type { ErrorLocation } from '../errors.js';
import type { Dict } from '../types.js';
import { findName, reconcileExtend } from './extend.js';
import type { ErrorList } from './sources.js';
import { firstKey, isDict } from './util.js';

const REQ_IN = new Set(['require_in', 'watch_in', 'onfail_in', 'onchanges_in', 'use', 'use_in', 'prereq', 'prereq_in']);
const REQ_IN_ALL = new Set([...REQ_IN, 'require', 'watch', 'onfail', 'onfail_stop', 'onchanges']);

/** A requisite_in item that resolved to nothing (Salt drops it silently; strict halite reports it). */
export interface DroppedRequisite {
  id: string;
  state: string;
  key: string;
  item: unknown;
}

export interface RequisiteInOptions {
  errors: ErrorList;
  /** `disabled_requisites` opt. */
  disabled: Set<string>;
  /** Location of a declaration (ID, module). */
  locOf(id: string, mod?: string): ErrorLocation;
  warn?(msg: string): void;
  /** Copy-on-write set shared with reconcileExtend (see ExtendOptions.owned). */
  owned?: Set<string>;
}

type Ext = Map<string, Dict>;

function extFor(extend: Ext, name: string): Dict {
  let e = extend.get(name);
  if (!e) {
    e = {};
    extend.set(name, e);
  }
  return e;
}

function listFor(e: Dict, state: string): unknown[] {
  if (!Array.isArray(e[state])) e[state] = [];
  return e[state] as unknown[];
}

/** Single-key argument names of `high[id][state]` (Salt's `state_args`). */
function stateArgs(id: string, state: string, high: Dict): Set<string> {
  const out = new Set<string>();
  const body = high[id];
  if (!isDict(body) || !Array.isArray(body[state])) return out;
  for (const a of body[state] as unknown[]) if (isDict(a) && Object.keys(a).length === 1) out.add(firstKey(a)!);
  return out;
}

/**
 * Salt's `find_sls_ids`: every (ID, module) declared by SLS `sls`. `bySls` (built on first use from `high`,
 * which must not change meanwhile) saves a scan of every ID per `sls:` item.
 */
function findSlsIds(sls: unknown, high: Dict, bySls: { map?: Map<unknown, [string, string][]> }): [string, string][] {
  if (!bySls.map) {
    bySls.map = new Map();
    for (const nid of Object.keys(high)) {
      const item = high[nid];
      if (!isDict(item)) continue;
      let list = bySls.map.get(item.__sls__);
      if (!list) bySls.map.set(item.__sls__, (list = []));
      for (const st of Object.keys(item)) if (!st.startsWith('__')) list.push([nid, st]);
    }
  }
  if (typeof sls === 'number' && Number.isNaN(sls)) return []; // `!==` never matches NaN; a Map key would
  return [...(bySls.map.get(sls) ?? [])];
}

/** Copy the plain single-key args of `from` onto `into`'s extension, skipping requisites, name(s) and `skip`. */
function copyArgs(fromArgs: unknown, into: unknown[], skip: Set<string>): void {
  if (!Array.isArray(fromArgs)) return;
  for (const a of fromArgs) {
    if (!isDict(a) || Object.keys(a).length !== 1) continue;
    const k = firstKey(a)!;
    if (REQ_IN_ALL.has(k) || skip.has(k) || k === 'name' || k === 'names') continue;
    into.push(a);
  }
}

function addReq(extend: Ext, origin: Map<string, [string, string]>, name: string, tstate: string, rkey: string, body: Dict, state: string, id: string): void {
  const e = extFor(extend, name);
  if (!origin.has(name)) origin.set(name, [id, state]);
  const list = listFor(e, tstate);
  e.__env__ = body.__env__;
  e.__sls__ = body.__sls__;
  let found = false;
  for (const entry of list) {
    if (isDict(entry) && firstKey(entry) === rkey && Array.isArray(entry[rkey])) {
      (entry[rkey] as unknown[]).push({ [state]: id });
      found = true;
    }
  }
  if (!found) list.push({ [rkey]: [{ [state]: id }] });
}

/** Apply the requisite_in rewrite to `high` in place. Returns the items that matched nothing. */
export function requisiteIn(high: Dict, o: RequisiteInOptions): DroppedRequisite[] {
  const extend: Ext = new Map();
  const origin = new Map<string, [string, string]>();
  const dropped: DroppedRequisite[] = [];
  const bySls: { map?: Map<unknown, [string, string][]> } = {};
  for (const [id, body] of Object.entries(high)) {
    if (id.startsWith('__') || !isDict(body)) continue;
    for (const [state, run] of Object.entries(body)) {
      if (state.startsWith('__') || !Array.isArray(run)) continue;
      for (const arg of run) {
        if (!isDict(arg)) continue;
        const key = firstKey(arg);
        if (key === undefined || !REQ_IN.has(key)) continue;
        if (o.disabled.has(key)) {
          o.warn?.(`The ${key} requisite has been disabled, Ignoring.`);
          continue;
        }
        const rkey = key.split('_')[0]!;
        const items = arg[key];
        if (isDict(items)) {
          for (const [rawState, name] of Object.entries(items)) {
            let tstate = rawState;
            if (tstate.includes('.')) {
              o.errors.add(
                `Invalid requisite in ${rkey}: ${tstate} for ${String(name)} in SLS '${String(body.__sls__)}'. Requisites must not contain dots, did you mean '${tstate.slice(0, tstate.indexOf('.'))}'?`,
                o.locOf(id, state),
              );
              tstate = tstate.split('.')[0]!;
            }
            addReq(extend, origin, String(name), tstate, rkey, body, state, id);
          }
        }
        if (!Array.isArray(items)) continue;
        let hinges: [string, string][] = [];
        for (const raw of items) {
          let ind: unknown = raw;
          if (!isDict(ind)) {
            const resolved = resolveBare(ind, high);
            if (!resolved) {
              dropped.push({ id, state, key, item: raw });
              continue;
            }
            ind = resolved;
          }
          const item = ind as Dict;
          const pstate = firstKey(item);
          if (pstate === undefined) continue;
          const pname = item[pstate];
          if (pstate === 'sls') hinges = findSlsIds(pname, high, bySls);
          else hinges.push([String(pname), pstate]);
          if (pstate.includes('.')) {
            o.errors.add(
              `Invalid requisite in ${rkey}: ${pstate} for ${String(pname)}, in SLS '${String(body.__sls__)}'. Requisites must not contain dots, did you mean '${pstate.slice(0, pstate.indexOf('.'))}'?`,
              o.locOf(id, state),
            );
          }
          for (const [name, tstate] of hinges) {
            if (key === 'prereq_in') {
              listFor(extFor(extend, id), state).push({ prerequired: [{ [tstate]: name }] });
            }
            if (key === 'prereq') {
              for (const [extId, reqState] of findName(name, tstate, high, true)) {
                listFor(extFor(extend, extId), reqState).push({ prerequired: [{ [state]: id }] });
              }
              continue;
            }
            if (key === 'use_in' || key === 'use') {
              const ids = findName(name, tstate, high, true);
              if (!ids.length) dropped.push({ id, state, key, item: raw });
              for (const [extId, reqState] of ids) {
                if (key === 'use_in') {
                  const into = listFor(extFor(extend, extId), reqState);
                  copyArgs((high[id] as Dict)[state], into, stateArgs(extId, tstate, high));
                } else {
                  const into = listFor(extFor(extend, id), state);
                  copyArgs((high[extId] as Dict)[reqState], into, stateArgs(id, state, high));
                }
              }
              continue;
            }
            addReq(extend, origin, name, tstate, rkey, body, state, id);
          }
        }
      }
    }
  }
  high.__extend__ = [...extend].map(([k, v]) => ({ [k]: v }));
  reconcileExtend(high, {
    strict: true,
    errors: o.errors,
    ...(o.owned ? { owned: o.owned } : {}),
    locate: (_env, _sls, given) => {
      const from = origin.get(given);
      return from ? o.locOf(from[0], from[1]) : { id: given };
    },
  });
  return dropped;
}

/** A bare-string requisite_in item: an ID (→ its first module) or, failing that, a `name:` of some state. */
function resolveBare(ind: unknown, high: Dict): Dict | null {
  if (typeof ind === 'string' && !ind.startsWith('__') && isDict(high[ind])) {
    const first = Object.keys(high[ind] as Dict).find((k) => !k.startsWith('__'));
    return first === undefined ? null : { [first]: ind };
  }
  let found: Dict | null = null;
  for (const [nid, body] of Object.entries(high)) {
    if (nid.startsWith('__') || !isDict(body)) continue;
    for (const st of Object.keys(body)) {
      if (st.startsWith('__') || !Array.isArray(body[st])) continue;
      for (const j of body[st] as unknown[]) {
        if (isDict(j) && 'name' in j && j.name === ind) found = { [st]: nid };
      }
    }
  }
  return found;
}
