/**
 * bench/startup: what halite's start-up costs, piece by piece — the CPU time of a Node process that only imports one
 * dependency or one halite module (each import includes its own dependencies), then the CLI itself.
 * Together with `--profile` of bench/apply this shows how much of a run is module loading.
 *
 * Run: `npx tsc -p tsconfig.json && node dist/bench/startup.js [runs] [--no-snapshot]`
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { machine, repeat, ROOT, snapshotCli, summaryTable, type Measurement } from './lib.js';

/** [label, specifier]: bare names resolve from the repository's node_modules (cwd). */
const imports = (DIST: string): [string, string][] => [
  ['yargs', 'yargs'],
  ['execa', 'execa'],
  ['nunjucks', 'nunjucks'],
  ['js-yaml', 'js-yaml'],
  ['diff', 'diff'],
  ['dependency-graph', 'dependency-graph'],
  ['engine/compiler/index', join(DIST, 'engine/compiler/index.js')],
  ['engine/runner/index', join(DIST, 'engine/runner/index.js')],
  ['engine/host/local', join(DIST, 'engine/host/local.js')],
  ['states/index (all state modules)', join(DIST, 'states/index.js')],
  ['engine/cli/call (everything a call loads)', join(DIST, 'engine/cli/call.js')],
];

/**
 * Which modules a command loads: runs it once with a module.register() load hook that logs every URL and its
 * source size, then groups them by package (node_modules/x) or halite directory. Node built-ins are left out.
 */
export function moduleCensus(argv: string[], cwd: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'halite-bench-mods-'));
  const log = join(dir, 'loaded.txt');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  const r = await next(url, context);\n` +
      `  appendFileSync(${JSON.stringify(log)}, url + ' ' + (r.source ? r.source.length : 0) + '\\n');\n  return r;\n}\n`,
  );
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify('file://' + join(dir, 'hooks.mjs'))});\n`);
  const [node, ...rest] = argv;
  spawnSync(node, ['--import', join(dir, 'register.mjs'), ...rest], { cwd, stdio: 'ignore', timeout: 60_000 });
  let lines: string[] = [];
  try {
    lines = readFileSync(log, 'utf8').trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const groups = new Map<string, { n: number; bytes: number }>();
  let total = 0;
  let bytes = 0;
  for (const l of lines) {
    const [url, size] = l.split(' ');
    if (!url.startsWith('file://')) continue;
    const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    const own = /\/dist\/((?:engine|states)\/[^/]+)/.exec(url);
    const key = nm ? `node_modules/${nm[1]}` : own ? own[1].replace(/\.js$/, '.ts') : url;
    const g = groups.get(key) ?? { n: 0, bytes: 0 };
    g.n++;
    g.bytes += Number(size);
    groups.set(key, g);
    total++;
    bytes += Number(size);
  }
  const rows = [...groups.entries()].sort((a, b) => b[1].n - a[1].n);
  return [
    `Modules loaded by \`${rest.slice(1).join(' ')}\`: ${total} files, ${Math.round(bytes / 1024)} KiB of source.`,
    '',
    '| package / directory | modules | KiB |',
    '|---|---|---|',
    ...rows.slice(0, 20).map(([k, g]) => `| ${k} | ${g.n} | ${Math.round(g.bytes / 1024)} |`),
    `| ${rows.length - 20} others | ${rows.slice(20).reduce((a, [, g]) => a + g.n, 0)} | ${Math.round(rows.slice(20).reduce((a, [, g]) => a + g.bytes, 0) / 1024)} |`,
    '',
    "(ESM loads only: the CommonJS files that nunjucks and cross-spawn `require` internally are not counted.)",
  ].join('\n');
}

function main(): void {
  const runs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 5);
  const CLI = snapshotCli();
  console.log(`## bench/startup (${new Date().toISOString()})\n\n${machine()}\n`);
  const groups: { label: string; runs: Measurement[]; items: number }[] = [];
  const o = { cwd: ROOT, timeoutSec: 60 };
  groups.push({ label: 'node -e 0', runs: repeat(runs, 'node', ['node', '-e', '0'], o), items: 1 });
  for (const [label, spec] of imports(dirname(dirname(dirname(CLI))))) {
    const code = `await import(${JSON.stringify(spec)})`;
    groups.push({ label: `import ${label}`, runs: repeat(runs, label, ['node', '--input-type=module', '-e', code], o), items: 1 });
  }
  groups.push({ label: 'halite --help', runs: repeat(runs, 'help', ['node', CLI, '--help'], o), items: 1 });
  const ping = ['node', CLI, 'call', '--config-dir', join(ROOT, 'examples/webapp/etc'), 'test.ping'];
  groups.push({ label: 'halite call test.ping (webapp example)', runs: repeat(runs, 'ping', ping, o), items: 1 });
  console.log(summaryTable(groups));
  console.log(`\nload after: ${machine().split('uptime: ')[1]}\n`);
  console.log(moduleCensus(ping, ROOT));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) main();
