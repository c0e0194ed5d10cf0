/**
 * `extend:` (Salt's `reconcile_extend`): merge extension bodies into the states they name. Requisite arguments
 * are appended, other arguments and the function replaced, new modules added to the ID. The target is the ID with
 * that module, else the single state whose declaration of that module has an argument equal to the given name.
 *
 * @example
 * extend:
 *   nginx:
 *     service:
 *       - watch:
 *         - file: /etc/nginx/nginx.conf
 */
import type { ErrorLocation } from '../errors.js';
import type { Dict } from '../types.js';
import { STATE_REQUISITE_KEYWORDS } from './requisites.js';
import type { ErrorList } from './sources.js';
import { clone, firstKey, isDict } from './util.js';

/** Salt's `find_name`: IDs (with module) that `name` designates for module `state`. */
export function findName(name: string, state: string, high: Dict, strict = false): [string, string][] {
  const out: [string, string][] = [];
  const body = high[name];
  const direct = !strict || (isDict(body) && state in body);
  if (name in high && direct) {
    out.push([name, state]);
  } else if (state === 'sls') {
    for (const [nid, item] of Object.entries(high)) {
      if (nid.startsWith('__') || !isDict(item)) continue;
      if (item.__sls__ === name) {
        const k = firstKey(item);
        if (k !== undefined) out.push([nid, k]);
      }
    }
  } else {
    for (const [nid, item] of Object.entries(high)) {
      if (nid.startsWith('__') || !isDict(item)) continue;
      const run = item[state];
      if (!Array.isArray(run)) continue;
      for (const arg of run) {
        if (!isDict(arg)) continue;
        const k = firstKey(arg);
        if (k === undefined || Object.keys(arg).length !== 1) continue;
        if (arg[k] === name) out.push([nid, state]);
      }
    }
  }
  return out;
}

export interface ExtendOptions {
  strict: boolean;
  errors: ErrorList;
  /** Location of an extension (`env`, `sls` of the extending file; ID as written). */
  locate(env: string, sls: string, id: string): ErrorLocation;
  /** Copy-on-write: IDs whose body is already private to `high`; others are cloned before being changed. */
  owned?: Set<string>;
}

/** Salt's "Cannot extend ID …" text. */
export function cannotExtend(id: string, env: string, sls: string): string {
  return (
    `Cannot extend ID '${id}' in '${env}:${sls}'. It is not part of the high state.\n` +
    `This is likely due to a missing include statement or an incorrectly typed ID.\n` +
    `Ensure that a state with an ID of '${id}' is available\nin environment '${env}' and to SLS '${sls}'`
  );
}

/** SLS names excluded by `__exclude__` (plain strings and `{sls: …}` items). */
function excludedSls(high: Dict): string[] {
  const out: string[] = [];
  const exc = high.__exclude__;
  if (!Array.isArray(exc)) return out;
  for (const e of exc) {
    if (typeof e === 'string') out.push(e);
    else if (isDict(e) && typeof e.sls === 'string' && e.sls) out.push(e.sls);
  }
  return out;
}

/** Apply `high.__extend__` to `high` in place (and remove it). */
export function reconcileExtend(high: Dict, o: ExtendOptions): Dict {
  const ext = high.__extend__;
  if (!Array.isArray(ext)) return high;
  delete high.__extend__;
  const excluded = excludedSls(high);
  for (const chunk of ext) {
    if (!isDict(chunk)) continue;
    for (const [given, body] of Object.entries(chunk)) {
      if (!isDict(body)) continue;
      const env = typeof body.__env__ === 'string' ? body.__env__ : 'base';
      const sls = typeof body.__sls__ === 'string' ? body.__sls__ : 'base';
      const stateType = Object.keys(body).find((k) => !k.startsWith('__'));
      if (stateType === undefined) continue;
      let name = given;
      const target = high[name];
      if (!(name in high) || !isDict(target) || !(stateType in target)) {
        const ids = findName(name, stateType, high, o.strict);
        if (ids.length !== 1) {
          o.errors.add(cannotExtend(given, env, sls), o.locate(env, sls, given));
          continue;
        }
        name = ids[0]![0];
      }
      if (typeof body.__sls__ === 'string' && excluded.includes(body.__sls__)) continue;
      if (o.owned && !o.owned.has(name)) {
        high[name] = clone(high[name]);
        o.owned.add(name);
      }
      mergeInto(high[name] as Dict, body);
    }
  }
  return high;
}

function mergeInto(target: Dict, body: Dict): void {
  for (const [state, run] of Object.entries(body)) {
    if (state.startsWith('__')) continue;
    if (!(state in target)) {
      target[state] = clone(run);
      continue;
    }
    const have = target[state];
    if (!Array.isArray(have) || !Array.isArray(run)) continue; // verify_high reports the malformed one
    for (const arg of run) {
      let update = false;
      for (let i = 0; i < have.length; i++) {
        const val = have[i];
        if (typeof arg === 'string' && typeof val === 'string') {
          have[i] = arg;
          update = true;
          continue;
        }
        if (isDict(arg) && isDict(val)) {
          const argFirst = firstKey(arg);
          const valFirst = firstKey(val);
          if (argFirst !== undefined && argFirst === valFirst) {
            if (STATE_REQUISITE_KEYWORDS.has(argFirst) && Array.isArray(val[argFirst]) && Array.isArray(arg[argFirst])) {
              (val[argFirst] as unknown[]).push(...clone(arg[argFirst] as unknown[]));
            } else {
              have[i] = clone(arg);
            }
            update = true;
          }
          if (argFirst === 'name' && valFirst === 'names') have[i] = clone(arg);
        }
      }
      if (!update) have.push(clone(arg));
    }
  }
}
