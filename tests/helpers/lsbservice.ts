/**
 * A real, test-owned LSB service for e2e tests of the sysvinit service backend.
 *
 * `installLsbService()` builds a tiny Debian package with `dpkg-deb --build` holding /etc/init.d/NAME — a
 * daemon (`sleep infinity` under start-stop-daemon with a pidfile), LSB status codes (0 running, 3 stopped),
 * and a `reload` action that appends to a marker file so a test can tell reload from restart (restart
 * changes the PID, reload does not) — and installs it with `dpkg -i`. The package has no postinst, so it
 * starts unregistered (no rc links) and stopped. `uninstall()` stops it and purges the package (postrm removes
 * the rc links). Needs root, dpkg and start-stop-daemon (both part of dpkg).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LsbService {
  /** Service (and package) name, unique per install. */
  name: string;
  pidfile: string;
  /** One line is appended per `reload`. */
  marker: string;
  /** PID of the running daemon, or null when stopped. */
  pid(): number | null;
  /** How many reloads the script has done. */
  reloads(): number;
  /** rc link names for this service across /etc/rc?.d, e.g. ['rc2.d/S01name', …]. */
  links(): string[];
  /** Make \`start\` fail (exit 1) until called with false. */
  breakStart(on: boolean): void;
  /** Run the init script directly (for setting up a precondition). */
  script(action: string): number;
  uninstall(): void;
}

function initScript(name: string, pidfile: string, marker: string): string {
  return `#!/bin/sh
### BEGIN INIT INFO
# Provides:          ${name}
# Required-Start:
# Required-Stop:
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: halite test-only daemon
### END INIT INFO
PIDFILE=${pidfile}
MARK=${marker}
FAIL=${pidfile}.fail
DAEMON=/bin/sleep
running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
do_start() { start-stop-daemon --start --quiet --oknodo --background --make-pidfile --pidfile "$PIDFILE" --exec $DAEMON -- infinity; }
do_stop() { start-stop-daemon --stop --quiet --oknodo --pidfile "$PIDFILE" --exec $DAEMON --retry 5 && rm -f "$PIDFILE"; }
case "$1" in
  start) if [ -e "$FAIL" ]; then echo "${name}: start refused" >&2; exit 1; fi; do_start ;;
  stop) do_stop ;;
  restart) do_stop && do_start ;;
  reload|force-reload) running || exit 7; date +%s%N >> "$MARK" ;;
  status)
    if running; then echo "${name} is running."; exit 0; fi
    if [ -f "$PIDFILE" ]; then echo "${name} is dead but the pidfile exists"; exit 1; fi
    echo "${name} is not running."; exit 3 ;;
  *) echo "Usage: $0 {start|stop|restart|reload|force-reload|status}" >&2; exit 2 ;;
esac
`;
}

function run(argv: string[]): { code: number; out: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  return { code: r.status ?? 128, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** dpkg, waiting (up to ~2 min) while another process holds the dpkg lock. */
function dpkg(args: string[]): void {
  for (let i = 0; i < 240; i++) {
    const r = run(['dpkg', ...args]);
    if (r.code === 0) return;
    if (!/lock/i.test(r.out)) throw new Error(`dpkg ${args.join(' ')} failed: ${r.out}`);
    spawnSync('sleep', ['0.5']);
  }
  throw new Error(`dpkg ${args.join(' ')}: dpkg lock still held after 2 minutes`);
}

/**
 * Build and install a fresh test service. Always pair with `uninstall()` (afterAll).
 *
 * @example
 * const svc = installLsbService();
 * afterAll(() => svc.uninstall());
 */
export function installLsbService(prefix = 'halite-svc'): LsbService {
  const name = `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
  const pidfile = `/run/${name}.pid`;
  const marker = `/run/${name}.reloads`;
  const build = mkdtempSync(join(tmpdir(), 'halite-lsbdeb-'));
  try {
    const root = join(build, 'pkg');
    mkdirSync(join(root, 'DEBIAN'), { recursive: true });
    mkdirSync(join(root, 'etc/init.d'), { recursive: true });
    writeFileSync(join(root, 'etc/init.d', name), initScript(name, pidfile, marker), { mode: 0o755 });
    writeFileSync(
      join(root, 'DEBIAN/control'),
      `Package: ${name}\nVersion: 1.0\nArchitecture: all\nMaintainer: halite tests <tests@halite.invalid>\n` +
        `Description: halite test-only LSB service\n`,
    );
    writeFileSync(
      join(root, 'DEBIAN/postrm'),
      `#!/bin/sh\nset -e\nif [ "$1" = purge ]; then update-rc.d ${name} remove >/dev/null || true; fi\n`,
      { mode: 0o755 },
    );
    const deb = join(build, `${name}.deb`);
    const b = run(['dpkg-deb', '--root-owner-group', '--build', root, deb]);
    if (b.code !== 0) throw new Error(`dpkg-deb failed: ${b.out}`);
    dpkg(['-i', deb]);
  } finally {
    rmSync(build, { recursive: true, force: true });
  }
  const initd = `/etc/init.d/${name}`;
  return {
    name,
    pidfile,
    marker,
    pid() {
      if (!existsSync(pidfile)) return null;
      const pid = Number(readFileSync(pidfile, 'utf8').trim());
      return run(['kill', '-0', String(pid)]).code === 0 ? pid : null;
    },
    reloads() {
      return existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').filter(Boolean).length : 0;
    },
    links() {
      const out: string[] = [];
      for (const l of ['S', '0', '1', '2', '3', '4', '5', '6']) {
        const dir = `/etc/rc${l}.d`;
        if (!existsSync(dir)) continue;
        for (const f of readdirSync(dir)) if (f.endsWith(name) && /^[SK]\d\d/.test(f)) out.push(`rc${l}.d/${f}`);
      }
      return out.sort();
    },
    breakStart(on: boolean) {
      if (on) writeFileSync(`${pidfile}.fail`, '');
      else rmSync(`${pidfile}.fail`, { force: true });
    },
    script(action: string) {
      return run([initd, action]).code;
    },
    uninstall() {
      if (existsSync(initd)) run([initd, 'stop']);
      dpkg(['--purge', name]);
      rmSync(pidfile, { force: true });
      rmSync(marker, { force: true });
      rmSync(`${pidfile}.fail`, { force: true });
    },
  };
}
