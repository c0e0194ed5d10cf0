/**
 * Salt's `nested` outputter: the default for non-state data (`grains.items`, `state.show_lowstate`) and the
 * renderer of every `Changes:` block in the highstate output.
 *
 * ```
 * local:
 *     ----------
 *     base:
 *         - webapp
 * ```
 * Mappings print `----------` (except at indent 0) then `key:` lines with values 4 deeper, keys sorted; lists
 * print scalars as `- x` and nested containers under `|_`; multi-line strings one line each; an empty string
 * prints nothing.
 */
import { palette, type Palette } from './colors.js';
import { pyScalar, splitLines } from './pyfmt.js';

export interface NestedOptions {
  /** Base indent (the highstate outputter uses 14 for changes). */
  indent?: number;
  color?: boolean;
  /** Non-zero paints list markers and keys red, as Salt does for a failed call. */
  retcode?: number;
}

/** Render `data` the way `salt-call --out nested` does (without the trailing newline). */
export function nested(data: unknown, o: NestedOptions = {}): string {
  const p = palette(o.color ?? false);
  const lines: string[] = [];
  display(data, o.indent ?? 0, '', lines, p, o.retcode ?? 0);
  return lines.join('\n');
}

function line(indent: number, paint: (s: string) => string, msg: string, prefix = '', suffix = ''): string {
  return ' '.repeat(indent) + paint(prefix + msg) + suffix;
}

function display(v: unknown, indent: number, prefix: string, out: string[], p: Palette, retcode: number): void {
  const keyColor = retcode !== 0 ? p.red : p.cyan;
  if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'number') {
    out.push(line(indent, p.lightYellow, pyScalar(v), prefix));
  } else if (typeof v === 'string') {
    splitLines(v).forEach((l, i) => out.push(line(indent, p.green, l, i === 0 ? prefix : ' '.repeat(prefix.length))));
  } else if (Array.isArray(v)) {
    const listColor = retcode !== 0 ? p.red : p.green;
    for (const item of v) {
      if (item !== null && typeof item === 'object') {
        out.push(line(indent, listColor, '|_'));
        display(item, indent + 2, Array.isArray(item) ? '- ' : '', out, p, retcode);
      } else {
        display(item, indent, '- ', out, p, retcode);
      }
    }
  } else if (typeof v === 'object') {
    if (indent) out.push(line(indent, keyColor, '----------'));
    const obj = v as Record<string, unknown>;
    for (const key of Object.keys(obj).sort(cmpCodePoints)) {
      out.push(line(indent, keyColor, key, prefix, ':'));
      display(obj[key], indent + 4, '', out, p, retcode);
    }
  } else {
    out.push(line(indent, p.green, String(v), prefix));
  }
}

/** Python's sort order for str keys (code points, not UTF-16 units). */
function cmpCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}
