/**
 * The `service` execution module: `halite call service.status cron`, `salt['service.enabled']('cron')`.
 * Each function asks or drives the host's init system (see backend.ts) and returns plain data; command
 * failures that systemd explains throw CommandError with its message.
 */
import { CommandError, InvocationError } from '../../engine/errors.js';
import type { Dict, ExecContext, ExecFunction, ExecFunctionDef, ExecModule } from '../../engine/types.js';
import type { Host } from '../../engine/host/types.js';
import type { InitKind, ServiceBackend, ServiceOpts } from './backend.js';
import { availableSync, detectInitSync, enabledSync, statusSync } from './sync.js';
import { backendFor, isTrue, serviceOpts } from './select.js';

type Action = (be: ServiceBackend, name: string, o: ServiceOpts, kwargs: Dict) => Promise<unknown>;

function systemdOnly(be: ServiceBackend, fun: string): ServiceBackend {
  if (!be.masked) throw new CommandError(`service.${fun} is only available with systemd (this host uses ${be.kind})`);
  return be;
}

/** The service name: first positional argument or `name=`. */
function nameArg(fun: string, args: unknown[], kwargs: Dict): string {
  const n = args[0] ?? kwargs['name'];
  if (typeof n !== 'string' || n === '') {
    throw new InvocationError(`service.${fun}: missing the service name (service.${fun} NAME)`);
  }
  return n;
}

type SyncQuery = (host: Host, kind: InitKind, name: string, args: unknown[], kwargs: Dict) => boolean;

/** A read-only query that templates can call synchronously as well. */
function query(fun: string, act: Action, sync: SyncQuery, doc: string): ExecFunctionDef {
  const def = named(fun, act, doc);
  def.sync = (ctx: ExecContext, args: unknown[], kwargs: Dict) =>
    sync(ctx.host, detectInitSync(ctx.host, ctx.grains, kwargs['provider']), nameArg(fun, args, kwargs), args, kwargs);
  return def;
}

function named(fun: string, act: Action, doc: string): ExecFunctionDef {
  const fn: ExecFunction = async (ctx: ExecContext, args: unknown[], kwargs: Dict) => {
    const name = nameArg(fun, args, kwargs);
    const o = serviceOpts(fun === 'status' && typeof args[1] === 'string' ? { ...kwargs, sig: args[1] } : kwargs);
    return act(await backendFor(ctx, kwargs['provider']), name, o, kwargs);
  };
  return { fn, doc };
}

/**
 * `service.*` execution functions.
 *
 * @example
 * halite call service.status cron        # true / false
 * halite call service.enable cron        # true
 * halite call service.enabled demo root=/srv/image   # systemd unit files under a root, offline
 */
export const serviceExec: ExecModule = {
  name: 'service',
  doc: 'Control and query services through the host init system (systemd or sysvinit).',
  functions: {
    start: named('start', (b, n, o) => b.start(n, o), 'Start a service. Returns true on success.'),
    stop: named('stop', (b, n, o) => b.stop(n, o), 'Stop a service. Returns true on success.'),
    restart: named('restart', (b, n, o) => b.restart(n, o), 'Restart a service. Returns true on success.'),
    reload: named('reload', (b, n, o) => b.reload(n, o), 'Reload a service configuration. Returns true on success.'),
    force_reload: named(
      'force_reload',
      (b, n, o) => (b.forceReload ? b.forceReload(n, o) : b.reload(n, o)),
      'Force-reload a service (reload or restart, as the init script decides).',
    ),
    full_restart: named(
      'full_restart',
      (b, n, o) => (b.fullRestart ? b.fullRestart(n, o) : b.restart(n, o)),
      'Stop then start a service.',
    ),
    status: query(
      'status',
      (b, n, o) => b.status(n, o),
      (h, k, n, a, kw) => statusSync(h, k, n, typeof a[1] === 'string' ? a[1] : (kw['sig'] as string | undefined)),
      'True when the service runs (service.status NAME [SIG]).',
    ),
    enabled: query('enabled', (b, n, o) => b.enabled(n, o), (h, k, n) => enabledSync(h, k, n), 'True when the service starts at boot.'),
    disabled: query(
      'disabled',
      async (b, n, o) => !(await b.enabled(n, o)),
      (h, k, n) => !enabledSync(h, k, n),
      'True when the service does not start at boot.',
    ),
    enable: named('enable', (b, n, o) => b.enable(n, o), 'Make the service start at boot.'),
    disable: named('disable', (b, n, o) => b.disable(n, o), 'Make the service not start at boot.'),
    available: query(
      'available',
      (b, n, o) => b.available(n, o),
      (h, k, n) => availableSync(h, k, n),
      'True when the host has a service by that name.',
    ),
    missing: query(
      'missing',
      async (b, n, o) => !(await b.available(n, o)),
      (h, k, n) => !availableSync(h, k, n),
      'True when the host has no service by that name.',
    ),
    masked: named(
      'masked',
      (b, n, o, kw) => systemdOnly(b, 'masked').masked!(n, isTrue(kw['runtime']), o),
      'True when the systemd unit is masked (runtime=True: runtime-masked).',
    ),
    mask: named('mask', (b, n, o, kw) => systemdOnly(b, 'mask').mask!(n, isTrue(kw['runtime']), o), 'Mask a systemd unit.'),
    unmask: named('unmask', (b, n, o, kw) => systemdOnly(b, 'unmask').unmask!(n, isTrue(kw['runtime']), o), 'Unmask a systemd unit.'),
    get_all: {
      fn: async (ctx: ExecContext, _args: unknown[], kwargs: Dict) =>
        (await backendFor(ctx, kwargs['provider'])).getAll(serviceOpts(kwargs)),
      doc: 'Every service name the host knows, sorted.',
    },
  },
};
