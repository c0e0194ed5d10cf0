/**
 * The runner: executes ordered low chunks with Salt's requisite semantics. The only place that calls state
 * functions.
 *
 * CONTRACT (owned by the runner; state.* functions code against it):
 */
import type { ExecContext, LowChunk, StateReturn } from '../types.js';

export interface RunnerOptions {
  test: boolean;
  /** Max state functions running at once on this host (independent branches overlap). */
  concurrency?: number;
  /** Salt's behaviour for requisites whose target matches nothing (false = Salt; true = compile error). */
  strictRequisites?: boolean;
  /** Called as states start/finish (progress display). */
  onEvent?: (e: { type: 'start' | 'finish'; tag: string; done: number; total: number }) => void;
}

/** Runs chunks (already ordered by the compiler) and returns Salt's return dict. */
export declare function runChunks(chunks: LowChunk[], ctx: ExecContext, o: RunnerOptions): Promise<StateReturn>;
