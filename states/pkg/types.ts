/**
 * The package-manager backend contract. A backend only builds commands and parses their output (facts); the
 * state functions (installed.ts, removed.ts, latest.ts) compare facts with the wanted state and decide what to
 * run. Every method is pure: nothing here touches a machine.
 */
import type { Cmd, Fact } from './fact.js';

/** What the package database says, from one (apt) or two (rpm + versionlock) commands. */
export interface PkgDb {
  /** name → installed version (Salt's list_pkgs). */
  installed: Record<string, string>;
  /** Removed but not purged (apt's `rc`: config files left) name → version. Empty on rpm systems. */
  removed: Record<string, string>;
  /** Names on hold (apt-mark hold, dnf versionlock, zypper addlock). */
  held: string[];
}

/** What the repositories offer for one package. */
export interface PkgInfo {
  installed: string | null;
  /** The version the package manager would install by default; null when the name is unknown. */
  candidate: string | null;
  /** Every available version, newest first. */
  versions: string[];
}

/** One change: Salt's `{old: '', new: '1.0'}`; '' means absent. */
export interface PkgChange {
  old: string;
  new: string;
}
export type Plan = Record<string, PkgChange>;

/** A package to install; `version` is exact (already resolved) or absent for the candidate. */
export interface Target {
  name: string;
  version?: string;
}

export interface InstallRequest {
  targets: Target[];
  fromrepo?: string;
  /** Some target is older than what is installed. */
  downgrade?: boolean;
  /** Allow the transaction to change held packages (Salt's update_holds). */
  changeHeld?: boolean;
  /** Install without checking package signatures (Salt's skip_verify). */
  skipVerify?: boolean;
}

export type BackendName = 'apt' | 'dnf' | 'yum' | 'zypper';

export interface PkgBackend {
  readonly name: BackendName;
  /** -1/0/1 like the package manager orders versions. */
  compare(a: string, b: string): number;
  /** True when `spec` (no operator) names `installed`: rpm ignores the release when the spec has none. */
  sameVersion(installed: string, spec: string): boolean;
  list(): Fact<PkgDb>;
  /** A second fact for holds when list() cannot see them (rpm systems); merged into PkgDb.held. */
  holds?(): Fact<string[]>;
  info(names: string[], fromrepo?: string): Fact<Record<string, PkgInfo>>;
  /** What an install would change, without changing anything. */
  simulateInstall(req: InstallRequest, db: PkgDb): Fact<Plan>;
  install(req: InstallRequest): Cmd;
  simulateRemove(names: string[], purge: boolean, db: PkgDb): Fact<Plan>;
  remove(names: string[], purge: boolean): Cmd;
  refresh(): Cmd;
  hold(names: string[]): Cmd;
  unhold(names: string[]): Cmd;
}
