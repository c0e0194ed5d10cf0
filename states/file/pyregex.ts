/**
 * Python `re` → JavaScript RegExp, for the patterns Salt users write (file.replace, file.line, file.comment …):
 * named groups `(?P<n>…)`, `(?P=n)`, leading inline flags `(?i)`, `\A`/`\Z`, Salt's `flags` argument
 * (int or names), and replacement strings (`\1`, `\g<1>`, `\g<name>`).
 */

const FLAG_BITS: Record<string, number> = { I: 2, IGNORECASE: 2, L: 4, LOCALE: 4, M: 8, MULTILINE: 8, S: 16, DOTALL: 16, U: 32, UNICODE: 32, X: 64, VERBOSE: 64 };

/** Salt's `flags` (int, name or list of names) → bit mask. */
export function flagBits(flags: unknown, dflt: number): number {
  if (flags === undefined || flags === null) return dflt;
  if (typeof flags === 'number') return flags;
  const names = Array.isArray(flags) ? flags : [flags];
  let bits = 0;
  for (const n of names) {
    const key = String(n).toUpperCase().replace(/^RE\./, '');
    if (/^\d+$/.test(key)) bits |= Number(key);
    else if (FLAG_BITS[key] !== undefined) bits |= FLAG_BITS[key]!;
    else throw new Error(`Invalid regex flag '${String(n)}'`);
  }
  return bits;
}

/** Compile a Python-style pattern. `bits` are Python re flag bits; `global` adds 'g'. */
export function pyRegex(pattern: string, bits = 0, global = false): RegExp {
  let src = pattern;
  let b = bits;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    for (const c of inline[1]!) b |= c === 'i' ? 2 : c === 'm' ? 8 : c === 's' ? 16 : 0;
    src = src.slice(inline[0].length);
  }
  src = src
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '(?<![\\s\\S])')
    .replace(/\\Z/g, '(?![\\s\\S])');
  let f = global ? 'g' : '';
  if (b & 2) f += 'i';
  if (b & 8) f += 'm';
  if (b & 16) f += 's';
  return new RegExp(src, f);
}

/** Python replacement string → a function usable with String.replace (no `$` surprises). */
export function pyRepl(repl: string): (match: string, ...rest: unknown[]) => string {
  return (match: string, ...rest: unknown[]) => {
    const last = rest[rest.length - 1];
    const named = last && typeof last === 'object' ? (last as Record<string, string | undefined>) : {};
    const groups = rest.slice(0, typeof last === 'object' && last ? -3 : -2) as (string | undefined)[];
    const grp = (k: string): string => {
      if (/^\d+$/.test(k)) return Number(k) === 0 ? match : groups[Number(k) - 1] ?? '';
      return named[k] ?? '';
    };
    let out = '';
    for (let i = 0; i < repl.length; i++) {
      const c = repl[i]!;
      if (c !== '\\' || i === repl.length - 1) {
        out += c;
        continue;
      }
      const n = repl[i + 1]!;
      const g = /^g<(\w+)>/.exec(repl.slice(i + 1));
      const d = /^\d{1,2}/.exec(repl.slice(i + 1));
      if (g) {
        out += grp(g[1]!);
        i += g[0].length;
      } else if (d) {
        out += grp(d[0]);
        i += d[0].length;
      } else {
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n === '\\' ? '\\' : `\\${n}`;
        i += 1;
      }
    }
    return out;
  };
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
