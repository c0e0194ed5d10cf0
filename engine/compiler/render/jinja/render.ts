/**
 * Render one template through the Salt-flavoured nunjucks environment and turn failures into Salt's messages:
 *
 * ```
 * Jinja variable 'nosuchvar' is undefined; line 3
 *
 * ---
 * foo:
 *   test.nop:
 *     - name: {{ nosuchvar }}    <======================
 * ---
 * ```
 */
import { readFileSync } from 'node:fs';
import nunjucks from 'nunjucks';
import { getEnvironment, JinjaRaise, withGlobals, type JinjaOptions, type SaltEnvironment } from './env.js';
import { TemplateNotFound } from './loader.js';
import { errorChain, errorLoc } from './errloc.js';
import { UndefinedError } from './pyobj.js';

/** A Jinja failure: Salt's message, and where (absolute file, 1-based line) when known. */
export class JinjaError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'JinjaError';
  }
}

const MARKER = '    <======================';

/** Salt's `get_context`: ±5 lines around `line`, `[...]` where cut, the marker on the failing line. */
export function errorContext(source: string, line: number, numLines = 5): string {
  const lines = source.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (line > lines.length || line < 1) return source;
  const start = Math.max(0, line - numLines - 1);
  const end = Math.min(lines.length, line + numLines);
  let at = line - start - 1;
  const buf: string[] = [];
  if (start > 0) {
    buf.push('[...]');
    at += 1;
  }
  buf.push(...lines.slice(start, end));
  if (end < lines.length) buf.push('[...]');
  buf[at] += MARKER;
  return `---\n${buf.join('\n')}\n---`;
}

interface NjError extends Error {
  cause?: unknown;
  lineno?: number;
}

function innerMessage(err: NjError): { text: string; kind: 'undefined' | 'raise' | 'syntax' | 'other' } {
  const cause = err.cause;
  if (cause instanceof UndefinedError) return { text: `Jinja variable ${cause.message}`, kind: 'undefined' };
  if (cause instanceof JinjaRaise) return { text: `Jinja error: ${cause.message}`, kind: 'raise' };
  if (cause instanceof TemplateNotFound) return { text: `Jinja error: ${cause.message}`, kind: 'other' };
  if (cause instanceof Error) return { text: `Jinja error: ${cause.message}`, kind: 'other' };
  if (err.name !== 'Template render error') return { text: `Jinja error: ${err.message}`, kind: 'other' };
  // No cause: a parse/compile error raised by nunjucks itself; the text after the location header.
  const body = err.message.replace(/^(\([^\n]*\)(?: \[Line \d+(?:, Column \d+)?\])?\n\s*)+/, '').replace(/^Error: /, '');
  return { text: `Jinja syntax error: ${body.trim()}`, kind: 'syntax' };
}

/** How a template file is named in messages (root-relative when possible). */
export type NameFile = (file: string) => string;

/**
 * Map a nunjucks error to JinjaError with Salt's wording and the failing template's context lines. When the
 * failing template is not the one rendered (an imported/included file, or a macro from one), the message names
 * it and the chain of templates that imported it:
 * `Jinja syntax error: unexpected token: }; line 5 of webapp/map.jinja (imported from webapp/init.sls, line 1)`.
 */
export function toJinjaError(err: unknown, topFile: string, topSource: string, name: NameFile = (f) => f): JinjaError {
  if (err instanceof JinjaError) return err;
  if (err instanceof TemplateNotFound) return new JinjaError(`Jinja error: ${err.message}`, topFile);
  if (!(err instanceof Error)) return new JinjaError(`Jinja error: ${String(err)}`, topFile);
  const e = err as NjError;
  const { text } = innerMessage(e);
  const loc = errorLoc(e);
  // Without a tag, the innermost template is the one whose header carries a [Line N].
  const m = loc ? null : /\(([^()\n]+)\) \[Line (\d+)/.exec(e.message);
  const file = loc?.file ?? (m ? m[1]! : topFile);
  const line = loc ? loc.line : m ? Number(m[2]) : undefined;
  let via = '';
  if (file && topFile && file !== topFile) {
    const chain = errorChain(e).filter((c) => c.file);
    const links = chain.length ? chain : [{ file: topFile, line: undefined }];
    via = ` (${links.map((c) => `imported from ${name(c.file)}${c.line ? `, line ${c.line}` : ''}`).join(', ')})`;
  }
  const where = via ? ` of ${name(file)}${via}` : '';
  if (!line) return new JinjaError(via ? `${text}; in ${name(file)}${via}` : text, file, undefined);
  let source = topSource;
  if (file !== topFile) {
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      return new JinjaError(`${text}; line ${line}${where}`, file, line);
    }
  }
  return new JinjaError(`${text}; line ${line}${where}\n\n${errorContext(source, line)}`, file, line);
}

export interface JinjaRenderInput {
  /** Template text. */
  source: string;
  /** Absolute path (for relative imports, error messages and the compiled-template cache). */
  file: string;
  saltenv: string;
  roots: string[];
  options: JinjaOptions;
  /** Variables visible to imported templates too (salt, grains, pillar, opts, sls paths …). */
  globals: Record<string, unknown>;
  /** Extra variables for this template only (file.managed `context`). */
  context?: Record<string, unknown>;
  /** `source` is exactly the text of `file` as just read (saves the loader reading it again). */
  sourceIsFile?: boolean;
}

interface Tmpl {
  render(ctx: object): string;
}

function templateFor(env: SaltEnvironment, inp: JinjaRenderInput): Tmpl {
  const rel = inp.file ? env.rootsLoader.relName(inp.file) : null;
  if (rel !== null) {
    // Through the loader: cached and re-validated by mtime. Only when the text is the file's text.
    let t: (Tmpl & { tmplStr?: string }) | undefined;
    if (inp.sourceIsFile) env.rootsLoader.presetSource(inp.file, inp.source);
    try {
      t = env.getTemplate(rel) as unknown as Tmpl & { tmplStr?: string };
    } catch (e) {
      if (!(e instanceof TemplateNotFound)) throw e;
    } finally {
      env.rootsLoader.presetSource(null);
    }
    if (t && (t.tmplStr === undefined || t.tmplStr === inp.source)) return t;
  }
  return new nunjucks.Template(inp.source, env, inp.file || undefined) as unknown as Tmpl;
}

/** Render text with Salt's Jinja; the trailing newline of the source is kept (Jinja would drop it). */
export function renderJinja(inp: JinjaRenderInput): string {
  // Plain YAML files (no Jinja markers) render to themselves: skip compiling them.
  if (!/\{[{%#]/.test(inp.source)) return inp.source;
  const env = getEnvironment(inp.saltenv, inp.roots, inp.options);
  try {
    const out = withGlobals(env, inp.globals, () => templateFor(env, inp).render({ ...inp.globals, ...(inp.context ?? {}) }));
    return inp.source.endsWith('\n') && !out.endsWith('\n') ? out + '\n' : out;
  } catch (err) {
    throw toJinjaError(err, inp.file, inp.source, (f) => env.rootsLoader.relName(f) ?? f);
  }
}
