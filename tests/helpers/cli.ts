/**
 * Running the shipped CLI (`node dist/halite.js`, the esbuild bundle `halite` runs) from tests: builds dist/ once
 * when it is missing
 * (guarded by a lock directory so parallel test files do not build twice) and runs commands with a timeout.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = resolve(REPO, 'dist/halite.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds. */
  ms: number;
  timedOut: boolean;
}

/** Make sure dist/ holds the compiled CLI (npm test builds first; a bare `vitest run` may not have). */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(CLI)) return;
  const lock = resolve(REPO, 'dist.build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // another test file is building; a lock older than 5 minutes is stale
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone already */
      }
      await new Promise((r) => setTimeout(r, 500));
      if (existsSync(CLI)) return;
    }
  }
  try {
    if (!existsSync(CLI)) {
      spawnSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  if (!existsSync(CLI)) throw new Error(`could not build ${CLI} (run: npx tsc -p tsconfig.json)`);
}

/** Run `node dist/halite.js …args` (argv array, no shell). Never throws on a non-zero exit. */
export function runCli(args: string[], o: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], { cwd: o.cwd ?? REPO, env: { ...process.env, ...o.env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = o.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, o.timeoutMs)
      : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: Date.now() - started, timedOut });
    });
    child.stdin.end(o.input ?? '');
  });
}
