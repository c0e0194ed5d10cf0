/**
 * Acceptance test of examples/webapp, applied to this machine for real through the compiled CLI:
 * dry run → apply → apply → dry run. The formula is pointed (pillar `webapp:lookup`) at a test-owned package
 * with an LSB init script, published in a private apt repository (apt_options in the test's own minion config),
 * so the machine's apt sources and real services stay out of it.
 */
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAptRepo, dpkgStatus, refreshRepo, type AptRepo } from '../../helpers/aptrepo.js';
import { ensureBuilt, REPO, runCli } from '../../helpers/cli.js';
import { removeServicePackages, serviceDeb, servicePid, uniqueName } from './lsbdeb.js';

interface StateRecord {
  name: string;
  result: boolean | null;
  comment: string;
  changes: Record<string, unknown>;
  __id__: string;
}
type Run = Record<string, StateRecord>;

const pkgName = uniqueName('halite-webapp');
let repo: AptRepo;
let tmp: string;
let etc: string;
let confDir: string;

beforeAll(async () => {
  await ensureBuilt();
  removeServicePackages([pkgName]);
  repo = buildAptRepo([serviceDeb(pkgName)]);
  refreshRepo(repo);
  tmp = mkdtempSync(join(tmpdir(), 'halite-example-webapp-'));
  cpSync(join(REPO, 'examples/webapp'), join(tmp, 'webapp'), { recursive: true });
  etc = join(tmp, 'webapp/etc');
  confDir = join(tmp, 'conf/webapp');
  // The test's own minion config: the example's roots, a private cache (state lock) and the private apt repo.
  writeFileSync(
    join(etc, 'minion'),
    dump({
      id: 'example',
      file_roots: { base: ['../salt'] },
      pillar_roots: { base: ['../pillar'] },
      cachedir: join(tmp, 'cache'),
      apt_options: repo.aptOptions,
    }),
  );
  // pillar webapp:lookup overrides map.jinja's per-OS defaults (the example's pillar stays as it is otherwise).
  appendFileSync(
    join(tmp, 'webapp/pillar/webapp.sls'),
    `  lookup:\n    pkg: ${pkgName}\n    service: ${pkgName}\n    conf_dir: ${confDir}\n`,
  );
}, 300_000);

afterAll(() => {
  removeServicePackages([pkgName]);
  repo?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function stateApply(test: boolean): Promise<Run> {
  const r = await runCli(['call', '--config-dir', etc, '--out', 'json', 'state.apply', ...(test ? ['test=True'] : [])], {
    timeoutMs: 120_000,
  });
  let parsed: { local: Run };
  try {
    parsed = JSON.parse(r.stdout) as { local: Run };
  } catch {
    throw new Error(`state.apply${test ? ' test=True' : ''} printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  expect(typeof parsed.local, r.stderr).toBe('object');
  return parsed.local;
}

const changed = (run: Run): string[] =>
  Object.entries(run)
    .filter(([, s]) => Object.keys(s.changes ?? {}).length > 0)
    .map(([tag]) => tag)
    .sort();
const pending = (run: Run): string[] =>
  Object.entries(run)
    .filter(([, s]) => s.result === null || Object.keys(s.changes ?? {}).length > 0)
    .map(([tag]) => tag)
    .sort();
const failed = (run: Run): Record<string, string> =>
  Object.fromEntries(Object.entries(run).filter(([, s]) => s.result === false).map(([tag, s]) => [tag, s.comment]));
const ids = (run: Run): string[] => Object.values(run).map((s) => s.__id__).sort();

const EXPECTED_IDS = ['webapp_conf', 'webapp_conf_dir', 'webapp_init_db', 'webapp_motd', 'webapp_pkg', 'webapp_service'];

describe('examples/webapp: dry run, apply, apply, dry run', () => {
  let dry: Run;
  let first: Run;

  it('the dry run predicts changes for every state and changes nothing', async () => {
    dry = await stateApply(true);
    expect(ids(dry)).toEqual(EXPECTED_IDS);
    expect(failed(dry)).toEqual({});
    for (const s of Object.values(dry)) expect(s.result, `${s.__id__}: ${s.comment}`).toBeNull();
    expect(existsSync(confDir)).toBe(false);
    expect(dpkgStatus([pkgName])).toEqual({});
    expect(servicePid(pkgName)).toBeNull();
  });

  it('the first apply makes exactly the changes the dry run predicted', async () => {
    first = await stateApply(false);
    expect(failed(first)).toEqual({});
    expect(ids(first)).toEqual(EXPECTED_IDS);
    expect(changed(first)).toEqual(pending(dry));
    // (the change keys may differ, as in Salt: a dry run of a new file.managed reports `newfile`, the apply `diff`/`mode`)
    // and the machine is in the described state
    expect(dpkgStatus([pkgName])[pkgName]?.status).toBe('ii');
    expect(servicePid(pkgName)).not.toBeNull();
    expect(statSync(confDir).mode & 0o777).toBe(0o755);
    const conf = readFileSync(join(confDir, 'webapp.conf'), 'utf8');
    expect(conf).toContain('listen_port = 8080');
    expect(conf).toMatch(/^admin = alice$/m);
    expect(conf).toMatch(/^admin = bob$/m);
    expect(statSync(join(confDir, 'webapp.conf')).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(confDir, 'motd'), 'utf8')).toMatch(/^This host \(example, .+\) is managed by halite\.\n$/);
    expect(readFileSync(join(confDir, 'db.initialized'), 'utf8')).toMatch(/^\d+\n$/);
    expect(readdirRcLinks(pkgName).some((l) => /^rc[2-5]\.d\/S\d\d/.test(l))).toBe(true);
  });

  it('the second apply changes nothing', async () => {
    const pid = servicePid(pkgName);
    const second = await stateApply(false);
    expect(failed(second)).toEqual({});
    expect(ids(second)).toEqual(EXPECTED_IDS);
    expect(changed(second)).toEqual([]);
    for (const s of Object.values(second)) expect(s.result, s.__id__).toBe(true);
    expect(servicePid(pkgName)).toBe(pid); // not restarted: its watched config did not change
  });

  it('the final dry run has nothing pending', async () => {
    const last = await stateApply(true);
    expect(failed(last)).toEqual({});
    expect(ids(last)).toEqual(EXPECTED_IDS);
    expect(pending(last)).toEqual([]);
  });
});

describe("the README's main command on the example as shipped", () => {
  it('state.apply test=True compiles the formula with its per-OS defaults and fails nothing', async () => {
    // read-only by construction (see tests/e2e/safety/dry-run-no-mutation.test.ts): it asks this machine's apt
    // about the default package and the init system about the default service, and changes nothing.
    const r = await runCli(['call', '--config-dir', join(REPO, 'examples/webapp/etc'), '--out', 'json', 'state.apply', 'test=True'], {
      timeoutMs: 120_000,
    });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const run = (JSON.parse(r.stdout) as { local: Run }).local;
    expect(ids(run)).toEqual(EXPECTED_IDS);
    expect(failed(run)).toEqual({});
    expect(run['pkg_|-webapp_pkg_|-cron_|-installed']).toBeDefined();
    expect(run['file_|-webapp_conf_|-/etc/halite-example/webapp.conf_|-managed']).toBeDefined();
  });
});

/** rc links of a sysvinit service, e.g. ['rc2.d/S01name', …]. */
function readdirRcLinks(name: string): string[] {
  const out: string[] = [];
  for (const l of ['S', '0', '1', '2', '3', '4', '5', '6']) {
    const dir = `/etc/rc${l}.d`;
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.endsWith(name) && /^[SK]\d\d/.test(f)) out.push(`rc${l}.d/${f}`);
  }
  return out.sort();
}
