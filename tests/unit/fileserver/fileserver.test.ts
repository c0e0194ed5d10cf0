import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HaliteError } from '../../../engine/errors.js';
import { parseSaltUrl, RootsFileServer } from '../../../engine/fileserver/index.js';

let t: string;
let fsrv: RootsFileServer;
const put = (p: string, c = p): void => {
  mkdirSync(dirname(join(t, p)), { recursive: true });
  writeFileSync(join(t, p), c);
};

beforeAll(() => {
  t = mkdtempSync(join(tmpdir(), 'halite-fs-'));
  put('r1/top.sls');
  put('r1/web/init.sls', 'r1 web');
  put('r1/web/files/a.conf');
  put('r2/web/init.sls', 'r2 web');
  put('r2/db/init.sls');
  put('r2/.git/config');
  put('dev/web/init.sls', 'dev web');
  put('outside/secret', 'top secret');
  symlinkSync(join(t, 'outside/secret'), join(t, 'r1/leak'));
  symlinkSync(join(t, 'outside'), join(t, 'r1/leakdir'));
  symlinkSync(join(t, 'r2/db/init.sls'), join(t, 'r1/db-link.sls')); // points into another root: allowed
  symlinkSync('web', join(t, 'r1/alias'));
  fsrv = new RootsFileServer({
    roots: { base: [join(t, 'r1'), join(t, 'r2')], dev: [join(t, 'dev')] },
    ignoreGlob: ['**/.git/**', '.git/**'],
  });
});
afterAll(() => rmSync(t, { recursive: true, force: true }));

describe('RootsFileServer', () => {
  it('parses salt:// URLs', () => {
    expect(parseSaltUrl('salt://a/b.txt?saltenv=dev')).toEqual({ path: 'a/b.txt', saltenv: 'dev' });
    expect(parseSaltUrl('salt://a')).toEqual({ path: 'a', saltenv: undefined });
  });

  it('first root that has the file wins; saltenv in the URL or argument', () => {
    expect(fsrv.read('salt://web/init.sls')!.toString()).toBe('r1 web');
    expect(fsrv.resolve('salt://db/init.sls')).toBe(join(t, 'r2/db/init.sls'));
    expect(fsrv.read('salt://web/init.sls?saltenv=dev')!.toString()).toBe('dev web');
    expect(fsrv.read('web/init.sls', 'dev')!.toString()).toBe('dev web');
    expect(fsrv.resolve('salt://./web//init.sls')).toBe(join(t, 'r1/web/init.sls'));
  });

  it('absent files, directories and unknown saltenvs are null', () => {
    expect(fsrv.resolve('salt://nope')).toBeNull();
    expect(fsrv.resolve('salt://web')).toBeNull();
    expect(fsrv.resolve('salt://web/init.sls?saltenv=prod')).toBeNull();
    expect(fsrv.read('salt://nope')).toBeNull();
  });

  it.each([
    ['salt://../outside/secret', /'\.\.' is not allowed/],
    ['salt://web/../../outside/secret', /'\.\.' is not allowed/],
    ['salt:///etc/passwd', /absolute paths are not allowed/],
    ['salt://leak', /outside file_roots\[base\]/],
    ['salt://leakdir/secret', /outside file_roots\[base\]/],
  ])('refuses %s', (url, msg) => {
    expect(() => fsrv.resolve(url)).toThrow(HaliteError);
    expect(() => fsrv.resolve(url)).toThrow(msg);
  });

  it('follows symlinks that stay inside the roots', () => {
    expect(fsrv.read('salt://alias/init.sls')!.toString()).toBe('r1 web');
    expect(fsrv.resolve('salt://db-link.sls')).toBe(join(t, 'r1/db-link.sls'));
  });

  it('lists files (union of roots, ignores, no escaping symlinks)', () => {
    expect(fsrv.list()).toEqual([
      'alias/files/a.conf',
      'alias/init.sls',
      'db-link.sls',
      'db/init.sls',
      'top.sls',
      'web/files/a.conf',
      'web/init.sls',
    ]);
    expect(fsrv.list('base', 'web')).toEqual(['web/files/a.conf', 'web/init.sls']);
    expect(fsrv.list('base', 'salt://web/files')).toEqual(['web/files/a.conf']);
    expect(fsrv.list('dev')).toEqual(['web/init.sls']);
    expect(fsrv.listDirs('base', 'web')).toEqual(['web', 'web/files']);
    expect(() => fsrv.list('base', '../outside')).toThrow(HaliteError);
  });

  it('roots and envs', () => {
    expect(fsrv.envs()).toEqual(['base', 'dev']);
    expect(fsrv.roots('dev')).toEqual([join(t, 'dev')]);
    expect(fsrv.roots('nope')).toEqual([]);
  });
});
