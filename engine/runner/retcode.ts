/**
 * Salt's `__context__["retcode"]`: an execution function may report a return code besides its value
 * (`cmd.run` sets the command's exit code, `test.retcode` sets the one asked for). `onlyif`/`unless` entries
 * written as `{fun: …}` read it: a non-zero code counts as false, whatever the value.
 *
 * ```yaml
 * - onlyif:
 *   - fun: cmd.retcode
 *     args: ['test -e /etc/x']
 * ```
 */
import type { ExecContext } from '../types.js';

const codes = new WeakMap<object, number>();

/** Record `code` as the return code of the function running with `ctx`. */
export function setRetcode(ctx: ExecContext, code: number): void {
  codes.set(ctx, code);
}

/** The return code recorded for `ctx`, if any. */
export function getRetcode(ctx: ExecContext): number | undefined {
  return codes.get(ctx);
}
