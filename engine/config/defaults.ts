/**
 * Salt's defaults for the minion and master config keys halite reads. Values follow Salt's (salt/config)
 * except paths, which are halite's (/etc/halite, /var/cache/halite) and `file_roots`/`pillar_roots`, which keep
 * only /srv/salt and /srv/pillar.
 */
import type { Dict } from '../types.js';

/** Pillar keys whose values are secrets (glob, case-insensitive). `*_key` counts only when the value is a PEM. */
export const DEFAULT_SECRET_PILLAR_KEYS = ['*password*', '*passwd*', '*secret*', '*token*', '*private_key*', '*_key'];

export function minionDefaults(configDir: string): Dict {
  return {
    id: null,
    master: 'salt',
    file_client: 'local',
    conf_file: `${configDir}/minion`,
    config_dir: configDir,
    root_dir: '/',
    cachedir: '/var/cache/halite',
    default_include: 'minion.d/*.conf',
    file_roots: { base: ['/srv/salt'] },
    pillar_roots: { base: ['/srv/pillar'] },
    fileserver_backend: ['roots'],
    fileserver_followsymlinks: true,
    fileserver_ignoresymlinks: false,
    file_ignore_regex: [],
    file_ignore_glob: [],
    hash_type: 'sha256',
    saltenv: null,
    pillarenv: null,
    pillarenv_from_saltenv: false,
    lock_saltenv: false,
    state_top: 'top.sls',
    state_top_saltenv: null,
    default_top: 'base',
    top_file_merging_strategy: 'merge',
    env_order: [],
    renderer: 'jinja|yaml',
    renderer_blacklist: [],
    renderer_whitelist: [],
    jinja_env: {},
    jinja_sls_env: {},
    jinja_trim_blocks: false,
    jinja_lstrip_blocks: false,
    failhard: false,
    test: false,
    state_auto_order: true,
    state_verbose: true,
    state_output: 'full',
    state_output_diff: false,
    state_output_profile: true,
    state_compress_ids: false,
    state_events: false,
    state_aggregate: false,
    strict_requisites: true,
    state_concurrency: 1,
    startup_states: '',
    output: null,
    color: true,
    log_level: 'warning',
    grains: {},
    grains_cache: false,
    ipv6: false,
    pillar: {},
    pillar_opts: false,
    pillar_merge_lists: false,
    pillar_source_merging_strategy: 'smart',
    pillar_safe_render_error: true,
    pillar_includes_override_sls: false,
    pillar_raise_on_missing: false,
    pillarenv_lock: false,
    decrypt_pillar: [],
    secret_pillar_keys: [...DEFAULT_SECRET_PILLAR_KEYS],
  };
}

export function masterDefaults(configDir: string): Dict {
  return {
    conf_file: `${configDir}/master`,
    config_dir: configDir,
    default_include: 'master.d/*.conf',
    file_roots: { base: ['/srv/salt'] },
    pillar_roots: { base: ['/srv/pillar'] },
    top_file_merging_strategy: 'merge',
    env_order: [],
    default_top: 'base',
    renderer: 'jinja|yaml',
    state_top: 'top.sls',
    pillar_source_merging_strategy: 'smart',
    pillar_merge_lists: false,
    hash_type: 'sha256',
  };
}
