/**
 * Python value semantics for template data: `str()`/`repr()` printing, truthiness (empty list/dict are false),
 * equality by value, and Jinja's StrictUndefined (any use other than `is defined`/`default` is an error).
 */

/** Jinja's undefined-value error; the renderer prefixes "Jinja variable " like Salt does. */
export class UndefinedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndefinedError';
  }
}

/** A StrictUndefined: carries the message its first real use will raise. */
export class Undef {
  constructor(readonly hint: string) {}
  fail(): never {
    throw new UndefinedError(this.hint);
  }
  toString(): string {
    return this.fail();
  }
}

/**
 * A Python tuple: a JS array (so every list operation works on it) that prints as `('a', 1)`. Derived arrays
 * (`map`, `slice`, `filter` …) are plain lists.
 */
export class PyTuple<T = unknown> extends Array<T> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  /** A tuple of these items (`new PyTuple(3)` would be an empty array of length 3). */
  static override of<T>(...items: T[]): PyTuple<T> {
    const t = new PyTuple<T>();
    for (const x of items) t.push(x);
    return t;
  }
}

/**
 * A Python float whose value is integral (`1.0`, `4 / 2`): JS numbers cannot tell 1.0 from 1, and Jinja prints
 * `1.0`. Non-integral floats stay plain numbers (they print the same). Arithmetic, comparison and printing
 * helpers unwrap it; `valueOf`/`toJSON` give the number to anything else.
 */
export class PyFloat {
  constructor(readonly v: number) {}
  valueOf(): number {
    return this.v;
  }
  toJSON(): number {
    return this.v;
  }
  toString(): string {
    return Math.abs(this.v) >= 1e16 ? this.v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2') : `${this.v.toFixed(1)}`;
  }
}

/** A float result: boxed when integral so it prints `2.0`. */
export function pyFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

/** Is v a Python float (boxed, or a non-integral number)? */
export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

/** The number inside a boxed float; anything else unchanged. */
export function unbox<T>(v: T): T | number {
  return v instanceof PyFloat ? v.v : v;
}

/** `d.items()`: a list of `(key, value)` tuples. */
export function pyItems(d: object): PyTuple[] {
  return Object.entries(d).map(([k, v]) => PyTuple.of<unknown>(k, v));
}

export function isUndef(v: unknown): v is Undef {
  return v instanceof Undef;
}

/** Throws when v is undefined-in-Jinja; returns v otherwise. */
export function strict<T>(v: T): T {
  if (v instanceof Undef) v.fail();
  return v;
}

export function isDict(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Jinja's `object_type_repr`: 'dict object', 'list object', 'str object' … */
export function typeRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v instanceof PyTuple) return 'tuple object';
  if (Array.isArray(v)) return 'list object';
  if (typeof v === 'string') return 'str object';
  if (typeof v === 'boolean') return 'bool object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int object' : 'float object';
  if (v instanceof PyFloat) return 'float object';
  if (isDict(v)) return 'dict object';
  if (typeof v === 'function') return 'function object';
  return 'object';
}

/** Python `repr()` of a string: single quotes unless the text has a single quote and no double quote. */
export function reprStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += '\\' + q;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + q;
}

function numStr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  return String(n);
}

/** Python `repr()`. */
export function pyRepr(v: unknown): string {
  if (v instanceof Undef) return v.fail();
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return reprStr(v);
  if (typeof v === 'number') return numStr(v);
  if (v instanceof PyTuple) return v.length === 1 ? `(${pyRepr(v[0])},)` : '(' + v.map(pyRepr).join(', ') + ')';
  if (Array.isArray(v)) return '[' + v.map(pyRepr).join(', ') + ']';
  if (v instanceof Set) return v.size ? '{' + [...v].map(pyRepr).join(', ') + '}' : 'set()';
  if (isDict(v)) {
    return '{' + Object.entries(v).map(([k, x]) => `${reprStr(k)}: ${pyRepr(x)}`).join(', ') + '}';
  }
  if (typeof v === 'function') return `<function ${v.name || 'anonymous'}>`;
  return String(v);
}

/** Python `str()`: what `{{ x }}` prints. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  if (typeof v === 'number') return numStr(v);
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !isDict(v) && !(v instanceof Set)) {
    // SafeString and friends
    return String(v);
  }
  return pyRepr(v);
}

/** Python truthiness (raises for an undefined value, like StrictUndefined). */
export function truthy(v: unknown): boolean {
  if (v instanceof Undef) return v.fail();
  if (v instanceof PyFloat) return v.v !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'string') return v.length > 0;
  if (v instanceof Set || v instanceof Map) return v.size > 0;
  if (isDict(v)) {
    for (const _ in v) return true;
    return false;
  }
  if (v !== null && typeof v === 'object' && typeof (v as { length?: unknown }).length === 'number') {
    return (v as { length: number }).length > 0; // SafeString
  }
  return Boolean(v);
}

/** Python `==` (by value for lists and dicts; True == 1). */
export function pyEq(a: unknown, b: unknown): boolean {
  strict(a);
  strict(b);
  a = unbox(a);
  b = unbox(b);
  if (a === b) return true;
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === b) return true;
  if (typeof a === 'boolean' && typeof b === 'number') return Number(a) === b;
  if (typeof b === 'boolean' && typeof a === 'number') return Number(b) === a;
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
    if (isDict(a) && isDict(b)) {
      const ka = Object.keys(a);
      if (ka.length !== Object.keys(b).length) return false;
      return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && pyEq(a[k], b[k]));
    }
    return String(a) === String(b); // SafeString vs string
  }
  if (typeof a === 'object' && a !== null && typeof b === 'string') return String(a) === b;
  if (typeof b === 'object' && b !== null && typeof a === 'string') return String(b) === a;
  return false;
}

/** Python ordering for `<`, sort and min/max: numbers, strings, lists lexicographically. */
export function pyCmp(a: unknown, b: unknown): number {
  strict(a);
  strict(b);
  a = unbox(a);
  b = unbox(b);
  if (typeof a === 'boolean') a = Number(a);
  if (typeof b === 'boolean') b = Number(b);
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = pyCmp(a[i], b[i]);
      if (c) return c;
    }
    return a.length - b.length;
  }
  if (a !== null && typeof a === 'object' && b !== null && typeof b === 'object') return pyCmp(String(a), String(b));
  throw new TypeError(`'<' not supported between instances of '${typeRepr(a).replace(' object', '')}' and '${typeRepr(b).replace(' object', '')}'`);
}

/** Python `x in y`. */
export function pyIn(x: unknown, y: unknown): boolean {
  strict(x);
  strict(y);
  if (x instanceof PyFloat && typeof y !== 'string') x = x.v;
  if (Array.isArray(y)) return y.some((e) => pyEq(e, x));
  if (typeof y === 'string' || (y !== null && typeof y === 'object' && !isDict(y) && !(y instanceof Set) && !(y instanceof Map))) {
    return String(y).includes(pyStr(x));
  }
  if (y instanceof Set) return [...y].some((e) => pyEq(e, x));
  if (y instanceof Map) return y.has(x);
  if (isDict(y)) return typeof x === 'string' || typeof x === 'number' ? Object.prototype.hasOwnProperty.call(y, String(x)) : false;
  throw new TypeError(`argument of type '${typeRepr(y).replace(' object', '')}' is not iterable`);
}

/** Python `+`: lists concatenate, strings concatenate, numbers add. */
export function pyAdd(a: unknown, b: unknown): unknown {
  strict(a);
  strict(b);
  a = unbox(a);
  b = unbox(b);
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) + Number(b);
  if ((typeof a === 'string' || isSafe(a)) && (typeof b === 'string' || isSafe(b))) return String(a) + String(b);
  throw new TypeError(`unsupported operand type(s) for +: '${typeRepr(a).replace(' object', '')}' and '${typeRepr(b).replace(' object', '')}'`);
}

function isSafe(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isDict(v) && typeof (v as { val?: unknown }).val === 'string';
}

/** Python `*`: `'-' * 3`, `[0] * 2`. */
export function pyMul(a: unknown, b: unknown): unknown {
  strict(a);
  strict(b);
  a = unbox(a);
  b = unbox(b);
  if (typeof a === 'string' && typeof b === 'number') return a.repeat(Math.max(0, b));
  if (typeof b === 'string' && typeof a === 'number') return b.repeat(Math.max(0, a));
  if (Array.isArray(a) && typeof b === 'number') return Array.from({ length: Math.max(0, b) }, () => a).flat();
  return (a as number) * (b as number);
}

/** Python `%`: numbers modulo (sign of the divisor), strings printf-format. */
export function pyMod(a: unknown, b: unknown): unknown {
  strict(a);
  strict(b);
  if (typeof a === 'string') return percentFormat(a, b);
  a = unbox(a);
  b = unbox(b);
  const x = a as number;
  const y = b as number;
  return ((x % y) + y) % y;
}

/** `'%s-%d' % (a, b)` / `'%(k)s' % d`. */
export function percentFormat(fmt: string, arg: unknown): string {
  const args = Array.isArray(arg) ? arg : [arg];
  let i = 0;
  return fmt.replace(/%(\(([^)]+)\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdifrxXoeEgGc%])/g, (_m, _k, key, flags, width, prec, conv) => {
    if (conv === '%') return '%';
    const v = key !== undefined ? (arg as Record<string, unknown>)[key] : args[i++];
    let s: string;
    switch (conv) {
      case 'd':
      case 'i':
        s = String(Math.trunc(Number(v)));
        break;
      case 'f':
        s = Number(v).toFixed(prec !== undefined ? Number(prec) : 6);
        break;
      case 'x':
        s = Math.trunc(Number(v)).toString(16);
        break;
      case 'X':
        s = Math.trunc(Number(v)).toString(16).toUpperCase();
        break;
      case 'o':
        s = Math.trunc(Number(v)).toString(8);
        break;
      case 'r':
        s = pyRepr(v);
        break;
      default:
        s = pyStr(v);
        if (prec !== undefined && conv === 's') s = s.slice(0, Number(prec));
    }
    if (width !== undefined) {
      const w = Number(width);
      s = (flags as string).includes('-') ? s.padEnd(w) : s.padStart(w, (flags as string).includes('0') && conv !== 's' ? '0' : ' ');
    }
    return s;
  });
}
