/**
 * bench/startup: what halite's start-up costs, piece by piece — the CPU time of a Node process that only imports one
 * dependency or one halite module (each import includes its own dependencies), then the CLI itself.
 * Together with `--profile` of bench/apply this shows how much of a run is module loading.
 *
 * Run: `npx tsc -p tsconfig.json && node dist/bench/startup.js [runs] [--no-snapshot]`
 */
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
  console.log(`\nload after: ${machine().split('uptime: ')[1]}`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) main();
