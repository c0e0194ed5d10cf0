/**
 * The "floor" for bench/apply: a bare Node process that stats, reads and sha256-hashes every file in a directory —
 * the least work a no-op `file.managed` run over the same files must do. Prints the count and a combined digest.
 *
 * Run: `node dist/bench/floor.js DIR`
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node dist/bench/floor.js DIR\n');
  process.exit(1);
}
const all = createHash('sha256');
let n = 0;
for (const name of readdirSync(dir).sort()) {
  const p = join(dir, name);
  const st = statSync(p);
  if (!st.isFile()) continue;
  const digest = createHash('sha256').update(readFileSync(p)).digest('hex');
  all.update(`${name} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${digest}\n`);
  n++;
}
process.stdout.write(`${n} files ${all.digest('hex')}\n`);
