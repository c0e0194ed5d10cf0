/**
 * The text-editing states: file.replace, file.blockreplace, file.line, file.append, file.comment, file.uncomment.
 * Each is a pure transformation (textops.ts) run through one inspect → diff → apply → re-inspect loop.
 *
 * ```yaml
 * /etc/ssh/sshd_config:
 *   file.replace:
 *     - pattern: '^#?PermitRootLogin .*$'
 *     - repl: 'PermitRootLogin no'
 *     - append_if_not_found: True
 * /etc/hosts:
 *   file.blockreplace:
 *     - marker_start: '# BEGIN halite'
 *     - marker_end: '# END halite'
 *     - content: '10.0.0.1 db'
 *     - append_if_not_found: True
 * ```
 */
import type { Dict, StateContext, StateResult } from '../../engine/types.js';
import { isBinary, unifiedDiff } from './diff.js';
import { makeDirs, missingParents, resolveLinks } from './fsops.js';
import { flagBits, pyRegex } from './pyregex.js';
import { appendText, blockReplaceText, commentText, lineText, replaceText, uncommentText, unanchor, type LineOpts } from './textops.js';
import { errMsg, fail, flag, isAbsolute, isSecretText, notConverged, ok, pending, strList } from './util.js';

interface Messages {
  test: string;
  applied: string | ((newText: string) => string);
  none: string;
}

interface EditOpts {
  /** Treat a missing file as empty and create it (file.append, file.line create: True). */
  create?: boolean;
  /** A missing file is fine: nothing to do. */
  ignoreMissing?: boolean;
  /** Checks on the current text before editing (comment/uncomment): a finished result short-circuits. */
  precheck?: (text: string) => StateResult | null;
}

/** File text, decoded as UTF-8 when valid, else latin-1 (lossless: bytes round-trip unchanged on write). */
async function readText(ctx: StateContext, path: string): Promise<{ text: string; enc: BufferEncoding } | null> {
  const buf = await ctx.host.readFile(path);
  if (buf === null) return null;
  if (buf.subarray(0, 8000).includes(0)) throw new Error(`${path} is a binary file; it cannot be edited as text`);
  return isBinary(buf) ? { text: buf.toString('latin1'), enc: 'latin1' } : { text: buf.toString('utf8'), enc: 'utf8' };
}

/** The common loop. `edit` returns the new text (equal when nothing changes) or throws with the comment. */
async function editState(
  ctx: StateContext,
  name: string,
  args: Dict,
  fn: string,
  edit: (text: string) => string,
  msg: Messages,
  o: EditOpts = {},
): Promise<StateResult> {
  if (!name) return fail('', `Must provide name to file.${fn}`);
  if (!isAbsolute(name)) return fail(name, `Specified file ${name} is not an absolute path`);
  let path = name;
  let old: string | null;
  let enc: BufferEncoding = 'utf8';
  try {
    path = (await resolveLinks(ctx.host, name)).path;
    const st = await ctx.host.stat(path);
    if (st?.type === 'directory') return fail(name, `${name} is a directory`);
    const cur = await readText(ctx, path);
    old = cur?.text ?? null;
    enc = cur?.enc ?? 'utf8';
  } catch (e) {
    return fail(name, errMsg(e));
  }
  if (old === null && o.ignoreMissing) return ok(name, msg.none);
  if (old === null && !o.create) return fail(name, `${name}: file not found`);
  const before = old ?? '';
  if (o.precheck) {
    const r = o.precheck(before);
    if (r) return r;
  }
  let after: string;
  try {
    after = edit(before);
  } catch (e) {
    return fail(name, errMsg(e));
  }
  if (after === before && old !== null) return ok(name, msg.none);

  const secret = isSecretText(ctx, before, args) || isSecretText(ctx, after, args);
  const diff = !flag(args['show_changes'], true) ? '<show_changes=False>' : secret ? '<secret contents hidden>' : unifiedDiff(before, after);
  const changes: Dict = { diff };
  if (ctx.test) return pending(name, msg.test, changes);

  try {
    if (old === null) {
      const parents = await missingParents(ctx.host, path);
      if (parents.length && !flag(args['makedirs'])) return fail(name, `Directory not present to create file ${name}`);
      await makeDirs(ctx.host, parents, {});
      await ctx.host.writeFile(path, Buffer.from(after, enc));
    } else {
      const st = await ctx.host.stat(path);
      await ctx.host.writeFile(path, Buffer.from(after, enc), st ? { mode: st.mode & 0o7777, user: st.uid, group: st.gid } : {});
    }
  } catch (e) {
    return fail(name, `Unable to write ${name}: ${errMsg(e)}`);
  }
  const now = await ctx.host.readFile(path);
  if (now?.toString(enc) !== after) return notConverged(name, 'contents', changes);
  return ok(name, typeof msg.applied === 'function' ? msg.applied(after) : msg.applied, changes);
}

const EDIT_MSGS: Messages = { test: 'Changes would be made', applied: 'Changes were made', none: 'No changes needed to be made' };

/** file.replace: regex substitution over the whole file (Python syntax, MULTILINE by default). */
export async function replace(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  let bits: number;
  try {
    bits = flagBits(args['flags'], 8);
    pyRegex(String(args['pattern'] ?? ''), bits);
  } catch (e) {
    return fail(name, errMsg(e));
  }
  const edit = (t: string): string =>
    replaceText(t, {
      pattern: String(args['pattern']),
      repl: String(args['repl'] ?? ''),
      count: args['count'] === undefined ? 0 : Number(args['count']),
      flags: bits,
      appendIfNotFound: flag(args['append_if_not_found']),
      prependIfNotFound: flag(args['prepend_if_not_found']),
      notFoundContent: args['not_found_content'] === undefined || args['not_found_content'] === null ? undefined : String(args['not_found_content']),
    });
  return editState(ctx, name, args, 'replace', edit, { ...EDIT_MSGS, test: 'Changes would have been made' }, { ignoreMissing: flag(args['ignore_if_missing']) });
}

function contentArg(v: unknown): string {
  if (v === undefined || v === null) return '';
  return Array.isArray(v) ? v.map(String).join('\n') : String(v);
}

/** file.blockreplace: the text between two marker lines. */
export async function blockreplace(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const edit = (t: string): string =>
    blockReplaceText(t, {
      markerStart: String(args['marker_start'] ?? '#-- start managed zone --'),
      markerEnd: String(args['marker_end'] ?? '#-- end managed zone --'),
      content: contentArg(args['content']),
      appendIfNotFound: flag(args['append_if_not_found']),
      prependIfNotFound: flag(args['prepend_if_not_found']),
    });
  return editState(ctx, name, args, 'blockreplace', edit, EDIT_MSGS);
}

/** file.line: ensure/replace/delete/insert one line, located by match/before/after/location. */
export async function line(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const mode = args['mode'];
  if (!mode) return fail(name, 'Mode was not defined. How to process the file?');
  if (!['ensure', 'replace', 'delete', 'insert'].includes(String(mode))) return fail(name, `Unknown mode: "${String(mode)}"`);
  const o: LineOpts = {
    content: args['content'] === undefined || args['content'] === null ? undefined : String(args['content']),
    match: args['match'] === undefined || args['match'] === null ? undefined : String(args['match']),
    mode: mode as LineOpts['mode'],
    location: args['location'] as LineOpts['location'],
    before: args['before'] === undefined || args['before'] === null ? undefined : String(args['before']),
    after: args['after'] === undefined || args['after'] === null ? undefined : String(args['after']),
    indent: flag(args['indent'], true),
  };
  return editState(ctx, name, args, 'line', (t) => lineText(t, o), EDIT_MSGS, { create: flag(args['create']) });
}

/** file.append: add the lines of `text` that the file does not contain yet (whitespace-insensitive). */
export async function append(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const lines = strList(args['text']);
  if (!lines.length) return ok(name, 'No text to append');
  let added = 0;
  const edit = (t: string): string => {
    const r = appendText(t, lines);
    added = r.added;
    return r.text;
  };
  return editState(
    ctx,
    name,
    args,
    'append',
    edit,
    { test: `File ${name} is set to be updated`, applied: () => `Appended ${added} lines`, none: `File ${name} is in correct state` },
    { create: true },
  );
}

function commentChar(args: Dict): string {
  return args['char'] === undefined || args['char'] === null ? '#' : String(args['char']);
}

/** file.comment: comment out the lines matching `regex`. */
export async function comment(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const regex = String(args['regex'] ?? '');
  const char = commentChar(args);
  const bare = unanchor(regex);
  const precheck = (text: string): StateResult | null => {
    const lines = text.split('\n');
    const live = pyRegex(regex, 0);
    const escapedChar = char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    if (lines.some((l) => live.test(l) && !new RegExp(`^\\s*${escapedChar}`).test(l))) return null;
    if (pyRegex(`${escapedChar}${bare}`, 8).test(text)) return ok(name, 'Pattern already commented');
    return fail(name, `${bare}: Pattern not found`);
  };
  return editState(ctx, name, args, 'comment', (t) => commentText(t, regex, char), {
    test: `File ${name} is set to be updated`,
    applied: 'Commented lines successfully',
    none: 'Pattern already commented',
  }, { precheck });
}

/** file.uncomment: uncomment the commented lines matching `regex`. */
export async function uncomment(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const regex = String(args['regex'] ?? '');
  const char = commentChar(args);
  const core = regex.replace(/^\^/, '');
  const escapedChar = char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const precheck = (text: string): StateResult | null => {
    if (pyRegex(`^[ \\t]*${escapedChar}[ \\t]*${core}`, 8).test(text)) return null;
    if (pyRegex(`^[ \\t]*${core}`, 8).test(text)) return ok(name, 'Pattern already uncommented');
    return fail(name, `${regex}: Pattern not found`);
  };
  return editState(ctx, name, args, 'uncomment', (t) => uncommentText(t, regex, char), {
    test: `File ${name} is set to be updated`,
    applied: 'Uncommented lines successfully',
    none: 'Pattern already uncommented',
  }, { precheck });
}
