/**
 * Pure parsers of rpm / dnf / yum output. The samples they are tested on (tests/fixtures/pkg/rpm/) were written
 * from the tools' documented output formats, not recorded on a live RHEL/Fedora host: see states/pkg/README.md.
 */
import type { PkgDb, PkgInfo, Plan } from '../types.js';
import { rpmCompare } from '../version/rpm.js';

/** `rpm -qa --queryformat RPM_QUERY_FORMAT`: name, epoch, version, release, arch. */
export const RPM_QUERY_FORMAT = '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n';

/** `[epoch:]version-release`, the form Salt's list_pkgs uses (epoch shown only when not 0). */
export function evrString(epoch: string, version: string, release: string): string {
  const e = epoch && epoch !== '(none)' && epoch !== '0' ? `${epoch}:` : '';
  return release ? `${e}${version}-${release}` : `${e}${version}`;
}

/** 32-bit packages on a 64-bit host are listed as `name.i686`, as Salt does. */
function foreignArch(arch: string, native: string | undefined): boolean {
  if (!native || arch === 'noarch' || arch === native) return false;
  return !(native === 'x86_64' && arch === 'x86_64');
}

/** rpm -qa output (first line may be `uname -m`, see the backend) → installed packages. gpg-pubkey is skipped. */
export function parseRpmQa(out: string, native?: string): PkgDb {
  const db: PkgDb = { installed: {}, removed: {}, held: [] };
  for (const line of out.split('\n')) {
    const f = line.split('\t');
    if (f.length < 5 || f[0] === 'gpg-pubkey') continue;
    const [name, epoch, version, release, arch] = f as [string, string, string, string, string];
    const key = foreignArch(arch, native) ? `${name}.${arch}` : name;
    const v = evrString(epoch, version, release);
    // Several versions (kernels) may be installed: keep the newest, like `pkg.version` shows first.
    if (!db.installed[key] || rpmCompare(v, db.installed[key]!) > 0) db.installed[key] = v;
  }
  return db;
}

/** Joins rows a narrow terminal wrapped (a lone `name.arch` followed by the rest of the row). */
function unwrapRows(lines: string[]): string[][] {
  const rows: string[][] = [];
  let pending: string[] | null = null;
  for (const line of lines) {
    const toks = line.trim().split(/\s+/).filter(Boolean);
    if (!toks.length) continue;
    if (pending) {
      rows.push([...pending, ...toks]);
      pending = null;
    } else if (toks.length === 1 && /^\s/.test(line) === false) pending = toks;
    else rows.push(toks);
  }
  return rows;
}

function splitNameArch(na: string): [string, string] {
  const dot = na.lastIndexOf('.');
  return dot > 0 ? [na.slice(0, dot), na.slice(dot + 1)] : [na, ''];
}

/**
 * `dnf|yum list --showduplicates available NAME…` → available versions per name, newest first; the candidate is
 * the newest. Lines: `name.arch  [epoch:]version-release  repo`, under an "Available Packages" heading.
 */
export function parseDnfList(out: string): Record<string, PkgInfo> {
  const res: Record<string, PkgInfo> = {};
  const lines = out.split('\n').filter((l) => l.trim() && !/^(Available|Installed) Packages|^Last metadata|^Updating|^Error/.test(l));
  for (const toks of unwrapRows(lines)) {
    if (toks.length < 3) continue;
    const [name] = splitNameArch(toks[0]!);
    const info = (res[name] ??= { installed: null, candidate: null, versions: [] });
    if (!info.versions.includes(toks[1]!)) info.versions.push(toks[1]!);
  }
  for (const info of Object.values(res)) {
    info.versions.sort((a, b) => rpmCompare(b, a));
    info.candidate = info.versions[0] ?? null;
  }
  return res;
}

const SECTION = /^(Installing|Upgrading|Updating|Downgrading|Reinstalling|Removing|Erasing)\b.*:$/;

/**
 * The transaction table `dnf|yum install|remove --assumeno` prints before "Operation aborted." / "Exiting on user
 * command". Rows: ` name  arch  [epoch:]version-release  repo  size`. Old versions come from the database.
 */
export function parseDnfTransaction(out: string, db: PkgDb): Plan {
  const plan: Plan = {};
  let section: 'add' | 'remove' | null = null;
  const body: { sec: 'add' | 'remove'; line: string }[] = [];
  for (const line of out.split('\n')) {
    if (SECTION.test(line)) {
      section = /^(Removing|Erasing)/.test(line) ? 'remove' : 'add';
      continue;
    }
    if (/^Transaction Summary|^={5,}|^-{5,}/.test(line) || (line && !/^\s/.test(line))) {
      section = null;
      continue;
    }
    if (section && line.trim() && !/^\s+(replacing|obsoleting)\s/.test(line)) body.push({ sec: section, line });
  }
  for (const { sec, line } of body) {
    const toks = line.trim().split(/\s+/);
    if (toks.length < 3) continue;
    const [name, , version] = toks as [string, string, string];
    if (sec === 'add') plan[name] = { old: db.installed[name] ?? '', new: version };
    else plan[name] = { old: db.installed[name] ?? version, new: '' };
  }
  return plan;
}

/**
 * `dnf versionlock list` (`name-[epoch:]version-release.*`), `yum versionlock list` (`epoch:name-version-release.*`)
 * or dnf5's `Package name: NAME` blocks → locked names.
 */
export function parseVersionlockList(out: string): string[] {
  const names = new Set<string>();
  for (const raw of out.split('\n')) {
    const line = raw.trim();
    const dnf5 = /^Package name:\s*(\S+)/.exec(line);
    if (dnf5) {
      names.add(dnf5[1]!);
      continue;
    }
    const m = /^!?(?:\d+:)?(.+)-(?:\d+:)?[^-\s]+-[^-\s]+\.\*$/.exec(line);
    if (m) names.add(m[1]!);
  }
  return [...names].sort();
}
