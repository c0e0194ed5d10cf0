/**
 * The few colours Salt's outputters use, as functions. With colour off (not a TTY, `--no-color`) each is the
 * identity, so the text is byte-for-byte what Salt prints with colours stripped.
 */
import pc from 'picocolors';

export interface Palette {
  green(s: string): string;
  cyan(s: string): string;
  red(s: string): string;
  lightRed(s: string): string;
  lightYellow(s: string): string;
}

const plain = (s: string): string => s;

/** A palette: real colours when `enabled`, plain text otherwise. */
export function palette(enabled: boolean): Palette {
  if (!enabled) return { green: plain, cyan: plain, red: plain, lightRed: plain, lightYellow: plain };
  const c = pc.createColors(true);
  return {
    green: c.green,
    cyan: c.cyan,
    red: c.red,
    lightRed: (s) => c.bold(c.red(s)),
    lightYellow: (s) => c.bold(c.yellow(s)),
  };
}
