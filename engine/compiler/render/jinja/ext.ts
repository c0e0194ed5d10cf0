/**
 * Salt's Jinja tags nunjucks lacks:
 *
 * ```jinja
 * {% import_yaml 'defaults.yaml' as defaults %}   {# also import_json, import_text #}
 * {% load_yaml as cfg %}a: 1{% endload %}         {# also load_json, load_text #}
 * {% do mylist.append(1) %}
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
  fail(msg: string, lineno?: number, colno?: number): never;
  advanceAfterBlockEnd(name?: string): void;
  parseUntilBlocks(...names: string[]): AnyNode;
}
interface Emitter {
  templateName: string;
  _emit(s: string): void;
  _emitLine(s: string): void;
  compile(n: unknown, frame: unknown): void;
  _compileExpression(n: unknown, frame: unknown): void;
}

const N = (nunjucks as unknown as { nodes: Record<string, NodeCtor> & { Node: { extend(n: string, d: object): NodeCtor } } }).nodes;

let nodeTypes: { HImport: NodeCtor; HLoad: NodeCtor; HDo: NodeCtor } | undefined;

/** Node types + compiler methods for the tags (once per process). */
function installNodes(): NonNullable<typeof nodeTypes> {
  if (nodeTypes) return nodeTypes;
  const Compiler = (nunjucks as unknown as { compiler: { Compiler: { prototype: Record<string, unknown> } } }).compiler.Compiler;
  const proto = Compiler.prototype;
  nodeTypes = {
    HImport: N.Node.extend('HImport', { fields: ['template', 'kind'] }),
    HLoad: N.Node.extend('HLoad', { fields: ['body', 'kind'] }),
    HDo: N.Node.extend('HDo', { fields: ['expr'] }),
  };
  const origAssert = proto.assertType as (this: Emitter, node: AnyNode, ...t: unknown[]) => void;
  proto.assertType = function (this: Emitter, node: AnyNode, ...types: unknown[]) {
    if (node && (node.typename === 'HImport' || node.typename === 'HLoad')) return;
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

/** The nunjucks extension registering import_* / load_* / do. */
export function saltExtension(): object {
  const T = installNodes();
  return {
    tags: ['import_yaml', 'import_json', 'import_text', 'load_yaml', 'load_json', 'load_text', 'do'],
    parse(parser: Parser) {
      const tok = parser.nextToken();
      const tag = tok.value;
      if (tag === 'do') {
        const expr = parser.parseExpression();
        parser.advanceAfterBlockEnd(tag);
        return new T.HDo(tok.lineno, tok.colno, expr);
      }
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
