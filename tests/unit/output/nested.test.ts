import { describe, expect, it } from 'vitest';
import { nested } from '../../../engine/output/nested.js';
import { formatReport } from '../../../engine/output/index.js';
import type { RunReport } from '../../../engine/types.js';

describe('nested outputter', () => {
  it('prints show_top like salt-call', () => {
    expect(nested({ local: { base: ['webapp'] } })).toBe('local:\n    ----------\n    base:\n        - webapp');
  });
  it('prints a list of dicts with |_ and sorted keys', () => {
    const out = nested({ local: [{ state: 'file', __id__: 'a', order: 10000, makedirs: true }] });
    expect(out).toBe(
      [
        'local:',
        '    |_',
        '      ----------',
        '      __id__:',
        '          a',
        '      makedirs:',
        '          True',
        '      order:',
        '          10000',
        '      state:',
        '          file',
      ].join('\n'),
    );
  });
  it('prints multi-line strings line by line and empty strings as nothing', () => {
    expect(nested({ a: 'x\ny\n', b: '', c: null }, { indent: 14 })).toBe(
      ['              ----------', '              a:', '                  x', '                  y', '              b:', '              c:', '                  None'].join('\n'),
    );
  });
  it('prints nested lists with "- " prefixes', () => {
    expect(nested({ k: [[1, 2], 'z'] })).toBe('k:\n    |_\n      - 1\n      - 2\n    - z');
  });
  it('colours only when asked', () => {
    expect(nested({ a: 1 }, { color: true })).toMatch(/\x1b\[/);
    expect(nested({ a: 1 })).not.toMatch(/\x1b\[/);
  });
});

describe('formatReport', () => {
  const data: RunReport = { host: 'local', fun: 'grains.items', kind: 'data', data: { os: 'Debian', cpus: 2 }, retcode: 0 };
  it('json is {"local": R} with 4-space indent and a newline', () => {
    expect(formatReport(data, { out: 'json' })).toBe('{\n    "local": {\n        "os": "Debian",\n        "cpus": 2\n    }\n}\n');
  });
  it('yaml', () => {
    expect(formatReport(data, { out: 'yaml' })).toBe('local:\n  os: Debian\n  cpus: 2\n');
    // PyYAML style: sequences not indented under their key, key order kept
    expect(formatReport({ ...data, data: { z: 1, base: ['webapp'] } }, { out: 'yaml' })).toBe('local:\n  z: 1\n  base:\n  - webapp\n');
  });
  it('txt prints host: value', () => {
    expect(formatReport({ ...data, data: 'a\nb' }, { out: 'txt' })).toBe('local: a\nlocal: b\n');
    expect(formatReport({ ...data, data: true }, { out: 'txt' })).toBe('local: True\n');
  });
  it('data defaults to nested, states to highstate', () => {
    expect(formatReport(data)).toBe('local:\n    ----------\n    cpus:\n        2\n    os:\n        Debian\n');
    const states: RunReport = { host: 'local', fun: 'state.sls', kind: 'states', data: {}, retcode: 2 };
    expect(formatReport(states)).toContain('Summary for local');
  });
  it('compile errors in json are the plain list', () => {
    const errs: RunReport = { host: 'local', fun: 'state.sls', kind: 'errors', data: ["No matching sls found for 'x' in env 'base'"], retcode: 1 };
    expect(JSON.parse(formatReport(errs, { out: 'json' }))).toEqual({ local: ["No matching sls found for 'x' in env 'base'"] });
  });
});
