/**
 * bench/compile: render + compile generated trees of 1,000 and 10,000 states (200 / 2,000 SLS files, 5 states
 * each, with includes, a shared map.jinja import, pillar lookups, Jinja loops and requisites), measured as a whole
 * process: `halite call state.show_lowstate --out json`. Wall time, CPU time and peak memory.
 *
 * Run: `npx tsc -p tsconfig.json && node dist/bench/compile.js [runs] [--profile] [--no-snapshot]`
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, repeat, snapshotCli, summaryTable, type Measurement } from './lib.js';
import { profileRun, loadProfile, render, summarise } from './profile.js';

/** States per generated SLS file. */
export const STATES_PER_FILE = 5;

/**
 * One SLS file: 4 looped `test.succeed_without_changes` states chained by `require`, then a `test.nop` that
 * requires the last one, the whole previous file (`sls:`) and watches the previous file's last state. Every
 * requisite target exists (halite refuses dangling requisites).
 */
function slsBody(f: number, g: number, first: boolean, imports: boolean): string {
  const prev = `app.g${g}.s${f - 1}`;
  const lines = [
    imports
      ? "{% from 'app/map.jinja' import cfg with context %}"
      : "{% set cfg = salt['pillar.get']('bench', {'base': '/tmp/halite-bench', 'owner': 'root'}, merge=True) %}",
    ...(first ? [] : ['include:', `  - ${prev}`]),
    '{% for i in range(4) %}',
    `s${f}_state_{{ i }}:`,
    '  test.succeed_without_changes:',
    `    - name: {{ cfg.base }}/s${f}/{{ i }}`,
    `    - comment: {{ cfg.owner | upper }} state {{ loop.index }} of s${f}`,
    '    {%- if i > 0 %}',
    '    - require:',
    `      - test: s${f}_state_{{ i - 1 }}`,
    '    {%- endif %}',
    '{% endfor %}',
    `s${f}_last:`,
    '  test.nop:',
    '    - require:',
    `      - test: s${f}_state_3`,
    ...(first ? [] : [`      - sls: ${prev}`, '    - watch:', `      - test: s${f - 1}_last`]),
  ];
  return lines.join('\n') + '\n';
}

/**
 * Writes a tree of `files` SLS files (groups of 10 chained by `include`; top.sls lists each group's last file) plus
 * pillar and a minion config into root; returns the config dir. `imports: false` inlines map.jinja's one line in
 * each SLS instead of `{% from 'app/map.jinja' import cfg with context %}` (to price the import).
 */
export function generateTree(root: string, files: number, imports = true): string {
  const srv = join(root, 'srv');
  const pillar = join(root, 'pillar');
  mkdirSync(join(srv, 'app'), { recursive: true });
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(pillar, { recursive: true });
  writeFileSync(
    join(srv, 'app', 'map.jinja'),
    [
      "{% set defaults = {'base': '/tmp/halite-bench', 'owner': 'root'} %}",
      "{% set cfg = salt['pillar.get']('bench', defaults, merge=True) %}",
      '',
    ].join('\n'),
  );
  const top: string[] = ['base:', "  '*':"];
  for (let f = 0; f < files; f++) {
    const g = Math.floor(f / 10);
    const dir = join(srv, 'app', `g${g}`);
    if (f % 10 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `s${f}.sls`), slsBody(f, g, f % 10 === 0, imports));
    if (f % 10 === 9 || f === files - 1) top.push(`    - app.g${g}.s${f}`);
  }
  writeFileSync(join(srv, 'top.sls'), top.join('\n') + '\n');
  writeFileSync(join(pillar, 'top.sls'), "base:\n  '*':\n    - bench\n");
  writeFileSync(join(pillar, 'bench.sls'), 'bench:\n  owner: benchuser\n');
  writeFileSync(
    join(root, 'etc', 'minion'),
    `id: bench\nfile_roots:\n  base: [${srv}]\npillar_roots:\n  base: [${pillar}]\ncachedir: ${join(root, 'cache')}\n`,
  );
  return join(root, 'etc');
}

/** Count of low chunks in `state.show_lowstate --out json` output. */
function lowNote(stdout: string): string {
  try {
    const j = JSON.parse(stdout) as { local?: unknown };
    return Array.isArray(j.local) ? `${j.local.length} low chunks` : `not a list: ${stdout.slice(0, 100)}`;
  } catch {
    return `bad JSON: ${stdout.slice(0, 100).replace(/\n/g, ' ')}`;
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const prof = args.includes('--profile');
  const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
  const CLI = snapshotCli();
  console.log(`## bench/compile (${new Date().toISOString()})\n\n${machine()}\n`);
  const groups: { label: string; runs: Measurement[]; items: number }[] = [];
  groups.push({ label: 'node -e 0 (Node start floor)', runs: repeat(runs, 'node', ['node', '-e', '0']), items: 1 });
  groups.push({ label: 'halite --help (CLI start floor)', runs: repeat(runs, 'help', ['node', CLI, '--help']), items: 1 });
  const profiles: string[] = [];
  for (const files of [200, 2000]) {
    const root = mkdtempSync(join(tmpdir(), `halite-compile-${files}-`));
    const etc = generateTree(root, files);
    const argv = ['node', CLI, 'call', '--config-dir', etc, '--out', 'json', 'state.show_lowstate'];
    const states = files * STATES_PER_FILE;
    // Cold: no compiled-template cache under cachedir (first run after an edit or on a new machine); warm: cached.
    const cold = { note: lowNote, timeoutSec: 180, before: () => rmSync(join(root, 'cache'), { recursive: true, force: true }) };
    groups.push({ label: `${states} states / ${files} SLS, cold cache`, runs: repeat(runs, `${states} cold`, argv, cold), items: states });
    groups.push({ label: `${states} states / ${files} SLS, warm cache`, runs: repeat(runs, `${states} warm`, argv, { note: lowNote, timeoutSec: 180 }), items: states });
    if (prof) profiles.push(render(summarise(loadProfile(profileRun(argv, 300)), 25), `profile: show_lowstate, ${states} states, warm cache`));
    rmSync(root, { recursive: true, force: true });
  }
  // The same 10,000 states without the per-SLS `{% from 'app/map.jinja' import … with context %}`.
  const root = mkdtempSync(join(tmpdir(), 'halite-compile-noimport-'));
  const etc = generateTree(root, 2000, false);
  const argv = ['node', CLI, 'call', '--config-dir', etc, '--out', 'json', 'state.show_lowstate'];
  repeat(1, 'warm-up', argv, { timeoutSec: 180 });
  groups.push({ label: '10000 states / 2000 SLS, warm, map.jinja inlined (no import)', runs: repeat(runs, '10000 noimport', argv, { note: lowNote, timeoutSec: 180 }), items: 10000 });
  rmSync(root, { recursive: true, force: true });
  console.log(summaryTable(groups));
  console.log(`\nload after: ${machine().split('uptime: ')[1]}\n`);
  for (const p of profiles) console.log(p);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) main();
