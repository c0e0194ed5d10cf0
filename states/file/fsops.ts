/**
 * Target-side helpers used by several file states: parent directories (makedirs), backups, symlink resolution.
 * All through the Host interface.
 */
import type { FileStat, Host } from '../../engine/host/types.js';
import type { Dict } from '../../engine/types.js';
import { dirname, joinPath } from './util.js';

/** Ancestors of `path` that do not exist yet, outermost first. Throws when one exists and is not a directory. */
export async function missingParents(host: Host, path: string): Promise<string[]> {
  const out: string[] = [];
  let d = dirname(path);
  while (d !== '/') {
    const st = await host.stat(d);
    if (st) {
      if (st.type !== 'directory') throw new Error(`${d} exists and is not a directory`);
      break;
    }
    out.unshift(d);
    d = dirname(d);
  }
  return out;
}

/** Create `dirs` (outermost first) with mode and ownership (Salt's makedirs gives them the state's user/group). */
export async function makeDirs(
  host: Host,
  dirs: string[],
  o: { mode?: number; user?: string | number; group?: string | number },
): Promise<void> {
  for (const d of dirs) {
    await host.mkdir(d, { mode: o.mode ?? 0o755 });
    if (o.mode !== undefined) await host.chmod(d, o.mode); // mkdir's mode is filtered by the umask
    if (o.user !== undefined || o.group !== undefined) await host.chown(d, o.user, o.group);
  }
}

/** Where `backup: minion` copies go (on the target): `<cachedir>/file_backup` unless `file_backup_dir` is set. */
export function backupDir(opts: Dict): string {
  if (typeof opts['file_backup_dir'] === 'string') return opts['file_backup_dir'];
  const cache = typeof opts['cachedir'] === 'string' ? opts['cachedir'] : '/var/cache/halite';
  return joinPath(cache, 'file_backup');
}

/** `2026-11-29T15:04:05.123Z` → `2026-11-29_15-04-05_123` (sortable, no colons). */
export function backupStamp(d = new Date()): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '_$1').replace('T', '_').replace(/:/g, '-');
}

/**
 * Keep a copy of `path` before it is replaced: `<backupDir>/<path>_<stamp>` (the absolute path mirrored under the
 * backup dir, as Salt does), mode 0600 and root-owned since the old contents may be sensitive. Returns its path.
 */
export async function backupFile(host: Host, opts: Dict, path: string, data: Buffer): Promise<string> {
  const dest = `${backupDir(opts)}${path}_${backupStamp()}`;
  await host.writeFile(dest, data, { mode: 0o600, makedirs: true, dirMode: 0o700 });
  return dest;
}

/** Resolve a chain of symlinks at `path` (max 16 hops). Returns the final path and its lstat (null if absent). */
export async function resolveLinks(host: Host, path: string): Promise<{ path: string; st: FileStat | null }> {
  let p = path;
  for (let i = 0; i < 16; i++) {
    const st = await host.lstat(p);
    if (!st || st.type !== 'symlink') return { path: p, st };
    const t = await host.readlink(p);
    if (t === null) return { path: p, st };
    p = t.startsWith('/') ? t : joinPath(dirname(p), t);
  }
  throw new Error(`Too many levels of symbolic links at ${path}`);
}

const owners = new WeakMap<Host, Promise<{ user: string; group: string }>>();

/** The user and group new files get on this host (the account halite runs as there). */
export function defaultOwner(host: Host): Promise<{ user: string; group: string }> {
  let p = owners.get(host);
  if (!p) {
    p = (async () => {
      const u = await host.run(['id', '-un']);
      const g = await host.run(['id', '-gn']);
      return { user: u.stdout.trim(), group: g.stdout.trim() };
    })();
    owners.set(host, p);
  }
  return p;
}
