/**
 * `cmd.*` execution functions: run a command on the target and return its output (run, run_stdout), its exit
 * code (retcode) or everything (run_all, script). Each has a synchronous form for templates
 * (`{{ salt['cmd.run']('hostname -f') }}`). A string command is a shell snippet; a list is an argv.
 *
 * ```
 * halite call cmd.run 'uptime'
 * halite call cmd.run_all 'ls /nope'       → {pid, retcode: 2, stdout: '', stderr: 'ls: …'}
 * ```
 */
import type { Dict, ExecContext, ExecModule } from '../../engine/types.js';
import { runAll, runAllSync, type RunAll } from './command.js';
import { runScript, runScriptSync } from './script.js';

const cmdOf = (args: unknown[], kw: Dict): unknown => args[0] ?? kw.cmd;
const kwOf = (kw: Dict): Dict => {
  const k = { ...kw };
  delete k.cmd;
  return k;
};

function variant(pick: (r: RunAll) => unknown): { fn: (c: ExecContext, a: unknown[], k: Dict) => Promise<unknown>; sync: (c: ExecContext, a: unknown[], k: Dict) => unknown } {
  return {
    fn: async (ctx, args, kw) => pick(await runAll(ctx, cmdOf(args, kw), kwOf(kw))),
    sync: (ctx, args, kw) => pick(runAllSync(ctx, cmdOf(args, kw), kwOf(kw))),
  };
}

export const cmdExecModule: ExecModule = {
  name: 'cmd',
  doc: 'Run commands on the target.',
  functions: {
    run: { ...variant((r) => r.stdout), doc: "Run a command, return its stdout.\n\n    halite call cmd.run 'uname -a'" },
    run_stdout: { ...variant((r) => r.stdout), doc: "Run a command, return its stdout.\n\n    halite call cmd.run_stdout 'id -u'" },
    run_stderr: { ...variant((r) => r.stderr), doc: "Run a command, return its stderr.\n\n    halite call cmd.run_stderr 'ls /nope'" },
    run_all: { ...variant((r) => r), doc: "Run a command, return {pid, retcode, stdout, stderr}.\n\n    halite call cmd.run_all 'ls /'" },
    retcode: { ...variant((r) => r.retcode), doc: "Run a command, return its exit code.\n\n    halite call cmd.retcode 'test -e /etc/x'" },
    script: {
      fn: (ctx, args, kw) => runScript(ctx, String(args[0] ?? kw.source ?? ''), { ...kw, args: args[1] ?? kw.args }),
      sync: (ctx, args, kw) => runScriptSync(ctx, String(args[0] ?? kw.source ?? ''), { ...kw, args: args[1] ?? kw.args }),
      doc: 'Run a script from the file server with arguments, return run_all.\n\n    halite call cmd.script salt://scripts/x.sh "--fast"',
    },
  },
};
