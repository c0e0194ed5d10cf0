/**
 * Where each piece of high data came from, kept beside the data (never inside it), and the error list every
 * stage appends to. Errors carry Salt's message text and halite's location (file, line, state ID, SLS).
 */
import { CompileError, type ErrorLocation, type HaliteError } from '../errors.js';
import type { SourcePos } from '../types.js';

export interface SlsSource {
  file: string;
  keyLines: Map<string, number>;
  declLines?: Map<string, number>;
  keyTypes?: Map<string, string>;
}

export class SourceMap {
  /** `env:sls` → rendered file info. */
  readonly sls = new Map<string, SlsSource>();
  /** state ID → where it was declared (first declaration wins). */
  readonly ids = new Map<string, SourcePos & { sls: string; env: string }>();
  /** `${id}\0${module}` → line of that state declaration. */
  readonly decls = new Map<string, number>();
  /** IDs written as non-string YAML scalars (`123:`) → Python type name. */
  readonly idTypes = new Map<string, string>();

  addSls(env: string, sls: string, src: SlsSource): void {
    this.sls.set(`${env}:${sls}`, src);
  }

  fileOf(env: string, sls: string): SlsSource | undefined {
    return this.sls.get(`${env}:${sls}`);
  }

  /** Location of a state ID (optionally of one of its module declarations). */
  locOf(id: string, mod?: string): ErrorLocation {
    const p = this.ids.get(id);
    if (!p) return { id };
    const line = (mod !== undefined ? this.decls.get(`${id}\u0000${mod}`) : undefined) ?? p.line;
    const loc: ErrorLocation = { file: p.file, id, sls: p.sls };
    if (line !== undefined) loc.line = line;
    return loc;
  }

  /** SourcePos map for `Compiled.positions`. */
  positions(): Map<string, SourcePos> {
    const out = new Map<string, SourcePos>();
    for (const [id, p] of this.ids) out.set(id, p.line === undefined ? { file: p.file } : { file: p.file, line: p.line });
    return out;
  }
}

/** Collected errors of one compile; `add` skips exact duplicates (same message and place). */
export class ErrorList {
  readonly items: HaliteError[] = [];
  private readonly seen = new Set<string>();

  add(message: string, loc: ErrorLocation = {}): void {
    const key = `${message}\u0000${loc.file ?? ''}\u0000${loc.line ?? ''}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(new CompileError(message, loc));
  }

  push(e: HaliteError): void {
    this.items.push(e);
  }

  get length(): number {
    return this.items.length;
  }
}
