/**
 * halite's checks after Salt's compile: mistakes Salt only discovers at run time (or never) refuse the whole run
 * here — unknown state modules/functions, missing or unknown arguments, requisites whose target matches nothing
 * (when `strict_requisites` is on), and requisite cycles of any length.
 */
import type { LowChunk, Registry } from '../types.js';
import { pyRepr } from './pyrepr.js';
import type { DroppedRequisite } from './requisite-in.js';
import { normalizeReq, ORDERING_REQUISITES, RequisiteIndex, RUNTIME_REQUISITES, type ReqEntry } from './requisites.js';
import type { ErrorList, SourceMap } from './sources.js';
import { suggest } from './suggest.js';

export interface CheckContext {
  errors: ErrorList;
  src: SourceMap;
  disabled: Set<string>;
}

/** Keys the engine consumes (Salt's STATE_INTERNAL_KEYWORDS + halite's chunk keys): never "unknown kwargs". */
const INTERNAL = new Set([
  'name', 'names', 'name_order', 'fun', 'state', 'check_cmd', 'cmd_opts_exclude', 'failhard', 'onlyif', 'unless',
  'creates', 'retry', 'order', 'parallel', 'prereq', 'prereq_in', 'prerequired', 'reload_modules', 'reload_grains',
  'reload_pillar', 'runas', 'runas_password', 'fire_event', 'saltenv', 'umask', 'use', 'use_in', 'require',
  'require_any', 'watch', 'watch_any', 'onchanges', 'onchanges_any', 'onfail', 'onfail_any', 'onfail_all',
  'onfail_stop', 'listen', 'require_in', 'watch_in', 'onchanges_in', 'onfail_in', 'listen_in',
]);

function slsOf(c: LowChunk): string {
  return String(c.__sls__);
}

/** Unknown module/function (with did-you-mean), missing required and unknown keyword arguments. */
export function checkStateFunctions(chunks: LowChunk[], registry: Registry, ctx: CheckContext): void {
  if (!registry.states.size) return; // no registry given (pure compile tests)
  let all: string[] | undefined;
  const knownOf = new Map<object, Set<string>>();
  for (const c of chunks) {
    const mod = registry.states.get(c.state);
    const def = mod?.functions[c.fun];
    if (mod && def && !def.required?.length && (!def.params || def.anyKwargs)) continue; // nothing to check
    const full = `${c.state}.${c.fun}`;
    const loc = (): ReturnType<SourceMap['locOf']> => ctx.src.locOf(c.__id__, c.state);
    if (!mod || !def) {
      all ??= [...registry.states.values()].flatMap((m) => Object.keys(m.functions).map((f) => `${m.name}.${f}`));
      const pool = mod ? Object.keys(mod.functions).map((f) => `${mod.name}.${f}`) : all;
      const [best] = suggest(full, pool);
      const why = mod ? `state module '${c.state}' has no function '${c.fun}'` : `there is no state module '${c.state}'`;
      ctx.errors.add(
        `State '${full}' was not found in SLS '${slsOf(c)}'\nReason: '${full}' is not available (${why}).${best ? ` Did you mean '${best}'?` : ''}`,
        loc(),
      );
      continue;
    }
    for (const p of def.required ?? []) {
      if (!(p in c)) ctx.errors.add(`Missing parameter ${p} for state ${full}`, loc());
    }
    if (def.params && !def.anyKwargs) {
      let known = knownOf.get(def);
      if (!known) knownOf.set(def, (known = new Set(def.params)));
      for (const k in c) {
        if (k.startsWith('__') || INTERNAL.has(k) || known.has(k)) continue;
        const [best] = suggest(k, known);
        ctx.errors.add(`'${k}' is an invalid keyword argument for '${full}'${best ? ` (did you mean '${best}'?)` : ''}`, loc());
      }
    }
  }
}

/** One requisite entry of one chunk, resolved against all chunks. */
export interface ResolvedReq {
  chunk: number;
  type: string;
  entry: ReqEntry;
  targets: readonly number[];
}

const CHECKED_TYPES = new Set<string>([...RUNTIME_REQUISITES, 'listen', 'listen_in']);

/** Resolve every requisite entry of every chunk once (malformed entries were reported by verify). */
export function resolveRequisites(chunks: LowChunk[], index: RequisiteIndex, disabled: Set<string>): ResolvedReq[] {
  const out: ResolvedReq[] = [];
  chunks.forEach((c, i) => {
    for (const type in c) {
      if (!CHECKED_TYPES.has(type) || disabled.has(type)) continue;
      const list = c[type];
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        const entry = normalizeReq(item);
        if (entry) out.push({ chunk: i, type, entry, targets: index.findIndexes(entry.key, entry.value) });
      }
    }
  });
  return out;
}

/** Requisites (and dropped `*_in`/`use` items) whose target matches nothing. */
export function checkRequisiteTargets(chunks: LowChunk[], resolved: ResolvedReq[], index: RequisiteIndex, dropped: DroppedRequisite[], ctx: CheckContext): void {
  for (const r of resolved) {
    if (r.targets.length) continue;
    const c = chunks[r.chunk]!;
    const { key, value } = r.entry;
    ctx.errors.add(
      `The ${r.type} requisite '${key}: ${value}' of state '${c.__id__}' in SLS '${slsOf(c)}' matches no state.${hint(index, key, value)}`,
      ctx.src.locOf(c.__id__, c.state),
    );
  }
  for (const d of dropped) {
    const loc = ctx.src.locOf(d.id, d.state);
    const sls = ctx.src.ids.get(d.id)?.sls ?? '';
    const r = normalizeReq(d.item);
    const h = r ? hint(index, r.key, r.value) : '';
    ctx.errors.add(`The ${d.key} requisite ${pyRepr(d.item)} of state '${d.id}' in SLS '${sls}' matches no state.${h}`, loc);
  }
}

function hint(index: RequisiteIndex, key: string, value: string): string {
  if (key !== 'id' && key !== 'sls') {
    const other = index.find('id', value)[0];
    if (other) return ` Did you mean '${other.state}: ${value}'?`;
  }
  const [best] = suggest(value, index.names(key));
  return best ? ` Did you mean '${key}: ${best}'?` : '';
}

const VERB: Record<string, string> = {
  require: 'requires',
  require_any: 'requires (any)',
  watch: 'watches',
  watch_any: 'watches (any)',
  onchanges: 'has onchanges on',
  onchanges_any: 'has onchanges_any on',
  onfail: 'has onfail on',
  onfail_any: 'has onfail_any on',
  onfail_all: 'has onfail_all on',
  prereq: "is prereq'd by",
};

interface Edge {
  to: number;
  type: string;
}

/** Every requisite cycle (require/watch/onchanges/onfail/prereq …; not listen/use) as one error per cycle. */
export function checkCycles(chunks: LowChunk[], resolved: ResolvedReq[], ctx: CheckContext): void {
  const adj: Edge[][] = chunks.map(() => []);
  for (const r of resolved) {
    if (r.type !== 'prereq' && !ORDERING_REQUISITES.has(r.type)) continue;
    const i = r.chunk;
    const c = chunks[i]!;
    for (const t of r.targets) {
      if (t === i) {
        const { key, value } = r.entry;
        const shown = key === 'id' ? value : pyRepr({ [key]: value });
        ctx.errors.add(`Recursive require detected in SLS ${slsOf(c)} for require ${shown} in ID ${c.__id__}`, ctx.src.locOf(c.__id__, c.state));
        continue;
      }
      if (r.type === 'prereq') adj[t]!.push({ to: i, type: r.type });
      else adj[i]!.push({ to: t, type: r.type });
    }
  }
  for (const scc of tarjan(adj)) {
    if (scc.length < 2) continue;
    const cycle = findCycle(scc, adj);
    if (cycle) reportCycle(chunks, cycle, ctx);
  }
}

function reportCycle(chunks: LowChunk[], cycle: { node: number; type: string }[], ctx: CheckContext): void {
  const first = chunks[cycle[0]!.node]!;
  if (cycle.length === 2) {
    const [a, b] = cycle.map((s) => s.node).sort((x, y) => x - y) as [number, number];
    const early = chunks[a]!;
    const late = chunks[b]!;
    if (early.__id__ === late.__id__) return; // siblings of one `names` list: reported as self-requires
    ctx.errors.add(
      `A recursive requisite was found, SLS "${slsOf(late)}" ID "${late.__id__}" ID "${early.__id__}"`,
      ctx.src.locOf(late.__id__, late.state),
    );
    return;
  }
  const label = (c: LowChunk) => `ID "${c.__id__}"${c.name !== c.__id__ ? ` (name "${c.name}")` : ''} in SLS "${slsOf(c)}"`;
  let text = label(first);
  cycle.forEach((step, k) => {
    const next = chunks[cycle[(k + 1) % cycle.length]!.node]!;
    const verb = VERB[step.type] ?? step.type;
    text += `${k === 0 ? ' ' : ', which '}${verb} ${k === cycle.length - 1 ? `ID "${next.__id__}"` : label(next)}`;
  });
  ctx.errors.add(`A requisite cycle was found: ${text}`, ctx.src.locOf(first.__id__, first.state));
}

/** A cycle through the SCC's earliest node: [{node, type of the edge leaving it}]. */
function findCycle(scc: number[], adj: Edge[][]): { node: number; type: string }[] | null {
  const inScc = new Set(scc);
  const start = Math.min(...scc);
  const prev = new Map<number, { from: number; type: string }>();
  const queue = [start];
  for (let qi = 0; qi < queue.length; qi++) {
    const n = queue[qi]!;
    for (const e of adj[n]!) {
      if (!inScc.has(e.to)) continue;
      if (e.to === start) {
        const path: { node: number; type: string }[] = [{ node: n, type: e.type }];
        let cur = n;
        while (cur !== start) {
          const p = prev.get(cur)!;
          path.unshift({ node: p.from, type: p.type });
          cur = p.from;
        }
        return path;
      }
      if (!prev.has(e.to) && e.to !== start) {
        prev.set(e.to, { from: n, type: e.type });
        queue.push(e.to);
      }
    }
  }
  return null;
}

/** Tarjan's strongly connected components, iterative. */
function tarjan(adj: Edge[][]): number[][] {
  const n = adj.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1 || !adj[root]!.length) continue;
    const work: { v: number; e: number }[] = [{ v: root, e: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length) {
      const top = work[work.length - 1]!;
      const edges = adj[top.v]!;
      if (top.e < edges.length) {
        const w = edges[top.e++]!.to;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
          work.push({ v: w, e: 0 });
        } else if (onStack[w]) {
          low[top.v] = Math.min(low[top.v]!, index[w]!);
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.v;
        low[parent] = Math.min(low[parent]!, low[top.v]!);
      }
      if (low[top.v] === index[top.v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          comp.push(w);
        } while (w !== top.v);
        out.push(comp);
      }
    }
  }
  return out;
}
