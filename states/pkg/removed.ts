/**
 * pkg.removed and pkg.purged: the packages are absent (purged: their configuration files too).
 *
 * @example
 * ```yaml
 * no-telnet:
 *   pkg.purged:
 *     - pkgs: [telnet, rsh-client]
 * ```
 * Changes: removed `{name: {old: '1.0', new: ''}}`; purged, as Salt's apt module reports it,
 * `{installed: {…removed packages…}, removed: {…packages whose leftover config files were purged…}}`.
 */
import type { Dict, StateContext, StateResult } from '../../engine/types.js';
import { aptErrors } from './apt/parse.js';
import { failureComment, result } from './common.js';
import { diffVersions, readDb } from './db.js';
import { failureText, runCmd, runFact, succeeded } from './fact.js';
import { desiredFrom, parseSpec, satisfies } from './spec.js';
import { selectBackend } from './select.js';
import type { PkgBackend, PkgDb, Plan } from './types.js';

type Action = 'remove' | 'purge';

/** Installed packages to act on (a version spec limits it to matching versions), plus config-only ones for purge. */
export function findRemoveTargets(
  be: PkgBackend,
  desired: Map<string, string | null>,
  db: PkgDb,
  action: Action,
): { targets: string[]; versionSpec: boolean } {
  const targets: string[] = [];
  let versionSpec = false;
  for (const [n, spec] of desired) {
    const cur = db.installed[n];
    if (cur !== undefined) {
      if (spec === null) targets.push(n);
      else {
        versionSpec = true;
        if (satisfies(be, cur, spec)) targets.push(n);
      }
    } else if (action === 'purge' && n in db.removed) targets.push(n);
  }
  return { targets: targets.sort(), versionSpec };
}

/** Splits a plan the way Salt's apt purge reports it. */
function shapeChanges(action: Action, plan: Plan, before: PkgDb): Dict {
  if (action === 'remove') return plan;
  const installed: Plan = {};
  const removed: Plan = {};
  for (const [n, c] of Object.entries(plan)) {
    if (n in before.installed) installed[n] = c;
    else removed[n] = c;
  }
  return { removed, installed };
}

async function uninstall(ctx: StateContext, name: string, args: Dict, action: Action): Promise<StateResult> {
  const desired = desiredFrom(name, args);
  for (const spec of desired.values()) if (spec !== null) parseSpec(spec);
  const be = await selectBackend(ctx);
  const { host, signal } = ctx;
  const before = await readDb(host, be, signal);
  const { targets, versionSpec } = findRemoveTargets(be, desired, before, action);
  if (!targets.length) {
    if (action === 'remove') {
      const matching = versionSpec ? ' (matching specified versions)' : '';
      return result(name, true, `All specified packages${matching} are already absent`);
    }
    return result(name, true, 'None of the targeted packages are installed or partially installed');
  }
  const held = targets.filter((n) => before.held.includes(n) && n in before.installed);
  if (held.length) {
    return result(name, false, `The following packages are held: ${held.join(', ')}. Unhold them first (pkg.installed with hold: False).`);
  }
  if (ctx.test) {
    const plan = await runFact(host, be.simulateRemove(targets, action === 'purge', before), signal);
    return result(name, null, `The following packages will be ${action}d: ${targets.join(', ')}.`, shapeChanges(action, plan, before));
  }
  const cmd = be.remove(targets, action === 'purge');
  const res = await runCmd(host, cmd, signal);
  const after = await readDb(host, be, signal);
  const installedDiff = diffVersions(before.installed, after.installed);
  const changes: Dict =
    action === 'remove' ? installedDiff : { removed: diffVersions(before.removed, after.removed), installed: installedDiff };
  if (!succeeded(cmd, res)) {
    const errs = aptErrors(res.stdout + '\n' + res.stderr);
    const why = errs.length ? errs.join('; ') : failureText(res);
    return result(name, false, `An error was encountered while ${action === 'remove' ? 'removing' : 'purging'} package(s): ${why}`, changes);
  }
  const failed = targets.filter((n) => n in after.installed || (action === 'purge' && n in after.removed));
  if (failed.length) return result(name, false, `The following packages failed to ${action}: ${failed.join(', ')}.`, changes);
  const notInstalled = [...desired.keys()].filter((n) => !targets.includes(n)).sort();
  const comment = notInstalled.length
    ? `The following packages were not installed: ${notInstalled.join(', ')} The following packages were ${action}d: ${targets.join(', ')}.`
    : `All targeted packages were ${action}d.`;
  return result(name, true, comment, changes);
}

async function guarded(ctx: StateContext, name: string, args: Dict, action: Action): Promise<StateResult> {
  try {
    return await uninstall(ctx, name, args, action);
  } catch (e) {
    const msg = failureComment(e, `An error was encountered while ${action === 'remove' ? 'removing' : 'purging'} package(s): `);
    if (msg === null) throw e;
    return result(name, false, msg);
  }
}

/** pkg.removed: `name` or `pkgs`, optional `version` (only remove when the installed version matches). */
export const removed = (ctx: StateContext, name: string, args: Dict): Promise<StateResult> => guarded(ctx, name, args, 'remove');
/** pkg.purged: like removed, and configuration files are deleted too. */
export const purged = (ctx: StateContext, name: string, args: Dict): Promise<StateResult> => guarded(ctx, name, args, 'purge');
