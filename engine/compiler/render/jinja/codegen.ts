/**
 * Code-generator patches (halite environments only, like compat.ts) for sharing compiled code and for error
 * locations:
 *
 * - string and number literals (template text included) compile to `$k[i]`, the template's name to `$name`;
 *   `getCode()` puts the constants on a first line after CONST_MARK (template.ts evaluates it, sharing one JS
 *   function between templates whose code is identical);
 * - import/from-import/include record their line, and their callbacks tag a failing error with the importing
 *   template (errloc.ts);
 * - a macro body tags an error with the macro's own template and line before it reaches the caller.
 */
import nunjucks from 'nunjucks';
import { CONST_MARK } from './template.js';

type AnyNode = { typename: string; lineno: number; colno: number; [k: string]: unknown };
interface Emitter {
  throwOnUndefined: boolean;
  codebuf: string[];
  $k?: unknown[];
  _emit(s: string): void;
  _emitLine(s: string): void;
  _tmpid(): string;
  compile(n: unknown, frame: unknown): void;
  _compileExpression(n: unknown, frame: unknown): void;
}
type Method = (this: Emitter, ...a: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

let installed = false;

/** Install once per process (idempotent). */
export function patchCodegen(): void {
  if (installed) return;
  installed = true;
  const proto = (nunjucks as unknown as { compiler: { Compiler: { prototype: Record<string, Method> } } }).compiler.Compiler.prototype;
  const orig: Record<string, Method> = {};
  for (const k of ['compileLiteral', 'compilePair', 'getCode', '_templateName', '_makeCallback', 'compileImport', 'compileFromImport', 'compileInclude', '_compileMacro']) {
    orig[k] = proto[k]!;
  }
  const on = (self: Emitter) => self.throwOnUndefined;
  const constant = (self: Emitter, v: unknown) => {
    const k = (self.$k ??= []);
    k.push(v);
    return `$k[${k.length - 1}]`;
  };

  proto.compileLiteral = function (node: AnyNode, frame: unknown) {
    const v = node.value;
    if (!on(this) || (typeof v !== 'string' && typeof v !== 'number') || (typeof v === 'number' && !Number.isFinite(v))) {
      return orig.compileLiteral!.call(this, node, frame);
    }
    this._emit(node.pyFloat ? `$h.float(${constant(this, v)})` : constant(this, v));
  };
  // Dict literal keys are constants too: `{[$k[0]]: …}`. Keyword-argument names (symbols) stay in the code.
  proto.compilePair = function (node: AnyNode, frame: unknown) {
    const key = node.key as AnyNode;
    if (!on(this)) return orig.compilePair!.call(this, node, frame);
    if (key.typename === 'Symbol') this._emit(`${JSON.stringify(key.value)}: `);
    else if (key.typename === 'Literal' && typeof key.value === 'string') this._emit(`[${constant(this, key.value)}]: `);
    else return orig.compilePair!.call(this, node, frame);
    this._compileExpression(node.value, frame);
  };
  proto.getCode = function () {
    const code = orig.getCode!.call(this) as string;
    return on(this) ? `${CONST_MARK}${JSON.stringify(this.$k ?? [])}\n${code}` : code;
  };
  proto._templateName = function () {
    return on(this) ? '$name' : orig._templateName!.call(this);
  };
  proto._makeCallback = function (res?: string) {
    if (!on(this)) return orig._makeCallback!.call(this, res);
    const err = this._tmpid();
    return `function(${err}${res ? ',' + res : ''}) {\nif(${err}) { cb($h.from(${err}, lineno, $name)); return; }`;
  };
  for (const k of ['compileImport', 'compileFromImport', 'compileInclude']) {
    proto[k] = function (node: AnyNode, frame: unknown) {
      if (on(this)) this._emitLine(`lineno = ${node.lineno + 1};`);
      return orig[k]!.call(this, node, frame);
    };
  }
  proto._compileMacro = function (node: AnyNode, frame: unknown) {
    if (!on(this)) return orig._compileMacro!.call(this, node, frame);
    const start = this.codebuf.length;
    const id = orig._compileMacro!.call(this, node, frame);
    const buf = this.codebuf;
    const head = buf.findIndex((s, i) => i >= start && s.startsWith('function ('));
    const last = buf.length - 1;
    if (head > 0 && buf[last] === '});\n') {
      buf[head] += 'try {\n';
      buf[last] = '} catch (e) { throw $h.macroErr(e, lineno, $name); }\n});\n';
    }
    return id;
  };
}
