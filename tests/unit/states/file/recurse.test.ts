import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recurse } from '../../../../states/file/recurse.js';
import { makeEnv, modeOf, read, runTwice, write, type Env } from './harness.js';

let env: Env;
beforeEach(() => {
  env = makeEnv();
  write(join(env.srv, 'app/conf/a.conf'), 'A {{ x }}\n');
  write(join(env.srv, 'app/conf/sub/b.conf'), 'B\n');
  write(join(env.srv, 'app/conf/skip.local'), 'L\n');
  fs.mkdirSync(join(env.srv, 'app/conf/empty'));
});
afterEach(() => env.cleanup());

describe('file.recurse', () => {
  it('copies a salt:// tree with modes, template, include_empty, exclude_pat; then converges', async () => {
    const d = join(env.tmp, 'conf');
    const { test, apply } = await runTwice(env, {
      fn: recurse,
      name: d,
      args: { source: 'salt://app/conf', file_mode: 640, dir_mode: 750, template: 'jinja', context: { x: 'ok' }, include_empty: true, exclude_pat: '*.local' },
      testChanges: {
        [d]: { [d]: { directory: 'new' } },
        [join(d, 'empty')]: { [join(d, 'empty')]: { directory: 'new' } },
        [join(d, 'sub')]: { [join(d, 'sub')]: { directory: 'new' } },
        [join(d, 'a.conf')]: { newfile: join(d, 'a.conf') },
        [join(d, 'sub/b.conf')]: { newfile: join(d, 'sub/b.conf') },
      },
      applyChanges: (c) => {
        expect(c[join(d, 'a.conf')]).toEqual({ diff: 'New file', mode: '0640' });
        expect(Object.keys(c).sort()).toEqual([d, join(d, 'a.conf'), join(d, 'empty'), join(d, 'sub'), join(d, 'sub/b.conf')].sort());
      },
      applyComment: `Recursively updated ${join(env.tmp, 'conf')}`,
      cleanComment: `The directory ${join(env.tmp, 'conf')} is in the correct state`,
    });
    expect(test.comment).toContain(`#### ${join(d, 'a.conf')} ####`);
    expect(apply.result).toBe(true);
    expect(read(join(d, 'a.conf'))).toBe('A ok\n');
    expect(modeOf(join(d, 'sub/b.conf'))).toBe(0o640);
    expect(modeOf(join(d, 'sub'))).toBe(0o750);
    expect(fs.existsSync(join(d, 'skip.local'))).toBe(false);
    expect(fs.statSync(join(d, 'empty')).isDirectory()).toBe(true);
  });

  it('clean removes files the source does not have', async () => {
    const d = join(env.tmp, 'conf');
    write(join(d, 'stale'), 'x');
    write(join(d, 'olddir/f'), 'x');
    await runTwice(env, {
      fn: recurse,
      name: d,
      args: { source: 'salt://app/conf', clean: true },
      testChanges: undefined,
      applyChanges: (c) => expect(c['removed']).toEqual([join(d, 'olddir'), join(d, 'stale')]),
    });
    expect(fs.readdirSync(d).sort()).toEqual(['a.conf', 'skip.local', 'sub']);
  });

  it('errors: mode, bad source, missing source dir, file in the way', async () => {
    const c = env.ctx(false);
    const d = join(env.tmp, 'x');
    expect((await recurse(c, d, { source: 'salt://app/conf', mode: 644 })).comment).toBe(
      "'mode' is not allowed in 'file.recurse'. Please use 'file_mode' and 'dir_mode'.",
    );
    expect((await recurse(c, d, { source: '//code/flask' })).comment).toBe("Invalid source '//code/flask' (must be a salt:// URI)");
    expect((await recurse(c, d, { source: 'salt://nope' })).comment).toBe("The directory 'nope' does not exist on the salt fileserver in saltenv 'base'");
    write(d, 'x');
    expect((await recurse(c, d, { source: 'salt://app/conf' })).comment).toBe(`The path ${d} exists and is not a directory`);
  });
});
