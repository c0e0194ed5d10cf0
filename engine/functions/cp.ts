/**
 * `cp.*`: copying from the file server (`salt://`) to the target host.
 *
 * ```
 * halite call cp.get_file salt://motd /etc/motd
 * halite call cp.get_template salt://app.conf.j2 /etc/app.conf
 * halite call cp.list_master prefix=nginx
 * ```
 */
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { parseSaltUrl, type RootsFileServer } from '../fileserver/index.js';
import { CommandError } from '../errors.js';
import type { Dict, ExecContext, ExecModule } from '../types.js';

function arg(args: unknown[], kwargs: Dict, i: number, key: string): unknown {
  return kwargs[key] !== undefined ? kwargs[key] : args[i];
}

function envOf(ctx: ExecContext, args: unknown[], kwargs: Dict, i: number): string {
  const e = arg(args, kwargs, i, 'saltenv');
  return typeof e === 'string' && e ? e : ctx.saltenv;
}

function needPath(v: unknown, fun: string, what: string): string {
  if (typeof v !== 'string' || !v) throw new CommandError(`cp.${fun}: missing argument '${what}'`);
  return v;
}

/** Where a file lands: `dest`, or `dest/<basename>` when dest is a directory or ends with '/'. */
async function destFor(ctx: ExecContext, src: string, dest: string): Promise<string> {
  const name = basename(parseSaltUrl(src).path);
  if (dest.endsWith('/')) return join(dest, name);
  const st = await ctx.host.stat(dest);
  return st?.type === 'directory' ? join(dest, name) : dest;
}

/** Read a salt:// file (or '' / null when absent). Template kwargs other than Salt's own become its context. */
function fetch(ctx: ExecContext, url: string, saltenv: string): Buffer | null {
  return ctx.fileserver.read(url, saltenv);
}

function render(ctx: ExecContext, url: string, text: string, engine: string, saltenv: string, kwargs: Dict): string {
  const skip = new Set(['saltenv', 'makedirs', 'template', 'dest', 'path', 'gzip', 'context', 'defaults']);
  const context: Dict = { ...((kwargs.defaults as Dict) ?? {}), ...((kwargs.context as Dict) ?? {}) };
  for (const [k, v] of Object.entries(kwargs)) if (!skip.has(k)) context[k] = v;
  return ctx.render(text, { engine, file: ctx.fileserver.resolve(url, saltenv) ?? undefined, context, saltenv });
}

async function getFile(ctx: ExecContext, args: unknown[], kwargs: Dict): Promise<string> {
  const src = needPath(arg(args, kwargs, 0, 'path'), 'get_file', 'path');
  const dest0 = needPath(arg(args, kwargs, 1, 'dest'), 'get_file', 'dest');
  const saltenv = envOf(ctx, args, kwargs, 2);
  const makedirs = arg(args, kwargs, 3, 'makedirs') === true;
  const template = arg(args, kwargs, 4, 'template');
  const data = fetch(ctx, src, saltenv);
  if (data === null) return '';
  const dest = await destFor(ctx, src, dest0);
  const out = typeof template === 'string' && template ? render(ctx, src, data.toString('utf8'), template, saltenv, kwargs) : data;
  if (!ctx.test) await ctx.host.writeFile(dest, out, { makedirs });
  return dest;
}

async function getTemplate(ctx: ExecContext, args: unknown[], kwargs: Dict): Promise<string> {
  const src = needPath(arg(args, kwargs, 0, 'path'), 'get_template', 'path');
  const dest0 = needPath(arg(args, kwargs, 1, 'dest'), 'get_template', 'dest');
  const engine = String(arg(args, kwargs, 2, 'template') ?? 'jinja');
  const saltenv = envOf(ctx, args, kwargs, 3);
  const data = fetch(ctx, src, saltenv);
  if (data === null) return '';
  const dest = await destFor(ctx, src, dest0);
  const text = render(ctx, src, data.toString('utf8'), engine, saltenv, kwargs);
  if (!ctx.test) await ctx.host.writeFile(dest, text, { makedirs: kwargs.makedirs === true });
  return dest;
}

/** The cache path of a salt:// file on the target: `<cachedir>/files/<saltenv>/<path>`. */
export function cachePath(opts: Dict, url: string, saltenv: string): string {
  const p = parseSaltUrl(url);
  return join(String(opts.cachedir ?? '/var/cache/halite'), 'files', p.saltenv ?? saltenv, p.path);
}

async function cacheFile(ctx: ExecContext, args: unknown[], kwargs: Dict): Promise<string | false> {
  const src = needPath(arg(args, kwargs, 0, 'path'), 'cache_file', 'path');
  if (!src.startsWith('salt://')) {
    // A local path is already "cached"; other schemes are not supported.
    if (src.startsWith('/')) return (await ctx.host.stat(src)) ? src : false;
    throw new CommandError(`cp.cache_file: unsupported source '${src}' (only salt:// and local paths)`);
  }
  const saltenv = envOf(ctx, args, kwargs, 1);
  const data = fetch(ctx, src, saltenv);
  if (data === null) return false;
  const dest = cachePath(ctx.opts, src, saltenv);
  await ctx.host.writeFile(dest, data, { makedirs: true, dirMode: 0o700 });
  return dest;
}

function hashOf(data: Buffer, type: string): Dict {
  const algo = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'].includes(type) ? type : 'sha256';
  return { hash_type: algo, hsum: createHash(algo).update(data).digest('hex') };
}

function hashFileSync(ctx: ExecContext, args: unknown[], kwargs: Dict): Dict | false {
  const src = needPath(arg(args, kwargs, 0, 'path'), 'hash_file', 'path');
  const type = String(ctx.opts.hash_type ?? 'sha256');
  const data = src.startsWith('salt://') ? fetch(ctx, src, envOf(ctx, args, kwargs, 1)) : ctx.host.readFileSync(src);
  return data === null ? false : hashOf(data, type);
}

function listMaster(ctx: ExecContext, args: unknown[], kwargs: Dict, dirs: boolean): string[] {
  const saltenv = envOf(ctx, args, kwargs, 0);
  const prefix = String(arg(args, kwargs, 1, 'prefix') ?? '');
  const fs = ctx.fileserver as Partial<RootsFileServer> & typeof ctx.fileserver;
  if (dirs) return typeof fs.listDirs === 'function' ? fs.listDirs(saltenv, prefix || undefined) : [];
  return fs.list(saltenv, prefix || undefined);
}

export const cpExecModule: ExecModule = {
  name: 'cp',
  doc: 'Copy files from the file server (salt://) to the target.',
  functions: {
    get_file: { fn: getFile, doc: "Copy salt://path to dest; returns dest, or '' when the source is missing.\n\n    halite call cp.get_file salt://motd /etc/motd makedirs=True" },
    get_template: { fn: getTemplate, doc: 'Render salt://path (jinja by default) to dest.\n\n    halite call cp.get_template salt://app.j2 /etc/app.conf' },
    cache_file: { fn: cacheFile, doc: 'Copy salt://path into the cache dir on the target; returns the cached path or False.' },
    get_file_str: {
      fn: (ctx, args, kwargs) => fetch(ctx, needPath(arg(args, kwargs, 0, 'path'), 'get_file_str', 'path'), envOf(ctx, args, kwargs, 1))?.toString('utf8') ?? false,
      doc: 'Contents of salt://path as a string, or False.',
    },
    hash_file: { fn: hashFileSync, doc: 'Hash of salt://path (or a path on the target): {hash_type, hsum}.\n\n    halite call cp.hash_file salt://motd' },
    list_master: { fn: (ctx, args, kwargs) => listMaster(ctx, args, kwargs, false), doc: 'Files on the file server for a saltenv.\n\n    halite call cp.list_master prefix=nginx' },
    list_master_dirs: { fn: (ctx, args, kwargs) => listMaster(ctx, args, kwargs, true), doc: 'Directories on the file server for a saltenv.' },
    list_states: {
      fn: (ctx, args, kwargs) => {
        const out = new Set<string>();
        for (const f of listMaster(ctx, args, kwargs, false)) {
          if (!f.endsWith('.sls')) continue;
          const dotted = f.slice(0, -4).split('/').join('.');
          out.add(dotted.endsWith('.init') ? dotted.slice(0, -5) : dotted);
        }
        return [...out].sort();
      },
      doc: 'SLS names available in a saltenv.',
    },
  },
};
