import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { append, blockreplace, comment, line, replace, uncomment } from '../../../../states/file/edit.js';
import { makeEnv, modeOf, read, runTwice, write, type Env } from './harness.js';

let env: Env;
let p: string;
beforeEach(() => {
  env = makeEnv();
  p = join(env.tmp, 'cfg');
  write(p, 'Port 22\n#PermitRootLogin yes\nUsePAM yes\n', 0o600);
});
afterEach(() => env.cleanup());

describe('file.replace', () => {
  it('replaces and converges (Salt comments)', async () => {
    await runTwice(env, {
      fn: replace,
      name: p,
      args: { pattern: '^#?PermitRootLogin .*$', repl: 'PermitRootLogin no' },
      testComment: 'Changes would have been made',
      applyChanges: { diff: '--- \n+++ \n@@ -1,3 +1,3 @@\n Port 22\n-#PermitRootLogin yes\n+PermitRootLogin no\n UsePAM yes\n' },
      applyComment: 'Changes were made',
      cleanComment: 'No changes needed to be made',
    });
    expect(modeOf(p)).toBe(0o600);
  });
  it('append_if_not_found', async () => {
    await runTwice(env, { fn: replace, name: p, args: { pattern: '^X11Forwarding .*$', repl: 'X11Forwarding no', append_if_not_found: true }, applyChanges: (c) => expect(c['diff']).toContain('+X11Forwarding no') });
    expect(read(p).endsWith('UsePAM yes\nX11Forwarding no\n')).toBe(true);
  });
  it('missing file: error, or fine with ignore_if_missing', async () => {
    const q = join(env.tmp, 'none');
    expect(await replace(env.ctx(false), q, { pattern: 'a', repl: 'b' })).toMatchObject({ result: false, comment: `${q}: file not found` });
    expect(await replace(env.ctx(false), q, { pattern: 'a', repl: 'b', ignore_if_missing: true })).toMatchObject({ result: true, comment: 'No changes needed to be made' });
  });
});

describe('file.blockreplace', () => {
  it('appends a block then keeps it', async () => {
    await runTwice(env, {
      fn: blockreplace,
      name: p,
      args: { marker_start: '# BEGIN halite', marker_end: '# END halite', content: 'Match User x\n  X11Forwarding no', append_if_not_found: true },
      testComment: 'Changes would be made',
      applyChanges: (c) => expect(c['diff']).toContain('+# BEGIN halite'),
      applyComment: 'Changes were made',
      cleanComment: 'No changes needed to be made',
    });
    expect(read(p)).toBe('Port 22\n#PermitRootLogin yes\nUsePAM yes\n# BEGIN halite\nMatch User x\n  X11Forwarding no\n# END halite\n');
  });
  it('fails when markers are absent', async () => {
    expect(await blockreplace(env.ctx(false), p, { content: 'x' })).toMatchObject({ result: false, comment: 'Cannot edit marked block. Markers were not found' });
  });
});

describe('file.line', () => {
  it('ensure after', async () => {
    await runTwice(env, { fn: line, name: p, args: { mode: 'ensure', content: 'AddressFamily inet', after: '^Port' }, applyChanges: (c) => expect(c['diff']).toContain('+AddressFamily inet'), cleanComment: 'No changes needed to be made' });
    expect(read(p).split('\n')[1]).toBe('AddressFamily inet');
  });
  it('delete', async () => {
    await runTwice(env, { fn: line, name: p, args: { mode: 'delete', match: '^UsePAM' }, applyChanges: (c) => expect(c['diff']).toContain('-UsePAM yes') });
  });
  it('mode is required', async () => {
    expect((await line(env.ctx(false), p, { content: 'x' })).comment).toBe('Mode was not defined. How to process the file?');
  });
});

describe('file.append', () => {
  it('adds missing lines only, creates the file if needed', async () => {
    await runTwice(env, {
      fn: append,
      name: p,
      args: { text: ['UsePAM yes', 'Banner none'] },
      testComment: `File ${p} is set to be updated`,
      applyChanges: { diff: '--- \n+++ \n@@ -1,3 +1,4 @@\n Port 22\n #PermitRootLogin yes\n UsePAM yes\n+Banner none\n' },
      applyComment: 'Appended 1 lines',
      cleanComment: `File ${p} is in correct state`,
    });
    const q = join(env.tmp, 'new.txt');
    await runTwice(env, { fn: append, name: q, args: { text: 'hello' }, applyChanges: { diff: '--- \n+++ \n@@ -0,0 +1 @@\n+hello\n' } });
  });
});

describe('non-UTF-8 text', () => {
  it('append keeps undecodable bytes as they are', async () => {
    const q = join(env.tmp, 'latin1');
    write(q, Buffer.from('abc\xedxyz\n', 'latin1'));
    await runTwice(env, { fn: append, name: q, args: { text: 'cheese' }, applyChanges: (c) => expect(c['diff']).toContain('+cheese'), applyComment: 'Appended 1 lines' });
    expect(fs.readFileSync(q)).toEqual(Buffer.from('abc\xedxyz\ncheese\n', 'latin1'));
  });
});

describe('file.comment / file.uncomment', () => {
  it('comment then uncomment', async () => {
    await runTwice(env, {
      fn: comment,
      name: p,
      args: { regex: '^UsePAM' },
      testComment: `File ${p} is set to be updated`,
      applyChanges: (c) => expect(c['diff']).toContain('+#UsePAM yes'),
      applyComment: 'Commented lines successfully',
      cleanComment: 'Pattern already commented',
    });
    await runTwice(env, {
      fn: uncomment,
      name: p,
      args: { regex: 'PermitRootLogin' },
      applyChanges: (c) => expect(c['diff']).toContain('+PermitRootLogin yes'),
      applyComment: 'Uncommented lines successfully',
      cleanComment: 'Pattern already uncommented',
    });
    expect(read(p)).toBe('Port 22\nPermitRootLogin yes\n#UsePAM yes\n');
  });
  it('pattern not found', async () => {
    expect(await comment(env.ctx(false), p, { regex: '^Nope' })).toMatchObject({ result: false, comment: 'Nope: Pattern not found' });
    expect(await uncomment(env.ctx(false), p, { regex: 'Nope' })).toMatchObject({ result: false, comment: 'Nope: Pattern not found' });
  });
});
