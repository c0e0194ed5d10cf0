/**
 * nunjucks Template patches for halite's environments (those created with `throwOnUndefined`):
 *
 * - **Shared compiled functions.** The patched code generator (codegen.ts) hoists every string/number literal
 *   and the template's own name out of the generated code into a per-template constants array, so templates of
 *   the same *structure* (generated trees, formulas stamped from one pattern) produce identical code. That code
 *   is turned into a JS function once per process (`new Function` is most of a warm render: V8 parses and
 *   compiles every template) and each template calls it with its own constants.
 * - **Error locations.** Errors leaving `render`/`getExported` are tagged with the template they happened in
 *   (errloc.ts), and the caller's continuation runs outside the callee's try/catch — nunjucks runs the rest of
 *   the importing template inside the imported template's `try`, so a later error there was reported at the
 *   imported template's current line.
 */
import nunjucks from 'nunjucks';
import { tagTemplate } from './errloc.js';

/** First-line marker of generated code that carries its constants (see codegen.ts). */
export const CONST_MARK = '/*hk*/';

type Fn = (...a: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Cb = (err: unknown, res?: unknown) => unknown;

interface TemplateLike {
  env: { opts: { throwOnUndefined?: boolean }; asyncFilters: unknown; extensionsList: unknown };
  tmplProps?: unknown;
  tmplStr: string;
  path?: string;
  blocks: unknown;
  rootRenderFunc: unknown;
  compiled: boolean;
  _getBlocks(props: unknown): unknown;
}

const functions = new Map<string, Fn>();

/** Number of distinct compiled template functions (for tests and benchmarks). */
export function sharedFunctionCount(): number {
  return functions.size;
}

/** Evaluate generated code: `{ root, b_… }` for the template at `file`. */
export function instantiate(source: string, file: string | undefined): unknown {
  if (!source.startsWith(CONST_MARK)) return (new Function(source) as Fn)(); // eslint-disable-line no-new-func
  const nl = source.indexOf('\n');
  const consts = JSON.parse(source.slice(CONST_MARK.length, nl)) as unknown[];
  const code = source.slice(nl + 1);
  let fn = functions.get(code);
  if (!fn) {
    fn = new Function('$k', '$name', code) as Fn; // eslint-disable-line no-new-func
    functions.set(code, fn);
  }
  return fn(consts, file);
}

/** Run a callback-style call that completes synchronously; returns its (err, result), or null if it did not. */
function settle(run: (cb: Cb) => unknown): [unknown, unknown] | null {
  let out: [unknown, unknown] | null = null;
  run((err, res) => {
    out = [err, res];
  });
  return out;
}

let installed = false;

/** Install the Template patches (once per process). */
export function patchTemplate(): void {
  if (installed) return;
  installed = true;
  const lib = nunjucks as unknown as { Template: { prototype: Record<string, Fn> }; compiler: { compile: Fn } };
  const proto = lib.Template.prototype;
  const ours = (t: TemplateLike) => Boolean(t.env?.opts?.throwOnUndefined);

  const origCompile = proto._compile!;
  proto._compile = function (this: TemplateLike) {
    if (this.tmplProps || !ours(this)) return origCompile.call(this);
    const source = lib.compiler.compile(this.tmplStr, this.env.asyncFilters, this.env.extensionsList, this.path, this.env.opts) as string;
    const props = instantiate(source, this.path);
    this.blocks = this._getBlocks(props);
    this.rootRenderFunc = (props as { root: unknown }).root;
    this.compiled = true;
  };

  const origRender = proto.render!;
  proto.render = function (this: TemplateLike, ctx: unknown, parentFrame?: unknown, cb?: Cb) {
    if (!ours(this)) return origRender.call(this, ctx, parentFrame, cb);
    if (typeof ctx === 'function') [cb, ctx, parentFrame] = [ctx as Cb, {}, undefined];
    else if (typeof parentFrame === 'function') [cb, parentFrame] = [parentFrame as Cb, undefined];
    if (!cb) {
      try {
        return origRender.call(this, ctx, parentFrame);
      } catch (e) {
        throw tagTemplate(e, this.path);
      }
    }
    if (!parentFrame) return origRender.call(this, ctx, parentFrame, cb); // async contract: leave as is
    const out = settle((done) => origRender.call(this, ctx, parentFrame, done));
    if (!out) throw new Error(`template ${this.path ?? ''} did not render synchronously`);
    return cb(out[0] ? tagTemplate(out[0], this.path) : null, out[1]);
  };

  const origExported = proto.getExported!;
  proto.getExported = function (this: TemplateLike, ctx: unknown, parentFrame?: unknown, cb?: Cb) {
    if (!ours(this)) return origExported.call(this, ctx, parentFrame, cb);
    if (typeof ctx === 'function') [cb, ctx, parentFrame] = [ctx as Cb, {}, undefined];
    else if (typeof parentFrame === 'function') [cb, parentFrame] = [parentFrame as Cb, undefined];
    const out = settle((done) => origExported.call(this, ctx, parentFrame, done));
    if (!out) throw new Error(`template ${this.path ?? ''} did not export synchronously`);
    return cb!(out[0] ? tagTemplate(out[0], this.path) : null, out[1]);
  };
}
