/** Test helpers: a temp file tree and a small fake FileServer over it. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Dict, FileServer } from '../../../../engine/types.js';
import type { RenderEnv } from '../../../../engine/compiler/render/index.js';

const made: string[] = [];

/** Remove every temp dir tree() made (call from afterAll). */
export function cleanup(): void {
  for (const d of made.splice(0)) {
    rmSync(d, { recursive: true, force: true });
    rmSync(`${d}-outside.yaml`, { force: true });
    rmSync(`${d}-outside.d`, { recursive: true, force: true });
  }
}

/** Write files (relative path → text) under a fresh temp dir; returns the dir. */
export function tree(files: Record<string, string>, dir = mkdtempSync(path.join(tmpdir(), 'halite-render-'))): string {
  if (!made.includes(dir)) made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    const full = path.join(dir, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return dir;
}

export function fakeFileServer(roots: string[]): FileServer {
  return {
    resolve: () => null,
    read: () => null,
    list: () => [],
    roots: () => roots,
    envs: () => ['base'],
  };
}

export function renderEnv(root: string, over: Partial<RenderEnv> = {}): RenderEnv & { calls: [string, unknown[], Dict][] } {
  const calls: [string, unknown[], Dict][] = [];
  return {
    saltenv: 'base',
    sls: 'x',
    fileserver: fakeFileServer([root]),
    opts: { id: 'testminion' },
    grains: { id: 'testminion', os: 'Debian', os_family: 'Debian' },
    pillar: { port: 8080, users: { alice: { admin: true }, bob: { admin: false } } },
    salt: (fun, args, kwargs) => {
      calls.push([fun, args, kwargs]);
      return { fun, args, kwargs };
    },
    calls,
    ...over,
  };
}
