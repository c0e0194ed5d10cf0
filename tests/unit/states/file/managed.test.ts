import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { managed } from '../../../../states/file/managed.js';
import { TEST_NOTE } from '../../../../states/file/util.js';
import { ensureAccount, makeEnv, modeOf, read, runTwice, snapshot, write, type Env } from './harness.js';

let env: Env;
beforeEach(() => {
  env = makeEnv({ pillar: { app: { motd: 'from pillar' }, db: { password: 'hunter2-very-secret' } } });
});
afterEach(() => env.cleanup());

const setToChange = (p: string) => `The file ${p} is set to be changed\n${TEST_NOTE}`;

describe('file.managed', () => {
  it('creates a file from salt:// (test: newfile; apply: New file + mode)', async () => {
    write(join(env.srv, 'app/app.conf'), 'port = 80\n');
    const p = join(env.tmp, 'etc/app.conf');
    await runTwice(env, {
      fn: managed,
      name: p,
      args: { source: 'salt://app/app.conf', makedirs: true },
      testChanges: { newfile: p },
      testComment: setToChange(p),
      applyChanges: { diff: 'New file', mode: '0644' },
      applyComment: `File ${p} updated`,
      cleanComment: `File ${p} is in the correct state`,
    });
    expect(read(p)).toBe('port = 80\n');
  });

  it('contents: adds the trailing newline, no mode key for a new file without mode', async () => {
    const p = join(env.tmp, 'a.txt');
    await runTwice(env, { fn: managed, name: p, args: { contents: 'hello' }, testChanges: { newfile: p }, applyChanges: { diff: 'New file' } });
    expect(read(p)).toBe('hello\n');
  });

  it('no source and no contents: an empty file ("Empty file", as in corpus case 55)', async () => {
    const p = join(env.tmp, 'empty');
    await runTwice(env, { fn: managed, name: p, args: {}, testChanges: { newfile: p }, applyChanges: { new: `file ${p} created` }, applyComment: 'Empty file' });
    expect(read(p)).toBe('');
    expect((await managed(env.ctx(false), p, { source: 'salt://x', contents: 'y' })).comment).toBe(
      "'source' cannot be used in combination with 'contents', 'contents_pillar', or 'contents_grains'",
    );
  });

  it('mode as YAML int (755) and as string', async () => {
    const p = join(env.tmp, 'run.sh');
    await runTwice(env, { fn: managed, name: p, args: { contents: '#!/bin/sh\n', mode: 755 }, testChanges: { newfile: p }, applyChanges: { diff: 'New file', mode: '0755' } });
    expect(modeOf(p)).toBe(0o755);
    await runTwice(env, { fn: managed, name: p, args: { contents: '#!/bin/sh\n', mode: '0700' }, applyChanges: { mode: '0700' } });
    expect(modeOf(p)).toBe(0o700);
  });

  it('existing file: unified diff in difflib format, same in test and apply', async () => {
    const p = join(env.tmp, 'x.conf');
    write(p, 'a\nb\nc\n');
    const diff = '--- \n+++ \n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n';
    await runTwice(env, { fn: managed, name: p, args: { contents: 'a\nB\nc\n' }, testComment: setToChange(p), applyChanges: { diff } });
  });

  it('keeps the mode and owner of an existing file when rewriting it', async () => {
    const p = join(env.tmp, 'keep.conf');
    write(p, 'old\n', 0o640);
    await runTwice(env, { fn: managed, name: p, args: { contents: 'new' }, applyChanges: (c) => expect(Object.keys(c)).toEqual(['diff']) });
    expect(modeOf(p)).toBe(0o640);
  });

  it('show_changes: False hides the diff', async () => {
    const p = join(env.tmp, 'x');
    write(p, 'a\n');
    await runTwice(env, { fn: managed, name: p, args: { contents: 'b', show_changes: false }, applyChanges: { diff: '<show_changes=False>' } });
  });

  it('never shows a private key in the diff and registers it as a secret', async () => {
    const p = join(env.tmp, 'key.pem');
    write(p, 'old\n');
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecretsecretsecret\n-----END RSA PRIVATE KEY-----\n';
    const r = await runTwice(env, { fn: managed, name: p, args: { contents: key }, applyChanges: { diff: '<secret contents hidden>' } });
    expect(JSON.stringify(r)).not.toContain('secretsecret');
    expect(env.secrets).toContain(key);
  });

  it('binary files: no text diff', async () => {
    const p = join(env.tmp, 'bin');
    write(p, Buffer.from([0, 1, 2]));
    write(join(env.srv, 'bin'), Buffer.from([0, 1, 3]));
    await runTwice(env, { fn: managed, name: p, args: { source: 'salt://bin' }, applyChanges: { diff: 'Replace binary file' } });
  });

  it('source list falls back to the first that exists; absolute local source works', async () => {
    write(join(env.srv, 'b.conf'), 'from b\n');
    const p = join(env.tmp, 'f');
    await runTwice(env, { fn: managed, name: p, args: { source: ['salt://a.conf', 'salt://b.conf'] }, applyChanges: { diff: 'New file', mode: '0644' } });
    expect(read(p)).toBe('from b\n');
    const local = join(env.root, 'local.src');
    write(local, 'local\n');
    await runTwice(env, { fn: managed, name: p, args: { source: local }, applyChanges: { diff: '--- \n+++ \n@@ -1 +1 @@\n-from b\n+local\n' } });
  });

  it('missing source fails with Salt-style messages', async () => {
    const p = join(env.tmp, 'f');
    const one = await managed(env.ctx(false), p, { source: 'salt://nope' });
    expect(one).toMatchObject({ result: false, comment: "Source file salt://nope not found in saltenv 'base'" });
    const many = await managed(env.ctx(false), p, { source: ['salt://x', 'salt://y'] });
    expect(many.result).toBe(false);
    expect(many.comment).toContain('none of the specified sources were found');
  });

  it('source_hash is verified', async () => {
    write(join(env.srv, 'h'), 'data\n');
    const p = join(env.tmp, 'h');
    const bad = await managed(env.ctx(false), p, { source: 'salt://h', source_hash: 'sha256=' + '0'.repeat(64) });
    expect(bad.result).toBe(false);
    expect(bad.comment).toContain('does not match');
    const good = 'sha256=' + (await import('node:crypto')).createHash('sha256').update('data\n').digest('hex');
    await runTwice(env, { fn: managed, name: p, args: { source: 'salt://h', source_hash: good }, applyChanges: { diff: 'New file', mode: '0644' } });
  });

  it('template: jinja with defaults and context', async () => {
    write(join(env.srv, 'motd.j2'), 'Hello {{ who }} from {{ where }}\n');
    const p = join(env.tmp, 'motd');
    await runTwice(env, {
      fn: managed,
      name: p,
      args: { source: 'salt://motd.j2', template: 'jinja', defaults: { who: 'x', where: 'here' }, context: { who: 'alice' } },
      applyChanges: { diff: 'New file', mode: '0644' },
    });
    expect(read(p)).toBe('Hello alice from here\n');
  });

  it('contents_pillar reads nested pillar; a missing key fails', async () => {
    const p = join(env.tmp, 'motd');
    await runTwice(env, { fn: managed, name: p, args: { contents_pillar: 'app:motd' }, applyChanges: { diff: 'New file' } });
    expect(read(p)).toBe('from pillar\n');
    const r = await managed(env.ctx(false), p, { contents_pillar: 'app:nope' });
    expect(r).toMatchObject({ result: false, comment: 'Pillar app:nope does not exist' });
  });

  it('contents_pillar under a secret key: the diff is never shown', async () => {
    const p = join(env.tmp, 'pw');
    write(p, 'old\n');
    const r = await runTwice(env, { fn: managed, name: p, args: { contents_pillar: 'db:password' }, applyChanges: { diff: '<secret contents hidden>' } });
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect(env.secrets).toContain('hunter2-very-secret');
    expect(read(p)).toBe('hunter2-very-secret\n');
  });

  it('makedirs: False with a missing parent fails; dir_mode applies to created parents', async () => {
    const p = join(env.tmp, 'a/b/c');
    expect(await managed(env.ctx(false), p, { contents: 'x' })).toMatchObject({ result: false, comment: 'Parent directory not present' });
    await runTwice(env, { fn: managed, name: p, args: { contents: 'x', makedirs: true, dir_mode: '0750' }, testChanges: { newfile: p }, applyChanges: { diff: 'New file' } });
    expect(modeOf(join(env.tmp, 'a'))).toBe(0o750);
    expect(modeOf(join(env.tmp, 'a/b'))).toBe(0o750);
  });

  it('create: False and replace: False', async () => {
    const p = join(env.tmp, 'nc');
    expect(await managed(env.ctx(false), p, { contents: 'x', create: false })).toMatchObject({
      result: true,
      comment: `File ${p} is not present and is not set for creation`,
    });
    write(p, 'mine\n', 0o644);
    await runTwice(env, {
      fn: managed,
      name: p,
      args: { contents: 'theirs', replace: false, mode: '0600' },
      testComment: `File ${p} will be updated with permissions 0600 from its current state of 0644`,
      applyChanges: { mode: '0600' },
    });
    expect(read(p)).toBe('mine\n');
  });

  it('backup: minion keeps the old file under cachedir/file_backup', async () => {
    const p = join(env.tmp, 'b.conf');
    write(p, 'v1\n');
    await runTwice(env, { fn: managed, name: p, args: { contents: 'v2', backup: 'minion' }, applyChanges: (c) => expect(c['diff']).toContain('+v2') });
    const dir = join(env.root, 'cache/file_backup', env.tmp);
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^b\.conf_\d{4}-\d\d-\d\d_/);
    expect(read(join(dir, files[0]!))).toBe('v1\n');
  });

  it('follows symlinks by default and writes the target', async () => {
    const target = join(env.tmp, 'real');
    write(target, 'old\n');
    fs.symlinkSync(target, join(env.tmp, 'link'));
    await runTwice(env, { fn: managed, name: join(env.tmp, 'link'), args: { contents: 'new' }, applyChanges: (c) => expect(c['diff']).toContain('+new') });
    expect(fs.lstatSync(join(env.tmp, 'link')).isSymbolicLink()).toBe(true);
    expect(read(target)).toBe('new\n');
  });

  it('errors: relative path, directory target, unknown user, bad mode, both contents kinds', async () => {
    const c = env.ctx(false);
    expect((await managed(c, 'rel/path', { contents: 'x' })).comment).toBe('Specified file rel/path is not an absolute path');
    expect((await managed(c, env.tmp, { contents: 'x' })).comment).toBe(`Specified target ${env.tmp} is a directory`);
    expect((await managed(c, join(env.tmp, 'u'), { contents: 'x', user: 'no-such-user-h6' })).comment).toBe('User no-such-user-h6 is not available ');
    expect((await managed(c, join(env.tmp, 'u'), { contents: 'x', mode: 'rwx' })).result).toBe(false);
    expect((await managed(c, join(env.tmp, 'u'), { contents: 'x', contents_pillar: 'a' })).comment).toBe(
      "Only one of 'contents', 'contents_pillar', and 'contents_grains' is permitted",
    );
    expect(snapshot(env.tmp)).toEqual(snapshot(env.tmp));
  });

  it('user and group: new file owned as asked, then a change of owner is reported', async () => {
    const { user, group } = ensureAccount();
    const p = join(env.tmp, 'owned');
    await runTwice(env, {
      fn: managed,
      name: p,
      args: { contents: 'x', user, group, mode: 640 },
      testChanges: { newfile: p },
      applyChanges: { diff: 'New file', user, group, mode: '0640' },
    });
    const st = fs.statSync(p);
    expect(st.uid).not.toBe(0);
    await runTwice(env, { fn: managed, name: p, args: { contents: 'x', user: 'root', group: 'root', mode: 640 }, applyChanges: { user: 'root', group: 'root' } });
    expect(fs.statSync(p).uid).toBe(0);
  });
});
