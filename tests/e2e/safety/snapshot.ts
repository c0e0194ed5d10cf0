/**
 * Machine-state snapshots for the safety tests: a file tree (path, type, mode, owner, size, sha256, mtime,
 * link target), dpkg status of some packages, rc links and daemon PIDs of some services. Two snapshots taken
 * around a run that must not mutate are compared with `toEqual`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { dpkgStatus } from '../../helpers/aptrepo.js';
import { servicePid } from '../examples/lsbdeb.js';

export interface Entry {
  type: 'file' | 'dir' | 'link' | 'other';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  sha256?: string;
  target?: string;
}

/** Every entry under root (root included), keyed by path. A missing root gives `{}`. */
export function treeSnapshot(root: string): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  const walk = (p: string): void => {
    let st;
    try {
      st = lstatSync(p);
    } catch {
      return;
    }
    const e: Entry = { type: 'other', mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: st.size, mtimeMs: st.mtimeMs };
    if (st.isSymbolicLink()) {
      e.type = 'link';
      e.target = readlinkSync(p);
    } else if (st.isFile()) {
      e.type = 'file';
      e.sha256 = createHash('sha256').update(readFileSync(p)).digest('hex');
    } else if (st.isDirectory()) {
      e.type = 'dir';
      for (const c of readdirSync(p).sort()) walk(join(p, c));
    }
    out[p] = e;
  };
  walk(root);
  return out;
}

/** rc links naming one of the services, across /etc/rc?.d. */
export function rcLinks(names: string[]): string[] {
  const out: string[] = [];
  for (const l of ['S', '0', '1', '2', '3', '4', '5', '6']) {
    const dir = `/etc/rc${l}.d`;
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (/^[SK]\d\d/.test(f) && names.includes(f.slice(3))) out.push(`rc${l}.d/${f}`);
  }
  return out.sort();
}

export interface MachineSnapshot {
  trees: Record<string, Record<string, Entry>>;
  dpkg: ReturnType<typeof dpkgStatus>;
  rcLinks: string[];
  pids: Record<string, number | null>;
  /** `apt-mark showhold` restricted to the packages. */
  holds: string[];
}

/** Snapshot of the given trees, packages and services. */
export function machineSnapshot(o: { trees: string[]; packages: string[]; services: string[] }): MachineSnapshot {
  const holds = (spawnSync('apt-mark', ['showhold'], { encoding: 'utf8' }).stdout ?? '')
    .split('\n')
    .filter((p) => o.packages.includes(p));
  return {
    trees: Object.fromEntries(o.trees.map((t) => [t, treeSnapshot(t)])),
    dpkg: dpkgStatus(o.packages),
    rcLinks: rcLinks(o.services),
    pids: Object.fromEntries(o.services.map((s) => [s, servicePid(s)])),
    holds,
  };
}
