/**
 * Enable/disable at boot, shared by service.running/dead (`enable:`) and service.enabled/disabled.
 * Salt's wording: the comment says the boot setting and the run state (`started`: true running, false dead,
 * null "in the desired state" when the caller did not touch the run state).
 */
import { HaliteError } from '../../engine/errors.js';
import type { Dict } from '../../engine/types.js';
import type { ServiceBackend, ServiceOpts } from './backend.js';

/** The parts of a StateResult a boot step sets (merged over the caller's, like Salt's ret.update). */
export interface BootOutcome {
  result: boolean | null;
  comment: string;
  changes?: Dict;
}

export interface BootStep {
  be: ServiceBackend;
  name: string;
  /** true: make it start at boot; false: make it not. */
  want: boolean;
  /** Run state to report; null when the caller made no run-state change. */
  started: boolean | null;
  /** Result to report when the boot setting is already right or gets set (the caller's own result). */
  result?: boolean;
  test: boolean;
  o?: ServiceOpts;
}

function tail(started: boolean | null): string {
  if (started === true) return 'and is running';
  if (started === null) return 'and is in the desired state';
  return 'and is dead';
}

function failTail(want: boolean, started: boolean | null): string {
  if (started === null) return 'but the service was already running';
  if (started === true) return want ? 'but the service is running' : 'and is running';
  return 'and the service is dead';
}

/**
 * Inspect the boot setting and, unless in test mode, change it; then re-inspect.
 *
 * @example
 * await ensureBoot({ be, name: 'cron', want: true, started: null, test: false })
 * // { result: true, comment: 'Service cron has been enabled, and is in the desired state', changes: { cron: true } }
 */
export async function ensureBoot(s: BootStep): Promise<BootOutcome> {
  const { be, name, want, started, test } = s;
  const result = s.result ?? true;
  const word = want ? 'enabled' : 'disabled';
  const o = s.o ?? {};
  if (!(await be.available(name, o))) {
    // Disabling something that does not exist is fine; enabling it is not.
    return { result: !want, comment: `The named service ${name} is not available` };
  }
  const before = (await be.enabled(name, o)) === want;
  if (before) {
    const out: BootOutcome = { result, comment: `Service ${name} is already ${word}, ${tail(started)}` };
    if (started === null) out.changes = {};
    return out;
  }
  if (test) {
    return { result: null, comment: `Service ${name} set to be ${word}`, changes: { [name]: true } };
  }
  let error = '';
  try {
    if (await (want ? be.enable(name, o) : be.disable(name, o))) {
      const after = (await be.enabled(name, o)) === want;
      return {
        result,
        comment: `Service ${name} has been ${word}, ${tail(started)}`,
        changes: after !== before ? { [name]: true } : {},
      };
    }
  } catch (e) {
    if (!(e instanceof HaliteError)) throw e;
    error = e.message;
  }
  const verb = want ? 'start at boot' : 'not start at boot';
  let comment = `Failed when setting service ${name} to ${verb}, ${failTail(want, started)}`;
  if (error) comment += `. Additional information follows:\n\n${error}`;
  return { result: false, comment };
}
