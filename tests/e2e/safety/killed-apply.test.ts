/**
 * A killed apply never leaves a truncated file. 1,000 `file.managed` states (4–64 KB each) replace existing
 * files of known old content; `halite call state.apply` (the compiled CLI) is SIGKILLed at random moments after
 * its first write, several times. After every kill each managed file must hold exactly its old or exactly its
 * new content, and nothing but the managed names and the Host's temp files (`.<name>.halite-<hex>`) may exist.
 * Then a full apply converges and a second apply reports no changes.
 *
 * Old and new contents share most lines (a header, a middle line and an appended line differ): a real config
 * change, and it keeps the unified diff file.managed computes cheap (see the report: a diff of two entirely
 * different 64 KB files is quadratic in jsdiff).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt } from '../../helpers/cli.js';

const N = 1000;
const MIN_KILLS = 5;
const MAX_ROUNDS = 10;
/** Temp files the atomic writer uses beside a target (engine/host/atomic.ts). */
const TEMP = /^\.f\d{4}\.halite-[0-9a-f]+$/;

let tmp: string;
let T: string;
let etc: string;
const oldText: string[] = [];
const oldHash: string[] = [];
const newHash: string[] = [];

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const fname = (i: number): string => `f${String(i).padStart(4, '0')}`;

/** Contents of file i: 4–64 KB of numbered lines; the new version changes the header and a middle line and
 *  appends one (so its size differs too). */
function contents(i: number): { old: string; neu: string } {
  const n = String(i).padStart(4, '0');
  const size = 4096 + ((i * 7919) % 61440);
  const lines: string[] = [];
  for (let k = 0; lines.length * 72 < size; k++) lines.push(`line ${n}.${String(k).padStart(5, '0')} ${'x'.repeat(55)}`);
  const changed = [...lines];
  changed[lines.length >> 1] = `changed ${n}`;
  return { old: `# old ${n}\n${lines.join('\n')}\n`, neu: `# new ${n}\n${changed.join('\n')}\nappended ${n}\n` };
}

beforeAll(async () => {
  await ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'halite-killed-'));
  T = join(tmp, 'target');
  etc = join(tmp, 'etc');
  const files = join(tmp, 'salt/killtree/files');
  for (const d of [T, etc, files]) mkdirSync(d, { recursive: true });
  let sls = '';
  for (let i = 0; i < N; i++) {
    const { old, neu } = contents(i);
    oldText.push(old);
    oldHash.push(sha(old));
    newHash.push(sha(neu));
    writeFileSync(join(files, fname(i)), neu);
    writeFileSync(join(T, fname(i)), old);
    sls += `${fname(i)}:\n  file.managed:\n    - name: ${T}/${fname(i)}\n    - source: salt://killtree/files/${fname(i)}\n`;
  }
  writeFileSync(join(tmp, 'salt/killtree/init.sls'), sls);
  writeFileSync(join(tmp, 'salt/top.sls'), "base:\n  '*':\n    - killtree\n");
  writeFileSync(join(etc, 'minion'), `id: killtest\nfile_roots:\n  base: [../salt]\ncachedir: ${join(tmp, 'cache')}\n`);
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface TreeState {
  old: number[];
  neu: number[];
  /** Managed names whose content is neither: must stay empty. */
  torn: string[];
  temps: string[];
  /** Names that are neither managed nor temp files: must stay empty. */
  strays: string[];
}

function inspect(): TreeState {
  const s: TreeState = { old: [], neu: [], torn: [], temps: [], strays: [] };
  const names = new Set(readdirSync(T));
  for (let i = 0; i < N; i++) {
    const name = fname(i);
    if (!names.delete(name)) {
      s.torn.push(`${name} (missing)`);
      continue;
    }
    const h = sha(readFileSync(join(T, name)));
    if (h === oldHash[i]) s.old.push(i);
    else if (h === newHash[i]) s.neu.push(i);
    else s.torn.push(name);
  }
  for (const n of names) (TEMP.test(n) ? s.temps : s.strays).push(n);
  return s;
}

/** Start `halite call state.apply`, SIGKILL it `delayMs` after its first change in the target directory.
 *  Resolves with whether the kill landed (false: the run had already finished). */
function applyAndKill(delayMs: number): Promise<{ killed: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'call', '--config-dir', etc, '--out', 'json', 'state.apply'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let timer: NodeJS.Timeout | undefined;
    const watcher = watch(T, () => {
      if (timer) return;
      timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      watcher.close();
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', stderr });
    });
  });
}

type StateRun = Record<string, { result: boolean | null; changes: Record<string, unknown> }>;

/** `halite call --out json state.apply` with stdout sent to a file, not a pipe: the CLI's process.exit() can cut
 *  piped output at 64 KB when the reader is slower than the writer (see the report), and this output is ~400 KB. */
function applyJson(): Promise<{ code: number; stderr: string; states: StateRun }> {
  const out = join(tmp, 'apply.json');
  const fd = openSync(out, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'call', '--config-dir', etc, '--out', 'json', 'state.apply'], { stdio: ['ignore', fd, 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      closeSync(fd);
      const text = readFileSync(out, 'utf8');
      try {
        resolve({ code: code ?? 1, stderr, states: (JSON.parse(text) as { local: StateRun }).local });
      } catch {
        reject(new Error(`state.apply printed no JSON (exit ${code}): ${text.slice(0, 500)}\n${stderr}`));
      }
    });
  });
}

describe('SIGKILL during a 1,000-file apply', () => {
  it(`leaves every file entirely old or entirely new (≥${MIN_KILLS} kills at random moments)`, async () => {
    const log: string[] = [];
    let kills = 0;
    for (let round = 0; round < MAX_ROUNDS && kills < MIN_KILLS; round++) {
      // keep enough old files that the next run is still writing when the kill comes
      const before = inspect();
      if (before.old.length < N / 2) for (const i of before.neu) writeFileSync(join(T, fname(i)), oldText[i]!);
      const oldBefore = inspect().old.length;
      // spread the kill moments: right at the first write, early, and later in the run
      const delay = Math.round([0, 40, 200, 700, 2000][round % 5]! * (0.5 + Math.random()));
      const { killed, stderr } = await applyAndKill(delay);
      const s = inspect();
      expect(s.torn, `round ${round}, kill ${delay} ms after the first write`).toEqual([]);
      expect(s.strays).toEqual([]);
      log.push(`round ${round}: kill +${delay} ms ${killed ? 'landed' : 'came after the run ended'}; ` +
        `old ${oldBefore} → ${s.old.length}, new ${s.neu.length}, temp files ${s.temps.length}`);
      if (killed) kills++;
      else expect(stderr).not.toMatch(/error/i);
    }
    console.info(`killed apply:\n  ${log.join('\n  ')}`);
    expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
  }, 240_000);

  it('a full apply then converges, and a second apply changes nothing', async () => {
    const pending = inspect().old.length;
    const first = await applyJson();
    expect(first.code, first.stderr).toBe(0);
    const r1 = first.states;
    expect(Object.keys(r1)).toHaveLength(N);
    expect(Object.values(r1).filter((s) => s.result !== true)).toEqual([]);
    expect(Object.values(r1).filter((s) => Object.keys(s.changes).length).length).toBe(pending);
    const s = inspect();
    expect(s.neu).toHaveLength(N);
    expect(s.torn).toEqual([]);
    console.info(`after the converging apply: ${s.temps.length} temp files left by killed runs: ${s.temps.slice(0, 5).join(', ')}${s.temps.length > 5 ? ', …' : ''}`);

    const second = await applyJson();
    expect(second.code, second.stderr).toBe(0);
    const r2 = second.states;
    expect(Object.keys(r2)).toHaveLength(N);
    expect(Object.values(r2).filter((x) => x.result !== true || Object.keys(x.changes).length)).toEqual([]);
  }, 240_000);
});
