/**
 * service.masked / service.unmasked (systemd only): a masked unit cannot be started at all.
 * `runtime: True` manages the runtime mask (/run/systemd/system, gone at reboot) instead of the indefinite one;
 * the two are independent, as in systemd.
 */
import type { StateFunction } from '../../engine/types.js';
import { isTrue } from './select.js';
import { emptyResult, guarded, prepare } from './state.js';

function maskState(want: boolean): StateFunction {
  return guarded(async (ctx, name, args) => {
    const ret = emptyResult(name);
    const p = await prepare(ctx, args);
    const { be, o } = p;
    if (!be.masked || !be.mask || !be.unmask) {
      return { ...ret, result: false, comment: 'Service masking not available on this minion' };
    }
    const runtime = isTrue(args['runtime']);
    const type = runtime ? 'runtime masked' : 'masked';
    const word = want ? type : runtime ? 'runtime unmasked' : 'unmasked';
    const changes = { [type]: { old: !want, new: want } };
    if ((await be.masked(name, runtime, o)) === want) {
      return { ...ret, comment: want ? `Service ${name} is already ${word}` : `Service ${name} was already ${word}` };
    }
    if (ctx.test) return { ...ret, result: null, changes, comment: `Service ${name} would be ${word}` };
    await (want ? be.mask(name, runtime, o) : be.unmask(name, runtime, o));
    if ((await be.masked(name, runtime, o)) === want) return { ...ret, changes, comment: `Service ${name} was ${word}` };
    return { ...ret, result: false, comment: `Failed to ${want ? 'mask' : 'unmask'} service ${name}` };
  });
}

/**
 * Ensure a systemd unit is masked.
 *
 * @example
 * ctrl-alt-del.target:
 *   service.masked: []
 */
export const masked = maskState(true);

/**
 * Ensure a systemd unit is not masked.
 *
 * @example
 * nginx:
 *   service.unmasked:
 *     - runtime: False
 */
export const unmasked = maskState(false);
