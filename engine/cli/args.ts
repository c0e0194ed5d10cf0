/**
 * Command-line arguments of `halite call`, typed the way salt-call types them: `key=value` words are keyword
 * arguments, everything else positional; each value is read as YAML 1.1 (`True` → true, `2` → 2,
 * `'{"a": 1}'` → a mapping) and kept as a string when it does not parse or would lose text.
 *
 * ```
 * halite call state.single file.managed /tmp/x contents=hi test=True
 *   → args ['file.managed', '/tmp/x'], kwargs {contents: 'hi', test: true}
 * ```
 */
import { load, YAML11_SCHEMA } from 'js-yaml';
import { truthy } from '../functions/state-run-util.js';
import type { Dict } from '../types.js';

const KWARG = /^([^\d\W][\w.-]*)=(?!=)([\s\S]*)$/u;

/** Split CLI words into positional args and kwargs, both YAML-typed. */
export function parseCallArgs(words: string[]): { args: unknown[]; kwargs: Dict } {
  const args: unknown[] = [];
  const kwargs: Dict = {};
  for (const w of words) {
    const m = KWARG.exec(w);
    if (m) kwargs[m[1]!] = yamlifyArg(m[2]!);
    else args.push(yamlifyArg(w));
  }
  return { args, kwargs };
}

/**
 * One CLI value as Salt's `yamlify_arg` reads it: mappings only from `{…}`, lists only from `[…]`, `None` → null,
 * `0644` → 644 (Salt's loader), timestamps and other exotic types stay strings, text with `#` stays a string
 * unless it parses to a non-string.
 */
export function yamlifyArg(arg: string): unknown {
  if (!arg.trim()) return arg;
  if (arg === 'None') return null;
  let parsed: unknown;
  try {
    parsed = /^[-+]?0[0-9]+$/.test(arg.trim()) ? Number(arg.trim()) : load(arg, { schema: YAML11_SCHEMA });
  } catch {
    return arg;
  }
  if (arg.includes('#')) return typeof parsed === 'string' || parsed === null || parsed === undefined ? arg : parsed;
  if (parsed === undefined) return arg;
  if (Array.isArray(parsed)) return arg.trimStart().startsWith('[') ? parsed : arg;
  if (parsed instanceof Date) return arg;
  if (parsed !== null && typeof parsed === 'object') return arg.trimStart().startsWith('{') ? parsed : arg;
  if (parsed === '' && (arg === '|' || arg === '!')) return arg;
  if (parsed === null && (arg.trim().startsWith('#') || arg === '!')) return arg;
  if (typeof parsed === 'number' && !Number.isFinite(parsed) && !/^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/.test(arg)) return arg;
  return parsed;
}

/** Salt's boolean reading of a config/CLI value (`True`, `false`, `1`, `yes`), with a default. */
export const toBool = truthy;
