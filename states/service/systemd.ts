/**
 * systemd backend: `systemctl` for everything. With `root` (systemctl --root=DIR) only the unit-file verbs work
 * (enable, disable, is-enabled, list-unit-files), which is what lets enable/disable be managed — and tested —
 * on a tree that no systemd is running.
 */
import { CommandError } from '../../engine/errors.js';
import type { Host } from '../../engine/host/types.js';
import type { ServiceBackend, ServiceOpts } from './backend.js';
import { sigRunning } from './common.js';
import {
  canonicalUnit,
  parseIsEnabled,
  parseShow,
  parseUnitList,
  serviceNameOf,
  unitExists,
  unitRunning,
  unitTransient,
  type UnitShow,
} from './parse.js';

/** Verbs that start a job (and so accept --no-block). */
const JOB_VERBS = new Set(['start', 'stop', 'restart', 'reload', 'try-restart', 'reload-or-restart', 'force-reload']);

/** Verbs systemctl refuses with --root. */
const LIVE_ONLY = new Set(['show', 'is-active', ...JOB_VERBS]);

/**
 * The argv for one systemctl call on one unit.
 *
 * @example
 * systemctlArgv('start', 'nginx')                     // ['systemctl', 'start', '--', 'nginx.service']
 * systemctlArgv('enable', 'demo', { root: '/mnt' })   // ['systemctl', '--root=/mnt', 'enable', '--', 'demo.service']
 */
export function systemctlArgv(verb: string, name: string | null, o: ServiceOpts = {}, extra: string[] = []): string[] {
  const argv = ['systemctl'];
  if (o.root) {
    if (LIVE_ONLY.has(verb)) {
      throw new CommandError(`systemctl ${verb} cannot be used with root=${o.root}: only enable, disable and ` +
        'enabled work on an offline root');
    }
    argv.push(`--root=${o.root}`);
  }
  if (o.noBlock && JOB_VERBS.has(verb)) argv.push('--no-block');
  argv.push(verb, ...extra);
  if (name !== null) argv.push('--', canonicalUnit(name));
  return argv;
}

/** The argv of the one query the live checks use. */
export function showArgv(name: string): string[] {
  return systemctlArgv('show', name, {}, ['-p', 'LoadState,ActiveState,SubState,UnitFileState']);
}

/** How long `status` waits for an activating/deactivating unit to settle (Salt's `wait`, 3 s). */
const SETTLE_MS = 3000;
const POLL_MS = 250;

export class SystemdBackend implements ServiceBackend {
  readonly kind = 'systemd' as const;
  constructor(private readonly host: Host) {}

  /** The live unit facts; throws CommandError when systemd cannot be asked (not booted, no bus). */
  async show(name: string): Promise<UnitShow> {
    const r = await this.host.run(showArgv(name));
    if (r.code !== 0) throw failure(showArgv(name), r.code, r.stderr);
    return parseShow(r.stdout);
  }

  async available(name: string, o: ServiceOpts = {}): Promise<boolean> {
    if (!o.root) return unitExists(await this.show(name));
    const argv = systemctlArgv('list-unit-files', null, o, ['--no-legend', '--no-pager', canonicalUnit(name)]);
    const r = await this.host.run(argv);
    return parseUnitList(r.stdout).includes(canonicalUnit(name));
  }

  async getAll(o: ServiceOpts = {}): Promise<string[]> {
    const files = await this.host.run(
      systemctlArgv('list-unit-files', null, o, ['--no-legend', '--no-pager', '--type=service']),
    );
    const names = new Set(parseUnitList(files.stdout));
    if (!o.root) {
      const units = await this.host.run(
        systemctlArgv('list-units', null, o, ['--no-legend', '--no-pager', '--all', '--type=service']),
      );
      for (const u of parseUnitList(units.stdout)) names.add(u);
    }
    return [...names].filter((u) => !u.endsWith('@.service')).map(serviceNameOf).sort();
  }

  async status(name: string, o: ServiceOpts = {}): Promise<boolean> {
    if (o.sig) return sigRunning(this.host, o.sig);
    if (o.root) throw new CommandError(`service.status cannot be used with root=${o.root}`);
    let show = await this.show(name);
    for (let waited = 0; unitTransient(show) && waited < SETTLE_MS; waited += POLL_MS) {
      await new Promise((res) => setTimeout(res, POLL_MS));
      show = await this.show(name);
    }
    return unitRunning(show);
  }

  async enabled(name: string, o: ServiceOpts = {}): Promise<boolean> {
    const r = await this.host.run(systemctlArgv('is-enabled', name, o));
    return parseIsEnabled(r.stdout, r.code).enabled;
  }

  start(name: string, o?: ServiceOpts): Promise<boolean> {
    return this.job('start', name, o);
  }
  stop(name: string, o?: ServiceOpts): Promise<boolean> {
    return this.job('stop', name, o);
  }
  restart(name: string, o?: ServiceOpts): Promise<boolean> {
    return this.job('restart', name, o);
  }
  reload(name: string, o?: ServiceOpts): Promise<boolean> {
    return this.job('reload', name, o);
  }
  forceReload(name: string, o?: ServiceOpts): Promise<boolean> {
    return this.job('force-reload', name, o);
  }
  enable(name: string, o?: ServiceOpts): Promise<boolean> {
    return this.job('enable', name, o);
  }
  disable(name: string, o?: ServiceOpts): Promise<boolean> {
    return this.job('disable', name, o);
  }

  /** A mask is a symlink to /dev/null in /etc/systemd/system (or /run/systemd/system for a runtime mask).
   *  Read the link itself: `is-enabled` reports only the stronger of the two when both exist. */
  async masked(name: string, runtime: boolean, o: ServiceOpts = {}): Promise<boolean> {
    const base = `${(o.root ?? '').replace(/\/+$/, '')}/${runtime ? 'run' : 'etc'}/systemd/system`;
    return (await this.host.readlink(`${base}/${canonicalUnit(name)}`)) === '/dev/null';
  }
  mask(name: string, runtime: boolean, o?: ServiceOpts): Promise<boolean> {
    return this.job('mask', name, o, runtime ? ['--runtime'] : []);
  }
  unmask(name: string, runtime: boolean, o?: ServiceOpts): Promise<boolean> {
    return this.job('unmask', name, o, runtime ? ['--runtime'] : []);
  }

  /** Run a verb; a non-zero exit throws CommandError carrying systemctl's own message (e.g. "Unit x is masked."). */
  private async job(verb: string, name: string, o: ServiceOpts = {}, extra: string[] = []): Promise<boolean> {
    const argv = systemctlArgv(verb, name, o, extra);
    const r = await this.host.run(argv);
    if (r.code !== 0) throw failure(argv, r.code, r.stderr);
    return true;
  }
}

function failure(argv: string[], code: number, stderr: string): CommandError {
  const msg = stderr.trim();
  return new CommandError(msg !== '' ? msg : `${argv.join(' ')} failed with exit code ${code}`);
}
