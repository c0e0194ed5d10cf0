/**
 * On-disk cache of compiled template code (like Python's .pyc): nunjucks' lexer/parser/compiler costs ~0.3 ms per
 * SLS file, most of a cold render. Keyed by sha1 of (template path, source, options, the identity of halite's
 * compiler patches), so an edited template or an upgraded halite never reads stale code. Enabled when the minion
 * has a `cachedir`; any cache I/O failure just compiles normally.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import vm from 'node:vm';

let identity: string | undefined;

/** Changes whenever the code that shapes compiled output changes (these modules' files). */
function patchesIdentity(): string {
  if (identity === undefined) {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const parts = ['v1'];
    for (const f of ['compat', 'ext', 'codecache']) {
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

export function readCode(dir: string, key: string): string | null {
  try {
    return readFileSync(path.join(dir, key.slice(0, 2), key + '.js'), 'utf8');
  } catch {
    return null;
  }
}

function write(dir: string, name: string, data: string | Buffer): void {
  try {
    const sub = path.join(dir, name.slice(0, 2));
    mkdirSync(sub, { recursive: true });
    const tmp = path.join(sub, `${name}.${process.pid}.tmp`);
    writeFileSync(tmp, data);
    renameSync(tmp, path.join(sub, name));
  } catch {
    /* read-only or full: compiling again next time is fine */
  }
}

export function writeCode(dir: string, key: string, code: string): void {
  write(dir, key + '.js', code);
}

/** V8's code cache for a compiled template (skips V8's own parse/compile of the generated code). */
export function readV8(dir: string, key: string): Buffer | undefined {
  try {
    return readFileSync(path.join(dir, key.slice(0, 2), key + '.v8'));
  } catch {
    return undefined;
  }
}

export function writeV8(dir: string, key: string, data: Buffer): void {
  write(dir, key + '.v8', data);
}

/**
 * Turn compiled template code into its `{root, b_*}` object, through V8's code cache when `dir` is set. The cache
 * is written after the first call of `root`, so the lazily compiled render function is in it.
 */
export function instantiate(code: string, file: string, dir: string | undefined): Record<string, (...a: unknown[]) => unknown> {
  if (!dir) return new Function(code)() as Record<string, (...a: unknown[]) => unknown>; // eslint-disable-line no-new-func
  const key = createHash('sha1').update(code).digest('hex');
  const cached = readV8(dir, key);
  const script = new vm.Script(`(function () {\n${code}\n})`, { filename: file || 'template', cachedData: cached });
  const props = (script.runInThisContext() as () => Record<string, (...a: unknown[]) => unknown>)();
  if (!cached || script.cachedDataRejected) {
    const root = props.root!;
    let written = false;
    props.root = function (this: unknown, ...args: unknown[]) {
      const r = root.apply(this, args);
      if (!written) {
        written = true;
        writeV8(dir, key, script.createCachedData());
      }
      return r;
    };
  }
  return props;
}
