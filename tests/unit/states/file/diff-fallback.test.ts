import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../../states/file/diff.js';

describe('unifiedDiff on very different texts', () => {
  const old = Array.from({ length: 3000 }, (_, i) => `old line ${i}`).join('\n') + '\n';
  const neu = Array.from({ length: 3000 }, (_, i) => `new line ${i}`).join('\n');

  it('falls back to one whole-file hunk instead of a quadratic search', () => {
    const d = unifiedDiff(old, neu).split('\n');
    expect(d.slice(0, 3)).toEqual(['--- ', '+++ ', '@@ -1,3000 +1,3000 @@']);
    expect(d.filter((l) => l.startsWith('-old line')).length).toBe(3000);
    expect(d.filter((l) => l.startsWith('+new line')).length).toBe(3000);
    // the new text has no trailing newline: difflib's marker follows its last line
    expect(d.slice(-3)).toEqual(['+new line 2999', '\\ No newline at end of file', '']);
  });

  it('keeps the minimal diff for texts that differ in a few lines', () => {
    const edited = old.replace('old line 1500\n', 'changed\n');
    expect(unifiedDiff(old, edited)).toBe(
      ['--- ', '+++ ', '@@ -1498,7 +1498,7 @@', ' old line 1497', ' old line 1498', ' old line 1499', '-old line 1500', '+changed', ' old line 1501', ' old line 1502', ' old line 1503', ''].join('\n'),
    );
  });

  it('an empty old file is a hunk from 0,0', () => {
    expect(unifiedDiff('', 'a\n')).toBe('--- \n+++ \n@@ -0,0 +1 @@\n+a\n');
  });
});
