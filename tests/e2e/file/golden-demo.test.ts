/**
 * The file states of the golden demo (/work/shared/salt-goldens/demo) run through the real minion (config,
 * grains, pillar, file server, Jinja renderer) and the real runner on LocalHost, compared with what Salt 3006
 * printed: test run (04), first apply (05), second apply (06) and test after (06b).
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMinion, type Minion } from '../../../engine/minion.js';
import { runChunks } from '../../../engine/runner/index.js';
import { buildRegistry, type LowChunk, type StateReturn } from '../../../engine/types.js';
import { fileExec, fileStates } from '../../../states/file/index.js';

const GOLDEN = '/work/shared/salt-goldens/demo';
const NOTE = 'Note: No changes made, actual changes may\nbe different due to other states.';
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

let root: string;
let out: string;
let minion: Minion;

function chunk(id: string, fun: string, name: string, args: Record<string, unknown>, order: number): LowChunk {
  return { state: 'file', fun, name, __id__: id, __sls__: 'webapp', __env__: 'base', order, ...args };
}

function chunks(): LowChunk[] {
  return [
    chunk('app_config', 'managed', `${out}/app/app.conf`, { makedirs: true, contents: '# managed by salt\nport = 8080\n' }, 1),
    chunk('app_dir', 'directory', `${out}/app`, { makedirs: true }, 2),
    chunk('app_script', 'managed', `${out}/app/run.sh`, { mode: '0755', contents: '#!/bin/sh\necho hi\n', require: [{ file: 'app_dir' }] }, 3),
    ...['alice', 'bob'].map((who, i) =>
      chunk(`motd_${who}`, 'managed', `${out}/motd.${who}`, {
        source: 'salt://webapp/files/motd.j2',
        template: 'jinja',
        context: { who },
        require: [{ file: 'app_dir' }],
      }, 4 + i),
    ),
  ];
}

async function run(test: boolean): Promise<Record<string, { result: unknown; comment: string; changes: unknown }>> {
  const ret: StateReturn = await runChunks(chunks(), minion.context({ test }), { test, strictRequisites: true });
  const byId: Record<string, { result: unknown; comment: string; changes: unknown }> = {};
  for (const rec of Object.values(ret)) byId[String(rec.__id__)] = { result: rec.result, comment: rec.comment, changes: rec.changes };
  return byId;
}

beforeAll(async () => {
  root = fs.mkdtempSync(join(tmpdir(), 'halite-e2e-file-'));
  out = join(root, 'out');
  fs.mkdirSync(join(root, 'etc'));
  fs.mkdirSync(join(root, 'srv/webapp/files'), { recursive: true });
  fs.mkdirSync(join(root, 'pillar'));
  fs.copyFileSync(join(GOLDEN, 'states/webapp/files/motd.j2'), join(root, 'srv/webapp/files/motd.j2'));
  fs.writeFileSync(join(root, 'pillar/top.sls'), "base:\n  '*':\n    - demo\n");
  fs.writeFileSync(join(root, 'pillar/demo.sls'), `demo:\n  root: ${out}\n  port: 8080\n`);
  fs.writeFileSync(
    join(root, 'etc/minion'),
    [
      'file_client: local',
      'id: saltref',
      `root_dir: ${root}`,
      `file_roots: {base: [${root}/srv]}`,
      `pillar_roots: {base: [${root}/pillar]}`,
      `cachedir: ${root}/cache`,
      `pki_dir: ${root}/pki`,
      `log_file: ${root}/minion.log`,
      '',
    ].join('\n'),
  );
  minion = await loadMinion(buildRegistry([fileStates], [fileExec]), { configDir: join(root, 'etc'), log: quiet });
});

afterAll(async () => {
  await minion?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('golden demo file states (Salt 3006 wording)', () => {
  it('test=True on a fresh machine predicts, mutates nothing', async () => {
    const r = await run(true);
    expect(fs.existsSync(out)).toBe(false);
    for (const id of ['app_config', 'app_script', 'motd_alice', 'motd_bob']) {
      expect(r[id]!.result).toBeNull();
      expect(r[id]!.comment).toMatch(new RegExp(`^The file ${out}/\\S+ is set to be changed\\n`));
      expect(r[id]!.comment.endsWith(NOTE)).toBe(true);
    }
    expect(r['app_config']!.changes).toEqual({ newfile: `${out}/app/app.conf` });
    expect(r['app_dir']).toEqual({
      result: null,
      comment: `The following files will be changed:\n${out}/app: directory - new\n`,
      changes: { [`${out}/app`]: { directory: 'new' } },
    });
  });

  it('first apply creates everything with Salt\'s change keys', async () => {
    const r = await run(false);
    expect(r['app_config']).toEqual({ result: true, comment: `File ${out}/app/app.conf updated`, changes: { diff: 'New file' } });
    expect(r['app_dir']).toEqual({ result: true, comment: `The directory ${out}/app is in the correct state`, changes: {} });
    expect(r['app_script']!.changes).toEqual({ diff: 'New file', mode: '0755' });
    expect(r['motd_alice']!.changes).toEqual({ diff: 'New file', mode: '0644' });
    const host = String(minion.grains['host']);
    const osfinger = String(minion.grains['osfinger']);
    expect(fs.readFileSync(`${out}/motd.alice`, 'utf8')).toBe(`Hello alice, this is ${host} (${osfinger}).\nPort: 8080\n`);
    expect(fs.statSync(`${out}/app/run.sh`).mode & 0o777).toBe(0o755);
  });

  it('second apply and test after: in the correct state', async () => {
    const r = await run(false);
    expect(r['app_config']).toEqual({ result: true, comment: `File ${out}/app/app.conf is in the correct state`, changes: {} });
    expect(r['motd_bob']).toEqual({ result: true, comment: `File ${out}/motd.bob is in the correct state`, changes: {} });
    const t = await run(true);
    expect(t['app_script']).toEqual({ result: true, comment: `The file ${out}/app/run.sh is in the correct state`, changes: {} });
    expect(t['app_dir']).toEqual({ result: true, comment: `The directory ${out}/app is in the correct state`, changes: {} });
  });
});

describe('file.directory clean through the runner', () => {
  it('keeps files required by path, removes the rest', async () => {
    const dir = join(root, 'clean');
    fs.mkdirSync(dir);
    fs.writeFileSync(join(dir, 'junk'), 'x');
    const low: LowChunk[] = [
      { state: 'file', fun: 'managed', name: join(dir, 'a.conf'), __id__: 'conf', __sls__: 'c', __env__: 'base', order: 1, contents: 'a' },
      {
        state: 'file',
        fun: 'directory',
        name: dir,
        __id__: 'dir',
        __sls__: 'c',
        __env__: 'base',
        order: 2,
        clean: true,
        require: [{ file: join(dir, 'a.conf') }],
      },
    ];
    const ret = await runChunks(low, minion.context({ test: false }), { test: false, strictRequisites: false });
    const dirRec = Object.values(ret).find((r) => r.__id__ === 'dir')!;
    expect(dirRec.result).toBe(true);
    expect(dirRec.changes).toEqual({ [join(dir, 'junk')]: { removed: 'Removed due to clean' } });
    expect(fs.readdirSync(dir)).toEqual(['a.conf']);
  });
});
