/**
 * Holding packages at their version (apt-mark hold, dnf versionlock, zypper addlock), with Salt's per-package
 * return: `{name, changes: {old: 'install', new: 'hold'}, result, comment}`.
 */
import type { Host } from '../../engine/host/types.js';
import { failureText, runCmd, succeeded } from './fact.js';
import type { PkgBackend, PkgChange, PkgDb } from './types.js';

export interface HoldResult {
  name: string;
  changes: PkgChange | Record<string, never>;
  result: boolean | null;
  comment: string;
}

/** What hold (true) or unhold (false) would do to each name, without doing it. */
export function planHold(names: string[], hold: boolean, db: PkgDb): Record<string, HoldResult> {
  const held = new Set(db.held);
  const out: Record<string, HoldResult> = {};
  for (const name of names) {
    if (!(name in db.installed) && !held.has(name)) {
      out[name] = { name, changes: {}, result: false, comment: `Package ${name} does not have a state.` };
    } else if (held.has(name) === hold) {
      const already = hold ? 'already set to be held' : 'already set not to be held';
      out[name] = { name, changes: {}, result: true, comment: `Package ${name} is ${already}.` };
    } else {
      const changes = hold ? { old: 'install', new: 'hold' } : { old: 'hold', new: 'install' };
      out[name] = { name, changes, result: null, comment: `Package ${name} is set ${hold ? '' : 'not '}to be held.` };
    }
  }
  return out;
}

/** Applies a plan from planHold: one command for every name that must change. */
export async function applyHold(
  host: Host,
  be: PkgBackend,
  plan: Record<string, HoldResult>,
  hold: boolean,
  signal?: AbortSignal,
): Promise<Record<string, HoldResult>> {
  const todo = Object.values(plan).filter((r) => r.result === null);
  if (!todo.length) return plan;
  const cmd = hold ? be.hold(todo.map((r) => r.name)) : be.unhold(todo.map((r) => r.name));
  const res = await runCmd(host, cmd, signal);
  const out = { ...plan };
  for (const r of todo) {
    out[r.name] =
      succeeded(cmd, res)
        ? { ...r, result: true, comment: `Package ${r.name} ${hold ? 'is now being held' : 'is no longer being held'}.` }
        : { ...r, changes: {}, result: false, comment: `Unable to ${hold ? 'hold' : 'unhold'} package ${r.name}: ${failureText(res, 2)}` };
  }
  return out;
}

/** The comment for a state that would change held packages without update_holds. */
export function heldComment(names: string[]): string {
  return `The following packages are held and would be changed: ${names.join(', ')}. Set update_holds: True (or hold: False) to change them.`;
}
