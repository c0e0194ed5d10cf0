/**
 * Makes nunjucks' compiler emit Jinja (Python) semantics instead of JavaScript ones, for environments created with
 * `throwOnUndefined: true` (only halite's): StrictUndefined lookups, Python truthiness/equality/`+`/`in`, method
 * calls on str/list/dict, and Python-style printing. The generated code calls helpers hung on `env.__h`
 * (see helpers.ts) through a per-function alias `$h`, so the patch is a one-time change of nunjucks' Compiler prototype and nothing else.
 *
 * nunjucks is a CommonJS singleton: patching its prototype once per process is the only hook it offers.
 */
import nunjucks from 'nunjucks';
import { patchCodegen } from './codegen.js';
import { patchParser } from './parser.js';
import { patchCompile, patchLexer, patchParseSet } from './syntax.js';
import { patchTemplate } from './template.js';


type AnyNode = { typename: string; lineno: number; colno: number; [k: string]: unknown };
type Emitter = {
  throwOnUndefined: boolean;
  buffer: string;
  _emit(s: string): void;
  _emitLine(s: string): void;
  compile(n: unknown, frame: unknown): void;
  _compileExpression(n: unknown, frame: unknown): void;
  _compileAggregate(n: unknown, frame: unknown, start?: string, end?: string): void;
  _getNodeName(n: unknown): string;
};
type CompileFn = (this: Emitter, node: AnyNode, frame: { lookup(n: string): string | null }, ...rest: unknown[]) => void;

let installed = false;

/** Install once per process (idempotent). Also installs nunjucks' own Jinja compat (slices, True/False/None). */
export function installSaltJinja(): void {
  if (installed) return;
  installed = true;
  patchParser(); // before jinja-compat, which wraps parseAggregate
  nunjucks.installJinjaCompat();
  patchCodegen();
  patchTemplate();
  const lib = nunjucks as unknown as {
    compiler: { Compiler: { prototype: Record<string, CompileFn> } };
    nodes: { Node: { extend(name: string, def: object): new (l: number, c: number, ...a: unknown[]) => AnyNode } };
  };
  patchLexer();
  patchCompile();
  const proto = lib.compiler.Compiler.prototype;
  const N = lib.nodes;
  const Truthy = N.Node.extend('HTruthy', { fields: ['target'] });
  const IterOf = N.Node.extend('HIterOf', { fields: ['target', 'arity'] });
  const LoopFilter = N.Node.extend('HLoopFilter', { fields: ['target', 'cond', 'names'] });
  patchParseSet(N.Node.extend('HSetAttr', { fields: ['target', 'attr', 'value'] }));
  const orig: Record<string, CompileFn> = {};
  for (const k of ['assertType', 'compileSymbol', 'compileLookupVal', 'compileFunCall', 'compileOutput', 'compileIf',
    'compileInlineIf', 'compileNot', 'compileOr', 'compileAnd', 'compileCompare', 'compileIn', 'compileAdd',
    'compileConcat', 'compileMul', 'compileMod', 'compileSub', 'compileDiv', 'compileFloorDiv', 'compilePow',
    'compileNeg', 'compileFilter', 'compileFor', 'compileSet', 'compileGroup', 'compileDict']) {
    orig[k] = proto[k]!;
  }
  const on = (self: Emitter) => self.throwOnUndefined;
  const line = (self: Emitter, node: AnyNode) => self._emit(`(lineno = ${node.lineno + 1}, `);

  proto.assertType = function (node, ...types) {
    if (node && (node.typename === 'HTruthy' || node.typename === 'HIterOf' || node.typename === 'HLoopFilter')) return;
    return orig.assertType!.call(this, node, ...types);
  };
  // Every generated function gets a short alias for the helpers (smaller code: V8 compiles it faster).
  const origBegin = proto._emitFuncBegin!;
  proto._emitFuncBegin = function (node, name) {
    origBegin.call(this, node, name as never);
    if (on(this)) this._emitLine('var $h = env.__h;');
  };
  proto.compileHTruthy = function (node, frame) {
    this._emit('$h.truthy(');
    this.compile(node.target, frame);
    this._emit(')');
  };
  proto.compileHIterOf = function (node, frame) {
    this._emit('$h.iter(');
    this.compile(node.target, frame);
    this._emit(`, ${node.arity as number})`);
  };
  proto.compileSymbol = function (node, frame) {
    if (!on(this)) return orig.compileSymbol!.call(this, node, frame);
    const v = frame.lookup(node.value as string);
    if (v) this._emit(v);
    else this._emit(`$h.sym(context, frame, ${JSON.stringify(node.value)})`);
  };
  proto.compileLookupVal = function (node, frame) {
    if (!on(this)) return orig.compileLookupVal!.call(this, node, frame);
    this._emit('$h.get((');
    this._compileExpression(node.target, frame);
    this._emit('),');
    this._compileExpression(node.val, frame);
    this._emit(')');
  };
  proto.compileFunCall = function (node, frame) {
    if (!on(this)) return orig.compileFunCall!.call(this, node, frame);
    line(this, node);
    const callee = node.name as AnyNode;
    if (callee.typename === 'LookupVal') {
      this._emit('$h.callMethod((');
      this._compileExpression(callee.target, frame);
      this._emit('),');
      this._compileExpression(callee.val, frame);
      this._emit(', ');
    } else {
      this._emit('$h.call(context, ');
      this._compileExpression(callee, frame);
      this._emit(`, ${JSON.stringify(this._getNodeName(callee))}, `);
    }
    this._compileAggregate(node.args, frame, '[', '])');
    this._emit(')');
  };
  proto.compileOutput = function (node, frame) {
    if (!on(this)) return orig.compileOutput!.call(this, node, frame);
    for (const child of node.children as AnyNode[]) {
      if (child.typename === 'TemplateData') {
        if (child.value) {
          this._emit(`${this.buffer} += `);
          this.compile(child, frame);
          this._emitLine(';');
        }
      } else {
        this._emit(`${this.buffer} += `);
        line(this, child);
        this._emit('$h.out(');
        this.compile(child, frame);
        this._emitLine('));');
      }
    }
  };
  // Conditions: Python truthiness, StrictUndefined raises.
  const wrapCond = (key: 'compileIf' | 'compileInlineIf', field: string) => {
    proto[key] = function (node, frame, ...rest) {
      if (on(this) && (node[field] as AnyNode).typename !== 'HTruthy') {
        const c = node[field] as AnyNode;
        node[field] = new Truthy(c.lineno, c.colno, c);
        if (key === 'compileIf') this._emitLine(`lineno = ${node.lineno + 1};`);
      }
      return orig[key]!.call(this, node, frame, ...rest);
    };
  };
  wrapCond('compileIf', 'cond');
  wrapCond('compileInlineIf', 'cond');
  proto.compileNot = function (node, frame) {
    if (!on(this)) return orig.compileNot!.call(this, node, frame);
    this._emit('!$h.truthy(');
    this.compile(node.target, frame);
    this._emit(')');
  };
  const lazy = (key: string, helper: string) => {
    proto[key] = function (node, frame) {
      if (!on(this)) return orig[key]!.call(this, node, frame);
      this._emit(`$h.${helper}(`);
      this.compile(node.left, frame);
      this._emit(', function() { return ');
      this.compile(node.right, frame);
      this._emit('; })');
    };
  };
  lazy('compileOr', 'or');
  lazy('compileAnd', 'and');
  const binop = (key: string, op: string) => {
    proto[key] = function (node, frame) {
      if (!on(this)) return orig[key]!.call(this, node, frame);
      this._emit(`$h.bin(${JSON.stringify(op)}, `);
      this.compile(node.left, frame);
      this._emit(', ');
      this.compile(node.right, frame);
      this._emit(')');
    };
  };
  binop('compileIn', 'in');
  binop('compileAdd', '+');
  binop('compileConcat', '~');
  binop('compileMul', '*');
  binop('compileMod', '%');
  binop('compileSub', '-');
  binop('compileDiv', '/');
  binop('compileFloorDiv', '//');
  binop('compilePow', '**');
  proto.compileNeg = function (node, frame) {
    if (!on(this)) return orig.compileNeg!.call(this, node, frame);
    this._emit('$h.bin("neg", 0, ');
    this.compile(node.target, frame);
    this._emit(')');
  };
  proto.compileCompare = function (node, frame) {
    if (!on(this)) return orig.compileCompare!.call(this, node, frame);
    const ops = node.ops as AnyNode[];
    this._emit('$h.compare(');
    this.compile(node.expr, frame);
    this._emit(`, ${JSON.stringify(ops.map((o) => o.type))}, [`);
    ops.forEach((o, i) => {
      if (i) this._emit(', ');
      this._emit('function() { return ');
      this.compile(o.expr, frame);
      this._emit('; }');
    });
    this._emit('])');
  };
  proto.compileFilter = function (node, frame) {
    if (!on(this)) return orig.compileFilter!.call(this, node, frame);
    const name = (node.name as AnyNode).value as string;
    line(this, node);
    this._emit(`$h.filter(context, ${JSON.stringify(name)}, `);
    this._compileAggregate(node.args, frame, '[', ']');
    this._emit('))');
  };
  // `{% for x in seq if cond %}`: nunjucks parses `seq if cond` as an inline-if; Jinja filters the items.
  proto.compileHLoopFilter = function (node, frame) {
    const names = node.names as string[];
    this._emit('$h.loopFilter(frame, ');
    this.compile(node.target, frame);
    this._emit(`, ${JSON.stringify(names)}, function(frame) { return `);
    this.compile(node.cond, frame);
    this._emit('; })');
  };
  proto.compileFor = function (node, frame) {
    if (on(this) && (node.arr as AnyNode).typename !== 'HIterOf') {
      let a = node.arr as AnyNode;
      const nameNode = node.name as AnyNode;
      const arity = nameNode.typename === 'Array' ? (nameNode.children as unknown[]).length : 1;
      if (a.typename === 'InlineIf' && a.else_ === null) {
        const names = arity === 1 ? [nameNode.value as string] : (nameNode.children as AnyNode[]).map((c) => c.value as string);
        a = new LoopFilter(a.lineno, a.colno, new IterOf(a.lineno, a.colno, a.body, arity), a.cond, names);
      }
      node.arr = new IterOf(a.lineno, a.colno, a, arity);
      this._emitLine(`lineno = ${node.lineno + 1};`);
    }
    return orig.compileFor!.call(this, node, frame);
  };
  // A parenthesised list `('a', 2)`, `('a',)`, `()` is a Python tuple (nunjucks would make it a JS comma
  // expression); parser.ts marks it.
  proto.compileGroup = function (node, frame) {
    const kids = node.children as AnyNode[];
    if (!on(this) || (kids.length < 2 && !node.tuple)) return orig.compileGroup!.call(this, node, frame);
    this._emit('$h.tuple(');
    this._compileAggregate(node, frame, '[', ']');
    this._emit(')');
  };
  // One `loop` object per iteration instead of seven dotted frame.set calls (and Jinja's loop.cycle).
  const origLoop = proto._emitLoopBindings!;
  proto._emitLoopBindings = function (node, arr, i, len) {
    if (!on(this)) return origLoop.call(this, node, arr as never, i, len);
    this._emitLine(
      `frame.set("loop", {index: ${i} + 1, index0: ${i}, revindex: ${len} - ${i}, revindex0: ${len} - ${i} - 1, ` +
        `first: ${i} === 0, last: ${i} === ${len} - 1, length: ${len}, ` +
        `cycle: function() { return arguments[${i} % arguments.length]; }});`,
    );
  };
  // Jinja dict keys are expressions (`{k: v}` uses the variable k); nunjucks takes a bare name as a string.
  const origDict = proto.compileDict!;
  proto.compileDict = function (node, frame) {
    const pairs = node.children as AnyNode[];
    const literal = pairs.every((p) => (p.key as AnyNode).typename === 'Literal' && typeof (p.key as AnyNode).value === 'string');
    if (!on(this) || literal || node.typename === 'KeywordArgs') return origDict.call(this, node, frame);
    this._emit('$h.dict([');
    pairs.forEach((p, i) => {
      if (i) this._emit(', ');
      this._emit('[');
      this._compileExpression(p.key, frame);
      this._emit(', ');
      this._compileExpression(p.value, frame);
      this._emit(']');
    });
    this._emit('])');
  };
  // `{% set ns.attr = value %}` (Jinja namespaces).
  proto.compileHSetAttr = function (node, frame) {
    this._emit(`lineno = ${node.lineno + 1}; $h.setAttr(`);
    this._compileExpression(node.target, frame);
    this._emit(', ');
    this._compileExpression(node.attr, frame);
    this._emit(', ');
    this._compileExpression(node.value, frame);
    this._emitLine(');');
  };
  proto.compileSet = function (node, frame) {
    if (on(this)) this._emitLine(`lineno = ${node.lineno + 1};`);
    return orig.compileSet!.call(this, node, frame);
  };
}
