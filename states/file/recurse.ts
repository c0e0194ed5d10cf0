/**
 * file.recurse: copy a salt:// directory tree to the target (each file through file.managed, each directory
 * through file.directory), optionally removing what the source does not have.
 *
 * ```yaml
 * /opt/app/conf:
 *   file.recurse:
 *     - source: salt://app/conf
 *     - template: jinja
 *     - file_mode: 644
 *     - dir_mode: 755
 *     - clean: True
 *     - exclude_pat: '*.local'
 * ```
 * `include_empty` needs a directory listing from the file server; the FileServer contract lists files only, so
 * empty source directories are created only when the file server offers `listDirs(saltenv, prefix)`.
 */
import type { Dict, FileServer, StateContext, StateResult } from '../../engine/types.js';
import { directory, kept, requiredFiles } from './directory.js';
import { managed } from './managed.js';
import { dirname, fail, flag, isAbsolute, joinPath, normName, notConverged, ok } from './util.js';
import { includeExclude, walk } from './walk.js';

type DirLister = { listDirs?: (saltenv?: string, prefix?: string) => string[] };

interface Acc {
  result: boolean | null;
  changes: Dict;
  comments: [string, string][];
}

function merge(acc: Acc, path: string, r: StateResult): void {
  if (r.result === false || acc.result === true) acc.result = r.result;
  if (r.result !== true && r.comment) acc.comments.push([path, r.comment]);
  if (Object.keys(r.changes).length) acc.changes[path] = r.changes;
}

function splitSource(src: string, dflt: string): { path: string; saltenv: string } {
  const q = src.indexOf('?');
  const env = q >= 0 ? new URLSearchParams(src.slice(q + 1)).get('saltenv') : null;
  return { path: (q >= 0 ? src.slice(0, q) : src).slice('salt://'.length).replace(/\/+$/, ''), saltenv: env ?? dflt };
}

/** Source files (relative to the source dir) and empty dirs, filtered by include/exclude and maxdepth. */
function sourceTree(fs: FileServer, srcPath: string, saltenv: string, args: Dict): { files: string[]; dirs: string[] } {
  const prefix = srcPath ? `${srcPath}/` : '';
  const maxdepth = args['maxdepth'] === undefined || args['maxdepth'] === null ? Infinity : Number(args['maxdepth']);
  const keep = (rel: string): boolean =>
    !rel.split('/').includes('..') &&
    rel.split('/').length - 1 <= maxdepth &&
    includeExclude(rel, args['include_pat'], args['exclude_pat']);
  const files = fs.list(saltenv, prefix).filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length)).filter(keep);
  const lister = (fs as unknown as DirLister).listDirs;
  const dirs =
    flag(args['include_empty']) && typeof lister === 'function'
      ? lister.call(fs, saltenv, prefix).filter((d) => d.startsWith(prefix)).map((d) => d.slice(prefix.length).replace(/\/+$/, '')).filter((d) => d && keep(d))
      : [];
  return { files: files.sort(), dirs };
}

export async function recurse(ctx: StateContext, rawName: string, args: Dict): Promise<StateResult> {
  const name = normName(rawName);
  if (args['mode'] !== undefined && args['mode'] !== null) {
    return fail(name, "'mode' is not allowed in 'file.recurse'. Please use 'file_mode' and 'dir_mode'.");
  }
  if (!isAbsolute(name)) return fail(name, `Specified file ${name} is not an absolute path`);
  const source = Array.isArray(args['source']) ? args['source'][0] : args['source'];
  if (typeof source !== 'string' || !source.startsWith('salt://')) {
    return fail(name, `Invalid source '${String(source)}' (must be a salt:// URI)`);
  }
  const src = splitSource(source, ctx.saltenv);
  const tree = sourceTree(ctx.fileserver, src.path, src.saltenv, args);
  if (!tree.files.length && !tree.dirs.length) {
    return fail(name, `The directory '${src.path}' does not exist on the salt fileserver in saltenv '${src.saltenv}'`);
  }
  const st = await ctx.host.lstat(name);
  if (st && st.type !== 'directory') return fail(name, `The path ${name} exists and is not a directory`);

  const acc: Acc = { result: true, changes: {}, comments: [] };
  const dirArgs: Dict = { user: args['user'], group: args['group'], dir_mode: args['dir_mode'], makedirs: true };
  const subdirs = new Set<string>(tree.dirs.map((d) => joinPath(name, d)));
  for (const f of tree.files) for (let d = dirname(joinPath(name, f)); d.length > name.length; d = dirname(d)) subdirs.add(d);

  merge(acc, name, await directory(ctx, name, dirArgs));
  for (const d of [...subdirs].sort()) merge(acc, d, await directory(ctx, d, dirArgs));
  const fileArgs: Dict = {
    ...pick(args, ['user', 'group', 'template', 'context', 'defaults', 'backup', 'show_changes', 'dir_mode', 'replace']),
    mode: args['file_mode'],
    makedirs: true,
  };
  for (const f of tree.files) {
    const dest = joinPath(name, f);
    const url = `salt://${src.path ? `${src.path}/` : ''}${f}${src.saltenv !== ctx.saltenv ? `?saltenv=${src.saltenv}` : ''}`;
    merge(acc, dest, await managed(ctx, dest, { ...fileArgs, source: url }));
  }

  if (flag(args['clean'])) {
    const err = await clean(ctx, name, tree, subdirs, args, acc);
    if (err) return err;
  }
  const comment = acc.comments.map(([p, c]) => `#### ${p} ####\n${c}`).join('\n\n').trim();
  if (!Object.keys(acc.changes).length && acc.result) return ok(name, `The directory ${name} is in the correct state`);
  return { name, result: acc.result, comment: comment || `Recursively updated ${name}`, changes: acc.changes };
}

function pick(args: Dict, keys: string[]): Dict {
  const o: Dict = {};
  for (const k of keys) if (args[k] !== undefined) o[k] = args[k];
  return o;
}

/** Remove target entries the source does not have (and `exclude_pat` does not protect). */
async function clean(
  ctx: StateContext,
  name: string,
  tree: { files: string[] },
  subdirs: Set<string>,
  args: Dict,
  acc: Acc,
): Promise<StateResult | null> {
  if (!(await ctx.host.lstat(name))) return null;
  const keep = new Set<string>([...tree.files.map((f) => joinPath(name, f)), ...subdirs]);
  const required = requiredFiles(args);
  const removed: string[] = [];
  for (const e of await walk(ctx.host, name)) {
    if (keep.has(e.path) || kept(e.path, required) || !includeExclude(e.rel, undefined, args['exclude_pat'])) continue;
    if (removed.some((r) => e.path.startsWith(`${r}/`))) continue;
    removed.push(e.path);
  }
  if (!removed.length) return null;
  acc.changes['removed'] = removed;
  if (ctx.test) {
    if (acc.result === true) acc.result = null;
    acc.comments.push(['removed', removed.join('\n')]);
    return null;
  }
  for (const p of removed) await ctx.host.remove(p, { recursive: true });
  for (const p of removed) if (await ctx.host.lstat(p)) return notConverged(name, `removal of ${p}`, acc.changes);
  return null;
}
