/**
 * The runner: executes ordered low chunks with Salt's requisite semantics. The only place that calls state
 * functions.
 *
 * CONTRACT (owned by the runner; state.* functions code against it):
 *
 * CONCURRENCY DECISION. The walk is Salt's sequential walk (walk.ts); run numbers and report order are always
 * what that walk gives. Calls may overlap in exactly two cases:
 *  1. `parallel: True` on a state (Salt's own feature): the call starts and the walk moves on; whoever needs its
 *     result (a requisite check, failhard, listeners, the end of the run) waits for it. At most
 *     `state_max_parallel` (minion opt; unset = no limit) such calls run at once.
 *  2. `concurrency` (minion opt `state_concurrency`) above 1, an explicit opt-in: every call may overlap with
 *     later ones, bounded by that number, and only requisites order them. This trusts the SLS to declare every
 *     dependency: Salt's definition order no longer serialises unrelated states (a state reading a file that
 *     an earlier, unrelated state writes must `require` it). A state with failhard is always waited for.
 * The default (1) is strictly sequential, because real formulas rely on definition order.
 * Run numbers are assigned after the run from the walk's order, so they match Salt whether or not calls
 * overlapped.
 */
import { CompileError, CompileErrors } from '../errors.js';
import { REQUISITE_TYPES, entriesOf, findTargets, parseEntry } from '../graph/requisites.js';
import { chunkTag, type ExecContext, type LowChunk, type StateRecord, type StateReturn } from '../types.js';
import { callState } from './call.js';
import { planListeners } from './listen.js';
import { verifyLow } from './verify.js';
import { Walk, truthyFlag } from './walk.js';

export { setRetcode, getRetcode } from './retcode.js';
export { verifyLow } from './verify.js';

export interface RunnerOptions {
  test: boolean;
  /** Max state functions running at once on this host (independent branches overlap). Default: the minion's
   *  `state_concurrency`, else 1 (Salt's sequential walk). */
  concurrency?: number;
  /** Salt's behaviour for requisites whose target matches nothing (false = Salt; true = compile error). */
  strictRequisites?: boolean;
  /** Stop at the first failed state (default: the minion's `failhard`). Ignored under test. */
  failhard?: boolean;
  /** state.sls `mock=True`: requisites and checks run, no state function is called ("Not called, mocked"). */
  mock?: boolean;
  /** Called as states start/finish (progress display). */
  onEvent?: (e: { type: 'start' | 'finish'; tag: string; done: number; total: number }) => void;
}

function disabledRequisites(v: unknown): Set<string> {
  if (typeof v === 'string') return new Set([v]);
  if (Array.isArray(v)) return new Set(v.map(String));
  return new Set();
}

function positive(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 1 ? Math.floor(n) : undefined;
}

/** Every requisite that matches nothing, as compile errors (strict_requisites). */
export function missingRequisites(chunks: readonly LowChunk[], disabled: ReadonlySet<string> = new Set()): CompileError[] {
  const errors: CompileError[] = [];
  for (const low of chunks) {
    for (const type of REQUISITE_TYPES) {
      if (disabled.has(type)) continue;
      for (const raw of entriesOf(low[type])) {
        const e = parseEntry(raw);
        if (e.value === null || findTargets(chunks, e).length) continue;
        errors.push(
          new CompileError(
            `Requisite ${type} '${e.key}: ${e.value}' of state '${low.__id__}' in SLS '${String(low.__sls__)}' matches no state ` +
              `(fix the target, or set strict_requisites: False for Salt's behaviour)`,
            { id: low.__id__, sls: low.__sls__ ?? undefined },
          ),
        );
      }
    }
  }
  return errors;
}

function finish(walk: Walk, extra: [string, StateRecord][] = []): StateReturn {
  let n = 0;
  const out: StateReturn = {};
  for (const s of walk.schedule) {
    const count = Math.max(1, s.count);
    if ('tag' in s && s.rec) {
      s.rec.__run_num__ = n + count - 1;
      out[s.tag] = s.rec;
    }
    n += count;
  }
  for (const [tag, rec] of extra) {
    rec.__run_num__ = n++;
    out[tag] = rec;
  }
  return out;
}

/**
 * Runs chunks (already ordered by the compiler) and returns Salt's return dict, keyed by tag, in run order.
 * Throws CompileErrors only with `strictRequisites` when a requisite matches nothing.
 */
export async function runChunks(chunks: LowChunk[], ctx: ExecContext, o: RunnerOptions): Promise<StateReturn> {
  const disabled = disabledRequisites(ctx.opts?.disabled_requisites);
  if (o.strictRequisites) {
    const missing = missingRequisites(chunks, disabled);
    if (missing.length) throw new CompileErrors(missing);
  }
  const walk = new Walk(ctx, {
    test: o.test,
    mock: o.mock,
    failhard: o.failhard ?? truthyFlag(ctx.opts?.failhard),
    concurrency: positive(o.concurrency) ?? positive(ctx.opts?.state_concurrency) ?? 1,
    maxParallel: positive(ctx.opts?.state_max_parallel) ?? Number.POSITIVE_INFINITY,
    disabled,
    total: chunks.length,
    onEvent: o.onEvent,
  });
  await walk.runAll(chunks);
  await walk.settle();
  const plan = planListeners(chunks, (c) => {
    const rec = walk.running.get(chunkTag(c))?.rec;
    return Boolean(rec && rec.changes && Object.keys(rec.changes).length);
  });
  if (plan.watchers.length) {
    walk.stopped = false;
    walk.expect(plan.watchers.length);
    await walk.runAll(plan.watchers);
    await walk.settle();
  }
  return finish(walk, plan.errors);
}

/**
 * state.single: one chunk, requisites ignored, onlyif/unless/creates/retry/check_cmd honoured.
 * Throws CompileErrors with Salt's messages when the chunk cannot be called at all (unknown function, missing
 * argument, invalid umask): Salt's state.single returns that list instead of a state dict.
 */
export async function runSingle(low: LowChunk, ctx: ExecContext, o: RunnerOptions): Promise<StateReturn> {
  const errors = verifyLow(low, ctx.registry);
  if (errors.length) throw new CompileErrors(errors.map((m) => new CompileError(m, { id: low.__id__ })));
  const tag = chunkTag(low);
  o.onEvent?.({ type: 'start', tag, done: 0, total: 1 });
  const out = await callState(ctx, low, { test: o.test, mock: o.mock });
  out.rec.__run_num__ = out.count - 1;
  o.onEvent?.({ type: 'finish', tag, done: 1, total: 1 });
  return { [tag]: out.rec };
}

