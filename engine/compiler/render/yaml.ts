/**
 * YAML read the way Salt reads it: PyYAML's YAML 1.1 SafeLoader plus Salt's loader tweaks.
 *
 * - `yes/no/on/off/true/false` (PyYAML's case forms) are booleans, `~`/`null` null;
 * - integers with leading zeros are DECIMAL (`0644` → 644; `08` is not an int at all → "08");
 * - timestamps stay strings (`2024-01-02`);
 * - a duplicate key in any mapping is an error (`found conflicting ID 'foo'`);
 * - a mapping used as a key is an error ("Invalid YAML, possible double curly-brace");
 * - tabs in indentation → "Illegal tab character".
 *
 * Mappings are plain JS objects, so insertion order holds except that integer-like keys (`'123'`) sort first —
 * a JS limitation; such state IDs are rare (Salt rejects unquoted int IDs anyway).
 */
import {
  binaryTag,
  constructFromEvents,
  defineScalarTag,
  EVENT_ID,
  FAILSAFE_SCHEMA,
  floatYaml11Tag,
  getScalarValue,
  mergeTag,
  NOT_RESOLVED,
  nullYaml11Tag,
  omapTag,
  pairsTag,
  parseEvents,
  Schema,
  setTag,
  YAMLException,
  type Event,
  type ScalarEvent,
} from 'js-yaml';
import { FALLBACK, fastLoad } from './fastyaml.js';

const INT_RE = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+|[-+]?(?:0|[1-9][0-9_]*))$/;

/** PyYAML's int construction after Salt stripped the leading zeros of an unsigned value. */
function resolveSaltInt(source: string): number | typeof NOT_RESOLVED {
  if (!INT_RE.test(source)) return NOT_RESOLVED;
  let v = source;
  if (v !== '0' && v.startsWith('0') && !v.startsWith('0b') && !v.startsWith('0x')) v = v.replace(/^0+/, '') || '0';
  v = v.replace(/_/g, '');
  let sign = 1;
  if (v[0] === '-' || v[0] === '+') {
    if (v[0] === '-') sign = -1;
    v = v.slice(1);
  }
  if (v === '0') return 0;
  if (v.startsWith('0b')) return sign * parseInt(v.slice(2), 2);
  if (v.startsWith('0x')) return sign * parseInt(v.slice(2), 16);
  if (v.startsWith('0')) return sign * parseInt(v, 8); // only reachable for a signed value: PyYAML octal
  if (v.includes(':')) return sign * v.split(':').reduce((acc, p) => acc * 60 + Number(p), 0);
  return sign * parseInt(v, 10);
}

const saltIntTag = defineScalarTag<number>('tag:yaml.org,2002:int', {
  implicit: true,
  implicitFirstChars: ['-', '+', ...'0123456789'],
  resolve: resolveSaltInt,
  identify: (o: unknown) => Number.isInteger(o),
  represent: (o: number) => String(o),
});

const BOOLS: Record<string, boolean> = {};
for (const w of ['yes', 'true', 'on']) for (const f of [w, w[0]!.toUpperCase() + w.slice(1), w.toUpperCase()]) BOOLS[f] = true;
for (const w of ['no', 'false', 'off']) for (const f of [w, w[0]!.toUpperCase() + w.slice(1), w.toUpperCase()]) BOOLS[f] = false;

/** PyYAML's bool forms (js-yaml's YAML 1.1 tag also takes `y`/`n`, PyYAML does not). */
const pyBoolTag = defineScalarTag<boolean>('tag:yaml.org,2002:bool', {
  implicit: true,
  implicitFirstChars: ['y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O'],
  resolve: (s: string) => (Object.prototype.hasOwnProperty.call(BOOLS, s) ? BOOLS[s]! : NOT_RESOLVED),
  identify: (o: unknown) => typeof o === 'boolean',
  represent: (o: boolean) => (o ? 'true' : 'false'),
});

/** Explicit `!!timestamp` keeps the text (Salt's loader never builds datetimes). */
const timestampAsText = defineScalarTag<string>('tag:yaml.org,2002:timestamp', {
  implicit: false,
  resolve: (s: string) => s,
  identify: () => false,
});

/** The schema Salt's loader amounts to. */
export const SALT_YAML_SCHEMA = new Schema([
  ...FAILSAFE_SCHEMA.tags,
  nullYaml11Tag,
  pyBoolTag,
  saltIntTag,
  floatYaml11Tag,
  timestampAsText,
  mergeTag,
  binaryTag,
  omapTag,
  pairsTag,
  setTag,
]);

/** A YAML error with the 1-based line it points at (and, for duplicates, the first occurrence's line). */
export class SaltYamlError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly firstLine?: number,
  ) {
    super(message);
    this.name = 'SaltYamlError';
  }
}

export interface LoadedYaml {
  data: unknown;
  keyLines: Map<string, number>;
  declLines: Map<string, number>;
  /** Top-level keys written as a non-string scalar (`123:` → 'int'), with Python's type name. */
  keyTypes: Map<string, string>;
}

/** Offsets → 1-based line numbers by binary search over line starts. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (off) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function pyTypeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return 'str';
}

interface Frame {
  map: boolean;
  expectKey: boolean;
  depth: number;
  start: number;
  keys?: Map<string, number>;
  /** The key string just read (mapping frames). */
  lastKey?: string;
  /** Top-level ID this frame sits under (depth-2 frames). */
  id?: string;
}

function eventStart(e: Event): number {
  if (e.type === EVENT_ID.SCALAR) return e.tagStart >= 0 ? Math.min(e.tagStart, e.valueStart) : e.anchorStart >= 0 ? Math.min(e.anchorStart, e.valueStart) : e.valueStart;
  if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) return e.start;
  if (e.type === EVENT_ID.ALIAS) return e.anchorStart - 1;
  return -1;
}

function scalarValue(text: string, e: ScalarEvent): { key: string; value: unknown } {
  const raw = getScalarValue(text, e);
  if (e.style !== 1 || e.tagStart >= 0) return { key: raw, value: raw };
  const { value } = SALT_YAML_SCHEMA.resolveImplicitScalarTag(raw);
  // The data's key is the constructed value as a JS object key (`yes:` → 'true'), like js-yaml's map tag.
  return { key: typeof value === 'string' ? value : String(value), value };
}

/**
 * Walks the event stream once: duplicate keys, complex keys, top-level key lines, declaration lines.
 * Returns the data via js-yaml's constructor over the same events (no second parse).
 */
function walk(text: string, events: Event[], lineOf: (o: number) => number): Omit<LoadedYaml, 'data'> {
  const keyLines = new Map<string, number>();
  const declLines = new Map<string, number>();
  const keyTypes = new Map<string, string>();
  const stack: Frame[] = [];
  const mapStartLine = (f: Frame) => lineOf(f.start);
  /** Called for each node start; returns true when the node is a key of the enclosing mapping. */
  const enterNode = (e: Event) => {
    const top = stack[stack.length - 1];
    if (!top || !top.map) return;
    if (!top.expectKey) {
      top.expectKey = true;
      return;
    }
    top.expectKey = false;
    const off = eventStart(e);
    const line = lineOf(off);
    if (e.type === EVENT_ID.MAPPING) {
      throw new SaltYamlError('Invalid YAML, possible double curly-brace', line);
    }
    if (e.type !== EVENT_ID.SCALAR) {
      top.lastKey = undefined;
      return;
    }
    const { key, value } = scalarValue(text, e);
    top.lastKey = key;
    if (key === '<<' && e.style === 1) return;
    const prev = top.keys!.get(key);
    if (prev !== undefined) {
      const col = off - text.lastIndexOf('\n', off - 1);
      const mcol = top.start - text.lastIndexOf('\n', top.start - 1);
      throw new SaltYamlError(
        `while constructing a mapping\n  in "<unicode string>", line ${mapStartLine(top)}, column ${mcol}\n` +
          `found conflicting ID '${key}'\n  in "<unicode string>", line ${line}, column ${col}`,
        line,
        prev,
      );
    }
    top.keys!.set(key, line);
    if (top.depth === 1) {
      keyLines.set(key, line);
      if (typeof value !== 'string') keyTypes.set(key, pyTypeName(value));
    } else if (top.depth === 2 && top.id !== undefined) {
      declLines.set(`${top.id}\u0000${key}`, line);
    }
  };
  for (const e of events) {
    switch (e.type) {
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const parent = stack[stack.length - 1];
        const parentIsValue = parent?.map === true && !parent.expectKey;
        enterNode(e);
        const depth = stack.length + 1;
        const frame: Frame = { map: e.type === EVENT_ID.MAPPING, expectKey: true, depth, start: e.start };
        if (frame.map) frame.keys = new Map();
        if (depth === 2 && parentIsValue && parent?.depth === 1) frame.id = parent.lastKey;
        stack.push(frame);
        break;
      }
      case EVENT_ID.SCALAR:
      case EVENT_ID.ALIAS:
        enterNode(e);
        break;
      case EVENT_ID.POP:
        stack.pop();
        break;
      default:
        break;
    }
  }
  return { keyLines, declLines, keyTypes };
}

function translate(err: unknown): SaltYamlError {
  if (err instanceof SaltYamlError) return err;
  if (err instanceof YAMLException) {
    const line = err.mark ? err.mark.line + 1 : undefined;
    if (/tab/i.test(err.reason)) return new SaltYamlError('Illegal tab character', line);
    const where = err.mark ? `\n  in "<unicode string>", line ${err.mark.line + 1}, column ${err.mark.column + 1}` : '';
    return new SaltYamlError(`${err.reason}${where}`, line);
  }
  return new SaltYamlError(err instanceof Error ? err.message : String(err));
}

/**
 * Load YAML text as Salt does. Multi-document text keeps only the first document, like a
 * `yaml.load` would refuse it; we refuse too ("expected a single document").
 *
 * @example loadSaltYaml('mode: 0644\n').data  // { mode: 644 }
 */
export function loadSaltYaml(text: string): LoadedYaml {
  const fast = fastLoad(text);
  if (fast !== FALLBACK) return fast;
  return loadSaltYamlFull(text);
}

/** The full loader (js-yaml over Salt's schema); loadSaltYaml uses it when the fast path declines. */
export function loadSaltYamlFull(text: string): LoadedYaml {
  try {
    const events = parseEvents(text, { maxDepth: 1000 });
    const lineOf = lineIndex(text);
    const meta = walk(text, events, lineOf);
    const docs = constructFromEvents(events, { source: text, schema: SALT_YAML_SCHEMA, maxTotalMergeKeys: -1 });
    if (docs.length > 1) throw new SaltYamlError('expected a single document in the stream, but found another document');
    return { data: docs.length ? docs[0] : null, ...meta };
  } catch (err) {
    throw translate(err);
  }
}

/** Plain load (no line bookkeeping) for `load_yaml`/`import_yaml` inside templates. */
export function loadYamlValue(text: string): unknown {
  return loadSaltYaml(text).data;
}
