/**
 * bench/apply: 1,000 `file.managed` states (contents inline, every 4th with a mode) — first apply, second (no-op)
 * apply and test=True — whole process, compared in the same run with Puppet (`puppet apply`, 1,000 `file`
 * resources, `--noop`), Ansible (`ansible-playbook`, connection local, 100 `copy` tasks, `--check`) and a floor (a
 * bare Node process that stats, reads and sha256-hashes the same 1,000 files).
 *
 * Run: `npx tsc -p tsconfig.json && node dist/bench/apply.js [--runs 5] [--slow-runs 2] [--profile] [--no-puppet]
 * [--no-ansible] [--no-snapshot]`. Needs `apt-get install -y puppet ansible-core` for the comparisons (skipped when missing).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ansiblePlaybook, haliteTree, puppetManifest } from './apply-trees.js';
import { cpuSec, highstateNote, machine, repeat, snapshotCli, summaryTable, type Measurement } from './lib.js';
import { loadProfile, profileRun, render, summarise } from './profile.js';

const N = 1000;
const ANSIBLE_N = 100;

interface Group { label: string; tool: string; scenario: string; runs: Measurement[]; items: number }

function opt(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const reset = (dir: string) => (): void => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
};

function puppetNote(stdout: string, stderr: string): string {
  const all = stdout + stderr;
  const events = (all.match(/Notice: \/Stage\[main\]/g) ?? []).length;
  const applied = /Applied catalog in ([\d.]+) seconds/.exec(all);
  const errors = (all.match(/^Error:/gm) ?? []).length;
  return `events=${events}${applied ? ` catalog ${applied[1]} s` : ''}${errors ? ` errors=${errors}` : ''}`;
}

function ansibleNote(stdout: string): string {
  const r = /ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/.exec(stdout);
  return r ? `ok=${r[1]} changed=${r[2]} failed=${r[4]}` : stdout.trim().split('\n').pop()?.slice(0, 100) ?? '';
}

function halite(CLI: string, root: string, runs: number, groups: Group[]): { etc: string; target: string } {
  const target = join(root, 't', 'halite');
  const etc = haliteTree(join(root, 'halite'), target, N);
  const call = (...w: string[]): string[] => ['node', CLI, 'call', '--config-dir', etc, ...w];
  const o = { note: highstateNote, timeoutSec: 120 };
  const g = (scenario: string, label: string, ms: Measurement[], items = N): void =>
    void groups.push({ label, tool: 'halite', scenario, runs: ms, items });
  g('start', 'halite call test.ping (start-up floor)', repeat(runs, 'ping', call('test.ping'), { timeoutSec: 60 }), 1);
  g('first', 'halite first apply', repeat(runs, 'first', call('state.apply'), { ...o, before: reset(target) }));
  g('noop', 'halite no-op apply', repeat(runs, 'noop', call('state.apply'), o));
  g('noop', 'halite no-op apply --out json', repeat(runs, 'noop-json', call('--out', 'json', 'state.apply'), { timeoutSec: 120 }));
  g('test', 'halite test=True (converged)', repeat(runs, 'test', call('state.apply', 'test=True'), o));
  g('floor', 'floor: node stat+read+sha256', repeat(runs, 'floor', ['node', join(import.meta.dirname, 'floor.js'), target], { note: (s) => s.trim().slice(0, 12) }));
  return { etc, target };
}

function puppet(root: string, runs: number, groups: Group[]): void {
  const target = join(root, 't', 'puppet');
  const pdir = join(root, 'puppet');
  const pp = puppetManifest(pdir, target, N);
  const dirs = ['--confdir', join(pdir, 'conf'), '--vardir', join(pdir, 'var'), '--codedir', join(pdir, 'code'), '--logdir', join(pdir, 'log')];
  const argv = (...x: string[]): string[] => ['puppet', 'apply', ...dirs, ...x, pp];
  const o = { note: puppetNote, timeoutSec: 300 };
  const g = (scenario: string, label: string, ms: Measurement[]): void => void groups.push({ label, tool: 'puppet', scenario, runs: ms, items: N });
  g('first', 'puppet apply, first', repeat(runs, 'first', argv(), { ...o, before: reset(target) }));
  g('noop', 'puppet apply, second (no-op)', repeat(runs, 'noop', argv(), o));
  g('test', 'puppet apply --noop (converged)', repeat(runs, 'test', argv('--noop'), o));
}

function ansible(root: string, runs: number, groups: Group[]): void {
  const target = join(root, 't', 'ansible');
  const adir = join(root, 'ansible');
  const play = ansiblePlaybook(adir, target, ANSIBLE_N);
  const env = { ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: 'false', ANSIBLE_HOME: join(adir, 'home'), ANSIBLE_LOCAL_TEMP: join(adir, 'tmp') };
  const argv = (...x: string[]): string[] => ['ansible-playbook', '-i', join(adir, 'inventory'), ...x, play];
  const o = { note: ansibleNote, env, timeoutSec: 600 };
  const g = (scenario: string, label: string, ms: Measurement[]): void =>
    void groups.push({ label, tool: 'ansible', scenario, runs: ms, items: ANSIBLE_N });
  g('first', 'ansible copy ×100, first', repeat(runs, 'first', argv(), { ...o, before: reset(target) }));
  g('noop', 'ansible copy ×100, second (no-op)', repeat(runs, 'noop', argv(), o));
  g('test', 'ansible --check (converged)', repeat(runs, 'test', argv('--check'), o));
}

/** Per-item cost of each tool beside halite's, scenario by scenario (min CPU and min wall per item). */
function ratioTable(groups: Group[]): string {
  const per = (g: Group, f: (m: Measurement) => number): number => (Math.min(...g.runs.map(f)) * 1000) / g.items;
  const wall = (m: Measurement): number => m.wallSec;
  const rows = ['| scenario | tool | items | wall ms/item | CPU ms/item | CPU ÷ halite | wall ÷ halite |', '|---|---|---|---|---|---|---|'];
  for (const sc of ['first', 'noop', 'test']) {
    const h = groups.find((g) => g.tool === 'halite' && g.scenario === sc);
    if (!h) continue;
    const others = groups.filter((g) => g.scenario === sc || (sc === 'noop' && g.scenario === 'floor'));
    for (const g of others) {
      const c = per(g, cpuSec) / per(h, cpuSec);
      const w = per(g, wall) / per(h, wall);
      rows.push(`| ${sc} | ${g.label} | ${g.items} | ${per(g, wall).toFixed(2)} | ${per(g, cpuSec).toFixed(2)} | ${c.toFixed(2)} | ${w.toFixed(2)} |`);
    }
  }
  return rows.join('\n');
}

function main(): void {
  const runs = opt('--runs', 5);
  const slow = opt('--slow-runs', 2);
  const root = mkdtempSync(join(tmpdir(), 'halite-apply-'));
  const groups: Group[] = [];
  console.log(`## bench/apply (${new Date().toISOString()})\n\n${machine()}\n`);
  groups.push({ label: 'node -e 0 (Node start)', tool: 'node', scenario: 'start', runs: repeat(runs, 'node', ['node', '-e', '0']), items: 1 });
  const CLI = snapshotCli();
  const { etc, target } = halite(CLI, root, runs, groups);
  let prof = '';
  if (process.argv.includes('--profile')) {
    const argv = ['node', CLI, 'call', '--config-dir', etc, 'state.apply'];
    reset(target)();
    prof = render(summarise(loadProfile(profileRun(argv, 300)), 25), 'profile: halite first apply, 1,000 file.managed');
    prof += '\n' + render(summarise(loadProfile(profileRun(argv, 300)), 25), 'profile: halite no-op apply, 1,000 file.managed');
  }
  if (!process.argv.includes('--no-puppet')) {
    if (has('puppet')) puppet(root, slow, groups);
    else console.log('puppet not installed: skipped (apt-get install -y puppet)');
  }
  if (!process.argv.includes('--no-ansible')) {
    if (has('ansible-playbook')) ansible(root, slow, groups);
    else console.log('ansible-playbook not installed: skipped (apt-get install -y ansible-core)');
  }
  console.log(summaryTable(groups));
  console.log(`\n${ratioTable(groups)}\n`);
  console.log(`load after: ${machine().split('uptime: ')[1]}\n`);
  if (prof) console.log(prof);
  rmSync(root, { recursive: true, force: true });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) main();
