/** Reading the package database through a backend, and Salt's change format between two reads. */
import type { Host } from '../../engine/host/types.js';
import { runFact, runFactSync } from './fact.js';
import type { PkgBackend, PkgDb, Plan } from './types.js';

export async function readDb(host: Host, be: PkgBackend, signal?: AbortSignal): Promise<PkgDb> {
  const db = await runFact(host, be.list(), signal);
  if (be.holds) db.held = await runFact(host, be.holds(), signal);
  return db;
}

export function readDbSync(host: Host, be: PkgBackend): PkgDb {
  const db = runFactSync(host, be.list());
  if (be.holds) db.held = runFactSync(host, be.holds());
  return db;
}

/**
 * Salt's compare_dicts: every key whose value differs, as `{old, new}` with '' for absent; keys sorted.
 *
 * @example diffVersions({a: '1.0'}, {a: '1.1', b: '2'}) // {a: {old: '1.0', new: '1.1'}, b: {old: '', new: '2'}}
 */
export function diffVersions(before: Record<string, string>, after: Record<string, string>): Plan {
  const out: Plan = {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const k of keys) {
    const o = before[k] ?? '';
    const n = after[k] ?? '';
    if (o !== n) out[k] = { old: o, new: n };
  }
  return out;
}

/** A plan with keys sorted, so a prediction and an observed diff compare equal. */
export function sortPlan(p: Plan): Plan {
  const out: Plan = {};
  for (const k of Object.keys(p).sort()) out[k] = p[k]!;
  return out;
}
