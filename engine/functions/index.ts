/**
 * The engine's own execution modules (state.*, grains.*, pillar.*, config.*, test.*, sys.*, cp.*),
 * listed explicitly. states/index.ts lists the domain ones; engine/cli combines both.
 */
import type { ExecModule } from '../types.js';
import { configExecModule } from './config.js';
import { cpExecModule } from './cp.js';
import { grainsExecModule } from './grains.js';
import { pillarExecModule } from './pillar.js';
import { stateGraphModule } from './state-graph.js';
import { stateRunModule } from './state-run.js';
import { stateShowModule } from './state-show.js';
import { sysExecModule } from './sys.js';
import { testExecModule } from './test.js';

export const engineExecModules: ExecModule[] = [
  stateRunModule,
  stateShowModule,
  stateGraphModule,
  grainsExecModule,
  pillarExecModule,
  configExecModule,
  cpExecModule,
  testExecModule,
  sysExecModule,
];
