/**
 * The Salt corpus cases whose states are file.* (55, 60, 61, 65, 68, 69), set up as
 * /work/shared/salt-corpus/README.md says and run through the real minion, compiler, runner and state.*
 * functions with the file module registered. Judged on the keys these cases use: all, states, by_id,
 * files_exist, files_absent, changes_equal, comment, comment_contains, result.
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { engineExecModules } from '../../../engine/functions/index.js';
import { loadMinion } from '../../../engine/minion.js';
import { buildRegistry, CallOutput, type Dict } from '../../../engine/types.js';
import { fileExec, fileStates } from '../../../states/file/index.js';

const CORPUS = '/work/shared/salt-corpus';
const CASES = ['55-unless-and-onlyif-together', '60-include-simple', '61-exclude-sls', '65-saltenv-non-base', '69-test-mode-file-managed', '68-require-sls-of-include-only-sls'];
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function subst<T>(v: T, tmp: string): T {
  if (typeof v === 'string') return v.split('@TMP@').join(tmp) as T;
  if (Array.isArray(v)) return v.map((x) => subst(x, tmp)) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [subst(k, tmp), subst(x, tmp)])) as T;
  return v;
}

function writeTree(dir: string, files: Dict): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(join(dir, rel, '..'), { recursive: true });
    fs.writeFileSync(join(dir, rel), String(text));
  }
}

function checkRecord(r: Dict, checks: Dict, where: string): void {
  for (const [k, v] of Object.entries(checks)) {
    if (k === 'result') expect(r['result'], `${where} result (${String(r['comment'])})`).toBe(v);
    else if (k === 'comment') expect(r['comment'], where).toBe(v);
    else if (k === 'comment_contains') expect(String(r['comment']), where).toContain(v);
    else if (k === 'changes_equal') expect(r['changes'], where).toEqual(v);
    else if (k === 'changes') expect(Object.keys((r['changes'] as Dict) ?? {}).length > 0, where).toBe(v);
  }
}

async function runCase(file: string): Promise<void> {
  const c = load(fs.readFileSync(join(CORPUS, `${file}.yaml`), 'utf8')) as Dict;
  const root = fs.mkdtempSync(join(tmpdir(), 'halite-corpus-file-'));
  try {
    const tmp = join(root, 'tmp');
    fs.mkdirSync(tmp);
    const k = subst(c, tmp);
    const envs: Record<string, Dict> = { base: (k['sls'] as Dict) ?? {}, ...((k['envs'] as Record<string, Dict>) ?? {}) };
    for (const [e, files] of Object.entries(envs)) writeTree(join(root, 'srv', e), files ?? {});
    fs.mkdirSync(join(root, 'pillar'));
    fs.mkdirSync(join(root, 'etc'));
    const roots = Object.keys(envs).map((e) => `${e}: [${join(root, 'srv', e)}]`).join(', ');
    fs.writeFileSync(
      join(root, 'etc/minion'),
      `file_client: local\nid: testminion\nroot_dir: ${root}\nfile_roots: {${roots}}\npillar_roots: {base: [${root}/pillar]}\ncachedir: ${root}/cache\npki_dir: ${root}/pki\nlog_file: ${root}/minion.log\nstrict_requisites: False\n`,
    );
    const minion = await loadMinion(buildRegistry([fileStates], [fileExec, ...engineExecModules]), { configDir: join(root, 'etc'), log: quiet });
    const steps = (Array.isArray(k['apply']) ? k['apply'] : [k['apply']]) as Dict[];
    const expects = (Array.isArray(k['expect']) ? k['expect'] : [k['expect']]) as Dict[];
    for (const [i, step] of steps.entries()) {
      const kwargs: Dict = { ...((step['kwargs'] as Dict) ?? {}) };
      if (step['test'] === true) kwargs['test'] = true;
      const args = [...(step['mods'] !== undefined ? [step['mods']] : []), ...((step['args'] as unknown[]) ?? [])];
      const ctx = minion.context({ test: false });
      const out = await ctx.call(String(step['fun']), args, kwargs);
      const data = (out instanceof CallOutput ? out.data : out) as Dict;
      const e = expects[i]!;
      const where = `${file} step ${i}`;
      if (e['all']) {
        expect(Object.keys(data).length, where).toBeGreaterThan(0);
        for (const [tag, r] of Object.entries(data)) checkRecord(r as Dict, e['all'] as Dict, `${where} ${tag}`);
      }
      for (const [tag, checks] of Object.entries((e['states'] as Dict) ?? {})) {
        expect(data[tag], `${where}: ${tag} missing`).toBeDefined();
        checkRecord(data[tag] as Dict, checks as Dict, `${where} ${tag}`);
      }
      for (const p of (e['files_exist'] as string[]) ?? []) expect(fs.existsSync(p), `${where}: ${p} exists`).toBe(true);
      for (const p of (e['files_absent'] as string[]) ?? []) expect(fs.existsSync(p), `${where}: ${p} absent`).toBe(false);
      if (e['retcode'] !== undefined && out instanceof CallOutput && out.kind === 'states') {
        expect(out.retcode === 0 ? 0 : 1, where).toBe(e['retcode']);
      }
    }
    await minion.close();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

describe('Salt corpus cases using file states', () => {
  it.each(CASES)('%s', async (name) => {
    await runCase(name);
  });
});
