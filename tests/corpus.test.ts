/**
 * The salt-corpus acceptance run (/work/shared/salt-corpus/README.md, followed exactly): one test per case, each
 * set up in its own ROOT, its steps run in order through the compiled CLI, every expectation key judged.
 *
 * `HALITE_CORPUS=01,71` runs only the cases whose file names start with those prefixes; `HALITE_CORPUS_JOBS=N`
 * sets how many cases run at once (default: one per core); `HALITE_CORPUS_BUDGET_MS` the per-case budget.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { dump, load } from 'js-yaml';
import pLimit from 'p-limit';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, REPO, runCli } from './helpers/cli.js';
import { judgeStep, type Json } from './helpers/corpus-judge.js';

const CORPUS = resolve(REPO, '../shared/salt-corpus');
const BUDGET_MS = Number(process.env.HALITE_CORPUS_BUDGET_MS ?? 20_000);
/** Cases running at once: one per core, so a case's 20 s budget measures halite, not the queue. The budget
 *  clock starts when the case gets its slot. */
const slots = pLimit(Number(process.env.HALITE_CORPUS_JOBS ?? Math.max(1, availableParallelism())));
type Obj = { [k: string]: Json };

interface Step {
  fun: string;
  mods?: string;
  args?: Json[];
  kwargs?: Obj;
  test?: boolean;
  cli?: string[];
}

/** Replace `@TMP@` in every string of the parsed data, keys included. */
function substitute(v: Json, tmp: string): Json {
  if (typeof v === 'string') return v.split('@TMP@').join(tmp);
  if (Array.isArray(v)) return v.map((x) => substitute(x, tmp));
  if (v && typeof v === 'object') {
    const o: Obj = {};
    for (const [k, x] of Object.entries(v)) o[k.split('@TMP@').join(tmp)] = substitute(x, tmp);
    return o;
  }
  return v;
}

function writeTree(dir: string, files: Obj): void {
  mkdirSync(dir, { recursive: true });
  for (const [rel, text] of Object.entries(files ?? {})) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, String(text), 'utf8');
  }
}

/** §2: file roots, pillar, minion config. */
function setUp(c: Obj, root: string): void {
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const envs: Record<string, Obj> = { base: (c.sls as Obj) ?? {}, ...((c.envs as Record<string, Obj>) ?? {}) };
  const fileRoots: Record<string, string[]> = {};
  for (const [env, files] of Object.entries(envs)) {
    writeTree(join(root, 'srv', env), files ?? {});
    fileRoots[env] = [join(root, 'srv', env)];
  }
  mkdirSync(join(root, 'pillar'), { recursive: true });
  if ('pillar' in c) {
    writeFileSync(join(root, 'pillar', 'top.sls'), "base:\n  '*':\n    - data\n");
    writeFileSync(join(root, 'pillar', 'data.sls'), dump(c.pillar ?? {}));
  }
  const minion: Obj = {
    file_client: 'local',
    id: 'testminion',
    root_dir: root,
    file_roots: fileRoots,
    pillar_roots: { base: [join(root, 'pillar')] },
    cachedir: join(root, 'cache'),
    pki_dir: join(root, 'pki'),
    log_file: join(root, 'minion.log'),
    sock_dir: join(root, 'run'),
    master: '127.0.0.1',
    log_level_logfile: 'info',
    strict_requisites: false,
    ...((c.opts as Obj) ?? {}),
  };
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc', 'minion'), dump(minion));
}

/** §3: a kwarg value on the command line. */
function cliValue(v: Json): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (v === null) return 'None';
  return JSON.stringify(v);
}

/** §3: the argv of one step. */
export function stepArgv(step: Step, root: string): string[] {
  const argv = ['call', '--config-dir', join(root, 'etc'), '--out', 'json', ...(step.cli ?? []), step.fun];
  if (step.mods !== undefined && step.mods !== null) argv.push(String(step.mods));
  for (const a of step.args ?? []) argv.push(cliValue(a));
  const kw: [string, Json][] = Object.entries(step.kwargs ?? {}).filter(([k]) => !k.startsWith('__pub'));
  if (step.test === true) {
    const i = kw.findIndex(([k]) => k === 'test');
    if (i >= 0) kw[i] = ['test', true];
    else kw.push(['test', true]);
  }
  for (const [k, v] of kw) argv.push(`${k}=${cliValue(v)}`);
  return argv;
}

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

async function runCase(file: string): Promise<string[]> {
  const raw = load(readFileSync(join(CORPUS, file), 'utf8')) as Obj;
  const root = mkdtempSync(join(tmpdir(), `halite-corpus-${file.replace(/\.yaml$/, '')}-`));
  const c = substitute(raw, join(root, 'tmp')) as Obj;
  setUp(c, root);
  const steps = asList(c.apply as unknown as Step | Step[]);
  const expects = asList(c.expect as Obj | Obj[]);
  const failures: string[] = [];
  const started = Date.now();
  for (const [i, step] of steps.entries()) {
    const argv = stepArgv(step, root);
    const left = Math.max(1000, BUDGET_MS - (Date.now() - started));
    const obs = await runCli(argv, { cwd: root, timeoutMs: left });
    const errs = obs.timedOut ? [`timed out after ${left} ms`] : judgeStep(expects[i] ?? {}, obs);
    if (errs.length) {
      failures.push(
        `step ${i + 1}: halite ${argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`,
        ...errs.map((e) => `  - ${e}`),
        `  exit ${obs.code}; stderr: ${obs.stderr.trim().split('\n').slice(-6).join('\n    ')}`,
      );
    }
  }
  if (failures.length) failures.push(`(case root kept: ${root})`);
  else rmSync(root, { recursive: true, force: true });
  return failures;
}

const present = existsSync(join(CORPUS, 'README.md'));
const only = (process.env.HALITE_CORPUS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const files = present
  ? readdirSync(CORPUS)
      .filter((f) => /^\d+-.*\.yaml$/.test(f))
      .filter((f) => !only.length || only.some((p) => f.startsWith(p)))
      .sort()
  : [];

if (!present) {
  console.log(`salt-corpus is absent (looked in ${CORPUS}); the acceptance cases were not run`);
  it('salt-corpus is absent: nothing to run', () => {
    expect(present).toBe(false);
  });
} else {
  describe.concurrent('salt-corpus', () => {
    beforeAll(async () => {
      await ensureBuilt();
      expect(existsSync(CLI)).toBe(true);
    }, 300_000);
    for (const f of files) {
      it(f.replace(/\.yaml$/, ''), async () => {
        const failures = await slots(() => runCase(f));
        expect(failures, failures.join('\n')).toEqual([]);
      }, 30 * 60_000);
    }
  });
}
