/**
 * Explicit registration of every state module and execution module that lives in states/.
 * A module is available only when it is listed here; a duplicate name is an error at start-up (buildRegistry).
 */
import type { ExecModule, StateModule } from '../engine/types.js';

export const stateModules: StateModule[] = [];
export const execModules: ExecModule[] = [];
