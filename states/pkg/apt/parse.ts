/**
 * Pure parsers of apt/dpkg output (recorded samples in tests/fixtures/pkg/apt/). Commands run with LC_ALL=C.
 */
import type { PkgDb, PkgInfo, Plan } from '../types.js';

/** The dpkg-query format list() asks for: name, version, status abbreviation, architecture. */
export const DPKG_QUERY_FORMAT = '${Package}\\t${Version}\\t${db:Status-Abbrev}\\t${Architecture}\\n';

/**
 * `dpkg-query -W -f=DPKG_QUERY_FORMAT` → installed (status 2nd letter `i`, or half-configured states that dpkg
 * still counts as present), removed-with-config (`rc`), held (selection `h`).
 * A foreign-architecture package is named `name:arch`, as Salt's list_pkgs does.
 */
export function parseDpkgQuery(out: string, nativeArch?: string): PkgDb {
  const db: PkgDb = { installed: {}, removed: {}, held: [] };
  for (const line of out.split('\n')) {
    const [pkg, version, abbrev, arch] = line.split('\t');
    if (!pkg || version === undefined || !abbrev) continue;
    const name = arch && nativeArch && arch !== 'all' && arch !== nativeArch ? `${pkg}:${arch}` : pkg;
    const want = abbrev[0];
    const state = abbrev[1];
    if (state === 'i' || state === 'U' || state === 'F' || state === 'W' || state === 't') {
      db.installed[name] = version;
    } else if (state === 'c') {
      db.removed[name] = version;
    } else {
      continue; // 'n' (not installed, only known to dpkg): neither
    }
    if (want === 'h') db.held.push(name);
  }
  return db;
}

/**
 * `apt-cache policy NAME…` → per known name: installed, candidate, versions (newest first, as apt lists them).
 * Unknown names are absent from the output and from the result.
 */
export function parseAptPolicy(out: string): Record<string, PkgInfo> {
  const res: Record<string, PkgInfo> = {};
  let cur: PkgInfo | null = null;
  let inTable = false;
  for (const line of out.split('\n')) {
    const head = /^(\S+):$/.exec(line);
    if (head) {
      cur = { installed: null, candidate: null, versions: [] };
      res[head[1]!] = cur;
      inTable = false;
      continue;
    }
    if (!cur) continue;
    const kv = /^ {2}(Installed|Candidate): (.*)$/.exec(line);
    if (kv) {
      const v = kv[2]!.trim();
      const val = v === '(none)' ? null : v;
      if (kv[1] === 'Installed') cur.installed = val;
      else cur.candidate = val;
      continue;
    }
    if (/^ {2}Version table:/.test(line)) {
      inTable = true;
      continue;
    }
    // Version rows: " *** 1.1 500" or "     1.0 500"; source rows are indented deeper and start with a priority.
    const row = /^ (?:\*\*\*| {3}) (\S+) (-?\d+)(?: \(.*\))?$/.exec(line);
    if (inTable && row && !cur.versions.includes(row[1]!)) cur.versions.push(row[1]!);
  }
  return res;
}

/**
 * `apt-get -s …` → what would change. `Inst name [old] (new repo [arch])`, `Remv name [old]`,
 * `Purg name [old]` (no `[old]` when only config files are left: the old version comes from `removed`).
 */
export function parseAptSimulation(out: string, removed: Record<string, string> = {}): Plan {
  const plan: Plan = {};
  for (const line of out.split('\n')) {
    const inst = /^Inst (\S+)(?: \[([^\]]+)\])? \((\S+)/.exec(line);
    if (inst) {
      plan[inst[1]!] = { old: inst[2] ?? '', new: inst[3]! };
      continue;
    }
    const rm = /^(?:Remv|Purg) (\S+)(?: \[([^\]]+)\])?/.exec(line);
    if (rm) plan[rm[1]!] = { old: rm[2] ?? removed[rm[1]!] ?? '', new: '' };
  }
  return plan;
}

/** apt-get's "E: …" lines, for comments. */
export function aptErrors(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('E: '))
    .map((l) => l.slice(3).trim());
}
