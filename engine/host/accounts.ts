/**
 * User and group name ↔ id lookups from /etc/passwd and /etc/group, cached and re-read when the files change
 * (a `user.present` earlier in the run may have added the account a later `file.managed` chowns to).
 */
import { readFileSync, statSync } from 'node:fs';
import { HostError } from '../errors.js';

/** One parsed colon file: name → id and id → name (first name wins for a shared id). */
export interface IdTable {
  byName: Map<string, number>;
  byId: Map<number, string>;
}

/** Parse /etc/passwd or /etc/group text (`name:x:id:…`); comment and malformed lines are skipped. */
export function parseColonFile(text: string): IdTable {
  const t: IdTable = { byName: new Map(), byId: new Map() };
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 3 || !/^\d+$/.test(f[2]!)) continue;
    const id = Number(f[2]);
    if (!t.byName.has(f[0]!)) t.byName.set(f[0]!, id);
    if (!t.byId.has(id)) t.byId.set(id, f[0]!);
  }
  return t;
}

class CachedTable {
  private table: IdTable = { byName: new Map(), byId: new Map() };
  private stamp = '';
  constructor(private readonly path: string) {}

  get(): IdTable {
    let stamp = 'absent';
    try {
      const st = statSync(this.path);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      /* absent: empty table */
    }
    if (stamp !== this.stamp) {
      this.stamp = stamp;
      try {
        this.table = parseColonFile(readFileSync(this.path, 'utf8'));
      } catch {
        this.table = { byName: new Map(), byId: new Map() };
      }
    }
    return this.table;
  }
}

/** Account lookups for one root (`/` for the local machine; a different root for tests). */
export class Accounts {
  private readonly passwd: CachedTable;
  private readonly group: CachedTable;
  constructor(root = '/') {
    const r = root.endsWith('/') ? root : `${root}/`;
    this.passwd = new CachedTable(`${r}etc/passwd`);
    this.group = new CachedTable(`${r}etc/group`);
  }

  userName(uid: number): string | undefined {
    return this.passwd.get().byId.get(uid);
  }
  groupName(gid: number): string | undefined {
    return this.group.get().byId.get(gid);
  }

  /** uid for a name or numeric id; throws HostError when the name is unknown. */
  uid(user: string | number): number {
    return resolve(user, this.passwd.get().byName, 'user');
  }
  /** gid for a name or numeric id; throws HostError when the name is unknown. */
  gid(group: string | number): number {
    return resolve(group, this.group.get().byName, 'group');
  }
  /** True when the user name (or id) exists. */
  hasUser(user: string | number): boolean {
    return typeof user === 'number' || /^\d+$/.test(user) || this.passwd.get().byName.has(user);
  }
}

function resolve(v: string | number, byName: Map<string, number>, what: string): number {
  if (typeof v === 'number') return v;
  const id = byName.get(v);
  if (id !== undefined) return id;
  if (/^\d+$/.test(v)) return Number(v);
  throw new HostError(`${what} '${v}' does not exist`);
}
