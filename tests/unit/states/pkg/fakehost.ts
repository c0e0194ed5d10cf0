/** A scripted Host for unit tests of the state logic on backends this machine does not have (dnf, zypper). */
import type { CommandResult, Host } from '../../../../engine/host/types.js';

export type Responder = (argv: string[]) => Partial<CommandResult> | undefined;

export class ScriptedHost implements Host {
  readonly name = 'scripted';
  readonly calls: string[][] = [];
  readonly files = new Map<string, Buffer>();
  constructor(private readonly respond: Responder) {}
  private answer(argv: string[]): CommandResult {
    this.calls.push(argv);
    const r = this.respond(argv);
    if (!r) throw new Error(`unexpected command: ${JSON.stringify(argv)}`);
    return { code: 0, stdout: '', stderr: '', ...r };
  }
  async run(argv: string[]): Promise<CommandResult> {
    return this.answer(argv);
  }
  runSync(argv: string[]): CommandResult {
    return this.answer(argv);
  }
  async readFile(p: string): Promise<Buffer | null> {
    return this.files.get(p) ?? null;
  }
  readFileSync(p: string): Buffer | null {
    return this.files.get(p) ?? null;
  }
  async writeFile(p: string, d: string | Buffer): Promise<void> {
    this.files.set(p, Buffer.from(d));
  }
  async lstat(): Promise<null> {
    return null;
  }
  async stat(): Promise<null> {
    return null;
  }
  async readdir(): Promise<string[]> {
    return [];
  }
  async readlink(): Promise<null> {
    return null;
  }
  async mkdir(): Promise<void> {}
  async remove(p: string): Promise<void> {
    this.files.delete(p);
  }
  async symlink(): Promise<void> {}
  async rename(): Promise<void> {}
  async chmod(): Promise<void> {}
  async chown(): Promise<void> {}
  async close(): Promise<void> {}
}
