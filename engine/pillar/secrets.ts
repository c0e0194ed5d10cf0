/**
 * Which pillar values are secrets: every string under a key matching opts.secret_pillar_keys (globs,
 * case-insensitive; `*_key` only when the value is a PEM block), and any PEM private key wherever it sits.
 */
import picomatch from 'picomatch';
import { DEFAULT_SECRET_PILLAR_KEYS } from '../config/defaults.js';
import { isDict } from '../config/traverse.js';
import type { Dict } from '../types.js';

const PEM = /-----BEGIN [A-Z0-9 ]+-----/;
const PRIVATE_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/**
 * Every secret string in `pillar`.
 *
 * @example
 * secretPillarValues({ db: { password: 'hunter22', host: 'db1' } }) // ['hunter22']
 */
export function secretPillarValues(pillar: Dict, patterns: unknown = DEFAULT_SECRET_PILLAR_KEYS): string[] {
  const globs = (Array.isArray(patterns) ? patterns : DEFAULT_SECRET_PILLAR_KEYS).filter((g): g is string => typeof g === 'string');
  const pemOnly = globs.filter((g) => g === '*_key').map((g) => picomatch(g, { nocase: true, dot: true }));
  const always = globs.filter((g) => g !== '*_key').map((g) => picomatch(g, { nocase: true, dot: true }));
  const out = new Set<string>();
  const leaves = (v: unknown, sink: (s: string) => void): void => {
    if (typeof v === 'string') sink(v);
    else if (typeof v === 'number' && String(v).length >= 6) sink(String(v));
    else if (Array.isArray(v)) v.forEach((x) => leaves(x, sink));
    else if (isDict(v)) Object.values(v).forEach((x) => leaves(x, sink));
  };
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (PRIVATE_PEM.test(v)) out.add(v);
      return;
    }
    if (Array.isArray(v)) return v.forEach(walk);
    if (!isDict(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (always.some((m) => m(k))) leaves(x, (s) => out.add(s));
      else if (pemOnly.some((m) => m(k))) leaves(x, (s) => PEM.test(s) && out.add(s));
      else walk(x);
    }
  };
  walk(pillar);
  return [...out];
}
