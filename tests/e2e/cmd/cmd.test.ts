/**
 * cmd states and functions on the real machine (LocalHost): real processes, files, users, umask, timeouts,
 * scripts served from a real file root, through the runner as state.sls would run them.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RootsFileServer } from '../../../engine/fileserver/index.js';
import { LocalHost } from '../../../engine/host/local.js';
import { runChunks } from '../../../engine/runner/index.js';
import type { Dict, LowChunk } from '../../../engine/types.js';
import { cmdExecModule } from '../../../states/cmd/exec.js';
import { makeContext, sls } from '../../unit/runner/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'halite-cmd-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(text: string, o: { test?: boolean; ctxOpts?: Dict } = {}) {
  const ctx = makeContext({ host: new LocalHost(), test: o.test, opts: o.ctxOpts });
  const root = join(tmp, 'srv');
  mkdirSync(root, { recursive: true });
  ctx.fileserver = new RootsFileServer({ roots: { base: [root] } });
  const chunks: LowChunk[] = sls(text.split('@TMP@').join(tmp));
  const ret = await runChunks(chunks, ctx, { test: Boolean(o.test) });
  return (id: string) => Object.values(ret).find((r) => r.__id__ === id)!;
}

describe('cmd on the local machine', () => {
  it('run: stdout, stderr, retcode, cwd, env, stdin', async () => {
    const get = await run(`
A:
  cmd.run:
    - name: 'pwd; echo "$GREETING"; cat; echo err >&2; exit 4'
    - cwd: '@TMP@'
    - env:
      - GREETING: hello
    - stdin: from-stdin
`);
    const a = get('A');
    expect(a.result).toBe(false);
    expect(a.comment).toBe(`Command "pwd; echo "$GREETING"; cat; echo err >&2; exit 4" run`);
    expect(a.changes).toMatchObject({ retcode: 4, stdout: `${tmp}\nhello\nfrom-stdin`, stderr: 'err' });
    expect((a.changes as Dict).pid).toBeGreaterThan(0);
  });

  it('run: a missing command is 127; umask applies; runas switches user', async () => {
    const get = await run(`
missing:
  cmd.run:
    - name: no-such-command-halite
masked:
  cmd.run:
    - name: umask
    - umask: '027'
who:
  cmd.run:
    - name: id -un
    - runas: nobody
`);
    expect(get('missing').changes).toMatchObject({ retcode: 127 });
    expect(get('masked').changes).toMatchObject({ stdout: '0027' });
    expect(get('who').changes).toMatchObject({ stdout: 'nobody', retcode: 0 });
  });

  it('run: timeout kills the command', async () => {
    const get = await run(`
slow:
  cmd.run:
    - name: sleep 5
    - timeout: 1
`);
    expect(get('slow').result).toBe(false);
    expect((get('slow').changes as Dict).retcode).not.toBe(0);
  });

  it('creates, onlyif and unless run real checks; stateful reads the last line', async () => {
    writeFileSync(join(tmp, 'exists'), '');
    const get = await run(`
made:
  cmd.run:
    - name: touch @TMP@/made
    - unless: test -e @TMP@/made
    - onlyif: test -e @TMP@/exists
skipped:
  cmd.run:
    - name: touch @TMP@/never
    - creates: '@TMP@/exists'
self:
  cmd.run:
    - name: echo working; echo "changed=yes comment='did it'"
    - stateful: True
`);
    expect(existsSync(join(tmp, 'made'))).toBe(true);
    expect(existsSync(join(tmp, 'never'))).toBe(false);
    expect(get('skipped').comment).toBe(`${tmp}/exists exists`);
    expect(get('self')).toMatchObject({ result: true, comment: 'did it', changes: { changed: 'yes', stdout: 'working' } });
  });

  it('script: served from the file root, run with args, removed afterwards', async () => {
    writeFileSync(join(tmp, 'srv', 'hello.sh'), '#!/bin/sh\necho "args:$1:$2"\ntouch "$3"\n');
    const get = await run(`
hello:
  cmd.script:
    - source: salt://hello.sh
    - args: one "two words" @TMP@/from-script
`);
    expect(get('hello')).toMatchObject({ result: true, comment: "Command 'hello' run", changes: { stdout: 'args:one:two words', retcode: 0 } });
    expect(existsSync(join(tmp, 'from-script'))).toBe(true);
    expect(readdirSync('/tmp').filter((f) => f.startsWith('halite-script-'))).toEqual([]);
  });

  it('wait + watch runs the command once the watched state changed', async () => {
    const get = await run(`
conf:
  cmd.run:
    - name: echo changed > @TMP@/conf
reload:
  cmd.wait:
    - name: cat @TMP@/conf
    - watch:
      - cmd: conf
`);
    expect(get('reload')).toMatchObject({ result: true, comment: `Command "cat ${tmp}/conf" run`, changes: { stdout: 'changed' } });
    expect(get('reload').__run_num__).toBe(2);
  });

  it('test mode runs nothing', async () => {
    const get = await run(`
A:
  cmd.run:
    - name: touch @TMP@/test-mode
`, { test: true });
    expect(get('A').result).toBeNull();
    expect(existsSync(join(tmp, 'test-mode'))).toBe(false);
  });

  it('execution functions, async and sync', async () => {
    const ctx = makeContext({ host: new LocalHost() });
    const f = cmdExecModule.functions;
    expect(await f.run!.fn(ctx, ['echo hi; echo there'], {})).toBe('hi\nthere');
    expect(f.run!.sync!(ctx, ['echo sync'], {})).toBe('sync');
    expect(await f.retcode!.fn(ctx, ['exit 3'], {})).toBe(3);
    expect(f.run_all!.sync!(ctx, [['printf', '%s', 'a b']], {})).toMatchObject({ stdout: 'a b', retcode: 0 });
    const script = join(tmp, 'sync.sh');
    writeFileSync(script, '#!/bin/sh\necho "sync:$1"\n');
    expect(f.script!.sync!(ctx, [script, 'x y'], {})).toMatchObject({ stdout: 'sync:x', retcode: 0 });
    expect(await f.script!.fn(ctx, [script, ['x y']], {})).toMatchObject({ stdout: 'sync:x y', retcode: 0 });
    expect(readdirSync('/tmp').filter((n) => n.startsWith('halite-script-'))).toEqual([]);
  });
});
