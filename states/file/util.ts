/**
 * Small helpers shared by the file states: result builders, Salt's mode notation, path and account checks,
 * and the "is this text secret?" test that decides whether a diff may be shown.
 */
import type { Host } from '../../engine/host/types.js';
import type { Dict, ExecContext, StateResult } from '../../engine/types.js';

/** Salt's test-mode note for file.managed (exact wording, line breaks included). */
export const TEST_NOTE = 'Note: No changes made, actual changes may\nbe different due to other states.';

export function ok(name: string, comment: string, changes: Dict = {}): StateResult {
  return { name, result: true, comment, changes };
}

export function fail(name: string, comment: string, changes: Dict = {}): StateResult {
  return { name, result: false, comment, changes };
}

export function pending(name: string, comment: string, changes: Dict): StateResult {
  return { name, result: null, comment, changes };
}

/** Failure for a state whose re-inspection after apply still shows a difference. */
export function notConverged(name: string, what: string, changes: Dict = {}): StateResult {
  return fail(name, `${name} did not converge: ${what} still differs after the change was applied`, changes);
}

/**
 * Parse a mode as Salt reads it: YAML ints carry octal digits (`644` → 0o644, and `0644` read as YAML 1.1 gives
 * 420 decimal… which the renderer already turns back into 644), strings are octal (`'0644'`, `'755'`).
 * Returns undefined for null/undefined/''; throws on anything that is not 1–4 octal digits.
 */
export function parseMode(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const s = typeof v === 'number' ? String(v) : String(v).trim();
  if (!/^[0-7]{1,4}$/.test(s)) throw new Error(`Invalid mode '${String(v)}': expected octal digits such as 0644`);
  return parseInt(s, 8);
}

/** Salt's mode notation in changes: `0644`, `0755`, `2775`. */
export function fmtMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

export function isAbsolute(p: unknown): p is string {
  return typeof p === 'string' && p.startsWith('/');
}

/** POSIX dirname without node:path (target paths are POSIX whatever the controller is). */
export function dirname(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i <= 0 ? '/' : trimmed.slice(0, i);
}

export function basename(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

export function joinPath(a: string, b: string): string {
  return a.endsWith('/') ? a + b : `${a}/${b}`;
}

/** Normalise a state's `name`: Salt strips trailing slashes (except for `/`). */
export function normName(name: string): string {
  return name.length > 1 ? name.replace(/\/+$/, '') : name;
}

async function accountExists(host: Host, db: 'passwd' | 'group', who: string | number): Promise<boolean> {
  const r = await host.run(['getent', db, String(who)]);
  return r.code === 0;
}

const given = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** Which of user/group do not exist on the target (getent). */
export async function missingAccounts(host: Host, user?: unknown, group?: unknown): Promise<{ user?: string; group?: string }> {
  const out: { user?: string; group?: string } = {};
  if (given(user) && !(await accountExists(host, 'passwd', user as string))) out.user = String(user);
  if (given(group) && !(await accountExists(host, 'group', group as string))) out.group = String(group);
  return out;
}

/**
 * Salt's `_check_user`: '' when user and group exist on the target, else
 * `User X is not available Group Y is not available` (Salt's exact spacing).
 */
export async function checkUserGroup(host: Host, user?: unknown, group?: unknown): Promise<string> {
  const m = await missingAccounts(host, user, group);
  return (m.user !== undefined ? `User ${m.user} is not available ` : '') + (m.group !== undefined ? `Group ${m.group} is not available` : '');
}

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** Optional engine hook (not in the ExecContext contract yet): ask whether a value was registered as secret. */
type SecretAware = { isSecret?: (value: string) => boolean };

/**
 * True when a text must never be shown: it looks like a private key, the state said `secret: True`, or the
 * engine reports it as a registered secret. Private keys found here are registered so outputters mask them too.
 */
export function isSecretText(ctx: ExecContext, text: string | null | undefined, args: Dict = {}): boolean {
  if (args['secret'] === true) return true;
  if (!text) return false;
  if (PRIVATE_KEY.test(text)) {
    ctx.secret(text);
    return true;
  }
  const probe = (ctx as unknown as SecretAware).isSecret;
  return typeof probe === 'function' ? probe.call(ctx, text) === true : false;
}

/** Truthy the way Salt reads YAML flags (True/'true'/1). */
export function flag(v: unknown, dflt = false): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'string') return /^(true|yes|on|1)$/i.test(v.trim());
  return Boolean(v);
}

/** `a` or `[a, b]` → list of strings. */
export function strList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => String(x));
}

export function errMsg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
