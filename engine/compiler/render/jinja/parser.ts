/**
 * nunjucks parser patches for Jinja2 literal syntax:
 *
 * ```jinja
 * {% set d = {'a': 1, 'b': 2,} %}          {# trailing comma in a dict, list or tuple literal #}
 * {{ salt['grains.filter_by']({...}, grain='os_family',) }}   {# and in a call's argument list #}
 * {{ ('a',) }}  {{ () }}                   {# one-element and empty tuples #}
 * {{ 1.0 }}                                {# a float literal stays a float: prints 1.0 #}
 * ```
 *
 * A parenthesised group that is a tuple (a comma inside, or empty) is marked `tuple: true`; compat.ts compiles
 * it to a Python tuple. Must be installed before nunjucks' jinja-compat, which wraps `parseAggregate` (slices).
 */
import nunjucks from 'nunjucks';

type AnyNode = { typename: string; lineno: number; colno: number; children: AnyNode[]; [k: string]: unknown };
type NodeCtor = new (lineno: number, colno: number, ...fields: unknown[]) => AnyNode;
interface Tok {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}
interface ParserLike {
  peekToken(): Tok;
  nextToken(): Tok;
  skip(type: string): boolean;
  skipValue(type: string, v: string): boolean;
  parsePrimary(): AnyNode;
  parseExpression(): AnyNode;
  fail(msg: string, l?: number, c?: number): never;
}

const CLOSERS = new Set(['right-paren', 'right-bracket', 'right-curly']);

let installed = false;

/** Install the parser patches (once per process). */
export function patchParser(): void {
  if (installed) return;
  installed = true;
  const lib = nunjucks as unknown as {
    parser: { Parser?: { prototype: Record<string, unknown> } };
    nodes: Record<string, NodeCtor>;
  };
  const Parser = lib.parser.Parser;
  if (!Parser) return;
  const N = lib.nodes;

  /** `(…)`, `[…]`, `{…}` literals; a comma before the closing bracket is allowed, as in Jinja2. */
  Parser.prototype.parseAggregate = function (this: ParserLike): AnyNode | null {
    const tok = this.nextToken();
    const kind = tok.type === 'left-paren' ? 'Group' : tok.type === 'left-bracket' ? 'Array' : tok.type === 'left-curly' ? 'Dict' : null;
    if (!kind) return null;
    const node = new N[kind]!(tok.lineno, tok.colno);
    const add = (n: AnyNode) => (node as unknown as { addChild(n: AnyNode): void }).addChild(n);
    let sawComma = false;
    for (;;) {
      if (CLOSERS.has(this.peekToken().type)) {
        this.nextToken();
        break;
      }
      if (node.children.length > 0) {
        if (!this.skip('comma')) this.fail('parseAggregate: expected comma after expression', tok.lineno, tok.colno);
        sawComma = true;
        if (CLOSERS.has(this.peekToken().type)) {
          this.nextToken();
          break;
        }
      }
      if (kind === 'Dict') {
        const key = this.parsePrimary();
        if (!this.skip('colon')) this.fail('parseAggregate: expected colon after dict key', tok.lineno, tok.colno);
        const value = this.parseExpression();
        add(new N.Pair!(key.lineno, key.colno, key, value));
      } else {
        add(this.parseExpression());
      }
    }
    if (kind === 'Group' && (sawComma || node.children.length === 0)) node.tuple = true;
    return node;
  };

  /** `1.0` is a float: marked so the code generator keeps it one (JS would make it 1). */
  const origPrimary = Parser.prototype.parsePrimary as (this: ParserLike, noPostfix?: boolean) => AnyNode;
  Parser.prototype.parsePrimary = function (this: ParserLike & { parsePostfix(n: AnyNode): AnyNode }, noPostfix?: boolean): AnyNode {
    const tok = this.peekToken();
    if (!tok || tok.type !== 'float' || !Number.isInteger(parseFloat(tok.value))) return origPrimary.call(this, noPostfix);
    this.nextToken();
    const node = new N.Literal!(tok.lineno, tok.colno, parseFloat(tok.value));
    node.pyFloat = true;
    return noPostfix ? node : this.parsePostfix(node);
  };

  /** Call/macro argument lists; a trailing comma before `)` is allowed. */
  Parser.prototype.parseSignature = function (this: ParserLike, tolerant: boolean, noParens: boolean): AnyNode | null {
    let tok = this.peekToken();
    if (!noParens && tok.type !== 'left-paren') {
      if (tolerant) return null;
      this.fail('expected arguments', tok.lineno, tok.colno);
    }
    if (tok.type === 'left-paren') tok = this.nextToken();
    const args = new N.NodeList!(tok.lineno, tok.colno) as AnyNode & { addChild(n: AnyNode): void };
    const kwargs = new N.KeywordArgs!(tok.lineno, tok.colno) as AnyNode & { addChild(n: AnyNode): void };
    let first = true;
    for (;;) {
      tok = this.peekToken();
      if (!noParens && tok.type === 'right-paren') {
        this.nextToken();
        break;
      }
      if (noParens && tok.type === 'block-end') break;
      if (!first) {
        if (!this.skip('comma')) this.fail('parseSignature: expected comma after expression', tok.lineno, tok.colno);
        if (!noParens && this.peekToken().type === 'right-paren') {
          this.nextToken();
          break;
        }
      }
      const arg = this.parseExpression();
      if (this.skipValue('operator', '=')) kwargs.addChild(new N.Pair!(arg.lineno, arg.colno, arg, this.parseExpression()));
      else args.addChild(arg);
      first = false;
    }
    if (kwargs.children.length) args.addChild(kwargs);
    return args;
  };
}
