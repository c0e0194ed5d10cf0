/**
 * The variables Salt puts in a template's context: `salt`, `grains`, `pillar`, `opts`, `saltenv`, `sls`, and the
 * path variables of `generate_sls_context` (values for `a/b/init.sls`, sls `a.b`):
 *
 * | var | value |      | var | value |
 * |---|---|---|---|---|
 * | slspath | `a/b` | | tplfile | `a/b/init.sls` |
 * | sls_path | `a_b` | | tpldir | `a/b` (`.` at the root) |
 * | slsdotpath | `a.b` | | tpldot | `a.b` |
 * | slscolonpath | `a:b` | | tplpath | absolute path |
 */
import path from 'node:path';
import type { Dict } from '../../../types.js';
import type { SaltCall } from '../index.js';
import { matchTarget } from '../../match.js';
import { splitArgs } from './methods.js';
import { unbox } from './pyobj.js';

/** Marker class so the proxy is never mistaken for a dict. */
class SaltFunctions {}

/**
 * `salt['mod.fun'](…)` and `salt.mod.fun(…)`, both ending in `call(fun, args, kwargs)`; keyword arguments
 * arrive from nunjucks as a trailing `{__keywords: true}` object and are passed as kwargs.
 */
export function saltProxy(call: SaltCall): unknown {
  const fn = (name: string) => {
    const f = (...raw: unknown[]) => {
      const { args, kwargs } = splitArgs(raw);
      for (const k of Object.keys(kwargs)) kwargs[k] = unbox(kwargs[k]);
      return call(name, args.map(unbox), kwargs);
    };
    Object.defineProperty(f, 'name', { value: name });
    return f;
  };
  const fns = new Map<string, unknown>();
  const namespace = (mod: string) =>
    new Proxy(new SaltFunctions(), {
      get(_t, key) {
        if (typeof key !== 'string') return undefined;
        const full = `${mod}.${key}`;
        let f = fns.get(full);
        if (!f) fns.set(full, (f = fn(full)));
        return f;
      },
    });
  const mods = new Map<string, unknown>();
  return new Proxy(new SaltFunctions(), {
    get(_t, key) {
      if (typeof key !== 'string') return undefined;
      if (key.includes('.')) {
        let f = fns.get(key);
        if (!f) fns.set(key, (f = fn(key)));
        return f;
      }
      let m = mods.get(key);
      if (!m) mods.set(key, (m = namespace(key)));
      return m;
    },
  });
}

/** SLS path variables for a file (root-relative `rel`, may be null) rendered as SLS `sls`. */
export function slsVars(sls: string, abs: string, rel: string | null): Dict {
  const vars: Dict = { tplpath: abs };
  if (rel !== null) {
    const tpldir = path.posix.dirname(rel);
    vars.tplfile = rel;
    vars.tpldir = tpldir;
    vars.tpldot = tpldir === '.' ? '' : tpldir.replace(/\//g, '.');
  }
  if (sls) {
    const base = rel !== null ? path.posix.basename(rel) : path.basename(abs);
    const isInit = base === 'init.sls' || (rel === null && base.startsWith('init.'));
    const asPath = sls.replace(/\./g, '/');
    const slspath = isInit ? asPath : path.posix.dirname(asPath) === '.' ? '' : path.posix.dirname(asPath);
    vars.slspath = slspath;
    vars.sls_path = slspath.replace(/\//g, '_');
    vars.slsdotpath = slspath.replace(/\//g, '.');
    vars.slscolonpath = slspath.replace(/\//g, ':');
  }
  return vars;
}

/**
 * Salt's `ifelse` global: `(matcher, value)` pairs then a default; the first matcher (compound syntax, a glob on
 * the minion id without a prefix) that matches this minion (or `minion_id=`) gives its value.
 *
 * @example {{ ifelse('G@os:Debian', 'apache2', 'web*', 'httpd', 'nginx') }}
 */
export function ifelseGlobal(id: string, grains: Dict, pillar: Dict, nodegroups?: Dict): (...raw: unknown[]) => unknown {
  return (...raw) => {
    const { args, kwargs } = splitArgs(raw);
    if (args.length % 2 === 0) throw new Error('The ifelse function must have an odd number of arguments!');
    const minion = { id: kwargs.minion_id === undefined || kwargs.minion_id === null ? id : String(kwargs.minion_id), grains, pillar };
    for (let i = 0; i + 1 < args.length; i += 2) {
      if (matchTarget(args[i], 'compound', minion, { nodegroups })) return args[i + 1];
    }
    return args[args.length - 1];
  };
}
