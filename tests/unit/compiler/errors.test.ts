/**
 * Every compile error path: Salt's exact message where Salt has one, and halite's location (file, line, ID).
 * Each case is an SLS tree, the mods to compile, and the errors expected (all of them, in order).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileHighstate, compileSls } from '../../../engine/compiler/index.js';
import { CompileErrors } from '../../../engine/errors.js';
import type { Dict } from '../../../engine/types.js';
import { treeEnv } from './helpers.js';

interface Want {
  message: string | RegExp;
  file?: string; // relative to the tree
  line?: number;
  id?: string;
}

interface Case {
  name: string;
  files: Record<string, string>;
  mods?: string[]; // default ['x']; [] = highstate
  opts?: Dict;
  errors: Want[];
}

const cases: Case[] = [
  {
    name: 'ID value not a mapping',
    files: { 'x.sls': 'ok:\n  test.nop: []\nfoo: bar\n' },
    errors: [{ message: 'ID foo in SLS x is not a dictionary', file: 'x.sls', line: 3, id: 'foo' }],
  },
  {
    name: 'short declaration with a trailing colon',
    files: { 'x.sls': 'foo:\n  test.nop:\n' },
    errors: [
      {
        message:
          "ID 'foo' in SLS 'x' contains a short declaration (test.nop) with a trailing colon. When not passing any arguments to a state, the colon must be omitted.",
        file: 'x.sls',
        line: 2,
        id: 'foo',
      },
    ],
  },
  {
    name: 'state not formed as a list',
    files: { 'x.sls': 'foo:\n  test.nop:\n    name: x\n' },
    errors: [{ message: "State 'foo' in SLS 'x' is not formed as a list", file: 'x.sls', line: 2, id: 'foo' }],
  },
  {
    name: 'no function',
    files: { 'x.sls': 'foo:\n  test:\n    - name: x\n' },
    errors: [{ message: "No function declared in state 'foo' in SLS 'x'", file: 'x.sls', line: 2, id: 'foo' }],
  },
  {
    name: 'two functions (classic)',
    files: { 'x.sls': 'foo:\n  cmd:\n    - run\n    - wait\n' },
    errors: [{ message: "Too many functions declared in state 'foo' in SLS 'x'. Please choose one of the following: run, wait", line: 2, id: 'foo' }],
  },
  {
    name: 'two functions (dotted: declared function last)',
    files: { 'x.sls': 'foo:\n  cmd.run:\n    - wait\n' },
    errors: [{ message: "Too many functions declared in state 'foo' in SLS 'x'. Please choose one of the following: wait, run", line: 2, id: 'foo' }],
  },
  {
    name: 'two declarations of one module',
    files: { 'x.sls': 'foo:\n  file.managed:\n    - source: salt://a\n  file.append:\n    - text: x\n' },
    errors: [{ message: "ID 'foo' in SLS 'x' contains multiple state declarations of the same type", file: 'x.sls', line: 4, id: 'foo' }],
  },
  {
    name: 'two declarations of one module, plain key after dotted (Salt silently overwrites)',
    files: { 'x.sls': 'foo:\n  file.append:\n    - text: x\n  file:\n    - managed\n' },
    errors: [{ message: "ID 'foo' in SLS 'x' contains multiple state declarations of the same type", line: 2, id: 'foo' }],
  },
  {
    name: 'function with whitespace',
    files: { 'x.sls': 'foo:\n  cmd:\n    - run echo hi\n' },
    errors: [
      {
        message:
          'The function "run echo hi" in state "foo" in SLS "x" has whitespace, a function with whitespace is not supported, perhaps this is an argument that is missing a ":"',
        id: 'foo',
      },
    ],
  },
  {
    name: 'names not a list',
    files: { 'x.sls': 'foo:\n  test.nop:\n    - names: a\n' },
    errors: [{ message: "The 'names' argument in state 'foo' in SLS 'x' needs to be formed as a list", id: 'foo', line: 2 }],
  },
  {
    name: 'require not a list',
    files: { 'x.sls': 'a:\n  test.nop: []\nfoo:\n  test.nop:\n    - require:\n        test: a\n' },
    errors: [{ message: "The require statement in state 'foo' in SLS 'x' needs to be formed as a list", line: 4, id: 'foo' }],
  },
  {
    name: 'onfail_any not a list (halite checks every requisite)',
    files: { 'x.sls': 'a:\n  test.nop: []\nfoo:\n  test.nop:\n    - onfail_any: a\n' },
    errors: [{ message: "The onfail_any statement in state 'foo' in SLS 'x' needs to be formed as a list", id: 'foo' }],
  },
  {
    name: 'requisite item neither string nor mapping',
    files: { 'x.sls': 'foo:\n  test.nop:\n    - require:\n      - [a]\n' },
    errors: [{ message: "Requisite declaration ['a'] in SLS x is not formed as a single key dictionary", id: 'foo' }],
  },
  {
    name: 'dotted requisite type',
    files: { 'x.sls': 'a:\n  test.nop: []\nfoo:\n  test.nop:\n    - require:\n      - test.nop: a\n' },
    errors: [
      {
        message: "Invalid requisite type 'test.nop' in state 'foo', in SLS 'x'. Requisite types must not contain dots, did you mean 'test'?",
        id: 'foo',
      },
    ],
  },
  {
    name: 'unhashable requisite value',
    files: { 'x.sls': 'foo:\n  test.nop:\n    - require:\n      - test: [a]\n' },
    errors: [{ message: 'Illegal requisite "[\'a\']", please check your syntax.\n', id: 'foo' }],
  },
  {
    name: 'argument mapping with two keys',
    files: { 'x.sls': 'foo:\n  test.nop:\n    - name: a\n      comment: b\n' },
    errors: [{ message: "Multiple dictionaries defined in argument of state 'foo' in SLS 'x'", id: 'foo' }],
  },
  {
    name: 'direct 2-cycle keeps Salt\'s message',
    files: { 'x.sls': 'A:\n  test.nop:\n    - require:\n      - test: B\nB:\n  test.nop:\n    - require:\n      - test: A\n' },
    errors: [{ message: 'A recursive requisite was found, SLS "x" ID "B" ID "A"', file: 'x.sls', line: 6, id: 'B' }],
  },
  {
    name: '2-cycle Salt misses (bare IDs): same message, found by the graph',
    files: { 'x.sls': 'A:\n  test.nop:\n    - require:\n      - B\nB:\n  test.nop:\n    - watch:\n      - A\n' },
    errors: [{ message: 'A recursive requisite was found, SLS "x" ID "B" ID "A"', line: 6, id: 'B' }],
  },
  {
    name: '3-cycle across files is named whole',
    files: {
      'x.sls': 'include:\n  - y\nA:\n  test.nop:\n    - require:\n      - test: B\n',
      'y.sls': 'B:\n  test.nop:\n    - onchanges:\n      - test: C\nC:\n  test.nop:\n    - watch:\n      - id: A\n',
    },
    errors: [
      {
        message:
          'A requisite cycle was found: ID "A" in SLS "x" requires ID "B" in SLS "y", which has onchanges on ID "C" in SLS "y", which watches ID "A"',
        file: 'x.sls',
        line: 4,
        id: 'A',
      },
    ],
  },
  {
    name: 'prereq counts the other way: prereq + require on the same pair is a cycle',
    files: { 'x.sls': 'A:\n  test.nop:\n    - prereq:\n      - test: B\n    - require:\n      - test: B\nB:\n  test.nop: []\n' },
    errors: [{ message: 'A recursive requisite was found, SLS "x" ID "B" ID "A"', id: 'B' }],
  },
  {
    name: 'self-require (Salt\'s 2-cycle check sees it)',
    files: { 'x.sls': 'A:\n  test.nop:\n    - require:\n      - test: A\n' },
    errors: [{ message: 'A recursive requisite was found, SLS "x" ID "A" ID "A"', line: 2, id: 'A' }],
  },
  {
    name: 'self-require by bare ID (Salt fails it at run time)',
    files: { 'x.sls': 'A:\n  test.nop:\n    - watch:\n      - A\n' },
    errors: [{ message: "Recursive require detected in SLS x for require A in ID A", line: 2, id: 'A' }],
  },
  {
    name: 'name given a list (Salt silently uses the ID)',
    files: { 'x.sls': 'foo:\n  test.nop:\n    - name: [a, b]\n' },
    errors: [
      {
        message:
          "The 'name' argument in state 'foo' in SLS 'x' is a list, not a string (Salt would silently use the ID 'foo' instead); use 'names' to declare several states",
        id: 'foo',
      },
    ],
  },
  {
    name: 'invalid order',
    files: { 'x.sls': 'foo:\n  test.nop:\n    - order: soon\n' },
    errors: [{ message: "The order of state 'foo' in SLS 'x' must be a number, 'first' or 'last', not 'soon'", id: 'foo', line: 2 }],
  },
  {
    name: 'malformed names entry',
    files: { 'x.sls': 'foo:\n  test.nop:\n    - names:\n      - a\n      - b: {comment: x}\n' },
    errors: [
      {
        message:
          "Entry {'b': {'comment': 'x'}} of 'names' in state 'foo' in SLS 'x' must be a name or a single-key mapping of a name to a list of single-key arguments",
        id: 'foo',
      },
    ],
  },
  {
    name: 'stray argument',
    files: { 'x.sls': 'foo:\n  test.nop:\n    - 42\n' },
    errors: [{ message: "Argument 42 of state 'foo' in SLS 'x' is neither a function name nor a single-key mapping", id: 'foo' }],
  },
  {
    name: 'ID not a string',
    files: { 'x.sls': '123:\n  test.nop: []\n' },
    errors: [{ message: "ID '123' in SLS 'x' is not formed as a string, but is a int. It may need to be quoted.", line: 1, id: '123' }],
  },
  {
    name: 'unknown state module, with did-you-mean',
    files: { 'x.sls': 'foo:\n  fille.managed:\n    - contents: x\n' },
    errors: [
      {
        message: "State 'fille.managed' was not found in SLS 'x'\nReason: 'fille.managed' is not available (there is no state module 'fille'). Did you mean 'file.managed'?",
        file: 'x.sls',
        line: 2,
        id: 'foo',
      },
    ],
  },
  {
    name: 'unknown state function, with did-you-mean',
    files: { 'x.sls': 'ok:\n  test.nop: []\nfoo:\n  file.exist:\n    - name: /x\n' },
    errors: [
      {
        message: "State 'file.exist' was not found in SLS 'x'\nReason: 'file.exist' is not available (state module 'file' has no function 'exist'). Did you mean 'file.exists'?",
        line: 4,
        id: 'foo',
      },
    ],
  },
  {
    name: 'missing required argument',
    files: { 'x.sls': 'foo:\n  file.replace:\n    - pattern: a\n' },
    errors: [{ message: 'Missing parameter repl for state file.replace', id: 'foo', line: 2 }],
  },
  {
    name: 'unknown keyword argument of a function without **kwargs',
    files: { 'x.sls': 'foo:\n  strict.fn:\n    - sise: 3\n' },
    errors: [{ message: "'sise' is an invalid keyword argument for 'strict.fn' (did you mean 'size'?)", id: 'foo' }],
  },
  {
    name: 'include of a missing SLS',
    files: { 'x.sls': 'a:\n  test.nop: []\ninclude:\n  - nosuch\n' },
    errors: [
      {
        message: 'Specified SLS nosuch in saltenv base is not available on the salt master or through a configured fileserver',
        file: 'x.sls',
        line: 3,
      },
    ],
  },
  {
    name: 'missing SLS on the command line',
    files: { 'x.sls': 'a:\n  test.nop: []\n' },
    mods: ['nosuch'],
    errors: [{ message: "No matching sls found for 'nosuch' in env 'base'" }],
  },
  {
    name: 'relative include beyond the top',
    files: { 'x.sls': 'include:\n  - ..y\n' },
    errors: [{ message: "Attempted relative include of '..y' within SLS 'base:x' goes beyond top level package ", file: 'x.sls', line: 1 }],
  },
  {
    name: 'include from an unknown saltenv',
    files: { 'x.sls': 'include:\n  - prod: y\n' },
    errors: [{ message: "Nonexistent saltenv 'prod' found in include of 'y' within SLS 'base:x'", line: 1 }],
  },
  {
    name: 'include not a list',
    files: { 'x.sls': 'include: y\n' },
    errors: [
      { message: 'Include Declaration in SLS x is not formed as a list', line: 1 },
      { message: 'ID include in SLS x is not a dictionary', line: 1, id: 'include' },
    ],
  },
  {
    name: 'extend of a missing ID',
    files: { 'x.sls': 'a:\n  test.nop: []\nextend:\n  nosuch:\n    test:\n      - comment: x\n' },
    errors: [
      {
        message:
          "Cannot extend ID 'nosuch' in 'base:x'. It is not part of the high state.\nThis is likely due to a missing include statement or an incorrectly typed ID.\nEnsure that a state with an ID of 'nosuch' is available\nin environment 'base' and to SLS 'x'",
        file: 'x.sls',
        line: 4,
        id: 'nosuch',
      },
    ],
  },
  {
    name: 'extend not a mapping',
    files: { 'x.sls': 'a:\n  test.nop: []\nextend:\n  - a\n' },
    errors: [{ message: "Extension value in SLS 'x' is not a dictionary", file: 'x.sls', line: 3 }],
  },
  {
    name: 'extension body not a mapping',
    files: { 'x.sls': 'a:\n  test.nop: []\nextend:\n  a: test\n' },
    errors: [{ message: "Extension name 'a' in SLS 'x' is not a dictionary", id: 'a' }],
  },
  {
    name: 'conflicting IDs across files',
    files: { 'x.sls': 'include:\n  - y\ndup:\n  test.nop: []\n', 'y.sls': 'dup:\n  test.succeed_without_changes: []\n' },
    errors: [
      {
        message:
          "Detected conflicting IDs, SLS IDs need to be globally unique.\n    The conflicting ID is 'dup' and is found in SLS 'base:x' and SLS 'base:y'",
        file: 'y.sls',
        line: 1,
        id: 'dup',
      },
    ],
  },
  {
    name: 'requisite target matching nothing (strict), with did-you-mean',
    files: { 'x.sls': 'app_dir:\n  test.nop: []\nfoo:\n  test.nop:\n    - require:\n      - test: app_dri\n' },
    errors: [{ message: "The require requisite 'test: app_dri' of state 'foo' in SLS 'x' matches no state. Did you mean 'test: app_dir'?", line: 4, id: 'foo' }],
  },
  {
    name: 'requisite naming the wrong module (strict)',
    files: { 'x.sls': 'A:\n  cmd.run: []\nfoo:\n  test.nop:\n    - watch:\n      - file: A\n' },
    errors: [{ message: "The watch requisite 'file: A' of state 'foo' in SLS 'x' matches no state. Did you mean 'cmd: A'?", id: 'foo' }],
  },
  {
    name: 'bare require_in naming nothing (Salt drops it silently)',
    files: { 'x.sls': 'foo:\n  test.nop:\n    - require_in:\n      - /stuff/*\n' },
    errors: [{ message: "The require_in requisite '/stuff/*' of state 'foo' in SLS 'x' matches no state.", id: 'foo' }],
  },
  {
    name: 'use of a missing state (Salt ignores it)',
    files: { 'x.sls': 'foo:\n  test.nop:\n    - use:\n      - test: nosuch\n' },
    errors: [{ message: "The use requisite {'test': 'nosuch'} of state 'foo' in SLS 'x' matches no state.", id: 'foo' }],
  },
  {
    name: 'require_in of an unknown ID is Salt\'s extend error, located at the requiring state',
    files: { 'x.sls': 'A:\n  cmd.run:\n    - require_in:\n      - foobar: W\n' },
    errors: [
      {
        message:
          "Cannot extend ID 'W' in 'base:x'. It is not part of the high state.\nThis is likely due to a missing include statement or an incorrectly typed ID.\nEnsure that a state with an ID of 'W' is available\nin environment 'base' and to SLS 'x'",
        file: 'x.sls',
        line: 2,
        id: 'A',
      },
    ],
  },
  {
    name: 'dotted module in require_in',
    files: { 'x.sls': 'A:\n  test.nop:\n    - require_in:\n      - file.managed: B\nB:\n  file.managed: []\n' },
    errors: [
      { message: "Invalid requisite in require: file.managed for B, in SLS 'x'. Requisites must not contain dots, did you mean 'file'?", id: 'A' },
      { message: /^Cannot extend ID 'B' in 'base:x'/, id: 'A' },
    ],
  },
  {
    name: 'render error keeps the renderer location',
    files: { 'x.sls': 'a:\n  test.nop:\n    - name: {{ nosuchvar }}\n' },
    errors: [{ message: /^Rendering SLS 'base:x' failed: .*nosuchvar/s, file: 'x.sls', line: 3 }],
  },
  {
    name: 'malformed exclude item',
    files: { 'x.sls': 'exclude:\n  - foo: bar\na:\n  test.nop: []\n' },
    errors: [{ message: "Exclude item {'foo': 'bar'} in SLS x must be an SLS name, {sls: pattern} or {id: ID}", line: 1 }],
  },
  {
    name: 'every render-stage error at once (validation waits for them, as in Salt)',
    files: {
      'x.sls': 'include:\n  - nosuch\n  - y\na: b\nextend: [c]\nc:\n  test.nop:\n    name: x\n',
      'y.sls': 'dup: b\n',
    },
    errors: [
      { message: "Extension value in SLS 'x' is not a dictionary", file: 'x.sls', line: 5 },
      { message: 'ID a in SLS x is not a dictionary', file: 'x.sls', line: 4, id: 'a' },
      { message: /^Specified SLS nosuch in saltenv base is not available/, file: 'x.sls', line: 1 },
      { message: 'ID dup in SLS y is not a dictionary', file: 'y.sls', line: 1, id: 'dup' },
    ],
  },
  {
    name: 'every verify error at once',
    files: { 'x.sls': 'c:\n  test.nop:\n    name: x\nd:\n  test:\n    - comment: y\ne:\n  test.nop:\n    - order: never\n' },
    errors: [
      { message: "State 'c' in SLS 'x' is not formed as a list", line: 2, id: 'c' },
      { message: "No function declared in state 'd' in SLS 'x'", line: 5, id: 'd' },
      { message: "The order of state 'e' in SLS 'x' must be a number, 'first' or 'last', not 'never'", line: 8, id: 'e' },
    ],
  },
  {
    name: 'top file that does not parse',
    files: { 'top.sls': 'base:\n  "*":\n    - a\n   - b\n', 'a.sls': 'a:\n  test.nop: []\n' },
    mods: [],
    errors: [{ message: /^Unable to render top file: /, file: 'top.sls' }],
  },
  {
    name: 'top file targets not a list',
    files: { 'top.sls': 'base:\n  "*": a\n', 'a.sls': 'a:\n  test.nop: []\n' },
    mods: [],
    errors: [{ message: 'Malformed topfile (state declarations not formed as a list)', file: 'top.sls', line: 1 }],
  },
  {
    name: 'top file with an unknown matcher',
    files: { 'top.sls': 'base:\n  "os:Debian":\n    - match: grian\n    - a\n', 'a.sls': 'a:\n  test.nop: []\n' },
    mods: [],
    errors: [{ message: /^Unknown matcher 'grian' in the top file of saltenv base/, file: 'top.sls' }],
  },
  {
    name: 'top naming a missing SLS',
    files: { 'top.sls': "base:\n  '*':\n    - a\n    - nosuch\n", 'a.sls': 'a:\n  test.nop: []\n' },
    mods: [],
    errors: [{ message: "No matching sls found for 'nosuch' in env 'base'" }],
  },
];

function collect(c: Case, root: string): unknown[] {
  const { env } = { env: treeEnv(c.files, { opts: c.opts ?? {} }).env };
  void root;
  try {
    if (c.mods && !c.mods.length) compileHighstate(env);
    else compileSls(c.mods ?? ['x'], env);
  } catch (e) {
    if (!(e instanceof CompileErrors)) throw e;
    const roots = env.fileserver.roots('base');
    return e.errors.map((x) => ({
      message: x.message,
      file: x.loc.file ? path.relative(roots[0]!, x.loc.file) : undefined,
      line: x.loc.line,
      id: x.loc.id,
    }));
  }
  return [];
}

describe('compile errors: message, file, line, ID', () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = collect(c, '') as { message: string; file?: string; line?: number; id?: string }[];
      expect(got.map((g) => g.message), JSON.stringify(got, null, 1)).toHaveLength(c.errors.length);
      c.errors.forEach((w, i) => {
        const g = got[i]!;
        if (typeof w.message === 'string') expect(g.message).toBe(w.message);
        else expect(g.message).toMatch(w.message);
        if (w.file !== undefined) expect(g.file).toBe(w.file);
        if (w.line !== undefined) expect(g.line).toBe(w.line);
        if (w.id !== undefined) expect(g.id).toBe(w.id);
      });
    });
  }

  it('strict_requisites: False leaves missing targets to the runner (Salt)', () => {
    const { env } = treeEnv({ 'x.sls': 'foo:\n  test.nop:\n    - require:\n      - test: nosuch\n    - require_in:\n      - /stuff/*\n' }, {
      opts: { strict_requisites: false },
    });
    expect(compileSls(['x'], env).chunks).toHaveLength(1);
  });

  it('disabled_requisites are not checked', () => {
    const { env } = treeEnv({ 'x.sls': 'foo:\n  test.nop:\n    - require:\n      - test: nosuch\n' }, { opts: { disabled_requisites: ['require'] } });
    expect(compileSls(['x'], env).chunks).toHaveLength(1);
  });
});
