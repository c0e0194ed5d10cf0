/**
 * Core data types and plugin contracts shared by the compiler, the runner, the outputters and the state modules.
 * The engine knows state modules only through these types and the registry handed to it (engine/ never imports
 * states/; engine/cli is the composition root that wires states/index.ts in).
 */
import type { Host } from './host/types.js';

// ---------------------------------------------------------------------------------------------------------------
// Data layers (Salt's: high data → low chunks → return records)
// ---------------------------------------------------------------------------------------------------------------

export type Dict = Record<string, unknown>;

/** Where a piece of high data came from, kept beside the data (never inside it) for error messages. */
export interface SourcePos {
  file: string; // absolute path of the SLS file
  line?: number; // 1-based
}

/**
 * High data: ID → { module: [fun, {arg: val}, …], __sls__, __env__, … } plus `__extend__` / `__exclude__`.
 * Exactly Salt's shape, so `state.show_sls --out json` prints what Salt prints.
 */
export type HighData = Record<string, Dict>;

/** One low chunk: a single (ID, module, name, function). Extra keys are the state's arguments. */
export interface LowChunk {
  state: string;
  fun: string;
  name: string;
  __id__: string;
  __sls__: string | null;
  __env__: string;
  __sls_included_from__?: string[];
  order?: number | string;
  name_order?: number;
  [arg: string]: unknown;
}

/** What a state function returns. `result: null` only in test mode (would change). */
export interface StateResult {
  name: string;
  result: boolean | null;
  comment: string;
  changes: Dict;
  warnings?: string[];
  /** Set by onlyif/unless/creates skips: a watch must not fire mod_watch. */
  skip_watch?: boolean;
}

/** A return record as Salt prints it (keyed by tag `state_|-id_|-name_|-fun`). */
export interface StateRecord extends StateResult {
  __id__?: string;
  __sls__?: string | null;
  __run_num__: number;
  start_time?: string;
  duration?: number;
  __state_ran__?: boolean;
  __parallel__?: boolean;
  [k: string]: unknown;
}

export type StateReturn = Record<string, StateRecord>;

/** Salt's tag for a chunk: `cmd_|-A_|-echo A_|-run`. */
export function chunkTag(low: Pick<LowChunk, 'state' | '__id__' | 'name' | 'fun'>): string {
  return `${low.state}_|-${low.__id__}_|-${low.name}_|-${low.fun}`;
}

/**
 * What one CLI function call produced, for the outputters. `kind` says how to render it:
 * - 'states': a state run (highstate outputter by default), `data` is a StateReturn;
 * - 'errors': a compile/render failure, `data` is the list of Salt-compatible messages and `errors` the details;
 * - 'data': anything else (nested outputter by default).
 */
export interface RunReport {
  /** Minion id shown as the host header (`local:` for salt-call). */
  host: string;
  fun: string;
  kind: 'states' | 'errors' | 'data';
  data: unknown;
  /** For kind 'errors': file/line/ID per message, same order as data. */
  errorDetails?: { message: string; file?: string; line?: number; id?: string }[];
  /** salt-call's internal retcode: 0 ok, 1 compile/usage error, 2 a state failed. */
  retcode: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Context handed to state and execution functions
// ---------------------------------------------------------------------------------------------------------------

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/** Resolved `salt://` access for one saltenv (engine/fileserver implements it). */
export interface FileServer {
  /** Absolute path on the controller for `salt://x/y[?saltenv=e]`, or null when not found in any root.
   *  Throws HaliteError when the path escapes the roots. */
  resolve(url: string, saltenv?: string): string | null;
  /** Contents, or null when not found. */
  read(url: string, saltenv?: string): Buffer | null;
  /** Relative paths of every file under the roots of saltenv (optionally under a prefix). */
  list(saltenv?: string, prefix?: string): string[];
  /** The roots of a saltenv. */
  roots(saltenv?: string): string[];
  envs(): string[];
}

/** Renders template text (file.managed `template: jinja`, cp.get_template). */
export type TemplateRenderer = (
  text: string,
  opts: { engine: string; file?: string; context?: Dict; saltenv?: string; sls?: string },
) => string;

/** Calls an execution function by name ('cmd.run_all') bound to the current host and context. */
export type ExecCaller = (fun: string, args?: unknown[], kwargs?: Dict) => Promise<unknown>;

/** Everything an execution function may use. No globals, no singletons. */
export interface ExecContext {
  host: Host;
  /** Minion config (opts), with defaults applied. */
  opts: Dict;
  grains: Dict;
  pillar: Dict;
  saltenv: string;
  test: boolean;
  fileserver: FileServer;
  render: TemplateRenderer;
  log: Logger;
  signal: AbortSignal;
  /** Call another execution function. */
  call: ExecCaller;
  /** Register a string that must never be printed (private key, secret pillar value). */
  secret(value: string): void;
  /** The registries (state.* functions run states; sys.* lists them). */
  registry: Registry;
}

/** Everything a state function may use: ExecContext plus the chunk it runs for. */
export interface StateContext extends ExecContext {
  low: LowChunk;
}

/**
 * A state function. Write it as inspect → diff → (test? return : apply → re-inspect). In test mode it must not
 * mutate anything and returns result null with the changes it would make.
 */
export type StateFunction = (ctx: StateContext, name: string, args: Dict) => Promise<StateResult>;

export interface StateFunctionDef {
  fn: StateFunction;
  /** Arguments the function requires besides `name` (Salt's "Missing parameter X for state m.f"). */
  required?: string[];
  /** Known keyword arguments; when set and `anyKwargs` is false, an unknown one is an error. */
  params?: string[];
  anyKwargs?: boolean;
  doc?: string;
}

export interface StateModule {
  /** 'file', 'pkg', 'cmd' … */
  name: string;
  functions: Record<string, StateFunctionDef>;
  /** Called for `watch` when a watched state changed and the watcher's own call made no changes.
   *  `sfun` in args is the original function name. Absent → watch behaves as require. */
  mod_watch?: StateFunction;
  doc?: string;
}

/** An execution function (`salt['pkg.version']`, `halite call cmd.run …`). May be sync: Jinja needs sync ones. */
export type ExecFunction = (ctx: ExecContext, args: unknown[], kwargs: Dict) => unknown | Promise<unknown>;

export interface ExecFunctionDef {
  fn: ExecFunction;
  /** Synchronous implementation used from Jinja templates when `fn` is async. */
  sync?: ExecFunction;
  doc?: string;
}

export interface ExecModule {
  name: string;
  functions: Record<string, ExecFunctionDef>;
  doc?: string;
}

/**
 * What a CLI-callable function returns when its output is not plain data: state runs and compile failures.
 * Plain data (grains.items …) is returned as is and shown with the nested outputter.
 */
export class CallOutput {
  constructor(
    readonly kind: 'states' | 'errors',
    readonly data: unknown,
    /** salt-call's retcode: 0 ok, 1 compile/usage error, 2 a state failed. */
    readonly retcode: number,
    readonly errorDetails?: { message: string; file?: string; line?: number; id?: string }[],
  ) {}
}

/** The registries the engine is given (built once at start-up; a duplicate name is an error). */
export interface Registry {
  states: Map<string, StateModule>;
  exec: Map<string, ExecFunctionDef>; // key 'mod.fun'
}

export function buildRegistry(states: StateModule[], exec: ExecModule[]): Registry {
  const reg: Registry = { states: new Map(), exec: new Map() };
  for (const m of states) {
    if (reg.states.has(m.name)) throw new Error(`state module '${m.name}' registered twice`);
    reg.states.set(m.name, m);
  }
  for (const m of exec) {
    for (const [f, def] of Object.entries(m.functions)) {
      const key = `${m.name}.${f}`;
      if (reg.exec.has(key)) throw new Error(`execution function '${key}' registered twice`);
      reg.exec.set(key, def);
    }
  }
  return reg;
}
