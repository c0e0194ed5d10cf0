/**
 * file.directory: a directory with ownership and mode, optionally applied recursively and cleaned.
 *
 * ```yaml
 * /srv/app:
 *   file.directory:
 *     - user: app
 *     - group: app
 *     - dir_mode: 755
 *     - file_mode: 644
 *     - makedirs: True
 *     - recurse: [user, group, mode]
 *     - clean: True
 *     - exclude_pat: '*.keep'
 * ```
 * Changes are keyed by path as in Salt's test output (`{path: {directory: new}}`, `{path: {mode: '0755'}}`,
 * `{path: {removed: 'Removed due to clean'}}`), the same in test and apply mode.
 */
import type { FileStat } from '../../engine/host/types.js';
import type { Dict, StateContext, StateResult } from '../../engine/types.js';
import { makeDirs, missingParents } from './fsops.js';
import { applyPerms, permChanges, type WantedPerms } from './perms.js';
import {
  checkUserGroup,
  errMsg,
  fail,
  flag,
  isAbsolute,
  normName,
  notConverged,
  ok,
  parseMode,
  pending,
  strList,
} from './util.js';
import { includeExclude, walk } from './walk.js';

interface DirOpts {
  user?: string | number;
  group?: string | number;
  dirMode?: number;
  fileMode?: number;
  recurse: string[];
  maxDepth: number;
  clean: boolean;
  excludePat?: string;
  keep: string[];
}

function options(args: Dict): DirOpts | string {
  let dirMode: number | undefined;
  let fileMode: number | undefined;
  try {
    dirMode = parseMode(args['dir_mode'] ?? args['mode']);
    fileMode = parseMode(args['file_mode']) ?? dirMode;
  } catch (e) {
    return errMsg(e);
  }
  const recurse = strList(args['recurse']);
  const allowed = ['user', 'group', 'mode', 'ignore_files', 'ignore_dirs', 'silent'];
  if (recurse.some((r) => !allowed.includes(r))) {
    return 'Types for "recurse" limited to "user", "group", "mode", "ignore_files", "ignore_dirs" and "silent"';
  }
  if (recurse.includes('ignore_files') && recurse.includes('ignore_dirs')) {
    return 'Must not specify "recurse" options "ignore_files" and "ignore_dirs" at the same time.';
  }
  const maxDepth = args['max_depth'] === undefined || args['max_depth'] === null ? Infinity : Number(args['max_depth']);
  if (flag(args['clean']) && maxDepth !== Infinity) return 'Cannot specify both max_depth and clean';
  const keep = requiredFiles(args);
  return {
    user: (args['user'] ?? undefined) as string | undefined,
    group: (args['group'] ?? undefined) as string | undefined,
    dirMode,
    fileMode,
    recurse,
    maxDepth,
    clean: flag(args['clean']),
    excludePat: typeof args['exclude_pat'] === 'string' ? args['exclude_pat'] : undefined,
    keep,
  };
}

/**
 * Paths that `clean` keeps: the absolute `file` targets of `require` (Salt also resolves state IDs through the
 * lowstate, which a state function does not see here; require files by path to keep them).
 */
export function requiredFiles(args: Dict): string[] {
  const keep: string[] = [];
  for (const req of Array.isArray(args['require']) ? args['require'] : []) {
    const f = req && typeof req === 'object' ? (req as Dict)['file'] : undefined;
    if (typeof f === 'string' && f.startsWith('/')) keep.push(f.replace(/\/+$/, ''));
  }
  return keep;
}

export function kept(path: string, keep: string[]): boolean {
  return keep.some((k) => k === path || k.startsWith(`${path}/`) || path.startsWith(`${k}/`));
}

/** Everything that differs, keyed by path. */
async function plan(ctx: StateContext, name: string, st: FileStat | null, o: DirOpts): Promise<Record<string, Dict>> {
  const changes: Record<string, Dict> = {};
  if (!st) {
    changes[name] = { directory: 'new' };
    return changes;
  }
  const rootWant: WantedPerms = { user: o.user, group: o.group, mode: o.dirMode };
  const top = permChanges(st, rootWant);
  if (Object.keys(top).length) changes[name] = top;
  if (!o.recurse.length && !o.clean) return changes;

  const entries = await walk(ctx.host, name, o.maxDepth);
  if (o.recurse.length) {
    const r = o.recurse;
    for (const e of entries) {
      if (e.st.type === 'symlink' || e.st.type === 'other') continue;
      const isDir = e.st.type === 'directory';
      if ((isDir && r.includes('ignore_dirs')) || (!isDir && r.includes('ignore_files'))) continue;
      const w: WantedPerms = {
        user: r.includes('user') ? o.user : undefined,
        group: r.includes('group') ? o.group : undefined,
        mode: r.includes('mode') ? (isDir ? o.dirMode : o.fileMode) : undefined,
      };
      const ch = permChanges(e.st, w);
      if (Object.keys(ch).length) changes[e.path] = ch;
    }
  }
  if (o.clean) {
    const removed: string[] = [];
    for (const e of entries) {
      if (kept(e.path, o.keep) || !includeExclude(e.rel, undefined, o.excludePat)) continue;
      if (removed.some((r) => e.path.startsWith(`${r}/`))) continue; // inside a directory that goes anyway
      removed.push(e.path);
      changes[e.path] = { removed: 'Removed due to clean' };
    }
  }
  return changes;
}

function describe(changes: Record<string, Dict>): string {
  const lines = ['The following files will be changed:\n'];
  for (const [p, ch] of Object.entries(changes)) for (const [k, v] of Object.entries(ch)) lines.push(`${p}: ${k} - ${String(v)}\n`);
  return lines.join('');
}

async function applyPlan(ctx: StateContext, name: string, changes: Record<string, Dict>, o: DirOpts, args: Dict): Promise<string | null> {
  const host = ctx.host;
  if (changes[name]?.['directory'] === 'new') {
    const parents = await missingParents(host, name);
    if (parents.length && !flag(args['makedirs'])) return `No directory to create ${name} in`;
    await makeDirs(host, [...parents, name], { mode: o.dirMode, user: o.user, group: o.group });
    return null;
  }
  for (const [p, ch] of Object.entries(changes)) {
    if (ch['removed']) {
      await host.remove(p, { recursive: true });
      continue;
    }
    const st = await host.lstat(p);
    const isDir = st?.type === 'directory';
    const w: WantedPerms = { user: o.user, group: o.group, mode: p === name || isDir ? o.dirMode : o.fileMode };
    await applyPerms(host, p, ch, w);
  }
  return null;
}

/** Inspect name: null when absent, the stat of the directory (through an allowed symlink), or an error. */
async function inspect(ctx: StateContext, name: string, args: Dict): Promise<FileStat | null | string> {
  const lst = await ctx.host.lstat(name);
  if (!lst || lst.type === 'directory') return lst;
  if (lst.type === 'symlink') {
    const target = await ctx.host.stat(name);
    if (target?.type === 'directory' && flag(args['allow_symlink'], true)) return target;
    if (flag(args['force'])) return null;
    return `Specified location ${name} exists and is a symlink`;
  }
  if (flag(args['force'])) return null;
  return `Specified location ${name} exists and is a file`;
}

export async function directory(ctx: StateContext, rawName: string, args: Dict): Promise<StateResult> {
  if (!rawName) return fail('', 'Must provide name to file.directory');
  const name = normName(rawName);
  if (!isAbsolute(name)) return fail(name, `Specified file ${name} is not an absolute path`);
  const o = options(args);
  if (typeof o === 'string') return fail(name, o);
  const who = await checkUserGroup(ctx.host, o.user, o.group);
  if (who && !ctx.test) return fail(name, who);

  const st = await inspect(ctx, name, args);
  if (typeof st === 'string') return fail(name, st);
  const changes = await plan(ctx, name, st, o);
  if (!Object.keys(changes).length) return ok(name, `The directory ${name} is in the correct state`);
  if (ctx.test) return pending(name, describe(changes), changes);

  const lst = await ctx.host.lstat(name);
  if (!st && lst) await ctx.host.remove(name, { recursive: true }); // force: a file or symlink was in the way
  const err = await applyPlan(ctx, name, changes, o, args);
  if (err) return fail(name, err);

  const again = await inspect(ctx, name, args);
  const left = typeof again === 'string' ? { [name]: { error: again } } : await plan(ctx, name, again, o);
  if (Object.keys(left).length) return notConverged(name, Object.keys(left).join(', '), changes);
  const silent = o.recurse.includes('silent');
  const shown: Dict = silent ? { recursion: 'Changes silenced' } : changes;
  const cleaned = Object.values(changes).some((c) => c['removed']);
  return ok(name, cleaned ? `Files cleaned from directory ${name}` : `Directory ${name} updated`, shown);
}
