/**
 * Return records: Salt's timestamp and duration format, the records the runner synthesises without calling a
 * state (§8.4), and the check every state function's return goes through (Salt's OutputUnifier).
 */
import type { Dict, LowChunk, StateRecord, StateResult } from '../types.js';

/** A moment with microsecond precision: wall clock for `start_time`, monotonic for durations. */
export interface Stamp {
  wall: number; // ms since epoch
  mono: bigint; // process.hrtime.bigint()
}

export function stamp(): Stamp {
  return { wall: Date.now(), mono: process.hrtime.bigint() };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The last second formatted (`HH:MM:SS.`): every state of a run starts within a few seconds. */
let lastSecond = { sec: NaN, text: '' };

/** Local wall-clock time as Salt prints it: `HH:MM:SS.ffffff`. */
export function startTime(s: Stamp): string {
  const sec = Math.floor(s.wall / 1000);
  if (sec !== lastSecond.sec) {
    const d = new Date(s.wall);
    lastSecond = { sec, text: `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.` };
  }
  const ms = s.wall - sec * 1000;
  const micro = (ms * 1000 + Number(s.mono % 1000n)) % 1_000_000;
  return lastSecond.text + pad(micro, 6);
}

/** Milliseconds since `s`, rounded to microseconds (Salt's float). */
export function durationSince(s: Stamp): number {
  return Math.round(Number(process.hrtime.bigint() - s.mono) / 1000) / 1000;
}

/** The record of a state that was not called (requisite failed, onchanges/onfail skip, not found …). */
export function synthetic(low: LowChunk, result: boolean, comment: string, extra: Dict = {}): StateRecord {
  const s = stamp();
  return {
    changes: {},
    result,
    duration: durationSince(s),
    start_time: startTime(s),
    comment,
    __run_num__: -1,
    __sls__: low.__sls__,
    __id__: low.__id__,
    name: low.name,
    ...extra,
  };
}

/** Salt's cycle record: no start_time, no duration. */
export function recursiveRecord(low: LowChunk): StateRecord {
  return { changes: {}, result: false, comment: 'Recursive requisite found', __run_num__: -1, __sls__: low.__sls__, __id__: low.__id__, name: low.name };
}

/** The comment of a requisite whose target matches nothing (§8.4, exact spacing). */
export function notFoundComment(lost: [string, { key: string; value: unknown }[]][]): string {
  let c = 'The following requisites were not found:\n';
  for (const [type, entries] of lost) {
    if (!entries.length) continue;
    c += `${' '.repeat(19)}${type}:\n`;
    for (const e of entries) c += `${' '.repeat(23)}${e.key}: ${String(e.value)}\n`;
  }
  return c;
}

/**
 * Check and normalise what a state function returned. A malformed return becomes result False with a comment
 * saying what is wrong (never a crash); a list comment is joined with newlines; a non-null result is coerced
 * to a boolean.
 */
export function unify(raw: unknown, low: LowChunk): StateResult {
  const bad = (why: string): StateResult => ({
    name: low.name,
    result: false,
    changes: {},
    comment: `An exception occurred in this state: Malformed state return from ${low.state}.${low.fun}: ${why}`,
  });
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return bad('the return must be an object');
  const r = raw as Dict;
  const missing = ['name', 'result', 'changes', 'comment'].filter((k) => !(k in r));
  if (missing.length) return bad(`the following keys are missing: ${missing.join(', ')}`);
  if (!r.changes || typeof r.changes !== 'object' || Array.isArray(r.changes)) return bad("'changes' must be an object");
  const out: StateResult = { ...(r as unknown as StateResult) };
  if (Array.isArray(r.comment)) out.comment = r.comment.map(String).join('\n');
  else if (typeof r.comment !== 'string') out.comment = r.comment === null || r.comment === undefined ? '' : String(r.comment);
  if (r.result !== null && r.result !== undefined) out.result = Boolean(r.result);
  else out.result = null;
  return out;
}

/** Python's str() of a state result, for retry comments. */
export function pyBool(v: unknown): string {
  return v === true ? 'True' : v === false ? 'False' : v === null || v === undefined ? 'None' : String(v);
}
