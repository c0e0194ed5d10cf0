/**
 * The data-driven requisite suite (shared by fixtures.test.ts and fixtures-compiled.test.ts): every tests/fixtures/requisites/*.yaml case (SLS in → records out),
 * each expectation taken from the Salt reference (salt-state-semantics.md) or the Salt corpus case it cites.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { compileEnvFromContext, compileSls } from '../../../engine/compiler/index.js';
import { RootsFileServer } from '../../../engine/fileserver/index.js';
import { runChunks } from '../../../engine/runner/index.js';
import type { Dict, LowChunk, StateRecord, StateReturn } from '../../../engine/types.js';
import { makeContext, sls } from './helpers.js';

const DIR = join(import.meta.dirname, '../../fixtures/requisites');

interface Case {
  id: string;
  ref: string;
  sls: string;
  opts?: Dict;
  test?: boolean;
  concurrency?: number;
  strict?: boolean;
  /** Why this case only runs on helper-built chunks (the compiler rejects the input earlier, by design). */
  helper_only?: string;
  expect: {
    order?: string[];
    count?: number;
    absent?: string[];
    present?: string[];
    throws?: string;
    files_exist?: string[];
    files_absent?: string[];
    states?: Record<string, Dict>;
  };
}

const tmpRoots: string[] = [];
afterAll(() => tmpRoots.forEach((d) => rmSync(d, { recursive: true, force: true })));

function subst<T>(v: T, tmp: string): T {
  return JSON.parse(JSON.stringify(v).split('@TMP@').join(tmp)) as T;
}

function pick(ret: StateReturn, key: string): StateRecord | undefined {
  if (key.includes('_|-')) return ret[key];
  return Object.values(ret).find((r) => r.__id__ === key);
}

function label(ret: StateReturn, tag: string): string {
  const r = ret[tag]!;
  return typeof r.__id__ === 'string' ? r.__id__ : tag;
}

function checkRecord(key: string, r: StateRecord | undefined, want: Dict): void {
  expect(r, `record ${key}`).toBeDefined();
  const rec = r!;
  for (const [k, v] of Object.entries(want)) {
    const at = `${key}.${k}`;
    if (k === 'result') expect(rec.result, at).toBe(v);
    else if (k === 'comment') expect(rec.comment, at).toBe(v);
    else if (k === 'comment_contains') expect(rec.comment, at).toContain(v);
    else if (k === 'comment_not_contains') expect(rec.comment, at).not.toContain(v);
    else if (k === 'changes') expect(Object.keys(rec.changes ?? {}).length > 0, at).toBe(v);
    else if (k === 'changes_equal') expect(rec.changes, at).toEqual(v);
    else if (k === 'changes_subset') expect(rec.changes, at).toMatchObject(v as Dict);
    else if (k === 'run_num') expect(rec.__run_num__, at).toBe(v);
    else if (k === 'has_keys') for (const x of v as string[]) expect(Object.keys(rec), at).toContain(x);
    else if (k === 'lacks_keys') for (const x of v as string[]) expect(Object.keys(rec), at).not.toContain(x);
    else if (k === 'keys') expect(Object.keys(rec).sort(), at).toEqual([...(v as string[])].sort());
    else if (k === 'state_ran') expect(rec.__state_ran__, at).toBe(v);
    else throw new Error(`unknown expectation ${at}`);
  }
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

/** Chunks for a case: through the real compiler (`compiled`), or the test helper's SLS converter. */
function chunksFor(c: Case, tmp: string, mode: 'helper' | 'compiled', opts: Dict): LowChunk[] {
  if (mode === 'helper') return sls(c.sls);
  const root = join(tmp, 'srv');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'fx.sls'), c.sls);
  const ctx = makeContext({ opts: { ...opts, file_roots: { base: [root] }, strict_requisites: false } });
  ctx.fileserver = new RootsFileServer({ roots: { base: [root] } });
  return compileSls(['fx'], compileEnvFromContext(ctx)).chunks;
}

/** Cases the real compiler can take (the helper-only `__sls__` override is not SLS). */
const compilable = (c: Case): boolean => !c.sls.includes('__sls') && !c.helper_only;

export function defineSuite(mode: 'helper' | 'compiled'): void {
describe(`requisite fixtures (${mode})`, () => {
  it('has at least 80 cases', () => {
    if (mode === 'compiled') return;
    const n = files.reduce((acc, f) => acc + (load(readFileSync(join(DIR, f), 'utf8')) as Case[]).length, 0);
    expect(n).toBeGreaterThanOrEqual(80);
  });
  for (const f of files) {
    const cases = load(readFileSync(join(DIR, f), 'utf8')) as Case[];
    describe(f, () => {
      for (const c0 of cases) {
        if (mode === 'compiled' && !compilable(c0)) continue;
        it(`${c0.id} (${c0.ref})`, async () => {
          const tmp = mkdtempSync(join(tmpdir(), 'halite-req-'));
          tmpRoots.push(tmp);
          const c = subst(c0, tmp);
          const chunks = chunksFor(c, tmp, mode, c.opts ?? {});
          const ctx = makeContext({ opts: c.opts ?? {}, test: c.test });
          const run = runChunks(chunks, ctx, { test: Boolean(c.test), strictRequisites: c.strict ?? false, concurrency: c.concurrency });
          if (c.expect.throws) {
            await expect(run).rejects.toThrow(c.expect.throws);
            return;
          }
          const ret = await run;
          const byNum = Object.keys(ret).sort((a, b) => ret[a]!.__run_num__ - ret[b]!.__run_num__);
          if (c.expect.order) expect(byNum.map((t) => label(ret, t))).toEqual(c.expect.order);
          if (c.expect.count !== undefined) expect(Object.keys(ret).length).toBe(c.expect.count);
          for (const a of c.expect.absent ?? []) expect(pick(ret, a), `absent ${a}`).toBeUndefined();
          for (const p of c.expect.present ?? []) expect(pick(ret, p), `present ${p}`).toBeDefined();
          for (const [k, want] of Object.entries(c.expect.states ?? {})) checkRecord(k, pick(ret, k), want);
          for (const p of c.expect.files_exist ?? []) expect(existsSync(p), `exists ${p}`).toBe(true);
          for (const p of c.expect.files_absent ?? []) expect(existsSync(p), `absent ${p}`).toBe(false);
          const nums = Object.values(ret).map((r) => r.__run_num__);
          expect(new Set(nums).size, 'run numbers are unique').toBe(nums.length);
        });
      }
    });
  }
});
}
