import { describe, expect, it } from 'vitest';
import { ensureEntry, formatSource, parseSourceLine, removeEntry } from '../../../../states/pkg/pkgrepo/sources.js';

const line = 'deb [arch=amd64 signed-by=/k.gpg] http://deb.example/debian bookworm main contrib';

describe('apt one-line sources', () => {
  it('parses and formats back', () => {
    const e = parseSourceLine(line)!;
    expect(e).toEqual({
      type: 'deb',
      options: [['arch', 'amd64'], ['signed-by', '/k.gpg']],
      uri: 'http://deb.example/debian',
      suite: 'bookworm',
      components: ['main', 'contrib'],
      disabled: false,
    });
    expect(formatSource(e)).toBe(line);
    expect(parseSourceLine('# deb file:/r ./')).toMatchObject({ disabled: true, suite: './', components: [] });
    expect(parseSourceLine('# a comment')).toBeNull();
    expect(parseSourceLine('')).toBeNull();
  });

  it.each([
    ['appends to an empty file, with a comment', '', 'deb file:/r ./', ['Local'], '# Local\ndeb file:/r ./\n', undefined],
    ['keeps an equivalent entry (option order, trailing slash)', 'deb [b=2 a=1] http://x/ s main\n', 'deb [a=1 b=2] http://x s main', [], 'deb [b=2 a=1] http://x/ s main\n', 'deb [b=2 a=1] http://x/ s main'],
    ['replaces the same repository with other components', 'x\ndeb http://x s main\ny\n', 'deb http://x s main contrib', [], 'x\ndeb http://x s main contrib\ny\n', 'deb http://x s main'],
    ['enables a commented-out entry', '# deb http://x s main\n', 'deb http://x s main', [], 'deb http://x s main\n', '# deb http://x s main'],
  ])('%s', (_t, text, want, comments, out, old) => {
    const r = ensureEntry(text, parseSourceLine(want)!, comments);
    expect(r.text).toBe(out);
    expect(r.old).toBe(old);
    expect(r.changed).toBe(text !== out);
  });

  it('removes an entry and reports an emptied file', () => {
    const e = parseSourceLine('deb http://x s main')!;
    expect(removeEntry('# hdr\ndeb http://x s main\n', e)).toEqual({ text: '# hdr\n', removed: ['deb http://x s main'], empty: true });
    expect(removeEntry('deb http://x s main\ndeb http://y s main\n', e)).toEqual({ text: 'deb http://y s main\n', removed: ['deb http://x s main'], empty: false });
    expect(removeEntry('deb http://x s contrib\n', e).removed).toEqual([]);
  });
});
