/**
 * dnf / yum backend (RHEL, Fedora, CentOS, Alma, Rocky). Command lines follow dnf(8) and yum(8); versionlock
 * needs the versionlock plugin (python3-dnf-plugin-versionlock / yum-plugin-versionlock).
 * Verified only on recorded output written from the documented formats (no rpm host here): see README.md.
 */
import { CommandError } from '../../../engine/errors.js';
import type { Cmd, Fact } from '../fact.js';
import { expectCode, failureText } from '../fact.js';
import type { InstallRequest, PkgBackend, PkgDb, PkgInfo, Plan } from '../types.js';
import { rpmCompare } from '../version/rpm.js';
import { parseDnfList, parseDnfTransaction, parseRpmQa, parseVersionlockList, RPM_QUERY_FORMAT } from './parse.js';

export const RPM_ENV: Record<string, string> = { LC_ALL: 'C' };

// Constant script: native architecture first, then every installed package.
export const RPM_LIST_SCRIPT = `uname -m && exec rpm -qa --queryformat '${RPM_QUERY_FORMAT}'`;

export function rpmListFact(): Fact<PkgDb> {
  return {
    argv: ['sh', '-c', RPM_LIST_SCRIPT],
    env: RPM_ENV,
    parse: (res) => {
      expectCode(['rpm', '-qa'], res);
      const nl = res.stdout.indexOf('\n');
      return parseRpmQa(res.stdout.slice(nl + 1), res.stdout.slice(0, nl).trim());
    },
  };
}

/** rpm's sameVersion: a spec without a release matches any release. */
export function rpmSameVersion(installed: string, spec: string): boolean {
  return rpmCompare(installed, spec) === 0;
}

export class DnfBackend implements PkgBackend {
  constructor(readonly name: 'dnf' | 'yum') {}

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
    // No versionlock plugin → nothing can be held: an empty list, not an error.
    return { argv: [this.name, '-q', 'versionlock', 'list'], env: RPM_ENV, parse: (r) => (r.code === 0 ? parseVersionlockList(r.stdout) : []) };
  }

  private repoOpts(fromrepo?: string): string[] {
    return fromrepo ? ['--disablerepo=*', `--enablerepo=${fromrepo}`] : [];
  }

  info(names: string[], fromrepo?: string): Fact<Record<string, PkgInfo>> {
    const argv = [this.name, '-q', ...this.repoOpts(fromrepo), 'list', '--showduplicates', 'available', ...names];
    // Exit 1 with "No matching Packages to list" when none of the names is known: an empty answer.
    return { argv, env: RPM_ENV, parse: (r) => (r.code === 0 ? parseDnfList(r.stdout) : {}) };
  }

  private txArgv(req: InstallRequest, simulate: boolean): string[] {
    const argv = [this.name, simulate ? '--assumeno' : '-y', ...this.repoOpts(req.fromrepo)];
    if (req.changeHeld) argv.push('--disableplugin=versionlock');
    if (req.skipVerify) argv.push('--nogpgcheck');
    // yum cannot downgrade through `install`; dnf can.
    argv.push(req.downgrade && this.name === 'yum' ? 'downgrade' : 'install');
    for (const t of req.targets) argv.push(t.version ? `${t.name}-${t.version}` : t.name);
    return argv;
  }

  simulateInstall(req: InstallRequest, db: PkgDb): Fact<Plan> {
    const argv = this.txArgv(req, true);
    return { argv, env: RPM_ENV, parse: (r) => transaction(argv, r.code, r.stdout, r.stderr, db) };
  }

  install(req: InstallRequest): Cmd {
    return { argv: this.txArgv(req, false), env: RPM_ENV };
  }

  simulateRemove(names: string[], _purge: boolean, db: PkgDb): Fact<Plan> {
    const argv = [this.name, '--assumeno', 'remove', ...names];
    return { argv, env: RPM_ENV, parse: (r) => transaction(argv, r.code, r.stdout, r.stderr, db) };
  }

  remove(names: string[], _purge = false): Cmd {
    return { argv: [this.name, '-y', 'remove', ...names], env: RPM_ENV };
  }

  refresh(): Cmd {
    return { argv: [this.name, '-q', 'makecache'], env: RPM_ENV };
  }

  hold(names: string[]): Cmd {
    return { argv: [this.name, '-q', 'versionlock', 'add', ...names], env: RPM_ENV };
  }

  unhold(names: string[]): Cmd {
    return { argv: [this.name, '-q', 'versionlock', 'delete', ...names], env: RPM_ENV };
  }
}

/** --assumeno exits 1 after printing the table ("Operation aborted."); 0 with "Nothing to do."; an error otherwise. */
function transaction(argv: string[], code: number, stdout: string, stderr: string, db: PkgDb): Plan {
  const text = `${stdout}\n${stderr}`;
  if (/Nothing to do/.test(text)) return {};
  if (code !== 0 && !/Transaction Summary/.test(text)) {
    const err = text.split('\n').filter((l) => /^(Error|No match)/.test(l.trim()));
    throw new CommandError(err.length ? err.join('; ') : `${argv[0]} failed: ${failureText({ code, stdout, stderr })}`);
  }
  return parseDnfTransaction(stdout, db);
}
