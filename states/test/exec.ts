/**
 * `test.*` execution functions used by onlyif/unless checks and templates (test.ping and test.version live in
 * engine/functions/test.ts; these add to the same `test` namespace).
 *
 * ```yaml
 * - onlyif:
 *   - fun: test.true
 * - unless:
 *   - fun: test.retcode
 *     code: 0
 * ```
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { setRetcode } from '../../engine/runner/retcode.js';
import type { ExecModule } from '../../engine/types.js';

export const testExecModule: ExecModule = {
  name: 'test',
  doc: 'Execution functions for checks and templates: true, false, echo, retcode, sleep, arg.',
  functions: {
    true: { fn: () => true, doc: 'Return True.\n\n    halite call test.true' },
    false: { fn: () => false, doc: 'Return False.\n\n    halite call test.false' },
    echo: { fn: (_c, args, kw) => String(args[0] ?? kw.text ?? ''), doc: 'Return the text given.\n\n    halite call test.echo hello' },
    retcode: {
      fn: (ctx, args, kw) => {
        const code = Number(args[0] ?? kw.code ?? 42);
        setRetcode(ctx, Number.isFinite(code) ? code : 42);
        return true;
      },
      doc: 'Set the return code (default 42) and return True: a non-zero code makes an onlyif false.\n\n    halite call test.retcode 3',
    },
    sleep: {
      fn: async (ctx, args, kw) => {
        const s = Number(args[0] ?? kw.length ?? 0);
        if (s > 0) await sleep(s * 1000, undefined, { signal: ctx.signal });
        return true;
      },
      doc: 'Sleep that many seconds, return True.\n\n    halite call test.sleep 2',
    },
    arg: {
      fn: (_c, args, kw) => ({ args, kwargs: kw }),
      doc: 'Return the arguments as received.\n\n    halite call test.arg a b key=value',
    },
  },
};
