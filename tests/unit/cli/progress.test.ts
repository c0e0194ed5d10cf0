import { describe, expect, it } from 'vitest';
import { progress } from '../../../engine/cli/progress.js';

describe('progress display', () => {
  it('redraws one line on a TTY and clears it at the end', () => {
    const out: string[] = [];
    let t = 0;
    const p = progress({ write: (s: string) => out.push(s), isTTY: true }, () => t);
    p.onEvent({ type: 'start', tag: 'pkg_|-nginx_|-nginx_|-installed', done: 0, total: 3 });
    t = 1500;
    p.onEvent({ type: 'finish', tag: 'pkg_|-nginx_|-nginx_|-installed', done: 1, total: 3 });
    p.end();
    expect(out[0]).toBe('\r\x1b[K[0/3] 0.0s running: nginx (pkg.installed)');
    expect(out[1]).toBe('\r\x1b[K[1/3] 1.5s');
    expect(out[2]).toBe('\r\x1b[K');
  });
  it('prints one line per finished state when forced on a non-TTY', () => {
    const out: string[] = [];
    const p = progress({ write: (s: string) => out.push(s) }, () => 0);
    p.onEvent({ type: 'start', tag: 'cmd_|-a_|-echo_|-run', done: 0, total: 1 });
    p.onEvent({ type: 'finish', tag: 'cmd_|-a_|-echo_|-run', done: 1, total: 1 });
    p.end();
    expect(out).toEqual(['[1/1] 0.0s done: a (cmd.run)\n']);
  });
});
