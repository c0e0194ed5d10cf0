import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalHost } from '../../../engine/host/local.js';

const USER = 'halite-h5-e2e';
const host = new LocalHost();
const dir = mkdtempSync(join(tmpdir(), 'halite-acct-'));

afterAll(async () => {
  spawnSync('userdel', [USER]);
  spawnSync('groupdel', [USER]);
  rmSync(dir, { recursive: true, force: true });
  await host.close();
});

describe('LocalHost with an account created during the run', () => {
  it('sees a user added after it started (cache refresh), chowns by name, runs as it', async () => {
    spawnSync('userdel', [USER]);
    expect(host.accounts.hasUser(USER)).toBe(false);
    const f = join(dir, 'owned');
    await expect(host.writeFile(f, 'x', { user: USER })).rejects.toThrow(/does not exist/);
    const add = spawnSync('useradd', ['--user-group', '--no-create-home', '--shell', '/bin/sh', USER], { encoding: 'utf8' });
    expect(add.status, add.stderr).toBe(0);
    const uid = host.accounts.uid(USER);
    await host.writeFile(f, 'x', { user: USER, group: USER, mode: 0o600 });
    expect(statSync(f).uid).toBe(uid);
    expect((await host.stat(f))!).toMatchObject({ user: USER, group: USER, mode: 0o600 });
    const r = await host.run(['id', '-un'], { runas: USER });
    expect(r.stdout).toBe(`${USER}\n`);
    const denied = await host.run(['cat', '/etc/shadow'], { runas: USER });
    expect(denied.code).not.toBe(0);
    await host.chmod(dir, 0o755); // mkdtemp makes it 0700
    const own = await host.run(['cat', f], { runas: USER });
    expect(own).toMatchObject({ code: 0, stdout: 'x' });
  });

  it('mkdir mode is literal (not reduced by the umask)', async () => {
    const d = join(dir, 'm777');
    await host.mkdir(d, { mode: 0o777 });
    expect(statSync(d).mode & 0o777).toBe(0o777);
  });
});
