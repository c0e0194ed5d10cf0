/**
 * Python's `fnmatch.fnmatch` on POSIX (case-sensitive): `*` matches anything (including `/` and `.`), `?` one
 * character, `[seq]` / `[!seq]` a set. Salt uses it for include globs, `sls:` requisites, excludes and glob targets,
 * so halite must agree with it rather than with shell globbing (picomatch treats `/` specially).
 *
 * @example fnmatch('web.nginx', 'web.*') // true
 */
const cache = new Map<string, RegExp>();

/** True when `pattern` contains a glob metacharacter (so an exact-string lookup is not enough). */
export function hasGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** Translate a fnmatch pattern into an anchored RegExp (Python's `fnmatch.translate`). */
export function translate(pattern: string): RegExp {
  let re = '';
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i++]!;
    if (c === '*') {
      while (pattern[i] === '*') i++;
      re += '[\\s\\S]*';
    } else if (c === '?') {
      re += '[\\s\\S]';
    } else if (c === '[') {
      let j = i;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < n && pattern[j] !== ']') j++;
      if (j >= n) {
        re += '\\[';
      } else {
        let stuff = pattern.slice(i, j);
        i = j + 1;
        let neg = false;
        if (stuff.startsWith('!')) {
          neg = true;
          stuff = stuff.slice(1);
        }
        const body = stuff.replace(/[\\\]^]/g, (m) => `\\${m}`);
        re += neg ? `[^${body}]` : body === '' ? '(?!)' : `[${body}]`;
      }
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\/-]/g, (m) => `\\${m}`);
    }
  }
  return new RegExp(`^(?:${re})$`);
}

/** `fnmatch.fnmatch(name, pattern)`; non-glob patterns compare as strings. */
export function fnmatch(name: string, pattern: string): boolean {
  if (!hasGlob(pattern)) return name === pattern;
  let rx = cache.get(pattern);
  if (!rx) {
    rx = translate(pattern);
    if (cache.size > 5000) cache.clear();
    cache.set(pattern, rx);
  }
  return rx.test(name);
}

/** Membership sets of name lists (an SLS list is searched once per include: a scan each time is quadratic). */
const sets = new WeakMap<readonly string[], Set<string>>();

function has(names: readonly string[], name: string): boolean {
  if (names.length < 16) return names.includes(name);
  let s = sets.get(names);
  if (!s) {
    s = new Set(names);
    sets.set(names, s);
  }
  return s.has(name);
}

/** `fnmatch.filter(names, pattern)`. `names` must not be modified after a first call with it. */
export function fnfilter(names: readonly string[], pattern: string): string[] {
  if (!hasGlob(pattern)) return has(names, pattern) ? [pattern] : [];
  return names.filter((n) => fnmatch(n, pattern));
}
