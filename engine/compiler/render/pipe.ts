/**
 * Renderer pipes: a first-line shebang (`#!jinja|yaml`, `#!yaml`, `#!jinja|json` …; not `#!/`) or the configured
 * default (`opts.renderer`, default `jinja|yaml`). Old combined names map to pipes (`yaml_jinja` → `jinja|yaml`).
 */

/** Renderers halite implements. */
export const SUPPORTED = new Set(['jinja', 'yaml', 'json', 'text', 'raw']);

/** Renderers Salt has that halite does not (named in the error so the user knows it is not a typo). */
const KNOWN_UNSUPPORTED = new Set([
  'py', 'pyobjects', 'pydsl', 'mako', 'wempy', 'genshi', 'cheetah', 'gpg', 'nacl', 'stateconf', 'dson', 'hjson',
  'json5', 'yamlex', 'toml', 'jsonnet', 'aws_kms', 'pass', 'msgpack', 'cheetah', 'yamlex',
]);

const OLD_NAMES: Record<string, string> = {
  yaml_jinja: 'jinja|yaml',
  yaml_mako: 'mako|yaml',
  yaml_wempy: 'wempy|yaml',
  json_jinja: 'jinja|json',
  json_mako: 'mako|json',
  json_wempy: 'wempy|json',
};

export interface Pipe {
  /** Renderer names in order ('jinja', 'yaml'). */
  steps: string[];
  /** The pipe as written, for messages. */
  spec: string;
  /** True when the first line was a shebang (it is removed before rendering). */
  fromShebang: boolean;
}

export class PipeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PipeError';
  }
}

function parseSpec(spec: string): string[] {
  const s = OLD_NAMES[spec.trim()] ?? spec.trim();
  return s
    .split('|')
    .map((p) => p.trim().split(/\s+/)[0]!) // `jinja -s` → jinja (argline ignored)
    .filter((p) => p !== '');
}

/** Pick the pipe for a file's text. Throws PipeError for an unknown/unsupported renderer. */
export function choosePipe(text: string, defaultRenderer: string): Pipe {
  let spec = defaultRenderer;
  let fromShebang = false;
  if (text.startsWith('#!') && !text.startsWith('#!/')) {
    const nl = text.indexOf('\n');
    spec = (nl === -1 ? text.slice(2) : text.slice(2, nl)).replace(/\r$/, '');
    fromShebang = true;
  }
  const steps = parseSpec(spec);
  if (!steps.length) throw new PipeError(`no renderer given in '${spec}'`);
  for (const s of steps) {
    if (SUPPORTED.has(s)) continue;
    if (KNOWN_UNSUPPORTED.has(s)) throw new PipeError(`renderer '${s}' (in '${spec.trim()}') is not supported by halite`);
    throw new PipeError(`unknown renderer '${s}' (in '${spec.trim()}')`);
  }
  return { steps, spec: spec.trim(), fromShebang };
}

/** The text without its shebang line (Salt's renderers ignore it; we blank it to keep line numbers). */
export function stripShebang(text: string, pipe: Pipe): string {
  if (!pipe.fromShebang) return text;
  const nl = text.indexOf('\n');
  return nl === -1 ? '' : text.slice(nl); // keep the newline so lines stay numbered as in the file
}
