import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { highstate } from '../../../engine/output/highstate.js';
import { formatReport } from '../../../engine/output/index.js';
import type { RunReport } from '../../../engine/types.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const outDir = resolve(repo, '../shared/salt-goldens/demo/out');

/** Strip the `### …` header/footer lines the golden files carry. */
function body(file: string): string {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('### '))
    .join('\n')
    .replace(/\n+$/, '');
}

/** The JSON and the text come from different runs: mask what belongs to the run (times, durations, PIDs). */
function mask(text: string): string {
  return text
    .replace(/( Started: )\S+/g, '$1T')
    .replace(/(Duration: )[\d.]+ ms/g, '$1D ms')
    .replace(/Total run time: +[\d.]+ (ms|s)/g, 'Total run time: X')
    .replace(/(pid:\n +)\d+/g, '$1PID');
}

function report(jsonFile: string): RunReport {
  const parsed = JSON.parse(body(jsonFile)) as { local: unknown };
  return { host: 'local', fun: 'state.apply', kind: 'states', data: parsed.local, retcode: 0 };
}

const cases: { json: string; txt: string; opts?: Parameters<typeof highstate>[1] }[] = [
  { json: '04-apply-test.json', txt: '04-apply-test.txt' },
  { json: '06-apply-second.json', txt: '06-apply-second.txt' },
  { json: '06-apply-second.json', txt: '07-apply-second-terse.txt', opts: { stateOutput: 'terse' } },
  { json: '06-apply-second.json', txt: '08-apply-changes-only.txt', opts: { stateVerbose: false } },
  { json: '09-broken.json', txt: '09-broken.txt' },
];

describe.runIf(existsSync(outDir))('highstate outputter against real Salt output', () => {
  it.each(cases)('$txt', ({ json, txt, opts }) => {
    const got = highstate(report(resolve(outDir, json)), opts);
    expect(mask(got)).toBe(mask(body(resolve(outDir, txt))));
  });
});

describe.runIf(existsSync(outDir))('nested outputter against real Salt output', () => {
  it('03-show_lowstate.txt from 03-show_lowstate.json', () => {
    const data = (JSON.parse(body(resolve(outDir, '03-show_lowstate.json'))) as { local: unknown }).local;
    const got = formatReport({ host: 'local', fun: 'state.show_lowstate', kind: 'data', data, retcode: 0 });
    expect(got.replace(/\n$/, '')).toBe(body(resolve(outDir, '03-show_lowstate.txt')));
  });
  it('01-show_top.txt', () => {
    const got = formatReport({ host: 'local', fun: 'state.show_top', kind: 'data', data: { base: ['webapp'] }, retcode: 0 });
    expect(got.replace(/\n$/, '')).toBe(body(resolve(outDir, '01-show_top.txt')));
  });
});

describe('highstate outputter golden files', () => {
  it('are present or reported absent', () => {
    if (!existsSync(outDir)) console.log(`salt-goldens absent at ${outDir}`);
    expect(typeof outDir).toBe('string');
  });
});
