/**
 * The `pkg` execution module: `salt['pkg.version']('vim')`, `halite call pkg.install pkgs='[a, b]'`.
 * Same backends and facts as the states; functions throw CommandError/InvocationError on failure.
 */
import { CommandError, InvocationError } from '../../engine/errors.js';
import type { Dict, ExecContext, ExecFunctionDef, ExecModule } from '../../engine/types.js';
import { truthy } from './common.js';
import { diffVersions, readDb, readDbSync } from './db.js';
import { failureText, runCmd, runFact, succeeded } from './fact.js';
import { applyHold, type HoldResult, planHold } from './hold.js';
import { resolveTargets } from './installed.js';
import { selectBackend, selectBackendSync } from './select.js';
import { desiredFrom, SpecError } from './spec.js';

/** Names from positional args, `name=`, or `pkgs=[…]`. */
function names(args: unknown[], kwargs: Dict): string[] {
  try {
    if (kwargs.pkgs !== undefined) return [...desiredFrom('', { pkgs: kwargs.pkgs }, false).keys()];
    const list = args.length ? args : kwargs.name !== undefined ? [kwargs.name] : [];
    return list.map((n) => [...desiredFrom(String(n), {}, false).keys()][0]!);
  } catch (e) {
    if (e instanceof SpecError) throw new InvocationError(e.message);
    throw e;
  }
}

function oneOrMany<T>(ns: string[], f: (n: string) => T): T | Record<string, T> {
  if (ns.length === 1) return f(ns[0]!);
  return Object.fromEntries(ns.map((n) => [n, f(n)]));
}

async function install(ctx: ExecContext, args: unknown[], kwargs: Dict): Promise<Dict> {
  const name = String(args[0] ?? kwargs.name ?? '');
  let desired;
  try {
    desired = desiredFrom(name, { pkgs: kwargs.pkgs, version: kwargs.version });
  } catch (e) {
    if (e instanceof SpecError) throw new InvocationError(e.message);
    throw e;
  }
  const be = await selectBackend(ctx);
  if (truthy(kwargs.refresh)) await refreshDb(ctx);
  const before = await readDb(ctx.host, be, ctx.signal);
  const fromrepo = typeof kwargs.fromrepo === 'string' ? kwargs.fromrepo : undefined;
  const info = await runFact(ctx.host, be.info([...desired.keys()], fromrepo), ctx.signal);
  const r = resolveTargets(be, desired, before, info);
  if (r.notFound.length) throw new CommandError(`No candidate found for package(s): ${r.notFound.join(', ')}`);
  if (r.problems.length) throw new CommandError(r.problems.join(' '));
  const cmd = be.install({ targets: r.req, fromrepo, downgrade: r.downgrade, changeHeld: truthy(kwargs.update_holds) });
  const res = await runCmd(ctx.host, cmd, ctx.signal);
  if (!succeeded(cmd, res)) throw new CommandError(`pkg.install failed: ${failureText(res)}`);
  return diffVersions(before.installed, (await readDb(ctx.host, be, ctx.signal)).installed);
}

async function uninstall(ctx: ExecContext, args: unknown[], kwargs: Dict, purge: boolean): Promise<Dict> {
  const be = await selectBackend(ctx);
  const before = await readDb(ctx.host, be, ctx.signal);
  const ns = names(args, kwargs).filter((n) => n in before.installed || (purge && n in before.removed));
  if (!ns.length) return purge ? { removed: {}, installed: {} } : {};
  const cmd = be.remove(ns, purge);
  const res = await runCmd(ctx.host, cmd, ctx.signal);
  if (!succeeded(cmd, res)) throw new CommandError(`pkg.${purge ? 'purge' : 'remove'} failed: ${failureText(res)}`);
  const after = await readDb(ctx.host, be, ctx.signal);
  const installed = diffVersions(before.installed, after.installed);
  return purge ? { removed: diffVersions(before.removed, after.removed), installed } : installed;
}

async function refreshDb(ctx: ExecContext): Promise<boolean> {
  const be = await selectBackend(ctx);
  const cmd = be.refresh();
  const res = await runCmd(ctx.host, cmd, ctx.signal);
  if (!succeeded(cmd, res)) throw new CommandError(`pkg.refresh_db failed: ${failureText(res)}`);
  return true;
}

async function latestVersion(ctx: ExecContext, args: unknown[], kwargs: Dict): Promise<unknown> {
  const ns = names(args, kwargs);
  const be = await selectBackend(ctx);
  if (truthy(kwargs.refresh)) await refreshDb(ctx);
  const db = await readDb(ctx.host, be, ctx.signal);
  const fromrepo = typeof kwargs.fromrepo === 'string' ? kwargs.fromrepo : undefined;
  const info = await runFact(ctx.host, be.info(ns, fromrepo), ctx.signal);
  // Salt: '' when the installed version is already the newest (or the name is unknown).
  return oneOrMany(ns, (n) => {
    const cand = info[n]?.candidate;
    const cur = db.installed[n];
    return cand && (cur === undefined || be.compare(cand, cur) > 0) ? cand : '';
  });
}

function holdFn(hold: boolean) {
  return async (ctx: ExecContext, args: unknown[], kwargs: Dict): Promise<Record<string, HoldResult>> => {
    const be = await selectBackend(ctx);
    const db = await readDb(ctx.host, be, ctx.signal);
    const plan = planHold(names(args, kwargs), hold, db);
    if (ctx.test) {
      // Salt's test-mode answer: result None, no changes.
      return Object.fromEntries(Object.entries(plan).map(([k, r]) => [k, r.result === null ? { ...r, changes: {} } : r]));
    }
    return applyHold(ctx.host, be, plan, hold, ctx.signal);
  };
}

function versionSync(ctx: ExecContext, args: unknown[], kwargs: Dict): unknown {
  const db = readDbSync(ctx.host, selectBackendSync(ctx));
  return oneOrMany(names(args, kwargs), (n) => db.installed[n] ?? '');
}

function listPkgsSync(ctx: ExecContext): Record<string, string> {
  return readDbSync(ctx.host, selectBackendSync(ctx)).installed;
}

function versionCmpSync(ctx: ExecContext, args: unknown[], kwargs: Dict): number {
  const a = String(args[0] ?? kwargs.pkg1 ?? '');
  const b = String(args[1] ?? kwargs.pkg2 ?? '');
  return selectBackendSync(ctx).compare(a, b);
}

const functions: Record<string, ExecFunctionDef> = {
  install: { fn: install, doc: 'Install packages (name or pkgs, version, refresh, fromrepo); returns {pkg: {old, new}}.' },
  remove: { fn: (c, a, k) => uninstall(c, a, k, false), doc: 'Remove packages; returns {pkg: {old, new}}.' },
  purge: { fn: (c, a, k) => uninstall(c, a, k, true), doc: 'Remove packages and their configuration files.' },
  version: { fn: versionSync, sync: versionSync, doc: "Installed version of one package ('' if absent), or a dict for several." },
  list_pkgs: { fn: listPkgsSync, sync: listPkgsSync, doc: 'Installed packages as {name: version}.' },
  latest_version: { fn: latestVersion, doc: "Newest available version, '' when the installed one is newest." },
  refresh_db: { fn: (c) => refreshDb(c), doc: 'Refresh the package database (apt-get update, dnf makecache, zypper refresh).' },
  hold: { fn: holdFn(true), doc: 'Hold packages at their version.' },
  unhold: { fn: holdFn(false), doc: 'Release held packages.' },
  version_cmp: { fn: versionCmpSync, sync: versionCmpSync, doc: 'Compare two versions as the package manager does: -1, 0, 1.' },
};

/** The `pkg` execution module. */
export const pkgExec: ExecModule = { name: 'pkg', functions, doc: 'Package management through apt, dnf/yum or zypper.' };
