/**
 * nunjucks lexer/parser/compile-driver patches (see compat.ts for the code generator): `}}` inside `{% %}`, the
 * `{% set ns.attr = v %}` form, skipping the async transformer, and the compiled-code cache.
 */
import nunjucks from 'nunjucks';
import { cacheKey, readCode, writeCode } from './codecache.js';

type Fn = (...a: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
type AnyNode = { typename: string; lineno: number; colno: number; [k: string]: unknown };

interface Tok {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}
interface Tokenizer {
  in_code: boolean;
  lineno: number;
  colno: number;
  __braces?: number;
  current(): string;
  forward(): void;
  nextToken(): Tok | null;
}

/**
 * Jinja reads `{% set d = {'a': {'b': 1}} %}` fine; nunjucks' lexer takes the `}}` inside the block for a
 * variable end. Count open braces inside code and hand out single `}` tokens while any is open.
 */
export function patchLexer(): void {
  const lexer = (nunjucks as unknown as { lexer: { Tokenizer?: { prototype: Tokenizer }; lex(s: string, o: object): Tokenizer } }).lexer;
  const proto = (lexer.Tokenizer ?? Object.getPrototypeOf(lexer.lex('', {})).constructor).prototype as Tokenizer;
  const orig = proto.nextToken;
  proto.nextToken = function (this: Tokenizer) {
    if (this.in_code && (this.__braces ?? 0) > 0 && this.current() === '}') {
      const t = { type: 'right-curly', value: '}', lineno: this.lineno, colno: this.colno };
      this.forward();
      this.__braces = (this.__braces ?? 0) - 1;
      return t;
    }
    const t = orig.call(this);
    if (t) {
      if (t.type === 'left-curly') this.__braces = (this.__braces ?? 0) + 1;
      else if (t.type === 'right-curly') this.__braces = Math.max(0, (this.__braces ?? 0) - 1);
      else if (t.type === 'block-end' || t.type === 'variable-end' || t.type === 'block-start' || t.type === 'variable-start') this.__braces = 0;
    }
    return t;
  };
}

/**
 * nunjucks runs every AST through its async "transformer" (three copying tree walks). A sync environment without
 * async filters only needs it for `super()` in blocks; skipping it saves a third of the compile time.
 */
export function patchCompile(): void {
  const lib = nunjucks as unknown as {
    compiler: { compile: Fn; Compiler: new (name: string, t: boolean) => { compile(ast: unknown): void; getCode(): string } };
    parser: { parse(src: string, ext: unknown, opts: unknown): unknown };
  };
  const orig = lib.compiler.compile;
  lib.compiler.compile = function (
    src: string,
    asyncFilters: string[],
    extensions: { preprocess?: (s: string) => string }[],
    name: string,
    opts: { throwOnUndefined?: boolean; haliteCodeCache?: string; trimBlocks?: boolean; lstripBlocks?: boolean } = {},
  ) {
    if (!opts.throwOnUndefined) return orig.call(this, src, asyncFilters, extensions, name, opts);
    const dir = opts.haliteCodeCache;
    const key = dir ? cacheKey(src, String(name), `${opts.trimBlocks ? 1 : 0}${opts.lstripBlocks ? 1 : 0}`) : '';
    if (dir) {
      const hit = readCode(dir, key);
      if (hit !== null) return hit;
    }
    let code: string;
    if ((asyncFilters && asyncFilters.length) || src.includes('super') || (extensions ?? []).some((e) => e.preprocess)) {
      code = orig.call(this, src, asyncFilters, extensions, name, opts);
    } else {
      const c = new lib.compiler.Compiler(name, true);
      c.compile(lib.parser.parse(src, extensions, opts));
      code = c.getCode();
    }
    if (dir) writeCode(dir, key, code);
    return code;
  };
}


interface ParserLike {
  peekToken(): { type: string; value: string; lineno: number; colno: number };
  nextToken(): { type: string; value: string; lineno: number; colno: number };
  skipSymbol(s: string): boolean;
  skip(type: string): boolean;
  skipValue(type: string, v: string): boolean;
  parsePrimary(): AnyNode;
  parseExpression(): AnyNode;
  parseUntilBlocks(...n: string[]): AnyNode;
  advanceAfterBlockEnd(name?: string): void;
  fail(msg: string, l?: number, c?: number): never;
}

/** nunjucks' `set` with one more form: `{% set ns.attr = value %}` (also `ns['attr']`). Otherwise as nunjucks. */
export function patchParseSet(SetAttr: new (l: number, c: number, ...f: unknown[]) => AnyNode): void {
  const lib = nunjucks as unknown as {
    parser: { Parser?: { prototype: Record<string, unknown> }; parse(s: string, e: unknown, o: unknown): unknown };
    nodes: Record<string, new (l: number, c: number, ...f: unknown[]) => AnyNode>;
  };
  const Parser = (lib.parser as { Parser?: { prototype: Record<string, unknown> } }).Parser;
  if (!Parser) return;
  const N = lib.nodes;
  Parser.prototype.parseSet = function (this: ParserLike) {
    const tag = this.peekToken();
    if (!this.skipSymbol('set')) this.fail('parseSet: expected set', tag.lineno, tag.colno);
    const first = this.parsePrimary();
    if (first && first.typename === 'LookupVal') {
      const key = first.val as AnyNode;
      if (!this.skipValue('operator', '=')) this.fail('parseSet: expected = after the attribute', key.lineno, key.colno);
      const value = this.parseExpression();
      this.advanceAfterBlockEnd(tag.value);
      return new SetAttr(tag.lineno, tag.colno, first.target, key, value);
    }
    const node = new N.Set!(tag.lineno, tag.colno, [first]) as AnyNode & { targets: AnyNode[] };
    while (this.skip('comma')) node.targets.push(this.parsePrimary());
    if (!this.skipValue('operator', '=')) {
      if (!this.skip('block-end')) this.fail('parseSet: expected = or block end in set tag', tag.lineno, tag.colno);
      node.body = new N.Capture!(tag.lineno, tag.colno, this.parseUntilBlocks('endset'));
      node.value = null;
      this.advanceAfterBlockEnd();
    } else {
      node.value = this.parseExpression();
      this.advanceAfterBlockEnd(tag.value);
    }
    return node;
  };
}
