/**
 * Where a Jinja error happened, across imported/included templates and macros. nunjucks reports the line of the
 * innermost template under the *outermost* file's name for `{% from … import %}`; halite tags the error where it
 * happens instead:
 *
 * - the innermost location (file + 1-based line) — set once, by the first template boundary the error crosses;
 * - the chain of templates that imported that one (innermost first), each with the line of its import tag.
 *
 * nunjucks may wrap an error in a TemplateError (keeping it as `cause`), so tags are read from either.
 */

export interface JinjaLoc {
  file: string;
  line?: number;
}

const LOC = Symbol('halite.jinja.loc');
const CHAIN = Symbol('halite.jinja.chain');

type Tagged = { [LOC]?: JinjaLoc; [CHAIN]?: JinjaLoc[]; cause?: unknown; lineno?: number };

function holder(err: unknown): Tagged | null {
  if (err === null || typeof err !== 'object') return null;
  const e = err as Tagged;
  if (e[LOC]) return e;
  const c = e.cause as Tagged | undefined;
  if (c && typeof c === 'object' && c[LOC]) return c;
  return null;
}

/** The innermost location recorded on err, if any. */
export function errorLoc(err: unknown): JinjaLoc | undefined {
  return holder(err)?.[LOC];
}

/** The importing templates recorded on err, innermost first. */
export function errorChain(err: unknown): JinjaLoc[] {
  return holder(err)?.[CHAIN] ?? [];
}

function lineOf(err: Tagged): number | undefined {
  const n = err.lineno ?? (err.cause as Tagged | undefined)?.lineno;
  return typeof n === 'number' && n > 0 ? n : undefined;
}

/** Record `file` (with the error's own line number) as where err happened, unless a location is set already. */
export function tagTemplate<T>(err: T, file: string | undefined): T {
  if (!file || err === null || typeof err !== 'object' || holder(err)) return err;
  (err as Tagged)[LOC] = { file, line: lineOf(err as Tagged) };
  return err;
}

/**
 * err crossed an import/include tag at `line` of `file`: the location if none is set yet (the import itself
 * failed: template not found), otherwise one more link of the importer chain.
 */
export function tagImporter<T>(err: T, line: number, file: string | undefined): T {
  if (!file || err === null || typeof err !== 'object') return err;
  const h = holder(err);
  if (!h) {
    (err as Tagged)[LOC] = { file, line: line > 0 ? line : undefined };
    return err;
  }
  const chain = (h[CHAIN] ??= []);
  const last = chain[chain.length - 1] ?? h[LOC]!;
  if (last.file !== file || last.line !== line) chain.push({ file, line: line > 0 ? line : undefined });
  return err;
}

/** An error thrown inside a macro body: the macro's template and line, unless a location is set already. */
export function tagMacro<T>(err: T, line: number, file: string | undefined): T {
  if (!file || err === null || typeof err !== 'object' || holder(err)) return err;
  (err as Tagged)[LOC] = { file, line: line > 0 ? line : undefined };
  return err;
}
