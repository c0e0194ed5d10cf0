/**
 * One state call (Salt's State.call): verify the chunk, run onlyif/unless/creates, call the state function,
 * check its return, run check_cmd, and apply `retry`. Everything a state function throws becomes a failed
 * record (`An exception occurred in this state: …`); the run goes on.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dict, ExecContext, LowChunk, StateContext, StateRecord, StateResult } from '../types.js';
import { runCheckCmd, runChecks } from './checks.js';
import { durationSince, pyBool, stamp, startTime, unify, type Stamp } from './records.js';
import { stateArgs, stateDef, verifyLow } from './verify.js';

export interface CallOptions {
  test: boolean;
  /** Salt's `__prereq__`: a test-mode run of a prereq target; the result has no run number. */
  prereq?: boolean;
  /** state.sls mock=True: checks run, the state function is not called. */
  mock?: boolean;
}

export interface CallOutcome {
  rec: StateRecord;
  /** Run numbers this call consumed (retry attempts each take one; a prereq test run none). */
  count: number;
}

interface Attempt {
  ret: StateResult;
  start: Stamp;
  duration: number;
  /** verify_data failed: Salt's bare record (no __sls__, __id__, times). */
  invalid?: boolean;
}

/** The context a state function sees: the run's context with this chunk and the effective test flag. */
export function stateContext(ctx: ExecContext, low: LowChunk, test: boolean): StateContext {
  const sub = Object.create(ctx) as StateContext;
  sub.test = test;
  sub.low = low;
  return sub;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

async function attempt(ctx: ExecContext, low: LowChunk, test: boolean, mock = false): Promise<Attempt> {
  const start = stamp();
  const errors = verifyLow(low, ctx.registry);
  if (errors.length) {
    const ret: StateResult = { name: low.name, result: false, changes: {}, comment: errors.map((e) => `${e}\n`).join('') };
    return { ret, start, duration: durationSince(start), invalid: true };
  }
  const sctx = stateContext(ctx, low, test);
  let ret: StateResult;
  try {
    const checks = await runChecks(sctx, low);
    if (checks?.skip) {
      ret = { name: low.name, result: true, changes: {}, comment: checks.comments.join('\n'), skip_watch: true };
    } else if (mock) {
      ret = { name: low.name, comment: 'Not called, mocked', changes: {}, result: true };
    } else {
      const def = stateDef(ctx.registry, low)!;
      ret = unify(await def.fn(sctx, low.name, stateArgs(low, def)), low);
      if ('check_cmd' in low && !test) {
        const cc = await runCheckCmd(sctx, low);
        ret = { ...ret, result: cc.result, comment: cc.comment };
      }
    }
  } catch (e) {
    ctx.log.debug(`state ${low.state}.${low.fun} ${low.name} threw: ${e instanceof Error ? e.stack : String(e)}`);
    ret = { name: low.name, result: false, changes: {}, comment: `An exception occurred in this state: ${errorText(e)}` };
  }
  return { ret, start, duration: durationSince(start) };
}

interface RetryData {
  until: boolean;
  attempts: number;
  interval: number;
  splay: number;
}

/** Salt's verify_retry_data: `True` or a mapping; wrong types fall back to the defaults. */
export function retryData(v: unknown): RetryData {
  const dflt: RetryData = { until: true, attempts: 2, splay: 0, interval: 30 };
  if (v === false) return { ...dflt, attempts: 0 };
  if (!v || typeof v !== 'object' || Array.isArray(v)) return dflt;
  const d = v as Dict;
  const int = (k: keyof RetryData): number => (Number.isInteger(d[k]) ? (d[k] as number) : (dflt[k] as number));
  return {
    until: typeof d.until === 'boolean' ? d.until : dflt.until,
    attempts: int('attempts'),
    interval: int('interval'),
    splay: int('splay'),
  };
}

/**
 * A record from a result: a key-by-key copy, then the runner's keys (a key `ret` already has keeps its place,
 * as in `{...ret, k: v}`; V8 takes a slow path for that spread here, about 10 µs a record).
 */
function copyOf(ret: StateResult): StateRecord {
  const rec: Record<string, unknown> = {};
  for (const k in ret) rec[k] = (ret as unknown as Record<string, unknown>)[k];
  return rec as StateRecord;
}

function record(a: Attempt, low: LowChunk): StateRecord {
  const rec = copyOf(a.ret);
  if (a.invalid) {
    rec.__run_num__ = -1;
    return rec;
  }
  rec.__sls__ = low.__sls__;
  rec.__run_num__ = -1;
  rec.start_time = startTime(a.start);
  rec.duration = a.duration;
  rec.__id__ = low.__id__;
  return rec;
}

function prereqRecord(a: Attempt): StateRecord {
  const rec = copyOf(a.ret);
  rec.__run_num__ = -1;
  rec.start_time = startTime(a.start);
  rec.duration = a.duration;
  return rec;
}

/** Call the chunk's state function once (or as often as `retry` asks). */
export async function callState(ctx: ExecContext, low: LowChunk, o: CallOptions): Promise<CallOutcome> {
  const test = o.test || Boolean(o.prereq);
  let a = await attempt(ctx, low, test, o.mock);
  if (o.prereq) return { rec: prereqRecord(a), count: 0 };
  if (!('retry' in low) || a.invalid || low.retry === undefined || low.retry === null) return { rec: record(a, low), count: 1 };
  const r = retryData(low.retry);
  if (test) {
    const note = `The state would be retried every ${r.interval} seconds (with a splay of up to ${r.splay} seconds) a maximum of ${r.attempts} times or until a result of ${pyBool(r.until)} is returned`;
    const rec = record(a, low);
    rec.comment = [rec.comment ? String(rec.comment) : '', note].join('  ');
    return { rec, count: 1 };
  }
  const first = a;
  const lines: string[] = [];
  let total = 0;
  let n = 1;
  while (r.until !== a.ret.result && r.attempts > n) {
    const interval = r.interval + (r.splay ? Math.floor(Math.random() * (r.splay + 1)) : 0);
    ctx.log.info(`${low.state}.${low.fun} ${low.name}: result ${pyBool(a.ret.result)}, retrying in ${interval}s`);
    if (interval > 0) await sleep(interval * 1000, undefined, { signal: ctx.signal });
    lines.push(`Attempt ${n}: Returned a result of "${pyBool(a.ret.result)}", with the following comment: "${a.ret.comment}"`);
    total += a.duration + interval * 1000;
    a = await attempt(ctx, low, test, o.mock);
    n++;
  }
  const rec = record(a, low);
  if (n > 1) {
    rec.comment = [...lines, a.ret.comment ? a.ret.comment : ''].join('\n');
    rec.duration = Math.round((a.duration + total) * 1000) / 1000;
    rec.start_time = startTime(first.start);
  }
  return { rec, count: n };
}
