/**
 * On-disk cache of compiled template code (like Python's .pyc): nunjucks' lexer/parser/compiler is most of a cold
 * render. One bundle file per cache directory (`<cachedir>/halite/jinja/bundle.json`), read once per process and
 * rewritten once at process exit when templates were added — per-template files cost more in open/write/rename
 * than they save. Entries are keyed by sha1 of (template path, source, options, the identity of halite's compiler
 * patches), so an edited template or an upgraded halite never reads stale code. Any cache I/O failure just means
 * compiling again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Entries kept in a bundle at most (the ones used by the latest run come first). */
const MAX_ENTRIES = 50000;

let identity: string | undefined;

/** Changes whenever the code that shapes compiled output changes (these modules' files, nunjucks' version). */
function patchesIdentity(): string {
  if (identity === undefined) {
    const self = import.meta.url.startsWith('file:') ? fileURLToPath(import.meta.url) : '';
    const here = path.dirname(self);
    const parts = ['v3'];
    // This module's own file: in a bundle (dist/halite.js) the sibling sources below do not exist, the bundle does.
    try {
      const st = statSync(self);
      parts.push(`self:${st.size}:${st.mtimeMs}`);
    } catch {
      /* not a file URL */
    }
    for (const f of ['compat', 'syntax', 'ext', 'codecache', 'codegen', 'parser', 'template']) {
      for (const ext of ['.js', '.ts']) {
        try {
          const st = statSync(path.join(here, f + ext));
          parts.push(`${f}${ext}:${st.size}:${st.mtimeMs}`);
        } catch {
          /* not this extension */
        }
      }
    }
    try {
      parts.push(String((JSON.parse(readFileSync(path.join(here, '../../../../node_modules/nunjucks/package.json'), 'utf8')) as { version: string }).version));
    } catch {
      /* layout differs (bundled): the module stats above still key the cache */
    }
    identity = parts.join('|');
  }
  return identity;
}

export function cacheKey(src: string, name: string, flags: string): string {
  return createHash('sha1').update(patchesIdentity()).update('\0').update(name).update('\0').update(flags).update('\0').update(src).digest('hex');
}

interface Bundle {
  entries: Map<string, string>;
  used: Set<string>;
  added: boolean;
}

const bundles = new Map<string, Bundle>();

function bundleFile(dir: string): string {
  return path.join(dir, 'bundle.json');
}

function load(dir: string): Bundle {
  let b = bundles.get(dir);
  if (b) return b;
  b = { entries: new Map(), used: new Set(), added: false };
  try {
    const raw = JSON.parse(readFileSync(bundleFile(dir), 'utf8')) as { identity?: string; entries?: Record<string, string> };
    if (raw.identity === patchesIdentity() && raw.entries) b.entries = new Map(Object.entries(raw.entries));
  } catch {
    /* no bundle yet, or unreadable: start empty */
  }
  bundles.set(dir, b);
  if (bundles.size === 1) process.once('exit', flushCodeCache);
  return b;
}

/** Write every bundle that gained entries (runs at process exit; callable earlier, e.g. by tests). */
export function flushCodeCache(): void {
  for (const [dir, b] of bundles) {
    if (!b.added) continue;
    const keys = [...b.used, ...[...b.entries.keys()].filter((k) => !b.used.has(k))].slice(0, MAX_ENTRIES);
    const entries: Record<string, string> = {};
    for (const k of keys) entries[k] = b.entries.get(k)!;
    try {
      mkdirSync(dir, { recursive: true });
      const tmp = `${bundleFile(dir)}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ identity: patchesIdentity(), entries }));
      renameSync(tmp, bundleFile(dir));
      b.added = false;
    } catch {
      /* read-only or full: compiling again next time is fine */
    }
  }
}

export function readCode(dir: string, key: string): string | null {
  const b = load(dir);
  const code = b.entries.get(key);
  if (code === undefined) return null;
  b.used.add(key);
  return code;
}

export function writeCode(dir: string, key: string, code: string): void {
  const b = load(dir);
  b.entries.set(key, code);
  b.used.add(key);
  b.added = true;
}
