/**
 * Profile one whole halite process with `node --cpu-prof` and summarise the .cpuprofile: top functions by self time
 * and by inclusive time (file:function, % of samples), and self time per file (module groups).
 *
 * Run: `node dist/bench/profile.js [top] -- node dist/engine/cli/main.js call --config-dir DIR state.apply`
 * or summarise an existing profile: `node dist/bench/profile.js [top] path/to/x.cpuprofile`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface HotSpot { key: string; pct: number; ms: number }
export interface ProfileSummary { totalMs: number; phases: HotSpot[]; self: HotSpot[]; inclusive: HotSpot[]; files: HotSpot[]; groups: HotSpot[] }

/**
 * Phases of a halite run, by the frames on a sample's stack (first rule that any frame matches wins, so a template
 * rendered by a state counts as "run states"). Module loading is matched last: it is what is left of start-up.
 */
const PHASES: [string, RegExp][] = [
  ['output (engine/output/)', /^engine\/output\//],
  ['run states (engine/runner/, states/)', /^(engine\/runner\/|states\/)/],
  ['render + compile (engine/compiler/)', /^engine\/compiler\//],
  ['minion: config, grains, pillar (engine/minion, host, config, pillar)', /^engine\/(minion|host\/grains|config\/|pillar\/)/],
  ['yargs: help text built on every run (cacheHelpMessage)', /usage\.ts:self\.cacheHelpMessage/],
  ['CLI argument parsing (yargs)', /node_modules\/yargs/],
  ['module loading (resolve, read, compile, link, top-level code)', /^(node:internal\/modules\/|\(native\):evaluate$)/],
];

const ROOT = join(import.meta.dirname, '..', '..');

function where(cf: CallFrame): string {
  let u = cf.url.replace(/^file:\/\//, '');
  if (u.startsWith(ROOT)) u = relative(ROOT, u);
  // A benchmark snapshot (/tmp/halite-bench-snap-*/dist/…) reads as the repository's own files.
  u = u.replace(/^\/tmp\/halite-bench-snap-[^/]+\//, '').replace(/^dist\//, '').replace(/\.js$/, '.ts');
  return u || '(native)';
}

function nodeKey(cf: CallFrame): string {
  const fn = cf.functionName || '(anonymous)';
  return `${where(cf)}:${fn}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
}

/** Coarse owner of a file: node_modules/<pkg>, engine/<dir>, states/<dir>, node: internals, or a V8 bucket. */
function group(cf: CallFrame): string {
  const w = where(cf);
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(w);
  if (nm) return `node_modules/${nm[1]}`;
  const m = /^(engine|states|bench)\/([^/]+)/.exec(w);
  if (m) return m[2].endsWith('.ts') ? `${m[1]}/${m[2]}` : `${m[1]}/${m[2]}/`;
  if (w.startsWith('node:')) return 'node: internals';
  if (w === '(native)') return `(${cf.functionName || 'native'})`;
  return w;
}

function top(map: Map<string, number>, total: number, n: number, interval: number): HotSpot[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, c]) => ({ key, pct: Math.round((1000 * c) / total) / 10, ms: Math.round(c * interval) }));
}

/** Summarise a V8 .cpuprofile. Inclusive time counts a function once per sample even when it recurses. */
export function summarise(p: CpuProfile, n = 25): ProfileSummary {
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const parent = new Map<number, number>();
  for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const files = new Map<string, number>();
  const groups = new Map<string, number>();
  const phases = new Map<string, number>();
  const add = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  for (const id of p.samples) {
    const node = byId.get(id);
    if (!node) continue;
    add(self, nodeKey(node.callFrame));
    add(files, where(node.callFrame));
    add(groups, group(node.callFrame));
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = nodeKey(byId.get(cur)!.callFrame);
      if (!seen.has(k)) {
        seen.add(k);
        add(incl, k);
      }
    }
    const keys = [...seen];
    const phase = PHASES.find(([, re]) => keys.some((k) => re.test(k)));
    add(phases, phase ? phase[0] : `other: ${group(node.callFrame)}`);
  }
  const total = p.samples.length || 1;
  const totalMs = (p.endTime - p.startTime) / 1000;
  const interval = totalMs / total;
  return {
    totalMs: Math.round(totalMs),
    phases: top(phases, total, n, interval),
    self: top(self, total, n, interval),
    inclusive: top(incl, total, n, interval),
    files: top(files, total, n, interval),
    groups: top(groups, total, n, interval),
  };
}

/** Markdown for a summary. */
export function render(s: ProfileSummary, title: string): string {
  const t = (h: string, rows: HotSpot[]): string =>
    [`| ${h} | % | ms |`, '|---|---|---|', ...rows.map((r) => `| \`${r.key}\` | ${r.pct} | ${r.ms} |`)].join('\n');
  return [
    `### ${title} (profile ${s.totalMs} ms)`,
    '',
    t('phase (by stack)', s.phases),
    '',
    t('owner (self time)', s.groups),
    '',
    t('function (self time)', s.self),
    '',
    t('function (inclusive)', s.inclusive),
    '',
    t('file (self time)', s.files),
    '',
  ].join('\n');
}

/** Run argv (whose argv[0] is `node`) with --cpu-prof and return the profile's path. */
export function profileRun(argv: string[], timeoutSec = 300, env?: NodeJS.ProcessEnv): string {
  const dir = mkdtempSync(join(tmpdir(), 'halite-prof-'));
  const [node, ...rest] = argv;
  spawnSync('timeout', ['-k', '5', String(timeoutSec), node, '--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '250', ...rest], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env },
  });
  const f = readdirSync(dir).find((x) => x.endsWith('.cpuprofile'));
  if (!f) throw new Error(`no .cpuprofile written in ${dir}`);
  return join(dir, f);
}

export function loadProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}

function main(): void {
  const args = process.argv.slice(2);
  const n = /^\d+$/.test(args[0] ?? '') ? Number(args.shift()) : 25;
  let path: string;
  if (args[0] === '--') path = profileRun(args.slice(1));
  else path = args[0];
  console.log(render(summarise(loadProfile(path), n), path));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) main();
