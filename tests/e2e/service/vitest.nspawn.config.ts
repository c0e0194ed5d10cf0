/**
 * Opt-in suite: the systemd backend against a real systemd (PID 1 in a systemd-nspawn container).
 * Not in the default run because the first run builds a ~240 MB debootstrap image (~80 s, network to the
 * Debian mirror); later runs reuse it from /var/cache/halite-test and take ~10 s.
 *
 *   npx vitest run -c tests/e2e/service/vitest.nspawn.config.ts
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['tests/e2e/service/**/*.nspawn.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
