/** Small helpers shared by the pkg state functions. */
import { HaliteError } from '../../engine/errors.js';
import type { Dict, StateResult } from '../../engine/types.js';
import { SpecError } from './spec.js';

/** Salt's is_true for state arguments: true, 'true', 'yes', '1', 1. */
export function truthy(v: unknown): boolean {
  if (typeof v === 'string') return ['true', 'yes', '1', 'on'].includes(v.trim().toLowerCase());
  return v === true || v === 1;
}

export function result(name: string, res: boolean | null, comment: string, changes: Dict = {}): StateResult {
  return { name, result: res, comment, changes };
}

/** Expected failures (bad arguments, a failed command) become a comment; anything else goes to the runner. */
export function failureComment(e: unknown, prefix = ''): string | null {
  if (e instanceof SpecError || e instanceof HaliteError) return prefix + e.message;
  return null;
}

/** Salt's summary wording: "2 targeted packages were" / "1 targeted package was". */
export function countWord(n: number): string {
  return `${n} targeted package${n > 1 ? 's' : ''} ${n > 1 ? 'were' : 'was'}`;
}
