/**
 * What file.managed should write: from `contents` / `contents_pillar` / `contents_grains`, or from `source`
 * (salt:// through the file server, an absolute path on the target, or a list of fallbacks), checked against
 * `source_hash` and rendered through `template`.
 */
import { createHash } from 'node:crypto';
import { dump } from 'js-yaml';
import { secretPillarValues } from '../../engine/pillar/secrets.js';
import type { Dict, StateContext } from '../../engine/types.js';
import { basename, errMsg, flag, isSecretText } from './util.js';

export interface Wanted {
  /** Bytes to write; null when neither source nor contents was given (create empty if absent, else leave). */
  data: Buffer | null;
  /** True when the text came from a file (source/template): Salt then reports the new file's mode. */
  fromSource: boolean;
  /** True when the text must never appear in a diff. */
  secret: boolean;
  /** The source that was used, for messages. */
  source?: string;
}

export type WantedOrError = Wanted | { error: string };

/** Follow `a:b:c` through nested mappings (Salt's default delimiter). */
export function traverse(data: Dict, key: string, delim = ':'): unknown {
  let cur: unknown = data;
  for (const part of key.split(delim)) {
    if (cur && typeof cur === 'object' && !Array.isArray(cur) && part in (cur as Dict)) cur = (cur as Dict)[part];
    else if (Array.isArray(cur) && /^\d+$/.test(part) && Number(part) < cur.length) cur = cur[Number(part)];
    else return undefined;
  }
  return cur;
}

function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.map(String).join('\n');
  if (v !== null && typeof v === 'object') return dump(v, { flowLevel: -1 });
  return String(v);
}

function parseUrl(src: string): { path: string; saltenv?: string } {
  const q = src.indexOf('?');
  if (q < 0) return { path: src };
  const params = new URLSearchParams(src.slice(q + 1));
  return { path: src.slice(0, q), saltenv: params.get('saltenv') ?? undefined };
}

/** Read one source; null when it does not exist. Throws for schemes halite does not fetch. */
export async function readSource(ctx: StateContext, src: string): Promise<Buffer | null> {
  if (src.startsWith('salt://')) {
    const u = parseUrl(src);
    return ctx.fileserver.read(u.path, u.saltenv ?? ctx.saltenv);
  }
  const local = src.startsWith('file://') ? src.slice('file://'.length) : src;
  if (local.startsWith('/')) return ctx.host.readFile(local);
  throw new Error(`Source ${src} is not supported (use salt://, file:// or an absolute path on the target)`);
}

/** Source entries as (url, hash?) pairs: `salt://a`, `[salt://a, salt://b]`, `[{salt://a: sha256=…}]`. */
function sourceEntries(source: unknown, sourceHash: unknown): { url: string; hash?: string }[] {
  const list = Array.isArray(source) ? source : [source];
  const out: { url: string; hash?: string }[] = [];
  for (const e of list) {
    if (e && typeof e === 'object') {
      for (const [url, h] of Object.entries(e as Dict)) out.push({ url, hash: h ? String(h) : undefined });
    } else if (e !== undefined && e !== null) {
      out.push({ url: String(e), hash: sourceHash ? String(sourceHash) : undefined });
    }
  }
  return out;
}

const HASH_BY_LEN: Record<number, string> = { 32: 'md5', 40: 'sha1', 56: 'sha224', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

/** `sha256=…`, a bare hex digest, or a salt:// / path to a hash file (`<hex>  <file name>` lines). */
async function expectedHash(ctx: StateContext, spec: string, url: string): Promise<{ algo: string; hex: string }> {
  const eq = /^([a-z0-9]+)=([0-9a-f]+)$/i.exec(spec.trim());
  if (eq) return { algo: eq[1]!.toLowerCase(), hex: eq[2]!.toLowerCase() };
  if (/^[0-9a-f]+$/i.test(spec.trim()) && HASH_BY_LEN[spec.trim().length]) {
    return { algo: HASH_BY_LEN[spec.trim().length]!, hex: spec.trim().toLowerCase() };
  }
  const text = (await readSource(ctx, spec))?.toString('utf8');
  if (text === undefined) throw new Error(`Source hash file ${spec} not found`);
  const want = basename(parseUrl(url).path);
  let lone: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^\s*(?:([a-z0-9]+)=)?([0-9a-f]{32,128})\b\s*\*?(\S*)/i.exec(line);
    if (!m) continue;
    if (m[3] && basename(m[3]) === want) return { algo: m[1] ?? HASH_BY_LEN[m[2]!.length] ?? 'sha256', hex: m[2]!.toLowerCase() };
    lone ??= m[2]!;
  }
  if (lone && HASH_BY_LEN[lone.length]) return { algo: HASH_BY_LEN[lone.length]!, hex: lone.toLowerCase() };
  throw new Error(`Source hash file ${spec} contains no hash for ${want}`);
}

async function checkHash(ctx: StateContext, data: Buffer, spec: string, url: string): Promise<string | null> {
  const { algo, hex } = await expectedHash(ctx, spec, url);
  const actual = createHash(algo).update(data).digest('hex');
  return actual === hex ? null : `Specified ${algo} checksum for ${url} (${hex}) does not match actual checksum (${actual})`;
}

function renderIfTemplate(ctx: StateContext, text: string, args: Dict, file?: string): string {
  const engine = args['template'];
  if (engine === undefined || engine === null || engine === '') return text;
  if (engine !== 'jinja') throw new Error(`Specified template format ${String(engine)} is not supported`);
  const context: Dict = {
    ...((args['defaults'] as Dict | undefined) ?? {}),
    ...((args['context'] as Dict | undefined) ?? {}),
  };
  for (const k of ['name', 'source', 'user', 'group', 'mode']) if (!(k in context)) context[k] = args[k];
  return ctx.render(text, { engine: 'jinja', file, context, saltenv: ctx.saltenv, sls: ctx.low?.__sls__ ?? '' });
}

/** The inline contents (contents / contents_pillar / contents_grains), or undefined when none is given. */
function inlineContents(ctx: StateContext, args: Dict): { text: string; secret: boolean } | { error: string } | undefined {
  const given = ['contents', 'contents_pillar', 'contents_grains'].filter((k) => args[k] !== undefined && args[k] !== null);
  if (given.length > 1) return { error: "Only one of 'contents', 'contents_pillar', and 'contents_grains' is permitted" };
  if (given.length === 0) return undefined;
  const key = given[0]!;
  let value: unknown = args[key];
  if (key !== 'contents') {
    const from = key === 'contents_pillar' ? ctx.pillar : ctx.grains;
    value = traverse(from, String(args[key]), typeof args['delimiter'] === 'string' ? args['delimiter'] : ':');
    if (value === undefined) return { error: `${key === 'contents_pillar' ? 'Pillar' : 'Grain'} ${String(args[key])} does not exist` };
  }
  let text = asText(value);
  const secret = key === 'contents_pillar' && pillarSecret(ctx, String(args[key]), value);
  if (flag(args['contents_newline'], true) && !text.endsWith('\n')) text += '\n';
  return { text, secret };
}

/** A pillar value is secret when its key matches opts.secret_pillar_keys or it is one of the secret values. */
function pillarSecret(ctx: StateContext, key: string, value: unknown): boolean {
  const patterns = ctx.opts['secret_pillar_keys'];
  const last = key.split(':').pop() ?? key;
  if (secretPillarValues({ [last]: value }, patterns).length) return true;
  const all = secretPillarValues(ctx.pillar, patterns);
  const found = typeof value === 'string' && all.includes(value);
  return found;
}

/** Work out the wanted bytes for file.managed. Never mutates anything. */
export async function wantedContent(ctx: StateContext, args: Dict): Promise<WantedOrError> {
  for (const k of ['context', 'defaults']) {
    const v = args[k];
    if (v !== undefined && v !== null && (typeof v !== 'object' || Array.isArray(v))) {
      return { error: `${k === 'context' ? 'Context' : 'Defaults'} must be formed as a dict` };
    }
  }
  try {
    const inline = inlineContents(ctx, args);
    if (inline && 'error' in inline) return inline;
    if (inline) {
      const text = renderIfTemplate(ctx, inline.text, args);
      const secret = inline.secret || isSecretText(ctx, text, args);
      if (inline.secret) ctx.secret(text.replace(/\n$/, ''));
      return { data: Buffer.from(text, 'utf8'), fromSource: false, secret };
    }
    if (args['source'] === undefined || args['source'] === null || args['source'] === '') {
      return { data: null, fromSource: false, secret: false };
    }
    const entries = sourceEntries(args['source'], args['source_hash']);
    for (const e of entries) {
      const raw = await readSource(ctx, e.url);
      if (raw === null) continue;
      if (e.hash && !flag(args['skip_verify'])) {
        const bad = await checkHash(ctx, raw, e.hash, e.url);
        if (bad) return { error: bad };
      }
      let data = raw;
      if (args['template']) data = Buffer.from(renderIfTemplate(ctx, raw.toString('utf8'), args, e.url), 'utf8');
      const secret = isSecretText(ctx, data.toString('utf8'), args);
      return { data, fromSource: true, secret, source: e.url };
    }
    if (entries.length === 1) {
      const e = entries[0]!;
      return e.url.startsWith('salt://')
        ? { error: `Source file ${parseUrl(e.url).path} not found in saltenv '${parseUrl(e.url).saltenv ?? ctx.saltenv}'` }
        : { error: `Source file ${e.url} not found` };
    }
    return { error: 'Unable to manage file: none of the specified sources were found' };
  } catch (e) {
    return { error: `Unable to manage file: ${errMsg(e)}` };
  }
}
