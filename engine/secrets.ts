/**
 * The set of strings that must never be printed: private keys, secret pillar values. Every outputter and logger
 * passes its text through `mask` before writing. One instance per minion, handed around explicitly.
 */
export const MASK = '<redacted>';

export class Secrets {
  private readonly set = new Set<string>();

  /** Register a secret. Very short values (under 4 characters) are ignored: masking them would garble output. */
  add(value: string): void {
    if (typeof value === 'string' && value.length >= 4) this.set.add(value);
    // Multi-line secrets (PEM keys) are also masked line by line, so a diff hunk cannot leak them.
    if (typeof value === 'string' && value.includes('\n')) {
      for (const line of value.split('\n')) if (line.trim().length >= 16) this.set.add(line.trim());
    }
  }

  has(value: string): boolean {
    return this.set.has(value);
  }

  get size(): number {
    return this.set.size;
  }

  /** Replace every registered secret in `text` (longest first, so a PEM block is masked whole). */
  mask(text: string): string {
    if (this.set.size === 0 || !text) return text;
    let out = text;
    for (const s of [...this.set].sort((a, b) => b.length - a.length)) {
      if (out.includes(s)) out = out.split(s).join(MASK);
    }
    return out;
  }

  /** Deep-mask every string in a JSON-like value (for --out json/yaml). */
  maskData<T>(data: T): T {
    if (this.set.size === 0) return data;
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.mask(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) o[this.mask(k)] = walk(x);
        return o;
      }
      return v;
    };
    return walk(data) as T;
  }
}
