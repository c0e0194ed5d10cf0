/**
 * `sys.*`: what the registry holds and its documentation.
 *
 * ```
 * halite call sys.list_functions state          → [state.apply, state.highstate, …]
 * halite call sys.doc state.single               → {state.single: "…"}
 * halite call sys.list_state_functions file      → [file.absent, file.directory, …]
 * halite call sys.state_doc file.managed
 * ```
 * A module name (`state`) selects its functions, a dotted name one function; `*` globs work as in Salt.
 */
import picomatch from 'picomatch';
import type { ExecContext, ExecModule, Registry } from '../types.js';

function matcher(patterns: unknown[]): (name: string) => boolean {
  const pats = patterns.map(String).filter(Boolean);
  if (!pats.length) return () => true;
  const tests = pats.map((p) => (/[*?[]/.test(p) ? picomatch(p, { dot: true }) : (n: string) => n === p || n.startsWith(`${p}.`)));
  return (n) => tests.some((t) => t(n));
}

function execNames(reg: Registry): string[] {
  return [...reg.exec.keys()].sort();
}

function stateNames(reg: Registry): string[] {
  const out: string[] = [];
  for (const [mod, m] of reg.states) for (const f of Object.keys(m.functions)) out.push(`${mod}.${f}`);
  return out.sort();
}

function docs(names: string[], get: (n: string) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) out[n] = get(n) ?? '';
  return out;
}

export const sysExecModule: ExecModule = {
  name: 'sys',
  doc: 'What halite can run, and the documentation of it.',
  functions: {
    list_functions: {
      fn: (ctx: ExecContext, args) => execNames(ctx.registry).filter(matcher(args)),
      doc: 'List execution functions, optionally of the given modules or globs.\n\n    halite call sys.list_functions state',
    },
    list_modules: {
      fn: (ctx: ExecContext, args) => [...new Set(execNames(ctx.registry).map((n) => n.split('.')[0]!))].filter(matcher(args)).sort(),
      doc: 'List execution modules.\n\n    halite call sys.list_modules',
    },
    doc: {
      fn: (ctx: ExecContext, args) => docs(execNames(ctx.registry).filter(matcher(args)), (n) => ctx.registry.exec.get(n)?.doc),
      doc: 'Documentation of execution functions (all, a module, or one function).\n\n    halite call sys.doc state.single',
    },
    list_state_modules: {
      fn: (ctx: ExecContext, args) => [...ctx.registry.states.keys()].filter(matcher(args)).sort(),
      doc: 'List state modules.\n\n    halite call sys.list_state_modules',
    },
    list_state_functions: {
      fn: (ctx: ExecContext, args) => stateNames(ctx.registry).filter(matcher(args)),
      doc: 'List state functions, optionally of the given modules.\n\n    halite call sys.list_state_functions file',
    },
    state_doc: {
      fn: (ctx: ExecContext, args) => {
        const match = matcher(args);
        const out: Record<string, string> = {};
        for (const [mod, m] of [...ctx.registry.states].sort(([a], [b]) => a.localeCompare(b))) {
          const fns = Object.keys(m.functions).sort().filter((f) => match(`${mod}.${f}`));
          if (!fns.length && !match(mod)) continue;
          if (m.doc !== undefined && (match(mod) || fns.length)) out[mod] = m.doc;
          for (const f of fns) out[`${mod}.${f}`] = m.functions[f]!.doc ?? '';
        }
        return out;
      },
      doc: 'Documentation of state modules and functions.\n\n    halite call sys.state_doc file.managed',
    },
  },
};
