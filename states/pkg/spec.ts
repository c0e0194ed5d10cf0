/**
 * The wanted packages of a pkg state (`name` + `version`, or `pkgs`) and Salt's version specifications:
 * `1.0` / `=1.0` / `==1.0` (exact), `1.0*` (prefix), `>=1.0`, `<2.0`, `!=1.1`, several joined by commas
 * (`>=1.0,<2.0`), and `latest`. When a spec has no epoch the installed version's epoch is ignored (Salt ≥ 3001).
 */
import type { Dict } from '../../engine/types.js';
import type { PkgBackend } from './types.js';

/** name → version spec, or null for "any version". Insertion order is the SLS order. */
export type Desired = Map<string, string | null>;

export class SpecError extends Error {}

const NAME_RE = /^[A-Za-z0-9_+][A-Za-z0-9_.+:~-]*$/;

function versionString(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'string' || typeof v === 'number') return String(v).trim();
  throw new SpecError(`invalid version ${JSON.stringify(v)}`);
}

function checkName(n: string): string {
  if (!NAME_RE.test(n)) throw new SpecError(`invalid package name '${n}'`);
  return n;
}

/**
 * Reads `pkgs` (a list of names or one-key `{name: version}` mappings) or `name` + `version`.
 * Throws SpecError on a malformed list (Salt: "Invalidly formatted 'pkgs' parameter").
 *
 * @example
 * desiredFrom('x', { pkgs: ['vim', { curl: '7.88*' }] }) // Map { vim → null, curl → '7.88*' }
 */
export function desiredFrom(name: string, args: Dict, withVersions = true): Desired {
  const out: Desired = new Map();
  const pkgs = args.pkgs;
  if (pkgs !== undefined && pkgs !== null) {
    if (!Array.isArray(pkgs)) throw new SpecError("Invalidly formatted 'pkgs' parameter. See minion log.");
    for (const item of pkgs) {
      if (typeof item === 'string') out.set(checkName(item), null);
      else if (item && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 1) {
        const [k, v] = Object.entries(item as Dict)[0]!;
        out.set(checkName(k), withVersions ? versionString(v) : null);
      } else throw new SpecError("Invalidly formatted 'pkgs' parameter. See minion log.");
    }
    return out;
  }
  out.set(checkName(name), withVersions ? versionString(args.version) : null);
  return out;
}

export interface Condition {
  op: '==' | '>=' | '<=' | '>' | '<' | '!=';
  version: string;
  /** `1.0*`: the version must start with `version`. */
  prefix?: boolean;
}

/** `>=1.0,<2.0` → conditions. Throws SpecError on an unparsable spec. */
export function parseSpec(spec: string): Condition[] {
  return spec.split(',').map((part) => {
    const m = /^\s*(==|=|>=|<=|>|<|!=)?\s*([^<>=!\s,]+)\s*$/.exec(part);
    if (!m) throw new SpecError(`Invalid version specification '${spec}'`);
    const op = (m[1] === '=' || !m[1] ? '==' : m[1]) as Condition['op'];
    const v = m[2]!;
    if (v.endsWith('*')) {
      if (op !== '==') throw new SpecError(`Invalid version specification '${spec}'`);
      return { op, version: v.slice(0, -1), prefix: true };
    }
    return { op, version: v };
  });
}

const hasEpoch = (v: string): boolean => /^\d+:/.test(v);
const stripEpoch = (v: string): string => v.replace(/^\d+:/, '');

/** Does `installed` satisfy every condition of `spec`? */
export function satisfies(be: PkgBackend, installed: string, spec: string): boolean {
  return parseSpec(spec).every((c) => {
    const have = hasEpoch(c.version) ? installed : stripEpoch(installed);
    if (c.prefix) return have.startsWith(c.version);
    if (c.op === '==') return be.sameVersion(have, c.version);
    if (c.op === '!=') return !be.sameVersion(have, c.version);
    const r = be.compare(have, c.version);
    return c.op === '>=' ? r >= 0 : c.op === '<=' ? r <= 0 : c.op === '>' ? r > 0 : r < 0;
  });
}

/** True for a plain exact version (`1.0`, `=1.0`): installed as asked, no choosing among versions. */
export function exactVersion(spec: string): string | null {
  const c = parseSpec(spec);
  return c.length === 1 && c[0]!.op === '==' && !c[0]!.prefix ? c[0]!.version : null;
}

/**
 * The version to install for a spec: the exact one when it is offered, else the newest offered version that
 * satisfies the spec; null when none does.
 */
export function pickVersion(be: PkgBackend, spec: string, available: string[]): string | null {
  const exact = exactVersion(spec);
  if (exact !== null) {
    return available.find((v) => be.sameVersion(v, exact) || be.sameVersion(stripEpoch(v), exact)) ?? null;
  }
  const ok = available.filter((v) => satisfies(be, v, spec));
  ok.sort((a, b) => be.compare(b, a));
  return ok[0] ?? null;
}

/** Salt's `name=version` summary form of a desired package. */
export function desiredLabel(name: string, spec: string | null): string {
  if (!spec) return name;
  return /^[<>=!]/.test(spec) ? `${name}${spec}` : `${name}=${spec}`;
}
