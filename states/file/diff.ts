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

/** Unified diff of two texts, '' when they are equal. */
export function unifiedDiff(oldText: string, newText: string): string {
  if (oldText === newText) return '';
  const p = structuredPatch('', '', oldText, newText, '', '', { context: 3 });
  const out: string[] = ['--- \n', '+++ \n'];
  for (const h of p.hunks) {
    out.push(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@\n`);
    for (const line of h.lines) out.push(`${line}\n`);
  }
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
