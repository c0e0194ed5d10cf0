/**
 * `state.show_graph [mods]`: the compiled requisite graph as Graphviz DOT (default) or SVG, nothing run.
 *
 * ```
 * halite call state.show_graph webapp                       # DOT text
 * halite call state.show_graph webapp format=svg --out json # SVG (needs Graphviz's `dot` on the host)
 * halite call state.show_graph webapp from_last_run=True    # nodes coloured by the last state.sls webapp
 * halite call state.show_graph                              # the highstate
 * ```
 * kwargs: `format=dot|svg`, `from_last_run=True` (green ok, cyan changed, red failed, yellow None = would
 * change, dashed = not in that run), `ranks=order|depth` (one rank per state in execution order, or states
 * grouped by requisite depth), `saltenv=`, `exclude=`. Compile errors come back as Salt's error list.
 */
import { compileEnvFromContext, compileHighstate, compileSls, splitMods } from '../compiler/index.js';
import { CommandError, InvocationError } from '../errors.js';
import { buildGraph, toDot, type NodeStatus, type StateGraph } from '../graph/dot.js';
import type { Dict, ExecContext, ExecModule, LowChunk } from '../types.js';
import { loadLastRun, secretMasker, type RunSummary } from './last-run.js';
import { truthy } from './state-run-util.js';
import { errorOutput } from './state-show.js';

function choice<T extends string>(kw: Dict, key: string, allowed: readonly T[], dflt: T): T {
  const v = kw[key];
  if (v === undefined || v === null || v === '') return dflt;
  const s = String(v).toLowerCase();
  if ((allowed as readonly string[]).includes(s)) return s as T;
  throw new InvocationError(`state.show_graph: ${key} must be one of ${allowed.join(', ')}, not '${String(v)}'`);
}

function disabledOf(opts: Dict): Set<string> {
  const d = opts.disabled_requisites;
  return new Set(Array.isArray(d) ? d.map(String) : typeof d === 'string' && d ? [d] : []);
}

function compile(ctx: ExecContext, mods: string[], saltenv: string, kw: Dict): LowChunk[] {
  const env = compileEnvFromContext(ctx);
  const exclude = typeof kw.exclude === 'string' ? splitMods(kw.exclude) : kw.exclude;
  if (mods.length) return compileSls(mods, env, { saltenv, exclude }).chunks;
  const explicit = typeof kw.saltenv === 'string' && kw.saltenv ? kw.saltenv : undefined;
  return compileHighstate(env, { saltenv: explicit, exclude }).chunks;
}

/** Node outcomes from a recorded run; tags were masked when recorded, so look both spellings up. */
function statusOf(g: StateGraph, run: RunSummary, mask: (s: string) => string): Record<string, NodeStatus> {
  const out: Record<string, NodeStatus> = {};
  for (const n of g.nodes) {
    const s = run.states[n.tag] ?? run.states[mask(n.tag)];
    if (s) out[n.tag] = s;
  }
  return out;
}

/** `dot -Tsvg` on the host, with a message that says what to install when Graphviz is missing. */
async function toSvg(ctx: ExecContext, dot: string): Promise<string> {
  const r = await ctx.host.run(['dot', '-Tsvg'], { stdin: dot, signal: ctx.signal, timeoutMs: 120_000 });
  if (r.code === 127) {
    throw new CommandError(
      `state.show_graph format=svg needs Graphviz's 'dot', which is not installed on ${ctx.host.name}: install the graphviz package (apt-get install graphviz), or use format=dot`,
    );
  }
  if (r.code !== 0) throw new CommandError(`state.show_graph: dot -Tsvg failed (exit ${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** The function behind `state.show_graph`: DOT or SVG text (a plain string), or the compile errors. */
export async function showGraphFn(ctx: ExecContext, args: unknown[], kw: Dict): Promise<unknown> {
  const mods = splitMods(args[0] ?? kw.mods);
  const saltenv = typeof kw.saltenv === 'string' && kw.saltenv ? kw.saltenv : ctx.saltenv || 'base';
  const format = choice(kw, 'format', ['dot', 'svg'] as const, 'dot');
  const ranks = choice(kw, 'ranks', ['order', 'depth'] as const, 'order');
  let chunks: LowChunk[];
  try {
    chunks = compile(ctx, mods, saltenv, kw);
  } catch (e) {
    return errorOutput(e);
  }
  const graph = buildGraph(chunks, disabledOf(ctx.opts));
  let title = `${mods.length ? mods.join(',') : 'highstate'} (saltenv ${saltenv})`;
  let status: Record<string, NodeStatus> | undefined;
  if (truthy(kw.from_last_run, false)) {
    const run = loadLastRun(ctx.opts, saltenv, mods);
    if (run) {
      status = statusOf(graph, run, secretMasker(ctx));
      title += `, last run ${run.time}${run.test ? ' (test=True)' : ''}`;
    } else {
      const what = mods.length ? `state.sls ${mods.join(',')}` : 'state.highstate';
      ctx.log.warn(`state.show_graph: no recorded run for ${what} in saltenv ${saltenv}; run it first to colour the graph`);
      title += ', no recorded run';
    }
  }
  const dot = toDot(graph, { title, ranks, ...(status ? { status } : {}) });
  return format === 'svg' ? toSvg(ctx, dot) : dot;
}

/** The `state` execution module's graph function (registered beside state.show_*). */
export const stateGraphModule: ExecModule = {
  name: 'state',
  doc: 'Show the compiled requisite graph.',
  functions: {
    show_graph: {
      fn: showGraphFn,
      doc:
        'The compiled requisite graph of the given SLS (comma list; none: the highstate) as Graphviz DOT.\n\n' +
        '    halite call state.show_graph webapp\n' +
        '    halite call state.show_graph webapp format=svg --out json\n' +
        '    halite call state.show_graph webapp from_last_run=True   # colour by the last run',
    },
  },
};
