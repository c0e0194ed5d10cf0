/**
 * The last state run per (saltenv, SLS list), kept on the controller in `<cachedir>/last-run.json` so that
 * `state.show_graph webapp from_last_run=True` can colour the graph by it.
 *
 * Only a summary is stored — tag → {result, changes: bool, comment's first line} — never the changes
 * themselves; secret pillar values are masked in tags and comments before anything is written. The file is
 * replaced atomically (temp file + rename, mode 0600).
 *
 * ```
 * halite call state.sls webapp          # records the run under ("base", ["webapp"])
 * halite call state.show_graph webapp from_last_run=True
 * ```
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteSync } from '../host/atomic.js';
import { secretPillarValues } from '../pillar/secrets.js';
import { Secrets } from '../secrets.js';
import type { Dict, ExecContext, StateReturn } from '../types.js';

/** A state's outcome as recorded. */
export interface RunSummaryState {
  result: boolean | null;
  changes: boolean;
  comment: string;
}

export interface RunSummary {
  saltenv: string;
  /** SLS names as run (sorted); [] for the highstate. */
  mods: string[];
  fun: string;
  test: boolean;
  /** ISO time the run finished. */
  time: string;
  states: Record<string, RunSummaryState>;
}

interface LastRunFile {
  version: 1;
  runs: Record<string, RunSummary>;
}

/** How many (saltenv, mods) entries the file keeps (the oldest go first). */
const MAX_RUNS = 50;
const MAX_COMMENT = 300;

/** `<cachedir>/last-run.json` (default cachedir /var/cache/halite). */
export function lastRunPath(opts: Dict): string {
  const dir = typeof opts.cachedir === 'string' && opts.cachedir ? opts.cachedir : '/var/cache/halite';
  return join(dir, 'last-run.json');
}

function normMods(mods: readonly string[]): string[] {
  return [...new Set(mods)].sort();
}

/** The file's key for a run: `base` + `webapp,db` (order-insensitive); the highstate has no mods. */
export function runKey(saltenv: string, mods: readonly string[]): string {
  return `${saltenv}\u0000${normMods(mods).join(',')}`;
}

/** Masks secret pillar values (the same rule the minion applies to output). */
export function secretMasker(ctx: Pick<ExecContext, 'pillar' | 'opts'>): (s: string) => string {
  const secrets = new Secrets();
  for (const v of secretPillarValues(ctx.pillar ?? {}, ctx.opts?.secret_pillar_keys)) secrets.add(v);
  return (s) => secrets.mask(s);
}

function firstLine(v: unknown): string {
  const s = typeof v === 'string' ? v : Array.isArray(v) ? v.map(String).join(' ') : v === undefined || v === null ? '' : String(v);
  const line = s.split(/\r?\n/).find((l) => l.trim()) ?? '';
  return line.length > MAX_COMMENT ? `${line.slice(0, MAX_COMMENT)}…` : line;
}

/** A run's return reduced to what the graph needs, masked. */
export function summarize(ret: StateReturn, mask: (s: string) => string): Record<string, RunSummaryState> {
  const out: Record<string, RunSummaryState> = {};
  for (const [tag, rec] of Object.entries(ret)) {
    if (!rec || typeof rec !== 'object') continue;
    const result = rec.result === true || rec.result === false ? rec.result : null;
    const changes = Boolean(rec.changes && typeof rec.changes === 'object' && Object.keys(rec.changes).length);
    out[mask(tag)] = { result, changes, comment: mask(firstLine(rec.comment)) };
  }
  return out;
}

function readFile(path: string): LastRunFile {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<LastRunFile>;
    if (data && data.version === 1 && data.runs && typeof data.runs === 'object') return data as LastRunFile;
  } catch {
    /* absent or unreadable: start afresh */
  }
  return { version: 1, runs: {} };
}

/**
 * Record a finished run. Never throws: a cache that cannot be written must not fail the run (a warning is
 * logged instead).
 */
export function saveLastRun(
  ctx: Pick<ExecContext, 'pillar' | 'opts' | 'log'>,
  run: { saltenv: string; mods: readonly string[]; fun: string; test: boolean },
  ret: StateReturn,
): void {
  const path = lastRunPath(ctx.opts);
  try {
    const file = readFile(path);
    const key = runKey(run.saltenv, run.mods);
    delete file.runs[key]; // re-insert last: insertion order is age order
    file.runs[key] = {
      saltenv: run.saltenv,
      mods: normMods(run.mods),
      fun: run.fun,
      test: run.test,
      time: new Date().toISOString(),
      states: summarize(ret, secretMasker(ctx)),
    };
    const keys = Object.keys(file.runs);
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_RUNS))) delete file.runs[k];
    mkdirSync(join(path, '..'), { recursive: true });
    atomicWriteSync(path, `${JSON.stringify(file, null, 1)}\n`, { mode: 0o600, uid: -1, gid: -1 });
  } catch (e) {
    ctx.log?.warn(`could not record the last run in ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The recorded run for (saltenv, mods), or null. */
export function loadLastRun(opts: Dict, saltenv: string, mods: readonly string[]): RunSummary | null {
  return readFile(lastRunPath(opts)).runs[runKey(saltenv, mods)] ?? null;
}
