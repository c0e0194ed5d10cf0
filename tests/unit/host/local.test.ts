import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostError } from '../../../engine/errors.js';
import { LocalHost } from '../../../engine/host/local.js';

const host = new LocalHost();
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(join(tmpdir(), 'halite-host-'));
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await host.close();
});

describe('LocalHost.run', () => {
  it.each([
    { argv: ['true'], code: 0 },
    { argv: ['false'], code: 1 },
    { argv: ['sh', '-c', 'exit 7'], code: 7 },
    { argv: ['no-such-binary-halite'], code: 127 },
    { argv: ['/etc/passwd'], code: 126 },
    { argv: ['sh', '-c', 'kill -9 $$'], code: 137 },
  ])('$argv → code $code', async ({ argv, code }) => {
    expect((await host.run(argv)).code).toBe(code);
    expect(host.runSync(argv).code).toBe(code);
  });

  it('keeps stdout and stderr as printed', async () => {
    const r = await host.run(['sh', '-c', 'printf "a\\nb\\n"; printf err >&2']);
    expect(r).toMatchObject({ code: 0, stdout: 'a\nb\n', stderr: 'err' });
  });

  it('feeds stdin, env and cwd', async () => {
    const r = await host.run(['sh', '-c', 'cat; echo "$HX"; pwd'], { stdin: 'in\n', env: { HX: 'v1' }, cwd: dir });
    expect(r.stdout).toBe(`in\nv1\n${fs.realpathSync(dir)}\n`);
    const s = host.runSync(['sh', '-c', 'cat; echo "$HX"; pwd'], { stdin: 'in\n', env: { HX: 'v1' }, cwd: dir });
    expect(s.stdout).toBe(r.stdout);
  });

  it('gives no stdin when none is set (no hang)', async () => {
    expect((await host.run(['cat'])).stdout).toBe('');
  });

  it('a missing cwd is a failed command, not a throw', async () => {
    const r = await host.run(['true'], { cwd: join(dir, 'nope') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/does not exist/);
  });

  it('kills the whole process group on timeout → 124', async () => {
    const t0 = Date.now();
    const r = await host.run(['sh', '-c', 'sleep 30 & sleep 30; echo never'], { timeoutMs: 300 });
    expect(r.code).toBe(124);
    expect(r.timedOut).toBe(true);
    expect(r.stdout).toBe('');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(host.runSync(['sleep', '30'], { timeoutMs: 200 }).code).toBe(124);
  });

  it('stops on abort', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const r = await host.run(['sleep', '30'], { signal: ac.signal });
    expect(r.code).toBe(137);
  });

  it('shell: true runs the string through /bin/sh -c', async () => {
    const r = await host.run(['echo $((1+2)) | tr 3 x'], { shell: true });
    expect(r.stdout).toBe('x\n');
  });

  it('umask applies to files the command creates', async () => {
    const f = join(dir, 'umask-file');
    await host.run(['touch', f], { umask: '077' });
    expect(fs.statSync(f).mode & 0o777).toBe(0o600);
  });

  it('runas runs as another user', async () => {
    const r = await host.run(['id', '-un'], { runas: 'nobody' });
    expect(r).toMatchObject({ code: 0, stdout: 'nobody\n' });
    expect(host.runSync(['id', '-u'], { runas: 'nobody' }).stdout.trim()).toBe(String(host.accounts.uid('nobody')));
    expect((await host.run(['id', '-un'], { runas: 'root' })).stdout).toBe('root\n');
  });

  it('runas an unknown user throws HostError', async () => {
    await expect(host.run(['true'], { runas: 'no-such-user-hx' })).rejects.toThrow(HostError);
  });
});

describe('LocalHost files', () => {
  it('readFile of an absent file is null', async () => {
    expect(await host.readFile(join(dir, 'absent'))).toBeNull();
    expect(host.readFileSync(join(dir, 'absent', 'x'))).toBeNull();
    expect(await host.lstat(join(dir, 'absent'))).toBeNull();
  });

  it('writeFile creates with 0644 by default and leaves no temp files', async () => {
    const f = join(dir, 'w1');
    await host.writeFile(f, 'hello\n');
    expect(fs.readFileSync(f, 'utf8')).toBe('hello\n');
    expect((await host.stat(f))!).toMatchObject({ type: 'file', mode: 0o644, user: 'root', group: 'root', size: 6 });
    expect(fs.readdirSync(dir).filter((n) => n.includes('.halite-'))).toEqual([]);
  });

  it('writeFile keeps an existing mode and owner when none is given', async () => {
    const f = join(dir, 'w2');
    fs.writeFileSync(f, 'old');
    fs.chmodSync(f, 0o640);
    const nobody = host.accounts.uid('nobody');
    const nogroup = host.accounts.gid('nogroup');
    fs.chownSync(f, nobody, nogroup);
    await host.writeFile(f, 'new');
    const st = (await host.stat(f))!;
    expect(st).toMatchObject({ mode: 0o640, uid: nobody, gid: nogroup, user: 'nobody', group: 'nogroup' });
    await host.writeFile(f, 'newer', { mode: 0o600, user: 'root', group: 0 });
    expect((await host.stat(f))!).toMatchObject({ mode: 0o600, uid: 0, gid: 0 });
  });

  it('writeFile writes through a symlink and keeps the link', async () => {
    const t = join(dir, 'target');
    const l = join(dir, 'link');
    fs.writeFileSync(t, 'x');
    fs.symlinkSync(t, l);
    await host.writeFile(l, 'via link');
    expect((await host.lstat(l))!.type).toBe('symlink');
    expect(fs.readFileSync(t, 'utf8')).toBe('via link');
  });

  it('writeFile needs the parent unless makedirs', async () => {
    const f = join(dir, 'a', 'b', 'c.txt');
    await expect(host.writeFile(f, 'x')).rejects.toThrow(/parent directory/);
    await host.writeFile(f, 'x', { makedirs: true, dirMode: 0o750 });
    expect(fs.statSync(join(dir, 'a')).mode & 0o777).toBe(0o750);
  });

  it('writeFile with an unknown user throws and leaves the old file', async () => {
    const f = join(dir, 'w3');
    fs.writeFileSync(f, 'old');
    await expect(host.writeFile(f, 'new', { user: 'no-such-user-hx' })).rejects.toThrow(/user 'no-such-user-hx' does not exist/);
    expect(fs.readFileSync(f, 'utf8')).toBe('old');
  });

  it('mkdir, readdir, readlink, rename, chmod, chown, remove', async () => {
    const d = join(dir, 'ops');
    await host.mkdir(join(d, 'x', 'y'), { parents: true });
    await host.mkdir(join(d, 'x'));
    await host.writeFile(join(d, 'f'), '1');
    await host.symlink('f', join(d, 'l'));
    expect(await host.readdir(d)).toEqual(['f', 'l', 'x']);
    expect(await host.readlink(join(d, 'l'))).toBe('f');
    expect(await host.readlink(join(d, 'f'))).toBeNull();
    await host.rename(join(d, 'f'), join(d, 'g'));
    expect(await host.stat(join(d, 'l'))).toBeNull(); // dangling now
    await host.chmod(join(d, 'g'), 0o4755);
    expect((await host.lstat(join(d, 'g')))!.mode).toBe(0o4755);
    await host.chown(join(d, 'g'), 'nobody');
    expect((await host.lstat(join(d, 'g')))!.user).toBe('nobody');
    await expect(host.remove(join(d, 'x'))).rejects.toThrow(HostError);
    await host.remove(join(d, 'x'), { recursive: true });
    await host.remove(join(d, 'missing'));
    expect(await host.readdir(d)).toEqual(['g', 'l']);
  });
});

describe('LocalHost.writeFile atomicity', () => {
  it('a writer killed with SIGKILL leaves every file old or new, never truncated', async () => {
    const d = join(dir, 'atomic');
    fs.mkdirSync(d);
    const oldContent = 'O'.repeat(256 * 1024);
    const newContent = 'N'.repeat(256 * 1024);
    for (let i = 0; i < 20; i++) fs.writeFileSync(join(d, `f${i}`), oldContent);
    const here = fileURLToPath(new URL('./fixtures/', import.meta.url));
    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawn(process.execPath, ['--import', join(here, 'ts-loader.mjs'), join(here, 'writer-child.ts'), d, String(newContent.length)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((res, rej) => {
        child.stdout.once('data', () => res());
        child.once('exit', (c) => rej(new Error(`writer exited early (${c})`)));
      });
      await new Promise((r) => setTimeout(r, 150 + attempt * 100));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      for (const n of fs.readdirSync(d).filter((x) => !x.startsWith('.'))) {
        const c = fs.readFileSync(join(d, n), 'utf8');
        expect([oldContent, newContent, `${newContent} `]).toContain(c);
      }
    }
    const changed = fs.readdirSync(d).filter((n) => !n.startsWith('.') && fs.readFileSync(join(d, n), 'utf8') !== oldContent);
    expect(changed.length).toBeGreaterThan(0);
  }, 60_000);
});
