/**
 * Which package manager a host uses: `opts.providers.pkg` (Salt's override: aptpkg, yumpkg, dnf, zypperpkg),
 * then grains (`pkg_manager`, then `os_family`), then a probe on the host for apt-get / dnf / yum / zypper.
 * Extra apt options come from `opts.apt_options` (a list of argv words), so tests and users can point apt at a
 * private source list without touching /etc/apt.
 */
import { HaliteError } from '../../engine/errors.js';
import type { Host } from '../../engine/host/types.js';
import type { Dict, ExecContext } from '../../engine/types.js';
import { AptBackend } from './apt/backend.js';
import { DnfBackend } from './rpm/backend.js';
import type { BackendName, PkgBackend } from './types.js';
import { ZypperBackend } from './zypper/backend.js';

const ALIASES: Record<string, BackendName> = {
  apt: 'apt',
  aptpkg: 'apt',
  'apt-get': 'apt',
  dpkg: 'apt',
  dnf: 'dnf',
  dnf5: 'dnf',
  yum: 'yum',
  yumpkg: 'yum',
  zypper: 'zypper',
  zypperpkg: 'zypper',
};

const FAMILY: Record<string, BackendName | 'rpm'> = { debian: 'apt', redhat: 'rpm', suse: 'zypper' };

// Constant script; prints the first package manager found.
const PROBE = 'for c in apt-get dnf yum zypper; do command -v "$c" >/dev/null 2>&1 && { echo "$c"; exit 0; }; done; exit 1';

/** The backend named by config or grains alone, 'rpm' when only "dnf or yum" is known, null when unknown. */
export function backendFromConfig(opts: Dict, grains: Dict): BackendName | 'rpm' | null {
  const prov = (opts.providers as Dict | undefined)?.pkg;
  if (typeof prov === 'string' && ALIASES[prov]) return ALIASES[prov]!;
  const pm = grains.pkg_manager;
  if (typeof pm === 'string' && ALIASES[pm.toLowerCase()]) return ALIASES[pm.toLowerCase()]!;
  const fam = grains.os_family;
  if (typeof fam === 'string' && FAMILY[fam.toLowerCase()]) return FAMILY[fam.toLowerCase()]!;
  return null;
}

function fromProbe(out: string): BackendName | null {
  const w = out.trim();
  return w === 'apt-get' ? 'apt' : w === 'dnf' || w === 'yum' || w === 'zypper' ? w : null;
}

export function makeBackend(name: BackendName, opts: Dict): PkgBackend {
  switch (name) {
    case 'apt': {
      const extra = opts.apt_options;
      if (extra !== undefined && !(Array.isArray(extra) && extra.every((x) => typeof x === 'string'))) {
        throw new HaliteError('invocation', 'apt_options must be a list of strings (argv words)');
      }
      const lock = typeof opts.apt_lock_timeout === 'number' ? opts.apt_lock_timeout : undefined;
      return new AptBackend({ aptOptions: extra as string[] | undefined, lockTimeout: lock });
    }
    case 'dnf':
    case 'yum':
      return new DnfBackend(name);
    case 'zypper':
      return new ZypperBackend();
  }
}

function noBackend(host: Host): HaliteError {
  return new HaliteError(
    'host',
    `pkg: no supported package manager on ${host.name} (looked for apt-get, dnf, yum, zypper); set grains.os_family or opts.providers.pkg`,
  );
}

/** The backend for the context's host (async probe when config and grains do not say). */
export async function selectBackend(ctx: Pick<ExecContext, 'host' | 'opts' | 'grains'>): Promise<PkgBackend> {
  let name = backendFromConfig(ctx.opts, ctx.grains);
  if (name === null || name === 'rpm') {
    const res = await ctx.host.run(['sh', '-c', PROBE]);
    const found = fromProbe(res.stdout);
    if (name === 'rpm') name = found === 'dnf' || found === 'yum' ? found : 'dnf';
    else name = found;
  }
  if (name === null) throw noBackend(ctx.host);
  return makeBackend(name, ctx.opts);
}

/** Same, synchronously (for Jinja-callable execution functions). */
export function selectBackendSync(ctx: Pick<ExecContext, 'host' | 'opts' | 'grains'>): PkgBackend {
  let name = backendFromConfig(ctx.opts, ctx.grains);
  if (name === null || name === 'rpm') {
    const found = fromProbe(ctx.host.runSync(['sh', '-c', PROBE]).stdout);
    if (name === 'rpm') name = found === 'dnf' || found === 'yum' ? found : 'dnf';
    else name = found;
  }
  if (name === null) throw noBackend(ctx.host);
  return makeBackend(name, ctx.opts);
}
