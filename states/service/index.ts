/**
 * The service domain: the `service` state module (running, dead, enabled, disabled, masked, unmasked,
 * mod_watch) and the `service` execution module, over a systemd or sysvinit backend chosen per host.
 *
 * @example
 * cron:
 *   service.running:
 *     - enable: True
 */
import type { StateModule } from '../../engine/types.js';
import { masked, unmasked } from './mask.js';
import { dead, disabled, enabled, running } from './state.js';
import { modWatch } from './watch.js';

export { serviceExec } from './exec.js';
export { detectInit, type InitKind, type ServiceBackend } from './backend.js';
export { backendFor } from './select.js';

/** Options every service state takes besides its own (passed to the backend or the boot step). */
const COMMON = ['provider', 'sig', 'root', 'no_block', 'init_delay', 'reload', 'full_restart', 'force'];

export const serviceState: StateModule = {
  name: 'service',
  doc: 'Keep services running or stopped, and started at boot or not.',
  functions: {
    running: { fn: running, params: ['enable', ...COMMON], anyKwargs: true, doc: 'Ensure the service is running.' },
    dead: { fn: dead, params: ['enable', ...COMMON], anyKwargs: true, doc: 'Ensure the service is stopped.' },
    enabled: { fn: enabled, params: COMMON, anyKwargs: true, doc: 'Ensure the service starts at boot.' },
    disabled: { fn: disabled, params: COMMON, anyKwargs: true, doc: 'Ensure the service does not start at boot.' },
    masked: { fn: masked, params: ['runtime', 'provider', 'root'], doc: 'Ensure a systemd unit is masked.' },
    unmasked: { fn: unmasked, params: ['runtime', 'provider', 'root'], doc: 'Ensure a systemd unit is not masked.' },
  },
  mod_watch: modWatch,
};

/** The names the lead registers: `service` state module and `service` execution module. */
export { serviceState as service };
