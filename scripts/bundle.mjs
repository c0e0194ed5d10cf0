// Bundles the compiled CLI (dist/engine/cli/main.js) and its npm dependencies into one file, dist/halite.js.
// Why: Node 20 spends most of a short command's time loading ~150 ESM modules one by one; one file loads in a
// fraction of that. The unbundled dist/ stays for tests and debugging.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

await build({
  entryPoints: ['dist/engine/cli/main.js'],
  outfile: 'dist/halite.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // nunjucks' file watcher is optional and unused.
  external: ['chokidar', 'fsevents'],
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import { createRequire as __haliteCreateRequire } from 'node:module';\nconst require = __haliteCreateRequire(import.meta.url);" },
});
chmodSync('dist/halite.js', 0o755);
