/**
 * High data validation (Salt's `verify_high`): every structural mistake is collected, with Salt's exact text, plus
 * the mistakes Salt lets through silently (halite refuses them: a non-string `name`, a bad `order`, malformed
 * `names` entries, stray arguments, malformed requisites of every kind).
 */
import type { Dict } from '../types.js';
import { pyRepr, pyStr } from './pyrepr.js';
import type { ErrorList, SourceMap } from './sources.js';
import { firstKey, hasOneKey, isDict, isHashable } from './util.js';

/** The four requisites Salt itself list-checks (and uses for its direct 2-cycle check). */
const SALT_CHECKED = new Set(['require', 'watch', 'prereq', 'onchanges']);
/** Other direct requisites halite checks the same way. */
const HALITE_CHECKED = new Set(['require_any', 'watch_any', 'onchanges_any', 'onfail', 'onfail_any', 'onfail_all', 'listen', 'use', 'use_in']);
/** `*_in` forms that may also be a single mapping (`require_in: {cmd: A}`). */
const IN_FORMS = new Set(['require_in', 'watch_in', 'onfail_in', 'onchanges_in', 'prereq_in', 'listen_in']);

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'empty (null)';
  if (Array.isArray(v)) return 'a list';
  if (isDict(v)) return 'a mapping';
  if (typeof v === 'number') return `a number (${v})`;
  if (typeof v === 'boolean') return `a boolean (${v ? 'True' : 'False'})`;
  return typeof v;
}

export interface VerifyOptions {
  errors: ErrorList;
  src: SourceMap;
  /** Also report the mistakes Salt accepts silently (default true). */
  strict?: boolean;
}

/** Validate `high` (IDs starting `__` are skipped); appends to `o.errors`. */
export function verifyHigh(high: Dict, o: VerifyOptions): void {
  const strict = o.strict !== false;
  // Salt's direct 2-cycle detector: ID → {state, reqVal → reqKey}
  const reqs = new Map<string, { state: string; targets: Map<string, string> }>();
  for (const id of Object.keys(high)) {
    if (id.startsWith('__')) continue;
    const body = high[id];
    if (!isDict(body)) {
      o.errors.add(`The type ${id} in ${pyStr(body)} is not formatted as a dictionary`, o.src.locOf(id));
      continue;
    }
    const sls = String(body.__sls__);
    const ktype = o.src.idTypes.get(id);
    if (ktype) {
      o.errors.add(`ID '${id}' in SLS '${sls}' is not formed as a string, but is a ${ktype}. It may need to be quoted.`, o.src.locOf(id));
    }
    for (const state of Object.keys(body)) {
      if (state.startsWith('__')) continue;
      const run = body[state];
      const err = (m: string) => o.errors.add(m, o.src.locOf(id, state));
      if (run === null || run === undefined) {
        err(
          `ID '${id}' in SLS '${sls}' contains a short declaration (${state}) with a trailing colon. When not passing any arguments to a state, the colon must be omitted.`,
        );
        continue;
      }
      if (!Array.isArray(run)) {
        err(`State '${id}' in SLS '${sls}' is not formed as a list`);
        continue;
      }
      let fun = state.includes('.') ? 1 : 0;
      for (const arg of run) {
        if (typeof arg === 'string') {
          fun++;
          if (arg.trim().includes(' ')) {
            err(
              `The function "${arg}" in state "${id}" in SLS "${sls}" has whitespace, a function with whitespace is not supported, perhaps this is an argument that is missing a ":"`,
            );
          }
          continue;
        }
        if (!isDict(arg)) {
          if (strict) err(`Argument ${pyRepr(arg)} of state '${id}' in SLS '${sls}' is neither a function name nor a single-key mapping`);
          continue;
        }
        const argFirst = firstKey(arg);
        if (argFirst === undefined) {
          if (strict) err(`State '${id}' in SLS '${sls}' has an empty argument ({})`);
          continue;
        }
        const val = arg[argFirst];
        if (argFirst === 'names' && !Array.isArray(val)) {
          err(`The 'names' argument in state '${id}' in SLS '${sls}' needs to be formed as a list`);
        }
        if (SALT_CHECKED.has(argFirst)) {
          if (!Array.isArray(val)) {
            err(`The ${argFirst} statement in state '${id}' in SLS '${sls}' needs to be formed as a list`);
          } else {
            const mine = { state, targets: new Map<string, string>() };
            reqs.set(id, mine);
            for (const raw of val) {
              const req = typeof raw === 'string' ? { id: raw } : raw;
              if (!isDict(req)) {
                err(`Requisite declaration ${pyStr(req)} in SLS ${sls} is not formed as a single key dictionary`);
                continue;
              }
              const reqKey = firstKey(req);
              if (reqKey === undefined) {
                err(`Requisite declaration ${pyStr(req)} in SLS ${sls} is not formed as a single key dictionary`);
                continue;
              }
              const reqVal = req[reqKey];
              if (reqKey.includes('.')) {
                err(
                  `Invalid requisite type '${reqKey}' in state '${id}', in SLS '${sls}'. Requisite types must not contain dots, did you mean '${reqKey.slice(0, reqKey.indexOf('.'))}'?`,
                );
              }
              if (!isHashable(reqVal)) {
                err(`Illegal requisite "${pyStr(reqVal)}", please check your syntax.\n`);
                continue;
              }
              if (strict) checkReqShape(req, argFirst, id, sls, err);
              if (typeof reqVal !== 'string') continue;
              mine.targets.set(reqVal, reqKey);
              const other = reqs.get(reqVal);
              if (other && other.targets.get(id) === state && other.state === reqKey) {
                err(`A recursive requisite was found, SLS "${sls}" ID "${id}" ID "${reqVal}"`);
              }
            }
          }
        } else if (strict && HALITE_CHECKED.has(argFirst)) {
          if (!Array.isArray(val)) err(`The ${argFirst} statement in state '${id}' in SLS '${sls}' needs to be formed as a list`);
          else checkReqList(val, argFirst, id, sls, err, argFirst !== 'use' && argFirst !== 'use_in');
        } else if (strict && IN_FORMS.has(argFirst)) {
          if (isDict(val)) checkReqList(Object.entries(val).map(([k, v]) => ({ [k]: v })), argFirst, id, sls, err, false);
          else if (Array.isArray(val)) checkReqList(val, argFirst, id, sls, err, false);
          else err(`The ${argFirst} statement in state '${id}' in SLS '${sls}' needs to be formed as a list`);
        }
        if (!hasOneKey(arg)) {
          err(`Multiple dictionaries defined in argument of state '${id}' in SLS '${sls}'`);
        }
        if (strict) checkArg(argFirst, val, id, sls, err);
      }
      if (!fun) {
        if (state === 'require' || state === 'watch') continue;
        err(`No function declared in state '${id}' in SLS '${sls}'`);
      } else if (fun > 1) {
        const funs = state.includes('.') ? [state.slice(state.indexOf('.') + 1)] : [];
        for (const a of run) if (typeof a === 'string') funs.push(a);
        err(`Too many functions declared in state '${id}' in SLS '${sls}'. Please choose one of the following: ${funs.join(', ')}`);
      }
    }
  }
}

/** halite-only: a requisite value must name something (a string, or a number used as an ID). */
function checkReqShape(req: Dict, type: string, id: string, sls: string, err: (m: string) => void): void {
  if (!hasOneKey(req)) {
    err(`Requisite declaration ${pyStr(req)} in SLS ${sls} is not formed as a single key dictionary`);
    return;
  }
  const v = req[firstKey(req)!];
  if (typeof v !== 'string' && typeof v !== 'number') {
    err(`The ${type} requisite ${pyRepr(req)} of state '${id}' in SLS '${sls}' names no target: the value must be an ID, a name or an SLS`);
  }
}

function checkReqList(val: unknown[], type: string, id: string, sls: string, err: (m: string) => void, dotted: boolean): void {
  for (const raw of val) {
    const req = typeof raw === 'string' ? { id: raw } : raw;
    if (!isDict(req) || !hasOneKey(req)) {
      err(`Requisite declaration ${pyStr(req)} in SLS ${sls} is not formed as a single key dictionary`);
      continue;
    }
    const key = firstKey(req)!;
    const v = req[key];
    if (dotted && key.includes('.')) {
      err(
        `Invalid requisite type '${key}' in state '${id}', in SLS '${sls}'. Requisite types must not contain dots, did you mean '${key.slice(0, key.indexOf('.'))}'?`,
      );
    }
    if (!isHashable(v)) {
      err(`Illegal requisite "${pyStr(v)}", please check your syntax.\n`);
      continue;
    }
    checkReqShape(req, type, id, sls, err);
  }
}

/** halite-only checks of ordinary arguments Salt would silently misuse. */
function checkArg(key: string, val: unknown, id: string, sls: string, err: (m: string) => void): void {
  if (key === 'name' && typeof val !== 'string') {
    const hint = Array.isArray(val) ? "; use 'names' to declare several states" : typeof val === 'number' ? '; quote it' : '';
    err(`The 'name' argument in state '${id}' in SLS '${sls}' is ${typeName(val)}, not a string (Salt would silently use the ID '${id}' instead)${hint}`);
  } else if (key === 'order') {
    const ok = (typeof val === 'number' && Number.isFinite(val)) || val === 'first' || val === 'last';
    if (!ok) err(`The order of state '${id}' in SLS '${sls}' must be a number, 'first' or 'last', not ${pyRepr(val)}`);
  } else if (key === 'names' && Array.isArray(val)) {
    for (const entry of val) {
      if (typeof entry === 'string' || typeof entry === 'number') continue;
      if (isDict(entry) && Object.keys(entry).length === 1) {
        const args = Object.values(entry)[0];
        if (Array.isArray(args) && args.every((a) => isDict(a) && Object.keys(a).length === 1)) continue;
      }
      err(
        `Entry ${pyRepr(entry)} of 'names' in state '${id}' in SLS '${sls}' must be a name or a single-key mapping of a name to a list of single-key arguments`,
      );
    }
  }
}
