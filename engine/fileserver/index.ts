/**
 * `salt://` over file_roots: for a saltenv, the first root that has the file wins. Paths that escape the roots
 * (`..`, absolute, or a symlink resolving outside every root of the saltenv) are refused with a HaliteError.
 * File roots live on the controller, so this reads with node:fs.
 *
 * @example
 * // file_roots: {base: [/srv/salt, /srv/formulas]}
 * fs.resolve('salt://nginx/files/nginx.conf')      // '/srv/formulas/nginx/files/nginx.conf'
 * fs.resolve('salt://x.conf?saltenv=dev')          // looked up in file_roots.dev
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import picomatch from 'picomatch';
import { HaliteError } from '../errors.js';
import type { Dict, FileServer } from '../types.js';

export interface FileServerOptions {
  /** saltenv → directories (opts.file_roots). */
  roots: Record<string, string[]>;
  /** Default saltenv when neither the URL nor the caller names one. */
  defaultEnv?: string;
  /** opts.file_ignore_regex / file_ignore_glob: paths (relative) hidden from list and resolve. */
  ignoreRegex?: string[];
  ignoreGlob?: string[];
}

/** Split `salt://a/b?saltenv=dev` into path and saltenv (either may be absent). */
export function parseSaltUrl(url: string): { path: string; saltenv?: string } {
  let rest = url.startsWith('salt://') ? url.slice('salt://'.length) : url;
  let saltenv: string | undefined;
  const q = rest.indexOf('?');
  if (q !== -1) {
    const params = new URLSearchParams(rest.slice(q + 1));
    saltenv = params.get('saltenv') ?? params.get('env') ?? undefined;
    rest = rest.slice(0, q);
  }
  return { path: rest, saltenv };
}

/** Normalized relative path, or a HaliteError when it is absolute or climbs out with `..`. */
export function safeRelative(url: string, path: string): string {
  if (path.startsWith('/')) throw new HaliteError('invocation', `${url}: absolute paths are not allowed in salt:// URLs`);
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new HaliteError('invocation', `${url}: '..' is not allowed in salt:// URLs (the path would escape file_roots)`);
  return parts.join('/');
}

export class RootsFileServer implements FileServer {
  private readonly rootsByEnv: Record<string, string[]>;
  private readonly defaultEnv: string;
  private readonly ignored: (rel: string) => boolean;

  constructor(o: FileServerOptions) {
    this.rootsByEnv = o.roots;
    this.defaultEnv = o.defaultEnv ?? 'base';
    const res = (o.ignoreRegex ?? []).map((r) => new RegExp(r));
    const globs = (o.ignoreGlob ?? []).map((g) => picomatch(g, { dot: true }));
    this.ignored = (rel) => res.some((r) => r.test(rel)) || globs.some((m) => m(rel));
  }

  /** Build from minion opts (file_roots, file_ignore_*, saltenv). */
  static fromOpts(opts: Dict): RootsFileServer {
    return new RootsFileServer({
      roots: (opts.file_roots ?? {}) as Record<string, string[]>,
      defaultEnv: typeof opts.saltenv === 'string' && opts.saltenv ? opts.saltenv : 'base',
      ignoreRegex: (opts.file_ignore_regex as string[] | undefined) ?? [],
      ignoreGlob: (opts.file_ignore_glob as string[] | undefined) ?? [],
    });
  }

  roots(saltenv?: string): string[] {
    return [...(this.rootsByEnv[saltenv ?? this.defaultEnv] ?? [])];
  }

  envs(): string[] {
    return Object.keys(this.rootsByEnv);
  }

  resolve(url: string, saltenv?: string): string | null {
    const p = parseSaltUrl(url);
    const env = p.saltenv ?? saltenv ?? this.defaultEnv;
    const rel = safeRelative(url, p.path);
    if (rel === '' || this.ignored(rel)) return null;
    for (const root of this.roots(env)) {
      const cand = join(root, rel);
      if (!existsSync(cand)) continue;
      this.checkInside(url, cand, env);
      if (statSync(cand).isFile()) return cand;
    }
    return null;
  }

  read(url: string, saltenv?: string): Buffer | null {
    const p = this.resolve(url, saltenv);
    return p === null ? null : readFileSync(p);
  }

  /** Relative paths of every file under the saltenv's roots (first root wins for duplicates), sorted. */
  list(saltenv?: string, prefix?: string): string[] {
    return this.walk(saltenv, prefix).files;
  }

  /** Relative paths of every directory (cp.list_master_dirs). */
  listDirs(saltenv?: string, prefix?: string): string[] {
    return this.walk(saltenv, prefix).dirs;
  }

  private walk(saltenv: string | undefined, prefix: string | undefined): { files: string[]; dirs: string[] } {
    const env = saltenv ?? this.defaultEnv;
    const pre = prefix ? safeRelative(prefix, parseSaltUrl(prefix).path) : '';
    const files = new Set<string>();
    const dirs = new Set<string>();
    const inside = this.realRoots(env);
    for (const root of this.roots(env)) {
      if (!existsSync(root)) continue;
      const start = pre ? join(root, pre) : root;
      const visit = (abs: string, rel: string, ancestors: string[]): void => {
        let real: string;
        try {
          real = realpathSync(abs);
        } catch {
          return; // dangling symlink
        }
        if (!inside.some((r) => real === r || real.startsWith(r + sep))) return;
        if (rel && this.ignored(rel)) return;
        const st = statSync(real);
        if (st.isDirectory()) {
          if (ancestors.includes(real)) return; // symlink loop
          if (rel) dirs.add(rel);
          for (const n of readdirSync(abs).sort()) visit(join(abs, n), rel ? `${rel}/${n}` : n, [...ancestors, real]);
        } else if (st.isFile() && rel) files.add(rel);
      };
      if (existsSync(start)) visit(start, pre, []);
    }
    const under = (r: string): boolean => !pre || r === pre || r.startsWith(`${pre}/`);
    return { files: [...files].filter(under).sort(), dirs: [...dirs].filter(under).sort() };
  }

  private realRoots(env: string): string[] {
    return this.roots(env)
      .filter((r) => existsSync(r))
      .map((r) => realpathSync(r));
  }

  /** A candidate whose real path leaves every root of the saltenv is refused (symlink pointing out). */
  private checkInside(url: string, cand: string, env: string): void {
    if (!lstatSync(cand)) return;
    const real = realpathSync(cand);
    const ok = this.realRoots(env).some((r) => real === r || real.startsWith(r + sep));
    if (!ok) throw new HaliteError('invocation', `${url}: resolves to ${real}, outside file_roots[${env}] ${JSON.stringify(this.roots(env))}; symlinks must stay inside the roots`);
  }
}
