/**
 * `halite call`: the composition root. Builds the registry from states/index.ts and engine/functions, loads the
 * minion, runs one function, prints the report with the chosen outputter (masked) and returns salt-call's exit code.
 */
import { stateModules, execModules } from '../../states/index.js';
import { engineExecModules } from '../functions/index.js';
import { PROGRESS_KWARG } from '../functions/state-run.js';
import { errorsOutput } from '../functions/state-run-util.js';
import { CompileErrors, HaliteError } from '../errors.js';
import { loadMinion, type Minion } from '../minion.js';
import { formatReport, OUTPUT_FORMATS, type OutputFormat } from '../output/index.js';
import { buildRegistry, CallOutput, type Dict, type Registry, type RunReport } from '../types.js';
import { parseCallArgs, toBool } from './args.js';
import { suggest } from './didyoumean.js';
import { stderrLogger, type LogLevel } from './log.js';
import { progress } from './progress.js';

export interface CallCliOptions {
  fun: string;
  words: string[];
  configDir: string;
  fileRoots?: string[];
  pillarRoots?: string[];
  out?: OutputFormat;
  stateOutput?: string;
  stateVerbose?: string;
  logLevel: LogLevel;
  retcodePassthrough: boolean;
  progress?: boolean;
  color?: boolean;
}

interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
}

/** The registry of everything halite can run (states/ and the engine's own modules). */
export function haliteRegistry(): Registry {
  return buildRegistry(stateModules, [...execModules, ...engineExecModules]);
}

/** Run one call; returns the process exit code (salt-call's rules). Writes only the outputter's text to stdout. */
export async function runCall(o: CallCliOptions, io: Io = process): Promise<number> {
  const log = stderrLogger(o.logLevel, (s) => io.stderr.write(s));
  const registry = haliteRegistry();
  const def = registry.exec.get(o.fun);
  if (!def) {
    const near = suggest(o.fun, registry.exec.keys());
    io.stderr.write(`'${o.fun}' is not available.${near.length ? ` Did you mean: ${near.join(', ')}?` : ''}\n`);
    return 1;
  }
  const { args, kwargs } = parseCallArgs(o.words);
  const pillar = kwargs.pillar;
  if (pillar !== undefined && pillar !== null && (typeof pillar !== 'object' || Array.isArray(pillar))) {
    io.stderr.write('Passed invalid arguments: Pillar data must be formatted as a dictionary, unless pillar_enc is specified.\n');
    return 1;
  }
  const overrides: Dict = {};
  if (o.stateOutput) overrides.state_output = o.stateOutput;
  if (o.stateVerbose !== undefined) overrides.state_verbose = toBool(o.stateVerbose === '' ? true : o.stateVerbose, true);
  let minion: Minion | undefined;
  const abort = new AbortController();
  const onSigint = (): void => {
    if (abort.signal.aborted) process.exit(130);
    io.stderr.write('\nInterrupted: stopping after the running states (Ctrl-C again to quit at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    minion = await loadMinion(registry, { configDir: o.configDir, fileRoots: o.fileRoots, pillarRoots: o.pillarRoots, overrides, log });
    const secrets = minion.secrets;
    log.mask = (s) => secrets.mask(s);
    const test = 'test' in kwargs && kwargs.test !== null ? toBool(kwargs.test, false) : undefined;
    const saltenv = typeof kwargs.saltenv === 'string' ? kwargs.saltenv : undefined;
    // pillar= is merged over the compiled pillar (the minion caches per override).
    const pillarData = pillar ? minion.pillar({ saltenv, override: pillar as Dict }) : undefined;
    const ctx = minion.context({ test, saltenv, pillar: pillarData, signal: abort.signal });
    const showProgress = o.progress ?? Boolean(io.stderr.isTTY);
    const masked = { write: (s: string) => io.stderr.write(secrets.mask(s)), isTTY: io.stderr.isTTY };
    const bar = showProgress && o.fun.startsWith('state.') ? progress(masked) : undefined;
    if (bar) kwargs[PROGRESS_KWARG] = bar.onEvent;
    let report: RunReport;
    try {
      const value = await def.fn(ctx, args, kwargs);
      report = toReport('local', o.fun, value);
    } catch (e) {
      if (!(e instanceof CompileErrors)) throw e;
      report = toReport('local', o.fun, errorsOutput(e));
    } finally {
      bar?.end();
    }
    // salt-call labels its output `local:` whatever the minion id.
    report = { ...report, data: secrets.maskData(report.data), errorDetails: secrets.maskData(report.errorDetails) };
    const text = formatReport(report, {
      out: o.out ?? (OUTPUT_FORMATS.includes(minion.opts.output as OutputFormat) ? (minion.opts.output as OutputFormat) : undefined),
      stateOutput: o.stateOutput ?? str(minion.opts.state_output),
      stateVerbose: toBool(overrides.state_verbose ?? minion.opts.state_verbose, true),
      profile: toBool(minion.opts.state_output_profile, true),
      color: o.color ?? (toBool(minion.opts.color, true) && Boolean(io.stdout.isTTY)),
    });
    io.stdout.write(secrets.mask(text));
    const passthrough = o.retcodePassthrough || toBool(minion.opts.retcode_passthrough, false);
    return report.retcode === 0 ? 0 : passthrough ? report.retcode : 1;
  } catch (e) {
    io.stderr.write(describeError(o.fun, e, minion, o.logLevel));
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    await minion?.close().catch(() => undefined);
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A function's return as a report: CallOutput as is; plain data with salt-call's `result: False` rule. */
export function toReport(host: string, fun: string, value: unknown): RunReport {
  if (value instanceof CallOutput) {
    return { host, fun, kind: value.kind, data: value.data, retcode: value.retcode, errorDetails: value.errorDetails };
  }
  const failed = value !== null && typeof value === 'object' && !Array.isArray(value) && (value as Dict).result === false;
  return { host, fun, kind: 'data', data: value, retcode: failed ? 1 : 0 };
}

function describeError(fun: string, e: unknown, minion: Minion | undefined, level: LogLevel): string {
  const mask = (s: string): string => (minion ? minion.secrets.mask(s) : s);
  if (e instanceof HaliteError) {
    const where = e.where();
    const head = e.code === 'invocation' ? 'Passed invalid arguments' : `Error running '${fun}'`;
    return mask(`${head}: ${e.message}${where ? ` ${where}` : ''}\n`);
  }
  if (e instanceof CompileErrors) return mask(`Error running '${fun}':\n${e.errors.map((x) => `  ${x.message} ${x.where()}`).join('\n')}\n`);
  const err = e instanceof Error ? e : new Error(String(e));
  const debug = ['all', 'garbage', 'trace', 'debug'].includes(level);
  return mask(`An unexpected error occurred running '${fun}': ${debug ? (err.stack ?? err.message) : err.message}\n`);
}
