/**
 * A test-owned service shipped as a Debian package, for the example and safety e2e tests: `/etc/init.d/NAME`
 * (an LSB script running `sleep infinity` under start-stop-daemon with a pidfile; status 0 running, 3 stopped)
 * and a postrm that drops the rc links on purge. Published through `tests/helpers/aptrepo.ts`, so `pkg.installed`
 * installs it with apt from the private repository and `service.running` manages it through sysvinit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { purgePackages, type DebSpec } from '../../helpers/aptrepo.js';

/** A unique package/service name for this test process. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
}

export const pidfileOf = (name: string): string => `/run/${name}.pid`;

function initScript(name: string): string {
  return `#!/bin/sh
### BEGIN INIT INFO
# Provides:          ${name}
# Required-Start:
# Required-Stop:
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: halite example test daemon
### END INIT INFO
PIDFILE=${pidfileOf(name)}
DAEMON=/bin/sleep
running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
do_start() { start-stop-daemon --start --quiet --oknodo --background --make-pidfile --pidfile "$PIDFILE" --exec $DAEMON -- infinity; }
do_stop() { start-stop-daemon --stop --quiet --oknodo --pidfile "$PIDFILE" --exec $DAEMON --retry 5 && rm -f "$PIDFILE"; }
case "$1" in
  start) do_start ;;
  stop) do_stop ;;
  restart|force-reload) do_stop && do_start ;;
  status)
    if running; then echo "${name} is running."; exit 0; fi
    if [ -f "$PIDFILE" ]; then echo "${name} is dead but the pidfile exists"; exit 1; fi
    echo "${name} is not running."; exit 3 ;;
  *) echo "Usage: $0 {start|stop|restart|force-reload|status}" >&2; exit 2 ;;
esac
`;
}

/** The DebSpec of a package NAME shipping the init script /etc/init.d/NAME. */
export function serviceDeb(name: string, version = '1.0'): DebSpec {
  return {
    name,
    version,
    files: { [`/etc/init.d/${name}`]: { content: initScript(name), mode: 0o755 } },
    scripts: {
      prerm: `#!/bin/sh\nset -e\n[ -x /etc/init.d/${name} ] && /etc/init.d/${name} stop >/dev/null || true\n`,
      postrm: `#!/bin/sh\nset -e\nif [ "$1" = purge ]; then update-rc.d ${name} remove >/dev/null || true; fi\n`,
    },
  };
}

/** PID of the service's daemon, or null when it is not running. */
export function servicePid(name: string): number | null {
  const r = spawnSync('sh', ['-c', 'cat "$1" 2>/dev/null', 'sh', pidfileOf(name)], { encoding: 'utf8' });
  const pid = Number((r.stdout ?? '').trim());
  if (!pid) return null;
  return spawnSync('kill', ['-0', String(pid)]).status === 0 ? pid : null;
}

/** Stop the service (if its script is there) and purge the packages; safe to call twice. */
export function removeServicePackages(names: string[]): void {
  for (const n of names) {
    if (existsSync(`/etc/init.d/${n}`)) spawnSync(`/etc/init.d/${n}`, ['stop'], { stdio: 'ignore' });
  }
  purgePackages(names);
  for (const n of names) {
    const pid = servicePid(n);
    if (pid) spawnSync('kill', [String(pid)]);
    rmSync(pidfileOf(n), { force: true });
  }
}
