/**
 * pkg.installed: the packages are installed, at the wanted version when one is given, in ONE transaction.
 *
 * @example
 * ```yaml
 * web-packages:
 *   pkg.installed:
 *     - pkgs:
 *       - nginx
 *       - curl: '7.88*'
 *     - hold: True
 * ```
 * Test mode asks the package manager to simulate the transaction (`apt-get -s`), so the predicted changes are the
 * ones an apply reports, dependencies included: `{pkgname: {old: '', new: '1.0'}}`.
 */
import type { Dict, StateContext, StateResult } from '../../engine/types.js';
import { countWord, failureComment, result, truthy } from './common.js';
import { diffVersions, readDb, sortPlan } from './db.js';
import { failureText, runCmd, runFact, succeeded } from './fact.js';
import { applyHold, heldComment, type HoldResult, planHold } from './hold.js';
import { type Desired, desiredFrom, desiredLabel, parseSpec, pickVersion, satisfies } from './spec.js';
import { selectBackend } from './select.js';
import type { InstallRequest, PkgBackend, PkgDb, PkgInfo, Plan, Target } from './types.js';
import { aptErrors } from './apt/parse.js';

interface TargetScan {
  /** name → spec of the packages that must be installed or changed. */
  targets: Desired;
  versionSpec: boolean;
}

/** Which desired packages are missing or at a version the spec does not accept. */
export function findTargets(be: PkgBackend, desired: Desired, db: PkgDb, info: Record<string, PkgInfo>): TargetScan {
  const targets: Desired = new Map();
  let versionSpec = false;
  for (const [n, spec] of desired) {
    const cur = db.installed[n];
    if (cur === undefined) {
      targets.set(n, spec);
      continue;
    }
    if (spec === null) continue;
    versionSpec = true;
    if (spec === 'latest') {
      const cand = info[n]?.candidate;
      if (cand && be.compare(cand, cur) > 0) targets.set(n, spec);
    } else if (!satisfies(be, cur, spec)) targets.set(n, spec);
  }
  return { targets, versionSpec };
}

/** Turns targets into exact install requests, or the problems that prevent it. */
export function resolveTargets(
  be: PkgBackend,
  targets: Desired,
  db: PkgDb,
  info: Record<string, PkgInfo>,
): { req: Target[]; downgrade: boolean; notFound: string[]; problems: string[] } {
  const req: Target[] = [];
  const notFound: string[] = [];
  const problems: string[] = [];
  let downgrade = false;
  for (const [n, spec] of targets) {
    const i = info[n];
    if (!i || (!i.candidate && !i.versions.length)) {
      notFound.push(n);
      continue;
    }
    if (spec === null || spec === 'latest') {
      req.push({ name: n });
      continue;
    }
    const v = pickVersion(be, spec, i.versions);
    if (v === null) {
      problems.push(`No version of package '${n}' matching '${spec}' is available (available: ${i.versions.join(', ') || 'none'}).`);
      continue;
    }
    const cur = db.installed[n];
    if (cur !== undefined && be.compare(v, cur) < 0) downgrade = true;
    req.push({ name: n, version: v });
  }
  return { req, downgrade, notFound: notFound.sort(), problems };
}

/** Salt's way of folding hold results into package changes ("1.0\nhold"). */
function mergeHold(changes: Dict, holds: Record<string, HoldResult>): void {
  for (const h of Object.values(holds)) {
    if (!('new' in h.changes)) continue;
    const c = changes[h.name] as { old: string; new: string } | undefined;
    if (c) {
      changes[h.name] = {
        old: c.old ? `${c.old}\n${h.changes.old}` : h.changes.old,
        new: c.new ? `${c.new}\n${h.changes.new}` : h.changes.new,
      };
    } else changes[h.name] = { ...h.changes };
  }
}

function holdOutcome(holds: Record<string, HoldResult>): { failed: boolean; comments: string[] } {
  const rs = Object.values(holds);
  return { failed: rs.some((r) => r.result === false), comments: rs.map((r) => r.comment) };
}

export async function installed(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  if (Array.isArray(args.pkgs) && args.pkgs.length === 0) return result(name, true, 'No packages to install provided');
  if (args.sources !== undefined) return result(name, false, "pkg.installed: 'sources' is not supported; use name or pkgs");
  try {
    return await installedInner(ctx, name, args);
  } catch (e) {
    const msg = failureComment(e, 'An error was encountered while installing package(s): ');
    if (msg === null) throw e;
    return result(name, false, msg);
  }
}

async function installedInner(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const desired = desiredFrom(name, args);
  for (const spec of desired.values()) if (spec !== null && spec !== 'latest') parseSpec(spec);
  const be = await selectBackend(ctx);
  const { host, signal } = ctx;
  const fromrepo = typeof args.fromrepo === 'string' ? args.fromrepo : undefined;
  const hold = args.hold === undefined || args.hold === null ? undefined : truthy(args.hold);

  if (truthy(args.refresh) && !ctx.test) {
    const rc = be.refresh();
    const r = await runCmd(host, rc, signal);
    if (!succeeded(rc, r)) return result(name, false, `Failed to refresh the package database: ${failureText(r)}`);
  }
  const before = await readDb(host, be, signal);
  const wantLatest = [...desired].filter(([, s]) => s === 'latest').map(([n]) => n);
  const latestInfo = wantLatest.length ? await runFact(host, be.info(wantLatest, fromrepo), signal) : {};
  const { targets, versionSpec } = findTargets(be, desired, before, latestInfo);

  if (!targets.size) return alreadyInstalled(ctx, be, name, [...desired.keys()], versionSpec, before, hold);

  const info = { ...latestInfo, ...(await runFact(host, be.info([...targets.keys()], fromrepo), signal)) };
  const r = resolveTargets(be, targets, before, info);
  if (r.notFound.length) {
    return result(
      name,
      false,
      `The following package(s) were not found, and no possible matches were found in the package db: ${r.notFound.join(', ')}`,
    );
  }
  if (r.problems.length) return result(name, false, r.problems.join(' '));
  const req: InstallRequest = {
    targets: r.req,
    fromrepo,
    downgrade: r.downgrade,
    changeHeld: truthy(args.update_holds) || hold === false,
    skipVerify: truthy(args.skip_verify),
  };
  // apt refuses (even when simulating with -y) to change a held package: say so in words the user can act on.
  const heldHit = req.changeHeld ? [] : r.req.filter((t) => before.held.includes(t.name) && t.name in before.installed).map((t) => t.name);
  if (heldHit.length) {
    return result(name, false, heldComment(heldHit));
  }
  const plan = sortPlan(await runFact(host, be.simulateInstall(req, before), signal));
  if (ctx.test) return predictInstall(name, [...desired.keys()], targets, plan, before, hold);

  const cmd = be.install(req);
  const res = await runCmd(host, cmd, signal);
  const after = await readDb(host, be, signal);
  const changes: Dict = diffVersions(before.installed, after.installed);
  if (!succeeded(cmd, res)) {
    const errs = aptErrors(res.stdout + '\n' + res.stderr);
    const why = errs.length ? errs.join('; ') : failureText(res);
    return result(name, false, `An error was encountered while installing package(s): ${why}`, changes);
  }
  // update_holds without hold: held packages were unheld for the transaction only; hold them again.
  if (hold === undefined && req.changeHeld) {
    const lost = before.held.filter((n) => n in after.installed && !after.held.includes(n));
    if (lost.length) await applyHold(host, be, planHold(lost, true, after), true, signal);
  }
  return reportInstall(ctx, be, name, desired, targets, after, changes, hold);
}

async function alreadyInstalled(
  ctx: StateContext,
  be: PkgBackend,
  name: string,
  names: string[],
  versionSpec: boolean,
  db: PkgDb,
  hold: boolean | undefined,
): Promise<StateResult> {
  let comment = `All specified packages are already installed${versionSpec ? ' and are at the desired version' : ''}`;
  if (hold === undefined) return result(name, true, comment);
  const plan = planHold(names, hold, db);
  const holds = ctx.test ? plan : await applyHold(ctx.host, be, plan, hold, ctx.signal);
  const changes: Dict = {};
  for (const h of Object.values(holds)) {
    comment += `.\n${h.comment}`;
    if ('new' in h.changes) changes[h.name] = { ...h.changes };
  }
  const out = holdOutcome(holds);
  const res = out.failed ? false : ctx.test && Object.keys(changes).length ? null : true;
  return result(name, res, comment, changes);
}

function predictInstall(
  name: string,
  names: string[],
  targets: Desired,
  plan: Plan,
  before: PkgDb,
  hold: boolean | undefined,
): StateResult {
  const changes: Dict = { ...plan };
  const comments = [`The following packages would be installed/updated: ${[...targets.keys()].join(', ')}`];
  if (hold !== undefined) {
    // After the transaction every planned package is installed, so it can be held; and apt-get install resets
    // the selection of a held package it changes to "install", so it is no longer held.
    const installedAfter = { ...before.installed };
    for (const [n, c] of Object.entries(plan)) if (c.new) installedAfter[n] = c.new;
    const held = before.held.filter((n) => !plan[n]);
    const holds = planHold(names, hold, { ...before, installed: installedAfter, held });
    mergeHold(changes, holds);
    comments.push(...holdOutcome(holds).comments);
  }
  return result(name, null, comments.join('\n'), changes);
}

async function reportInstall(
  ctx: StateContext,
  be: PkgBackend,
  name: string,
  desired: Desired,
  targets: Desired,
  after: PkgDb,
  changes: Dict,
  hold: boolean | undefined,
): Promise<StateResult> {
  const ok = (n: string): boolean => {
    const v = after.installed[n];
    const spec = desired.get(n) ?? null;
    return v !== undefined && (spec === null || spec === 'latest' || satisfies(be, v, spec));
  };
  const label = (n: string): string => desiredLabel(n, desired.get(n) ?? null);
  const modified = [...targets.keys()].filter(ok);
  const failed = [...targets.keys()].filter((n) => !ok(n));
  const notModified = [...desired.keys()].filter((n) => !targets.has(n));
  const comments: string[] = [];
  if (modified.length) {
    const summary = modified.map(label).join(', ');
    comments.push(
      summary.length < 20 ? `The following packages were installed/updated: ${summary}` : `${countWord(modified.length)} installed/updated.`,
    );
  }
  let holdFailed = false;
  if (hold !== undefined) {
    const holds = await applyHold(ctx.host, be, planHold([...desired.keys()], hold, after), hold, ctx.signal);
    mergeHold(changes, holds);
    const out = holdOutcome(holds);
    holdFailed = out.failed;
    comments.push(...out.comments);
  }
  if (notModified.length) {
    comments.push(
      notModified.length <= 20
        ? `The following packages were already installed: ${notModified.map(label).join(', ')}`
        : `${countWord(notModified.length)} already installed`,
    );
  }
  if (failed.length) comments.unshift(`The following packages failed to install/update: ${failed.map(label).join(', ')}`);
  return result(name, !failed.length && !holdFailed, comments.join('\n'), changes);
}
