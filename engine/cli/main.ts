#!/usr/bin/env node
/**
 * The `halite` command. `halite call <function> [args…] [key=value…]` works like `salt-call --local`.
 *
 * ```
 * halite call state.apply test=True
 * halite call --config-dir examples/webapp/etc state.sls webapp --out json
 * ```
 * Only yargs is loaded up front; the engine and the state modules are imported when a command runs.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { haliteVersion } from '../functions/test.js';
import type { CallCliOptions } from './call.js';

const OUTS = ['highstate', 'json', 'yaml', 'nested', 'txt', 'raw'];
const STATE_OUTPUTS = ['full', 'terse', 'mixed', 'changes', 'full_id', 'terse_id', 'mixed_id', 'changes_id'];
const LEVELS = ['all', 'garbage', 'trace', 'debug', 'info', 'warning', 'error', 'critical', 'quiet'];

async function main(): Promise<number> {
  let code = 0;
  const cli = yargs(hideBin(process.argv))
    .scriptName('halite')
    .parserConfiguration({ 'parse-numbers': false, 'parse-positional-numbers': false, 'camel-case-expansion': false, 'populate--': true })
    .option('config-dir', { alias: 'c', type: 'string', default: '/etc/halite', describe: 'Directory holding the minion and master YAML files' })
    .option('file-root', { type: 'string', array: true, describe: 'Use this directory as file_roots.base (repeatable)' })
    .option('pillar-root', { type: 'string', array: true, describe: 'Use this directory as pillar_roots.base (repeatable)' })
    .option('out', { type: 'string', choices: OUTS, describe: 'Outputter (default: highstate for state runs, nested otherwise)' })
    .option('state-output', { type: 'string', choices: STATE_OUTPUTS, describe: 'Highstate layout per state' })
    .option('state-verbose', { type: 'string', describe: 'False: hide states that succeeded without changes' })
    .option('log-level', { alias: 'l', type: 'string', choices: LEVELS, default: 'warning', describe: 'Log level on stderr' })
    .option('retcode-passthrough', { type: 'boolean', default: false, describe: 'Exit 2 for a failed state, 1 for a compile error' })
    .option('progress', { type: 'boolean', describe: 'Progress line on stderr (default: when stderr is a TTY)' })
    .option('color', { type: 'boolean', describe: 'Colours (default: when stdout is a TTY); --no-color turns them off' })
    .option('force-color', { type: 'boolean', describe: 'Colours even when stdout is not a TTY' })
    .option('from-last-run', { type: 'boolean', describe: 'state.show_graph: colour the states by the last run (from_last_run=True)' })
    .option('local', { type: 'boolean', hidden: true, describe: 'Accepted for salt-call compatibility (always local)' })
    .command(
      'call <fun> [args..]',
      'Run an execution function (state.apply, grains.items, …) like salt-call --local',
      (y) =>
        y
          .positional('fun', { type: 'string', describe: 'Function name, e.g. state.apply' })
          .positional('args', { type: 'string', array: true, describe: 'Positional args and key=value kwargs' }),
      async (a) => {
        const { runCall } = await import('./call.js');
        const o: CallCliOptions = {
          fun: String(a.fun),
          // Words after `--` are arguments even when they look like options (`halite call test.echo -- -x`).
          words: [
            ...((a.args as unknown[] | undefined) ?? []),
            ...((a['--'] as unknown[] | undefined) ?? []),
            ...(a['from-last-run'] ? ['from_last_run=True'] : []),
          ].map(String),
          configDir: String(a['config-dir']),
          fileRoots: a['file-root'] as string[] | undefined,
          pillarRoots: a['pillar-root'] as string[] | undefined,
          out: a.out as CallCliOptions['out'],
          stateOutput: a['state-output'] as string | undefined,
          stateVerbose: a['state-verbose'] as string | undefined,
          logLevel: String(a['log-level']) as CallCliOptions['logLevel'],
          retcodePassthrough: Boolean(a['retcode-passthrough']),
          progress: a.progress as boolean | undefined,
          color: a['force-color'] ? true : (a.color as boolean | undefined),
        };
        code = await runCall(o);
      },
    )
    .command(
      'run <fun> [args..]',
      'Run a runner function (reserved for the virt runner)',
      (y) => y.positional('fun', { type: 'string' }).positional('args', { type: 'string', array: true }),
      (a) => {
        process.stderr.write(`halite run ${String(a.fun)}: no runner functions yet\n`);
        code = 1;
      },
    )
    .demandCommand(1, 'Give a command: halite call <function> [args…]')
    .strictCommands()
    .strictOptions()
    .help()
    .alias('h', 'help')
    .version(haliteVersion())
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`${msg}\nRun 'halite --help' for usage.\n`);
      process.exit(1);
    });
  await cli.parseAsync();
  return code;
}

// `halite call … | head`: a closed stdout is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

// Exit only once stdout has drained: process.exit() right after a large write to a slow pipe cuts it at 64 KB.
main().then(
  (code) => {
    process.exitCode = code;
    process.stdout.write('', () => process.exit(code));
  },
  (e: unknown) => {
    process.stderr.write(`halite: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
