/**
 * Shared helpers for benchmarks: run a whole process under GNU time (`/usr/bin/time`) and a `timeout`, read wall
 * time, CPU time (user+sys, children included) and peak RSS; summarise runs; print Markdown tables.
 * Benchmarks measure; they never assert. Reports are written by hand from their output (bench/REPORT.md).
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { closeSync, cpSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measurement {
  label: string;
  wallSec: number;
  userSec: number;
  sysSec: number;
  /** Largest resident set of the process or any descendant it waited for (wait4's ru_maxrss). */
  maxRssMiB: number;
  code: number;
  stdoutBytes: number;
  /** What the run reported about itself (changed counts…), filled by a caller-supplied `note` function. */
  note: string;
  /** Load average (1 min) just before the run. */
  load1: number;
}

export interface MeasureOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the run after this many seconds (default 300). */
  timeoutSec?: number;
  /** Turns stdout/stderr into a short note (e.g. "changed=1000"). */
  note?: (stdout: string, stderr: string) => string;
}

const f2 = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : '?');

/** CPU seconds (user + sys). */
export const cpuSec = (m: Measurement): number => m.userSec + m.sysSec;

/**
 * Run argv under GNU time and `timeout`; wall/user/sys seconds and peak RSS include every descendant process
 * (Ansible's and Puppet's helpers too), since wait4 folds reaped children into the figures.
 */
export function measure(label: string, argv: string[], opts: MeasureOptions = {}): Measurement {
  const dir = mkdtempSync(join(tmpdir(), 'halite-bench-'));
  const out = join(dir, 'time');
  const timeoutSec = opts.timeoutSec ?? 300;
  const load1 = loadavg()[0];
  // stdout/stderr go to files, not pipes: a pipe adds back-pressure to the measured process, and a CLI that exits
  // before a pipe drains would lose output (files are written synchronously).
  const outFd = openSync(join(dir, 'stdout'), 'w');
  const errFd = openSync(join(dir, 'stderr'), 'w');
  let r: ReturnType<typeof spawnSync>;
  let line = '';
  let stdout = '';
  let stderr = '';
  try {
    r = spawnSync('/usr/bin/time', ['-o', out, '-f', '%e %U %S %M', 'timeout', '-k', '5', String(timeoutSec), ...argv], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', outFd, errFd],
    });
    closeSync(outFd);
    closeSync(errFd);
    const read = (f: string): string => {
      try {
        return readFileSync(f, 'utf8');
      } catch {
        return '';
      }
    };
    line = read(out).trim().split('\n').pop() ?? '';
    stdout = read(join(dir, 'stdout'));
    stderr = read(join(dir, 'stderr'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const [e, u, s, m] = line.split(' ').map(Number);
  const code = r.status ?? -1;
  let note = opts.note ? opts.note(stdout, stderr) : '';
  if (!line) note = `no GNU time output (exit ${code}) ${note}`.trim();
  else if (code === 124) note = `TIMEOUT after ${timeoutSec}s ${note}`.trim();
  else if (code !== 0 && !note) note = lastLine(stderr) || lastLine(stdout);
  const res = { label, wallSec: e, userSec: u, sysSec: s, maxRssMiB: Math.round((m / 1024) * 10) / 10, code, stdoutBytes: stdout.length, note, load1 };
  // Progress on stderr, so a long run can be watched and a crash loses nothing already measured.
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${label}: wall ${f2(e)} s, CPU ${f2(u + s)} s, ${res.maxRssMiB} MiB, exit ${code} ${note}\n`);
  return res;
}

function lastLine(s: string): string {
  const lines = s.trim().split('\n').filter((l) => l.trim() !== '');
  return (lines.pop() ?? '').slice(0, 120);
}

/** Run `times` measurements of the same command (optionally resetting state before each) and keep them all. */
export function repeat(times: number, label: string, argv: string[], opts: MeasureOptions & { before?: () => void } = {}): Measurement[] {
  const ms: Measurement[] = [];
  for (let i = 0; i < times; i++) {
    opts.before?.();
    ms.push(measure(label, argv, opts));
  }
  return ms;
}

/** Median of several runs by wall time; under load the minimum is shown beside it (see `summaryTable`). */
export function median(ms: Measurement[]): Measurement {
  const s = [...ms].sort((a, b) => a.wallSec - b.wallSec);
  return s[Math.floor(s.length / 2)];
}

/** Run with the least CPU time (the least disturbed by other load on a shared machine). */
export function best(ms: Measurement[]): Measurement {
  return [...ms].sort((a, b) => cpuSec(a) - cpuSec(b))[0];
}


/** One row per measurement. */
export function table(rows: Measurement[]): string {
  const head = '| run | wall s | user s | sys s | CPU s | peak RSS MiB | exit | load1 | note |\n|---|---|---|---|---|---|---|---|---|';
  return [
    head,
    ...rows.map((r) => `| ${r.label} | ${f2(r.wallSec)} | ${f2(r.userSec)} | ${f2(r.sysSec)} | ${f2(cpuSec(r))} | ${r.maxRssMiB} | ${r.code} | ${r.load1.toFixed(1)} | ${r.note} |`),
  ].join('\n');
}

/** One row per group of runs: median and min wall, median and min CPU, max peak RSS, and per-item costs. */
export function summaryTable(groups: { label: string; runs: Measurement[]; items: number }[]): string {
  const head =
    '| run | n | wall s med (min) | CPU s med (min) | peak RSS MiB | wall ms/item (min) | CPU ms/item (min) | exit | note |\n|---|---|---|---|---|---|---|---|---|';
  const rows = groups.map(({ label, runs, items }) => {
    const med = median(runs);
    const minWall = Math.min(...runs.map((r) => r.wallSec));
    const cpus = runs.map(cpuSec).sort((a, b) => a - b);
    const medCpu = cpus[Math.floor(cpus.length / 2)];
    const rss = Math.max(...runs.map((r) => r.maxRssMiB));
    const codes = [...new Set(runs.map((r) => r.code))].join(',');
    return `| ${label} | ${runs.length} | ${f2(med.wallSec)} (${f2(minWall)}) | ${f2(medCpu)} (${f2(cpus[0])}) | ${rss} | ${f2((minWall * 1000) / items)} | ${f2((cpus[0] * 1000) / items)} | ${codes} | ${med.note} |`;
  });
  return [head, ...rows].join('\n');
}

/** Machine and load description for a report header. */
export function machine(): string {
  const up = spawnSync('uptime', { encoding: 'utf8' }).stdout?.trim() ?? '';
  const c = cpus();
  return [
    `- date: ${new Date().toISOString()}`,
    `- CPU: ${c.length} × ${c[0]?.model ?? '?'}`,
    `- node ${process.version}; uptime: ${up}`,
  ].join('\n');
}

/** The repository root (dist/bench/ → ../..). */
export const ROOT = join(import.meta.dirname, '..', '..');

/** Path of the shipped CLI (the esbuild bundle dist/halite.js, what `halite` runs) seen from dist/bench/. */
export const CLI = join(import.meta.dirname, '..', 'halite.js');

/**
 * A private copy of dist/ (engine/ and states/, node_modules and package.json linked) so that other people's
 * `tsc` builds during a long benchmark neither change the code under test nor invalidate halite's compiled-template
 * cache (keyed on the compiler files' mtimes). Returns the copy's CLI path; `--no-snapshot` (or
 * HALITE_BENCH_NO_SNAPSHOT=1) measures dist/ in place. The copy is removed at exit.
 */
export function snapshotCli(): string {
  if (process.argv.includes('--no-snapshot') || process.env.HALITE_BENCH_NO_SNAPSHOT === '1') return CLI;
  const dir = mkdtempSync(join(tmpdir(), 'halite-bench-snap-'));
  // The bundle is self-contained (package.json is read for the version); the unbundled modules are copied too,
  // for the per-module start-up rows of bench/startup.
  cpSync(CLI, join(dir, 'dist', 'halite.js'));
  for (const d of ['engine', 'states']) cpSync(join(ROOT, 'dist', d), join(dir, 'dist', d), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'dist', 'halite.js');
}

/** Counts from a highstate summary ("Succeeded: 1000 (changed=1000)", "Failed: 0"). */
export function highstateNote(stdout: string): string {
  const ok = /Succeeded:\s+(\d+)(?: \(([^)]*)\))?/.exec(stdout);
  const failed = /Failed:\s+(\d+)/.exec(stdout);
  if (!ok && !failed) return '';
  return `ok=${ok?.[1] ?? '?'}${ok?.[2] ? ` ${ok[2]}` : ''} failed=${failed?.[1] ?? '?'}`.replace(/\u001b\[[0-9;]*m/g, '');
}
