/**
 * OS identity grains from /etc/os-release (pure): os, os_family, osfullname, osrelease, osmajorrelease,
 * osrelease_info, oscodename, osfinger, lsb_distrib_*. Names follow Salt's (RHEL → RedHat, SLES → SUSE …).
 */
import type { Dict } from '../types.js';

/** Parse os-release `KEY="value"` lines (shell quoting: double, single, backslash escapes). */
export function parseOsRelease(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of lines) {
    const line = raw.trim();
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2]!;
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
    else if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) v = v.slice(1, -1);
    out[m[1]!] = v;
  }
  return out;
}

/** Salt's short names, keyed by the first 10 lowercase characters of the name without spaces and "Linux". */
const OS_NAME_MAP: Record<string, string> = {
  redhatente: 'RedHat',
  redhat: 'RedHat',
  centos: 'CentOS',
  debian: 'Debian',
  raspbian: 'Raspbian',
  ubuntu: 'Ubuntu',
  fedora: 'Fedora',
  arch: 'Arch',
  archarm: 'Arch ARM',
  manjaro: 'Manjaro',
  almalinux: 'AlmaLinux',
  rocky: 'Rocky',
  oracleserv: 'OEL',
  oracle: 'OEL',
  amazon: 'Amazon',
  sles: 'SUSE',
  suselinuxe: 'SUSE',
  opensusele: 'Leap',
  opensuse: 'SUSE',
  linuxmint: 'Mint',
  alpine: 'Alpine',
  gentoo: 'Gentoo',
  void: 'Void',
  pop: 'Pop',
  cloudlinux: 'CloudLinux',
  scientific: 'ScientificLinux',
};

const OS_FAMILY_MAP: Record<string, string> = {
  Ubuntu: 'Debian',
  Debian: 'Debian',
  Raspbian: 'Debian',
  Mint: 'Debian',
  Pop: 'Debian',
  'KDE neon': 'Debian',
  RedHat: 'RedHat',
  CentOS: 'RedHat',
  'CentOS Stream': 'RedHat',
  Fedora: 'RedHat',
  Rocky: 'RedHat',
  AlmaLinux: 'RedHat',
  OEL: 'RedHat',
  Amazon: 'RedHat',
  CloudLinux: 'RedHat',
  ScientificLinux: 'RedHat',
  SUSE: 'Suse',
  Leap: 'Suse',
  'openSUSE Tumbleweed': 'Suse',
  Arch: 'Arch',
  'Arch ARM': 'Arch',
  Manjaro: 'Arch',
  Alpine: 'Alpine',
  Gentoo: 'Gentoo',
  Void: 'Void',
};

/** Salt's `os` grain from the distribution name. */
export function deriveOs(name: string): string {
  const distro = name.replace(/(?:gnu\/)?linux/gi, '').trim();
  const short = distro.replace(/\s+/g, '').toLowerCase().slice(0, 10);
  return OS_NAME_MAP[short] ?? distro;
}

/** Salt's `os_family` from `os`, with os-release ID_LIKE as a fallback for distributions Salt does not list. */
export function deriveOsFamily(os: string, idLike: string, id: string): string {
  const known = OS_FAMILY_MAP[os];
  if (known) return known;
  const like = `${idLike} ${id}`.toLowerCase().split(/\s+/);
  if (like.includes('debian') || like.includes('ubuntu')) return 'Debian';
  if (like.includes('rhel') || like.includes('fedora') || like.includes('centos')) return 'RedHat';
  if (like.some((x) => x.includes('suse'))) return 'Suse';
  if (like.includes('arch')) return 'Arch';
  return os;
}

/** All OS identity grains. `debianVersion` is /etc/debian_version (used when VERSION_ID is missing: testing/sid). */
export function osGrains(osr: Record<string, string>, debianVersion = ''): Dict {
  const name = osr.NAME ?? 'Linux';
  const os = deriveOs(name);
  const family = deriveOsFamily(os, osr.ID_LIKE ?? '', osr.ID ?? '');
  let osfullname = name.replace(/\s*GNU\/Linux\s*$/i, '').trim();
  if (os === 'Leap') osfullname = 'Leap';
  const osrelease = osr.VERSION_ID ?? (debianVersion.trim() || '');
  const info = osrelease
    .split('.')
    .filter((x) => /^\d+$/.test(x))
    .map(Number);
  const major = /^\d+/.exec(osrelease);
  let codename = osr.VERSION_CODENAME ?? osr.UBUNTU_CODENAME ?? /\(([^)]+)\)/.exec(osr.VERSION ?? '')?.[1] ?? '';
  if (family === 'Suse' && os === 'SUSE') codename = osr.PRETTY_NAME ?? codename;
  const g: Dict = {
    os,
    os_family: family,
    osfullname,
    osrelease,
    osrelease_info: info,
    oscodename: codename,
    osfinger: `${osfullname}-${os === 'Debian' || os === 'Ubuntu' ? osrelease : (major?.[0] ?? osrelease)}`,
    lsb_distrib_id: osfullname,
    lsb_distrib_release: osrelease,
    lsb_distrib_codename: codename,
    lsb_distrib_description: osr.PRETTY_NAME ?? name,
  };
  if (major) g.osmajorrelease = Number(major[0]);
  return g;
}
