/**
 * `state.*` functions that run states: apply, sls, highstate, single, sls_id, test. Each compiles (the compiler),
 * takes the state-run lock, runs (the runner) and returns a CallOutput the highstate outputter prints.
 *
 * ```
 * halite call state.apply                          # highstate
 * halite call state.apply webapp,db test=True      # dry run of two SLS
 * halite call state.single file.managed /tmp/x contents=hi
 * halite call state.sls_id app_config webapp
 * ```
 * Common kwargs: `test=`, `pillar='{…}'` (merged over pillar by the CLI's context), `saltenv=`, `exclude=`,
 * `queue=` (default: wait for a running state run; False: refuse).
 */
import * as compiler from '../compiler/index.js';
import type { CompileEnv } from '../compiler/index.js';
import { CompileErrors, HaliteError, InvocationError } from '../errors.js';
import * as runner from '../runner/index.js';
import type { RunnerOptions } from '../runner/index.js';
import { CallOutput, type Dict, type ExecContext, type ExecModule, type LowChunk, type StateReturn } from '../types.js';
import { saveLastRun } from './last-run.js';
import { acquireStateLock, lockPath } from './lock.js';
import { closure, compileEnv, errorsOutput, getTestValue, modsList, stateRetcode, truthy } from './state-run-util.js';

type Kw = Dict;

/** Keys of a state.* call that are options of the call, never arguments of a state. */
const CALL_KEYS = new Set(['test', 'pillar', 'saltenv', 'pillarenv', 'exclude', 'queue', 'concurrent', 'mock', 'localconfig']);

/** Hidden kwarg the CLI uses to hand its progress callback to a state run. */
export const PROGRESS_KWARG = '__progress__';

/** `exclude=a,b` (SLS names) or a list of names / {id: …} / {sls: …}. */
function excludeOf(kw: Kw): unknown {
  return typeof kw.exclude === 'string' ? modsList(kw.exclude) : kw.exclude;
}

function saltenvOf(ctx: ExecContext, kw: Kw): string {
  return typeof kw.saltenv === 'string' && kw.saltenv ? kw.saltenv : ctx.saltenv || 'base';
}

function runnerOptions(ctx: ExecContext, kw: Kw, test: boolean): RunnerOptions {
  const onEvent = kw[PROGRESS_KWARG];
  return {
    test,
    strictRequisites: truthy(ctx.opts.strict_requisites, true),
    onEvent: typeof onEvent === 'function' ? (onEvent as RunnerOptions['onEvent']) : undefined,
  };
}

/** Compile errors (compiler, or the runner's strict requisite check) become Salt's error list. */
function asCompileFailure(e: unknown): CallOutput | null {
  if (e instanceof CompileErrors || (e instanceof HaliteError && (e.code === 'compile' || e.code === 'render'))) return errorsOutput(e);
  return null;
}

/** Compile, lock, run: the shared body of every function here. */
async function run(
  ctx: ExecContext,
  kw: Kw,
  fun: string,
  compile: (env: CompileEnv) => LowChunk[] | StateReturn,
  o: { forceTest?: boolean; single?: boolean; record?: { saltenv: string; mods: string[] } } = {},
): Promise<CallOutput> {
  const test = o.forceTest ? true : getTestValue(ctx, kw);
  const pillarErrors = ctx.pillar?._errors;
  if (Array.isArray(pillarErrors) && pillarErrors.length) {
    // Salt refuses to run states on a broken pillar: EX_PILLAR_FAILURE (5).
    return new CallOutput('errors', ['Pillar failed to render with the following messages:', ...pillarErrors.map(String)], 5);
  }
  let chunks: LowChunk[] | StateReturn;
  try {
    chunks = compile(compileEnv(ctx));
  } catch (e) {
    const out = asCompileFailure(e);
    if (out) return out;
    throw e;
  }
  if (!Array.isArray(chunks)) return new CallOutput('states', chunks, stateRetcode(chunks));
  const lock = await acquireStateLock(lockPath(ctx.opts), { queue: truthy(kw.queue, true), fun, log: ctx.log, signal: ctx.signal });
  try {
    const ropts = runnerOptions(ctx, kw, test);
    const ret = o.single ? await runner.runSingle(chunks[0]!, ctx, ropts) : await runner.runChunks(chunks, ctx, ropts);
    // For state.show_graph from_last_run=True (a summary, masked; never fails the run).
    if (o.record) saveLastRun(ctx, { ...o.record, fun, test }, ret);
    return new CallOutput('states', ret, stateRetcode(ret));
  } catch (e) {
    const out = asCompileFailure(e);
    if (out) return out;
    throw e;
  } finally {
    lock.release();
  }
}

/** The pseudo state Salt returns when the top file matches nothing, or the matched SLS hold no states. */
function noStates(comment: string): StateReturn {
  return { 'no_|-states_|-states_|-None': { name: 'No States', result: false, comment, changes: {}, __run_num__: 0 } };
}

const NO_TOP_MATCH = 'No Top file or master_tops data matches found. Please see master log for details.';

function highstate(ctx: ExecContext, kw: Kw, fun: string, forceTest = false): Promise<CallOutput> {
  return run(ctx, kw, fun, (env) => {
    const c = compiler.compileHighstate(env, { saltenv: kw.saltenv as string | undefined, exclude: excludeOf(kw) });
    if (c.chunks.length) return c.chunks;
    return noStates(Object.keys(c.top ?? {}).length ? 'No states found for this minion' : NO_TOP_MATCH);
  }, { forceTest, record: { saltenv: saltenvOf(ctx, kw), mods: [] } });
}

function sls(ctx: ExecContext, mods: string[], kw: Kw, fun: string, forceTest = false): Promise<CallOutput> {
  if (!mods.length) return highstate(ctx, kw, fun, forceTest);
  return run(ctx, kw, fun, (env) => compiler.compileSls(mods, env, { saltenv: saltenvOf(ctx, kw), exclude: excludeOf(kw) }).chunks, {
    forceTest,
    record: { saltenv: saltenvOf(ctx, kw), mods },
  });
}

function single(ctx: ExecContext, args: unknown[], kw: Kw): Promise<CallOutput> | CallOutput {
  const fun = String(args[0] ?? kw.fun ?? '');
  const name = args[1] ?? kw.name;
  const [mod, f, ...rest] = fun.split('.');
  if (!mod || !f || rest.length) return new CallOutput('errors', ['Invalid function passed'], 1);
  if (name === undefined || name === null || name === '') {
    throw new InvocationError(`state.single ${fun} needs a name: halite call state.single ${fun} NAME [key=value …]`);
  }
  const chunk: LowChunk = { state: mod, fun: f, name: String(name), __id__: String(name), __sls__: null, __env__: saltenvOf(ctx, kw) };
  for (const [k, v] of Object.entries(kw)) {
    if (CALL_KEYS.has(k) || k.startsWith('__') || k === 'fun' || k === 'name') continue;
    chunk[k] = v;
  }
  return run(ctx, kw, 'state.single', () => [chunk], { single: true });
}

function slsId(ctx: ExecContext, args: unknown[], kw: Kw): Promise<CallOutput> {
  const id = String(args[0] ?? kw.id ?? '');
  const mods = modsList(args[1] ?? kw.mods);
  if (!id || !mods.length) throw new InvocationError('state.sls_id needs an ID and SLS names: halite call state.sls_id ID sls1[,sls2]');
  const saltenv = saltenvOf(ctx, kw);
  return run(ctx, kw, 'state.sls_id', (env) => {
    const all = compiler.compileSls(mods, env, { saltenv }).chunks;
    const picked = closure(all, id);
    if (!picked.length) throw new InvocationError(`No matches for ID '${id}' found in SLS '${mods.join(',')}' within saltenv '${saltenv}'`);
    return picked;
  });
}

const mods = (args: unknown[], kw: Kw): string[] => modsList(args[0] ?? kw.mods);

/** The `state` execution module's run functions. */
export const stateRunModule: ExecModule = {
  name: 'state',
  doc: 'Apply states: highstate (top file), SLS files, one state, or one ID.',
  functions: {
    apply: {
      fn: (ctx, args, kw) => sls(ctx, mods(args, kw), kw, 'state.apply'),
      doc: 'Apply the highstate (no argument) or the given SLS (comma list).\n\n    halite call state.apply\n    halite call state.apply webapp,db test=True',
    },
    sls: {
      fn: (ctx, args, kw) => sls(ctx, mods(args, kw), kw, 'state.sls'),
      doc: 'Apply SLS files (comma list).\n\n    halite call state.sls webapp pillar=\'{"port": 8080}\'',
    },
    highstate: {
      fn: (ctx, _args, kw) => highstate(ctx, kw, 'state.highstate'),
      doc: 'Apply what the top file assigns to this minion.\n\n    halite call state.highstate test=True',
    },
    test: {
      fn: (ctx, args, kw) => sls(ctx, mods(args, kw), kw, 'state.test', true),
      doc: 'Dry run of state.apply: test=True forced, even when test=False is passed.\n\n    halite call state.test webapp',
    },
    single: {
      fn: (ctx, args, kw) => single(ctx, args, kw),
      doc: 'Run one state function without an SLS file (requisites are ignored).\n\n    halite call state.single file.managed /tmp/x contents=hi',
    },
    sls_id: {
      fn: (ctx, args, kw) => slsId(ctx, args, kw),
      doc: 'Run the states of one ID (and what it requires) from SLS files.\n\n    halite call state.sls_id app_config webapp',
    },
  },
};
