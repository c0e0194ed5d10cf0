/**
 * Directory walking over the Host interface and Salt's include/exclude patterns (fnmatch globs, or `E@regex`).
 */
import type { FileStat, Host } from '../../engine/host/types.js';
import { joinPath } from './util.js';

export interface Entry {
  path: string;
  /** Path relative to the walk root, POSIX separators. */
  rel: string;
  st: FileStat;
  depth: number;
}

/** Every entry under `root` (not root itself), parents before children, sorted by name; symlinks not followed. */
export async function walk(host: Host, root: string, maxDepth = Infinity): Promise<Entry[]> {
  const out: Entry[] = [];
  const visit = async (dir: string, rel: string, depth: number): Promise<void> => {
    const names = (await host.readdir(dir)).sort();
    for (const n of names) {
      const path = joinPath(dir, n);
      const st = await host.lstat(path);
      if (!st) continue;
      const r = rel ? `${rel}/${n}` : n;
      out.push({ path, rel: r, st, depth });
      if (st.type === 'directory' && depth < maxDepth) await visit(path, r, depth + 1);
    }
  };
  await visit(root, '', 1);
  return out;
}

/** Python fnmatch.translate: `*` and `?` also match `/`, `[!x]` negates. */
export function fnmatchRegex(pat: string): RegExp {
  let re = '';
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const j = pat.indexOf(']', i + 2);
      if (j < 0) re += '\\[';
      else {
        let body = pat.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body}]`;
        i = j;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${re})$`, 's');
}

/** Salt's check_include_exclude: true when `rel` should be acted on. */
export function includeExclude(rel: string, include?: unknown, exclude?: unknown): boolean {
  const matches = (pat: string): boolean =>
    pat.startsWith('E@') ? new RegExp(pat.slice(2)).test(rel) : pat.split('|').some((p) => fnmatchRegex(p).test(rel));
  if (typeof include === 'string' && include && !matches(include)) return false;
  if (typeof exclude === 'string' && exclude && matches(exclude)) return false;
  return true;
}
