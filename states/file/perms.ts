/**
 * Ownership and permission bits: compare a stat with what the state asks for (Salt's check_perms change keys
 * `user`, `group`, `mode`), and apply the difference.
 */
import type { FileStat, Host } from '../../engine/host/types.js';
import type { Dict } from '../../engine/types.js';
import { fmtMode } from './util.js';

export interface WantedPerms {
  user?: string | number;
  group?: string | number;
  /** Permission bits (already parsed). */
  mode?: number;
}

function sameOwner(want: string | number, name: string | undefined, id: number): boolean {
  if (typeof want === 'number' || /^\d+$/.test(want)) return Number(want) === id;
  return want === name;
}

/** Changes needed to bring `st` to `want`: `{user?, group?, mode?}` in Salt's notation ('0644'). */
export function permChanges(st: FileStat, want: WantedPerms): Dict {
  const ch: Dict = {};
  if (want.user !== undefined && !sameOwner(want.user, st.user, st.uid)) ch['user'] = want.user;
  if (want.group !== undefined && !sameOwner(want.group, st.group, st.gid)) ch['group'] = want.group;
  if (want.mode !== undefined && (st.mode & 0o7777) !== (want.mode & 0o7777)) ch['mode'] = fmtMode(want.mode);
  return ch;
}

/** Apply the changes computed by permChanges (chown before chmod: chown clears setuid/setgid bits). */
export async function applyPerms(host: Host, path: string, ch: Dict, want: WantedPerms): Promise<void> {
  if ('user' in ch || 'group' in ch) {
    await host.chown(path, 'user' in ch ? want.user : undefined, 'group' in ch ? want.group : undefined);
  }
  if (want.mode !== undefined && ('mode' in ch || 'user' in ch || 'group' in ch)) await host.chmod(path, want.mode);
}

/** Read user/group/mode arguments from a state's args (mode parsed by the caller's parser). */
export function wantedFrom(args: Dict, mode: number | undefined): WantedPerms {
  const w: WantedPerms = { mode };
  if (args['user'] !== undefined && args['user'] !== null && args['user'] !== '') w.user = args['user'] as string;
  if (args['group'] !== undefined && args['group'] !== null && args['group'] !== '') w.group = args['group'] as string;
  return w;
}
