/** engine/functions/last-run.ts: the masked summary of the last run per (saltenv, mods). */
import { chmodSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastRunPath, loadLastRun, runKey, saveLastRun, summarize } from '../../../engine/functions/last-run.js';
import type { Dict, StateReturn } from '../../../engine/types.js';

const SECRET = 'hunter2-very-secret';

function ctxFor(cachedir: string, warnings: string[] = []) {
  return {
    opts: { cachedir } as Dict,
    pillar: { db: { password: SECRET, host: 'db1' } } as Dict,
    log: { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} },
  };
}

const ret: StateReturn = {
  'cmd_|-ok_|-true_|-run': { name: 'true', result: true, comment: 'Command "true" run', changes: { pid: 1, retcode: 0 }, __run_num__: 0 },
  [`cmd_|-login_|-echo ${SECRET}_|-run`]: {
    name: `echo ${SECRET}`,
    result: false,
    comment: `\nCommand "echo ${SECRET}" failed\nsecond line`,
    changes: {},
    __run_num__: 1,
  },
  'test_|-maybe_|-maybe_|-nop': { name: 'maybe', result: null, comment: ['would', 'change'] as unknown as string, changes: { x: 1 }, __run_num__: 2 },
};

describe('summarize', () => {
  it('keeps result, whether anything changed and the first non-empty comment line, masked', () => {
    const s = summarize(ret, (x) => x.split(SECRET).join('<redacted>'));
    expect(s).toEqual({
      'cmd_|-ok_|-true_|-run': { result: true, changes: true, comment: 'Command "true" run' },
      'cmd_|-login_|-echo <redacted>_|-run': { result: false, changes: false, comment: 'Command "echo <redacted>" failed' },
      'test_|-maybe_|-maybe_|-nop': { result: null, changes: true, comment: 'would change' },
    });
  });
});

describe('saveLastRun / loadLastRun', () => {
  it('writes <cachedir>/last-run.json (0600, no temp files left), no secret and no change data in it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'halite-lastrun-')), 'cache');
    saveLastRun(ctxFor(dir), { saltenv: 'base', mods: ['web', 'db'], fun: 'state.sls', test: false }, ret);
    const path = lastRunPath({ cachedir: dir });
    expect(path).toBe(join(dir, 'last-run.json'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['last-run.json']);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('retcode');
    const run = loadLastRun({ cachedir: dir }, 'base', ['db', 'web'])!;
    expect(run).toMatchObject({ saltenv: 'base', mods: ['db', 'web'], fun: 'state.sls', test: false });
    expect(run.states['cmd_|-ok_|-true_|-run']).toEqual({ result: true, changes: true, comment: 'Command "true" run' });
  });

  it('one entry per (saltenv, mods): a new run replaces only its own entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'halite-lastrun-'));
    const ctx = ctxFor(dir);
    saveLastRun(ctx, { saltenv: 'base', mods: ['web'], fun: 'state.sls', test: false }, ret);
    saveLastRun(ctx, { saltenv: 'base', mods: [], fun: 'state.highstate', test: true }, {});
    saveLastRun(ctx, { saltenv: 'base', mods: ['web'], fun: 'state.apply', test: true }, {});
    expect(loadLastRun({ cachedir: dir }, 'base', ['web'])).toMatchObject({ fun: 'state.apply', test: true, states: {} });
    expect(loadLastRun({ cachedir: dir }, 'base', [])).toMatchObject({ fun: 'state.highstate' });
    expect(loadLastRun({ cachedir: dir }, 'dev', ['web'])).toBeNull();
    expect(runKey('base', ['a', 'b'])).toBe(runKey('base', ['b', 'a', 'a']));
  });

  it('an unreadable file starts afresh; an unwritable cache warns instead of throwing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'halite-lastrun-'));
    writeFileSync(join(dir, 'last-run.json'), '{not json');
    expect(loadLastRun({ cachedir: dir }, 'base', ['web'])).toBeNull();
    const warnings: string[] = [];
    const blocker = join(dir, 'file');
    writeFileSync(blocker, '');
    chmodSync(blocker, 0o400);
    saveLastRun(ctxFor(join(blocker, 'sub'), warnings), { saltenv: 'base', mods: ['web'], fun: 'state.sls', test: false }, ret);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('could not record the last run');
  });
});
