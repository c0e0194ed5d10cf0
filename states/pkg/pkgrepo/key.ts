/**
 * Fetching a repository signing key for `key_url`: `salt://` (file server), an absolute path or `file://` URL on
 * the target host, or http(s) fetched by curl on the target host.
 */
import { posix } from 'node:path';
import { HaliteError } from '../../../engine/errors.js';
import type { StateContext } from '../../../engine/types.js';
import { failureText } from '../fact.js';

export async function fetchKey(ctx: StateContext, url: string): Promise<Buffer> {
  if (url.startsWith('salt://')) {
    const data = ctx.fileserver.read(url, ctx.saltenv);
    if (!data) throw new HaliteError('invocation', `key_url ${url} not found in file_roots`);
    return data;
  }
  const path = url.startsWith('file://') ? url.slice('file://'.length) : url.startsWith('/') ? url : null;
  if (path !== null) {
    const data = await ctx.host.readFile(path);
    if (!data) throw new HaliteError('invocation', `key_url ${url}: no such file on ${ctx.host.name}`);
    return data;
  }
  if (/^https?:\/\//.test(url)) {
    const tmp = (await ctx.host.run(['mktemp'])).stdout.trim();
    try {
      const r = await ctx.host.run(['curl', '-fsSL', '--max-time', '120', '-o', tmp, url], { signal: ctx.signal });
      if (r.code !== 0) throw new HaliteError('command', `key_url ${url}: download failed: ${failureText(r, 2)}`);
      return (await ctx.host.readFile(tmp)) ?? Buffer.alloc(0);
    } finally {
      await ctx.host.remove(tmp);
    }
  }
  throw new HaliteError('invocation', `key_url ${url}: use salt://, file://, an absolute path or http(s)://`);
}

/** Where a key goes when only key_url is given: /etc/apt/keyrings/<list file name>.asc (armored) or .gpg. */
export function defaultKeyPath(listFile: string, key: Buffer): string {
  const base = posix.basename(listFile).replace(/\.list$/, '');
  const armored = key.subarray(0, 64).toString('latin1').includes('-----BEGIN PGP');
  return `/etc/apt/keyrings/${base}.${armored ? 'asc' : 'gpg'}`;
}
