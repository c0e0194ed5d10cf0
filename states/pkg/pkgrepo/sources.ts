/**
 * One-line apt source entries (sources.list(5)): `deb [opt=val …] URI SUITE [COMPONENT…]`. Pure functions:
 * parse, compare, format, and edit the lines of a .list file. deb822 `.sources` files are not handled.
 */

export interface SourceEntry {
  type: 'deb' | 'deb-src';
  /** Options in the order written; keys as written (`signed-by`, `arch`, `trusted`). */
  options: [string, string][];
  uri: string;
  suite: string;
  components: string[];
  disabled: boolean;
}

const LINE = /^\s*(#\s*)?(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)((?:\s+[^\s#]+)*)\s*(?:#.*)?$/;

/** Parses one line; null for comments, blanks and anything that is not a one-line source entry. */
export function parseSourceLine(line: string): SourceEntry | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const options: [string, string][] = [];
  for (const o of (m[3] ?? '').trim().split(/\s+/).filter(Boolean)) {
    const eq = o.indexOf('=');
    options.push(eq > 0 ? [o.slice(0, eq), o.slice(eq + 1)] : [o, '']);
  }
  return {
    type: m[2] as SourceEntry['type'],
    options,
    uri: m[4]!,
    suite: m[5]!,
    components: (m[6] ?? '').trim().split(/\s+/).filter(Boolean),
    disabled: Boolean(m[1]),
  };
}

export function formatSource(e: SourceEntry): string {
  const opts = e.options.length ? ` [${e.options.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join(' ')}]` : '';
  const comps = e.components.length ? ` ${e.components.join(' ')}` : '';
  return `${e.disabled ? '# ' : ''}${e.type}${opts} ${e.uri} ${e.suite}${comps}`;
}

const normUri = (u: string): string => u.replace(/\/+$/, '');

/** Same repository (type, URI, suite): the entry pkgrepo.managed edits rather than adds. */
export function sameRepo(a: SourceEntry, b: SourceEntry): boolean {
  return a.type === b.type && normUri(a.uri) === normUri(b.uri) && a.suite === b.suite;
}

/** Same repository, same components, same options (order-insensitive), same enabled state. */
export function sameEntry(a: SourceEntry, b: SourceEntry): boolean {
  const opts = (e: SourceEntry): string => e.options.map(([k, v]) => `${k}=${v}`).sort().join(' ');
  return (
    sameRepo(a, b) &&
    a.disabled === b.disabled &&
    [...a.components].sort().join(' ') === [...b.components].sort().join(' ') &&
    opts(a) === opts(b)
  );
}

/** Sets (or replaces) an option; `signed-by`/`arch` keep their first position when present. */
export function withOption(e: SourceEntry, key: string, value: string): SourceEntry {
  const options = e.options.some(([k]) => k === key)
    ? e.options.map(([k, v]): [string, string] => (k === key ? [k, value] : [k, v]))
    : [...e.options, [key, value] as [string, string]];
  return { ...e, options };
}

export interface EditResult {
  text: string;
  /** The line that was there before (undefined when the entry is new). */
  old?: string;
  changed: boolean;
}

/**
 * Makes `wanted` present in a .list file's text: the first line for the same repository (enabled or commented
 * out) is replaced when it differs; otherwise the entry is appended, after `# comment` lines when given.
 */
export function ensureEntry(text: string, wanted: SourceEntry, comments: string[] = []): EditResult {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const idx = lines.findIndex((l) => {
    const e = parseSourceLine(l);
    return e !== null && sameRepo(e, wanted);
  });
  if (idx >= 0) {
    const cur = parseSourceLine(lines[idx]!)!;
    if (sameEntry(cur, wanted)) return { text, old: lines[idx], changed: false };
    const old = lines[idx]!;
    lines[idx] = formatSource(wanted);
    return { text: `${lines.join('\n')}\n`, old, changed: true };
  }
  for (const c of comments) lines.push(`# ${c}`);
  lines.push(formatSource(wanted));
  return { text: `${lines.join('\n')}\n`, changed: true };
}

/** Removes every enabled line for the same repository and components; `empty` when no entry is left. */
export function removeEntry(text: string, entry: SourceEntry): { text: string; removed: string[]; empty: boolean } {
  const keep: string[] = [];
  const removed: string[] = [];
  const comps = (e: SourceEntry): string => [...e.components].sort().join(' ');
  for (const l of text.replace(/\n$/, '').split('\n')) {
    const e = parseSourceLine(l);
    if (e && !e.disabled && sameRepo(e, entry) && comps(e) === comps(entry)) removed.push(l);
    else keep.push(l);
  }
  const empty = !keep.some((l) => l.trim() && !l.trim().startsWith('#'));
  return { text: keep.length ? `${keep.join('\n')}\n` : '', removed, empty };
}
