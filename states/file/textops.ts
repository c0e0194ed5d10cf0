/**
 * Pure text transformations behind file.replace, file.blockreplace, file.append, file.comment/uncomment and
 * file.line. Each takes the current text and returns the new text (equal when nothing changes) or throws an
 * Error whose message is the state's comment.
 */
import { escapeRegex, pyRegex, pyRepl } from './pyregex.js';

/** Split keeping line ends: 'a\nb' → ['a\n', 'b']. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

export interface ReplaceOpts {
  pattern: string;
  repl: string;
  count?: number;
  /** Python re flag bits (Salt's default for file.replace is 8, MULTILINE). */
  flags: number;
  appendIfNotFound?: boolean;
  prependIfNotFound?: boolean;
  notFoundContent?: string;
}

/** Salt's file.replace. */
export function replaceText(text: string, o: ReplaceOpts): string {
  const re = pyRegex(o.pattern, o.flags, true);
  const found = re.test(text);
  re.lastIndex = 0;
  if (found) {
    const fn = pyRepl(o.repl);
    let n = 0;
    const limit = o.count && o.count > 0 ? o.count : Infinity;
    return text.replace(re, (...a: unknown[]) => (n++ < limit ? fn(...(a as [string, ...unknown[]])) : (a[0] as string)));
  }
  if (!o.appendIfNotFound && !o.prependIfNotFound) return text;
  const content = o.notFoundContent ?? o.repl;
  if (new RegExp(`^${escapeRegex(content)}$`, 'm').test(text)) return text;
  if (o.prependIfNotFound) return `${withNewline(content)}${text}`;
  return `${withNewline(text)}${withNewline(content)}`;
}

export interface BlockOpts {
  markerStart: string;
  markerEnd: string;
  content: string;
  appendIfNotFound?: boolean;
  prependIfNotFound?: boolean;
}

/** Salt's file.blockreplace: the lines between the marker lines become `content`. */
export function blockReplaceText(text: string, o: BlockOpts): string {
  const lines = splitLines(text);
  const body = withNewline(o.content);
  const out: string[] = [];
  let state: 'before' | 'in' | 'after' = 'before';
  for (const line of lines) {
    if (state === 'before' && line.includes(o.markerStart)) {
      out.push(withNewline(line));
      state = 'in';
      if (line.includes(o.markerEnd, line.indexOf(o.markerStart) + o.markerStart.length)) {
        throw new Error('Markers on the same line are not supported by blockreplace');
      }
      continue;
    }
    if (state === 'in') {
      if (line.includes(o.markerEnd)) {
        out.push(body, line);
        state = 'after';
      }
      continue;
    }
    out.push(line);
  }
  if (state === 'in') throw new Error('Unterminated marked block. End of file reached before marker_end.');
  if (state === 'after') return out.join('');
  const block = `${o.markerStart}\n${body}${o.markerEnd}\n`;
  if (o.prependIfNotFound) return `${block}${text}`;
  if (o.appendIfNotFound) return `${withNewline(text)}${block}`;
  throw new Error('Cannot edit marked block. Markers were not found');
}

/** Whole-line match that ignores whitespace differences (Salt's build_whitespace_split_regex). */
function wsLineRegex(line: string): RegExp {
  const words = line.trim().split(/\s+/).filter(Boolean).map(escapeRegex);
  return new RegExp(`^\\s*${words.join('\\s+')}\\s*$`, 'm');
}

/** Salt's file.append: add each line of `lines` that is not already in the file. */
export function appendText(text: string, lines: string[]): { text: string; added: number } {
  let out = text;
  let added = 0;
  for (const l of lines.flatMap((x) => x.split('\n'))) {
    if (l.trim() !== '' && wsLineRegex(l).test(out)) continue;
    if (l.trim() === '' && lines.length > 1) continue;
    out = `${withNewline(out)}${l}\n`;
    added++;
  }
  return { text: out, added };
}

/** `^foo$` → `foo` (Salt strips anchors and a leading inline flag group before commenting). */
export function unanchor(regex: string): string {
  return regex.replace(/^(\(\?[iLmsux]+\))?\^?/, '').replace(/\$$/, '');
}

/** Prefix `char` to every line the regex matches that is not already commented. */
export function commentText(text: string, regex: string, char: string): string {
  const re = pyRegex(regex, 0);
  const commented = new RegExp(`^\\s*${escapeRegex(char)}`);
  return splitLines(text)
    .map((line) => {
      const body = line.replace(/\n$/, '');
      return re.test(body) && !commented.test(body) ? `${char}${line}` : line;
    })
    .join('');
}

/** Remove `char` (and one following blank, when needed for the match) from commented lines the regex matches. */
export function uncommentText(text: string, regex: string, char: string): string {
  const core = pyRegex(`^${regex.replace(/^\^/, '')}`, 0);
  const head = new RegExp(`^(\\s*)${escapeRegex(char)}`);
  return splitLines(text)
    .map((line) => {
      const body = line.replace(/\n$/, '');
      const nl = line.endsWith('\n') ? '\n' : '';
      const m = head.exec(body);
      if (!m) return line;
      const rest = body.slice(m[0].length);
      if (core.test(rest)) return `${m[1]}${rest}${nl}`;
      if (/^\s/.test(rest) && core.test(rest.slice(1))) return `${m[1]}${rest.slice(1)}${nl}`;
      return line;
    })
    .join('');
}

export interface LineOpts {
  content?: string;
  match?: string;
  mode: 'ensure' | 'replace' | 'delete' | 'insert';
  location?: 'start' | 'end';
  before?: string;
  after?: string;
  indent?: boolean;
}

function indentOf(line: string | undefined): string {
  return line ? /^\s*/.exec(line)![0].replace(/\n/g, '') : '';
}

/** Salt's file.line on a list of lines without terminators. */
export function lineText(text: string, o: LineOpts): string {
  const trailing = text === '' || text.endsWith('\n');
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const content = o.content ?? '';
  if (o.mode !== 'delete' && o.content === undefined) throw new Error('Content can only be empty if mode is "delete"');
  const matchSrc = o.match ?? (o.content !== undefined ? escapeRegex(content) : undefined);
  if (!matchSrc && o.mode !== 'insert') throw new Error('Either "match" or "content" must be given');
  const matchRe = matchSrc ? pyRegex(matchSrc, 0) : null;
  const find = (src: string | undefined, from = 0): number => {
    if (!src) return -1;
    const re = pyRegex(src, 0);
    for (let i = from; i < lines.length; i++) if (re.test(lines[i]!)) return i;
    return -1;
  };
  const indented = (anchor: string | undefined): string => (o.indent === false ? content : indentOf(anchor) + content.trimStart());
  const hasContent = (): boolean => lines.some((l) => l.trim() === content.trim());
  let out = [...lines];

  if (o.mode === 'delete') {
    out = lines.filter((l) => !matchRe!.test(l));
  } else if (o.mode === 'replace') {
    out = lines.map((l) => (matchRe!.test(l) ? (o.indent === false ? content : indentOf(l) + content.trimStart()) : l));
  } else if (o.mode === 'insert') {
    if (!hasContent()) out = insertAt(lines, o, find, indented);
  } else {
    out = ensure(lines, o, find, indented, content);
  }
  const joined = out.join('\n');
  return out.length === 0 ? '' : trailing ? `${joined}\n` : joined;
}

type Finder = (src: string | undefined, from?: number) => number;

function insertAt(lines: string[], o: LineOpts, find: Finder, indented: (a?: string) => string): string[] {
  const out = [...lines];
  if (o.after || o.before) {
    const a = find(o.after);
    const b = o.before ? find(o.before, a >= 0 ? a + 1 : 0) : -1;
    if (o.after && a < 0 && (!o.before || b < 0)) throw new Error(`Neither after ('${o.after}') nor before was found`);
    if (o.before && !o.after && b < 0) throw new Error(`Before ('${o.before}') was not found`);
    if (a >= 0) out.splice(a + 1, 0, indented(lines[a]));
    else out.splice(b, 0, indented(lines[b]));
    return out;
  }
  if (o.location === 'start') out.unshift(indented(undefined));
  else out.push(indented(undefined));
  return out;
}

function ensure(lines: string[], o: LineOpts, find: Finder, indented: (a?: string) => string, content: string): string[] {
  const out = [...lines];
  const same = (i: number): boolean => i >= 0 && i < lines.length && lines[i]!.trim() === content.trim();
  if (o.after && o.before) {
    const a = find(o.after);
    const b = find(o.before, a + 1);
    if (a < 0 || b < 0) throw new Error(`Boundaries "after" ('${o.after}') and "before" ('${o.before}') were not found`);
    if (b - a === 2 && same(a + 1)) return out;
    out.splice(a + 1, b - a - 1, indented(lines[a]));
    return out;
  }
  if (o.after) {
    const a = find(o.after);
    if (a < 0) throw new Error(`Line "after" ('${o.after}') was not found`);
    if (same(a + 1)) return out;
    out.splice(a + 1, 0, indented(lines[a]));
    return out;
  }
  if (o.before) {
    const b = find(o.before);
    if (b < 0) throw new Error(`Line "before" ('${o.before}') was not found`);
    if (same(b - 1)) return out;
    out.splice(b, 0, indented(lines[b]));
    return out;
  }
  // No anchor: lines matching `match` become `content`; when none matches, content goes to `location` (end).
  const re = pyRegex(o.match ?? escapeRegex(content), 0);
  if (lines.some((l) => re.test(l))) {
    return lines.map((l) => (re.test(l) ? (o.indent === false ? content : indentOf(l) + content.trimStart()) : l));
  }
  return o.location === 'start' ? [content, ...out] : [...out, content];
}
