/**
 * The `file` state module and the `file` execution module.
 *
 * ```yaml
 * /etc/motd:
 *   file.managed:
 *     - contents: Welcome
 * /srv/data:
 *   file.directory:
 *     - makedirs: True
 * ```
 * file has no mod_watch in Salt, so `watch` on a file state behaves as `require`.
 */
import type { StateModule } from '../../engine/types.js';
import { directory } from './directory.js';
import { append, blockreplace, comment, line, replace, uncomment } from './edit.js';
import { managed } from './managed.js';
import { recurse } from './recurse.js';
import { absent, exists, missing, touch } from './simple.js';
import { symlink } from './symlink.js';

export { fileExec } from './exec.js';

export const fileStates: StateModule = {
  name: 'file',
  doc: 'Files, directories, symlinks and in-place text edits on the target host.',
  functions: {
    managed: { fn: managed, anyKwargs: true, doc: 'A file with the given contents, ownership and mode.' },
    directory: { fn: directory, params: ['require'], anyKwargs: true, doc: 'A directory with ownership and mode (recurse, clean).' },
    absent: { fn: absent, anyKwargs: true, doc: 'The path does not exist.' },
    symlink: { fn: symlink, required: ['target'], anyKwargs: true, doc: 'A symbolic link to target.' },
    touch: { fn: touch, anyKwargs: true, doc: 'Create an empty file or update its times.' },
    recurse: { fn: recurse, required: ['source'], params: ['require'], anyKwargs: true, doc: 'Copy a salt:// directory tree.' },
    append: { fn: append, anyKwargs: true, doc: 'Lines present at the end of a file (idempotent).' },
    line: { fn: line, anyKwargs: true, doc: 'Ensure, replace, delete or insert one line.' },
    replace: { fn: replace, required: ['pattern', 'repl'], anyKwargs: true, doc: 'Regex replacement in a file.' },
    blockreplace: { fn: blockreplace, anyKwargs: true, doc: 'A block between two marker lines.' },
    comment: { fn: comment, required: ['regex'], anyKwargs: true, doc: 'Comment out matching lines.' },
    uncomment: { fn: uncomment, required: ['regex'], anyKwargs: true, doc: 'Uncomment matching lines.' },
    exists: { fn: exists, anyKwargs: true, doc: 'Check that a path exists.' },
    missing: { fn: missing, anyKwargs: true, doc: 'Check that a path does not exist.' },
  },
};
