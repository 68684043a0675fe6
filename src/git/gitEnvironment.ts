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
