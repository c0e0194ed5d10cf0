/**
 * Synchronous versions of the read-only service queries, for Jinja templates, which cannot await:
 * `{% if salt['service.available']('apache2') %}`. Same commands and parsers as the backends, through
 * `Host.runSync`; no polling of activating units (a template asks "now").
 */
import type { Host } from '../../engine/host/types.js';
import type { Dict } from '../../engine/types.js';
import { providerKind, type InitKind } from './backend.js';
import {
  BOOT_RUNLEVELS,
  lsbRunning,
  parseIsEnabled,
  parseShow,
  rcEnabled,
  rcLinks,
  unitExists,
  unitRunning,
  validServiceName,
} from './parse.js';
import { showArgv, systemctlArgv } from './systemd.js';
import { INIT_D, serviceArgv } from './sysv.js';

export function detectInitSync(host: Host, grains: Dict, provider?: unknown): InitKind {
  const p = providerKind(provider);
  if (p) return p;
  if (grains['init'] === 'systemd') return 'systemd';
  if (grains['init'] === 'sysvinit' || grains['init'] === 'upstart' || grains['init'] === 'openrc') return 'sysvinit';
  return host.runSync(['test', '-d', '/run/systemd/system']).code === 0 ? 'systemd' : 'sysvinit';
}

export function availableSync(host: Host, kind: InitKind, name: string): boolean {
  if (kind === 'systemd') {
    const r = host.runSync(showArgv(name));
    return r.code === 0 && unitExists(parseShow(r.stdout));
  }
  return validServiceName(name) && host.runSync(['test', '-f', `${INIT_D}/${name}`, '-a', '-x', `${INIT_D}/${name}`]).code === 0;
}

export function statusSync(host: Host, kind: InitKind, name: string, sig?: string): boolean {
  if (sig) return host.runSync(['pgrep', '-f', '--', sig]).code === 0;
  if (kind === 'systemd') {
    const r = host.runSync(showArgv(name));
    return r.code === 0 && unitRunning(parseShow(r.stdout));
  }
  return validServiceName(name) && lsbRunning(host.runSync(serviceArgv(name, 'status')).code);
}

export function enabledSync(host: Host, kind: InitKind, name: string): boolean {
  if (kind === 'systemd') {
    const r = host.runSync(systemctlArgv('is-enabled', name));
    return parseIsEnabled(r.stdout, r.code).enabled;
  }
  if (!validServiceName(name)) return false;
  // `ls -1 DIR…` prints "DIR:" headers before each listing.
  const dirs = BOOT_RUNLEVELS.map((l) => `/etc/rc${l}.d`);
  const out = host.runSync(['ls', '-1', ...dirs]).stdout;
  const listings: Record<string, string[]> = {};
  let level = '';
  for (const line of out.split('\n')) {
    const h = /^\/etc\/rc(.)\.d:$/.exec(line);
    if (h) level = h[1]!;
    else if (level && line) (listings[level] ??= []).push(line);
  }
  return rcEnabled(rcLinks(listings, name));
}
