/**
 * Picking the backend for one call, and reading the backend options out of state args / exec kwargs.
 */
import type { Dict, ExecContext } from '../../engine/types.js';
import { detectInit, usesChkconfig, type ServiceBackend, type ServiceOpts } from './backend.js';
import { SystemdBackend } from './systemd.js';
import { SysvBackend } from './sysv.js';

/**
 * The backend for the context's host. `provider` (a state's `provider:` argument, Salt's module override)
 * wins over detection; see detectInit.
 */
export async function backendFor(ctx: Pick<ExecContext, 'host' | 'grains'>, provider?: unknown): Promise<ServiceBackend> {
  const kind = await detectInit(ctx.host, ctx.grains, provider);
  if (kind === 'systemd') return new SystemdBackend(ctx.host);
  return new SysvBackend(ctx.host, usesChkconfig(ctx.grains) ? 'chkconfig' : 'update-rc.d');
}

/** Backend options from state args or exec kwargs: `root`, `no_block`, `sig`. */
export function serviceOpts(args: Dict): ServiceOpts {
  const o: ServiceOpts = {};
  if (typeof args['root'] === 'string' && args['root'] !== '') o.root = args['root'];
  if (isTrue(args['no_block'])) o.noBlock = true;
  if (typeof args['sig'] === 'string' && args['sig'] !== '') o.sig = args['sig'];
  return o;
}

/**
 * Salt's `is_true` for flags given as YAML booleans, numbers or strings ("True", "yes", "1").
 * Returns null for absent values so callers can tell "not given" from false.
 */
export function toBool(v: unknown): boolean | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return ['true', 'yes', 'on', '1'].includes(v.trim().toLowerCase());
  return Boolean(v);
}

/** toBool with absent = false. */
export function isTrue(v: unknown): boolean {
  return toBool(v) === true;
}
