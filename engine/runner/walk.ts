/**
 * The requisite walk (Salt 3007's call_chunks/call_chunk, §8.2): chunks in their compiled order; a chunk whose
 * requisite targets have not run pulls them forward, depth first, then is looked at again. Statuses, synthetic
 * records, prereq test runs, watch → mod_watch, failhard and cycle detection follow Salt; see index.ts for how
 * calls may overlap while run numbers stay Salt's.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { entriesOf, parseEntry } from '../graph/requisites.js';
import { chunkTag, type ExecContext, type LowChunk, type StateRecord } from '../types.js';
import { callState, type CallOutcome } from './call.js';
import { notFoundComment, recursiveRecord, synthetic } from './records.js';
import { BadRequisite, lostEntries, resolve, statusOf, type ResolvedType, type Status } from './status.js';

export interface WalkOptions {
  test: boolean;
  /** state.sls mock=True: no state function is called ("Not called, mocked"). */
  mock?: boolean;
  /** The minion's `failhard` (a state's own `failhard` wins). */
  failhard: boolean;
  /** Non-parallel calls that may run at once; 1 = Salt's strictly sequential walk. */
  concurrency: number;
  /** `parallel: True` calls that may run at once. */
  maxParallel: number;
  disabled: ReadonlySet<string>;
  /** Chunks expected in the run (progress); listeners add theirs when planned. */
  total: number;
  onEvent?: (e: { type: 'start' | 'finish'; tag: string; done: number; total: number }) => void;
}

/** A result in the run: final (`rec`) or still being computed (`done`). */
interface Slot {
  tag: string;
  rec?: StateRecord;
  /** Run numbers it consumes (known once done). */
  count: number;
  done: Promise<void>;
}

const MAX_DEPTH = 20;

export function truthyFlag(v: unknown): boolean {
  if (typeof v === 'string') return ['true', 'yes', 'on', '1'].includes(v.trim().toLowerCase());
  return Boolean(v);
}

/** Does the chunk list itself under `require` (Salt reports that from verify_data, not as a cycle)? */
function requiresItself(low: LowChunk): boolean {
  return entriesOf(low.require).some((r) => {
    const e = parseEntry(r);
    return e.value === low.__id__ && (e.key === 'id' || e.key === low.state);
  });
}

export class Walk {
  readonly running = new Map<string, Slot>();
  readonly pre = new Map<string, StateRecord>();
  /** Run-number order: slots, and numbers consumed by records that never reach the output. */
  readonly schedule: (Slot | { count: number })[] = [];
  stopped = false;
  private readonly prereqFlag = new Set<string>();
  private readonly prerequiredFlag = new Set<string>();
  private readonly stack = new Map<string, number>();
  private readonly limit: LimitFunction;
  private readonly parallelLimit: LimitFunction;
  private finished = 0;

  /** More chunks are coming (listeners): grow the progress total. */
  expect(n: number): void {
    this.o.total += n;
  }

  constructor(private readonly ctx: ExecContext, private readonly o: WalkOptions) {
    this.limit = pLimit(Math.max(1, o.concurrency));
    this.parallelLimit = pLimit(Number.isFinite(o.maxParallel) && o.maxParallel > 0 ? o.maxParallel : Number.POSITIVE_INFINITY);
  }

  /** Salt's call_chunks over `chunks` (matching requisites against `chunks`). */
  async runAll(chunks: readonly LowChunk[]): Promise<void> {
    for (const low of chunks) {
      if (this.stopped || this.ctx.signal?.aborted) return;
      if (this.running.has(chunkTag(low))) continue;
      await this.visit(low, chunks, 0);
      if (this.stopped) return;
      if (await this.failhardHit(low)) this.stopped = true;
    }
  }

  /** Wait for every call still running. */
  async settle(): Promise<void> {
    await Promise.all([...this.running.values()].map((s) => s.done));
  }

  /** Add a record that needs no call. */
  place(tag: string, rec: StateRecord, count = 1): void {
    const slot: Slot = { tag, rec, count, done: Promise.resolve() };
    this.running.set(tag, slot);
    this.schedule.push(slot);
    this.event('finish', tag, true);
  }

  private event(type: 'start' | 'finish', tag: string, count: boolean): void {
    if (type === 'finish' && count) this.finished++;
    this.o.onEvent?.({ type, tag, done: this.finished, total: this.o.total });
  }

  private async visit(low: LowChunk, chunks: readonly LowChunk[], depth: number): Promise<void> {
    const tag = chunkTag(low);
    const prereqMode = this.prereqFlag.has(tag);
    const tracked = !low.prerequired;
    if (tracked) this.stack.set(tag, (this.stack.get(tag) ?? 0) + 1);
    try {
      await this.visitInner(low, tag, chunks, depth, prereqMode);
    } finally {
      if (tracked) {
        const n = (this.stack.get(tag) ?? 1) - 1;
        if (n) this.stack.set(tag, n);
        else this.stack.delete(tag);
      }
      if (prereqMode) this.prereqFlag.delete(tag);
    }
  }

  private resolveFor(low: LowChunk, chunks: readonly LowChunk[], pre: boolean): ResolvedType[] {
    const hasModWatch = Boolean(this.ctx.registry.states.get(low.state)?.mod_watch);
    return resolve(low, chunks, { pre, hasModWatch, disabled: this.o.disabled });
  }

  private lookup = async (tag: string, fromPre: boolean): Promise<StateRecord | undefined> => {
    if (fromPre) return this.pre.get(tag);
    const slot = this.running.get(tag);
    if (!slot) return undefined;
    await slot.done;
    return slot.rec;
  };

  private async visitInner(low: LowChunk, tag: string, chunks: readonly LowChunk[], depth: number, prereqMode: boolean): Promise<void> {
    if (!prereqMode && requiresItself(low)) return this.call(low, tag, null); // verify_data reports it
    let res: ResolvedType[];
    try {
      res = this.resolveFor(low, chunks, !prereqMode);
    } catch (e) {
      if (!(e instanceof BadRequisite)) throw e;
      this.place(tag, synthetic(low, false, e.message));
      return;
    }
    const status: Status = await statusOf(res, this.lookup, chunkTag);
    switch (status) {
      case 'unmet':
        return this.unmet(low, tag, res, chunks, depth, prereqMode);
      case 'fail':
        return this.failed(low, tag, res, prereqMode);
      case 'change':
        if (prereqMode) {
          await this.testRun(low, tag);
          return;
        }
        return this.call(low, tag, res);
      case 'pre':
        return this.skip(low, tag, 'No changes detected', { ran: true, toPre: true });
      case 'onfail':
        return this.skip(low, tag, 'State was not run because onfail req did not change', { ran: false, toPre: prereqMode });
      case 'onchanges':
        return this.skip(low, tag, 'State was not run because none of the onchanges reqs changed', { ran: false, toPre: prereqMode });
      default:
        if (prereqMode) {
          await this.testRun(low, tag);
          return;
        }
        return this.call(low, tag, null);
    }
  }

  /** A result True record without a call: `ran: false` marks onchanges/onfail skips (`__state_ran__`). */
  private skip(low: LowChunk, tag: string, comment: string, o: { ran: boolean; toPre: boolean }): void {
    const rec = synthetic(low, true, comment, o.ran ? {} : { __state_ran__: false });
    this.place(tag, rec);
    if (o.toPre) this.pre.set(tag, rec);
  }

  private async unmet(low: LowChunk, tag: string, res: ResolvedType[], chunks: readonly LowChunk[], depth: number, prereqMode: boolean): Promise<void> {
    const lost = lostEntries(res);
    if (lost.length) {
      const rec = synthetic(low, false, notFoundComment(lost));
      if (prereqMode) {
        this.pre.set(tag, rec);
        this.schedule.push({ count: 1 });
      } else {
        this.place(tag, rec);
      }
      return;
    }
    const reqs: LowChunk[] = [];
    for (const t of res) {
      for (const e of t.entries) {
        for (const c of e.targets) {
          if (t.type === 'prereq') this.prereqFlag.add(chunkTag(c));
          else if (t.type === 'prerequired') this.prerequiredFlag.add(chunkTag(c));
          reqs.push(c);
        }
      }
    }
    for (const c of reqs) {
      const ctag = chunkTag(c);
      if (this.running.has(ctag)) continue;
      if (this.stack.has(ctag)) {
        if (this.prerequiredFlag.has(ctag)) {
          // A prereq cycle through a pre-required state: test-run this chunk for its prereq-er and stop here.
          if (!this.pre.has(tag)) await this.testRun(low, tag);
          return;
        }
        this.place(tag, recursiveRecord(low));
        return;
      }
      await this.visit(c, chunks, 0);
      if (this.stopped) return;
      if (await this.failhardHit(c)) {
        this.stopped = true;
        return;
      }
    }
    if (this.prereqFlag.has(tag)) {
      let st: Status = 'met';
      try {
        st = await statusOf(this.resolveFor(low, chunks, false), this.lookup, chunkTag);
      } catch {
        st = 'met';
      }
      const rec = await this.testRun(low, tag);
      if (st === 'change' && rec && !Object.keys(rec.changes).length) {
        rec.changes = { watch: 'watch' };
        rec.result = null;
      }
      return;
    }
    if (depth + 1 > MAX_DEPTH) {
      this.place(tag, recursiveRecord(low));
      return;
    }
    await this.visit(low, chunks, depth + 1);
    if (!this.stopped && (await this.failhardHit(low))) this.stopped = true;
  }

  private async failed(low: LowChunk, tag: string, res: ResolvedType[], prereqMode: boolean): Promise<void> {
    const mine = this.pre.get(tag);
    if (mine) {
      // This chunk was test-run for a prereq that then failed: keep the test result, without its changes.
      this.place(tag, { ...mine, changes: {}, __run_num__: -1, __sls__: low.__sls__, __id__: low.__id__, name: low.name });
      return;
    }
    const failed: string[] = [];
    for (const t of res) {
      for (const e of t.entries) {
        for (const c of e.targets) {
          const ctag = chunkTag(c);
          const r = this.pre.get(ctag) ?? (await this.lookup(ctag, false));
          const key = `${c.__sls__ ?? 'None'}.${c.__id__}`;
          if (r && r.result === false && !failed.includes(key)) failed.push(key);
        }
      }
    }
    const rec = synthetic(low, false, `One or more requisite failed: ${failed.join(', ')}`);
    this.place(tag, rec);
    if (prereqMode) this.pre.set(tag, rec);
  }

  /** The prereq test run of a target: result kept in `pre`, no run number. */
  private async testRun(low: LowChunk, tag: string): Promise<StateRecord> {
    this.prereqFlag.add(tag);
    const out = await this.limit(() => callState(this.ctx, low, { test: true, prereq: true })).catch((e: unknown) => ({
      rec: synthetic(low, false, `An exception occurred in this state: ${e instanceof Error ? e.message : String(e)}`),
      count: 0,
    }));
    this.prereqFlag.delete(tag);
    this.pre.set(tag, out.rec);
    return out.rec;
  }

  private overlappable(low: LowChunk): boolean {
    if (this.failhardOn(low)) return false;
    return truthyFlag(low.parallel) || this.o.concurrency > 1;
  }

  /** A real call (with watch → mod_watch when `watch` targets changed). Awaited unless it may overlap. */
  private async call(low: LowChunk, tag: string, watch: ResolvedType[] | null): Promise<void> {
    const parallel = truthyFlag(low.parallel);
    const slot: Slot = { tag, count: 0, done: Promise.resolve() };
    this.running.set(tag, slot);
    this.schedule.push(slot);
    const pool = parallel ? this.parallelLimit : this.limit;
    slot.done = pool(async () => {
      this.event('start', tag, false);
      let out: CallOutcome;
      try {
        out = await callState(this.ctx, low, { test: this.o.test, mock: this.o.mock });
        if (watch && !Object.keys(out.rec.changes ?? {}).length && !out.rec.skip_watch) {
          const mw = await callState(this.ctx, this.watchLow(low, watch), { test: this.o.test, mock: this.o.mock });
          out = { rec: mw.rec, count: out.count + mw.count };
        }
      } catch (e) {
        // callState turns state errors into records; this is the runner's own failure (aborted retry wait …).
        out = { rec: synthetic(low, false, `An exception occurred in this state: ${e instanceof Error ? e.message : String(e)}`), count: 1 };
      }
      if (parallel) out.rec.__parallel__ = true;
      slot.rec = out.rec;
      slot.count = out.count;
      this.event('finish', tag, true);
    });
    if (!this.overlappable(low)) await slot.done;
  }

  /** The mod_watch call of a watching chunk: `sfun` the original function, `__reqs__` its requisite targets. */
  private watchLow(low: LowChunk, res: ResolvedType[]): LowChunk {
    const reqs: Record<string, LowChunk[]> = {};
    for (const t of res) reqs[t.type] = t.entries.flatMap((e) => e.targets);
    const running: Record<string, StateRecord> = {};
    for (const [k, s] of this.running) if (s.rec) running[k] = s.rec;
    return { ...low, sfun: low.fun, fun: 'mod_watch', __reqs__: reqs, __running__: running };
  }

  private failhardOn(low: LowChunk): boolean {
    if (this.o.test) return false;
    return 'failhard' in low && low.failhard !== null && low.failhard !== undefined ? truthyFlag(low.failhard) : this.o.failhard;
  }

  /** Salt's check_failhard: the chunk ran, has failhard, and returned False (not None). */
  private async failhardHit(low: LowChunk): Promise<boolean> {
    if (!this.failhardOn(low)) return false;
    const slot = this.running.get(chunkTag(low));
    if (!slot) return false;
    await slot.done;
    return slot.rec?.result === false;
  }
}
