/**
 * pkgrepo.managed / pkgrepo.absent for apt one-line sources.
 *
 * @example
 * ```yaml
 * local-repo:
 *   pkgrepo.managed:
 *     - name: deb [trusted=yes] file:/srv/repo ./
 *     - file: /etc/apt/sources.list.d/local.list
 *     - humanname: Local packages
 *     - key_url: salt://keys/local.asc     # written to signedby (default /etc/apt/keyrings/local.asc)
 *     - refresh: True
 * ```
 * Changes: `{repo: NAME}` for a new entry, `{line: {old, new}}` for an edited one, `{key: PATH}` for a new key.
 */
import type { Dict, StateContext, StateResult } from '../../../engine/types.js';
import { failureComment, result, truthy } from '../common.js';
import { failureText, runCmd, succeeded } from '../fact.js';
import { selectBackend } from '../select.js';
import type { PkgBackend } from '../types.js';
import { defaultKeyPath, fetchKey } from './key.js';
import { ensureEntry, parseSourceLine, removeEntry, type SourceEntry, sameRepo, withOption } from './sources.js';

const SOURCES_LIST = '/etc/apt/sources.list';
const SOURCES_DIR = '/etc/apt/sources.list.d';
const NOTE =
  'This may cause pkg states to behave differently than stated if this action is repeated without test=True, due to the differences in the configured repositories.';

async function aptBackend(ctx: StateContext, fun: string): Promise<PkgBackend | string> {
  const be = await selectBackend(ctx);
  return be.name === 'apt' ? be : `${fun}: only apt sources are supported (this host uses ${be.name})`;
}

/** The .list files apt reads, sources.list first. */
async function listFiles(ctx: StateContext): Promise<string[]> {
  const out = [SOURCES_LIST];
  const st = await ctx.host.stat(SOURCES_DIR);
  if (st?.type === 'directory') {
    for (const f of (await ctx.host.readdir(SOURCES_DIR)).sort()) if (f.endsWith('.list')) out.push(`${SOURCES_DIR}/${f}`);
  }
  return out;
}

async function readText(ctx: StateContext, path: string): Promise<string> {
  return (await ctx.host.readFile(path))?.toString('utf8') ?? '';
}

/** The file that already holds this repository, if any. */
async function findFile(ctx: StateContext, entry: SourceEntry): Promise<string | null> {
  for (const f of await listFiles(ctx)) {
    const text = await readText(ctx, f);
    if (text.split('\n').some((l) => {
      const e = parseSourceLine(l);
      return e !== null && sameRepo(e, entry);
    })) return f;
  }
  return null;
}

async function managedInner(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const be = await aptBackend(ctx, 'pkgrepo.managed');
  if (typeof be === 'string') return result(name, false, be);
  const parsed = parseSourceLine(name);
  if (!parsed || parsed.disabled) return result(name, false, `pkgrepo.managed: '${name}' is not a one-line apt source (deb [options] URI SUITE [COMPONENTS])`);
  let wanted: SourceEntry = { ...parsed, disabled: truthy(args.disabled) };
  const file = typeof args.file === 'string' ? args.file : ((await findFile(ctx, wanted)) ?? SOURCES_LIST);
  if (!file.startsWith('/')) return result(name, false, `pkgrepo.managed: file must be an absolute path, got '${file}'`);
  if (typeof args.architectures === 'string') wanted = withOption(wanted, 'arch', args.architectures.replace(/\s+/g, ''));

  const changes: Dict = {};
  let key: { path: string; data: Buffer } | null = null;
  const signedBy = args.signedby ?? args.signed_by ?? args['signed-by'];
  if (typeof args.key_url === 'string') {
    const data = await fetchKey(ctx, args.key_url);
    const path = typeof signedBy === 'string' ? signedBy : defaultKeyPath(file, data);
    const cur = await ctx.host.readFile(path);
    if (!cur || !cur.equals(data)) {
      key = { path, data };
      changes.key = path;
    }
    wanted = withOption(wanted, 'signed-by', path);
  } else if (typeof signedBy === 'string') wanted = withOption(wanted, 'signed-by', signedBy);

  const comments = typeof args.humanname === 'string' ? [args.humanname] : [];
  const before = await readText(ctx, file);
  const edit = ensureEntry(before, wanted, comments);
  if (edit.changed) {
    if (edit.old === undefined) changes.repo = name;
    else changes.line = { old: edit.old, new: edit.text.split('\n').find((l) => {
      const e = parseSourceLine(l);
      return e !== null && sameRepo(e, wanted);
    }) ?? '' };
  }
  if (!Object.keys(changes).length) return result(name, true, `Package repo '${name}' already configured`);
  if (ctx.test) return result(name, null, `Package repo '${name}' would be configured. ${NOTE}`, changes);

  if (key) await ctx.host.writeFile(key.path, key.data, { mode: 0o644, makedirs: true, dirMode: 0o755 });
  if (edit.changed) await ctx.host.writeFile(file, edit.text, { makedirs: true, dirMode: 0o755, ...(before ? {} : { mode: 0o644 }) });
  const refresh = args.refresh ?? args.refresh_db ?? true;
  if (truthy(refresh) && !wanted.disabled) {
    const cmd = be.refresh();
    const r = await runCmd(ctx.host, cmd, ctx.signal);
    if (!succeeded(cmd, r)) {
      return result(name, false, `Configured package repo '${name}', but refreshing the package database failed: ${failureText(r)}`, changes);
    }
  }
  return result(name, true, `Configured package repo '${name}'`, changes);
}

async function absentInner(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const be = await aptBackend(ctx, 'pkgrepo.absent');
  if (typeof be === 'string') return result(name, false, be);
  const entry = parseSourceLine(name);
  if (!entry || entry.disabled) return result(name, false, `pkgrepo.absent: '${name}' is not a one-line apt source`);
  const files = typeof args.file === 'string' ? [args.file] : await listFiles(ctx);
  const edits: { file: string; text: string; empty: boolean }[] = [];
  for (const f of files) {
    const text = await readText(ctx, f);
    const r = removeEntry(text, entry);
    if (r.removed.length) edits.push({ file: f, text: r.text, empty: r.empty });
  }
  if (!edits.length) return result(name, true, `Package repo ${name} is absent`);
  if (ctx.test) return result(name, null, `Package repo '${name}' will be removed. ${NOTE}`, { repo: name });
  for (const e of edits) {
    // An emptied .list file goes; sources.list itself stays.
    if (e.empty && e.file !== SOURCES_LIST) await ctx.host.remove(e.file);
    else await ctx.host.writeFile(e.file, e.text);
  }
  return result(name, true, `Removed repo ${name}`, { repo: name });
}

function guard(fn: typeof managedInner, what: string) {
  return async (ctx: StateContext, name: string, args: Dict): Promise<StateResult> => {
    try {
      return await fn(ctx, name, args);
    } catch (e) {
      const msg = failureComment(e, `Failed to ${what} repo '${name}': `);
      if (msg === null) throw e;
      return result(name, false, msg);
    }
  };
}

/** pkgrepo.managed: `name` (the deb line), `file`, `humanname`, `architectures`, `key_url`, `signedby`, `disabled`, `refresh`. */
export const managed = guard(managedInner, 'configure');
/** pkgrepo.absent: `name` (the deb line), optional `file` (default: every .list file apt reads). */
export const absent = guard(absentInner, 'remove');
