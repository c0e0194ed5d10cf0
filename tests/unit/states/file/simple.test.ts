import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { absent, exists, missing, touch } from '../../../../states/file/simple.js';
import { symlink } from '../../../../states/file/symlink.js';
import { ensureAccount, makeEnv, runTwice, snapshot, write, type Env } from './harness.js';

let env: Env;
beforeEach(() => {
  env = makeEnv();
});
afterEach(() => env.cleanup());

describe('file.absent', () => {
  it.each([
    ['file', 'File', 'file'],
    ['directory', 'Directory', 'directory'],
  ])('removes a %s', async (kind, cap, low) => {
    const p = join(env.tmp, 'gone');
    if (kind === 'file') write(p, 'x');
    else write(join(p, 'inner/f'), 'x');
    await runTwice(env, {
      fn: absent,
      name: p,
      args: {},
      testComment: `${cap} ${p} is set for removal`,
      applyChanges: { removed: p },
      applyComment: `Removed ${low} ${p}`,
      cleanComment: `File ${p} is not present`,
    });
    expect(fs.existsSync(p)).toBe(false);
  });

  it('refuses / and relative paths', async () => {
    expect((await absent(env.ctx(false), '/', {})).comment).toBe('Refusing to make "/" absent');
    expect((await absent(env.ctx(false), 'x', {})).result).toBe(false);
  });
});

describe('file.exists / file.missing', () => {
  it('checks only', async () => {
    const p = join(env.tmp, 'e');
    const c = env.ctx(false);
    expect(await exists(c, p, {})).toMatchObject({ result: false, comment: `Specified path ${p} does not exist` });
    expect(await missing(c, p, {})).toMatchObject({ result: true, comment: `Path ${p} is missing` });
    write(p, '');
    expect(await exists(c, p, {})).toMatchObject({ result: true, comment: `Path ${p} exists`, changes: {} });
    expect(await missing(c, p, {})).toMatchObject({ result: false, comment: `Specified path ${p} exists` });
  });
});

describe('file.touch', () => {
  it('creates, then updates times (Salt: touch always touches)', async () => {
    const p = join(env.tmp, 'sub/t');
    expect(await touch(env.ctx(false), p, {})).toMatchObject({ result: false, comment: `Directory not present to touch file ${p}` });
    const before = snapshot(env.root);
    const t = await touch(env.ctx(true), p, { makedirs: true });
    expect(snapshot(env.root)).toEqual(before);
    expect(t).toMatchObject({ result: null, comment: `File ${p} is set to be created`, changes: { new: p } });
    expect(await touch(env.ctx(false), p, { makedirs: true })).toMatchObject({ result: true, comment: `Created empty file ${p}`, changes: { new: p } });
    fs.utimesSync(p, 1000, 1000);
    expect((await touch(env.ctx(true), p, {})).changes).toEqual({ touched: p });
    expect(fs.statSync(p).mtimeMs).toBe(1000_000);
    expect(await touch(env.ctx(false), p, {})).toMatchObject({ result: true, comment: `Updated times on file ${p}`, changes: { touched: p } });
    expect(fs.statSync(p).mtimeMs).toBeGreaterThan(1000_000);
    await touch(env.ctx(false), p, { mtime: 2000, atime: 3000 });
    expect(fs.statSync(p).mtimeMs).toBe(2000_000);
    expect(fs.statSync(p).atimeMs).toBe(3000_000);
  });
});

describe('file.symlink', () => {
  it('creates a link, then retargets it', async () => {
    const l = join(env.tmp, 'lnk');
    await runTwice(env, {
      fn: symlink,
      name: l,
      args: { target: '/etc/hostname' },
      testComment: `Symlink ${l} to /etc/hostname is set for creation`,
      testChanges: { new: l },
      applyChanges: { new: l },
      applyComment: `Created new symlink ${l} -> /etc/hostname`,
      cleanComment: `Symlink ${l} is present and owned by root:root`,
    });
    expect(fs.readlinkSync(l)).toBe('/etc/hostname');
    await runTwice(env, {
      fn: symlink,
      name: l,
      args: { target: 'relative/target' },
      testComment: `Link ${l} target is set to be changed to relative/target`,
      applyChanges: { change: l },
      applyComment: `Set target of symlink ${l} -> relative/target`,
    });
    expect(fs.readlinkSync(l)).toBe('relative/target');
  });

  it('a file in the way needs force; makedirs for missing parents', async () => {
    const l = join(env.tmp, 'in-the-way');
    write(l, 'x');
    expect(await symlink(env.ctx(false), l, { target: '/tmp' })).toMatchObject({ result: false, comment: `File exists where the symlink ${l} should be` });
    expect((await symlink(env.ctx(true), l, { target: '/tmp' })).result).toBe(false);
    await runTwice(env, {
      fn: symlink,
      name: l,
      args: { target: '/tmp', force: true },
      testChanges: { forced: l },
      applyChanges: { forced: 'Symlink was forcibly replaced', new: l },
    });
    const deep = join(env.tmp, 'x/y/l');
    expect((await symlink(env.ctx(false), deep, { target: '/tmp' })).comment).toBe(`Directory ${join(env.tmp, 'x/y')} for symlink is not present`);
    await runTwice(env, { fn: symlink, name: deep, args: { target: '/tmp', makedirs: true }, applyChanges: { new: deep } });
  });

  it('Salt messages for unknown accounts and backupname; backupname moves the file aside', async () => {
    const l = join(env.tmp, 'b');
    expect((await symlink(env.ctx(false), l, { target: '/tmp', user: 'nouser-h6', group: 'nogroup-h6' })).comment).toBe(
      'User nouser-h6 does not exist. Group nogroup-h6 does not exist.',
    );
    expect((await symlink(env.ctx(false), l, { target: '/tmp', backupname: 'x/y' })).comment).toBe('Backupname must be an absolute path or a file name: x/y');
    write(l, 'orig');
    await runTwice(env, { fn: symlink, name: l, args: { target: '/tmp', backupname: 'b.orig', force: true }, testChanges: { forced: l }, applyChanges: { backup: `${l} moved to ${join(env.tmp, 'b.orig')}`, new: l } });
    expect(fs.readFileSync(join(env.tmp, 'b.orig'), 'utf8')).toBe('orig');
  });

  it('sets the ownership of the link itself', async () => {
    const { user, group } = ensureAccount();
    const l = join(env.tmp, 'owned');
    await runTwice(env, { fn: symlink, name: l, args: { target: '/etc/passwd', user, group }, applyChanges: { new: l } });
    expect(fs.lstatSync(l).uid).not.toBe(0);
    expect(fs.statSync('/etc/passwd').uid).toBe(0);
    await runTwice(env, { fn: symlink, name: l, args: { target: '/etc/passwd', user: 'root', group: 'root' }, applyChanges: { ownership: 'root:root' } });
  });
});
