/**
 * file.managed: a file with given contents, ownership and mode.
 *
 * ```yaml
 * /etc/app.conf:
 *   file.managed:
 *     - source: salt://app/app.conf.j2
 *     - template: jinja
 *     - context: {port: 8080}
 *     - user: root
 *     - mode: '0644'
 *     - makedirs: True
 *     - backup: minion
 * ```
 * Flow: inspect (lstat, read) → diff (content, user/group/mode) → test: predicted changes → apply (atomic write
 * through host.writeFile) → re-inspect (a remaining difference fails with "did not converge").
 *
 * `backup: minion` (or True) keeps the old file at `<cachedir>/file_backup/<path>_<stamp>` on the target
 * (`file_backup_dir` overrides the directory); halite never drops `.bak` files beside the managed file, where
 * conf.d-style directories would read them.
 */
import type { FileStat } from '../../engine/host/types.js';
import type { Dict, StateContext, StateResult } from '../../engine/types.js';
import { isBinary, unifiedDiff } from './diff.js';
import { backupFile, defaultOwner, makeDirs, missingParents, resolveLinks } from './fsops.js';
import { applyPerms, permChanges, wantedFrom, type WantedPerms } from './perms.js';
import { wantedContent, type Wanted } from './source.js';
import {
  TEST_NOTE,
  checkUserGroup,
  errMsg,
  fail,
  flag,
  fmtMode,
  isAbsolute,
  isSecretText,
  notConverged,
  ok,
  parseMode,
  pending,
} from './util.js';

const SET_TO_CHANGE = (name: string) => `The file ${name} is set to be changed\n${TEST_NOTE}`;

/** The `diff` entry for a content change, honouring binary files, secrets and show_changes. */
export function diffEntry(ctx: StateContext, args: Dict, oldBuf: Buffer, w: Wanted): string {
  const newBuf = w.data!;
  if (!flag(args['show_changes'], true)) return '<show_changes=False>';
  if (isBinary(oldBuf) || isBinary(newBuf)) return 'Replace binary file';
  const oldText = oldBuf.toString('utf8');
  if (w.secret || isSecretText(ctx, oldText, args)) return '<secret contents hidden>';
  return unifiedDiff(oldText, newBuf.toString('utf8'));
}

interface Target {
  path: string;
  st: FileStat | null;
  /** lstat of `name` when it is a symlink that follow_symlinks: False will replace. */
  replaceLink: boolean;
}

async function locate(ctx: StateContext, name: string, args: Dict): Promise<Target> {
  const lst = await ctx.host.lstat(name);
  if (lst?.type === 'symlink') {
    if (!flag(args['follow_symlinks'], true)) return { path: name, st: null, replaceLink: true };
    const r = await resolveLinks(ctx.host, name);
    return { path: r.path, st: r.st, replaceLink: false };
  }
  return { path: name, st: lst, replaceLink: false };
}

/** Validate arguments; a comment string on error. */
async function validate(ctx: StateContext, name: string, args: Dict): Promise<string | { mode?: number; dirMode?: number }> {
  if (!name) return 'Destination file name is required';
  if (!isAbsolute(name)) return `Specified file ${name} is not an absolute path`;
  let mode: number | undefined;
  let dirMode: number | undefined;
  try {
    // `mode: keep` (Salt: copy the source's mode) is read as "do not manage the mode": the file server
    // contract gives no source metadata.
    mode = args['mode'] === 'keep' ? undefined : parseMode(args['mode']);
    dirMode = parseMode(args['dir_mode']);
  } catch (e) {
    return errMsg(e);
  }
  const who = await checkUserGroup(ctx.host, args['user'], args['group']);
  if (who) return who;
  return { mode, dirMode };
}

export async function managed(ctx: StateContext, rawName: string, args: Dict): Promise<StateResult> {
  const name = rawName;
  const v = await validate(ctx, name, args);
  if (typeof v === 'string') return ctx.test && v.includes('is not available') ? pending(name, v, {}) : fail(name, v);
  const want = wantedFrom(args, v.mode);

  const t = await locate(ctx, name, args);
  if (t.st?.type === 'directory') return fail(name, `Specified target ${name} is a directory`);
  if (t.st && t.st.type !== 'file') return fail(name, `Specified target ${name} is not a regular file`);
  if (!t.st && !flag(args['create'], true)) return ok(name, `File ${name} is not present and is not set for creation`);

  const hasSource = args['source'] !== undefined && args['source'] !== null && args['source'] !== '';
  if (hasSource && ['contents', 'contents_pillar', 'contents_grains'].some((k) => args[k] !== undefined && args[k] !== null)) {
    return fail(name, "'source' cannot be used in combination with 'contents', 'contents_pillar', or 'contents_grains'");
  }
  if (t.st && !flag(args['replace'], true)) return permsOnly(ctx, name, t.path, t.st, want);

  const w = await wantedContent(ctx, args);
  if ('error' in w) return fail(name, w.error);

  if (!t.st) return createFile(ctx, name, t, w, want, args, v.dirMode);
  return updateFile(ctx, name, t.path, t.st, w, want, args);
}

/** `replace: False` on an existing file: only ownership and mode are managed. */
async function permsOnly(ctx: StateContext, name: string, path: string, st: FileStat, want: WantedPerms): Promise<StateResult> {
  const ch = permChanges(st, want);
  if (ctx.test) {
    if (ch['mode']) {
      return pending(name, `File ${name} will be updated with permissions ${ch['mode']} from its current state of ${fmtMode(st.mode)}`, ch);
    }
    return Object.keys(ch).length ? pending(name, SET_TO_CHANGE(name), ch) : ok(name, `File ${name} not updated`);
  }
  if (!Object.keys(ch).length) return ok(name, `File ${name} exists with proper permissions. No changes made.`);
  await applyPerms(ctx.host, path, ch, want);
  const after = await ctx.host.stat(path);
  if (!after || Object.keys(permChanges(after, want)).length) return notConverged(name, 'ownership or mode', ch);
  return ok(name, `File ${name} updated`, ch);
}

async function createFile(
  ctx: StateContext,
  name: string,
  t: Target,
  w: Wanted,
  want: WantedPerms,
  args: Dict,
  dirMode: number | undefined,
): Promise<StateResult> {
  let parents: string[];
  try {
    parents = await missingParents(ctx.host, t.path);
  } catch (e) {
    return fail(name, errMsg(e));
  }
  if (parents.length && !flag(args['makedirs'])) {
    // Salt only finds this out when applying; in test mode it still predicts the new file.
    if (!ctx.test) return fail(name, 'Parent directory not present');
  }
  if (ctx.test) return pending(name, SET_TO_CHANGE(name), { newfile: name });

  const data = w.data ?? Buffer.alloc(0);
  await makeDirs(ctx.host, parents, { mode: dirMode, user: want.user, group: want.group });
  if (t.replaceLink) await ctx.host.remove(name);
  await ctx.host.writeFile(t.path, data, { mode: want.mode, user: want.user, group: want.group });

  const after = await ctx.host.stat(t.path);
  const content = await ctx.host.readFile(t.path);
  if (!after || !content?.equals(data) || Object.keys(permChanges(after, want)).length) {
    return notConverged(name, 'contents or permissions', { diff: 'New file' });
  }
  const empty = w.data === null;
  const changes: Dict = empty
    ? { new: `file ${name} created` }
    : { diff: t.replaceLink ? 'Replace symbolic link with regular file' : 'New file' };
  const owner = await defaultOwner(ctx.host);
  if (want.user !== undefined && after.user !== owner.user) changes['user'] = want.user;
  if (want.group !== undefined && after.group !== owner.group) changes['group'] = want.group;
  if (want.mode !== undefined || w.fromSource) changes['mode'] = fmtMode(after.mode);
  return ok(name, empty ? 'Empty file' : `File ${name} updated`, changes);
}

async function updateFile(
  ctx: StateContext,
  name: string,
  path: string,
  st: FileStat,
  w: Wanted,
  want: WantedPerms,
  args: Dict,
): Promise<StateResult> {
  const old = (await ctx.host.readFile(path)) ?? Buffer.alloc(0);
  const contentChanged = w.data !== null && !old.equals(w.data);
  const changes: Dict = {};
  if (contentChanged) changes['diff'] = diffEntry(ctx, args, old, w);
  Object.assign(changes, permChanges(st, want));

  if (!Object.keys(changes).length) {
    return ok(name, ctx.test ? `The file ${name} is in the correct state` : `File ${name} is in the correct state`);
  }
  if (ctx.test) return pending(name, SET_TO_CHANGE(name), changes);

  if (contentChanged) {
    const backup = args['backup'];
    if (backup === 'minion' || backup === true) await backupFile(ctx.host, ctx.opts, path, old);
    await ctx.host.writeFile(path, w.data!, {
      mode: want.mode ?? st.mode & 0o7777,
      user: want.user ?? st.uid,
      group: want.group ?? st.gid,
    });
  } else {
    await applyPerms(ctx.host, path, changes, want);
  }

  const after = await ctx.host.stat(path);
  const now = await ctx.host.readFile(path);
  if (!after || (w.data !== null && !now?.equals(w.data)) || Object.keys(permChanges(after, want)).length) {
    return notConverged(name, 'contents or permissions', changes);
  }
  return ok(name, `File ${name} updated`, changes);
}
