/**
 * The engine's own execution modules (state.*, grains.*, pillar.*, config.*, test.*, sys.*, cp.*),
 * listed explicitly. states/index.ts lists the domain ones; engine/cli combines both.
 */
import type { ExecModule } from '../types.js';

export const engineExecModules: ExecModule[] = [];
