/**
 * The compile-related cases of the Salt corpus (/work/shared/salt-corpus): exact error lists, show_* returns,
 * and "compiles cleanly" for every state run the corpus expects to happen.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { compileHighstate, compileSls, showTop, type CompileEnv } from '../../../engine/compiler/index.js';
import { CompileErrors } from '../../../engine/errors.js';
import { stateShowModule } from '../../../engine/functions/state-show.js';
import { CallOutput, chunkTag, type Dict, type ExecContext, type LowChunk } from '../../../engine/types.js';
import { makeEnv, writeTree } from './helpers.js';

const CORPUS = '/work/shared/salt-corpus';

function subst(v: unknown, tmp: string): unknown {
  if (typeof v === 'string') return v.split('@TMP@').join(tmp);
  if (Array.isArray(v)) return v.map((x) => subst(x, tmp));
  if (v && typeof v === 'object') {
    const out: Dict = {};
    for (const [k, x] of Object.entries(v)) out[subst(k, tmp) as string] = subst(x, tmp);
    return out;
  }
  return v;
}

interface Case {
  id: string;
  sls?: Record<string, string>;
  envs?: Record<string, Record<string, string>>;
  pillar?: Dict;
  opts?: Dict;
  apply: Dict | Dict[];
  expect: Dict | Dict[];
}

function setup(file: string): { c: Case; env: CompileEnv; ctx: ExecContext } {
  const root = mkdtempSync(path.join(tmpdir(), 'halite-corpus-'));
  const tmp = path.join(root, 'tmp');
  mkdirSync(tmp);
  const c = subst(load(readFileSync(file, 'utf8')), tmp) as Case;
  const roots: Record<string, string[]> = {};
  const envs = { base: c.sls ?? {}, ...(c.envs ?? {}) };
  for (const [e, files] of Object.entries(envs)) {
    const dir = path.join(root, 'srv', e);
    mkdirSync(dir, { recursive: true });
    writeTree(files ?? {}, dir);
    roots[e] = [dir];
  }
  const env = makeEnv(roots, { opts: { strict_requisites: false, ...(c.opts ?? {}) }, pillar: c.pillar ?? {} });
  const ctx = {
    opts: env.opts,
    grains: env.grains,
    pillar: env.pillar,
    fileserver: env.fileserver,
    registry: env.registry,
    saltenv: 'base',
    test: false,
  } as unknown as ExecContext;
  return { c, env, ctx };
}

function run(step: Dict, env: CompileEnv, ctx: ExecContext): { errors?: string[]; value?: unknown } {
  const fun = String(step.fun);
  const kwargs = (step.kwargs ?? {}) as Dict;
  try {
    if (fun === 'state.sls' || (fun === 'state.apply' && step.mods) || (fun === 'state.test' && step.mods)) {
      const mods = String(step.mods).split(',');
      return { value: compileSls(mods, env, kwargs.saltenv ? { saltenv: String(kwargs.saltenv) } : {}) };
    }
    if (fun === 'state.highstate' || fun === 'state.apply' || fun === 'state.test') return { value: compileHighstate(env) };
    if (fun === 'state.show_top') return { value: showTop(env) };
    const name = fun.replace(/^state\./, '');
    const def = stateShowModule.functions[name];
    if (!def) throw new Error(`unsupported ${fun}`);
    const out = def.fn(ctx, step.mods ? [step.mods] : [], kwargs);
    if (out instanceof CallOutput) return { errors: out.data as string[] };
    return { value: out };
  } catch (e) {
    if (e instanceof CompileErrors) return { errors: e.errors.map((x) => x.message) };
    throw e;
  }
}

const files = readdirSync(CORPUS)
  .filter((f) => /^\d\d-.*\.yaml$/.test(f))
  .sort();

describe('salt corpus: compile stage', () => {
  for (const f of files) {
    it(f, () => {
      const { c, env, ctx } = setup(path.join(CORPUS, f));
      const steps = Array.isArray(c.apply) ? c.apply : [c.apply];
      const expects = Array.isArray(c.expect) ? c.expect : [c.expect];
      steps.forEach((step, i) => {
        if (step.fun === 'state.single') return;
        const exp = expects[i] ?? {};
        const r = run(step, env, ctx);
        const failed = exp.compile_failed === true || (exp.retcode === 1 && !exp.states && step.fun !== 'state.single' && step.mods === 'thisslsfiledoesnotexist');
        if (failed) {
          expect(r.errors, `${f} step ${i} should fail to compile`).toBeDefined();
          if (exp.errors) expect(r.errors).toEqual(exp.errors);
          for (const s of (exp.errors_contain as string[] | undefined) ?? []) expect(r.errors).toContain(s);
          if (exp.error_startswith) expect(r.errors![0]!.startsWith(String(exp.error_startswith))).toBe(true);
          return;
        }
        expect(r.errors, `${f} step ${i}: ${JSON.stringify(r.errors)}`).toBeUndefined();
        // The states Salt ran are exactly the chunks we compiled (listeners and Listen_Error are made at run time).
        const compiled = r.value as { chunks?: LowChunk[] } | undefined;
        if (compiled?.chunks) {
          const tags = new Set(compiled.chunks.map((ch) => chunkTag(ch)));
          const runtime = (t: string) => t.includes('_|-listener_') || t.startsWith('Listen_Error_|-');
          if (exp.exact_tags && exp.states) {
            const want = Object.keys(exp.states as Dict).filter((t) => !runtime(t));
            expect([...tags].sort()).toEqual(want.sort());
          } else if (exp.states) {
            for (const t of Object.keys(exp.states as Dict)) if (!runtime(t)) expect(tags.has(t), t).toBe(true);
          }
          for (const t of (exp.present as string[] | undefined) ?? []) if (!runtime(t)) expect(tags.has(t), t).toBe(true);
          for (const t of (exp.absent as string[] | undefined) ?? []) expect(tags.has(t), t).toBe(false);
        }
        if (exp.return !== undefined) expect(r.value).toEqual(exp.return);
        if (exp.return_type === 'dict') expect(r.value && typeof r.value === 'object' && !Array.isArray(r.value)).toBe(true);
        if (exp.return_type === 'list') expect(Array.isArray(r.value)).toBe(true);
        if (exp.return_subset) expect(r.value).toMatchObject(exp.return_subset as Dict);
        if (exp.item0_subset_contains) {
          const item0 = (r.value as Dict[])[0]!;
          for (const [k, v] of Object.entries(exp.item0_subset_contains as Dict)) expect(item0[k]).toContain(v);
        }
      });
    });
  }
});
