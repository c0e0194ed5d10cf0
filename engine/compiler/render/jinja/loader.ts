/**
 * Template loader over a saltenv's file roots, like Salt's SaltCacheLoader: names are relative to the root,
 * `./x` and `../x` are relative to the importing template's directory, and nothing outside the roots is served
 * (`..` past the root or a symlink pointing out → template not found).
 */
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

export class TemplateNotFound extends Error {
  constructor(readonly template: string, detail = '') {
    super(`Template '${template}' not found${detail}`);
    this.name = 'TemplateNotFound';
  }
}

interface Cached {
  mtimeMs: number;
  size: number;
  tmpl: unknown;
}

/** Prefix used by nunjucks-relative resolution to mark an escape attempt. */
const ESCAPED = '\u0000escaped:';

export class RootsLoader {
  /** nunjucks reads `loader.cache[name]` before calling getSource; the proxy re-validates by mtime. */
  private readonly proxy: Record<string, unknown>;
  get cache(): Record<string, unknown> {
    return this.proxy;
  }
  /** nunjucks resets `loader.cache = {}` when it builds an Environment: keep the validating proxy. */
  set cache(_ignored: Record<string, unknown>) {}
  private readonly entries = new Map<string, Cached & { file: string }>();
  private readonly realRoots: string[];

  constructor(readonly roots: string[]) {
    this.realRoots = roots.map((r) => {
      try {
        return realpathSync(r);
      } catch {
        return path.resolve(r);
      }
    });
    const entries = this.entries;
    this.proxy = new Proxy({} as Record<string, unknown>, {
      get(_t, name) {
        if (typeof name !== 'string') return undefined;
        const e = entries.get(name);
        if (!e) return undefined;
        try {
          const st = statSync(e.file);
          if (st.mtimeMs === e.mtimeMs && st.size === e.size) return e.tmpl;
        } catch {
          /* fall through: gone */
        }
        entries.delete(name);
        return undefined;
      },
      set(_t, name, tmpl) {
        if (typeof name !== 'string') return true;
        const file = (tmpl as { path?: string }).path;
        if (!file) return true;
        try {
          const st = statSync(file);
          entries.set(name, { file, mtimeMs: st.mtimeMs, size: st.size, tmpl });
        } catch {
          /* not cacheable */
        }
        return true;
      },
    });
  }

  isRelative(name: string): boolean {
    return name.startsWith('./') || name.startsWith('../');
  }

  /** Root-relative name of an absolute path, or null when it is in no root. */
  relName(abs: string): string | null {
    for (const r of [...this.roots.map((x) => path.resolve(x)), ...this.realRoots]) {
      const rel = path.relative(r, abs);
      if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
    }
    return null;
  }

  /** nunjucks calls this with the importing template's path (absolute) and the relative name. */
  resolve(parent: string, name: string): string {
    const parentRel = path.isAbsolute(parent) ? this.relName(parent) : parent;
    const dir = parentRel === null ? '' : path.posix.dirname(parentRel);
    const joined = path.posix.normalize(path.posix.join(dir === '.' ? '' : dir, name));
    if (joined === '..' || joined.startsWith('../')) return ESCAPED + name;
    return joined;
  }

  /** Absolute path of a root-relative name, refusing escapes; null when not found. */
  find(name: string): string | null {
    if (name.startsWith(ESCAPED)) throw new TemplateNotFound(name.slice(ESCAPED.length), ' (outside the file roots)');
    const clean = path.posix.normalize(name.replace(/^\/+/, ''));
    if (clean === '..' || clean.startsWith('../')) throw new TemplateNotFound(name, ' (outside the file roots)');
    for (let i = 0; i < this.roots.length; i++) {
      const full = path.resolve(this.roots[i]!, clean);
      const real = this.realpath(full);
      if (real === null) continue;
      const rr = this.realRoots[i]!;
      if (real !== rr && !real.startsWith(rr + path.sep)) throw new TemplateNotFound(name, ' (outside the file roots)');
      return full;
    }
    return null;
  }

  private readonly realDirs = new Map<string, string | null>();

  /** realpath with the directory part cached (one lstat per file instead of one per path component). */
  private realpath(full: string): string | null {
    const dir = path.dirname(full);
    let rdir = this.realDirs.get(dir);
    if (rdir === undefined) {
      try {
        rdir = realpathSync(dir);
      } catch {
        rdir = null;
      }
      this.realDirs.set(dir, rdir);
    }
    if (rdir === null) return null;
    try {
      const st = lstatSync(full);
      const inDir = path.join(rdir, path.basename(full));
      return st.isSymbolicLink() ? realpathSync(inDir) : inDir;
    } catch {
      return null;
    }
  }

  private preset: [string, string] | null = null;

  /** The caller has just read `abs` as `text`: getSource of it uses that instead of reading again, until
   *  presetSource(null). */
  presetSource(abs: string | null, text = ''): void {
    this.preset = abs === null ? null : [abs, text];
  }

  getSource(name: string): { src: string; path: string; noCache: boolean } | null {
    const full = this.find(name);
    if (full === null) throw new TemplateNotFound(name);
    if (this.preset && this.preset[0] === full) return { src: this.preset[1], path: full, noCache: false };
    return { src: readFileSync(full, 'utf8'), path: full, noCache: false };
  }
}
