/**
 * The compiled `halite call` end to end: real minion config, real file roots, real states, real exit codes.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../../helpers/cli.js';

interface Tree {
  root: string;
  tmp: string;
  etc: string;
}

/** A config dir + file roots + pillar in a fresh directory. */
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function tree(sls: Record<string, string>, pillar?: Record<string, string>): Tree {
  const root = mkdtempSync(join(tmpdir(), 'halite-cli-'));
  roots.push(root);
  const tmp = join(root, 'tmp');
  mkdirSync(tmp);
  const write = (p: string, text: string): void => {
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text.split('@TMP@').join(tmp));
  };
  for (const [rel, text] of Object.entries(sls)) write(join(root, 'srv', rel), text);
  mkdirSync(join(root, 'srv'), { recursive: true });
  mkdirSync(join(root, 'pillar'), { recursive: true });
  for (const [rel, text] of Object.entries(pillar ?? {})) write(join(root, 'pillar', rel), text);
  write(
    join(root, 'etc', 'minion'),
    [
      'file_client: local',
      'id: clitest',
      `file_roots: {base: [${root}/srv]}`,
      `pillar_roots: {base: [${root}/pillar]}`,
      `cachedir: ${root}/cache`,
      '',
    ].join('\n'),
  );
  return { root, tmp, etc: join(root, 'etc') };
}

const call = (t: Tree, ...args: string[]) => runCli(['call', '--config-dir', t.etc, ...args], { timeoutMs: 30_000 });

beforeAll(async () => {
  await ensureBuilt();
}, 300_000);

describe('halite call: data functions', () => {
  const t = tree({});
  it('test.ping prints the nested output, exit 0, nothing else on stdout', async () => {
    const r = await call(t, 'test.ping');
    expect(r.stdout).toBe('local:\n    True\n');
    expect(r.code).toBe(0);
  });
  it('--out json', async () => {
    const r = await call(t, '--out', 'json', 'test.ping');
    expect(JSON.parse(r.stdout)).toEqual({ local: true });
  });
  it('words after -- are arguments even when they look like options', async () => {
    const r = await call(t, '--out', 'json', 'test.echo', '--', '-x');
    expect(JSON.parse(r.stdout)).toEqual({ local: '-x' });
  });
  it('unknown function: exit 1 with a suggestion on stderr', async () => {
    const r = await call(t, 'test.pnig');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("'test.pnig' is not available");
    expect(r.stderr).toContain('test.ping');
  });
  it('sys.list_functions lists the state functions', async () => {
    const r = await call(t, '--out', 'json', 'sys.list_functions', 'state');
    expect(JSON.parse(r.stdout).local).toEqual(expect.arrayContaining(['state.apply', 'state.sls', 'state.single']));
  });
  it('pillar= must be a mapping', async () => {
    const r = await call(t, 'state.apply', 'pillar=[1]');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Pillar data must be formatted as a dictionary');
  });
  it('usage errors exit 1', async () => {
    expect((await runCli(['call'])).code).toBe(1);
    expect((await runCli(['frobnicate'])).code).toBe(1);
    const run = await runCli(['run', 'virt.list']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no runner functions yet');
    const v = await runCli(['--version']);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('halite call: state runs', () => {
  const t = tree({
    'top.sls': "base:\n  '*':\n    - files\n",
    'files.sls': '@TMP@/a.txt:\n  file.managed:\n    - contents: hello\n',
    'broken.sls': 'missing_source:\n  file.managed:\n    - name: @TMP@/never\n    - source: salt://nope.txt\n',
    'bad.sls': 'notalist:\n  file.managed: {}\n  x: 1\n',
    'forced.sls': '@TMP@/forced.txt:\n  file.managed:\n    - contents: x\n',
  });

  it('test=True changes nothing and exits 0 with result None', async () => {
    const r = await call(t, '--out', 'json', 'state.apply', 'test=True');
    expect(r.code).toBe(0);
    const rec = Object.values(JSON.parse(r.stdout).local as Record<string, { result: unknown }>)[0];
    expect(rec?.result).toBeNull();
    expect(existsSync(join(t.tmp, 'a.txt'))).toBe(false);
  });
  it('state.apply applies, the highstate summary says changed=1; a second run changes nothing', async () => {
    const first = await call(t, 'state.apply');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^local:\n----------\n {10}ID: /);
    expect(first.stdout).toContain('Succeeded: 1 (changed=1)');
    expect(readFileSync(join(t.tmp, 'a.txt'), 'utf8')).toContain('hello');
    const second = await call(t, '--state-output', 'terse', 'state.sls', 'files');
    expect(second.stdout).toContain('Result: Clean');
    expect(second.stdout).toContain('Succeeded: 1\n');
  });
  it('a failed state: exit 1, or 2 with --retcode-passthrough', async () => {
    expect((await call(t, 'state.sls', 'broken')).code).toBe(1);
    expect((await call(t, '--retcode-passthrough', 'state.sls', 'broken')).code).toBe(2);
  });
  it('a missing SLS is a compile error: the list in json, exit 1 either way', async () => {
    const r = await call(t, '--out', 'json', '--retcode-passthrough', 'state.sls', 'doesnotexist');
    expect(r.code).toBe(1);
    const errs = JSON.parse(r.stdout).local as string[];
    expect(Array.isArray(errs)).toBe(true);
    expect(errs[0]).toMatch(/^No matching sls found for 'doesnotexist'/);
  });
  it('compile errors in the highstate output carry their location', async () => {
    const r = await call(t, 'state.sls', 'bad');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Data failed to compile:');
    expect(r.stdout).toMatch(/\(file [^)]*bad\.sls/);
  });
  it('state.single file.managed with kwargs', async () => {
    const target = join(t.tmp, 'single.txt');
    const r = await call(t, '--out', 'json', 'state.single', 'file.managed', target, 'contents=hi there');
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout).local)).toEqual([`file_|-${target}_|-${target}_|-managed`]);
    expect(readFileSync(target, 'utf8')).toContain('hi there');
  });
  it('state.test forces test mode even with test=False', async () => {
    const target = join(t.tmp, 'forced.txt');
    const r = await call(t, '--out', 'json', 'state.test', 'forced', 'test=False');
    expect(r.code).toBe(0);
    expect(Object.values(JSON.parse(r.stdout).local as Record<string, { result: unknown }>)[0]?.result).toBeNull();
    expect(existsSync(target)).toBe(false);
  });
  it('logs go to stderr: stdout stays one JSON document at -l debug', async () => {
    const r = await call(t, '--out', 'json', '-l', 'debug', 'state.sls', 'files');
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });
  it('--file-root replaces file_roots.base (no config file needed)', async () => {
    const r = await runCli(['call', '--config-dir', join(t.root, 'no-such-etc'), '--file-root', join(t.root, 'srv'), '--out', 'json', 'state.show_top']);
    expect(JSON.parse(r.stdout)).toEqual({ local: { base: ['files'] } });
  });
  it('--progress writes progress to stderr only', async () => {
    const r = await call(t, '--progress', '--out', 'json', 'state.sls', 'files');
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toContain('[1/1]');
  });
  it('queue=False refuses while another live process holds the state lock', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      mkdirSync(join(t.root, 'cache'), { recursive: true });
      writeFileSync(join(t.root, 'cache', 'state.lock'), JSON.stringify({ pid: sleeper.pid, fun: 'state.apply', started: 'now' }));
      const r = await call(t, 'state.sls', 'files', 'queue=False');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`running as PID ${sleeper.pid}`);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});

describe('halite call: secrets never reach stdout', () => {
  const t = tree(
    { 'leak.sls': "say_it:\n  cmd.run:\n    - name: echo {{ pillar['db']['password'] }}\n" },
    { 'top.sls': "base:\n  '*':\n    - db\n", 'db.sls': 'db:\n  password: hunter2-very-secret\n' },
  );
  it.each([['highstate'], ['json'], ['yaml'], ['nested'], ['txt']])('--out %s', async (out) => {
    const r = await call(t, '--out', out, 'state.sls', 'leak');
    expect(r.stdout).toContain('<redacted>');
    expect(r.stdout).not.toContain('hunter2-very-secret');
    expect(r.stderr).not.toContain('hunter2-very-secret');
  });
  it('pillar.get of a secret key', async () => {
    const r = await call(t, 'pillar.get', 'db:password');
    expect(r.stdout).not.toContain('hunter2-very-secret');
  });
});

describe('halite call: a broken pillar stops state runs', () => {
  const t = tree(
    { 'ok.sls': 'ok:\n  test.nop: []\n' },
    { 'top.sls': "base:\n  '*':\n    - broken\n", 'broken.sls': 'x: {{ nope.nope }}\n' },
  );
  it('exit 1, or 5 (EX_PILLAR_FAILURE) with --retcode-passthrough, and the messages in json', async () => {
    const r = await call(t, '--out', 'json', 'state.sls', 'ok');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).local[0]).toBe('Pillar failed to render with the following messages:');
    expect((await call(t, '--retcode-passthrough', 'state.sls', 'ok')).code).toBe(5);
  });
});

describe('halite call: highstate edge cases and sls_id', () => {
  const t = tree({
    'top.sls': "base:\n  'no-such-minion':\n    - ids\n",
    'ids.sls': 'a:\n  test.succeed_with_changes:\n    - require:\n      - test: b\nb:\n  test.succeed_without_changes: []\nc:\n  test.fail_without_changes: []\n',
  });
  it('no top match: the no_|-states pseudo state, exit 1, 2 with --retcode-passthrough', async () => {
    const r = await call(t, '--out', 'json', 'state.apply');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).local['no_|-states_|-states_|-None']).toMatchObject({
      result: false,
      comment: 'No Top file or master_tops data matches found. Please see master log for details.',
    });
    expect((await call(t, '--retcode-passthrough', 'state.highstate')).code).toBe(2);
  });
  it('sls_id runs the ID and what it requires, nothing else', async () => {
    const r = await call(t, '--out', 'json', 'state.sls_id', 'a', 'ids');
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout).local).sort()).toEqual(['test_|-a_|-a_|-succeed_with_changes', 'test_|-b_|-b_|-succeed_without_changes']);
  });
  it('sls_id with an unknown ID: exit 1 and Salt\'s message', async () => {
    const r = await call(t, 'state.sls_id', 'zzz', 'ids');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("No matches for ID 'zzz' found in SLS 'ids' within saltenv 'base'");
  });
});
