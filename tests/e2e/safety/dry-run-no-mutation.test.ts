/**
 * A dry run (`test=True`) mutates nothing, proven two ways on a tree that mixes file, pkg, service and cmd
 * states, each of which would change something:
 *  - in process: the minion runs on a recording Host (every Host call logged); no write-type call may happen,
 *    and every command that ran must be a read-only one (listed in the test output);
 *  - through the compiled CLI: a snapshot of the target tree, the services' init scripts, rc links and PIDs,
 *    and the packages' dpkg status, taken before and after, must be identical.
 * Then a real apply of the same tree shows each of those states did have something to change.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haliteRegistry } from '../../../engine/cli/call.js';
import { LocalHost } from '../../../engine/host/local.js';
import type { Host } from '../../../engine/host/types.js';
import { loadMinion } from '../../../engine/minion.js';
import { CallOutput, type Logger, type StateReturn } from '../../../engine/types.js';
import { buildAptRepo, refreshRepo, type AptRepo } from '../../helpers/aptrepo.js';
import { ensureBuilt, runCli } from '../../helpers/cli.js';
import { removeServicePackages, serviceDeb, uniqueName } from '../examples/lsbdeb.js';
import { machineSnapshot, type MachineSnapshot } from './snapshot.js';

const svcStopped = uniqueName('halite-dry-up');
const svcRunning = uniqueName('halite-dry-down');
const pkgOld = uniqueName('halite-dry-old');
const pkgNew = uniqueName('halite-dry-new');
const PACKAGES = [svcStopped, svcRunning, pkgOld, pkgNew];
const SERVICES = [svcStopped, svcRunning];

let repo: AptRepo;
let tmp: string;
let T: string; // the target tree the file and cmd states work on
let etc: string;

function sls(): string {
  return `
new_conf:
  file.managed:
    - name: ${T}/sub/new.conf
    - contents: "hello\\n"
    - makedirs: True
existing_conf:
  file.managed:
    - name: ${T}/existing.conf
    - source: salt://drytree/existing.conf.j2
    - template: jinja
    - mode: '0644'
new_dir:
  file.directory:
    - name: ${T}/newdir/a/b
    - makedirs: True
    - mode: '0750'
doomed:
  file.absent:
    - name: ${T}/doomed
link:
  file.symlink:
    - name: ${T}/link
    - target: ${T}/existing.conf
    - force: True
edited:
  file.replace:
    - name: ${T}/edit.txt
    - pattern: '^port=.*$'
    - repl: 'port=9090'
appended:
  file.append:
    - name: ${T}/edit.txt
    - text: extra line
touched:
  file.touch:
    - name: ${T}/touched
pkg_new:
  pkg.installed:
    - name: ${pkgNew}
pkg_gone:
  pkg.removed:
    - name: ${pkgOld}
svc_up:
  service.running:
    - name: ${svcStopped}
    - enable: True
    - watch:
      - file: existing_conf
svc_down:
  service.dead:
    - name: ${svcRunning}
    - enable: False
cmd_run:
  cmd.run:
    - name: touch ${T}/cmd-ran
    - unless: test -e ${T}/cmd-ran
cmd_wait:
  cmd.wait:
    - name: echo waited > ${T}/cmd-waited
    - watch:
      - file: new_conf
`;
}

/** The target tree before every run: old contents, a wrong mode, a directory to delete, a wrong link. */
function resetTarget(): void {
  rmSync(T, { recursive: true, force: true });
  mkdirSync(join(T, 'doomed/inner'), { recursive: true });
  writeFileSync(join(T, 'doomed/inner/file'), 'bye\n');
  writeFileSync(join(T, 'existing.conf'), 'old contents\n', { mode: 0o600 });
  writeFileSync(join(T, 'edit.txt'), 'name=x\nport=8080\n');
  writeFileSync(join(T, 'other'), 'other\n');
  symlinkSync(join(T, 'other'), join(T, 'link'));
}

const apt = (args: string[]): void => {
  execFileSync('apt-get', ['-q', '-y', '-o', 'DPkg::Lock::Timeout=600', ...repo.aptOptions, ...args], {
    stdio: 'pipe',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
};

beforeAll(async () => {
  await ensureBuilt();
  removeServicePackages(PACKAGES);
  repo = buildAptRepo([serviceDeb(svcStopped), serviceDeb(svcRunning), { name: pkgOld, version: '1.0' }, { name: pkgNew, version: '2.0' }]);
  refreshRepo(repo);
  // the services and the package to remove are installed; one service is enabled and running, one is not
  apt(['install', svcStopped, svcRunning, pkgOld]);
  execFileSync('update-rc.d', [svcRunning, 'defaults'], { stdio: 'pipe' });
  execFileSync(`/etc/init.d/${svcRunning}`, ['start'], { stdio: 'pipe' });
  tmp = mkdtempSync(join(tmpdir(), 'halite-dryrun-'));
  T = join(tmp, 'target');
  etc = join(tmp, 'etc');
  mkdirSync(join(tmp, 'salt/drytree'), { recursive: true });
  mkdirSync(etc);
  writeFileSync(join(tmp, 'salt/top.sls'), "base:\n  '*':\n    - drytree\n");
  writeFileSync(join(tmp, 'salt/drytree/init.sls'), sls());
  writeFileSync(join(tmp, 'salt/drytree/existing.conf.j2'), "managed for {{ grains['id'] }}\n");
  writeFileSync(
    join(etc, 'minion'),
    dump({ id: 'drytest', file_roots: { base: ['../salt'] }, cachedir: join(tmp, 'cache'), apt_options: repo.aptOptions }),
  );
  resetTarget();
}, 300_000);

afterAll(() => {
  removeServicePackages(PACKAGES);
  for (const s of SERVICES) spawnSync('update-rc.d', ['-f', s, 'remove'], { stdio: 'ignore' });
  repo?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const snapshot = (): MachineSnapshot =>
  machineSnapshot({ trees: [T, ...SERVICES.map((s) => `/etc/init.d/${s}`)], packages: PACKAGES, services: SERVICES });

interface Call {
  method: string;
  argv?: string[];
  shell?: boolean;
  path?: string;
}

/** Host methods that only read. Anything else (writeFile, mkdir, remove, symlink, rename, chmod, chown, or a
 *  method added later) counts as a write. */
const READ_METHODS = new Set(['run', 'runSync', 'readFile', 'readFileSync', 'lstat', 'stat', 'readdir', 'readlink', 'close']);

/** A Host that logs every call, then forwards it to the real one. */
function recordingHost(inner: Host, calls: Call[]): Host {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function' || typeof prop !== 'string') return v;
      return (...args: unknown[]) => {
        const first = args[0];
        const shell = (args[1] as { shell?: boolean } | undefined)?.shell === true;
        calls.push(Array.isArray(first) ? { method: prop, argv: first.map(String), shell } : { method: prop, path: String(first) });
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Programs a dry run may start: queries only (`ip`/`dpkg` only with the read-only verbs below). */
const READ_ONLY_PROGRAMS = new Set([
  'dpkg-query', 'apt-cache', 'uname', 'hostname', 'id', 'getent', 'runlevel', 'nproc', 'getconf', 'cat', 'grep', 'tr',
  'echo', 'readlink', 'systemd-detect-virt', 'command', 'test', '[', 'exit', 'true', 'for', 'done',
]);

/** One simple command (argv words) is a query. */
function wordsReadOnly(words: string[]): boolean {
  while (['do', 'then', 'else', 'exec', '!'].includes(words[0] ?? '')) words = words.slice(1);
  const [cmd, ...rest] = words;
  if (cmd === undefined) return true;
  const base = cmd.split('/').pop()!;
  if (READ_ONLY_PROGRAMS.has(base)) return true;
  if (base === 'apt-get') return rest.includes('-s') || rest.includes('--simulate');
  if (base === 'dpkg') return rest.length === 1 && rest[0] === '--print-architecture';
  if (base === 'ip') return rest.includes('show') || rest.includes('-j') && rest.includes('link');
  if (base === 'systemctl') return rest.some((a) => ['is-enabled', 'is-active', 'show', 'status', 'list-unit-files'].includes(a));
  if (base === 'service') return rest.length === 2 && rest[1] === 'status';
  if (cmd.startsWith('/etc/init.d/')) return rest.length === 1 && rest[0] === 'status';
  return false;
}

/** A shell snippet (`sh -c …`, or a `shell: true` run) is read-only when it writes no file (only `>/dev/null`
 *  and fd duplications) and every simple command in it is a query. */
function scriptReadOnly(script: string): boolean {
  const s = script
    .replace(/\$\{[^}]*\}/g, 'X') // ${Package}, ${i##*/}: expansions, not braces
    .replace(/'[^']*'/g, 'Q') // single-quoted text expands nothing
    .replace(/\d?>\s*\/dev\/null|\d?>&\d/g, '')
    .replace(/"/g, ''); // double-quoted text may hold $(…): keep it, to be checked
  if (s.includes('>')) return false;
  return s
    .split(/;|&&|\|\||\||\n|\$\(|\)|\{|\}|`/)
    .every((seg) => wordsReadOnly(seg.trim().split(/\s+/).filter(Boolean)));
}

/** A Host.run argv is read-only. */
function isReadOnly(argv: string[], shell: boolean): boolean {
  if (shell) return argv.length === 1 && scriptReadOnly(argv[0]!);
  if (argv[0] === 'sh' && argv[1] === '-c' && argv.length >= 3) return scriptReadOnly(argv[2]!);
  return wordsReadOnly(argv);
}

const log: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const failedStates = (r: StateReturn): Record<string, string> =>
  Object.fromEntries(Object.entries(r).filter(([, s]) => s.result === false).map(([k, s]) => [k, s.comment]));

describe('the read-only command check itself', () => {
  it.each([
    [['touch', '/tmp/x'], false, false],
    [['apt-get', '-q', '-y', 'install', 'x'], false, false],
    [['service', 'x', 'start'], false, false],
    [['/etc/init.d/x', 'restart'], false, false],
    [['update-rc.d', 'x', 'defaults'], false, false],
    [['sh', '-c', 'cat /etc/hosts; rm -f /tmp/x'], false, false],
    [['echo hi > /tmp/x'], true, false],
    [['test -e /tmp/x || touch /tmp/x'], true, false],
    [['dpkg', '-i', 'x.deb'], false, false],
    [['ip', 'link', 'set', 'eth0', 'down'], false, false],
    [['apt-get', '-q', '-s', 'install', 'x'], false, true],
    [['service', 'x', 'status'], false, true],
    [['sh', '-c', "dpkg --print-architecture && exec dpkg-query -W -f='${Package}\\n'"], false, true],
    [['test -e /tmp/x'], true, true],
  ] as Array<[string[], boolean, boolean]>)('%j (shell %s) → read-only %s', (argv, shell, ok) => {
    expect(isReadOnly(argv, shell)).toBe(ok);
  });
});

describe('a dry run mutates nothing', () => {
  it('in process, on a recording Host: only reads, only read-only commands', async () => {
    resetTarget();
    const before = snapshot();
    const calls: Call[] = [];
    const registry = haliteRegistry();
    const minion = await loadMinion(registry, { configDir: etc, log, host: recordingHost(new LocalHost(), calls) });
    let out: unknown;
    try {
      out = await registry.exec.get('state.apply')!.fn(minion.context({ test: true }), [], {});
    } finally {
      await minion.close();
    }
    expect(out).toBeInstanceOf(CallOutput);
    const ret = (out as CallOutput).data as StateReturn;
    expect(failedStates(ret)).toEqual({});
    // every state would change something (cmd_wait: only because new_conf would)
    const notPending = Object.values(ret).filter((s) => s.result !== null).map((s) => `${String(s.__id__)}: ${s.comment}`);
    expect(notPending).toEqual([]);
    expect(Object.keys(ret)).toHaveLength(14);

    const writes = calls.filter((c) => !READ_METHODS.has(c.method));
    expect(writes).toEqual([]);
    const commands = calls.filter((c) => c.argv).map((c) => `${c.method}${c.shell ? ' (shell)' : ''}: ${c.argv!.join(' ').replace(/\n/g, ' ⏎ ').slice(0, 200)}`);
    const unsafe = calls.filter((c) => c.argv && !isReadOnly(c.argv, c.shell === true)).map((c) => c.argv!.join(' '));
    console.info(`dry run (in process) ran ${commands.length} commands:\n  ${[...new Set(commands)].join('\n  ')}`);
    expect(unsafe).toEqual([]);
    expect(commands.length).toBeGreaterThan(0);
    expect(snapshot()).toEqual(before);
  });

  it('through the CLI: target tree, init scripts, rc links, daemons and dpkg status unchanged', async () => {
    resetTarget();
    const before = snapshot();
    const r = await runCli(['call', '--config-dir', etc, '--out', 'json', 'state.apply', 'test=True'], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const ret = (JSON.parse(r.stdout) as { local: StateReturn }).local;
    expect(Object.values(ret).every((s) => s.result === null)).toBe(true);
    expect(snapshot()).toEqual(before);
  });

  it('the same tree applied for real changes what the dry run said it would', async () => {
    resetTarget();
    const before = snapshot();
    const r = await runCli(['call', '--config-dir', etc, '--out', 'json', 'state.apply'], { timeoutMs: 120_000 });
    const ret = (JSON.parse(r.stdout) as { local: StateReturn }).local;
    expect(failedStates(ret)).toEqual({});
    const unchanged = Object.values(ret).filter((s) => !Object.keys(s.changes).length).map((s) => String(s.__id__));
    expect(unchanged).toEqual([]);
    const after = snapshot();
    expect(after.dpkg[pkgNew]?.status).toBe('ii');
    expect(after.dpkg[pkgOld]?.status ?? 'gone').not.toBe('ii');
    expect(after.pids[svcStopped]).not.toBeNull();
    expect(after.pids[svcRunning]).toBeNull();
    expect(after.rcLinks).not.toEqual(before.rcLinks);
    expect(r.code, r.stderr).toBe(0);
  });
});
