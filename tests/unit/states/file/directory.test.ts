import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { directory } from '../../../../states/file/directory.js';
import { ensureAccount, makeEnv, modeOf, runTwice, write, type Env } from './harness.js';

let env: Env;
beforeEach(() => {
  env = makeEnv();
});
afterEach(() => env.cleanup());

describe('file.directory', () => {
  it('creates a directory (Salt test comment and changes)', async () => {
    const d = join(env.tmp, 'app');
    await runTwice(env, {
      fn: directory,
      name: d,
      args: {},
      testComment: `The following files will be changed:\n${d}: directory - new\n`,
      applyChanges: { [d]: { directory: 'new' } },
      applyComment: `Directory ${d} updated`,
      cleanComment: `The directory ${d} is in the correct state`,
    });
    expect(fs.statSync(d).isDirectory()).toBe(true);
  });

  it('makedirs and dir_mode; without makedirs a missing parent fails', async () => {
    const d = join(env.tmp, 'a/b/c');
    expect(await directory(env.ctx(false), d, {})).toMatchObject({ result: false, comment: `No directory to create ${d} in` });
    await runTwice(env, { fn: directory, name: d, args: { makedirs: true, mode: 750 }, applyChanges: { [d]: { directory: 'new' } } });
    expect(modeOf(d)).toBe(0o750);
    expect(modeOf(join(env.tmp, 'a'))).toBe(0o750);
  });

  it('changes the mode of an existing directory', async () => {
    const d = join(env.tmp, 'm');
    fs.mkdirSync(d, { mode: 0o755 });
    fs.chmodSync(d, 0o755);
    await runTwice(env, {
      fn: directory,
      name: d,
      args: { dir_mode: '0700' },
      testComment: `The following files will be changed:\n${d}: mode - 0700\n`,
      applyChanges: { [d]: { mode: '0700' } },
    });
    expect(modeOf(d)).toBe(0o700);
  });

  it('recurse [user, group, mode] with file_mode/dir_mode', async () => {
    const { user, group } = ensureAccount();
    const d = join(env.tmp, 'tree');
    write(join(d, 'f1'), 'x', 0o600);
    write(join(d, 'sub/f2'), 'y', 0o600);
    fs.chmodSync(d, 0o755);
    fs.chmodSync(join(d, 'sub'), 0o755);
    const { apply } = await runTwice(env, {
      fn: directory,
      name: d,
      args: { user, group, dir_mode: 750, file_mode: 640, recurse: ['user', 'group', 'mode'] },
      applyChanges: (c) => expect(Object.keys(c).sort()).toEqual([d, join(d, 'f1'), join(d, 'sub'), join(d, 'sub/f2')].sort()),
    });
    expect(apply.changes[join(d, 'f1')]).toEqual({ user, group, mode: '0640' });
    expect(modeOf(join(d, 'sub/f2'))).toBe(0o640);
    expect(modeOf(join(d, 'sub'))).toBe(0o750);
    expect(fs.statSync(join(d, 'sub/f2')).uid).not.toBe(0);
  });

  it('recurse silent reports "Changes silenced"', async () => {
    const d = join(env.tmp, 's');
    write(join(d, 'f'), 'x', 0o600);
    await runTwice(env, { fn: directory, name: d, args: { file_mode: 644, recurse: ['mode', 'silent'] }, testChanges: { [join(d, 'f')]: { mode: '0644' } }, applyChanges: { recursion: 'Changes silenced' } });
  });

  it('clean removes what is not kept, honouring exclude_pat and require', async () => {
    const d = join(env.tmp, 'c');
    write(join(d, 'junk'), 'x');
    write(join(d, 'keep.local'), 'x');
    write(join(d, 'olddir/inner'), 'x');
    write(join(d, 'managed.conf'), 'x');
    await runTwice(env, {
      fn: directory,
      name: d,
      args: { clean: true, exclude_pat: '*.local', require: [{ file: join(d, 'managed.conf') }] },
      applyChanges: { [join(d, 'junk')]: { removed: 'Removed due to clean' }, [join(d, 'olddir')]: { removed: 'Removed due to clean' } },
      applyComment: `Files cleaned from directory ${d}`,
    });
    expect(fs.readdirSync(d).sort()).toEqual(['keep.local', 'managed.conf']);
  });

  it('a file in the way: error, or replaced with force', async () => {
    const d = join(env.tmp, 'f');
    write(d, 'x');
    expect(await directory(env.ctx(false), d, {})).toMatchObject({ result: false, comment: `Specified location ${d} exists and is a file` });
    await runTwice(env, { fn: directory, name: d, args: { force: true }, applyChanges: { [d]: { directory: 'new' } } });
    expect(fs.statSync(d).isDirectory()).toBe(true);
  });

  it('argument errors', async () => {
    const c = env.ctx(false);
    expect((await directory(c, '', {})).comment).toBe('Must provide name to file.directory');
    expect((await directory(c, 'rel', {})).comment).toBe('Specified file rel is not an absolute path');
    expect((await directory(c, join(env.tmp, 'x'), { clean: true, max_depth: 2 })).comment).toBe('Cannot specify both max_depth and clean');
    expect((await directory(c, join(env.tmp, 'x'), { recurse: ['ignore_files', 'ignore_dirs'] })).comment).toBe(
      'Must not specify "recurse" options "ignore_files" and "ignore_dirs" at the same time.',
    );
  });
});
