/**
 * Runtime helpers the patched compiler (compat.ts) emits calls to, as `env.__h.*`.
 */
import nunjucks from 'nunjucks';
import { callMethod, memberLookup } from './methods.js';
import { tagImporter, tagMacro } from './errloc.js';
import { isDict, isFloat, isUndef, PyFloat, pyFloat, PyTuple, unbox, pyAdd, pyCmp, pyEq, pyIn, pyMod, pyMul, pyStr, strict, truthy, typeRepr, Undef } from './pyobj.js';

type Fn = (...a: unknown[]) => unknown;
interface NjContext {
  lookup(name: string): unknown;
}
interface NjFrame {
  lookup(name: string): unknown;
}

const runtime = (nunjucks as unknown as { runtime: { contextOrFrameLookup(c: unknown, f: unknown, n: string): unknown } }).runtime;

/** Filters that must see an undefined value instead of raising on it. */
const UNDEF_OK_FILTERS = new Set(['default', 'd']);

/** Filters given boxed floats as they are (they print, keep or make floats). */
const FLOAT_FILTERS = new Set(['default', 'd', 'float', 'string', 'str', 'format', 'join', 'python', 'list', 'first', 'last']);

function num(v: unknown): number {
  strict(v);
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.v;
  if (typeof v === 'boolean') return Number(v);
  throw new TypeError(`unsupported operand type: '${typeRepr(v).replace(' object', '')}'`);
}

/** Python arithmetic: a float operand (or true division) makes a float result. */
function binop(op: string, a: unknown, b: unknown): unknown {
  if (op === '~' || op === 'in' || (op === '%' && typeof a === 'string')) return binop0(op, a, b);
  const float = op === '/' || isFloat(a) || isFloat(b);
  const r = binop0(op, unbox(a), unbox(b));
  return float && typeof r === 'number' ? pyFloat(r) : r;
}

function binop0(op: string, a: unknown, b: unknown): unknown {
  switch (op) {
    case 'in':
      return pyIn(a, b);
    case '+':
      return pyAdd(a, b);
    case '~':
      return pyStr(strict(a)) + pyStr(strict(b));
    case '*':
      return pyMul(a, b);
    case '%':
      return pyMod(a, b);
    case '-':
      return num(a) - num(b);
    case '/':
      if (num(b) === 0) throw new Error('ZeroDivisionError: division by zero');
      return num(a) / num(b);
    case '//':
      if (num(b) === 0) throw new Error('ZeroDivisionError: integer division or modulo by zero');
      return Math.floor(num(a) / num(b));
    case '**':
      return num(a) ** num(b);
    case 'neg':
      return -num(b);
    default:
      throw new Error(`unknown operator ${op}`);
  }
}

function cmpOp(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
    case '===':
      return pyEq(a, b);
    case '!=':
    case '!==':
      return !pyEq(a, b);
    case '<':
      return pyCmp(a, b) < 0;
    case '>':
      return pyCmp(a, b) > 0;
    case '<=':
      return pyCmp(a, b) <= 0;
    case '>=':
      return pyCmp(a, b) >= 0;
    default:
      throw new Error(`unknown comparison ${op}`);
  }
}

/** Python slicing `seq[start:stop:step]` of a list or string. */
export function pySlice(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  strict(obj);
  const isStr = typeof obj === 'string' || (obj !== null && typeof obj === 'object' && !Array.isArray(obj) && !isDict(obj));
  const arr: unknown[] = Array.isArray(obj) ? obj : [...String(obj)];
  const n = arr.length;
  const st = step === null || step === undefined ? 1 : Number(step);
  if (st === 0) throw new Error('ValueError: slice step cannot be zero');
  const norm = (v: unknown, dflt: number, lo: number, hi: number) => {
    if (v === null || v === undefined) return dflt;
    let i = Number(v);
    if (i < 0) i += n;
    return Math.min(Math.max(i, lo), hi);
  };
  const a = st > 0 ? norm(start, 0, 0, n) : norm(start, n - 1, -1, n - 1);
  const b = st > 0 ? norm(stop, n, 0, n) : norm(stop, -1, -1, n - 1);
  const out: unknown[] = [];
  for (let i = a; st > 0 ? i < b : i > b; i += st) out.push(arr[i]);
  return isStr ? out.join('') : out;
}

export interface Helpers {
  sym(context: NjContext, frame: NjFrame, name: string): unknown;
  get(obj: unknown, key: unknown, stop?: unknown, step?: unknown): unknown;
  callMethod(obj: unknown, name: unknown, args: unknown[]): unknown;
  call(context: unknown, fn: unknown, name: string, args: unknown[]): unknown;
  out(v: unknown): string;
  truthy(v: unknown): boolean;
  iter(v: unknown, arity: number): unknown;
  or(a: unknown, b: () => unknown): unknown;
  and(a: unknown, b: () => unknown): unknown;
  bin(op: string, a: unknown, b: unknown): unknown;
  compare(a: unknown, ops: string[], rest: (() => unknown)[]): boolean;
  filter(context: unknown, name: string, args: unknown[]): unknown;
  dict(pairs: [unknown, unknown][]): Record<string, unknown>;
  setAttr(obj: unknown, key: unknown, value: unknown): void;
  /** An error crossed an import/include tag at `line` of `file` (see errloc.ts). */
  from(err: unknown, line: number, file: string | undefined): unknown;
  /** An error leaves a macro body defined in `file`, at `line`. */
  macroErr(err: unknown, line: number, file: string | undefined): unknown;
  /** A float literal (`1.0`). */
  float(n: number): unknown;
  /** `('a', 1)`, `('a',)`, `()`. */
  tuple(items: unknown[]): PyTuple;
  loopFilter(frame: NjFrame & { push(): NjFrame & { set(n: string, v: unknown): void } }, items: unknown, names: string[], pred: (f: unknown) => unknown): unknown[];
}

/** The helper object for one Environment (filters are looked up on it). */
export function makeHelpers(env: { getFilter(name: string): Fn }): Helpers {
  return {
    sym(context, frame, name) {
      const v = runtime.contextOrFrameLookup(context, frame, name);
      return v === undefined ? new Undef(`'${name}' is undefined`) : v;
    },
    get(obj: unknown, key: unknown, stop?: unknown, step?: unknown) {
      // nunjucks' jinja-compat compiles `x[a:b:c]` as a 4-argument lookup
      return arguments.length === 4 ? pySlice(obj, key, stop, step) : memberLookup(obj, key);
    },
    callMethod,
    call(context, fn, name, args) {
      if (isUndef(fn)) fn.fail();
      if (typeof fn !== 'function') throw new TypeError(`'${name}' is not callable (${typeRepr(fn)})`);
      return (fn as Fn).apply(context, args);
    },
    out: (v) => pyStr(strict(v)),
    truthy,
    iter(v, arity) {
      strict(v);
      if (v === null || v === undefined) throw new TypeError("'NoneType' object is not iterable");
      if (typeof v === 'string') return [...v];
      if (typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat) throw new TypeError(`'${typeRepr(v).replace(' object', '')}' object is not iterable`);
      if (isDict(v) && arity === 1) return Object.keys(v);
      if (v instanceof Set) return [...v];
      if (v instanceof Map) return arity === 1 ? [...v.keys()] : [...v.entries()];
      return v;
    },
    or: (a, b) => (truthy(a) ? a : b()),
    and: (a, b) => (truthy(a) ? b() : a),
    bin: binop,
    compare(a, ops, rest) {
      let left = a;
      for (let i = 0; i < ops.length; i++) {
        const right = rest[i]!();
        if (!cmpOp(ops[i]!, left, right)) return false;
        left = right;
      }
      return true;
    },
    dict(pairs) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of pairs) out[typeof k === 'string' ? k : pyStr(strict(k))] = v;
      return out;
    },
    setAttr(obj, key, value) {
      strict(obj);
      if (obj === null || typeof obj !== 'object') throw new TypeError(`cannot set attribute '${String(key)}' on ${typeRepr(obj)}`);
      (obj as Record<string, unknown>)[String(key)] = value;
    },
    from: tagImporter,
    macroErr: tagMacro,
    tuple: (items) => PyTuple.of(...items),
    float: pyFloat,
    loopFilter(frame, items, names, pred) {
      const list = Array.isArray(items) ? items : isDict(items) ? Object.entries(items) : [...(items as Iterable<unknown>)];
      return list.filter((item) => {
        const f = frame.push();
        if (names.length === 1) f.set(names[0]!, item);
        else names.forEach((n, i) => f.set(n, (item as unknown[])[i]));
        return truthy(pred(f));
      });
    },
    filter(context, name, args) {
      const f = env.getFilter(name);
      if (!UNDEF_OK_FILTERS.has(name)) for (const a of args) strict(a);
      // Filters see plain numbers, except the few that keep a float a float.
      if (!FLOAT_FILTERS.has(name)) for (let i = 0; i < args.length; i++) if (args[i] instanceof PyFloat) args[i] = (args[i] as PyFloat).v;
      return f.apply(context, args);
    },
  };
}
