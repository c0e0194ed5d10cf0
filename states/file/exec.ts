/**
 * The `file.*` execution functions (`halite call file.read /etc/hosts`, `salt['file.file_exists'](…)` in Jinja).
 * Everything goes through ctx.host; the read-only ones have synchronous twins for templates.
 */
import { createHash } from 'node:crypto';
import type { Dict, ExecContext, ExecFunction, ExecFunctionDef, ExecModule } from '../../engine/types.js';
import { CommandError } from '../../engine/errors.js';
import { flagBits, pyRegex } from './pyregex.js';
import { appendText, blockReplaceText, lineText, replaceText, type LineOpts } from './textops.js';
import { unifiedDiff } from './diff.js';
import { fmtMode, parseMode, flag } from './util.js';

/** Positional argument i or keyword `key`. */
function arg(args: unknown[], kwargs: Dict, i: number, key: string): unknown {
  return kwargs[key] !== undefined ? kwargs[key] : args[i];
}

function need(args: unknown[], kwargs: Dict, i: number, key: string, fun: string): string {
  const v = arg(args, kwargs, i, key);
  if (v === undefined || v === null || v === '') throw new CommandError(`file.${fun}: missing argument '${key}'`);
  return String(v);
}

const test = (ctx: ExecContext, op: string, path: string): boolean => ctx.host.runSync(['test', op, path]).code === 0;
const testAsync = async (ctx: ExecContext, op: string, path: string): Promise<boolean> => (await ctx.host.run(['test', op, path])).code === 0;

function readSync(ctx: ExecContext, path: string): string {
  const b = ctx.host.readFileSync(path);
  if (b === null) throw new CommandError(`file.read: ${path} does not exist`);
  return b.toString('utf8');
}

async function readAsync(ctx: ExecContext, path: string, fun: string): Promise<string> {
  const b = await ctx.host.readFile(path);
  if (b === null) throw new CommandError(`file.${fun}: ${path} does not exist`);
  return b.toString('utf8');
}

function searchIn(text: string, pattern: string, flags: unknown): boolean {
  return pyRegex(pattern, flagBits(flags, 8)).test(text);
}

function hashOf(data: string | Buffer, form: unknown): string {
  return createHash(String(form ?? 'sha256')).update(data).digest('hex');
}

/** Rewrite a file's text through `fn`; returns the unified diff ('' when unchanged). Keeps mode and owner. */
async function rewrite(ctx: ExecContext, path: string, fun: string, fn: (t: string) => string): Promise<string> {
  const before = await readAsync(ctx, path, fun);
  const after = fn(before);
  if (after === before) return '';
  const st = await ctx.host.stat(path);
  await ctx.host.writeFile(path, after, st ? { mode: st.mode & 0o7777, user: st.uid, group: st.gid } : {});
  return unifiedDiff(before, after);
}

/** Lines given as extra positionals or as `args=[…]` (Salt's file.write / file.append). */
function restLines(a: unknown[], k: Dict): string[] {
  const extra = Array.isArray(k['args']) ? k['args'] : typeof k['args'] === 'string' ? [k['args']] : [];
  return [...a.slice(1), ...extra].map(String);
}

const both = (fn: ExecFunction, doc: string): ExecFunctionDef => ({ fn, sync: fn, doc });

const fns: Record<string, ExecFunctionDef> = {
  file_exists: both((ctx, a, k) => test(ctx, '-f', need(a, k, 0, 'path', 'file_exists')), 'True when path is a regular file.'),
  directory_exists: both((ctx, a, k) => test(ctx, '-d', need(a, k, 0, 'path', 'directory_exists')), 'True when path is a directory.'),
  exists: both((ctx, a, k) => test(ctx, '-e', need(a, k, 0, 'path', 'exists')) || test(ctx, '-L', need(a, k, 0, 'path', 'exists')), 'True when path exists.'),
  is_link: both((ctx, a, k) => test(ctx, '-L', need(a, k, 0, 'path', 'is_link')), 'True when path is a symlink.'),
  read: both((ctx, a, k) => readSync(ctx, need(a, k, 0, 'path', 'read')), 'The contents of a file.'),
  search: both(
    (ctx, a, k) => searchIn(readSync(ctx, need(a, k, 0, 'path', 'search')), need(a, k, 1, 'pattern', 'search'), arg(a, k, 2, 'flags')),
    'True when the (Python-syntax) pattern occurs in the file (MULTILINE by default).',
  ),
  contains: both((ctx, a, k) => readSync(ctx, need(a, k, 0, 'path', 'contains')).includes(need(a, k, 1, 'text', 'contains')), 'True when the file contains text.'),
  get_hash: both((ctx, a, k) => {
    const b = ctx.host.readFileSync(need(a, k, 0, 'path', 'get_hash'));
    if (b === null) throw new CommandError('file.get_hash: file not found');
    return hashOf(b, arg(a, k, 1, 'form'));
  }, 'Hex digest of a file (form: sha256 by default).'),
  stats: {
    fn: async (ctx, a, k) => {
      const p = need(a, k, 0, 'path', 'stats');
      const st = flag(arg(a, k, 2, 'follow_symlinks'), true) ? await ctx.host.stat(p) : await ctx.host.lstat(p);
      if (!st) return {};
      const out: Dict = { uid: st.uid, gid: st.gid, user: st.user, group: st.group, mode: fmtMode(st.mode), size: st.size, mtime: st.mtimeMs / 1000, type: st.type === 'symlink' ? 'link' : st.type === 'directory' ? 'dir' : st.type };
      if (st.type === 'symlink') out['target'] = await ctx.host.readlink(p);
      return out;
    },
    doc: 'uid, gid, user, group, mode, size, mtime, type of a path.',
  },
  get_mode: { fn: async (ctx, a, k) => { const st = await ctx.host.lstat(need(a, k, 0, 'path', 'get_mode')); return st ? fmtMode(st.mode) : ''; }, doc: "Mode as '0644', '' when absent." },
  get_user: { fn: async (ctx, a, k) => (await ctx.host.stat(need(a, k, 0, 'path', 'get_user')))?.user ?? false, doc: 'Owner name.' },
  get_group: { fn: async (ctx, a, k) => (await ctx.host.stat(need(a, k, 0, 'path', 'get_group')))?.group ?? false, doc: 'Group name.' },
  get_uid: { fn: async (ctx, a, k) => (await ctx.host.stat(need(a, k, 0, 'path', 'get_uid')))?.uid ?? -1, doc: 'Owner uid.' },
  get_gid: { fn: async (ctx, a, k) => (await ctx.host.stat(need(a, k, 0, 'path', 'get_gid')))?.gid ?? -1, doc: 'Group gid.' },
  readlink: { fn: async (ctx, a, k) => ctx.host.readlink(need(a, k, 0, 'path', 'readlink')), doc: 'Target of a symlink.' },
  readdir: { fn: async (ctx, a, k) => ['.', '..', ...(await ctx.host.readdir(need(a, k, 0, 'path', 'readdir'))).sort()], doc: 'Entries of a directory (with . and ..).' },
  remove: { fn: async (ctx, a, k) => { await ctx.host.remove(need(a, k, 0, 'path', 'remove'), { recursive: true }); return true; }, doc: 'Remove a file or directory tree.' },
  mkdir: {
    fn: async (ctx, a, k) => {
      const p = need(a, k, 0, 'dir_path', 'mkdir');
      await ctx.host.mkdir(p, { parents: true, mode: parseMode(arg(a, k, 3, 'mode')) });
      const u = arg(a, k, 1, 'user');
      const g = arg(a, k, 2, 'group');
      if (u || g) await ctx.host.chown(p, (u as string) || undefined, (g as string) || undefined);
      return true;
    },
    doc: 'Create a directory and its parents.',
  },
  touch: { fn: async (ctx, a, k) => (await ctx.host.run(['touch', '--', need(a, k, 0, 'name', 'touch')])).code === 0, doc: 'touch(1).' },
  symlink: { fn: async (ctx, a, k) => { await ctx.host.symlink(need(a, k, 0, 'src', 'symlink'), need(a, k, 1, 'path', 'symlink')); return true; }, doc: 'Create a symlink path → src.' },
  rename: { fn: async (ctx, a, k) => { await ctx.host.rename(need(a, k, 0, 'src', 'rename'), need(a, k, 1, 'dst', 'rename')); return true; }, doc: 'Rename a path.' },
  chown: { fn: async (ctx, a, k) => { await ctx.host.chown(need(a, k, 0, 'path', 'chown'), arg(a, k, 1, 'user') as string, arg(a, k, 2, 'group') as string); return null; }, doc: 'Change owner/group.' },
  set_mode: {
    fn: async (ctx, a, k) => {
      const p = need(a, k, 0, 'path', 'set_mode');
      const m = parseMode(need(a, k, 1, 'mode', 'set_mode'))!;
      await ctx.host.chmod(p, m);
      return fmtMode(m);
    },
    doc: "chmod; returns the mode as '0644'.",
  },
  write: {
    fn: async (ctx, a, k) => {
      const p = need(a, k, 0, 'path', 'write');
      const lines = restLines(a, k);
      await ctx.host.writeFile(p, lines.map((l) => `${l}\n`).join(''));
      return `Wrote ${lines.length} lines to "${p}"`;
    },
    doc: 'Replace a file with the given lines.',
  },
  append: {
    fn: async (ctx, a, k) => {
      const p = need(a, k, 0, 'path', 'append');
      const lines = restLines(a, k);
      const before = (await ctx.host.readFile(p))?.toString('utf8') ?? '';
      const sep = before === '' || before.endsWith('\n') ? '' : '\n';
      await ctx.host.writeFile(p, before + sep + lines.map((l) => `${l}\n`).join(''));
      return `Wrote ${lines.length} lines to "${p}"`;
    },
    doc: 'Append lines (unconditionally, as Salt does).',
  },
  replace: {
    fn: async (ctx, a, k) => {
      const p = need(a, k, 0, 'path', 'replace');
      return rewrite(ctx, p, 'replace', (t) =>
        replaceText(t, {
          pattern: need(a, k, 1, 'pattern', 'replace'),
          repl: String(arg(a, k, 2, 'repl') ?? ''),
          count: Number(arg(a, k, 3, 'count') ?? 0),
          flags: flagBits(arg(a, k, 4, 'flags'), 8),
          appendIfNotFound: flag(k['append_if_not_found']),
          prependIfNotFound: flag(k['prepend_if_not_found']),
          notFoundContent: k['not_found_content'] as string | undefined,
        }),
      );
    },
    doc: 'Regex replace in a file; returns the diff.',
  },
  blockreplace: {
    fn: async (ctx, a, k) =>
      rewrite(ctx, need(a, k, 0, 'path', 'blockreplace'), 'blockreplace', (t) =>
        blockReplaceText(t, {
          markerStart: String(arg(a, k, 1, 'marker_start') ?? '#-- start managed zone --'),
          markerEnd: String(arg(a, k, 2, 'marker_end') ?? '#-- end managed zone --'),
          content: String(arg(a, k, 3, 'content') ?? ''),
          appendIfNotFound: flag(arg(a, k, 4, 'append_if_not_found')),
          prependIfNotFound: flag(arg(a, k, 5, 'prepend_if_not_found')),
        }),
      ),
    doc: 'Replace the block between two marker lines; returns the diff.',
  },
  line: {
    fn: async (ctx, a, k) =>
      rewrite(ctx, need(a, k, 0, 'path', 'line'), 'line', (t) =>
        lineText(t, {
          content: arg(a, k, 1, 'content') as string | undefined,
          match: arg(a, k, 2, 'match') as string | undefined,
          mode: need(a, k, 3, 'mode', 'line') as LineOpts['mode'],
          location: k['location'] as LineOpts['location'],
          before: k['before'] as string | undefined,
          after: k['after'] as string | undefined,
          indent: flag(k['indent'], true),
        }),
      ),
    doc: 'Edit one line (ensure/replace/delete/insert); returns the diff.',
  },
  user_to_uid: { fn: async (ctx, a, k) => getent(ctx, 'passwd', need(a, k, 0, 'user', 'user_to_uid')), doc: "uid of a user, '' when unknown." },
  group_to_gid: { fn: async (ctx, a, k) => getent(ctx, 'group', need(a, k, 0, 'group', 'group_to_gid')), doc: "gid of a group, '' when unknown." },
  is_dir: { fn: async (ctx, a, k) => testAsync(ctx, '-d', need(a, k, 0, 'path', 'is_dir')), doc: 'True for a directory.' },
  append_lines_if_missing: {
    fn: async (ctx, a, k) => rewrite(ctx, need(a, k, 0, 'path', 'append_lines_if_missing'), 'append_lines_if_missing', (t) => appendText(t, a.slice(1).map(String)).text),
    doc: 'halite: append only the lines that are missing (what file.append the state does); returns the diff.',
  },
};

async function getent(ctx: ExecContext, db: 'passwd' | 'group', who: string): Promise<number | ''> {
  const r = await ctx.host.run(['getent', db, who]);
  if (r.code !== 0) return '';
  return Number(r.stdout.split(':')[2]);
}

export const fileExec: ExecModule = { name: 'file', functions: fns, doc: 'File operations on the target host.' };
