/**
 * Explicit registration of every state module and execution module that lives in states/.
 * A module is available only when it is listed here; a duplicate name is an error at start-up (buildRegistry).
 */
import type { ExecModule, StateModule } from '../engine/types.js';
import { cmdExecModule } from './cmd/exec.js';
import { cmdStateModule } from './cmd/index.js';
import { fileExec, fileStates } from './file/index.js';
import { pkg, pkgExec, pkgrepo } from './pkg/index.js';
import { serviceExec, serviceState } from './service/index.js';
import { testExecModule } from './test/exec.js';
import { testStateModule } from './test/index.js';

export const stateModules: StateModule[] = [testStateModule, cmdStateModule, fileStates, pkg, pkgrepo, serviceState];
export const execModules: ExecModule[] = [testExecModule, cmdExecModule, fileExec, pkgExec, serviceExec];
