/**
 * file.symlink: `name` is a symbolic link to `target`.
 *
 * ```yaml
 * /etc/nginx/sites-enabled/app:
 *   file.symlink:
 *     - target: /etc/nginx/sites-available/app
 *     - force: True      # replace a file or directory that is in the way
 *     - makedirs: True
 * ```
 */
import type { Dict, StateContext, StateResult } from '../../engine/types.js';
import { backupStamp, makeDirs, missingParents } from './fsops.js';
import { errMsg, fail, flag, isAbsolute, normName, missingAccounts, notConverged, ok, pending } from './util.js';

type Current = { kind: 'absent' } | { kind: 'link'; target: string } | { kind: 'other'; isDir: boolean };

async function inspect(ctx: StateContext, name: string): Promise<Current> {
  const st = await ctx.host.lstat(name);
  if (!st) return { kind: 'absent' };
  if (st.type === 'symlink') return { kind: 'link', target: (await ctx.host.readlink(name)) ?? '' };
  return { kind: 'other', isDir: st.type === 'directory' };
}

/** chown -h (the link itself, not its target); an error message or null. */
async function chownLink(ctx: StateContext, name: string, user?: string, group?: string): Promise<string | null> {
  if (user === undefined && group === undefined) return null;
  const spec = `${user ?? ''}${group !== undefined ? `:${group}` : ''}`;
  const r = await ctx.host.run(['chown', '-h', spec, '--', name]);
  return r.code === 0 ? null : `Failed to set ownership of symlink ${name}: ${r.stderr.trim()}`;
}

export async function symlink(ctx: StateContext, rawName: string, args: Dict): Promise<StateResult> {
  if (!rawName) return fail('', 'Must provide name to file.symlink');
  const name = normName(rawName);
  const target = args['target'] === undefined || args['target'] === null ? '' : String(args['target']);
  if (!isAbsolute(name)) return fail(name, `Specified file ${name} is not an absolute path`);
  if (!target) return fail(name, 'Missing parameter target for state file.symlink');
  const user = args['user'] as string | undefined;
  const group = args['group'] as string | undefined;
  const gone = await missingAccounts(ctx.host, user, group);
  if ((gone.user !== undefined || gone.group !== undefined) && !ctx.test) {
    const parts: string[] = [];
    if (gone.user !== undefined) parts.push(`User ${gone.user} does not exist.`);
    if (gone.group !== undefined) parts.push(`Group ${gone.group} does not exist.`);
    return fail(name, parts.join(' '));
  }
  const backupname = args['backupname'] === undefined || args['backupname'] === null ? undefined : String(args['backupname']);
  if (backupname && !backupname.startsWith('/') && backupname.includes('/')) {
    return fail(name, `Backupname must be an absolute path or a file name: ${backupname}`);
  }
  const force = flag(args['force']);

  const cur = await inspect(ctx, name);
  if (cur.kind === 'link' && cur.target === target) {
    const st = await ctx.host.lstat(name);
    const wrongUser = user !== undefined && String(user) !== st?.user && String(user) !== String(st?.uid);
    const wrongGroup = group !== undefined && String(group) !== st?.group && String(group) !== String(st?.gid);
    if (!wrongUser && !wrongGroup) {
      const owner = `${st?.user ?? st?.uid}:${st?.group ?? st?.gid}`;
      return ok(name, ctx.test ? `The symlink ${name} is present` : `Symlink ${name} is present and owned by ${owner}`);
    }
    const want = `${user ?? st?.user ?? ''}:${group ?? st?.group ?? ''}`;
    if (ctx.test) return pending(name, `Ownership of symlink ${name} is set to be changed to ${want}`, { ownership: want });
    const err = await chownLink(ctx, name, user, group);
    if (err) return fail(name, err);
    return ok(name, `Set ownership of symlink ${name} to ${want}`, { ownership: want });
  }

  if (ctx.test) {
    if (cur.kind === 'absent') return pending(name, `Symlink ${name} to ${target} is set for creation`, { new: name });
    if (cur.kind === 'link') return pending(name, `Link ${name} target is set to be changed to ${target}`, { change: name });
    if (force) {
      return pending(
        name,
        `The file or directory ${name} is set for removal to make way for a new symlink targeting ${target}`,
        { forced: name },
      );
    }
    return fail(name, `File or directory exists where the symlink ${name} should be. Did you mean to use force?`);
  }

  const changes: Dict = {};
  try {
    const parents = await missingParents(ctx.host, name);
    if (parents.length) {
      if (!flag(args['makedirs'])) return fail(name, `Directory ${parents[parents.length - 1]} for symlink is not present`);
      await makeDirs(ctx.host, parents, { user, group });
    }
    if (cur.kind === 'other') {
      const what = cur.isDir ? 'Directory' : 'File';
      if (!force && !backupname) return fail(name, `${what} exists where the symlink ${name} should be`);
      if (backupname) {
        const dest = backupname.startsWith('/') ? backupname : `${name.slice(0, name.lastIndexOf('/'))}/${backupname}`;
        if (await ctx.host.lstat(dest)) {
          if (!force) return fail(name, `Symlink & backup dest exists and Force not set. ${name} -> ${target} - backup: ${dest}`);
          await ctx.host.rename(dest, `${dest}.${backupStamp()}`);
        }
        await ctx.host.rename(name, dest);
        changes['backup'] = `${name} moved to ${dest}`;
      } else {
        await ctx.host.remove(name, { recursive: cur.isDir });
        changes['forced'] = 'Symlink was forcibly replaced';
      }
    }
    // Replace an existing link atomically: new link beside it, then rename over.
    const tmp = `${name}.halite-${process.pid}-${Date.now()}`;
    await ctx.host.symlink(target, tmp);
    await ctx.host.rename(tmp, name);
    const err = await chownLink(ctx, name, user, group);
    if (err) return fail(name, err);
  } catch (e) {
    return fail(name, `Unable to create new symlink ${name} -> ${target}: ${errMsg(e)}`);
  }

  const after = await inspect(ctx, name);
  if (after.kind !== 'link' || after.target !== target) return notConverged(name, 'symlink target', changes);
  if (cur.kind === 'link') {
    changes['change'] = name;
    return ok(name, `Set target of symlink ${name} -> ${target}`, changes);
  }
  changes['new'] = name;
  return ok(name, `Created new symlink ${name} -> ${target}`, changes);
}
