/**
 * The `test` state module: states that pretend, for trying requisites, outputters and test mode
 * (Salt's salt/states/test.py, same comments and changes).
 *
 * ```yaml
 * pretend:
 *   test.succeed_with_changes: []
 * notify:
 *   test.show_notification:
 *     - text: deploy finished
 * flaky:
 *   test.configurable_test_state:
 *     - changes: True
 *     - result: False
 *     - comment: it broke
 * ```
 */
import { chunkTag, type Dict, type LowChunk, type StateContext, type StateModule, type StateRecord, type StateResult } from '../../engine/types.js';

/** The changes every pretending state reports. */
export const PRETEND_CHANGES = { testing: { old: 'Unchanged', new: 'Something pretended to change' } };

const commentOf = (args: Dict, dflt: string): string => (typeof args.comment === 'string' ? args.comment : dflt);

async function succeedWithoutChanges(_ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  return { name, changes: {}, result: true, comment: commentOf(args, 'Success!') };
}

async function failWithoutChanges(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  if (ctx.test) return { name, changes: {}, result: false, comment: "If we weren't testing, this would be a failure!" };
  return { name, changes: {}, result: false, comment: commentOf(args, 'Failure!') };
}

async function succeedWithChanges(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const changes = structuredClone(PRETEND_CHANGES);
  if (ctx.test) return { name, changes, result: null, comment: "If we weren't testing, this would be successful with changes" };
  return { name, changes, result: true, comment: commentOf(args, 'Success!') };
}

async function failWithChanges(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const changes = structuredClone(PRETEND_CHANGES);
  if (ctx.test) return { name, changes, result: null, comment: "If we weren't testing, this would be failed with changes" };
  return { name, changes, result: false, comment: commentOf(args, 'Failure!') };
}

/** Salt's reading of True/False/"Random" arguments of configurable_test_state. */
function tri(v: unknown, what: string): boolean | 'random' {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'random') return 'random';
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  throw new Error(
    `You have specified the state option '${what}' with invalid arguments. It must be either 'True', 'False', or 'Random'`,
  );
}

async function configurable(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const ch = tri(args.changes ?? true, 'Changes');
  const rs = tri(args.result ?? true, 'Result');
  const changed = ch === 'random' ? Math.random() < 0.5 : ch;
  const comment = typeof args.comment === 'string' ? args.comment : '';
  const ret: StateResult = {
    name,
    changes: changed ? structuredClone(PRETEND_CHANGES) : {},
    result: rs === 'random' ? Math.random() < 0.5 : rs,
    comment,
  };
  if (args.warnings !== undefined && args.warnings !== null) ret.warnings = Array.isArray(args.warnings) ? args.warnings.map(String) : [String(args.warnings)];
  if (ctx.test) {
    ret.result = ch === false ? true : null;
    ret.comment = comment || 'This is a test';
  }
  return ret;
}

async function showNotification(_ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  if (args.text === undefined || args.text === null || args.text === '') throw new Error('Missing required argument text.');
  return { name, changes: {}, result: true, comment: String(args.text) };
}

/** `watch` fired: lists the watched states that changed. Does not honour test mode (as Salt). */
async function modWatch(ctx: StateContext, name: string, args: Dict): Promise<StateResult> {
  const low = ctx.low as LowChunk & { __reqs__?: Record<string, LowChunk[]>; __running__?: Record<string, StateRecord> };
  const changed: string[] = [];
  for (const req of [...(low.__reqs__?.watch ?? []), ...(low.__reqs__?.watch_any ?? [])]) {
    const rec = low.__running__?.[chunkTag(req)];
    if (rec && rec.changes && Object.keys(rec.changes).length) changed.push(`${req.state}: ${req.__id__}`);
  }
  return {
    name,
    result: typeof args.result === 'boolean' ? args.result : true,
    comment: typeof args.comment === 'string' ? args.comment : 'Watch statement fired.',
    changes: args.changes && typeof args.changes === 'object' ? (args.changes as Dict) : { 'Requisites with changes': changed },
  };
}

export const testStateModule: StateModule = {
  name: 'test',
  doc: 'States that pretend: for trying requisites, outputters and test mode.',
  mod_watch: modWatch,
  functions: {
    succeed_without_changes: { fn: succeedWithoutChanges, anyKwargs: true, doc: 'Succeed, report no changes (`comment:` sets the comment).' },
    succeed_with_changes: { fn: succeedWithChanges, anyKwargs: true, doc: 'Succeed and report a pretend change.' },
    fail_without_changes: { fn: failWithoutChanges, anyKwargs: true, doc: 'Fail, report no changes (also under test=True).' },
    fail_with_changes: { fn: failWithChanges, anyKwargs: true, doc: 'Fail and report a pretend change.' },
    nop: { fn: (ctx, name) => succeedWithoutChanges(ctx, name, {}), anyKwargs: true, doc: 'Do nothing, succeed.' },
    configurable_test_state: {
      fn: configurable,
      params: ['changes', 'result', 'comment', 'warnings'],
      doc: 'Result, changes and comment as given: `changes: True|False|Random`, `result: True|False|Random`.',
    },
    show_notification: { fn: showNotification, anyKwargs: true, doc: 'Show `text` as the comment.' },
    mod_watch: { fn: modWatch, anyKwargs: true, doc: 'What a watch on a test state does.' },
  },
};
