/**
 * A real, private apt repository for tests: builds .deb packages with `dpkg-deb --root-owner-group --build`,
 * indexes them as a flat `file:` repository (`dpkg-scanpackages --multiversion`), and gives the apt options that
 * point apt at it alone — a private source list, package lists and no shared caches — so the machine's apt
 * configuration, lists and caches stay untouched. Tests pass `aptOptions` as `opts.apt_options`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface DebSpec {
  name: string;
  version: string;
  depends?: string;
  /** Ship /etc/<name>/<name>.conf as a conffile (so remove leaves it, purge deletes it). */
  conffile?: boolean;
  /** Extra files shipped by the package: absolute path → content, or {content, mode} (an init script wants
   *  mode 0o755). Files under /etc/ are marked as conffiles. */
  files?: Record<string, string | { content: string; mode?: number }>;
  /** Maintainer scripts (DEBIAN/postinst, postrm, …): name → script text (written with mode 0o755). */
  scripts?: Partial<Record<'preinst' | 'postinst' | 'prerm' | 'postrm', string>>;
}

export interface AptRepo {
  /** Directory holding the .debs and the Packages index. */
  dir: string;
  /** `deb [trusted=yes] file:<dir> ./` */
  sourceLine: string;
  /** The private source list holding sourceLine. */
  listFile: string;
  /** apt options for every apt-get / apt-cache call (opts.apt_options). */
  aptOptions: string[];
  /** Adds packages and re-indexes (the lists must be refreshed afterwards). */
  add(debs: DebSpec[]): void;
  /** Removes the repository directory (not the installed packages: see purge()). */
  cleanup(): void;
}

/** The packages most pkg tests use: a dependency, two versions depending on it (with a conffile), a leaf. */
export const HALITETEST_DEBS: DebSpec[] = [
  { name: 'halitetest-dep', version: '1.0' },
  { name: 'halitetest', version: '1.0', depends: 'halitetest-dep (>= 1.0)', conffile: true },
  { name: 'halitetest', version: '1.1', depends: 'halitetest-dep (>= 1.0)', conffile: true },
  { name: 'halitetest-extra', version: '2.0' },
];

const run = (cmd: string, args: string[], opts: { cwd?: string; input?: string } = {}): string =>
  execFileSync(cmd, args, {
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' },
    ...opts,
  });

/** Installs dpkg-dev (dpkg-scanpackages) when missing. */
export function ensureDpkgDev(): void {
  if (spawnSync('sh', ['-c', 'command -v dpkg-scanpackages'], { stdio: 'ignore' }).status === 0) return;
  run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-q', 'dpkg-dev'], {});
}

function buildDeb(work: string, out: string, d: DebSpec): void {
  const root = join(work, `${d.name}_${d.version}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr/share', d.name), { recursive: true });
  const control = [
    `Package: ${d.name}`,
    `Version: ${d.version}`,
    'Architecture: all',
    'Maintainer: halite tests <tests@example.invalid>',
    ...(d.depends ? [`Depends: ${d.depends}`] : []),
    'Description: dummy package for halite pkg tests',
    '',
  ].join('\n');
  writeFileSync(join(root, 'DEBIAN/control'), control);
  writeFileSync(join(root, 'usr/share', d.name, 'VERSION'), `${d.name} ${d.version}\n`);
  const conffiles: string[] = [];
  if (d.conffile) {
    mkdirSync(join(root, 'etc', d.name), { recursive: true });
    writeFileSync(join(root, 'etc', d.name, `${d.name}.conf`), `setting=${d.version}\n`);
    conffiles.push(`/etc/${d.name}/${d.name}.conf`);
  }
  for (const [path, f] of Object.entries(d.files ?? {})) {
    const { content, mode } = typeof f === 'string' ? { content: f, mode: 0o644 } : { mode: 0o644, ...f };
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    chmodSync(join(root, path), mode);
    if (path.startsWith('/etc/')) conffiles.push(path);
  }
  if (conffiles.length) writeFileSync(join(root, 'DEBIAN/conffiles'), conffiles.map((c) => `${c}\n`).join(''));
  for (const [name, text] of Object.entries(d.scripts ?? {})) {
    writeFileSync(join(root, 'DEBIAN', name), text);
    chmodSync(join(root, 'DEBIAN', name), 0o755);
  }
  run('dpkg-deb', ['--root-owner-group', '--build', root, join(out, `${d.name}_${d.version}_all.deb`)]);
}

function index(dir: string): void {
  const packages = run('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], { cwd: dir });
  writeFileSync(join(dir, 'Packages'), packages);
}

/** Builds the repository (world-readable, so apt's _apt sandbox user can read it). */
export function buildAptRepo(debs: DebSpec[] = HALITETEST_DEBS): AptRepo {
  ensureDpkgDev();
  const base = mkdtempSync(join(tmpdir(), 'halite-aptrepo-'));
  chmodSync(base, 0o755);
  const dir = join(base, 'repo');
  const work = join(base, 'build');
  const lists = join(base, 'lists');
  for (const d of [dir, work, join(lists, 'partial')]) mkdirSync(d, { recursive: true, mode: 0o755 });
  const sourceLine = `deb [trusted=yes] file:${dir} ./`;
  const listFile = join(base, 'sources.list');
  writeFileSync(listFile, `${sourceLine}\n`);
  const aptOptions = [
    '-o', `Dir::Etc::SourceList=${listFile}`,
    '-o', 'Dir::Etc::SourceParts=-',
    '-o', `Dir::State::Lists=${lists}`,
    '-o', 'Dir::Cache::pkgcache=',
    '-o', 'Dir::Cache::srcpkgcache=',
  ];
  const add = (more: DebSpec[]): void => {
    for (const d of more) buildDeb(work, dir, d);
    index(dir);
  };
  add(debs);
  return { dir, sourceLine, listFile, aptOptions, add, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** `apt-get update` against the private repository only. */
export function refreshRepo(repo: AptRepo): void {
  run('apt-get', ['-q', ...repo.aptOptions, 'update']);
}

/** Purges packages (those not installed are skipped); used before and after a suite. */
export function purgePackages(names: string[]): void {
  const known = names.filter((n) => spawnSync('dpkg-query', ['-W', n], { stdio: 'ignore' }).status === 0);
  if (!known.length) return;
  spawnSync('apt-mark', ['-o', 'DPkg::Lock::Timeout=600', 'unhold', ...known], { stdio: 'ignore' });
  // apt-get (not dpkg) so the call waits for the dpkg lock when another apt runs on this shared machine.
  run('apt-get', ['-q', '-y', '-o', 'DPkg::Lock::Timeout=600', 'purge', ...known]);
}

/** `name version status` of the installed/config-files packages among names (dpkg-query, for assertions). */
export function dpkgStatus(names: string[]): Record<string, { version: string; status: string }> {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package}\\t${Version}\\t${db:Status-Abbrev}\\n', ...names], { encoding: 'utf8' });
  const out: Record<string, { version: string; status: string }> = {};
  for (const line of (r.stdout ?? '').split('\n')) {
    const [p, v, s] = line.split('\t');
    if (p && v !== undefined && s && s[1] !== 'n') out[p] = { version: v, status: s.trim() };
  }
  return out;
}
