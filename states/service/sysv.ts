/**
 * sysvinit-style backend: LSB init scripts in /etc/init.d, driven by `service NAME ACTION` (status by the LSB
 * exit code: 0 running, 3 stopped), boot links by `update-rc.d` (Debian) or `chkconfig` (RedHat-like).
 * Enabled = a start link (S??NAME) in one of /etc/rc2.d … /etc/rc5.d.
 */
import { CommandError } from '../../engine/errors.js';
import type { CommandResult, Host } from '../../engine/host/types.js';
import type { ServiceBackend, ServiceOpts } from './backend.js';
import { sigRunning } from './common.js';
import {
  BOOT_RUNLEVELS,
  chkconfigEnabled,
  initdServices,
  lsbRunning,
  parseChkconfig,
  rcEnabled,
  rcLinks,
  rcUnregistered,
  validServiceName,
} from './parse.js';

export const INIT_D = '/etc/init.d';

/** How boot links are managed. */
export type LinkTool = 'update-rc.d' | 'chkconfig';

/**
 * The argv that runs one init-script action.
 *
 * @example
 * serviceArgv('cron', 'status')         // ['service', 'cron', 'status']
 * serviceArgv('cron', '--full-restart') // ['service', 'cron', '--full-restart']
 */
export function serviceArgv(name: string, action: string): string[] {
  return ['service', checkedName(name), action];
}

/**
 * The argv lists that make a script start (`on`) or not start (`off`) at boot.
 * `registered` false means the script has no rc links yet and must be registered first.
 *
 * @example
 * bootLinkArgvs('update-rc.d', 'cron', true, false) // [['update-rc.d','cron','defaults'], ['update-rc.d','cron','enable']]
 * bootLinkArgvs('chkconfig', 'crond', false, true)  // [['chkconfig','crond','off']]
 */
export function bootLinkArgvs(tool: LinkTool, name: string, on: boolean, registered: boolean): string[][] {
  const n = checkedName(name);
  if (tool === 'chkconfig') {
    return [...(registered ? [] : [['chkconfig', '--add', n]]), ['chkconfig', n, on ? 'on' : 'off']];
  }
  return [...(registered ? [] : [['update-rc.d', n, 'defaults']]), ['update-rc.d', n, on ? 'enable' : 'disable']];
}

export class SysvBackend implements ServiceBackend {
  readonly kind = 'sysvinit' as const;
  constructor(
    private readonly host: Host,
    private readonly tool: LinkTool = 'update-rc.d',
  ) {}

  async available(name: string, o: ServiceOpts = {}): Promise<boolean> {
    noRoot(o);
    if (!validServiceName(name)) return false;
    const st = await this.host.stat(`${INIT_D}/${name}`);
    return st !== null && st.type === 'file' && (st.mode & 0o111) !== 0;
  }

  async getAll(o: ServiceOpts = {}): Promise<string[]> {
    noRoot(o);
    return initdServices(await this.readdir(INIT_D));
  }

  async status(name: string, o: ServiceOpts = {}): Promise<boolean> {
    noRoot(o);
    if (o.sig) return sigRunning(this.host, o.sig);
    return lsbRunning((await this.action(name, 'status')).code);
  }

  async enabled(name: string, o: ServiceOpts = {}): Promise<boolean> {
    noRoot(o);
    if (this.tool === 'chkconfig') return chkconfigEnabled(await this.chkconfigLevels(name));
    return rcEnabled(await this.links(name));
  }

  async start(name: string, o?: ServiceOpts): Promise<boolean> {
    return this.ok(name, 'start', o);
  }
  async stop(name: string, o?: ServiceOpts): Promise<boolean> {
    return this.ok(name, 'stop', o);
  }
  async restart(name: string, o?: ServiceOpts): Promise<boolean> {
    return this.ok(name, 'restart', o);
  }
  async reload(name: string, o?: ServiceOpts): Promise<boolean> {
    return this.ok(name, 'reload', o);
  }
  async forceReload(name: string, o?: ServiceOpts): Promise<boolean> {
    return this.ok(name, 'force-reload', o);
  }
  async fullRestart(name: string, o?: ServiceOpts): Promise<boolean> {
    return this.ok(name, '--full-restart', o);
  }

  async enable(name: string, o: ServiceOpts = {}): Promise<boolean> {
    return this.setBoot(name, true, o);
  }
  async disable(name: string, o: ServiceOpts = {}): Promise<boolean> {
    return this.setBoot(name, false, o);
  }

  private async setBoot(name: string, on: boolean, o: ServiceOpts): Promise<boolean> {
    noRoot(o);
    const registered =
      this.tool === 'chkconfig' ? (await this.chkconfigLevels(name)) !== null : !rcUnregistered(await this.links(name));
    for (const argv of bootLinkArgvs(this.tool, name, on, registered)) {
      const r = await this.host.run(argv);
      if (r.code !== 0) throw new CommandError(commandFailure(argv, r));
    }
    return true;
  }

  private async chkconfigLevels(name: string): Promise<Record<string, boolean> | null> {
    const r = await this.host.run(['chkconfig', '--list', checkedName(name)]);
    return parseChkconfig(r.stdout, name);
  }

  /** rc links for the script in every runlevel directory that exists. */
  private async links(name: string) {
    const dir = '/etc/rc';
    const listings: Record<string, string[]> = {};
    for (const l of ['S', '0', '1', ...BOOT_RUNLEVELS, '6']) listings[l] = await this.readdir(`${dir}${l}.d`);
    return rcLinks(listings, name);
  }

  private async ok(name: string, action: string, o: ServiceOpts = {}): Promise<boolean> {
    noRoot(o);
    return (await this.action(name, action)).code === 0;
  }

  /** `service NAME ACTION`; hosts without the `service` wrapper run the script directly. */
  private async action(name: string, action: string): Promise<CommandResult> {
    const r = await this.host.run(serviceArgv(name, action));
    if (r.code !== 127) return r;
    if (action === '--full-restart') {
      const stop = await this.host.run([`${INIT_D}/${name}`, 'stop']);
      if (stop.code !== 0) return stop;
      return this.host.run([`${INIT_D}/${name}`, 'start']);
    }
    return this.host.run([`${INIT_D}/${name}`, action]);
  }

  private async readdir(path: string): Promise<string[]> {
    try {
      return await this.host.readdir(path);
    } catch {
      return [];
    }
  }
}

function checkedName(name: string): string {
  if (!validServiceName(name)) throw new CommandError(`invalid service name '${name}'`);
  return name;
}

function noRoot(o: ServiceOpts): void {
  if (o.root) throw new CommandError(`root=${o.root} is only supported by the systemd service backend`);
}

function commandFailure(argv: string[], r: CommandResult): string {
  const msg = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join('\n');
  return `${argv.join(' ')} failed with exit code ${r.code}${msg ? `: ${msg}` : ''}`;
}
