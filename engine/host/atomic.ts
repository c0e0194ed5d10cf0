/**
 * Atomic file replacement on the local machine: temp file in the same directory (`.<name>.halite-<random>`),
 * write, fchmod/fchown, fsync, rename over the target, fsync the directory. A process killed at any point leaves
 * the old file or the new one, never a truncated one (at worst a stray temp file).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWrite {
  mode: number;
  /** -1 leaves it as the creating process's. */
  uid: number;
  gid: number;
}

/** Temp name used beside `path`. */
export function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.halite-${randomBytes(6).toString('hex')}`);
}

/** Replace `path` with `data` atomically (synchronous: the whole sequence is a handful of syscalls). */
export function atomicWriteSync(path: string, data: string | Buffer, w: AtomicWrite): void {
  const tmp = tempName(path);
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  let renamed = false;
  try {
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
      if (w.uid !== -1 || w.gid !== -1) fs.fchownSync(fd, w.uid, w.gid);
      // chmod after chown: chown clears setuid/setgid bits.
      fs.fchmodSync(fd, w.mode);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, path);
    renamed = true;
    fsyncDir(dirname(path));
  } finally {
    if (!renamed) {
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* already gone */
      }
    }
  }
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    fs.fsyncSync(fd);
  } catch {
    /* some filesystems refuse fsync on a directory; the rename itself is still atomic */
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
