import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../../states/file/diff.js';
import { flagBits, pyRegex, pyRepl } from '../../../../states/file/pyregex.js';
import { appendText, blockReplaceText, commentText, lineText, replaceText, uncommentText } from '../../../../states/file/textops.js';
import { parseMode, fmtMode } from '../../../../states/file/util.js';
import { fnmatchRegex, includeExclude } from '../../../../states/file/walk.js';

describe('unifiedDiff (difflib format)', () => {
  it.each([
    ['a\n', 'b\n', '--- \n+++ \n@@ -1 +1 @@\n-a\n+b\n'],
    ['', 'a\nb\n', '--- \n+++ \n@@ -0,0 +1,2 @@\n+a\n+b\n'],
    ['1\n2\n3\n4\n5\n6\n7\n8\n', '1\n2\n3\n4\nX\n6\n7\n8\n', '--- \n+++ \n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n'],
    ['same\n', 'same\n', ''],
  ])('%j → %j', (a, b, want) => expect(unifiedDiff(a, b)).toBe(want));
});

describe('modes', () => {
  it.each([
    [644, 0o644],
    ['0644', 0o644],
    ['755', 0o755],
    [2775, 0o2775],
    [undefined, undefined],
  ])('parseMode(%j)', (v, want) => expect(parseMode(v)).toBe(want));
  it('rejects non-octal', () => expect(() => parseMode('0999')).toThrow());
  it('formats 4 digits', () => expect([fmtMode(0o644), fmtMode(0o2775), fmtMode(0o7)]).toEqual(['0644', '2775', '0007']));
});

describe('python regex', () => {
  it('named groups, inline flags, replacement syntax', () => {
    const re = pyRegex('(?i)^(?P<k>port)\\s*=\\s*(\\d+)$', 8, true);
    expect('Port = 80\nx\n'.replace(re, pyRepl('\\g<k> = \\2 # \\1 $1'))).toBe('Port = 80 # Port $1\nx\n');
    expect(flagBits(['IGNORECASE', 'MULTILINE'], 8)).toBe(10);
    expect(flagBits(undefined, 8)).toBe(8);
  });
});

describe('replaceText', () => {
  const base = { flags: 8 };
  it.each([
    ['a=1\nb=2\n', { pattern: '^a=.*$', repl: 'a=9' }, 'a=9\nb=2\n'],
    ['a=9\nb=2\n', { pattern: '^a=.*$', repl: 'a=9' }, 'a=9\nb=2\n'],
    ['x x x', { pattern: 'x', repl: 'y', count: 2 }, 'y y x'],
    ['b=2', { pattern: '^a=.*$', repl: 'a=1', appendIfNotFound: true }, 'b=2\na=1\n'],
    ['b=2\na=1\n', { pattern: '^a=5$', repl: 'a=1', appendIfNotFound: true }, 'b=2\na=1\n'],
    ['b=2\n', { pattern: '^a=.*$', repl: 'a=1', prependIfNotFound: true }, 'a=1\nb=2\n'],
    ['b=2\n', { pattern: '^a=.*$', repl: 'a=1' }, 'b=2\n'],
  ])('%j %j', (text, o, want) => expect(replaceText(text, { ...base, ...o })).toBe(want));
});

describe('blockReplaceText', () => {
  const m = { markerStart: '# BEGIN', markerEnd: '# END' };
  it.each([
    ['x\n# BEGIN\nold\n# END\ny\n', { content: 'new' }, 'x\n# BEGIN\nnew\n# END\ny\n'],
    ['x\n# BEGIN\nnew\n# END\ny\n', { content: 'new\n' }, 'x\n# BEGIN\nnew\n# END\ny\n'],
    ['x', { content: 'c', appendIfNotFound: true }, 'x\n# BEGIN\nc\n# END\n'],
    ['x\n', { content: 'c', prependIfNotFound: true }, '# BEGIN\nc\n# END\nx\n'],
  ])('%j %j', (text, o, want) => expect(blockReplaceText(text, { ...m, ...o })).toBe(want));
  it('errors', () => {
    expect(() => blockReplaceText('x\n', { ...m, content: 'c' })).toThrow('Cannot edit marked block. Markers were not found');
    expect(() => blockReplaceText('# BEGIN\nx\n', { ...m, content: 'c' })).toThrow(/Unterminated marked block/);
  });
});

describe('appendText', () => {
  it.each([
    ['a\n', ['b'], 'a\nb\n', 1],
    ['a', ['b', 'c'], 'a\nb\nc\n', 2],
    ['a\n  b   c\n', ['b c'], 'a\n  b   c\n', 0],
    ['', ['x\ny'], 'x\ny\n', 2],
  ])('%j + %j', (text, lines, want, n) => expect(appendText(text, lines)).toEqual({ text: want, added: n }));
});

describe('comment / uncomment', () => {
  it('comments matching lines once', () => {
    const c = commentText('PermitRootLogin yes\nPort 22\n', '^PermitRootLogin', '#');
    expect(c).toBe('#PermitRootLogin yes\nPort 22\n');
    expect(commentText(c, '^PermitRootLogin', '#')).toBe(c);
  });
  it('uncomments with or without a blank after the char', () => {
    expect(uncommentText('#PermitRootLogin no\n# Port 22\n', '^PermitRootLogin', '#')).toBe('PermitRootLogin no\n# Port 22\n');
    expect(uncommentText('# Port 22\n', 'Port', '#')).toBe('Port 22\n');
  });
});

describe('lineText', () => {
  const t = 'a\n  b\nc\n';
  it.each([
    [{ mode: 'replace', match: '^\\s*b', content: 'B' }, 'a\n  B\nc\n'],
    [{ mode: 'delete', match: '^c' }, 'a\n  b\n'],
    [{ mode: 'insert', content: 'z', location: 'start' }, 'z\na\n  b\nc\n'],
    [{ mode: 'insert', content: 'z', location: 'end' }, 'a\n  b\nc\nz\n'],
    [{ mode: 'insert', content: 'c', location: 'end' }, t],
    [{ mode: 'insert', content: 'z', after: '^a' }, 'a\nz\n  b\nc\n'],
    [{ mode: 'insert', content: 'z', before: 'b' }, 'a\n  z\n  b\nc\n'],
    [{ mode: 'ensure', content: 'z', after: '^a' }, 'a\nz\n  b\nc\n'],
    [{ mode: 'ensure', content: 'b', after: '^a' }, t],
    [{ mode: 'ensure', content: 'z', after: '^a', before: '^c' }, 'a\nz\nc\n'],
    [{ mode: 'ensure', content: 'c = 1', match: '^c' }, 'a\n  b\nc = 1\n'],
    [{ mode: 'ensure', content: 'd = 1', match: '^d' }, 'a\n  b\nc\nd = 1\n'],
    [{ mode: 'ensure', content: 'c' }, t],
  ] as const)('%j', (o, want) => expect(lineText(t, o as never)).toBe(want));
  it('content is required unless deleting', () => expect(() => lineText(t, { mode: 'insert' })).toThrow('Content can only be empty if mode is "delete"'));
});

describe('fnmatch / include-exclude', () => {
  it.each([
    ['*.conf', 'a/b.conf', true],
    ['*.conf', 'b.txt', false],
    ['[!a]*', 'b', true],
    ['[!a]*', 'a', false],
  ])('%s ~ %s', (p, s, want) => expect(fnmatchRegex(p).test(s)).toBe(want));
  it('E@ regex and exclusion', () => {
    expect(includeExclude('x.local', undefined, '*.local')).toBe(false);
    expect(includeExclude('x.conf', undefined, 'E@\\.local$')).toBe(true);
    expect(includeExclude('x.conf', '*.txt', undefined)).toBe(false);
  });
});
