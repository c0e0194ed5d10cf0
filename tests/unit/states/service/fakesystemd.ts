/**
 * A scripted Host that answers `systemctl` like a booted systemd would, from an in-memory unit table, and
 * records every argv. Used to check the systemd backend's command lines and the states' logic; the same paths
 * run for real in tests/e2e/service (systemctl --root, and nspawn when available).
 */
import type { CommandResult, Host } from '../../../../engine/host/types.js';

export interface FakeUnit {
  active?: boolean;
  enabled?: boolean;
  masked?: boolean;
  /** Make start fail with this stderr. */
  failStart?: string;
  /** Make enable/disable fail with this stderr. */
  failBoot?: string;
}

export class FakeSystemd implements Partial<Host> {
  readonly name = 'fake-systemd';
  readonly calls: string[][] = [];
  booted = true;
  constructor(readonly units: Record<string, FakeUnit>) {}

  /** Calls that would change the machine. */
  mutations(): string[][] {
    const reads = new Set(['show', 'is-enabled', 'is-active', 'list-unit-files', 'list-units']);
    return this.calls.filter((a) => a[0] === 'systemctl' && !reads.has(verbOf(a)));
  }

  async run(argv: string[]): Promise<CommandResult> {
    return this.runSync(argv);
  }

  runSync(argv: string[]): CommandResult {
    this.calls.push(argv);
    if (argv[0] === 'test') return res(this.booted ? 0 : 1);
    if (argv[0] === 'pgrep') return res(argv.at(-1) === 'present-process' ? 0 : 1, '123\n');
    if (argv[0] !== 'systemctl') return res(127, '', `${argv[0]}: not found`);
    const verb = verbOf(argv);
    const unit = argv[argv.indexOf('--') + 1] ?? '';
    const u = this.units[unit.replace(/\.service$/, '')];
    if (!this.booted && verb !== 'is-enabled' && verb !== 'enable' && verb !== 'disable') {
      return res(1, '', "System has not been booted with systemd as init system (PID 1). Can't operate.\n");
    }
    switch (verb) {
      case 'show':
        if (!u) return res(0, 'LoadState=not-found\nActiveState=inactive\nSubState=dead\nUnitFileState=\n');
        return res(
          0,
          `LoadState=${u.masked ? 'masked' : 'loaded'}\nActiveState=${u.active ? 'active' : 'inactive'}\n` +
            `SubState=${u.active ? 'running' : 'dead'}\nUnitFileState=${u.masked ? 'masked' : u.enabled ? 'enabled' : 'disabled'}\n`,
        );
      case 'is-enabled':
        if (!u) return res(1, '', `Failed to get unit file state for ${unit}: No such file or directory\n`);
        if (u.masked) return res(1, 'masked\n');
        return res(u.enabled ? 0 : 1, u.enabled ? 'enabled\n' : 'disabled\n');
      case 'list-unit-files':
      case 'list-units':
        return res(0, Object.keys(this.units).map((n) => `${n}.service enabled enabled\n`).join(''));
    }
    if (!u) return res(5, '', `Failed to ${verb} ${unit}: Unit ${unit} not found.\n`);
    switch (verb) {
      case 'start':
      case 'restart':
        if (u.masked) return res(1, '', `Failed to ${verb} ${unit}: Unit ${unit} is masked.\n`);
        if (u.failStart) return res(1, '', u.failStart);
        u.active = true;
        return res(0);
      case 'stop':
        u.active = false;
        return res(0);
      case 'reload':
      case 'force-reload':
        return res(u.active ? 0 : 1, '', u.active ? '' : `Job for ${unit} failed.\n`);
      case 'enable':
        if (u.failBoot) return res(1, '', u.failBoot);
        u.enabled = true;
        return res(0, '', `Created symlink /etc/systemd/system/multi-user.target.wants/${unit}.\n`);
      case 'disable':
        if (u.failBoot) return res(1, '', u.failBoot);
        u.enabled = false;
        return res(0, '', `Removed "/etc/systemd/system/multi-user.target.wants/${unit}".\n`);
    }
    return res(1, '', `Unknown command verb ${verb}.\n`);
  }
}

export function verbOf(argv: string[]): string {
  return argv.slice(1).find((a) => !a.startsWith('-')) ?? '';
}

function res(code: number, stdout = '', stderr = ''): CommandResult {
  return { code, stdout, stderr };
}
