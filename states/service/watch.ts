/**
 * service.mod_watch: what a `watch` requisite does to a service when a watched state changed.
 * For service.running: restart (or `reload: True` → reload, `force: True` with it → force-reload,
 * `full_restart: True` → stop + start); a stopped service is started. For service.dead: stop if running.
 */
import { HaliteError } from '../../engine/errors.js';
import type { StateFunction } from '../../engine/types.js';
import type { ServiceBackend, ServiceOpts } from './backend.js';
import { delay } from './common.js';
import { isTrue } from './select.js';
import { emptyResult, guarded, prepare } from './state.js';

interface Plan {
  verb: string;
  pastParticiple: string;
  act: (be: ServiceBackend, name: string, o: ServiceOpts) => Promise<boolean>;
}

/** What mod_watch will do, given the watcher's function, its args and whether the service runs now. */
export function watchPlan(sfun: string, args: Record<string, unknown>, be: ServiceBackend, isRunning: boolean): Plan | null {
  if (sfun === 'dead') {
    return isRunning ? { verb: 'stop', pastParticiple: 'stopped', act: (b, n, o) => b.stop(n, o) } : null;
  }
  if (!isRunning) {
    return {
      verb: 'start',
      pastParticiple: 'started',
      // A dead service may still hold a stale pidfile or half-state: stop first, ignore the outcome.
      act: async (b, n, o) => {
        await b.stop(n, o).catch(() => false);
        return b.start(n, o);
      },
    };
  }
  if (isTrue(args['reload'])) {
    if (isTrue(args['force']) && be.forceReload) {
      return { verb: 'forcefully reload', pastParticiple: 'forcefully reloaded', act: (b, n, o) => b.forceReload!(n, o) };
    }
    return { verb: 'reload', pastParticiple: 'reloaded', act: (b, n, o) => b.reload(n, o) };
  }
  if (isTrue(args['full_restart']) && be.fullRestart) {
    return { verb: 'fully restart', pastParticiple: 'fully restarted', act: (b, n, o) => b.fullRestart!(n, o) };
  }
  return { verb: 'restart', pastParticiple: 'restarted', act: (b, n, o) => b.restart(n, o) };
}

/**
 * Called by the runner for a service state whose `watch` target changed; `args.sfun` is the watcher's function.
 *
 * @example
 * nginx:
 *   service.running:
 *     - reload: True
 *     - watch:
 *       - file: /etc/nginx/nginx.conf   # a change here reloads nginx
 */
export const modWatch: StateFunction = guarded(async (ctx, name, args) => {
  const ret = emptyResult(name);
  const sfun = String(args['sfun'] ?? ctx.low?.fun ?? '');
  if (sfun !== 'running' && sfun !== 'dead') {
    return { ...ret, result: false, comment: `Unable to trigger watch for service.${sfun}` };
  }
  const p = await prepare(ctx, args);
  if (!(await p.be.available(name, p.o))) {
    if (ctx.test) {
      const would = sfun === 'dead' ? 'stopped' : 'started';
      return { ...ret, result: null, comment: `Service ${name} not present; if created in this state run, it would have been ${would}` };
    }
    return { ...ret, result: sfun === 'dead', comment: `The named service ${name} is not available` };
  }
  const plan = watchPlan(sfun, args, p.be, await p.be.status(name, p.o));
  if (!plan) return { ...ret, comment: 'Service is already stopped' };
  if (ctx.test) {
    return { ...ret, result: null, comment: `Service is set to be ${plan.pastParticiple}`, changes: { [name]: true } };
  }
  let ok: boolean;
  try {
    ok = await plan.act(p.be, name, p.o);
  } catch (e) {
    if (!(e instanceof HaliteError)) throw e;
    return { ...ret, result: false, comment: e.message };
  }
  if (p.initDelay) await delay(p.initDelay * 1000, ctx.signal);
  return {
    ...ret,
    result: ok,
    changes: { [name]: ok },
    comment: ok ? `Service ${plan.pastParticiple}` : `Failed to ${plan.verb} the service`,
  };
});
