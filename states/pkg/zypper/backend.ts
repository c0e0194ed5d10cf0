/**
 * zypper backend (SUSE, openSUSE). Command lines follow zypper(8); holds are zypper locks.
 * Verified only on recorded output written from the documented formats (no SUSE host here): see README.md.
 */
import { CommandError } from '../../../engine/errors.js';
import type { CommandResult } from '../../../engine/host/types.js';
import type { Cmd, Fact } from '../fact.js';
import { failureText } from '../fact.js';
import { RPM_ENV, rpmListFact, rpmSameVersion } from '../rpm/backend.js';
import type { InstallRequest, PkgBackend, PkgDb, PkgInfo, Plan } from '../types.js';
import { rpmCompare } from '../version/rpm.js';
import { parseZyppLocks, parseZypperSearch, parseZypperSummary, zypperErrors } from './parse.js';

const Z = ['zypper', '--non-interactive'];
/** 0 done; 100-103 done with a note (updates/patches pending, reboot or zypper restart needed). */
const OK = [0, 100, 101, 102, 103];

export class ZypperBackend implements PkgBackend {
  readonly name = 'zypper' as const;

  compare(a: string, b: string): number {
    return rpmCompare(a, b);
  }

  sameVersion(installed: string, spec: string): boolean {
    return rpmSameVersion(installed, spec);
  }

  list(): Fact<PkgDb> {
    return rpmListFact();
  }

  holds(): Fact<string[]> {
    return { argv: ['cat', '/etc/zypp/locks'], env: RPM_ENV, parse: (r) => (r.code === 0 ? parseZyppLocks(r.stdout) : []) };
  }

  info(names: string[], fromrepo?: string): Fact<Record<string, PkgInfo>> {
    const repo = fromrepo ? ['--repo', fromrepo] : [];
    const argv = [...Z, '--xmlout', 'search', '--match-exact', '--details', '--type', 'package', ...repo, ...names];
    // 104: nothing matched.
    return { argv, env: RPM_ENV, parse: (r) => (r.code === 0 ? parseZypperSearch(r.stdout) : {}) };
  }

  private installArgv(req: InstallRequest, simulate: boolean): string[] {
    const argv = [...Z, ...(simulate ? ['--xmlout'] : []), ...(req.skipVerify ? ['--no-gpg-checks'] : []), 'install', '--auto-agree-with-licenses'];
    if (simulate) argv.push('--dry-run');
    if (req.downgrade) argv.push('--oldpackage');
    if (req.fromrepo) argv.push('--from', req.fromrepo);
    for (const t of req.targets) argv.push(t.version ? `${t.name}=${t.version}` : t.name);
    return argv;
  }

  simulateInstall(req: InstallRequest, db: PkgDb): Fact<Plan> {
    const argv = this.installArgv(req, true);
    return { argv, env: RPM_ENV, parse: (r) => summary(argv, r, db) };
  }

  install(req: InstallRequest): Cmd {
    return { argv: this.installArgv(req, false), env: RPM_ENV, ok: OK };
  }

  simulateRemove(names: string[], _purge: boolean, db: PkgDb): Fact<Plan> {
    const argv = [...Z, '--xmlout', 'remove', '--dry-run', ...names];
    return { argv, env: RPM_ENV, parse: (r) => summary(argv, r, db) };
  }

  remove(names: string[], _purge = false): Cmd {
    return { argv: [...Z, 'remove', ...names], env: RPM_ENV, ok: OK };
  }

  refresh(): Cmd {
    return { argv: [...Z, 'refresh'], env: RPM_ENV, ok: OK };
  }

  hold(names: string[]): Cmd {
    return { argv: [...Z, 'addlock', ...names], env: RPM_ENV };
  }

  unhold(names: string[]): Cmd {
    return { argv: [...Z, 'removelock', ...names], env: RPM_ENV };
  }
}

function summary(argv: string[], r: CommandResult, db: PkgDb): Plan {
  if (!OK.includes(r.code)) {
    const errs = zypperErrors(r.stdout);
    throw new CommandError(errs.length ? errs.join('; ') : `${argv[0]} failed: ${failureText(r)}`);
  }
  return parseZypperSummary(r.stdout, db);
}
