/**
 * Salt's `highstate` outputter over a RunReport: one block per state in `__run_num__` order, then the summary.
 *
 * ```
 * local:
 * ----------
 *           ID: B
 *     Function: cmd.run
 *         Name: echo hi
 *       Result: True
 * ...
 * Summary for local
 * ------------
 * Succeeded: 2 (changed=2)
 * ```
 * Modes (`state_output`): full, terse, mixed, changes and their `_id` variants; `state_verbose: false` hides
 * successful states without changes. Compile errors print `Data failed to compile:` and, for halite, the
 * location of each error on the line after it.
 */
import { formatLocation } from '../errors.js';
import type { RunReport } from '../types.js';
import { palette, type Palette } from './colors.js';
import { nested } from './nested.js';
import { pyScalar, splitLines } from './pyfmt.js';

export type StateOutputMode = 'full' | 'terse' | 'mixed' | 'changes' | 'full_id' | 'terse_id' | 'mixed_id' | 'changes_id';

export interface HighstateOptions {
  stateOutput?: string;
  stateVerbose?: boolean;
  /** Print Started/Duration and Total run time (Salt's `state_output_profile`, default true). */
  profile?: boolean;
  color?: boolean;
}

type Rec = Record<string, unknown>;

interface Tally {
  counts: Map<string, number>; // 'true' | 'false' | 'null' | 'warnings'
  durations: number[];
  parallel: number[];
  nchanges: number;
}

/** Render a report (kind 'states' or 'errors') as Salt's highstate text, without the trailing newline. */
export function highstate(report: RunReport, o: HighstateOptions = {}): string {
  const p = palette(o.color ?? false);
  const { data } = report;
  let hcolor = p.green;
  const body: string[] = [];
  if (Array.isArray(data)) {
    hcolor = p.lightRed;
    body.push(...compileErrorLines(data, report.errorDetails, p));
  } else if (typeof data === 'string' || typeof data === 'number') {
    for (const l of splitLines(String(data))) body.push(p.green(`    ${l}`));
    hcolor = p.cyan;
  } else if (data && typeof data === 'object') {
    const r = stateBlocks(data as Rec, report.host, o, p);
    body.push(...r.lines);
    if (r.failed) hcolor = p.red;
    else if (r.anyNone) hcolor = p.lightYellow;
  }
  return [hcolor(`${report.host}:`), ...body].join('\n');
}

function compileErrorLines(errs: unknown[], details: RunReport['errorDetails'], p: Palette): string[] {
  const out = [p.lightRed('    Data failed to compile:')];
  errs.forEach((e, i) => {
    const d = details?.[i];
    const where = d ? formatLocation({ file: d.file, line: d.line, id: d.id }) : '';
    out.push(p.lightRed(`----------\n    ${String(e)}`) + (where ? `\n    ${where}` : ''));
  });
  return out;
}

function stateBlocks(data: Rec, host: string, o: HighstateOptions, p: Palette): { lines: string[]; failed: boolean; anyNone: boolean } {
  const lines: string[] = [];
  const recs: [string, Rec][] = [];
  for (const [tag, info] of Object.entries(data)) {
    if (!info || typeof info !== 'object' || Array.isArray(info)) continue;
    const r = info as Rec;
    if (tag !== 'changes' && Object.keys(r).length && !('__run_num__' in r)) {
      lines.unshift(
        'The State execution failed to record the order in which all states were executed. The state return missing data is:',
        JSON.stringify(r),
      );
    }
    if ('result' in r) recs.push([tag, r]);
  }
  recs.sort((a, b) => num(a[1].__run_num__) - num(b[1].__run_num__));
  const t: Tally = { counts: new Map(), durations: [], parallel: [], nchanges: 0 };
  const mode = (o.stateOutput ?? 'full').toLowerCase();
  const profile = o.profile ?? true;
  let failed = false;
  let anyNone = false;
  for (const [tag, r] of recs) {
    const key = String(r.result ?? null);
    t.counts.set(key, (t.counts.get(key) ?? 0) + 1);
    const d = parseDuration(r.duration);
    t.durations.push(d);
    if (r.__parallel__) t.parallel.push(d);
    const changed = hasChanges(r.changes);
    if (changed) t.nchanges++;
    if (r.result === false) failed = true;
    if (r.result === null || r.result === undefined) anyNone = true;
    if (o.stateVerbose === false && r.result && !changed) continue;
    const comps = tag.split('_|-');
    if (mode.endsWith('_id')) comps[2] = comps[1] ?? '';
    const paint = r.result === false ? p.red : r.result == null ? p.lightYellow : changed ? p.cyan : p.green;
    const terse =
      mode.startsWith('terse') ||
      (mode.startsWith('mixed') && r.result !== false) ||
      (mode.startsWith('changes') && Boolean(r.result) && !changed);
    if (terse) lines.push(terseLine(comps, r, changed, profile, paint));
    else lines.push(...fullBlock(comps, r, profile, paint, p));
    if (Array.isArray(r.warnings)) t.counts.set('warnings', (t.counts.get('warnings') ?? 0) + 1);
  }
  lines.push(...summary(host, t, profile, p));
  return { lines, failed, anyNone };
}

function fullBlock(comps: string[], r: Rec, profile: boolean, paint: (s: string) => string, p: Palette): string[] {
  const out = [
    paint('----------'),
    `    ${paint(`      ID: ${comps[1] ?? ''}`)}`,
    `    ${paint(`Function: ${comps[0] ?? ''}.${comps[3] ?? ''}`)}`,
  ];
  if (comps[1] !== comps[2]) out.push(`    ${paint(`    Name: ${comps[2] ?? ''}`)}`);
  out.push(`    ${paint(`  Result: ${pyScalar(r.result)}`)}`);
  out.push(`    ${paint(` Comment: ${formatComment(r)}`)}`);
  if (profile && 'start_time' in r) {
    out.push(`    ${paint(` Started: ${String(r.start_time ?? '')}`)}`);
    const d = r.duration === undefined || r.duration === '' ? '' : `${pyScalar(r.duration, true)} ms`;
    out.push(`    ${paint(`Duration: ${d}`)}`);
  }
  out.push(paint(`     Changes:   ${changesText(r.changes)}`));
  if (Array.isArray(r.warnings) && r.warnings.length) {
    const text = wrap(r.warnings.map(String).join('\n'), 80, 14).trimStart();
    out.push(`   ${p.lightRed(` Warnings: ${text}`)}`);
  }
  return out;
}

function formatComment(r: Rec): string {
  const c = r.comment;
  let text: string;
  if (Array.isArray(c)) text = c.map(String).join(' ').replace(/\n/g, `\n${' '.repeat(13)}`);
  else text = (typeof c === 'string' ? c : pyScalar(c)).trim().replace(/\n/g, `\n${' '.repeat(14)}`);
  if ('data' in r) {
    const d = r.data;
    if (Array.isArray(d)) for (const item of d) text = `${text} ${pyScalar(item)}`;
    else if (d && typeof d === 'object') for (const [k, v] of Object.entries(d)) text = `${text}\n\t\t${k}: ${pyScalar(v)}`;
    else text = `${text} ${pyScalar(d)}`;
  }
  return text;
}

function changesText(changes: unknown): string {
  if (!hasChanges(changes)) return '';
  if (typeof changes !== 'object' || Array.isArray(changes)) return `Invalid Changes data: ${String(changes)}`;
  return `\n${nested(changes, { indent: 14 })}`;
}

function terseLine(comps: string[], r: Rec, changed: boolean, profile: boolean, paint: (s: string) => string): string {
  let result = changed ? 'Changed' : 'Clean';
  if (r.result === false) result = 'Failed';
  else if (r.result == null) result = 'Differs';
  let s = `Name: ${comps[2] ?? ''} - Function: ${comps[0] ?? ''}.${comps[3] ?? ''} - Result: ${result}`;
  if (profile && 'start_time' in r) s += ` - Started: ${String(r.start_time)} - Duration: ${pyScalar(r.duration, true)} ms`;
  return `  ${paint(s)}`;
}

function summary(host: string, t: Tally, profile: boolean, p: Palette): string[] {
  const count = (k: string): number => t.counts.get(k) ?? 0;
  const countLen = Math.max(0, ...[...t.counts.values()].map((n) => String(n).length));
  const width = 'Succeeded'.length + countLen + 2;
  const field = (label: string, n: number): string => `${label}: ${String(n).padStart(width - (label.length + 2))}`;
  const stats: string[] = [];
  if (count('null') > 0) stats.push(p.lightYellow(`unchanged=${count('null')}`));
  if (t.nchanges > 0) stats.push(p.green(`changed=${t.nchanges}`));
  const out = [
    p.cyan(`\nSummary for ${host}\n${'-'.repeat(width)}`),
    p.green(field('Succeeded', count('true') + count('null'))) + (stats.length ? ` (${stats.join(', ')})` : ''),
    (count('false') ? p.red : p.cyan)(field('Failed', count('false'))),
  ];
  if (count('warnings')) out.push(p.lightRed(field('Warnings', count('warnings'))));
  const total = [...t.counts.entries()].filter(([k]) => k !== 'warnings').reduce((a, [, n]) => a + n, 0);
  out.push(p.cyan(`${'-'.repeat(width)}\nTotal states run: ${String(total).padStart(width - 7)}`));
  if (profile) {
    let sum = t.durations.reduce((a, b) => a + b, 0);
    if (t.parallel.length) sum = sum - t.parallel.reduce((a, b) => a + b, 0) + Math.max(...t.parallel);
    let unit = 'ms';
    if (sum > 999) {
      sum /= 1000;
      unit = 's';
    }
    out.push(p.cyan(`Total run time: ${sum.toFixed(3).padStart(width - 5)} ${unit}`));
  }
  return out;
}

function hasChanges(c: unknown): boolean {
  if (!c) return false;
  if (typeof c === 'object') return Array.isArray(c) ? c.length > 0 : Object.keys(c).length > 0;
  return true;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

function parseDuration(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = parseFloat(v);
    return Number.isFinite(n) ? n : 0;
  }
  return 0;
}

/** textwrap.fill-like: wrap words at `width`, every line indented by `indent` spaces. */
function wrap(text: string, width: number, indent: number): string {
  const pad = ' '.repeat(indent);
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = pad;
  for (const w of words) {
    if (cur.length > indent && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = pad + w;
    } else cur = cur.length > indent ? `${cur} ${w}` : cur + w;
  }
  lines.push(cur);
  return lines.join('\n');
}
