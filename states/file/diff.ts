/**
 * Text diffs in the shape Salt prints them (Python difflib.unified_diff without file names: `--- ` / `+++ `
 * headers, 3 lines of context, `@@ -1 +1 @@` ranges), plus binary detection.
 */
import { structuredPatch } from 'diff';

/** difflib's range notation: `3` for one line, `2,0` for none (line before), else `start,len`. */
function range(start: number, len: number): string {
  if (len === 1) return String(start);
  if (len === 0) return `${start - 1},0`;
  return `${start},${len}`;
}

/**
 * Beyond this many changed lines the Myers diff gets quadratic (minutes for two unrelated 64 KB files); the diff is
 * then shown as one hunk replacing every old line with every new one — still a correct unified diff.
 */
const MAX_EDIT_LENGTH = 400;

/** Unified diff of two texts, '' when they are equal. */
export function unifiedDiff(oldText: string, newText: string): string {
  if (oldText === newText) return '';
  const p = structuredPatch('', '', oldText, newText, '', '', { context: 3, maxEditLength: MAX_EDIT_LENGTH });
  const out: string[] = ['--- \n', '+++ \n'];
  if (!p) return out.join('') + wholeReplacement(oldText, newText);
  for (const h of p.hunks) {
    out.push(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@\n`);
    for (const line of h.lines) out.push(`${line}\n`);
  }
  return out.join('');
}

const NO_EOL = '\\ No newline at end of file';

/** A text's lines for a hunk, with the no-newline marker after the last one when the text does not end in \n. */
function hunkLines(t: string): string[] {
  if (t === '') return [];
  const l = t.split('\n');
  if (l[l.length - 1] === '') l.pop();
  else l.push(NO_EOL);
  return l;
}

/** One hunk: every old line removed, every new line added (the fallback for very different texts). */
function wholeReplacement(oldText: string, newText: string): string {
  const o = hunkLines(oldText);
  const n = hunkLines(newText);
  const count = (l: string[]): number => l.filter((x) => x !== NO_EOL).length;
  const out = [`@@ -${range(1, count(o))} +${range(1, count(n))} @@\n`];
  for (const x of o) out.push(x === NO_EOL ? `${x}\n` : `-${x}\n`);
  for (const x of n) out.push(x === NO_EOL ? `${x}\n` : `+${x}\n`);
  return out.join('');
}

/** A buffer is binary when it holds a NUL byte or is not valid UTF-8 (what `file` and git decide, roughly). */
export function isBinary(buf: Buffer): boolean {
  if (buf.subarray(0, 8000).includes(0)) return true;
  return !isUtf8(buf);
}

function isUtf8(buf: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}
