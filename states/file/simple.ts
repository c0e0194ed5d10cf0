/**
 * file.absent, file.exists, file.missing, file.touch.
 *
 * ```yaml
 * /tmp/old.conf:
 *   file.absent
 * /var/log/app/empty.log:
 *   file.touch:
 *     - makedirs: True
 * ```
 */
import type { Dict, StateContext, StateResult } from '../../engine/types.js';
import { makeDirs, missingParents } from './fsops.js';
import { fail, flag, isAbsolute, normName, notConverged, ok, pending } from './util.js';

/** Remove a file, symlink or directory tree. */
export async function absent(ctx: StateContext, rawName: string, _args: Dict): Promise<StateResult> {
  if (!rawName) return fail('', 'Must provide name to file.absent');
  const name = normName(rawName);
  if (!isAbsolute(name)) return fail(name, `Specified file ${name} is not an absolute path`);
  if (name === '/') return fail(name, 'Refusing to make "/" absent');
  const st = await ctx.host.lstat(name);
  if (!st) return ok(name, `File ${name} is not present`);
  const kind = st.type === 'directory' ? 'Directory' : 'File';
  const changes = { removed: name };
  if (ctx.test) return pending(name, `${kind} ${name} is set for removal`, changes);
  await ctx.host.remove(name, { recursive: st.type === 'directory' });
  if (await ctx.host.lstat(name)) return notConverged(name, 'presence', changes);
  return ok(name, `Removed ${kind.toLowerCase()} ${name}`, changes);
}

/** Check only: the path exists (file, directory or anything else). */
export async function exists(ctx: StateContext, name: string, _args: Dict): Promise<StateResult> {
  if (!name) return fail('', 'Must provide name to file.exists');
  if (!(await ctx.host.lstat(name))) return fail(name, `Specified path ${name} does not exist`);
  return ok(name, `Path ${name} exists`);
}

/** Check only: the path does not exist. */
export async function missing(ctx: StateContext, name: string, _args: Dict): Promise<StateResult> {
  if (!name) return fail('', 'Must provide name to file.missing');
  if (await ctx.host.lstat(name)) return fail(name, `Specified path ${name} exists`);
  return ok(name, `Path ${name} is missing`);
}

/**
 * Create an empty file, or update the times of an existing one (like touch(1)). As in Salt this always changes
 * an existing file's times; halite's test mode says so (`Times set to be updated…`, changes `{touched: name}`).
 */
export async function touch(ctx: StateContext, rawName: string, args: Dict): Promise<StateResult> {
  if (!rawName) return fail('', 'Must provide name to file.touch');
  const name = normName(rawName);
  if (!isAbsolute(name)) return fail(name, `Specified file ${name} is not an absolute path`);
  const st = await ctx.host.lstat(name);
  const cmds: string[][] = [];
  if (args['atime'] !== undefined && args['atime'] !== null) cmds.push(['touch', '-a', '-d', `@${Number(args['atime'])}`]);
  if (args['mtime'] !== undefined && args['mtime'] !== null) cmds.push(['touch', '-m', '-d', `@${Number(args['mtime'])}`]);
  if (!cmds.length) cmds.push(['touch']);
  if (ctx.test) {
    return st
      ? pending(name, `Times set to be updated on file ${name}`, { touched: name })
      : pending(name, `File ${name} is set to be created`, { new: name });
  }
  if (!st) {
    const parents = await missingParents(ctx.host, name);
    if (parents.length) {
      if (!flag(args['makedirs'])) return fail(name, `Directory not present to touch file ${name}`);
      await makeDirs(ctx.host, parents, {});
    }
  }
  for (const argv of cmds) {
    const r = await ctx.host.run([...argv, '--', name]);
    if (r.code !== 0) return fail(name, `Failed to touch ${name}: ${r.stderr.trim()}`);
  }
  if (!(await ctx.host.lstat(name))) return notConverged(name, 'presence');
  return st ? ok(name, `Updated times on file ${name}`, { touched: name }) : ok(name, `Created empty file ${name}`, { new: name });
}
