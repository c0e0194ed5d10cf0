/**
 * The few error classes halite throws, each with a stable `code`.
 *
 * `message` is the Salt-compatible text (what `--out json` prints, byte for byte where Salt has a fixed
 * wording); `where()` adds the location (file, line, state ID) for humans.
 */
export type ErrorCode =
  | 'render'
  | 'compile'
  | 'requisite'
  | 'host'
  | 'command'
  | 'invocation'
  | 'internal';

export interface ErrorLocation {
  /** Absolute path of the file the error is in, when there is one. */
  file?: string;
  /** 1-based line in that file. */
  line?: number;
  /** The state ID concerned. */
  id?: string;
  /** The SLS name (dotted) concerned. */
  sls?: string;
}

export class HaliteError extends Error {
  readonly code: ErrorCode;
  readonly loc: ErrorLocation;
  constructor(code: ErrorCode, message: string, loc: ErrorLocation = {}) {
    super(message);
    this.name = 'HaliteError';
    this.code = code;
    this.loc = loc;
  }
  /** `(file /srv/salt/x.sls, line 3, ID 'B')` or '' when nothing is known. */
  where(): string {
    return formatLocation(this.loc);
  }
}

export function formatLocation(loc: ErrorLocation): string {
  const parts: string[] = [];
  if (loc.file) parts.push(`file ${loc.file}`);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.id !== undefined) parts.push(`ID '${loc.id}'`);
  return parts.length ? `(${parts.join(', ')})` : '';
}

/** Jinja or YAML failed. */
export class RenderError extends HaliteError {
  constructor(message: string, loc: ErrorLocation = {}) {
    super('render', message, loc);
    this.name = 'RenderError';
  }
}

/** High data is malformed; collected and reported together (see CompileErrors). */
export class CompileError extends HaliteError {
  constructor(message: string, loc: ErrorLocation = {}) {
    super('compile', message, loc);
    this.name = 'CompileError';
  }
}

/** Several compile/render errors at once: nothing runs. */
export class CompileErrors extends Error {
  readonly code = 'compile' as const;
  readonly errors: HaliteError[];
  constructor(errors: HaliteError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'CompileErrors';
    this.errors = errors;
  }
}

/** A machine could not be reached or an I/O call on it failed. */
export class HostError extends HaliteError {
  constructor(message: string, loc: ErrorLocation = {}) {
    super('host', message, loc);
    this.name = 'HostError';
  }
}

/** An execution function ran a command that failed in a way it cannot handle. */
export class CommandError extends HaliteError {
  constructor(message: string, loc: ErrorLocation = {}) {
    super('command', message, loc);
    this.name = 'CommandError';
  }
}

/** Wrong arguments to a CLI function (unknown function, bad kwarg, missing SLS …). */
export class InvocationError extends HaliteError {
  constructor(message: string, loc: ErrorLocation = {}) {
    super('invocation', message, loc);
    this.name = 'InvocationError';
  }
}
