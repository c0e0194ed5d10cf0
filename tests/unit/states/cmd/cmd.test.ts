/**
 * cmd states and execution functions on a scripted host: what is run (argv, options) and what is reported.
 * tests/e2e/cmd runs the same functions on the real machine.
 */
import { describe, expect, it } from 'vitest';
import { getRetcode } from '../../../../engine/runner/retcode.js';
import type { Dict, LowChunk, StateContext } from '../../../../engine/types.js';
import { shlexSplit } from '../../../../states/cmd/command.js';
import { cmdExecModule } from '../../../../states/cmd/exec.js';
import { cmdStateModule } from '../../../../states/cmd/index.js';
import { reinterpret } from '../../../../states/cmd/stateful.js';
import { makeContext } from '../../runner/helpers.js';
import { FakeHost } from './fakehost.js';

function sctx(host: FakeHost, test = false): StateContext {
  const ctx = makeContext({ host, test }) as StateContext;
  ctx.low = { state: 'cmd', fun: 'run', name: 'x', __id__: 'x', __sls__: 's', __env__: 'base' } as LowChunk;
  return ctx;
}
const state = (f: string) => cmdStateModule.functions[f]!.fn;

describe('cmd.run state', () => {
  it('reports the run_all dict as changes, trailing whitespace stripped', async () => {
    const host = new FakeHost([[/echo hi/, { stdout: 'hi\n', stderr: 'warn \n', pid: 7 }]]);
    const r = await state('run')(sctx(host), 'echo hi', {});
    expect(r).toEqual({ name: 'echo hi', result: true, comment: 'Command "echo hi" run', changes: { pid: 7, retcode: 0, stdout: 'hi', stderr: 'warn' } });
    expect(host.calls[0]).toMatchObject({ argv: ['echo hi'], opts: { shell: true } });
  });

  it('a failing command still reports changes and the same comment', async () => {
    const host = new FakeHost([[/false/, { code: 1 }]]);
    const r = await state('run')(sctx(host), 'false', {});
    expect(r.result).toBe(false);
    expect(r.comment).toBe('Command "false" run');
    expect(r.changes).toMatchObject({ retcode: 1 });
  });

  it('test mode runs nothing', async () => {
    const host = new FakeHost();
    const r = await state('run')(sctx(host, true), 'rm -rf /x', {});
    expect(r).toEqual({ name: 'rm -rf /x', result: null, comment: 'Command "rm -rf /x" would have been executed', changes: { cmd: 'rm -rf /x' } });
    expect(host.calls).toHaveLength(0);
  });

  it('passes cwd, env (list form), runas, umask, timeout, stdin; a custom shell', async () => {
    const host = new FakeHost();
    host.dirs.add('/srv');
    await state('run')(sctx(host), 'make', { cwd: '/srv', env: [{ A: 1 }, { B: 'x' }], runas: 'app', umask: '027', timeout: 5, stdin: 'in', shell: '/bin/bash' });
    expect(host.calls[0]!.argv).toEqual(['/bin/bash', '-c', 'make']);
    expect(host.calls[0]!.opts).toMatchObject({ cwd: '/srv', env: { A: '1', B: 'x' }, runas: 'app', umask: '027', timeoutMs: 5000, stdin: 'in' });
    expect(host.calls[0]!.opts.shell).toBeUndefined();
  });

  it('refuses a missing cwd', async () => {
    const r = await state('run')(sctx(new FakeHost()), 'true', { cwd: '/nope' });
    expect(r).toMatchObject({ result: false, comment: 'Desired working directory "/nope" is not available', changes: {} });
  });

  it('success_retcodes turn a code into success', async () => {
    const host = new FakeHost([[/grep/, { code: 1 }]]);
    const r = await state('run')(sctx(host), 'grep x y', { success_retcodes: [1] });
    expect(r.result).toBe(true);
    expect(r.changes).toMatchObject({ retcode: 0 });
  });

  it('success_stdout / success_stderr / hide_output', async () => {
    const host = new FakeHost([[/probe/, { code: 3, stdout: 'already there\n', stderr: 'note' }]]);
    expect((await state('run')(sctx(host), 'probe', { success_stdout: ['already'] })).result).toBe(true);
    expect((await state('run')(sctx(host), 'probe', { success_stderr: 'note' })).result).toBe(true);
    expect((await state('run')(sctx(host), 'probe', {})).result).toBe(false);
    expect((await state('run')(sctx(host), 'probe', { hide_output: true })).changes).toMatchObject({ stdout: '', stderr: '', retcode: 3 });
  });

  it('refuses an env that is not a mapping or list', async () => {
    const r = await state('run')(sctx(new FakeHost()), 'true', { env: 'PATH=/x' });
    expect(r).toMatchObject({ result: false, comment: "Invalidly-formatted 'env' parameter. See documentation." });
  });

  it.each([
    ['changed=no comment="all good"', true, {}, 'all good'],
    ['line one\nchanged=yes comment=done', true, { changed: 'yes', pid: 4242, retcode: 0, stdout: 'line one', stderr: '' }, 'done'],
    ['{"changed": true, "comment": "json", "extra": 1}', true, { changed: true, extra: 1, pid: 4242, retcode: 0, stdout: '', stderr: '' }, 'json'],
    ['[1, 2]', false, {}, 'script JSON output must be a JSON object (e.g., {})!'],
    ['not pairs here', false, { pid: 4242, retcode: 0, stdout: 'not pairs here', stderr: '' }, 'Failed parsing script output! Stdout must be JSON or a line of name=value pairs.'],
  ])('stateful output %j', async (stdout, result, changes, comment) => {
    const host = new FakeHost([[/report/, { stdout }]]);
    const r = await state('run')(sctx(host), 'report', { stateful: true });
    expect(r.result).toBe(result);
    expect(r.changes).toEqual(changes);
    expect(r.comment).toBe(comment);
  });

  it('stateful with empty stdout shows stderr', () => {
    expect(reinterpret({ name: 'x', result: true, comment: 'c', changes: { stdout: '', stderr: 'oops' } })).toMatchObject({ comment: 'oops', changes: {} });
  });
});

describe('cmd.wait, cmd.mod_watch, cmd.script', () => {
  it('wait does nothing', async () => {
    const host = new FakeHost();
    expect(await state('wait')(sctx(host), 'make', {})).toEqual({ name: 'make', result: true, changes: {}, comment: '' });
    expect(host.calls).toHaveLength(0);
  });

  it('mod_watch runs the command for wait/run/watch', async () => {
    const host = new FakeHost([[/reload/, { stdout: 'ok' }]]);
    const r = await cmdStateModule.mod_watch!(sctx(host), 'reload', { sfun: 'wait' });
    expect(r).toMatchObject({ result: true, comment: 'Command "reload" run', changes: { stdout: 'ok' } });
  });

  it('mod_watch refuses other functions', async () => {
    const r = await cmdStateModule.mod_watch!(sctx(new FakeHost()), 'x', { sfun: 'bogus' });
    expect(r).toMatchObject({ result: false, comment: 'cmd.bogus does not work with the watch requisite, please use cmd.wait or cmd.wait_script' });
  });

  it('script copies the source to a private file, runs it with args, removes it', async () => {
    const host = new FakeHost([[/halite-script/, { stdout: 'ran' }]]);
    const ctx = sctx(host);
    ctx.fileserver = { ...ctx.fileserver, read: (url: string) => (url === 'salt://s.sh' ? Buffer.from('#!/bin/sh\necho ran\n') : null) };
    const r = await state('script')(ctx, 'setup', { source: 'salt://s.sh', args: '--fast "a b"' });
    expect(r).toMatchObject({ result: true, comment: "Command 'setup' run", changes: { stdout: 'ran' } });
    const line = host.calls[0]!.argv[0]!;
    expect(line).toMatch(/^'\/tmp\/halite-script-[0-9a-f]+' --fast "a b"$/);
    expect(host.removed).toHaveLength(1);
    expect(host.files.size).toBe(0);
  });

  it('script: name may carry the script and its arguments', async () => {
    const host = new FakeHost();
    const ctx = sctx(host);
    ctx.fileserver = { ...ctx.fileserver, read: (url: string) => (url === 'salt://s.sh' ? Buffer.from('echo') : null) };
    await state('script')(ctx, 'salt://s.sh one two', {});
    expect(host.calls[0]!.argv[0]).toMatch(/^'\/tmp\/halite-script-[0-9a-f]+' one two$/);
  });

  it('script with a missing source fails with Salt\'s message', async () => {
    const r = await state('script')(sctx(new FakeHost()), 'salt://missing.sh', {});
    expect(r).toMatchObject({ result: false, comment: "Unable to cache script salt://missing.sh from saltenv 'base'" });
  });

  it('script under test runs nothing', async () => {
    const host = new FakeHost();
    expect(await state('script')(sctx(host, true), 'salt://x.sh', {})).toMatchObject({ result: null, comment: "Command 'salt://x.sh' would have been executed" });
    expect(host.calls).toHaveLength(0);
  });
});

describe('cmd execution functions', () => {
  const exec = (f: string) => cmdExecModule.functions[f]!;

  it('run returns stdout and records the retcode', async () => {
    const host = new FakeHost([[/ls/, { stdout: 'a\nb\n', code: 2 }]]);
    const ctx = makeContext({ host });
    expect(await exec('run').fn(ctx, ['ls'], {})).toBe('a\nb');
    expect(getRetcode(ctx)).toBe(2);
    expect(await exec('retcode').fn(ctx, ['ls'], {})).toBe(2);
    expect(await exec('run_all').fn(ctx, [], { cmd: 'ls' })).toEqual({ pid: 4242, retcode: 2, stdout: 'a\nb', stderr: '' });
  });

  it('sync variants use runSync (templates)', () => {
    const host = new FakeHost([[/hostname/, { stdout: 'web1\n' }]]);
    const ctx = makeContext({ host });
    expect(exec('run').sync!(ctx, ['hostname -f'], {})).toBe('web1');
    expect(exec('run_stdout').sync!(ctx, ['hostname -f'], {})).toBe('web1');
    expect(exec('retcode').sync!(ctx, ['hostname -f'], {})).toBe(0);
    expect(host.calls.every((c) => c.sync)).toBe(true);
  });

  it('a list is an argv; python_shell=False splits the string', async () => {
    const host = new FakeHost();
    const ctx = makeContext({ host });
    await exec('run').fn(ctx, [['ls', '-l', 'a b']], {});
    await exec('run').fn(ctx, ['ls -l "a b"'], { python_shell: false });
    expect(host.calls.map((c) => [c.argv, c.opts.shell])).toEqual([
      [['ls', '-l', 'a b'], undefined],
      [['ls', '-l', 'a b'], undefined],
    ]);
  });

  it.each([
    ['a b  c', ['a', 'b', 'c']],
    [`'x y' "z \\" w" v\\ u`, ['x y', 'z " w', 'v u']],
    [`a ''`, ['a', '']],
  ])('shlexSplit %j', (s, want) => {
    expect(shlexSplit(s)).toEqual(want);
  });

  it('shlexSplit refuses an open quote', () => {
    expect(() => shlexSplit('"open')).toThrow('No closing quotation');
  });
});

describe('cmd module shape', () => {
  it('keeps runas/umask for the state function, strips engine keys', async () => {
    const { stateArgs } = await import('../../../../engine/runner/verify.js');
    const def = cmdStateModule.functions.run!;
    const args = stateArgs({ state: 'cmd', fun: 'run', name: 'x', __id__: 'x', __sls__: 's', __env__: 'base', runas: 'u', umask: '022', onlyif: 'true', require: [], order: 1, cwd: '/' } as LowChunk, def);
    expect(Object.keys(args).sort()).toEqual(['cwd', 'runas', 'umask']);
    expect((args as Dict).runas).toBe('u');
  });
});
