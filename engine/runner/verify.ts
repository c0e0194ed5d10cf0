/**
 * Per-chunk checks done right before a state is called (Salt's verify_data): the state function exists, its
 * required arguments are there, `umask` is valid, no state requires itself, and — when the function declares
 * its keyword arguments — no unknown keyword is passed. Each problem is one message; callers turn them into a
 * failed record (state.sls) or an error list (state.single).
 */
import { pyRepr } from '../output/pyfmt.js';
import type { LowChunk, Registry, StateFunctionDef } from '../types.js';
import { REQUISITE_KEYS, entriesOf, parseEntry } from '../graph/requisites.js';

/** Keys the engine consumes; never passed to a state function unless it names them in `params`. */
export const RUNTIME_KEYS = new Set([
  'state', 'fun', 'name', 'names', 'name_order', 'order', 'check_cmd', 'cmd_opts_exclude', 'failhard', 'onlyif',
  'unless', 'creates', 'retry', 'parallel', 'reload_modules', 'reload_grains', 'reload_pillar', 'runas',
  'runas_password', 'fire_event', 'saltenv', 'umask', 'sfun', 'onfail_stop',
]);

/** The state function for a chunk, or undefined. */
export function stateDef(reg: Registry, low: Pick<LowChunk, 'state' | 'fun'>): StateFunctionDef | undefined {
  const mod = reg.states.get(low.state);
  if (!mod) return undefined;
  if (low.fun === 'mod_watch' && mod.mod_watch && !mod.functions.mod_watch) return { fn: mod.mod_watch, anyKwargs: true };
  return Object.prototype.hasOwnProperty.call(mod.functions, low.fun) ? mod.functions[low.fun] : undefined;
}

/** Is `umask` a valid octal umask ("022", 18, "0o022")? */
export function validUmask(v: unknown): boolean {
  if (typeof v === 'number') return Number.isInteger(v) && /^[0-7]+$/.test(String(v)) && parseInt(String(v), 8) <= 0o777;
  if (typeof v !== 'string') return false;
  const s = v.replace(/^0o/i, '');
  return /^[0-7]{1,4}$/.test(s) && parseInt(s, 8) <= 0o777;
}

const NONE: ReadonlySet<string> = new Set();
const paramSets = new WeakMap<StateFunctionDef, ReadonlySet<string>>();

/** `def.params` as a set, built once per state function. */
function paramSet(def: StateFunctionDef | undefined): ReadonlySet<string> {
  if (!def?.params) return NONE;
  let set = paramSets.get(def);
  if (!set) {
    set = new Set(def.params);
    paramSets.set(def, set);
  }
  return set;
}

/** The arguments a state function receives: the chunk minus engine keys, requisites and `__dunder__` keys. */
export function stateArgs(low: LowChunk, def?: StateFunctionDef): Record<string, unknown> {
  const named = paramSet(def);
  const out: Record<string, unknown> = {};
  for (const k in low) {
    if (k === 'name' || k === 'state' || k === 'fun') continue;
    if (k.startsWith('__')) continue;
    if (REQUISITE_KEYS.has(k) && !named.has(k)) continue;
    if (RUNTIME_KEYS.has(k) && !named.has(k) && !(k === 'sfun' && low.fun === 'mod_watch')) continue;
    out[k] = low[k];
  }
  return out;
}

/** Every problem that keeps the chunk from being called (empty: fine). */
export function verifyLow(low: LowChunk, reg: Registry): string[] {
  const errors: string[] = [];
  const full = `${low.state}.${low.fun}`;
  if ('umask' in low && low.umask !== null && low.umask !== undefined && !validUmask(low.umask)) {
    errors.push(`Invalid umask: ${String(low.umask)}`);
  }
  const def = stateDef(reg, low);
  if (!def) {
    errors.push(`State '${full}' was not found in SLS '${String(low.__sls__ ?? 'None')}'\nReason: '${full}' is not available.`);
    return errors;
  }
  for (const p of def.required ?? []) if (!(p in low)) errors.push(`Missing parameter ${p} for state ${full}`);
  if (def.params && !def.anyKwargs) {
    const known = paramSet(def);
    for (const k of Object.keys(stateArgs(low, def))) {
      if (!known.has(k)) errors.push(`'${k}' is an invalid keyword argument for '${full}'`);
    }
  }
  for (const req of entriesOf(low.require)) {
    const e = parseEntry(req);
    if (e.value === null) continue;
    if (e.value === low.__id__ && (e.key === 'id' || e.key === low.state)) {
      const shown = typeof req === 'string' ? { id: req } : req;
      errors.push(`Recursive require detected in SLS ${String(low.__sls__ ?? 'None')} for require ${pyRepr(shown)} in ID ${low.__id__}`);
    }
  }
  return errors;
}
