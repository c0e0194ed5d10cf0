/**
 * Render benchmark (not a test): 2,000 generated SLS files, 10,000 states, rendered once cold and once warm.
 * Build to a scratch dir and run with node, e.g.:
 *   npx tsc --outDir /tmp/hb --module NodeNext --moduleResolution NodeNext --target ES2022 --skipLibCheck \
 *     --esModuleInterop --rootDir . tests/unit/compiler/render/bench/render-2000.ts
 *   ln -sfn $PWD/node_modules /tmp/hb/node_modules; echo '{"type":"module"}' > /tmp/hb/package.json
 *   BENCH_CACHEDIR=/tmp/hbcache node /tmp/hb/tests/unit/compiler/render/bench/render-2000.js
 * BENCH_ROOT reuses a file tree (same paths → the compiled-template cache hits across processes).
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderSls, type RenderEnv } from '../../../../../engine/compiler/render/index.js';
import { sharedFunctionCount } from '../../../../../engine/compiler/render/jinja/template.js';

export function generate(nFiles = 2000, statesPerFile = 5): { root: string; files: [string, string][] } {
  const root = process.env.BENCH_ROOT ?? mkdtempSync(path.join(tmpdir(), 'halite-bench-'));
  writeFileSync(path.join(root, 'map.jinja'), "{% set m = {'Debian': {'pkg': 'apache2'}, 'RedHat': {'pkg': 'httpd'}}[grains.os_family] %}\n");
  const files: [string, string][] = [];
  for (let i = 0; i < nFiles; i++) {
    const dir = `d${i % 100}`;
    mkdirSync(path.join(root, dir), { recursive: true });
    const rel = `${dir}/f${i}.sls`;
    const withImport = i % 4 === 0;
    const text =
      (withImport ? "{% from 'map.jinja' import m with context %}\n" : "{% set m = {'pkg': 'x'} %}\n") +
      `{% for n in range(${statesPerFile}) %}\n` +
      `f${i}-s{{ n }}:\n  file.managed:\n    - name: /tmp/f${i}/{{ n }}\n    - mode: 0644\n    - user: {{ pillar.get('user', 'root') }}\n` +
      `    - contents: "{{ m.pkg }} {{ grains.os }}"\n    - require:\n      - pkg: p${i}\n{% endfor %}\n`;
    writeFileSync(path.join(root, rel), text);
    files.push([path.join(root, rel), `${dir}.f${i}`]);
  }
  return { root, files };
}

export function run(): void {
  const { root, files } = generate();
  const cal0 = performance.now();
  let x = 0;
  for (let i = 0; i < 1e8; i++) x += i & 3;
  console.log(`calibration: 1e8-iteration loop ${(performance.now() - cal0).toFixed(0)} ms (~70 ms on an idle core) ${x > 0 ? '' : ''}`);
  const env = (sls: string): RenderEnv => ({
    saltenv: 'base',
    sls,
    fileserver: { resolve: () => null, read: () => null, list: () => [], roots: () => [root], envs: () => ['base'] },
    opts: { id: 'm1', ...(process.env.BENCH_CACHEDIR ? { cachedir: process.env.BENCH_CACHEDIR } : {}) },
    grains: { os: 'Debian', os_family: 'Debian' },
    pillar: { user: 'www' },
    salt: () => null,
  });
  for (const pass of ['cold', 'warm']) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let states = 0;
    for (const [file, sls] of files) states += Object.keys(renderSls(file, env(sls)).data as object).length;
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    console.log(`${pass}: ${files.length} files, ${states} states: wall ${wall.toFixed(0)} ms, cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`);
  }
  // Templates of one structure share a compiled function (jinja/template.ts): 3 here (two SLS shapes + map.jinja).
  console.log(`distinct compiled template functions: ${sharedFunctionCount()}`);
}

if (process.argv[1]?.endsWith('render-2000.js')) run();
