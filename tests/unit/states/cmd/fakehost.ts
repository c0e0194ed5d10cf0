/**
 * A scripted Host for cmd unit tests: records every command and returns the canned result of the first rule
 * whose pattern matches the command line. Files live in a Map. (The same paths run for real in tests/e2e/cmd.)
 */
import type { CommandResult, FileStat, Host, RunOptions, WriteOptions } from '../../../../engine/host/types.js';

export interface Call {
  argv: string[];
  opts: RunOptions;
  sync: boolean;
}

export class FakeHost implements Host {
  readonly name = 'fake';
  readonly calls: Call[] = [];
  readonly files = new Map<string, { data: string; mode?: number; user?: string | number }>();
  readonly removed: string[] = [];
  dirs = new Set<string>(['/', '/tmp']);
  constructor(private readonly rules: [RegExp, Partial<CommandResult>][] = []) {}

  private answer(argv: string[]): CommandResult {
    const line = argv.join(' ');
    const hit = this.rules.find(([re]) => re.test(line));
    return { code: 0, stdout: '', stderr: '', pid: 4242, ...(hit ? hit[1] : {}) };
  }
  async run(argv: string[], opts: RunOptions = {}): Promise<CommandResult> {
    this.calls.push({ argv, opts, sync: false });
    return this.answer(argv);
  }
  runSync(argv: string[], opts: RunOptions = {}): CommandResult {
    this.calls.push({ argv, opts, sync: true });
    return this.answer(argv);
  }
  async readFile(path: string): Promise<Buffer | null> {
    const f = this.files.get(path);
    return f ? Buffer.from(f.data) : null;
  }
  readFileSync(path: string): Buffer | null {
    const f = this.files.get(path);
    return f ? Buffer.from(f.data) : null;
  }
  async writeFile(path: string, data: string | Buffer, o: WriteOptions = {}): Promise<void> {
    this.files.set(path, { data: data.toString(), mode: o.mode, user: o.user });
  }
  async lstat(path: string): Promise<FileStat | null> {
    return this.stat(path);
  }
  async stat(path: string): Promise<FileStat | null> {
    if (this.dirs.has(path)) return { type: 'directory', mode: 0o755, uid: 0, gid: 0, size: 0, mtimeMs: 0 };
    if (this.files.has(path)) return { type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, mtimeMs: 0 };
    return null;
  }
  async readdir(): Promise<string[]> {
    return [];
  }
  async readlink(): Promise<string | null> {
    return null;
  }
  async mkdir(path: string): Promise<void> {
    this.dirs.add(path);
  }
  async remove(path: string): Promise<void> {
    this.removed.push(path);
    this.files.delete(path);
  }
  async symlink(): Promise<void> {}
  async rename(): Promise<void> {}
  async chmod(): Promise<void> {}
  async chown(): Promise<void> {}
  async close(): Promise<void> {}
}
