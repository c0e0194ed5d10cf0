/**
 * Helpers of the state.* run functions: Salt's test-value and retcode rules, SLS list parsing, the compile
 * environment from an ExecContext, compile errors as a CallOutput, and sls_id's requisite closure.
 */
import * as compiler from '../compiler/index.js';
import type { CompileEnv } from '../compiler/index.js';
import { CompileErrors, HaliteError } from '../errors.js';
import { CallOutput, type Dict, type ExecContext, type LowChunk, type StateReturn } from '../types.js';

/** Salt's reading of a boolean-ish value. */
export function truthy(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null || v === '') return dflt;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const s = String(v).trim().toLowerCase();
  if (['true', 'yes', 'on', '1', 'y'].includes(s)) return true;
  if (['false', 'no', 'off', '0', 'n'].includes(s)) return false;
  return dflt;
}

/**
 * Salt's `_get_test_value`: an explicit `test=` kwarg wins (False included); any kwarg spelled `Test`/`TEST`
 * that is true; then `test: true` in grains or pillar; then the minion config (the context's default).
 */
export function getTestValue(ctx: ExecContext, kw: Dict): boolean {
  if ('test' in kw && kw.test !== null && kw.test !== undefined) return truthy(kw.test, false);
  for (const [k, v] of Object.entries(kw)) if (k.toLowerCase() === 'test' && truthy(v, false)) return true;
  if (ctx.grains?.test === true || ctx.pillar?.test === true) return true;
  return truthy(ctx.opts?.test, false) || ctx.test === true;
}

/** `a,b` / ['a','b'] / 1 → SLS names. */
export function modsList(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  const items = Array.isArray(v) ? v : String(v).split(',');
  return items.map((x) => String(x).trim()).filter(Boolean);
}

/** §13: an empty return or any result False is a failed run (2); otherwise 0. */
export function stateRetcode(ret: StateReturn): number {
  const recs = Object.values(ret ?? {});
  if (!recs.length) return 2;
  return recs.some((r) => !r || typeof r !== 'object' || r.result === false) ? 2 : 0;
}

/** Compile/render failure(s) as Salt's error list plus halite's locations. */
export function errorsOutput(e: CompileErrors | HaliteError): CallOutput {
  const errs = e instanceof CompileErrors ? e.errors : [e];
  const details = errs.map((x) => ({ message: x.message, file: x.loc?.file, line: x.loc?.line, id: x.loc?.id }));
  return new CallOutput('errors', errs.map((x) => x.message), 1, details);
}

/** The compiler's environment for a call. */
export function compileEnv(ctx: ExecContext): CompileEnv {
  return compiler.compileEnvFromContext(ctx);
}

const REQ = /^(require|watch|prereq|onchanges|onfail|listen|use)(_any)?$/;

/** Does requisite entry `r` (`{mod: target}` or a bare target) name chunk `c`? (ID or name; `*` globs.) */
function names(r: unknown, c: LowChunk): boolean {
  const hit = (t: unknown): boolean => {
    const s = String(t);
    if (s.includes('*')) {
      const re = new RegExp(`^${s.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      return re.test(c.__id__) || re.test(c.name);
    }
    return s === c.__id__ || s === c.name;
  };
  if (r && typeof r === 'object' && !Array.isArray(r)) {
    return Object.entries(r as Dict).some(([mod, t]) => (mod === 'id' || mod === c.state || mod === 'sls' ? hit(t) : false));
  }
  return hit(r);
}

/**
 * state.sls_id: the chunks of `id` and, transitively, the chunks their requisites name (require, watch, …),
 * in compiled order.
 */
export function closure(chunks: LowChunk[], id: string): LowChunk[] {
  const picked = new Set(chunks.filter((c) => c.__id__ === id));
  if (!picked.size) return [];
  const queue = [...picked];
  while (queue.length) {
    const c = queue.shift()!;
    for (const [k, v] of Object.entries(c)) {
      if (!REQ.test(k) || !Array.isArray(v)) continue;
      for (const r of v) {
        for (const t of chunks) {
          if (picked.has(t)) continue;
          const viaSls = r && typeof r === 'object' && 'sls' in (r as Dict) && (r as Dict).sls === t.__sls__;
          if (viaSls || names(r, t)) {
            picked.add(t);
            queue.push(t);
          }
        }
      }
    }
  }
  return chunks.filter((c) => picked.has(c));
}
