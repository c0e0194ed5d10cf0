/**
 * Salt's Jinja tags nunjucks lacks:
 *
 * ```jinja
 * {% import_yaml 'defaults.yaml' as defaults %}   {# also import_json, import_text #}
 * {% load_yaml as cfg %}a: 1{% endload %}         {# also load_json, load_text #}
 * {% do mylist.append(1) %}
 * {% with port = pillar.port, host = 'h' %}{{ host }}:{{ port }}{% endwith %}   {# Jinja2's scoped with #}
 * ```
 *
 * `import_*` renders the named file through Jinja (names relative to the root, or `./`-relative), then parses it.
 * Each tag becomes an ordinary `{% set %}` so scoping and `{% from … import %}` exports behave like any variable.
 */
import nunjucks from 'nunjucks';

type AnyNode = { typename: string; lineno: number; colno: number; [k: string]: unknown };
type NodeCtor = new (lineno: number, colno: number, ...fields: unknown[]) => AnyNode;
interface Parser {
  nextToken(): { value: string; lineno: number; colno: number };
  peekToken(): { type: string; value: string };
  parseExpression(): AnyNode;
  parsePrimary(): AnyNode;
  skipSymbol(s: string): boolean;
  skip(type: string): boolean;
  skipValue(type: string, v: string): boolean;
  fail(msg: string, lineno?: number, colno?: number): never;
  advanceAfterBlockEnd(name?: string): void;
  parseUntilBlocks(...names: string[]): AnyNode;
}
interface CompileFrame {
  push(isolate?: boolean): CompileFrame;
  set(name: string, id: string): void;
}
interface Emitter {
  templateName: string;
  _tmpid(): string;
  _emit(s: string): void;
  _emitLine(s: string): void;
  compile(n: unknown, frame: unknown): void;
  _compileExpression(n: unknown, frame: unknown): void;
}

const N = (nunjucks as unknown as { nodes: Record<string, NodeCtor> & { Node: { extend(n: string, d: object): NodeCtor } } }).nodes;

let nodeTypes: { HImport: NodeCtor; HLoad: NodeCtor; HDo: NodeCtor; HWith: NodeCtor } | undefined;

/** Node types + compiler methods for the tags (once per process). */
function installNodes(): NonNullable<typeof nodeTypes> {
  if (nodeTypes) return nodeTypes;
  const Compiler = (nunjucks as unknown as { compiler: { Compiler: { prototype: Record<string, unknown> } } }).compiler.Compiler;
  const proto = Compiler.prototype;
  nodeTypes = {
    HImport: N.Node.extend('HImport', { fields: ['template', 'kind'] }),
    HLoad: N.Node.extend('HLoad', { fields: ['body', 'kind'] }),
    HDo: N.Node.extend('HDo', { fields: ['expr'] }),
    HWith: N.Node.extend('HWith', { fields: ['names', 'values', 'body'] }),
  };
  const origAssert = proto.assertType as (this: Emitter, node: AnyNode, ...t: unknown[]) => void;
  proto.assertType = function (this: Emitter, node: AnyNode, ...types: unknown[]) {
    if (node && (node.typename === 'HImport' || node.typename === 'HLoad' || node.typename === 'HWith')) return;
    return origAssert.call(this, node, ...types);
  };
  proto.compileHImport = function (this: Emitter, node: AnyNode, frame: unknown) {
    this._emit(`(lineno = ${node.lineno + 1}, $h.importData(context, $name, `);
    this._compileExpression(node.template, frame);
    this._emit(`, ${JSON.stringify(node.kind)}, lineno))`);
  };
  proto.compileHLoad = function (this: Emitter, node: AnyNode, frame: unknown) {
    this._emit(`$h.loadData(${JSON.stringify(node.kind)}, `);
    this.compile(node.body, frame);
    this._emit(')');
  };
  // `{% with a = x, b = y %}…{% endwith %}`: values evaluated outside, names (and any `set` inside) scoped to the block.
  proto.compileHWith = function (this: Emitter, node: AnyNode, frame: CompileFrame) {
    this._emitLine(`lineno = ${node.lineno + 1};`);
    const ids = (node.values as AnyNode[]).map((v) => {
      const id = this._tmpid();
      this._emit(`var ${id} = `);
      this._compileExpression(v, frame);
      this._emitLine(';');
      return id;
    });
    const inner = frame.push(true);
    this._emitLine('frame = frame.push(true);');
    (node.names as string[]).forEach((n, i) => {
      inner.set(n, ids[i]!);
      this._emitLine(`frame.set(${JSON.stringify(n)}, ${ids[i]!});`);
    });
    this.compile(node.body, inner);
    this._emitLine('frame = frame.pop();');
  };
  proto.compileHDo = function (this: Emitter, node: AnyNode, frame: unknown) {
    this._emit(`lineno = ${node.lineno + 1}; `);
    this._compileExpression(node.expr, frame);
    this._emitLine(';');
  };
  return nodeTypes;
}

function parseTarget(parser: Parser, tag: string): AnyNode {
  if (!parser.skipSymbol('as')) parser.fail(`${tag}: expected 'as <name>'`);
  const t = parser.parsePrimary();
  if (t.typename !== 'Symbol') parser.fail(`${tag}: expected a variable name after 'as'`, t.lineno, t.colno);
  return t;
}

function parseWith(parser: Parser, tok: { lineno: number; colno: number }, HWith: NodeCtor): AnyNode {
  const names: string[] = [];
  const values: AnyNode[] = [];
  while (parser.peekToken().type !== 'block-end') {
    if (names.length && !parser.skip('comma')) parser.fail('with: expected a comma between assignments', tok.lineno, tok.colno);
    const t = parser.parsePrimary();
    if (t.typename !== 'Symbol') parser.fail('with: expected a variable name', t.lineno, t.colno);
    if (!parser.skipValue('operator', '=')) parser.fail("with: expected '=' after the name", t.lineno, t.colno);
    names.push(t.value as string);
    values.push(parser.parseExpression());
  }
  parser.advanceAfterBlockEnd('with');
  const body = parser.parseUntilBlocks('endwith');
  parser.advanceAfterBlockEnd();
  return new HWith(tok.lineno, tok.colno, names, values, body);
}

/** The nunjucks extension registering import_* / load_* / do. */
export function saltExtension(): object {
  const T = installNodes();
  return {
    tags: ['import_yaml', 'import_json', 'import_text', 'load_yaml', 'load_json', 'load_text', 'do', 'with'],
    parse(parser: Parser) {
      const tok = parser.nextToken();
      const tag = tok.value;
      if (tag === 'do') {
        const expr = parser.parseExpression();
        parser.advanceAfterBlockEnd(tag);
        return new T.HDo(tok.lineno, tok.colno, expr);
      }
      if (tag === 'with') return parseWith(parser, tok, T.HWith);
      const kind = tag.split('_')[1]!;
      if (tag.startsWith('import_')) {
        const template = parser.parseExpression();
        const target = parseTarget(parser, tag);
        parser.advanceAfterBlockEnd(tag);
        const value = new T.HImport(tok.lineno, tok.colno, template, kind);
        return new N.Set!(tok.lineno, tok.colno, [target], value);
      }
      const target = parseTarget(parser, tag);
      parser.advanceAfterBlockEnd(tag);
      const body = parser.parseUntilBlocks('endload');
      parser.advanceAfterBlockEnd();
      const capture = new N.Capture!(tok.lineno, tok.colno, body);
      const value = new T.HLoad(tok.lineno, tok.colno, capture, kind);
      return new N.Set!(tok.lineno, tok.colno, [target], value);
    },
  };
}
