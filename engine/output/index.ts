/**
 * Outputters over one RunReport: `highstate`, `json`, `yaml`, `nested`, `txt` — what `salt-call --out X` prints —
 * and halite's `raw` (the bare return value, for piping).
 * Each returns the full stdout text (ending with a newline). Secrets are masked by the caller before and after.
 */
import { dump } from 'js-yaml';
import type { RunReport } from '../types.js';
import { highstate, type HighstateOptions } from './highstate.js';
import { nested } from './nested.js';
import { pyRepr, splitLines } from './pyfmt.js';

export type OutputFormat = 'highstate' | 'json' | 'yaml' | 'nested' | 'txt' | 'raw';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['highstate', 'json', 'yaml', 'nested', 'txt', 'raw'];

export interface OutputOptions extends HighstateOptions {
  /** Chosen with --out; default: highstate for state runs and compile errors, nested for plain data. */
  out?: OutputFormat;
}

/** The outputter Salt would pick for a report when --out is not given. */
export function defaultFormat(report: RunReport): OutputFormat {
  return report.kind === 'data' ? 'nested' : 'highstate';
}

/** Render a report as the chosen outputter's stdout text. */
export function formatReport(report: RunReport, o: OutputOptions = {}): string {
  const fmt = o.out ?? defaultFormat(report);
  const wrapped = { [report.host]: report.data };
  switch (fmt) {
    case 'json':
      return `${toJson(wrapped)}\n`;
    case 'yaml':
      return dump(toPlain(wrapped), { lineWidth: -1, noRefs: true, seqNoIndent: true });
    case 'txt':
      return txt(wrapped);
    case 'raw':
      // The bare return, no host header: a string as is (`state.show_graph … --out raw | dot -Tsvg`), else JSON.
      return typeof report.data === 'string' ? (report.data.endsWith('\n') ? report.data : `${report.data}\n`) : `${toJson(report.data)}\n`;
    case 'nested':
      return `${nested(wrapped, { color: o.color, retcode: report.retcode })}\n`;
    case 'highstate':
      if (report.kind === 'data') return `${nested(wrapped, { color: o.color, retcode: report.retcode })}\n`;
      return `${highstate(report, o)}\n`;
  }
}

/** `salt-call --out json`: 4-space indent; undefined values become null like Python's None. */
export function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x === undefined ? null : x), 4);
}

function toPlain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x === undefined ? null : x)) ?? 'null');
}

function txt(data: Record<string, unknown>): string {
  let out = '';
  for (const [k, v] of Object.entries(data)) {
    if (typeof v === 'string') for (const l of splitLines(v)) out += `${k}: ${l}\n`;
    else out += `${k}: ${pyRepr(v)}\n`;
  }
  return out;
}
