// The environment every git process we start runs with. The user's own git configuration,
// credential helpers and CA settings must keep working, so the ambient environment is kept;
// only variables that would point git at another repository are dropped.

/** Variables that redirect git to a different repository, index or object store than the one we chose. */
const LOCATION_VARIABLES = new Set([
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_QUARANTINE_PATH',
]);

/** Settings we add to every git process, and why. */
const OUR_VARIABLES: Readonly<Record<string, string>> = {
  // Reads must never take `index.lock` or rewrite the index's stat cache behind the user's back.
  GIT_OPTIONAL_LOCKS: '0',
  // Nobody can answer a password prompt from a background process; fail instead of hanging.
  GIT_TERMINAL_PROMPT: '0',
  // Error classification matches git's English messages.
  LC_ALL: 'C',
  LANGUAGE: 'C',
};

/** The environment for a git child process: the ambient one, minus location overrides, plus ours. */
export function gitEnvironment(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (LOCATION_VARIABLES.has(key.toUpperCase())) continue;
    env[key] = value;
  }
  return { ...env, ...OUR_VARIABLES, ...extra };
}

/**
 * Extra settings for git processes nobody is watching (a refresh fetching a colleague's pull
 * request in the background): no password dialog may pop up. GIT_TERMINAL_PROMPT=0 stops only the
 * terminal prompt; an empty GIT_ASKPASS stops git's askpass programs (core.askPass, SSH_ASKPASS),
 * credential.interactive=false stops Git Credential Manager's dialogs, and SSH_ASKPASS_REQUIRE=never
 * stops ssh's. Stored credentials (helpers, agents, keys) still work; anything else fails at once.
 */
export function nonInteractiveEnvironment(ambient: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
  // Appended to the user's own GIT_CONFIG_COUNT entries, which stay in force.
  const count = Number.parseInt(ambient.GIT_CONFIG_COUNT ?? '0', 10);
  const index = Number.isInteger(count) && count >= 0 ? count : 0;
  return {
    GIT_ASKPASS: '',
    SSH_ASKPASS_REQUIRE: 'never',
    GCM_INTERACTIVE: 'never',
    GIT_CONFIG_COUNT: String(index + 1),
    [`GIT_CONFIG_KEY_${index}`]: 'credential.interactive',
    [`GIT_CONFIG_VALUE_${index}`]: 'false',
  };
}
