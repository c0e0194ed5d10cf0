/**
 * Pure parsers and name helpers for the service backends: recorded command output in, facts out.
 * No I/O here, so every function is unit-tested on real output (tests/fixtures/service/).
 */

/** Unit types systemd knows; a name without one of these suffixes is a `.service`. */
export const UNIT_TYPES = [
  'service',
  'socket',
  'device',
  'mount',
  'automount',
  'swap',
  'target',
  'path',
  'timer',
  'slice',
  'scope',
] as const;

/**
 * The systemd unit name for a service name.
 *
 * @example
 * canonicalUnit('cron')          // 'cron.service'
 * canonicalUnit('getty@tty1')    // 'getty@tty1.service'
 * canonicalUnit('fstrim.timer')  // 'fstrim.timer'
 */
export function canonicalUnit(name: string): string {
  const dot = name.lastIndexOf('.');
  const suffix = dot >= 0 ? name.slice(dot + 1) : '';
  return (UNIT_TYPES as readonly string[]).includes(suffix) ? name : `${name}.service`;
}

/** The facts `systemctl show -p LoadState,ActiveState,SubState,UnitFileState UNIT` gives. */
export interface UnitShow {
  loadState: string;
  activeState: string;
  subState: string;
  unitFileState: string;
}

/**
 * Parse `systemctl show -p …` output (`Key=Value` lines; missing keys become '').
 *
 * @example
 * parseShow('LoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=enabled\n')
 * // { loadState: 'loaded', activeState: 'active', subState: 'running', unitFileState: 'enabled' }
 */
export function parseShow(out: string): UnitShow {
  const kv = parseKeyValues(out);
  return {
    loadState: kv.LoadState ?? '',
    activeState: kv.ActiveState ?? '',
    subState: kv.SubState ?? '',
    unitFileState: kv.UnitFileState ?? '',
  };
}

/** `Key=Value` lines into a record (first `=` splits; blank lines ignored). */
export function parseKeyValues(out: string): Record<string, string> {
  const kv: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    kv[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return kv;
}

/** A unit systemd could find (`LoadState` other than not-found; masked units exist). */
export function unitExists(show: UnitShow): boolean {
  return show.loadState !== '' && show.loadState !== 'not-found';
}

/** Running as Salt counts it: active (or reloading, which is active with a reload in progress). */
export function unitRunning(show: UnitShow): boolean {
  return show.activeState === 'active' || show.activeState === 'reloading';
}

/** A state that will change by itself shortly: worth polling before deciding. */
export function unitTransient(show: UnitShow): boolean {
  return show.activeState === 'activating' || show.activeState === 'deactivating';
}

/** What `systemctl is-enabled UNIT` said. */
export interface IsEnabled {
  /** enabled, enabled-runtime, static, alias, indirect, generated, disabled, masked, not-found, … */
  state: string;
  /** Exit code 0 = enabled in systemd's sense (what Salt uses). */
  enabled: boolean;
}

/**
 * Parse `systemctl is-enabled UNIT`: the first word of stdout and the exit code. For a unit file that does not
 * exist systemd prints nothing on stdout (only an error on stderr) and exits 1: state 'not-found'.
 *
 * @example
 * parseIsEnabled('disabled\n', 1) // { state: 'disabled', enabled: false }
 */
export function parseIsEnabled(stdout: string, code: number): IsEnabled {
  const first = stdout.trim().split(/\s+/)[0] ?? '';
  return { state: first === '' ? 'not-found' : first, enabled: code === 0 };
}

/**
 * Unit names from `systemctl list-unit-files --no-legend --no-pager [--type=service]` or
 * `systemctl list-units --all --no-legend --no-pager`: the first column (list-units may prefix a `●` marker).
 */
export function parseUnitList(out: string): string[] {
  const names: string[] = [];
  for (const raw of out.split('\n')) {
    const cols = raw.replace(/^[\s●*]+/u, '').trim().split(/\s+/);
    if (cols[0]) names.push(cols[0]);
  }
  return names;
}

/** A service name as Salt lists it: `cron.service` → `cron`; other unit types keep their suffix. */
export function serviceNameOf(unit: string): string {
  return unit.endsWith('.service') ? unit.slice(0, -'.service'.length) : unit;
}

// ---------------------------------------------------------------------------------------------------------------
// sysvinit
// ---------------------------------------------------------------------------------------------------------------

/** Runlevels whose start links decide "enabled at boot" (multi-user levels). */
export const BOOT_RUNLEVELS = ['2', '3', '4', '5'] as const;

/** Names of the start/kill links for one script found in the rcN.d listings, per runlevel. */
export interface RcLinks {
  /** runlevel → 'S' | 'K' for every runlevel that has a link for the script. */
  byLevel: Record<string, 'S' | 'K'>;
}

/**
 * Which rcN.d directories hold an S (start) or K (kill) link for `name`.
 *
 * @param listings runlevel → file names in /etc/rcN.d (as `readdir` returns them)
 * @example
 * rcLinks({ '2': ['S01cron', 'K01foo'], '3': ['K01cron'] }, 'cron') // { byLevel: { '2': 'S', '3': 'K' } }
 */
export function rcLinks(listings: Record<string, string[]>, name: string): RcLinks {
  const re = new RegExp(`^([SK])\\d\\d${escapeRe(name)}$`);
  const byLevel: Record<string, 'S' | 'K'> = {};
  for (const [level, files] of Object.entries(listings)) {
    for (const f of files) {
      const m = re.exec(f);
      if (m) byLevel[level] = m[1] as 'S' | 'K';
    }
  }
  return { byLevel };
}

/** Enabled = a start link in at least one of runlevels 2–5. */
export function rcEnabled(links: RcLinks): boolean {
  return BOOT_RUNLEVELS.some((l) => links.byLevel[l] === 'S');
}

/** The script has no rc links at all (never registered with update-rc.d defaults). */
export function rcUnregistered(links: RcLinks): boolean {
  return Object.keys(links.byLevel).length === 0;
}

/**
 * Parse `chkconfig --list NAME` (RedHat-like): `name  0:off 1:off 2:on 3:on 4:on 5:on 6:off`.
 * Returns runlevel → on/off, or null when the line is not there.
 */
export function parseChkconfig(out: string, name: string): Record<string, boolean> | null {
  for (const line of out.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols[0] !== name) continue;
    const levels: Record<string, boolean> = {};
    for (const c of cols.slice(1)) {
      const m = /^(\d):(on|off)$/.exec(c);
      if (m) levels[m[1]!] = m[2] === 'on';
    }
    return levels;
  }
  return null;
}

/** Enabled per chkconfig = on in at least one of runlevels 2–5. */
export function chkconfigEnabled(levels: Record<string, boolean> | null): boolean {
  return levels !== null && BOOT_RUNLEVELS.some((l) => levels[l] === true);
}

/** LSB `status` exit codes: 0 running; 1 dead with pidfile; 2 dead with lock; 3 not running; 4 unknown. */
export function lsbRunning(code: number): boolean {
  return code === 0;
}

/** Files in /etc/init.d that are not services. */
const NOT_SERVICES = new Set(['README', 'skeleton', 'rc', 'rcS', 'rc.local', 'functions', '.depend.boot', '.depend.start', '.depend.stop', '.legacy-bootordering']);

/** Service names from an /etc/init.d listing (hidden files, dpkg leftovers and helper files dropped). */
export function initdServices(files: string[]): string[] {
  return files
    .filter((f) => !NOT_SERVICES.has(f) && !f.startsWith('.') && !/\.(dpkg-[a-z]+|ucf-[a-z]+|bak|orig)$/.test(f))
    .sort();
}

/** A name usable as a service: no path separators, no leading dash (it would become an option). */
export function validServiceName(name: string): boolean {
  return name.length > 0 && !name.includes('/') && !name.startsWith('-') && !/[\0\n]/.test(name);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
