/**
 * `halite call state.show_graph` through the compiled CLI on a temp tree: the DOT parses with Graphviz's real
 * `dot` (installed here with apt-get when missing), format=svg works, and after a real run with one failing
 * state `--from-last-run` / `from_last_run=True` colour that state red.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../../helpers/cli.js';

const SECRET = 's3cr3t-pass-phrase';
const root = mkdtempSync(join(tmpdir(), 'halite-graph-'));
const etc = join(root, 'etc');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text.split('@TMP@').join(join(root, 'tmp')));
}

write(
  'etc/minion',
  [
    'file_client: local',
    'id: graphtest',
    `file_roots: {base: [${root}/srv]}`,
    `pillar_roots: {base: [${root}/pillar]}`,
    `cachedir: ${root}/cache`,
    '',
  ].join('\n'),
);
write('pillar/top.sls', "base:\n  '*':\n    - db\n");
write('pillar/db.sls', `db:\n  password: ${SECRET}\n`);
write('srv/pkgs.sls', 'tools:\n  test.succeed_without_changes: []\n');
write(
  'srv/web.sls',
  [
    'include:',
    '  - pkgs',
    'conf:',
    '  file.managed:',
    '    - name: @TMP@/app.conf',
    '    - makedirs: True',
    '    - contents: hello',
    '    - require:',
    '      - sls: pkgs',
    'broken:',
    '  cmd.run:',
    "    - name: 'exit 3'",
    '    - watch:',
    '      - file: conf',
    'login:',
    '  cmd.run:',
    "    - name: echo {{ pillar['db']['password'] }}",
    '    - onchanges:',
    '      - file: conf',
    'rescue:',
    '  cmd.run:',
    '    - name: echo rescue',
    '    - onfail:',
    '      - cmd: broken',
    '"quote \\"me\\"":',
    '  test.nop:',
    '    - require:',
    '      - cmd: login',
    '',
  ].join('\n'),
);
write('srv/bad.sls', 'x:\n  cmd.run:\n    - require:\n      - cmd: nowhere\n');

const call = (...args: string[]) => runCli(['call', '--config-dir', etc, ...args], { timeoutMs: 60_000 });

/** The value under `local` of a `--out json` call. */
async function json(...args: string[]): Promise<unknown> {
  const r = await call('--out', 'json', ...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { local: unknown }).local;
}

function dotTo(format: string, text: string): { code: number; out: string; err: string } {
  const r = spawnSync('dot', [`-T${format}`], { input: text, encoding: 'utf8' });
  return { code: r.status ?? 1, out: r.stdout, err: r.stderr };
}

/** The attribute list of the node labelled `id\nmod.fun`. */
function nodeLine(dot: string, label: string): string {
  return dot.split('\n').find((l) => l.includes(`[label="${label}"`)) ?? '';
}

beforeAll(async () => {
  await ensureBuilt();
  if (spawnSync('dot', ['-V']).status !== 0) {
    const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'graphviz'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`apt-get install graphviz failed: ${r.stderr}`);
  }
}, 600_000);

describe('halite call state.show_graph', () => {
  it('prints DOT that Graphviz parses; one node per chunk, edges per requisite kind', async () => {
    const dot = (await json('state.show_graph', 'web')) as string;
    expect(dot).toMatch(/^digraph "web \(saltenv base\)" \{/);
    for (const label of ['tools\\ntest.succeed_without_changes', 'conf\\nfile.managed', 'broken\\ncmd.run', 'quote \\"me\\"\\ntest.nop']) {
      expect(nodeLine(dot, label)).not.toBe('');
    }
    expect(dot).toMatch(/label="watch", style=dashed/);
    expect(dot).toMatch(/label="onchanges", style=dotted/);
    expect(dot).toMatch(/label="onfail", color=red/);
    const svg = dotTo('svg', dot);
    expect(svg.err).toBe('');
    expect(svg.code).toBe(0);
    expect(svg.out).toContain('<svg');
    expect(svg.out).toContain('quote &quot;me&quot;');
  });

  it('the default nested outputter prints the DOT text line by line under local:', async () => {
    const r = await call('state.show_graph', 'web');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('local:');
    expect(lines[1]).toBe('    digraph "web (saltenv base)" {');
    expect(lines).toContain('    }');
  });

  it('format=svg runs dot -Tsvg', async () => {
    const svg = (await json('state.show_graph', 'web', 'format=svg')) as string;
    expect(svg).toContain('<svg');
    expect(svg).toContain('conf');
  });

  it('compile errors: the error list and exit 1', async () => {
    const r = await call('state.show_graph', 'bad');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("The require requisite 'cmd: nowhere'");
  });

  it('after a real run with a failing state, --from-last-run colours it red (and the others by outcome)', async () => {
    const run = await call('--out', 'json', 'state.sls', 'web');
    expect(run.code).toBe(1);
    const ret = (JSON.parse(run.stdout) as { local: Record<string, { result: boolean }> }).local;
    expect(ret['cmd_|-broken_|-exit 3_|-run']!.result).toBe(false);

    const flag = await call('--out', 'json', '--from-last-run', 'state.show_graph', 'web');
    expect(flag.code).toBe(0);
    const dot = (JSON.parse(flag.stdout) as { local: string }).local;
    expect(nodeLine(dot, 'broken\\ncmd.run')).toContain('fillcolor=red');
    expect(nodeLine(dot, 'conf\\nfile.managed')).toContain('fillcolor=cyan');
    expect(nodeLine(dot, 'tools\\ntest.succeed_without_changes')).toContain('fillcolor=palegreen');
    expect(nodeLine(dot, 'rescue\\ncmd.run')).toContain('fillcolor=cyan');
    expect(dotTo('svg', dot).code).toBe(0);

    const kwarg = (await json('state.show_graph', 'web', 'from_last_run=True')) as string;
    expect(nodeLine(kwarg, 'broken\\ncmd.run')).toContain('fillcolor=red');

    // The record is a masked summary, private to root.
    const file = join(root, 'cache', 'last-run.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('broken');
    expect(text).not.toContain(SECRET);
  });

  it('a test run records None: yellow', async () => {
    await call('state.sls', 'web', 'test=True');
    const dot = (await json('state.show_graph', 'web', 'from_last_run=True')) as string;
    expect(dot).toContain('test=True');
    expect(nodeLine(dot, 'conf\\nfile.managed')).toMatch(/fillcolor=(yellow|palegreen)/);
    expect(dot).toContain('fillcolor=yellow');
  });
});
