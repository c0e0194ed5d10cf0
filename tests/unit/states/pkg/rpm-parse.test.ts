import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDnfList, parseDnfTransaction, parseRpmQa, parseVersionlockList } from '../../../../states/pkg/rpm/parse.js';
import { parseZyppLocks, parseZypperSearch, parseZypperSummary, zypperErrors } from '../../../../states/pkg/zypper/parse.js';
import type { PkgDb } from '../../../../states/pkg/types.js';

// Samples written from the documented output formats (see states/pkg/README.md), not recorded on live hosts.
const fx = (d: string, f: string): string => readFileSync(join(__dirname, '../../../fixtures/pkg', d, f), 'utf8');
const db = (installed: Record<string, string>): PkgDb => ({ installed, removed: {}, held: [] });

describe('rpm / dnf / yum parsers', () => {
  it('rpm -qa: epoch shown when not 0, newest of several kept, i686 suffixed, gpg-pubkey skipped', () => {
    const text = fx('rpm', 'rpm-qa.txt');
    const nl = text.indexOf('\n');
    expect(parseRpmQa(text.slice(nl + 1), text.slice(0, nl)).installed).toEqual({
      bash: '5.1.8-9.el9',
      'vim-enhanced': '2:8.2.2637-20.el9_1',
      glibc: '2.34-60.el9',
      'glibc.i686': '2.34-60.el9',
      kernel: '5.14.0-427.13.1.el9_4',
      tzdata: '2024a-1.el9',
    });
  });

  it('dnf list --showduplicates available: versions newest first, wrapped rows joined', () => {
    expect(parseDnfList(fx('rpm', 'dnf-list.txt'))).toEqual({
      nginx: { installed: null, candidate: '1:1.20.1-16.el9_4.1', versions: ['1:1.20.1-16.el9_4.1', '1:1.20.1-14.el9_2.1'] },
      'python3-dnf-plugin-versionlock': { installed: null, candidate: '4.3.0-13.el9', versions: ['4.3.0-13.el9'] },
      tree: { installed: null, candidate: '1.8.0-10.el9', versions: ['1.8.0-10.el9'] },
    });
  });

  it('dnf --assumeno install: installs, upgrades and dependencies', () => {
    expect(parseDnfTransaction(fx('rpm', 'dnf-assumeno-install.txt'), db({ tree: '1.8.0-9.el9' }))).toEqual({
      nginx: { old: '', new: '1:1.20.1-16.el9_4.1' },
      tree: { old: '1.8.0-9.el9', new: '1.8.0-10.el9' },
      'nginx-core': { old: '', new: '1:1.20.1-16.el9_4.1' },
      'nginx-filesystem': { old: '', new: '1:1.20.1-16.el9_4.1' },
      'nginx-mod-http-perl': { old: '', new: '1:1.20.1-16.el9_4.1' },
    });
  });

  it('dnf --assumeno remove and yum --assumeno install', () => {
    expect(parseDnfTransaction(fx('rpm', 'dnf-assumeno-remove.txt'), db({ tree: '1.8.0-9.el9' }))).toEqual({
      tree: { old: '1.8.0-9.el9', new: '' },
      libfoo: { old: '2.0-1.el9', new: '' },
    });
    expect(parseDnfTransaction(fx('rpm', 'yum-assumeno-install.txt'), db({ libbar: '1.0-1.el7' }))).toEqual({
      tree: { old: '', new: '1.6.0-10.el7' },
      libbar: { old: '1.0-1.el7', new: '1.1-2.el7' },
    });
  });

  it('versionlock list (dnf and yum formats)', () => {
    expect(parseVersionlockList(fx('rpm', 'dnf-versionlock.txt'))).toEqual(['nginx', 'tree']);
    expect(parseVersionlockList(fx('rpm', 'yum-versionlock.txt'))).toEqual(['nginx', 'tree']);
    expect(parseVersionlockList('Package name: foo\nevr = 1.0-1\n')).toEqual(['foo']);
  });
});

describe('zypper parsers', () => {
  it('search --details: repository versions only, packages only', () => {
    expect(parseZypperSearch(fx('zypper', 'search.xml'))).toEqual({
      vim: { installed: '9.0.2103-150000.5.57.1', candidate: '9.1.0330-150500.20.12.1', versions: ['9.1.0330-150500.20.12.1', '9.0.2103-150000.5.57.1'] },
      tree: { installed: null, candidate: '1.7.0-3.5', versions: ['1.7.0-3.5'] },
    });
  });

  it('install/remove --dry-run summaries', () => {
    expect(parseZypperSummary(fx('zypper', 'install-dryrun.xml'), db({}))).toEqual({
      tree: { old: '', new: '1.7.0-3.5' },
      libtree0: { old: '', new: '1.0-1.1' },
      vim: { old: '9.0.2103-150000.5.57.1', new: '9.1.0330-150500.20.12.1' },
    });
    expect(parseZypperSummary(fx('zypper', 'remove-dryrun.xml'), db({ tree: '1.7.0-3.5' }))).toEqual({
      tree: { old: '1.7.0-3.5', new: '' },
    });
  });

  it('locks file and error messages', () => {
    expect(parseZyppLocks(fx('zypper', 'zypp-locks.txt'))).toEqual(['tree', 'vim']);
    expect(zypperErrors(fx('zypper', 'error.xml'))).toEqual(["Package 'nosuchpkg' not found."]);
  });
});
