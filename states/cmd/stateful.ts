/**
 * `stateful: True` for cmd.run/cmd.script: the command reports its own state on the last line of stdout —
 * `changed=yes comment='…'` pairs, or a JSON object — instead of "it ran = it changed" (Salt's
 * _reinterpreted_state).
 *
 * ```yaml
 * rotate-keys:
 *   cmd.run:
 *     - name: /usr/local/bin/rotate --report    # prints: changed=no comment="keys are fresh"
 *     - stateful: True
 * ```
 */
import type { Dict, StateResult } from '../../engine/types.js';
import { shlexSplit } from './command.js';

const isTrue = (v: unknown): boolean => v === true || (typeof v === 'string' && ['yes', 'true', '1', 'on'].includes(v.toLowerCase()));

/** Turn a cmd state's result (changes = run_all dict) into what the command said about itself. */
export function reinterpret(state: StateResult): StateResult {
  const run = state.changes as Dict;
  const out: StateResult = { ...state, changes: {}, comment: '' };
  const stdout = typeof run.stdout === 'string' ? run.stdout : '';
  if (!stdout) {
    if (run.stderr) out.comment = String(run.stderr);
    return out;
  }
  let data: Dict;
  let isJson = false;
  let idx = -1;
  try {
    const parsed: unknown = JSON.parse(stdout);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { ...out, result: false, comment: 'script JSON output must be a JSON object (e.g., {})!' };
    }
    data = parsed as Dict;
    isJson = true;
  } catch {
    idx = stdout.trimEnd().lastIndexOf('\n');
    const last = idx === -1 ? stdout : stdout.slice(idx + 1);
    data = {};
    try {
      for (const item of shlexSplit(last)) {
        const parts = item.split('=');
        if (parts.length !== 2) throw new Error('bad pair');
        data[parts[0]!] = parts[1];
      }
    } catch {
      return {
        ...out,
        result: false,
        comment: 'Failed parsing script output! Stdout must be JSON or a line of name=value pairs.',
        changes: { ...run },
      };
    }
  }
  const changed = isTrue(data.changed ?? 'no');
  if ('comment' in data) {
    out.comment = String(data.comment);
    delete data.comment;
  }
  if (changed) {
    for (const [k, v] of Object.entries(run)) if (!(k in data)) data[k] = v;
    data.stdout = isJson ? '' : idx === -1 ? '' : stdout.slice(0, idx);
    out.changes = data;
  }
  return out;
}
