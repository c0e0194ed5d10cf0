/**
 * The compiled requisite graph as Graphviz DOT (`state.show_graph`). Pure data, no I/O.
 *
 * One node per low chunk, labelled `ID\nmodule.fun`; one edge per (target, dependant, requisite kind), drawn
 * target → dependant and styled per kind. Targets are resolved with the compiler's matcher (`RequisiteIndex`),
 * so an `sls:` requisite gives an edge from every chunk of that SLS; `*_in` forms arrive already rewritten by the
 * compiler, and `use` is compile-time only (no edge).
 *
 * ```yaml
 * app:
 *   service.running:
 *     - watch:
 *       - file: /etc/app.conf     # → "app.conf" -> "app" [label="watch", style=dashed]
 *     - require:
 *       - sls: packages           # → an edge from every chunk of SLS packages
 * ```
 */
import { RequisiteIndex } from '../compiler/requisites.js';
import { chunkTag, type LowChunk } from '../types.js';
import { entriesOf, parseEntry } from './requisites.js';

/** Requisite kinds that order the dependant after its target (prereq orders the other way round). */
const ORDERING = ['require', 'require_any', 'watch', 'watch_any', 'onchanges', 'onchanges_any', 'onfail', 'onfail_any', 'onfail_all'];

/** Every requisite kind drawn, in Salt's evaluation order. */
export const GRAPH_KINDS = [...ORDERING, 'prereq', 'listen'] as const;

export interface GraphNode {
  tag: string;
  id: string;
  name: string;
  state: string;
  fun: string;
  sls: string | null;
  /** 0-based position in execution order (requisites pulled forward, as the runner walks). */
  step: number;
  /** Longest requisite chain above this node (0 for a node with no ordering requisite). */
  depth: number;
}

export interface GraphEdge {
  /** Index of the target (the chunk named by the requisite). */
  from: number;
  /** Index of the dependant (the chunk declaring the requisite). */
  to: number;
  kind: string;
}

/** Nodes in compiled chunk order; `edges` deduplicated per (from, to, kind). */
export interface StateGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** A state's outcome in the last recorded run (see engine/functions/last-run.ts). */
export interface NodeStatus {
  result: boolean | null;
  changes: boolean;
  comment?: string;
}

export interface DotOptions {
  /** Graph title (shown on top). */
  title?: string;
  /** `order` (default): one rank per state in execution order; `depth`: states grouped by requisite depth. */
  ranks?: 'order' | 'depth';
  /** Colour nodes by a run: tag → outcome; states absent from it are drawn dashed ("not in the last run"). */
  status?: Record<string, NodeStatus>;
}

/**
 * The requisite graph of compiled chunks. `disabled` holds requisite kinds switched off (`disabled_requisites`).
 *
 * @example buildGraph(compileSls(['webapp'], env).chunks).edges // [{from: 0, to: 2, kind: 'require'}, …]
 */
export function buildGraph(chunks: readonly LowChunk[], disabled: ReadonlySet<string> = new Set()): StateGraph {
  const index = new RequisiteIndex(chunks);
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  chunks.forEach((c, to) => {
    for (const kind of GRAPH_KINDS) {
      if (disabled.has(kind)) continue;
      for (const raw of entriesOf(c[kind])) {
        const e = parseEntry(raw);
        if (e.value === null) continue;
        for (const from of index.findIndexes(e.key, e.value)) {
          const key = `${from} ${to} ${kind}`;
          if (from === to || seen.has(key)) continue;
          seen.add(key);
          edges.push({ from, to, kind });
        }
      }
    }
  });
  const before = predecessors(chunks.length, edges);
  const order = executionOrder(before);
  const depth = new Array<number>(chunks.length).fill(0);
  for (const n of order) for (const p of before[n]!) depth[n] = Math.max(depth[n]!, depth[p]! + 1);
  const step = new Array<number>(chunks.length).fill(0);
  order.forEach((n, k) => (step[n] = k));
  const nodes = chunks.map((c, i) => ({
    tag: chunkTag(c),
    id: c.__id__,
    name: String(c.name),
    state: c.state,
    fun: c.fun,
    sls: c.__sls__ === null ? null : String(c.__sls__),
    step: step[i]!,
    depth: depth[i]!,
  }));
  return { nodes, edges };
}

/**
 * For each node, the nodes that execute before it because of a requisite. A prereq holder runs before its
 * target, but after the target's own requisites (the target's test run needs them).
 */
function predecessors(n: number, edges: GraphEdge[]): number[][] {
  const before: number[][] = Array.from({ length: n }, () => []);
  for (const e of edges) if (ORDERING.includes(e.kind)) before[e.to]!.push(e.from);
  const ordering = before.map((l) => [...l]);
  for (const e of edges) {
    if (e.kind !== 'prereq') continue;
    before[e.to]!.push(...ordering[e.from]!);
    before[e.from]!.push(e.to);
  }
  return before;
}

/** The runner's walk: chunks in compiled order, each pulling its requisites forward depth first. */
function executionOrder(before: number[][]): number[] {
  const out: number[] = [];
  const state = new Array<0 | 1 | 2>(before.length).fill(0);
  const visit = (root: number): void => {
    // Iterative DFS (deep chains must not overflow the stack); a cycle (rejected by the compiler) is cut.
    const stack: { n: number; k: number }[] = [{ n: root, k: 0 }];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = before[top.n]![top.k++];
      if (next === undefined) {
        stack.pop();
        state[top.n] = 2;
        out.push(top.n);
      } else if (state[next] === 0) {
        state[next] = 1;
        stack.push({ n: next, k: 0 });
      }
    }
  };
  for (let i = 0; i < before.length; i++) if (state[i] === 0) visit(i);
  return out;
}

/** DOT attributes per requisite kind (the label is always the kind). */
const EDGE_STYLE: Record<string, string> = {
  require: '',
  require_any: 'style=solid, arrowhead=empty',
  watch: 'style=dashed, color=blue, fontcolor=blue',
  watch_any: 'style=dashed, color=blue, fontcolor=blue, arrowhead=empty',
  onchanges: 'style=dotted, color=darkorange, fontcolor=darkorange',
  onchanges_any: 'style=dotted, color=darkorange, fontcolor=darkorange, arrowhead=empty',
  onfail: 'color=red, fontcolor=red',
  onfail_any: 'color=red, fontcolor=red, arrowhead=empty',
  onfail_all: 'color=red, fontcolor=red, style=bold',
  // prereq runs the dependant first and listen does not order at all: neither may pull ranks.
  prereq: 'style=bold, color=purple, fontcolor=purple, constraint=false',
  listen: 'style=dashed, color=teal, fontcolor=teal, constraint=false',
};

/** Node fill per outcome: green ok, cyan changed, red failed, yellow would change (test run). */
function statusAttrs(s: NodeStatus | undefined): string {
  if (!s) return 'style="rounded,dashed", color=gray50, fontcolor=gray40';
  if (s.result === false) return 'fillcolor=red, color=darkred, fontcolor=white';
  if (s.result === null) return 'fillcolor=yellow, color=goldenrod';
  return s.changes ? 'fillcolor=cyan, color=darkcyan' : 'fillcolor=palegreen, color=darkgreen';
}

/**
 * A DOT string literal: quotes and backslashes escaped, line breaks as `\n` (a centred line in a label),
 * other control characters as spaces.
 */
export function dotString(s: string): string {
  const body = s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n?|\n/g, '\\n')
    .replace(/[\u0000-\u001f\u007f]/g, ' ');
  return `"${body}"`;
}

function resultText(s: NodeStatus): string {
  const r = s.result === null ? 'None' : s.result ? 'True' : 'False';
  return `result: ${r}${s.changes ? ' (changed)' : ''}${s.comment ? `\n${s.comment}` : ''}`;
}

function nodeLine(n: GraphNode, i: number, total: number, o: DotOptions): string {
  const tip = [`name: ${n.name}`, `sls: ${n.sls ?? '(none)'}`, `step ${n.step + 1} of ${total}`];
  const s = o.status?.[n.tag];
  if (s) tip.push(resultText(s));
  const attrs = [`label=${dotString(`${n.id}\n${n.state}.${n.fun}`)}`, `tooltip=${dotString(tip.join('\n'))}`];
  if (o.status) attrs.push(statusAttrs(s));
  return `  n${i} [${attrs.join(', ')}];`;
}

function edgeLine(e: GraphEdge): string {
  const style = EDGE_STYLE[e.kind];
  return `  n${e.from} -> n${e.to} [label=${dotString(e.kind)}${style ? `, ${style}` : ''}];`;
}

/** Rank statements: a chain of invisible edges in execution order, or one `rank=same` group per depth. */
function rankLines(g: StateGraph, mode: 'order' | 'depth'): string[] {
  const byStep = g.nodes.map((_, i) => i).sort((a, b) => g.nodes[a]!.step - g.nodes[b]!.step);
  if (mode === 'order') {
    if (byStep.length < 2) return [];
    return [`  ${byStep.map((i) => `n${i}`).join(' -> ')} [style=invis];`];
  }
  const groups = new Map<number, number[]>();
  for (const i of byStep) {
    const d = g.nodes[i]!.depth;
    groups.set(d, [...(groups.get(d) ?? []), i]);
  }
  return [...groups.keys()].sort((a, b) => a - b).map((d) => `  { rank=same; ${groups.get(d)!.map((i) => `n${i};`).join(' ')} }`);
}

/**
 * Render a state graph as a DOT `digraph`. Nodes are listed in execution order.
 *
 * @example toDot(buildGraph(chunks), { title: 'webapp' }) // 'digraph "webapp" {\n  graph [rankdir=TB …'
 */
export function toDot(g: StateGraph, o: DotOptions = {}): string {
  const title = o.title ?? 'states';
  const lines = [
    `digraph ${dotString(title)} {`,
    `  graph [rankdir=TB, label=${dotString(title)}, labelloc=t, fontname="Helvetica", newrank=true];`,
    '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const byStep = g.nodes.map((_, i) => i).sort((a, b) => g.nodes[a]!.step - g.nodes[b]!.step);
  for (const i of byStep) lines.push(nodeLine(g.nodes[i]!, i, g.nodes.length, o));
  for (const e of g.edges) lines.push(edgeLine(e));
  lines.push(...rankLines(g, o.ranks ?? 'order'));
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
