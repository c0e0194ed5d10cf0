/** Test helpers for the compiler: a directory FileServer, temp trees, a fake registry and CompileEnv. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CompileEnv } from '../../../engine/compiler/index.js';
import type { Dict, FileServer, Registry, StateModule } from '../../../engine/types.js';

export function dirFileServer(roots: Record<string, string[]>): FileServer {
  const rel = (url: string) => url.replace(/^salt:\/\//, '').replace(/\?.*$/, '');
  const resolve = (url: string, saltenv = 'base'): string | null => {
    for (const r of roots[saltenv] ?? []) {
      const p = path.join(r, rel(url));
      if (existsSync(p) && statSync(p).isFile()) return p;
    }
    return null;
  };
  const walk = (dir: string, base: string, out: string[]) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const r = base ? `${base}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p, r, out);
      else out.push(r);
    }
  };
  return {
    resolve,
    read: (url, env) => {
      const p = resolve(url, env);
      return p ? readFileSync(p) : null;
    },
    list: (saltenv = 'base', prefix = '') => {
      const out: string[] = [];
      for (const r of roots[saltenv] ?? []) walk(r, '', out);
      return [...new Set(out)].filter((p) => p.startsWith(prefix)).sort();
    },
    roots: (saltenv = 'base') => roots[saltenv] ?? [],
    envs: () => Object.keys(roots),
  };
}

/** Write `files` (relative path → text) under a fresh temp dir; returns its path. */
export function writeTree(files: Record<string, string>, dir = mkdtempSync(path.join(tmpdir(), 'halite-compile-'))): string {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

const noop = async () => ({ name: '', result: true, comment: '', changes: {} });

function mod(name: string, funs: string[], extra: Record<string, { required?: string[]; params?: string[] }> = {}): StateModule {
  const functions: StateModule['functions'] = {};
  for (const f of funs) functions[f] = { fn: noop, ...(extra[f] ?? {}) };
  return { name, functions };
}

/** The state modules the corpus and fixtures use. */
export function fakeRegistry(): Registry {
  const states = new Map<string, StateModule>();
  for (const m of [
    mod('cmd', ['run', 'wait', 'script']),
    mod('test', [
      'nop',
      'succeed_without_changes',
      'succeed_with_changes',
      'fail_without_changes',
      'fail_with_changes',
      'configurable_test_state',
      'show_notification',
    ]),
    mod('file', ['managed', 'append', 'exists', 'directory', 'touch', 'replace', 'absent', 'symlink'], {
      replace: { required: ['pattern', 'repl'] },
    }),
    mod('pkg', ['installed', 'removed', 'latest']),
    mod('service', ['running', 'dead', 'enabled']),
    mod('user', ['present', 'absent']),
    mod('group', ['present']),
    mod('host', ['present']),
    mod('strict', ['fn'], { fn: { params: ['name', 'size'] } }),
  ]) {
    states.set(m.name, m);
  }
  return { states, exec: new Map() };
}

/** A CompileEnv over file roots, with a tiny `salt` (grains.filter_by, pillar.get, grains.get). */
export function makeEnv(roots: Record<string, string[]>, over: { opts?: Dict; grains?: Dict; pillar?: Dict; registry?: Registry } = {}): CompileEnv {
  const grains: Dict = over.grains ?? { id: 'testminion', os: 'Debian', os_family: 'Debian', osrelease: '12', kernel: 'Linux', num_cpus: 2 };
  const pillar: Dict = over.pillar ?? {};
  const get = (data: Dict, key: string, dflt: unknown) => {
    let cur: unknown = data;
    for (const k of key.split(':')) {
      if (cur && typeof cur === 'object' && !Array.isArray(cur) && k in (cur as Dict)) cur = (cur as Dict)[k];
      else return dflt;
    }
    return cur;
  };
  const salt = (fun: string, args: unknown[], kwargs: Dict): unknown => {
    if (fun === 'pillar.get') return get(pillar, String(args[0] ?? kwargs.key), args[1] ?? kwargs.default ?? '');
    if (fun === 'grains.get') return get(grains, String(args[0] ?? kwargs.key), args[1] ?? kwargs.default ?? '');
    if (fun === 'grains.filter_by') {
      const lookup = (args[0] ?? kwargs.lookup_dict) as Dict;
      const grain = String(args[1] ?? kwargs.grain ?? 'os_family');
      const key = String(get(grains, grain, ''));
      const base = (kwargs.base ? lookup[String(kwargs.base)] : {}) as Dict;
      const hit = (lookup[key] ?? lookup[String(kwargs.default ?? 'default')] ?? {}) as Dict;
      return { ...(base ?? {}), ...hit };
    }
    throw new Error(`'${fun}' is not available.`);
  };
  return {
    opts: { id: 'testminion', state_auto_order: true, top_file_merging_strategy: 'merge', default_top: 'base', env_order: [], renderer: 'jinja|yaml', file_roots: roots, ...over.opts },
    grains,
    pillar,
    fileserver: dirFileServer(roots),
    registry: over.registry ?? fakeRegistry(),
    salt,
  };
}

/** A CompileEnv over one temp tree (base env). */
export function treeEnv(files: Record<string, string>, over: Parameters<typeof makeEnv>[1] = {}): { env: CompileEnv; root: string } {
  const root = writeTree(files);
  return { env: makeEnv({ base: [root] }, over), root };
}
