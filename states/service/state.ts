/**
 * service.running, service.dead, service.enabled, service.disabled.
 *
 * Each is inspect (available? running? enabled?) → diff → in test mode return the prediction (result null,
 * the changes the apply would make) → apply → re-inspect. Comments and changes are Salt's
 * (`Started service nginx`, changes `{nginx: true}`), so Salt users' expectations carry over.
 */
import { HaliteError } from '../../engine/errors.js';
import type { Dict, StateContext, StateFunction, StateResult } from '../../engine/types.js';
import type { ServiceBackend, ServiceOpts } from './backend.js';
import { ensureBoot, type BootOutcome } from './boot.js';
import { delay } from './common.js';
import { backendFor, serviceOpts, toBool } from './select.js';

export interface Prepared {
  be: ServiceBackend;
  o: ServiceOpts;
  /** enable: true/false/null (not given). */
  enable: boolean | null;
  /** init_delay in seconds (0 = none). */
  initDelay: number;
}

export function emptyResult(name: string): StateResult {
  return { name, result: true, comment: '', changes: {} };
}

/** Backend + options for a state call. */
export async function prepare(ctx: StateContext, args: Dict): Promise<Prepared> {
  const be = await backendFor(ctx, args['provider'] ?? ctx.low?.['provider']);
  const d = Number(args['init_delay'] ?? 0);
  return { be, o: serviceOpts(args), enable: toBool(args['enable']), initDelay: Number.isFinite(d) && d > 0 ? d : 0 };
}

/** Run a state body; a HaliteError (host or command failure) becomes result false with its message. */
export function guarded(body: StateFunction): StateFunction {
  return async (ctx, name, args) => {
    if ('enabled' in args) {
      return {
        ...emptyResult(name),
        result: false,
        comment: `Service ${name} uses non-existent option "enabled".  Perhaps "enable" option was intended?`,
      };
    }
    try {
      return await body(ctx, name, args);
    } catch (e) {
      if (!(e instanceof HaliteError)) throw e;
      return { ...emptyResult(name), result: false, comment: e.message };
    }
  };
}

function merge(ret: StateResult, b: BootOutcome): StateResult {
  ret.result = b.result;
  ret.comment = b.comment;
  if (b.changes) ret.changes = b.changes;
  return ret;
}

/**
 * The boot step running/dead do when `enable:` is set: always after they acted (so the comment reports the boot
 * setting too), only when it differs (`current`) when they had nothing to do — as Salt does.
 */
async function bootIf(p: Prepared, ctx: StateContext, name: string, started: boolean | null, result: boolean, current?: boolean) {
  if (p.enable === null || p.enable === current) return null;
  return ensureBoot({ be: p.be, name, want: p.enable, started, result, test: ctx.test, o: p.o });
}

/**
 * Ensure the service is running (and, with `enable`, set to start or not at boot).
 *
 * @example
 * nginx:
 *   service.running:
 *     - enable: True
 *     - reload: True      # mod_watch reloads instead of restarting
 *     - watch:
 *       - file: /etc/nginx/nginx.conf
 */
export const running: StateFunction = guarded(async (ctx, name, args) => {
  const ret = emptyResult(name);
  const p = await prepare(ctx, args);
  if (!(await p.be.available(name, p.o))) {
    if (ctx.test) {
      return { ...ret, result: null, comment: `Service ${name} not present; if created in this state run, it would have been started` };
    }
    return { ...ret, result: false, comment: `The named service ${name} is not available` };
  }
  const before = await p.be.status(name, p.o);
  const beforeEnabled = await p.be.enabled(name, p.o);
  if (before) {
    ret.comment = `The service ${name} is already running`;
    const b = await bootIf(p, ctx, name, null, true, beforeEnabled);
    return b ? merge(ret, b) : ret;
  }
  if (ctx.test) {
    return { ...ret, result: null, comment: `Service ${name} is set to start`, changes: { [name]: true } };
  }
  let ok: boolean;
  try {
    ok = await p.be.start(name, p.o);
  } catch (e) {
    if (!(e instanceof HaliteError)) throw e;
    return { ...ret, result: false, comment: e.message };
  }
  if (!ok) {
    ret.result = false;
    ret.comment = `Service ${name} failed to start`;
    const b = await bootIf(p, ctx, name, false, false);
    return b ? merge(ret, b) : ret;
  }
  if (p.initDelay) await delay(p.initDelay * 1000, ctx.signal);
  const after = await p.be.status(name, p.o);
  const afterEnabled = await p.be.enabled(name, p.o);
  if (before !== after || beforeEnabled !== afterEnabled) ret.changes[name] = after;
  ret.result = after;
  ret.comment = after ? `Started service ${name}` : `Service ${name} failed to start`;
  const b = await bootIf(p, ctx, name, after, after);
  if (b) merge(ret, b);
  if (p.initDelay) ret.comment += `\nDelayed return for ${p.initDelay} seconds`;
  return ret;
});

/**
 * Ensure the service is stopped (and, with `enable`, set to start or not at boot).
 *
 * @example
 * cups:
 *   service.dead:
 *     - enable: False
 */
export const dead: StateFunction = guarded(async (ctx, name, args) => {
  const ret = emptyResult(name);
  const p = await prepare(ctx, args);
  if (!(await p.be.available(name, p.o))) {
    if (ctx.test) {
      return { ...ret, result: null, comment: `Service ${name} not present; if created in this state run, it would have been stopped` };
    }
    // Nothing to stop: not a failure.
    return { ...ret, result: true, comment: `The named service ${name} is not available` };
  }
  const before = await p.be.status(name, p.o);
  const beforeEnabled = await p.be.enabled(name, p.o);
  if (!before) {
    ret.comment = `The service ${name} is already dead`;
    const b = await bootIf(p, ctx, name, null, true, beforeEnabled);
    return b ? merge(ret, b) : ret;
  }
  if (ctx.test) {
    const toggles = p.enable !== null && p.enable !== beforeEnabled;
    return { ...ret, result: null, comment: `Service ${name} is set to be killed`, changes: { [name]: toggles } };
  }
  let ok: boolean;
  try {
    ok = await p.be.stop(name, p.o);
  } catch (e) {
    if (!(e instanceof HaliteError)) throw e;
    return { ...ret, result: false, comment: e.message };
  }
  if (!ok) {
    ret.result = false;
    ret.comment = `Service ${name} failed to die`;
    const b = await bootIf(p, ctx, name, true, false);
    return b ? merge(ret, b) : ret;
  }
  if (p.initDelay) await delay(p.initDelay * 1000, ctx.signal);
  const after = await p.be.status(name, p.o);
  const afterEnabled = await p.be.enabled(name, p.o);
  if (before !== after || beforeEnabled !== afterEnabled) ret.changes[name] = after;
  ret.result = !after;
  ret.comment = after ? `Service ${name} failed to die` : `Service ${name} was killed`;
  const b = await bootIf(p, ctx, name, after, !after);
  if (b) merge(ret, b);
  return ret;
});

/**
 * Ensure the service starts at boot, without touching whether it runs now.
 *
 * @example
 * cron:
 *   service.enabled: []
 */
export const enabled: StateFunction = guarded(async (ctx, name, args) => {
  const p = await prepare(ctx, args);
  const ret = merge(emptyResult(name), await ensureBoot({ be: p.be, name, want: true, started: null, test: ctx.test, o: p.o }));
  if (ctx.test && ret.comment === `The named service ${name} is not available`) {
    ret.result = null;
    ret.comment = `Service ${name} not present; if created in this state run, it would have been enabled`;
  }
  return ret;
});

/**
 * Ensure the service does not start at boot, without touching whether it runs now.
 *
 * @example
 * cups:
 *   service.disabled: []
 */
export const disabled: StateFunction = guarded(async (ctx, name, args) => {
  const p = await prepare(ctx, args);
  return merge(emptyResult(name), await ensureBoot({ be: p.be, name, want: false, started: null, test: ctx.test, o: p.o }));
});
