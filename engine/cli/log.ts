/**
 * The CLI's logger: Salt-style `[LEVEL   ] message` lines on stderr, filtered by `-l/--log-level`, every line
 * passed through the secret mask.
 */
import type { Logger } from '../types.js';

export const LOG_LEVELS = ['all', 'garbage', 'trace', 'debug', 'info', 'warning', 'error', 'critical', 'quiet'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const RANK: Record<LogLevel, number> = { all: 0, garbage: 1, trace: 5, debug: 10, info: 20, warning: 30, error: 40, critical: 50, quiet: 1000 };

/** A stderr logger; `mask` is applied to every message (set once the minion's secrets exist). */
export function stderrLogger(level: LogLevel, write: (s: string) => void = (s) => process.stderr.write(s)): Logger & { mask: (s: string) => string } {
  const min = RANK[level] ?? RANK.warning;
  const self = {
    mask: (s: string) => s,
    debug: (m: string) => emit(10, 'DEBUG', m),
    info: (m: string) => emit(20, 'INFO', m),
    warn: (m: string) => emit(30, 'WARNING', m),
    error: (m: string) => emit(40, 'ERROR', m),
  };
  function emit(rank: number, label: string, msg: string): void {
    if (rank < min) return;
    write(`[${label.padEnd(8)}] ${self.mask(msg)}\n`);
  }
  return self;
}
