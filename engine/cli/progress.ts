/**
 * Progress of a state run on stderr: `[3/12] 4.2s running: pkg_|-nginx…` — redrawn in place on a TTY, one line
 * per finished state otherwise (only when forced with --progress). stdout is never touched.
 */
export interface ProgressEvent {
  type: 'start' | 'finish';
  tag: string;
  done: number;
  total: number;
}

export interface Progress {
  onEvent(e: ProgressEvent): void;
  /** Clear the status line (before the outputter prints). */
  end(): void;
}

/** A progress display writing to `stream` (a TTY redraws one line). */
export function progress(stream: { write(s: string): unknown; isTTY?: boolean }, now: () => number = Date.now): Progress {
  const started = now();
  const running = new Set<string>();
  let drawn = false;
  const tty = Boolean(stream.isTTY);
  const label = (tag: string): string => {
    const [mod, id, , fun] = tag.split('_|-');
    return `${id ?? tag} (${mod}.${fun})`;
  };
  return {
    onEvent(e) {
      if (e.type === 'start') running.add(e.tag);
      else running.delete(e.tag);
      const secs = ((now() - started) / 1000).toFixed(1);
      const names = [...running].map(label);
      const run = names.length ? ` running: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` +${names.length - 3}` : ''}` : '';
      const text = `[${e.done}/${e.total}] ${secs}s${run}`;
      if (tty) {
        const cols = (stream as { columns?: number }).columns ?? 100;
        stream.write(`\r\x1b[K${text.slice(0, cols - 1)}`);
        drawn = true;
      } else if (e.type === 'finish') {
        stream.write(`${text} done: ${label(e.tag)}\n`);
      }
    },
    end() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
