import { describe, expect, it } from 'vitest';
import { sysExecModule } from '../../../engine/functions/sys.js';
import { testExecModule, haliteVersion } from '../../../engine/functions/test.js';
import { buildRegistry, type ExecContext, type StateModule } from '../../../engine/types.js';

const fileMod: StateModule = {
  name: 'file',
  doc: 'Files.',
  functions: { managed: { fn: async () => ({ name: '', result: true, comment: '', changes: {} }), doc: 'Manage a file.' }, absent: { fn: async () => ({ name: '', result: true, comment: '', changes: {} }) } },
};
const registry = buildRegistry([fileMod], [sysExecModule, testExecModule]);
const ctx = { registry } as unknown as ExecContext;
const call = (f: string, args: unknown[] = []) => sysExecModule.functions[f]!.fn(ctx, args, {});

describe('sys.*', () => {
  it('list_functions, all or by module/glob', () => {
    expect(call('list_functions', ['test'])).toEqual(['test.ping', 'test.version']);
    expect(call('list_functions', ['sys.list_*'])).toEqual(['sys.list_functions', 'sys.list_modules', 'sys.list_state_functions', 'sys.list_state_modules']);
    expect((call('list_functions') as string[]).length).toBe(registry.exec.size);
  });
  it('doc of one function', () => {
    expect(call('doc', ['test.ping'])).toEqual({ 'test.ping': expect.stringContaining('Return True') });
  });
  it('state modules, functions and docs', () => {
    expect(call('list_state_modules')).toEqual(['file']);
    expect(call('list_state_functions', ['file'])).toEqual(['file.absent', 'file.managed']);
    expect(call('state_doc', ['file.managed'])).toEqual({ file: 'Files.', 'file.managed': 'Manage a file.' });
  });
});

describe('test.*', () => {
  it('ping and version', () => {
    expect(testExecModule.functions.ping!.fn(ctx, [], {})).toBe(true);
    expect(haliteVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
