/**
 * apt/dpkg backend. Every apt-get/apt-cache call carries the caller's extra apt options (ctx.opts.apt_options,
 * e.g. a private `Dir::Etc::SourceList`), runs non-interactively in the C locale and waits for the dpkg lock
 * instead of failing when another apt is running.
 */
import { CommandError } from '../../../engine/errors.js';
import type { CommandResult } from '../../../engine/host/types.js';
import type { Cmd, Fact } from '../fact.js';
import { expectCode, failureText } from '../fact.js';
import type { InstallRequest, PkgBackend, PkgDb, PkgInfo, Plan } from '../types.js';
import { debCompare } from '../version/deb.js';
import { aptErrors, DPKG_QUERY_FORMAT, parseAptPolicy, parseAptSimulation, parseDpkgQuery } from './parse.js';

export const APT_ENV: Record<string, string> = {
  DEBIAN_FRONTEND: 'noninteractive',
  APT_LISTCHANGES_FRONTEND: 'none',
  NEEDRESTART_MODE: 'l',
  LC_ALL: 'C',
};

/** Options for every apt-get install/remove: keep changed conffiles, take the maintainer default otherwise. */
const DPKG_CONF = ['-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold'];

export interface AptConfig {
  /** Extra arguments for apt-get, apt-cache and apt-mark (`['-o', 'Dir::Etc::SourceList=/x.list', …]`). */
  aptOptions?: string[];
  /** Seconds to wait for the dpkg lock. */
  lockTimeout?: number;
}

// A constant script (no data spliced in): the native architecture first, then the package database.
const LIST_SCRIPT = `dpkg --print-architecture && exec dpkg-query -W -f='${DPKG_QUERY_FORMAT}'`;

export class AptBackend implements PkgBackend {
  readonly name = 'apt' as const;
  private readonly extra: string[];
  private readonly lock: string[];

  constructor(cfg: AptConfig = {}) {
    this.extra = cfg.aptOptions ?? [];
    this.lock = ['-o', `DPkg::Lock::Timeout=${cfg.lockTimeout ?? 600}`];
  }

  compare(a: string, b: string): number {
    return debCompare(a, b);
  }

  sameVersion(installed: string, spec: string): boolean {
    return debCompare(installed, spec) === 0;
  }

  list(): Fact<PkgDb> {
    return {
      argv: ['sh', '-c', LIST_SCRIPT],
      env: APT_ENV,
      parse: (res) => {
        // dpkg-query exits 1 only when a named pattern matches nothing; with no pattern 0 is success.
        expectCode(['dpkg-query', '-W'], res);
        const nl = res.stdout.indexOf('\n');
        return parseDpkgQuery(res.stdout.slice(nl + 1), res.stdout.slice(0, nl).trim());
      },
    };
  }

  info(names: string[], fromrepo?: string): Fact<Record<string, PkgInfo>> {
    const rel = fromrepo ? ['-o', `APT::Default-Release=${fromrepo}`] : [];
    const argv = ['apt-cache', '-q', ...this.extra, ...rel, 'policy', ...names];
    return {
      argv,
      env: APT_ENV,
      parse: (res) => {
        expectCode(argv, res);
        return parseAptPolicy(res.stdout);
      },
    };
  }

  private installArgv(req: InstallRequest, simulate: boolean): string[] {
    const argv = ['apt-get', '-q', '-y', ...this.lock, ...this.extra, ...DPKG_CONF];
    if (simulate) argv.push('-s');
    if (req.downgrade) argv.push('--allow-downgrades');
    if (req.changeHeld) argv.push('--allow-change-held-packages');
    if (req.skipVerify) argv.push('--allow-unauthenticated');
    if (req.fromrepo) argv.push('-t', req.fromrepo);
    argv.push('install');
    for (const t of req.targets) argv.push(t.version ? `${t.name}=${t.version}` : t.name);
    return argv;
  }

  simulateInstall(req: InstallRequest, db: PkgDb): Fact<Plan> {
    const argv = this.installArgv(req, true);
    return { argv, env: APT_ENV, parse: (res) => simulation(argv, res, db) };
  }

  install(req: InstallRequest): Cmd {
    return { argv: this.installArgv(req, false), env: APT_ENV };
  }

  private removeArgv(names: string[], purge: boolean, simulate: boolean): string[] {
    const argv = ['apt-get', '-q', '-y', ...this.lock, ...this.extra, ...DPKG_CONF];
    if (simulate) argv.push('-s');
    argv.push(purge ? 'purge' : 'remove', ...names);
    return argv;
  }

  simulateRemove(names: string[], purge: boolean, db: PkgDb): Fact<Plan> {
    const argv = this.removeArgv(names, purge, true);
    return { argv, env: APT_ENV, parse: (res) => simulation(argv, res, db) };
  }

  remove(names: string[], purge: boolean): Cmd {
    return { argv: this.removeArgv(names, purge, false), env: APT_ENV };
  }

  refresh(): Cmd {
    return { argv: ['apt-get', '-q', ...this.lock, ...this.extra, 'update'], env: APT_ENV };
  }

  hold(names: string[]): Cmd {
    return { argv: ['apt-mark', ...this.lock, ...this.extra, 'hold', ...names], env: APT_ENV };
  }

  unhold(names: string[]): Cmd {
    return { argv: ['apt-mark', ...this.lock, ...this.extra, 'unhold', ...names], env: APT_ENV };
  }
}

function simulation(argv: string[], res: CommandResult, db: PkgDb): Plan {
  if (res.code !== 0) {
    const errs = aptErrors(res.stdout + '\n' + res.stderr);
    throw new CommandError(errs.length ? errs.join('; ') : `${argv[0]} -s failed: ${failureText(res)}`);
  }
  return parseAptSimulation(res.stdout, db.removed);
}
