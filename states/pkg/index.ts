/**
 * The pkg domain: `pkg` and `pkgrepo` state modules and the `pkg` execution module (registered in states/index.ts).
 * Layout: backends build commands and parse output (apt/, rpm/, zypper/), states compare those facts with the
 * wanted state (installed.ts, removed.ts, latest.ts, pkgrepo/), see README.md for how far each backend is verified.
 */
import type { StateModule } from '../../engine/types.js';
import { pkgExec } from './exec.js';
import { installed } from './installed.js';
import { latest } from './latest.js';
import { absent, managed } from './pkgrepo/state.js';
import { purged, removed } from './removed.js';

const INSTALL_PARAMS = ['version', 'pkgs', 'refresh', 'fromrepo', 'hold', 'update_holds', 'skip_verify', 'skip_suggestions', 'sources', 'normalize', 'ignore_epoch', 'allow_updates', 'reinstall', 'pkg_verify'];

/** pkg.installed, pkg.removed, pkg.purged, pkg.latest. */
export const pkg = {
  name: 'pkg',
  doc: 'Installation of packages with the host package manager (apt, dnf/yum, zypper).',
  functions: {
    installed: { fn: installed, anyKwargs: true, params: INSTALL_PARAMS, doc: 'The packages are installed (at the given version).' },
    removed: { fn: removed, anyKwargs: true, params: ['version', 'pkgs', 'normalize', 'ignore_epoch'], doc: 'The packages are not installed.' },
    purged: { fn: purged, anyKwargs: true, params: ['version', 'pkgs', 'normalize', 'ignore_epoch'], doc: 'The packages and their configuration files are gone.' },
    latest: { fn: latest, anyKwargs: true, params: ['pkgs', 'refresh', 'fromrepo', 'skip_verify', 'update_holds'], doc: 'The packages are at the newest available version.' },
  },
} satisfies StateModule;

/** pkgrepo.managed, pkgrepo.absent (apt one-line sources). */
export const pkgrepo = {
  name: 'pkgrepo',
  doc: 'Package repositories (apt sources).',
  functions: {
    managed: { fn: managed, anyKwargs: true, params: ['file', 'humanname', 'architectures', 'key_url', 'signedby', 'signed_by', 'disabled', 'refresh', 'refresh_db', 'comments'], doc: 'The apt source entry is configured.' },
    absent: { fn: absent, anyKwargs: true, params: ['file'], doc: 'The apt source entry is not configured.' },
  },
} satisfies StateModule;

/** The `pkg` execution module (its `name` is 'pkg'; exported as pkgExec since `pkg` is the state module). */
export { pkgExec };
