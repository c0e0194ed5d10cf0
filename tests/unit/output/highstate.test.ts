import { describe, expect, it } from 'vitest';
import { highstate } from '../../../engine/output/highstate.js';
import type { RunReport, StateRecord } from '../../../engine/types.js';

function rec(p: Partial<StateRecord> & { __run_num__: number }): StateRecord {
  return { name: 'x', result: true, comment: '', changes: {}, start_time: '10:00:00.000000', duration: 1.5, ...p };
}

const data: Record<string, StateRecord> = {
  'cmd_|-A_|-echo a_|-run': rec({ name: 'echo a', __run_num__: 0, comment: 'Command "echo a" run', changes: { retcode: 0 } }),
  'test_|-B_|-B_|-succeed_without_changes': rec({ name: 'B', __run_num__: 1, comment: 'Success!' }),
  'test_|-C_|-C_|-fail_without_changes': rec({ name: 'C', __run_num__: 2, result: false, comment: 'Failure!' }),
  'test_|-D_|-D_|-succeed_with_changes': rec({ name: 'D', __run_num__: 3, result: null, comment: 'would\nchange', changes: { a: 1 }, duration: 1000.5 }),
};
const report: RunReport = { host: 'local', fun: 'state.sls', kind: 'states', data, retcode: 2 };

describe('highstate outputter', () => {
  it('full mode: blocks in run order, Name only when it differs, comment continuation, summary', () => {
    const out = highstate(report);
    expect(out.split('\n').slice(0, 16)).toEqual([
      'local:',
      '----------',
      '          ID: A',
      '    Function: cmd.run',
      '        Name: echo a',
      '      Result: True',
      '     Comment: Command "echo a" run',
      '     Started: 10:00:00.000000',
      '    Duration: 1.5 ms',
      '     Changes:   ',
      '              ----------',
      '              retcode:',
      '                  0',
      '----------',
      '          ID: B',
      '    Function: test.succeed_without_changes',
    ]);
    expect(out).toContain('     Comment: would\n              change\n');
    expect(out).toContain('    Duration: 1000.5 ms');
    expect(highstate({ ...report, data: { t: rec({ __run_num__: 0, duration: 2 }) } })).toContain('Duration: 2.0 ms');
    expect(out.endsWith(
      ['Summary for local', '------------', 'Succeeded: 3 (unchanged=1, changed=2)', 'Failed:    1', '------------', 'Total states run:     4', 'Total run time:   1.005 s'].join('\n'),
    )).toBe(true);
  });
  it('terse, mixed and changes modes', () => {
    const terse = highstate(report, { stateOutput: 'terse' }).split('\n');
    expect(terse[1]).toBe('  Name: echo a - Function: cmd.run - Result: Changed - Started: 10:00:00.000000 - Duration: 1.5 ms');
    expect(terse[3]).toBe('  Name: C - Function: test.fail_without_changes - Result: Failed - Started: 10:00:00.000000 - Duration: 1.5 ms');
    expect(terse[4]).toContain('Result: Differs');
    const mixed = highstate(report, { stateOutput: 'mixed' });
    expect(mixed).toContain('          ID: C');
    expect(mixed).not.toContain('          ID: A');
    const changes = highstate(report, { stateOutput: 'changes' });
    expect(changes).toContain('          ID: A');
    expect(changes).toContain('  Name: B - Function: test.succeed_without_changes - Result: Clean');
  });
  it('_id modes show the ID instead of the name', () => {
    expect(highstate(report, { stateOutput: 'terse_id' }).split('\n')[1]).toMatch(/^ {2}Name: A - Function: cmd.run/);
    expect(highstate(report, { stateOutput: 'full_id' })).not.toContain('Name: echo a');
  });
  it('state_verbose false hides successful unchanged states but counts them', () => {
    const out = highstate(report, { stateVerbose: false });
    expect(out).not.toContain('ID: B');
    expect(out).toContain('Total states run:     4');
  });
  it('without profile: no Started/Duration/Total run time', () => {
    const out = highstate(report, { profile: false });
    expect(out).not.toMatch(/Started|Duration|Total run time/);
  });
  it('compile errors with locations', () => {
    const out = highstate({
      host: 'local',
      fun: 'state.sls',
      kind: 'errors',
      data: ['State \'B\' in SLS \'x\' is not formed as a list'],
      errorDetails: [{ message: 'm', file: '/srv/x.sls', line: 3, id: 'B' }],
      retcode: 1,
    });
    expect(out).toBe(
      "local:\n    Data failed to compile:\n----------\n    State 'B' in SLS 'x' is not formed as a list\n    (file /srv/x.sls, line 3, ID 'B')",
    );
  });
  it('an empty run prints the summary with zero counts', () => {
    const out = highstate({ host: 'local', fun: 'state.sls', kind: 'states', data: {}, retcode: 2 });
    expect(out).toContain('-----------\nSucceeded: 0\nFailed:   0\n-----------\nTotal states run:    0\nTotal run time:  0.000 ms');
  });
  it('warnings are printed and counted', () => {
    const out = highstate({
      host: 'local',
      fun: 'state.sls',
      kind: 'states',
      data: { 'test_|-W_|-W_|-nop': rec({ name: 'W', __run_num__: 0, warnings: ['careful now'] }) },
      retcode: 0,
    });
    expect(out).toContain('    Warnings: careful now');
    expect(out).toContain('Warnings:  1');
  });
});

describe('highstate colours', () => {
  it('are off by default and on when asked: failed states and the host in red', () => {
    const plain = highstate(report);
    expect(plain).not.toMatch(/\x1b\[/);
    const coloured = highstate(report, { color: true });
    expect(coloured).toContain('\x1b[31mlocal:');
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });
});
