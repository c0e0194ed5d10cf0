/**
 * Helpers shared by both backends.
 */
import type { Host } from '../../engine/host/types.js';

/** `sig:` status: is a process whose command line matches the pattern running (`pgrep -f`)? */
export async function sigRunning(host: Host, sig: string): Promise<boolean> {
  const r = await host.run(['pgrep', '-f', '--', sig]);
  return r.code === 0;
}

/** Sleep that an abort ends early (init_delay). */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
