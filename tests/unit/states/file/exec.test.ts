import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileExec } from '../../../../states/file/index.js';
import { makeEnv, read, write, type Env } from './harness.js';

let env: Env;
beforeEach(() => {
  env = makeEnv();
});
afterEach(() => env.cleanup());

const call = (env: Env, fun: string, args: unknown[], kwargs = {}, sync = false) => {
  const def = fileExec.functions[fun]!;
  return (sync ? def.sync! : def.fn)(env.ctx(false), args, kwargs);
};

describe('file execution functions', () => {
  it('read-only ones work sync (for Jinja) and async', async () => {
    const p = join(env.tmp, 'f');
    write(p, 'Port 22\n');
    expect(call(env, 'file_exists', [p], {}, true)).toBe(true);
    expect(call(env, 'file_exists', [env.tmp], {}, true)).toBe(false);
    expect(call(env, 'directory_exists', [env.tmp], {}, true)).toBe(true);
    expect(call(env, 'read', [p], {}, true)).toBe('Port 22\n');
    expect(call(env, 'search', [p, '^port', ['IGNORECASE', 'MULTILINE']], {}, true)).toBe(true);
    expect(call(env, 'contains', [p, 'rt 2'], {}, true)).toBe(true);
    expect(call(env, 'get_hash', [p], {}, true)).toMatch(/^[0-9a-f]{64}$/);
    expect(await call(env, 'stats', [p])).toMatchObject({ mode: '0644', type: 'file', user: 'root' });
  });

  it('mutating ones', async () => {
    const p = join(env.tmp, 'g');
    expect(await call(env, 'write', [p, 'a', 'b'])).toBe(`Wrote 2 lines to "${p}"`);
    expect(await call(env, 'replace', [p, '^b$', 'B'])).toContain('+B');
    expect(await call(env, 'blockreplace', [p], { marker_start: '#s', marker_end: '#e', content: 'x', append_if_not_found: true })).toContain('+#s');
    expect(await call(env, 'line', [p], { content: 'z', mode: 'insert', location: 'start' })).toContain('+z');
    expect(read(p)).toBe('z\na\nB\n#s\nx\n#e\n');
    expect(await call(env, 'set_mode', [p, 600])).toBe('0600');
    expect(await call(env, 'get_mode', [p])).toBe('0600');
    await call(env, 'mkdir', [join(env.tmp, 'd/e')]);
    expect(fs.statSync(join(env.tmp, 'd/e')).isDirectory()).toBe(true);
    expect(await call(env, 'user_to_uid', ['root'])).toBe(0);
    expect(await call(env, 'user_to_uid', ['no-such-user-h6'])).toBe('');
    expect(await call(env, 'remove', [join(env.tmp, 'd')])).toBe(true);
    expect(fs.existsSync(join(env.tmp, 'd'))).toBe(false);
  });
});
