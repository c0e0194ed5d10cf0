/**
 * Judging one step of a salt-corpus case (/work/shared/salt-corpus/README.md §4–§5): the comparison rules and
 * every expectation key. Pure functions over (expectation, observed step) → list of failure messages.
 */
import { lstatSync } from 'node:fs';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export interface Observed {
  code: number;
  ms: number;
  stdout: string;
  stderr: string;
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON deep equality: key order ignored, array order kept, `true` is not `1`. */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k]));
  }
  return false;
}

/** subset(E, A): objects recursively by key, anything else equal. */
export function subset(e: unknown, a: unknown): boolean {
  if (isObj(e)) return isObj(a) && Object.keys(e).every((k) => Object.prototype.hasOwnProperty.call(a, k) && subset(e[k], a[k]));
  return equal(e, a);
}

/** Python's type name of a JSON value. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  return Array.isArray(v) ? 'list' : 'dict';
}

function typeIs(v: unknown, t: string): boolean {
  if (t === 'float') return typeof v === 'number';
  return typeName(v) === t;
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 300 ? `${s.slice(0, 300)}…` : s;
};

const emptyChanges = (c: unknown): boolean => c === undefined || c === null || (isObj(c) && Object.keys(c).length === 0);

/** Per-state checks on one record. */
export function checkRecord(label: string, r: unknown, checks: Obj): string[] {
  if (!isObj(r)) return [`${label}: not a state record: ${show(r)}`];
  const errs: string[] = [];
  const fail = (m: string): void => void errs.push(`${label}: ${m}`);
  for (const [k, want] of Object.entries(checks)) {
    switch (k) {
      case 'result':
        if (r.result !== want) fail(`result ${show(r.result)}, expected ${show(want)}`);
        break;
      case 'result_truthy':
        if (Boolean(r.result) !== Boolean(want)) fail(`result ${show(r.result)} is not truthy`);
        break;
      case 'result_falsy':
        if (Boolean(want) && Boolean(r.result)) fail(`result ${show(r.result)} is not falsy`);
        break;
      case 'changes':
        if (want === true && (emptyChanges(r.changes) || !isObj(r.changes))) fail(`expected changes, got ${show(r.changes)}`);
        if (want === false && !emptyChanges(r.changes)) fail(`expected no changes, got ${show(r.changes)}`);
        break;
      case 'comment':
        if (r.comment !== want) fail(`comment ${show(r.comment)}, expected ${show(want)}`);
        break;
      case 'comment_contains':
        if (typeof r.comment !== 'string' || !r.comment.includes(String(want))) fail(`comment ${show(r.comment)} lacks ${show(want)}`);
        break;
      case 'comment_not_contains':
        if (typeof r.comment === 'string' && r.comment.includes(String(want))) fail(`comment ${show(r.comment)} contains ${show(want)}`);
        break;
      case 'run_num':
        if (r.__run_num__ !== want) fail(`__run_num__ ${show(r.__run_num__)}, expected ${show(want)}`);
        break;
      case 'changes_subset':
        if (!subset(want, r.changes)) fail(`changes ${show(r.changes)} do not contain ${show(want)}`);
        break;
      case 'changes_equal':
        if (!equal(r.changes, want)) fail(`changes ${show(r.changes)}, expected ${show(want)}`);
        break;
      case 'has_keys':
        for (const key of (want as Json[]) ?? []) if (!(String(key) in r)) fail(`missing key ${show(key)}`);
        break;
      case 'full_return_subset':
        if (!subset(want, r)) fail(`record ${show(r)} does not contain ${show(want)}`);
        break;
      case 'duration_gte':
        if (typeof r.duration !== 'number' || r.duration < Number(want)) fail(`duration ${show(r.duration)} < ${show(want)}`);
        break;
      case 'sls_is_str':
        if (Boolean(want) !== (typeof r.__sls__ === 'string')) fail(`__sls__ ${show(r.__sls__)} is not a string`);
        break;
      default:
        fail(`unknown per-state check '${k}'`);
    }
  }
  return errs;
}

/** The return R from stdout: `{"local": R}` (or a bare R); undefined when stdout is not one JSON document. */
export function parseReturn(stdout: string): { ok: true; value: Json } | { ok: false; error: string } {
  try {
    const v = JSON.parse(stdout) as Json;
    if (isObj(v) && Object.keys(v).length === 1 && 'local' in v) return { ok: true, value: v.local! };
    return { ok: true, value: v };
  } catch (e) {
    return { ok: false, error: `stdout is not one JSON document (${(e as Error).message}): ${show(stdout.slice(0, 400))}` };
  }
}

const PROCESS_KEYS = new Set(['retcode', 'max_wall_seconds', 'files_exist', 'files_absent', 'file_modes']);

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function checkProcess(exp: Obj, obs: Observed): string[] {
  const errs: string[] = [];
  if ('retcode' in exp && obs.code !== exp.retcode) errs.push(`exit code ${obs.code}, expected ${show(exp.retcode)}`);
  if ('max_wall_seconds' in exp && obs.ms / 1000 >= Number(exp.max_wall_seconds)) errs.push(`wall time ${(obs.ms / 1000).toFixed(2)} s, limit ${show(exp.max_wall_seconds)} s`);
  for (const p of (exp.files_exist as string[] | undefined) ?? []) if (!exists(p)) errs.push(`file ${p} does not exist`);
  for (const p of (exp.files_absent as string[] | undefined) ?? []) if (exists(p)) errs.push(`file ${p} exists`);
  for (const [p, m] of Object.entries((exp.file_modes as Obj | undefined) ?? {})) {
    if (!exists(p)) errs.push(`file ${p} does not exist (mode ${show(m)} expected)`);
    else {
      const mode = (lstatSync(p).mode & 0o777).toString(8).padStart(3, '0');
      if (mode !== String(m)) errs.push(`file ${p} has mode ${mode}, expected ${show(m)}`);
    }
  }
  return errs;
}

function checkWhole(k: string, want: Json, R: Json): string[] {
  const arr = Array.isArray(R) ? R : undefined;
  switch (k) {
    case 'compile_failed':
      return Boolean(want) === Boolean(arr) ? [] : [`compile_failed ${show(want)} but return is ${show(R)}`];
    case 'errors':
      return equal(R, want) ? [] : [`errors ${show(R)}, expected ${show(want)}`];
    case 'errors_contain':
      return (want as Json[]).filter((s) => !arr?.some((x) => equal(x, s))).map((s) => `error ${show(s)} not in ${show(R)}`);
    case 'error_startswith':
      return arr?.length && typeof arr[0] === 'string' && arr[0].startsWith(String(want)) ? [] : [`first error of ${show(R)} does not start with ${show(want)}`];
    case 'return':
      return equal(R, want) ? [] : [`return ${show(R)}, expected ${show(want)}`];
    case 'return_subset':
      return subset(want, R) ? [] : [`return ${show(R)} does not contain ${show(want)}`];
    case 'return_type':
      return typeIs(R, String(want)) ? [] : [`return type ${typeName(R)}, expected ${show(want)}`];
    case 'items_type':
      return arr && arr.every((x) => typeIs(x, String(want))) ? [] : [`return ${show(R)} is not a list of ${show(want)}`];
    case 'item0_subset_contains': {
      const first = arr?.[0];
      if (!isObj(first)) return [`R[0] is not a dict: ${show(first)}`];
      return Object.entries(want as Obj).flatMap(([kk, v]) => (Array.isArray(first[kk]) && (first[kk] as Json[]).some((x) => equal(x, v)) ? [] : [`R[0].${kk} = ${show(first[kk])} lacks ${show(v)}`]));
    }
  }
  return [`unknown expectation key '${k}'`];
}

function checkStates(k: string, want: Json, R: Json): string[] {
  if (!isObj(R)) return [`${k}: return is not a state mapping: ${show(R)}`];
  const records = Object.entries(R);
  switch (k) {
    case 'states':
      return Object.entries(want as Obj).flatMap(([tag, checks]) => (tag in R ? checkRecord(tag, R[tag], checks as Obj) : [`no state ${tag} in ${show(Object.keys(R))}`]));
    case 'exact_tags': {
      return [];
    }
    case 'by_id':
      return Object.entries(want as Obj).flatMap(([id, checks]) => {
        const rec = records.find(([, r]) => isObj(r) && r.__id__ === id);
        return rec ? checkRecord(`ID ${id}`, rec[1], checks as Obj) : [`no record with __id__ ${show(id)}`];
      });
    case 'all':
      return records.length ? records.flatMap(([tag, r]) => checkRecord(tag, r, want as Obj)) : ['all: the return has no records'];
    case 'single':
      return records.length === 1 ? checkRecord(records[0]![0], records[0]![1], want as Obj) : [`single: ${records.length} records, expected 1`];
    case 'present':
      return (want as string[]).filter((t) => !(t in R)).map((t) => `state ${t} absent`);
    case 'absent':
      return (want as string[]).filter((t) => t in R).map((t) => `state ${t} present`);
  }
  return [`unknown expectation key '${k}'`];
}

const STATE_KEYS = new Set(['states', 'exact_tags', 'by_id', 'all', 'single', 'present', 'absent']);

/** Every failed expectation of one step (empty = the step passes). */
export function judgeStep(exp: Obj, obs: Observed): string[] {
  const errs = checkProcess(exp, obs);
  const others = Object.keys(exp).filter((k) => !PROCESS_KEYS.has(k));
  const parsed = parseReturn(obs.stdout);
  if (!parsed.ok) return [...errs, parsed.error];
  const R = parsed.value;
  for (const k of others) {
    if (STATE_KEYS.has(k)) {
      errs.push(...checkStates(k, exp[k]!, R));
      if (k === 'exact_tags' && exp.exact_tags && isObj(R)) {
        const want = Object.keys((exp.states as Obj | undefined) ?? {}).sort();
        const got = Object.keys(R).sort();
        if (!equal(want, got)) errs.push(`tags ${show(got)}, expected exactly ${show(want)}`);
      }
    } else errs.push(...checkWhole(k, exp[k]!, R));
  }
  return errs;
}
