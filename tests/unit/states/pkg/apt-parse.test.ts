import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aptErrors, parseAptPolicy, parseAptSimulation, parseDpkgQuery } from '../../../../states/pkg/apt/parse.js';

const fx = (f: string): string => readFileSync(join(__dirname, '../../../fixtures/pkg/apt', f), 'utf8');

describe('apt parsers on recorded output', () => {
  it('dpkg-query: installed, config-only, held, foreign arch', () => {
    expect(parseDpkgQuery(fx('dpkg-query.txt'), 'amd64')).toEqual({
      installed: { 'h7dummy-dep': '1.0', libc6: '2.36-9+deb12u10', 'libc6:i386': '2.36-9+deb12u10', 'held-pkg': '3.0-1', half: '0.9' },
      removed: { h7dummy: '1.1' },
      held: ['held-pkg'],
    });
  });

  it('apt-cache policy: candidate, installed, version table; unknown names absent', () => {
    expect(parseAptPolicy(fx('policy.txt'))).toEqual({
      h7dummy: { installed: null, candidate: '1.1', versions: ['1.1', '1.0'] },
      'h7dummy-dep': { installed: '1.0', candidate: '1.0', versions: ['1.0'] },
    });
    expect(parseAptPolicy('')).toEqual({});
    // Ubuntu's phased updates add a note after the priority.
    const phased = 'foo:\n  Installed: 1.0\n  Candidate: 1.0\n  Version table:\n     1.1 500 (phased 10%)\n *** 1.0 100\n';
    expect(parseAptPolicy(phased).foo!.versions).toEqual(['1.1', '1.0']);
  });

  it.each([
    ['sim-install.txt', {}, { 'h7dummy-dep': { old: '', new: '1.0' }, h7dummy: { old: '', new: '1.0' } }],
    ['sim-downgrade-held.txt', {}, { h7dummy: { old: '1.1', new: '1.0' } }],
    ['sim-purge.txt', { h7dummy: '1.1' }, { h7dummy: { old: '1.1', new: '' }, 'h7dummy-dep': { old: '1.0', new: '' } }],
  ])('apt-get -s: %s', (file, removed, plan) => {
    expect(parseAptSimulation(fx(file), removed)).toEqual(plan);
  });

  it('collects E: lines', () => {
    expect(aptErrors(fx('sim-errors.txt'))).toEqual([
      'Unable to locate package nonexist-xyz',
      "Version '9.9' for 'h7dummy' was not found",
    ]);
  });
});
