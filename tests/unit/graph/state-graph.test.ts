/** engine/functions/state-graph.ts: state.show_graph over a compiled tree, with a fake host for `dot`. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveLastRun } from '../../../engine/functions/last-run.js';
import { stateGraphModule } from '../../../engine/functions/state-graph.js';
import type { CommandResult, RunOptions } from '../../../engine/host/types.js';
import { CallOutput, type Dict, type ExecContext } from '../../../engine/types.js';
import { treeEnv } from '../compiler/helpers.js';

const tree = {
  'top.sls': "base:\n  '*':\n    - web\n",
  'web.sls': 'a:\n  cmd.run:\n    - name: "false"\nb:\n  cmd.run:\n    - require:\n      - cmd: a\n',
  'broken.sls': 'x:\n  cmd.run:\n    - require:\n      - cmd: nowhere\n',
};

interface Fake {
  ctx: ExecContext;
  runs: { argv: string[]; opts?: RunOptions }[];
  warnings: string[];
}

function fake(answer: CommandResult = { code: 0, stdout: '<svg/>', stderr: '' }): Fake {
  const { env } = treeEnv(tree, { opts: { cachedir: mkdtempSync(join(tmpdir(), 'halite-graph-')) } });
  const runs: Fake['runs'] = [];
  const warnings: string[] = [];
  const ctx = {
    opts: env.opts,
    grains: env.grains,
    pillar: env.pillar,
    saltenv: 'base',
    fileserver: env.fileserver,
    registry: { states: env.registry.states, exec: new Map() },
    log: { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} },
    host: {
      name: 'local',
      run: async (argv: string[], opts?: RunOptions) => {
        runs.push({ argv, opts });
        return answer;
      },
    },
  } as unknown as ExecContext;
  return { ctx, runs, warnings };
}

const showGraph = (ctx: ExecContext, args: unknown[] = [], kw: Dict = {}) => stateGraphModule.functions.show_graph!.fn(ctx, args, kw);

describe('state.show_graph', () => {
  it('returns DOT text for the SLS given (plain string data)', async () => {
    const out = await showGraph(fake().ctx, ['web']);
    expect(typeof out).toBe('string');
    expect(out as string).toMatch(/^digraph "web \(saltenv base\)" \{/);
    expect(out as string).toContain('n0 -> n1 [label="require"]');
  });

  it('no SLS: the highstate', async () => {
    expect(await showGraph(fake().ctx)).toMatch(/^digraph "highstate \(saltenv base\)"[\s\S]*label="b\\ncmd.run"/);
  });

  it('compile errors come back as the error list', async () => {
    const out = await showGraph(fake().ctx, ['broken']);
    expect(out).toBeInstanceOf(CallOutput);
    expect((out as CallOutput).kind).toBe('errors');
    expect(String((out as CallOutput).data)).toContain("The require requisite 'cmd: nowhere'");
  });

  it('format=svg pipes the DOT through `dot -Tsvg` on the host', async () => {
    const f = fake();
    expect(await showGraph(f.ctx, ['web'], { format: 'svg' })).toBe('<svg/>');
    expect(f.runs).toHaveLength(1);
    expect(f.runs[0]!.argv).toEqual(['dot', '-Tsvg']);
    expect(String(f.runs[0]!.opts?.stdin)).toMatch(/^digraph/);
  });

  it('format=svg without Graphviz: an error naming the package', async () => {
    const f = fake({ code: 127, stdout: '', stderr: 'dot: command not found' });
    await expect(showGraph(f.ctx, ['web'], { format: 'svg' })).rejects.toThrow(/needs Graphviz's 'dot'.*install the graphviz package/);
  });

  it('a bad format or ranks value is refused', async () => {
    await expect(showGraph(fake().ctx, ['web'], { format: 'png' })).rejects.toThrow("format must be one of dot, svg, not 'png'");
    await expect(showGraph(fake().ctx, ['web'], { ranks: 'x' })).rejects.toThrow('ranks must be one of order, depth');
  });

  it('from_last_run=True colours by the recorded run of the same SLS; none recorded: a warning', async () => {
    const f = fake();
    const none = (await showGraph(f.ctx, ['web'], { from_last_run: true })) as string;
    expect(none).toContain('no recorded run');
    expect(f.warnings[0]).toContain('no recorded run for state.sls web');
    saveLastRun(f.ctx, { saltenv: 'base', mods: ['web'], fun: 'state.sls', test: false }, {
      'cmd_|-a_|-false_|-run': { name: 'false', result: false, comment: 'Command "false" run', changes: { retcode: 1 }, __run_num__: 0 },
      'cmd_|-b_|-b_|-run': { name: 'b', result: false, comment: 'One or more requisite failed: web.a', changes: {}, __run_num__: 1 },
    });
    const dot = (await showGraph(f.ctx, ['web'], { from_last_run: 'True' })) as string;
    expect(dot).toMatch(/n0 \[label="a\\ncmd.run", [^\n]*fillcolor=red/);
    expect(dot).toContain('One or more requisite failed: web.a');
    expect(await showGraph(f.ctx, ['web'])).not.toContain('fillcolor=red');
  });
});
