/**
 * Real Salt's output for the demo tree (/work/shared/salt-goldens/demo, Salt 3006.0): show_top, show_sls and
 * show_lowstate must match, machine-specific values (grains) taken from the recorded grains.
 * Salt 3006.0 predates `__sls_included_from__` on chunks (3007 adds it, see corpus case 68), so it is ignored.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { compileHighstate, renderMatches, showTop, verifyRendered } from '../../../engine/compiler/index.js';
import type { Dict } from '../../../engine/types.js';
import { makeEnv } from './helpers.js';

const DEMO = '/work/shared/salt-goldens/demo';

function golden(file: string): string {
  return readFileSync(`${DEMO}/out/${file}`, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('### '))
    .join('\n');
}

function env() {
  const grains = (JSON.parse(golden('10-grains-subset.json')) as { local: Dict }).local;
  const pillar = load(readFileSync(`${DEMO}/pillar/demo.sls`, 'utf8')) as Dict;
  return makeEnv({ base: [`${DEMO}/states`] }, { grains, pillar, opts: { id: 'saltref' } });
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') {
    const out: Dict = {};
    for (const [k, x] of Object.entries(v)) if (k !== '__sls_included_from__') out[k] = strip(x);
    return out;
  }
  return v;
}

describe('salt-goldens demo', () => {
  it('show_top', () => {
    expect(showTop(env())).toEqual({ base: ['webapp'] });
  });

  it('show_sls webapp (high data, auto order, key order)', () => {
    const want = (load(golden('02-show_sls.yaml')) as { local: Dict }).local;
    const r = renderMatches({ base: ['webapp'] }, env());
    verifyRendered(r);
    expect(strip(r.high)).toEqual(want);
    expect(Object.keys(r.high)).toEqual(Object.keys(want));
    for (const id of Object.keys(want)) expect(Object.keys(strip(r.high[id]) as Dict)).toEqual(Object.keys(want[id] as Dict));
  });

  it('show_lowstate (order, chunk keys and their order)', () => {
    const want = (JSON.parse(golden('03-show_lowstate.json')) as { local: Dict[] }).local;
    const got = compileHighstate(env()).chunks;
    expect(strip(got)).toEqual(want);
    got.forEach((c, i) => expect(Object.keys(strip(c) as Dict)).toEqual(Object.keys(want[i]!)));
  });
});
