/**
 * Jinja tests (`x is defined`, `x is mapping` …) with Python semantics and Salt's additions (`match`, `list`).
 */
import { isDict, isFloat, isUndef, pyCmp, pyEq, PyFloat, pyIn, pyStr } from './pyobj.js';

type Fn = (...a: unknown[]) => unknown;

const isStr = (v: unknown) => typeof v === 'string' || (v !== null && typeof v === 'object' && !Array.isArray(v) && !isDict(v) && typeof (v as { val?: unknown }).val === 'string');

export function saltTests(): Record<string, Fn> {
  const t: Record<string, Fn> = {
    defined: (v) => !isUndef(v) && v !== undefined,
    undefined: (v) => isUndef(v) || v === undefined,
    none: (v) => v === null,
    null: (v) => v === null,
    string: isStr,
    mapping: (v) => isDict(v) || v instanceof Map,
    number: (v) => typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat,
    integer: (v) => typeof v === 'number' && Number.isInteger(v),
    float: (v) => isFloat(v),
    boolean: (v) => typeof v === 'boolean',
    true: (v) => v === true,
    false: (v) => v === false,
    sequence: (v) => Array.isArray(v) || isStr(v) || isDict(v),
    list: (v) => Array.isArray(v),
    iterable: (v) => Array.isArray(v) || isStr(v) || isDict(v) || v instanceof Set || v instanceof Map,
    callable: (v) => typeof v === 'function',
    sameas: (a, b) => a === b,
    equalto: (a, b) => pyEq(a, b),
    eq: (a, b) => pyEq(a, b),
    ne: (a, b) => !pyEq(a, b),
    lt: (a, b) => pyCmp(a, b) < 0,
    lessthan: (a, b) => pyCmp(a, b) < 0,
    le: (a, b) => pyCmp(a, b) <= 0,
    gt: (a, b) => pyCmp(a, b) > 0,
    greaterthan: (a, b) => pyCmp(a, b) > 0,
    ge: (a, b) => pyCmp(a, b) >= 0,
    in: (a, b) => pyIn(a, b),
    even: (v) => Number(v) % 2 === 0,
    odd: (v) => Math.abs(Number(v) % 2) === 1,
    divisibleby: (a, b) => Number(a) % Number(b) === 0,
    lower: (v) => pyStr(v) === pyStr(v).toLowerCase(),
    upper: (v) => pyStr(v) === pyStr(v).toUpperCase(),
    escaped: () => false,
    /** Salt's `match`: re.match (anchored at the start). */
    match: (v, pattern, ignorecase, multiline) => {
      let flags = 'y';
      if (ignorecase) flags += 'i';
      if (multiline) flags += 'm';
      return new RegExp(String(pattern), flags).test(pyStr(v));
    },
  };
  t['=='] = t.eq!;
  t['!='] = t.ne!;
  t['<'] = t.lt!;
  t['>'] = t.gt!;
  t['<='] = t.le!;
  t['>='] = t.ge!;
  return t;
}
