/**
 * pkg.latest: the packages are installed at the newest version the repositories offer.
 *
 * @example
 * ```yaml
 * openssl:
 *   pkg.latest:
 *     - refresh: True
 * ```
 */
import type { Dict, StateContext, StateResult } from '../../engine/types.js';
import { aptErrors } from './apt/parse.js';
import { failureComment, result, truthy } from './common.js';
import { diffVersions, readDb, sortPlan } from './db.js';
import { failureText, runCmd, runFact, succeeded } from './fact.js';
import { heldComment } from './hold.js';
import { desiredFrom } from './spec.js';
import { selectBackend } from './select.js';
import type { InstallRequest } from './types.js';

async function latestInner(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const names = [...desiredFrom(name, args, false).keys()];
  const be = await selectBackend(ctx);
  const { host, signal } = ctx;
  const fromrepo = typeof args.fromrepo === 'string' ? args.fromrepo : undefined;
  if (truthy(args.refresh) && !ctx.test) {
    const rc = be.refresh();
    const r = await runCmd(host, rc, signal);
    if (!succeeded(rc, r)) return result(name, false, `Failed to refresh the package database: ${failureText(r)}`);
  }
  const before = await readDb(host, be, signal);
  const info = await runFact(host, be.info(names, fromrepo), signal);
  const targets: Record<string, string> = {};
  const problems: string[] = [];
  for (const n of names) {
    const cand = info[n]?.candidate ?? null;
    const cur = before.installed[n];
    if (cand && (cur === undefined || be.compare(cand, cur) > 0)) targets[n] = cand;
    else if (cur === undefined) problems.push(`No information found for '${n}'.`);
  }
  if (problems.length) return result(name, false, problems.join(' '));
  const tnames = Object.keys(targets).sort();
  const upToDate = Array.isArray(args.pkgs) ? names.filter((n) => !(n in targets)).sort() : [];
  if (!tnames.length) {
    const comment =
      names.length > 10
        ? `All ${names.length} packages are up-to-date.`
        : names.length > 1
          ? `All packages are up-to-date (${[...names].sort().join(', ')}).`
          : `Package ${names[0]} is already up-to-date`;
    return result(name, true, comment);
  }
  const changeHeld = truthy(args.update_holds);
  const heldHit = changeHeld ? [] : tnames.filter((n) => before.held.includes(n));
  if (heldHit.length) return result(name, false, heldComment(heldHit));
  const req: InstallRequest = { targets: tnames.map((n) => ({ name: n })), fromrepo, changeHeld, skipVerify: truthy(args.skip_verify) };
  const plan = sortPlan(await runFact(host, be.simulateInstall(req, before), signal));
  if (ctx.test) {
    const comments = [`The following packages would be installed/upgraded: ${tnames.join(', ')}`];
    if (upToDate.length) {
      comments.push(
        upToDate.length <= 10
          ? `The following packages are already up-to-date: ${upToDate.map((n) => `${n} (${before.installed[n]})`).join(', ')}`
          : `${upToDate.length} packages are already up-to-date`,
      );
    }
    return result(name, null, comments.join('\n'), plan);
  }
  const cmd = be.install(req);
  const res = await runCmd(host, cmd, signal);
  const after = await readDb(host, be, signal);
  const changes = diffVersions(before.installed, after.installed);
  if (!succeeded(cmd, res)) {
    const errs = aptErrors(res.stdout + '\n' + res.stderr);
    return result(name, false, `An error was encountered while installing package(s): ${errs.join('; ') || failureText(res)}`, changes);
  }
  const failed = tnames.filter((n) => after.installed[n] === undefined || be.compare(after.installed[n]!, targets[n]!) < 0);
  const ok = tnames.filter((n) => !failed.includes(n));
  const comments: string[] = [];
  if (failed.length) comments.push(`The following packages failed to update: ${failed.join(', ')}`);
  if (ok.length) comments.push(`The following packages were successfully installed/upgraded: ${ok.join(', ')}`);
  if (upToDate.length) {
    comments.push(
      upToDate.length <= 10
        ? `The following packages were already up-to-date: ${upToDate.join(', ')}`
        : `${upToDate.length} packages were already up-to-date `,
    );
  }
  return result(name, !failed.length, comments.join(' '), changes);
}

/** pkg.latest: `name` or `pkgs` (versions ignored), `refresh`, `fromrepo`. */
export async function latest(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  if (Array.isArray(args.pkgs) && args.pkgs.length === 0) return result(name, true, 'No packages to install provided');
  try {
    return await latestInner(ctx, name, args);
  } catch (e) {
    const msg = failureComment(e, 'An error was encountered while checking the newest available version of package(s): ');
    if (msg === null) throw e;
    return result(name, false, msg);
  }
}
