/**
 * The service backend contract, and choosing one for a host (systemd or sysvinit-style).
 *
 * A backend answers questions (available, running, enabled) and performs actions (start, stop, …) on one host,
 * through `Host.run` only. Questions never mutate. Actions return false when the init system said no (Salt's
 * sysvinit modules) or throw CommandError with the init system's message (Salt's systemd module), which the
 * state functions turn into `result: false` with that message as the comment.
 */
import type { Host } from '../../engine/host/types.js';
import type { Dict } from '../../engine/types.js';

export type InitKind = 'systemd' | 'sysvinit';

/** Options every backend call may carry (from state args or exec kwargs). */
export interface ServiceOpts {
  /** systemd only: operate on the unit files under this root (`systemctl --root=DIR`): enable/disable/
   *  enabled/available work offline; start/stop/status do not. */
  root?: string;
  /** systemd only: do not wait for the job to finish (`--no-block`). */
  noBlock?: boolean;
  /** Status by process match (`pgrep -f SIG`) instead of asking the init system. */
  sig?: string;
}

export interface ServiceBackend {
  readonly kind: InitKind;
  /** Does the host know a service by this name? */
  available(name: string, o?: ServiceOpts): Promise<boolean>;
  /** Every service name the host knows. */
  getAll(o?: ServiceOpts): Promise<string[]>;
  /** Is it running now? */
  status(name: string, o?: ServiceOpts): Promise<boolean>;
  /** Will it start at boot? */
  enabled(name: string, o?: ServiceOpts): Promise<boolean>;
  start(name: string, o?: ServiceOpts): Promise<boolean>;
  stop(name: string, o?: ServiceOpts): Promise<boolean>;
  restart(name: string, o?: ServiceOpts): Promise<boolean>;
  reload(name: string, o?: ServiceOpts): Promise<boolean>;
  /** Stop then start (sysvinit `service NAME --full-restart`); absent → mod_watch restarts instead. */
  fullRestart?(name: string, o?: ServiceOpts): Promise<boolean>;
  forceReload?(name: string, o?: ServiceOpts): Promise<boolean>;
  enable(name: string, o?: ServiceOpts): Promise<boolean>;
  disable(name: string, o?: ServiceOpts): Promise<boolean>;
  /** systemd only: is the unit masked (runtime: under /run, else indefinitely under /etc)? */
  masked?(name: string, runtime: boolean, o?: ServiceOpts): Promise<boolean>;
  mask?(name: string, runtime: boolean, o?: ServiceOpts): Promise<boolean>;
  unmask?(name: string, runtime: boolean, o?: ServiceOpts): Promise<boolean>;
}

/** Provider names accepted in `provider:` (Salt's module names map onto the two backends). */
const PROVIDERS: Record<string, InitKind> = {
  systemd: 'systemd',
  systemd_service: 'systemd',
  sysvinit: 'sysvinit',
  sysv: 'sysvinit',
  service: 'sysvinit',
  debian_service: 'sysvinit',
  rh_service: 'sysvinit',
  gentoo_service: 'sysvinit',
};

/** The backend kind named by a `provider:` value, or undefined when it names none we have. */
export function providerKind(provider: unknown): InitKind | undefined {
  return typeof provider === 'string' ? PROVIDERS[provider] : undefined;
}

/**
 * Which init system manages services on the host: `provider` if given, else grains `init` when it is a known
 * value, else whether systemd is booted (`/run/systemd/system` exists — systemd's own test).
 */
export async function detectInit(host: Host, grains: Dict, provider?: unknown): Promise<InitKind> {
  const p = providerKind(provider);
  if (p) return p;
  const g = grains['init'];
  if (g === 'systemd') return 'systemd';
  if (g === 'sysvinit' || g === 'upstart' || g === 'openrc') return 'sysvinit';
  const r = await host.run(['test', '-d', '/run/systemd/system']);
  return r.code === 0 ? 'systemd' : 'sysvinit';
}

/** RedHat-like hosts manage boot links with chkconfig instead of update-rc.d. */
export function usesChkconfig(grains: Dict): boolean {
  return grains['os_family'] === 'RedHat' || grains['os_family'] === 'Suse';
}
