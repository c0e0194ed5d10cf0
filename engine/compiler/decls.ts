/**
 * Per-file normalisation done right after rendering (Salt's `_handle_extend`, `_handle_exclude`,
 * `_handle_state_decls`, `_handle_iorder`): dotted `mod.fun` keys split, `__sls__`/`__env__` added, `extend` and
 * `exclude` moved to `__extend__`/`__exclude__`, auto `order` appended.
 *
 * @example `web: pkg.installed` → `{web: {__sls__, __env__, pkg: ['installed']}}`
 */
import type { Dict } from '../types.js';
import type { ErrorList, SourceMap } from './sources.js';
import { pyRepr } from './pyrepr.js';
import { firstKey, isDict } from './util.js';

/** Where an `extend:` entry was written. Key: `${env}:${sls}\0${ID}`. */
export interface ExtendLoc {
  file: string;
  line?: number;
  sls: string;
  id: string;
}

export interface FileCtx {
  sls: string;
  env: string;
  src: SourceMap;
  errors: ErrorList;
  /** Original `${id}\0${key}` lines from the renderer. */
  declLines?: Map<string, number>;
  keyLines: Map<string, number>;
  /** Top-level keys that were non-string YAML scalars → Python type name. */
  keyTypes?: Map<string, string>;
  file: string;
}

function idLoc(f: FileCtx, id: string, key?: string) {
  const line = (key !== undefined ? f.declLines?.get(`${id}\u0000${key}`) : undefined) ?? f.keyLines.get(id);
  return line === undefined ? { file: f.file, id, sls: f.sls } : { file: f.file, line, id, sls: f.sls };
}

/**
 * Split `mod.fun` keys of one body (Salt moves each split key to the end: `d[mod] = d.pop(key)`); returns the new
 * body. Two declarations of one module are reported through `onDup` (halite also reports `file.x` before `file`).
 */
function splitDotted(body: Dict, onDup: (key: string) => void, onMove?: (orig: string, mod: string) => void): Dict {
  let dotted = false;
  for (const key in body) {
    if (key.includes('.') && !key.startsWith('_') && Array.isArray(body[key])) {
      dotted = true;
      break;
    }
  }
  if (!dotted) return body;
  const kept: Dict = {};
  const moved: [string, unknown[]][] = [];
  const seen = new Set<string>();
  for (const key in body) {
    const v = body[key];
    if (key.startsWith('_') || !Array.isArray(v) || !key.includes('.')) {
      kept[key] = v;
      if (!key.startsWith('_') && !key.includes('.')) seen.add(key);
      continue;
    }
    const mod = key.slice(0, key.indexOf('.'));
    if (seen.has(mod) || Object.prototype.hasOwnProperty.call(body, mod)) {
      onDup(key);
      continue;
    }
    const fun = key.split('.')[1];
    v.push(fun);
    moved.push([mod, v]);
    seen.add(mod);
    onMove?.(key, mod);
  }
  for (const [mod, v] of moved) kept[mod] = v;
  return kept;
}

/** `_handle_state_decls`: pad short forms, split dotted keys, add `__sls__`/`__env__`, record positions. */
export function handleStateDecls(state: Dict, f: FileCtx): void {
  for (const id of Object.keys(state)) {
    if (id === '__extend__' || id === '__exclude__') continue;
    const body = state[id];
    if (!f.src.ids.has(id)) f.src.ids.set(id, { file: f.file, line: f.keyLines.get(id), sls: f.sls, env: f.env });
    const ktype = f.keyTypes?.get(id);
    if (ktype) f.src.idTypes.set(id, ktype);
    if (!isDict(body)) {
      if (typeof body === 'string' && body.includes('.')) {
        const comps = body.split('.');
        state[id] = { __sls__: f.sls, __env__: f.env, [comps[0]!]: [comps[1]] };
        const line = f.keyLines.get(id);
        if (line !== undefined && !f.src.decls.has(`${id}\u0000${comps[0]}`)) f.src.decls.set(`${id}\u0000${comps[0]}`, line);
        continue;
      }
      f.errors.add(`ID ${id} in SLS ${f.sls} is not a dictionary`, idLoc(f, id));
      continue;
    }
    if (f.declLines) {
      for (const key in body) {
        const k = `${id}\u0000${key}`;
        const line = f.declLines.get(k);
        if (line !== undefined && !f.src.decls.has(k)) f.src.decls.set(k, line);
      }
    }
    const split = splitDotted(
      body,
      (key) =>
        f.errors.add(`ID '${id}' in SLS '${f.sls}' contains multiple state declarations of the same type`, idLoc(f, id, key)),
      (orig, mod) => {
        const line = f.declLines?.get(`${id}\u0000${orig}`);
        if (line !== undefined) f.src.decls.set(`${id}\u0000${mod}`, line);
      },
    );
    if (!('__sls__' in split)) split.__sls__ = f.sls;
    if (!('__env__' in split)) split.__env__ = f.env;
    if (split !== body) state[id] = split;
  }
}

/** `_handle_extend`: validate `extend:` and move it to `__extend__` (dotted keys split). */
export function handleExtend(state: Dict, f: FileCtx, extendLocs: Map<string, ExtendLoc>): void {
  if (!('extend' in state)) return;
  const ext = state.extend;
  delete state.extend;
  const loc = { file: f.file, line: f.keyLines.get('extend'), sls: f.sls };
  if (!isDict(ext)) {
    f.errors.add(`Extension value in SLS '${f.sls}' is not a dictionary`, loc);
    return;
  }
  for (const name of Object.keys(ext)) {
    const body = ext[name];
    const line = f.declLines?.get(`extend\u0000${name}`) ?? loc.line;
    const here = line === undefined ? { file: f.file, sls: f.sls, id: name } : { file: f.file, line, sls: f.sls, id: name };
    if (!isDict(body)) {
      f.errors.add(`Extension name '${name}' in SLS '${f.sls}' is not a dictionary`, here);
      delete ext[name];
      continue;
    }
    if (!('__sls__' in body)) body.__sls__ = f.sls;
    if (!('__env__' in body)) body.__env__ = f.env;
    const split = splitDotted(body, () =>
      f.errors.add(`Extension of ID '${name}' in SLS '${f.sls}' contains multiple state declarations of the same type`, here),
    );
    if (split !== body) ext[name] = split;
    if (!Object.keys(split).some((k) => !k.startsWith('__'))) {
      f.errors.add(`Extension of ID '${name}' in SLS '${f.sls}' names no state module to extend`, here);
      delete ext[name];
      continue;
    }
    for (const [k, v] of Object.entries(split)) {
      if (!k.startsWith('__') && !Array.isArray(v)) {
        f.errors.add(`Extension of ID '${name}' in SLS '${f.sls}': state '${k}' is not formed as a list`, here);
        delete ext[name];
        break;
      }
    }
    if (name in ext) extendLocs.set(`${f.env}:${f.sls}\u0000${name}`, here);
  }
  const list = (state.__extend__ as unknown[] | undefined) ?? [];
  list.push(ext);
  state.__extend__ = list;
}

/** `_handle_exclude`: validate `exclude:` and move it to `__exclude__`. */
export function handleExclude(state: Dict, f: FileCtx): void {
  if (!('exclude' in state)) return;
  const exc = state.exclude;
  delete state.exclude;
  const loc = { file: f.file, line: f.keyLines.get('exclude'), sls: f.sls };
  if (!Array.isArray(exc)) {
    f.errors.add(`Exclude Declaration in SLS ${f.sls} is not formed as a list`, loc);
    return;
  }
  for (const item of exc) {
    const ok =
      typeof item === 'string' ||
      (isDict(item) && Object.keys(item).length === 1 && (firstKey(item) === 'sls' || firstKey(item) === 'id') && typeof Object.values(item)[0] === 'string');
    if (!ok) f.errors.add(`Exclude item ${pyRepr(item)} in SLS ${f.sls} must be an SLS name, {sls: pattern} or {id: ID}`, loc);
  }
  const list = (state.__exclude__ as unknown[] | undefined) ?? [];
  list.push(...exc);
  state.__exclude__ = list;
}

/**
 * `_handle_iorder`: append `{order: N}` (N counting up from the shared counter) to the declarations of the file's
 * own IDs that lack one (included IDs were numbered when their file rendered, so they come first).
 */
export function handleIorder(states: Map<string, unknown>, own: string[], counter: { next: number }): void {
  for (const id of own) {
    const body = states.get(id);
    if (!isDict(body)) continue;
    for (const mod of Object.keys(body)) {
      if (mod.startsWith('_')) continue;
      const run = body[mod];
      if (!Array.isArray(run)) continue;
      const found = run.some((arg) => isDict(arg) && firstKey(arg) === 'order');
      if (!found) run.push({ order: counter.next++ });
    }
  }
}
