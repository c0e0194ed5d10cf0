/**
 * `test.*` execution functions of the engine: `test.ping` (always True) and `test.version` (halite's version).
 *
 * ```
 * halite call test.ping      → local: True
 * ```
 */
import { readFileSync } from 'node:fs';
import type { ExecModule } from '../types.js';

let cached: string | undefined;

/** halite's version, from package.json (works from the sources and from dist/). */
export function haliteVersion(): string {
  if (cached) return cached;
  for (const rel of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'halite' && pkg.version) return (cached = pkg.version);
    } catch {
      // try the next location
    }
  }
  return (cached = 'unknown');
}

export const testExecModule: ExecModule = {
  name: 'test',
  doc: 'Functions to check that halite itself works.',
  functions: {
    ping: {
      fn: () => true,
      doc: 'Return True: the target answers.\n\n    halite call test.ping',
    },
    version: {
      fn: () => haliteVersion(),
      doc: "Return halite's version.\n\n    halite call test.version",
    },
  },
};
