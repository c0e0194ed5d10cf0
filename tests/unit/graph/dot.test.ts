/** engine/graph/dot.ts: the requisite graph of compiled chunks and its DOT text. */
import { describe, expect, it } from 'vitest';
import { compileSls } from '../../../engine/compiler/index.js';
import { buildGraph, dotString, toDot, type StateGraph } from '../../../engine/graph/dot.js';
import type { LowChunk } from '../../../engine/types.js';
import { treeEnv } from '../compiler/helpers.js';

const tree = {
  'pkgs.sls': 'git:\n  pkg.installed: []\ncurl:\n  pkg.installed: []\n',
  'web.sls': [
    'include:',
    '  - pkgs',
    'conf:',
    '  file.managed:',
    '    - name: /etc/app.conf',
    '    - require:',
    '      - sls: pkgs',
    'app:',
    '  service.running:',
    '    - watch:',
    '      - file: conf',
    '    - require_in:',
    '      - cmd: notify',
    'notify:',
    '  cmd.run:',
    '    - name: echo "hi"',
    '    - onchanges:',
    '      - service: app',
    'rescue:',
    '  cmd.run:',
    '    - onfail:',
    '      - service: app',
    'backup:',
    '  cmd.run:',
    '    - prereq:',
    '      - file: conf',
    'logger:',
    '  cmd.run:',
    '    - listen:',
    '      - file: conf',
    '"say \\"hi\\"\\nthere":',
    '  test.nop:',
    '    - require:',
    '      - id: conf',
    '',
  ].join('\n'),
};

const WEIRD = 'say "hi"\nthere';

function compiled(): { chunks: LowChunk[]; graph: StateGraph } {
  const { env } = treeEnv(tree);
  const chunks = compileSls(['web'], env).chunks;
  return { chunks, graph: buildGraph(chunks) };
}

/** Edges as `from -kind-> to` by ID, sorted. */
function edgeList(g: StateGraph): string[] {
  return g.edges.map((e) => `${g.nodes[e.from]!.id} -${e.kind}-> ${g.nodes[e.to]!.id}`).sort();
}

describe('buildGraph over a compiled tree', () => {
  it('one edge per (target, dependant, kind): sls requisites to every chunk, *_in rewritten, use-free', () => {
    expect(edgeList(compiled().graph)).toEqual(
      [
        'git -require-> conf',
        'curl -require-> conf',
        'conf -watch-> app',
        'app -require-> notify',
        'app -onchanges-> notify',
        'app -onfail-> rescue',
        'conf -prereq-> backup',
        'conf -listen-> logger',
        `conf -require-> ${WEIRD}`,
      ].sort(),
    );
  });

  it('execution order pulls requisites forward; prereq runs the dependant before its target', () => {
    const { graph } = compiled();
    const byStep = [...graph.nodes].sort((a, b) => a.step - b.step).map((n) => n.id);
    expect(byStep).toEqual(['git', 'curl', 'backup', 'conf', 'app', 'notify', 'rescue', 'logger', WEIRD]);
  });

  it('depth is the longest ordering chain (listen does not order; a prereq holder waits for its target\'s requisites)', () => {
    const { graph } = compiled();
    const depth = Object.fromEntries(graph.nodes.map((n) => [n.id, n.depth]));
    expect(depth).toEqual({ git: 0, curl: 0, backup: 1, conf: 2, app: 3, notify: 4, rescue: 4, logger: 0, [WEIRD]: 3 });
  });

  it('disabled requisite kinds draw no edge', () => {
    const { chunks } = compiled();
    const g = buildGraph(chunks, new Set(['watch', 'onfail']));
    expect(edgeList(g).some((e) => e.includes('-watch->') || e.includes('-onfail->'))).toBe(false);
    expect(edgeList(g)).toContain('app -onchanges-> notify');
  });
});

const chunk = (id: string, state: string, fun: string, extra: Partial<LowChunk> = {}): LowChunk => ({
  state,
  fun,
  name: id,
  __id__: id,
  __sls__: 'x',
  __env__: 'base',
  ...extra,
});

describe('buildGraph: matching rules (the compiler matcher)', () => {
  const cases: { what: string; chunks: LowChunk[]; edges: string[] }[] = [
    {
      what: 'globs on name or ID, module must match unless id:',
      chunks: [
        chunk('web1', 'cmd', 'run'),
        chunk('web2', 'file', 'managed'),
        chunk('dep', 'test', 'nop', { require: [{ cmd: 'web*' }], watch_any: [{ id: 'web2' }] }),
      ],
      edges: ['web1 -require-> dep', 'web2 -watch_any-> dep'],
    },
    {
      what: 'bare strings and mod.fun keys; null entries and unmatched targets draw nothing',
      chunks: [
        chunk('a', 'cmd', 'run', { name: 'echo a' }),
        chunk('b', 'test', 'nop', { onchanges_any: ['a'], onfail_all: [{ 'cmd.run': 'echo a' }], require: [{ cmd: null }, 'nope'] }),
      ],
      edges: ['a -onchanges_any-> b', 'a -onfail_all-> b'],
    },
    {
      what: 'duplicates collapse; names siblings never point at themselves',
      chunks: [chunk('a', 'cmd', 'run'), chunk('b', 'cmd', 'run', { require: ['a', { cmd: 'a' }, 'b'] })],
      edges: ['a -require-> b'],
    },
  ];
  it.each(cases)('$what', ({ chunks, edges }) => {
    expect(edgeList(buildGraph(chunks))).toEqual(edges);
  });
});

describe('toDot', () => {
  const { graph } = compiled();
  const dot = toDot(graph, { title: 'web' });
  const idx = (id: string) => graph.nodes.findIndex((n) => n.id === id);
  const edge = (from: string, to: string) => dot.split('\n').find((l) => l.startsWith(`  n${idx(from)} -> n${idx(to)} `)) ?? '';

  it('a digraph with one node per chunk labelled ID\\nmodule.fun, tooltip with name and SLS', () => {
    expect(dot.startsWith('digraph "web" {\n')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    expect(dot.match(/^ {2}n\d+ \[label=/gm)).toHaveLength(9);
    expect(dot).toContain(`n${idx('conf')} [label="conf\\nfile.managed", tooltip="name: /etc/app.conf\\nsls: web\\nstep 4 of 9"]`);
    expect(dot).toContain(`n${idx('notify')} [label="notify\\ncmd.run", tooltip="name: echo \\"hi\\"\\nsls: web`);
  });

  it('quotes, newlines and backslashes in IDs are escaped', () => {
    expect(dot).toContain(`n${idx(WEIRD)} [label="say \\"hi\\"\\nthere\\ntest.nop"`);
    expect(dotString('a\\Nb\r\nc\td')).toBe('"a\\\\Nb\\nc d"');
  });

  it.each([
    ['git', 'conf', 'label="require"]'],
    ['conf', 'app', 'label="watch", style=dashed'],
    ['app', 'rescue', 'label="onfail", color=red'],
    ['conf', 'backup', 'label="prereq", style=bold'],
    ['conf', 'logger', 'label="listen", style=dashed'],
  ])('edge %s -> %s is labelled and styled per kind', (from, to, attrs) => {
    expect(edge(from, to)).toContain(attrs);
  });

  it('onchanges is dotted (and parallel to the require of the same pair)', () => {
    const lines = dot.split('\n').filter((l) => l.startsWith(`  n${idx('app')} -> n${idx('notify')} `));
    expect(lines).toHaveLength(2);
    expect(lines.find((l) => l.includes('"onchanges"'))).toContain('style=dotted');
  });

  it('ranks: an invisible chain in execution order by default, rank=same groups by depth on request', () => {
    const chain = ['git', 'curl', 'backup', 'conf', 'app', 'notify', 'rescue', 'logger', WEIRD].map((id) => `n${idx(id)}`).join(' -> ');
    expect(dot).toContain(`  ${chain} [style=invis];`);
    const deep = toDot(graph, { ranks: 'depth' });
    expect(deep).not.toContain('style=invis');
    expect(deep).toContain(`{ rank=same; n${idx('git')}; n${idx('curl')}; n${idx('logger')}; }`);
    expect(deep).toContain(`{ rank=same; n${idx('backup')}; }`);
    expect(deep).toContain(`{ rank=same; n${idx('notify')}; n${idx('rescue')}; }`);
  });

  it('nodes are coloured by a run: green ok, cyan changed, red failed, yellow None, dashed when absent', () => {
    const tag = (id: string) => graph.nodes[idx(id)]!.tag;
    const coloured = toDot(graph, {
      status: {
        [tag('git')]: { result: true, changes: false },
        [tag('conf')]: { result: true, changes: true },
        [tag('app')]: { result: false, changes: false, comment: 'Service app failed to start' },
        [tag('notify')]: { result: null, changes: true },
      },
    });
    const line = (id: string) => coloured.split('\n').find((l) => l.startsWith(`  n${idx(id)} [`)) ?? '';
    expect(line('git')).toContain('fillcolor=palegreen');
    expect(line('conf')).toContain('fillcolor=cyan');
    expect(line('app')).toContain('fillcolor=red');
    expect(line('app')).toContain('result: False\\nService app failed to start');
    expect(line('notify')).toContain('fillcolor=yellow');
    expect(line('rescue')).toContain('style="rounded,dashed"');
    expect(dot).not.toContain('fillcolor=red');
  });

  it('an empty graph is still a valid digraph', () => {
    expect(toDot({ nodes: [], edges: [] }, { title: 'none' })).toMatch(/^digraph "none" \{\n[\s\S]*\n\}\n$/);
  });
});
