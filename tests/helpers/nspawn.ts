/**
 * A throwaway machine with a real systemd as PID 1, for tests of the systemd service backend.
 *
 * Image: Debian bookworm minbase + systemd, systemd-sysv, dbus, made once with debootstrap (~80 s, ~240 MB)
 * and cached at IMAGE. Each `bootNspawn()` mounts an overlay over it (the image stays clean), lets the caller
 * write files into the root before boot, boots it with `systemd-nspawn -b --private-network` (only a loopback
 * device inside: no traffic leaves), and waits until `systemctl is-system-running` says running/degraded
 * (~2 s). `NspawnHost` runs commands inside with `nsenter -t PID1 -a`. `stop()` powers it off (SIGTERM to
 * nspawn), unmounts and deletes the overlay. Needs root, systemd-container and (to build the image) debootstrap.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HostError } from '../../engine/errors.js';
import { wrapArgv } from '../../engine/host/argv.js';
import { LocalHost } from '../../engine/host/local.js';
import type { CommandResult, FileStat, Host, RunOptions, WriteOptions } from '../../engine/host/types.js';

export const IMAGE = '/var/cache/halite-test/bookworm-systemd';
const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function sh(argv: string[]): { code: number; out: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  return { code: r.status ?? 128, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Install what booting (and building) needs, if missing. */
export function ensureTools(): void {
  const need = [
    ['systemd-nspawn', 'systemd-container'],
    ['debootstrap', 'debootstrap'],
  ].filter(([bin]) => sh(['sh', '-c', `command -v ${bin}`]).code !== 0);
  if (need.length === 0) return;
  const r = sh(['apt-get', '-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', ...need.map((n) => n[1]!)]);
  if (r.code !== 0) throw new Error(`installing ${need.map((n) => n[1]).join(' ')} failed: ${r.out.slice(-2000)}`);
}

/**
 * The Debian mirror this machine's apt already uses (first `URIs:`/`deb` entry of the main archive), so the test
 * reaches only the package registry the machine is configured for.
 */
export function aptMirror(): string {
  const files = ['/etc/apt/sources.list', '/etc/apt/sources.list.d/debian.sources'];
  for (const f of files) {
    let text = '';
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const m = /^\s*(?:URIs:\s*|deb\s+(?:\[[^\]]*\]\s+)?)(\S+)/.exec(line);
      if (m && !/security/.test(m[1]!)) return m[1]!;
    }
  }
  throw new Error(`no Debian mirror found in ${files.join(' or ')}`);
}

/** Build the cached image when it is not there yet (debootstrap into a temp dir, then rename). */
export function ensureImage(): string {
  if (existsSync(join(IMAGE, 'lib/systemd/systemd'))) return IMAGE;
  ensureTools();
  const tmp = `${IMAGE}.tmp-${process.pid}`;
  mkdirSync(join(IMAGE, '..'), { recursive: true });
  rmSync(tmp, { recursive: true, force: true });
  const r = sh(['debootstrap', '--variant=minbase', '--include=systemd,systemd-sysv,dbus', 'bookworm', tmp, aptMirror()]);
  if (r.code !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`debootstrap failed: ${r.out.slice(-2000)}`);
  }
  renameSync(tmp, IMAGE);
  return IMAGE;
}

/**
 * A Host whose commands run inside the container. readFile/readdir/readlink run commands inside too (so they
 * see the container's /run); the other file operations use the overlay's merged directory as seen from outside,
 * which does not include the container's own tmpfs mounts (/run, /tmp).
 */
export class NspawnHost implements Host {
  readonly name: string;
  private readonly local = new LocalHost();
  constructor(
    readonly machine: string,
    readonly pid1: number,
    readonly root: string,
  ) {
    this.name = `nspawn:${machine}`;
  }

  private inside(argv: string[], opts: RunOptions): [string[], RunOptions] {
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const wd = opts.cwd ? [`--wd=${opts.cwd}`] : [];
    const cmd = ['nsenter', '-t', String(this.pid1), '-a', ...wd, '--', 'env', '-i', PATH, ...env, ...wrapArgv(argv, opts)];
    return [cmd, { stdin: opts.stdin, timeoutMs: opts.timeoutMs, signal: opts.signal }];
  }
  run(argv: string[], opts: RunOptions = {}): Promise<CommandResult> {
    return this.local.run(...this.inside(argv, opts));
  }
  runSync(argv: string[], opts: RunOptions = {}): CommandResult {
    return this.local.runSync(...this.inside(argv, opts));
  }
  private p(path: string): string {
    return join(this.root, path);
  }
  async readFile(path: string): Promise<Buffer | null> {
    const r = await this.run(['cat', '--', path]);
    return r.code === 0 ? Buffer.from(r.stdout) : null;
  }
  readFileSync(path: string): Buffer | null {
    return this.local.readFileSync(this.p(path));
  }
  writeFile(path: string, data: string | Buffer, opts?: WriteOptions): Promise<void> {
    return this.local.writeFile(this.p(path), data, opts);
  }
  lstat(path: string): Promise<FileStat | null> {
    return this.local.lstat(this.p(path));
  }
  stat(path: string): Promise<FileStat | null> {
    return this.local.stat(this.p(path));
  }
  async readdir(path: string): Promise<string[]> {
    const r = await this.run(['ls', '-A1', '--', path]);
    if (r.code !== 0) throw new HostError(`readdir ${path}: ${r.stderr.trim()}`);
    return r.stdout.split('\n').filter(Boolean).sort();
  }
  async readlink(path: string): Promise<string | null> {
    const r = await this.run(['readlink', '--', path]);
    return r.code === 0 ? r.stdout.replace(/\n$/, '') : null;
  }
  mkdir(path: string, opts?: { mode?: number; parents?: boolean }): Promise<void> {
    return this.local.mkdir(this.p(path), opts);
  }
  remove(path: string, opts?: { recursive?: boolean }): Promise<void> {
    return this.local.remove(this.p(path), opts);
  }
  symlink(target: string, path: string): Promise<void> {
    return this.local.symlink(target, this.p(path));
  }
  rename(from: string, to: string): Promise<void> {
    return this.local.rename(this.p(from), this.p(to));
  }
  chmod(path: string, mode: number): Promise<void> {
    return this.local.chmod(this.p(path), mode);
  }
  chown(path: string, user?: string | number, group?: string | number): Promise<void> {
    return this.local.chown(this.p(path), user, group);
  }
  async close(): Promise<void> {}
}

export interface NspawnMachine {
  host: NspawnHost;
  /** The container's root as seen from outside (overlay upper over the image). */
  root: string;
  /** Boot log (console output). */
  log(): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The container's PID 1: the `systemd` child of the nspawn process. */
function findPid1(nspawnPid: number): number | null {
  const r = sh(['pgrep', '-P', String(nspawnPid)]);
  for (const s of r.out.split('\n').filter(Boolean)) {
    const pid = Number(s);
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'systemd') return pid;
    } catch {
      /* exited meanwhile */
    }
  }
  return null;
}

/**
 * Boot a fresh container. `setup(root)` runs before boot to drop files (unit files …) into it.
 *
 * @example
 * const m = await bootNspawn({ setup: (root) => writeFileSync(`${root}/usr/lib/systemd/system/x.service`, unit) });
 * afterAll(() => m.stop());
 */
export async function bootNspawn(o: { setup?: (root: string) => void; timeoutMs?: number } = {}): Promise<NspawnMachine> {
  const image = ensureImage();
  ensureTools();
  const work = mkdtempSync('/tmp/halite-nspawn-');
  const machine = `halite-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
  const merged = join(work, 'merged');
  for (const d of ['upper', 'work', 'merged']) mkdirSync(join(work, d));
  const m = sh(['mount', '-t', 'overlay', 'overlay', '-o', `lowerdir=${image},upperdir=${work}/upper,workdir=${work}/work`, merged]);
  if (m.code !== 0) throw new Error(`overlay mount failed: ${m.out}`);
  const logPath = join(work, 'console.log');
  let child: ReturnType<typeof spawn> | undefined;
  const cleanup = async (): Promise<void> => {
    if (child?.pid !== undefined && child.exitCode === null) {
      process.kill(child.pid, 'SIGTERM'); // nspawn turns SIGTERM into a clean poweroff
      for (let i = 0; i < 80 && child.exitCode === null && child.signalCode === null; i++) await sleep(250);
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
    }
    sh(['umount', merged]);
    if (sh(['mountpoint', '-q', merged]).code === 0) sh(['umount', '-l', merged]);
    rmSync(work, { recursive: true, force: true });
  };
  try {
    o.setup?.(merged);
    const log = openSync(logPath, 'a');
    child = spawn(
      'systemd-nspawn',
      ['-b', '-q', '-D', merged, '-M', machine, '--register=no', '--keep-unit', '--private-network'],
      { stdio: ['ignore', log, log], detached: true },
    );
    const deadline = Date.now() + (o.timeoutMs ?? 60_000);
    let state = '';
    let pid1: number | null = null;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`systemd-nspawn exited (${child.exitCode}): ${readFileSync(logPath, 'utf8').slice(-2000)}`);
      pid1 ??= findPid1(child.pid!);
      if (pid1 !== null) {
        state = sh(['nsenter', '-t', String(pid1), '-a', 'systemctl', 'is-system-running']).out.trim();
        if (state === 'running' || state === 'degraded') break;
      }
      await sleep(250);
    }
    if (pid1 === null || (state !== 'running' && state !== 'degraded')) {
      throw new Error(`container did not finish booting (state '${state}'): ${readFileSync(logPath, 'utf8').slice(-2000)}`);
    }
    return {
      host: new NspawnHost(machine, pid1, merged),
      root: merged,
      log: () => readFileSync(logPath, 'utf8'),
      stop: cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
