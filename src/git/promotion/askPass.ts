// Pushing with a token the caller holds (the extension's GitHub sign-in) without putting it in a
// URL or an argument list: git asks a small GIT_ASKPASS helper, which echoes the token from an
// environment variable of that one git process. The user's credential helpers are bypassed for
// that push only, so a stale stored password cannot win over the fresh token.
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface PushCredentials {
  username: string;
  token: string;
}

const TOKEN_VARIABLE = 'GITOPS_ENV_ASKPASS_TOKEN';
const USER_VARIABLE = 'GITOPS_ENV_ASKPASS_USERNAME';

export interface AskPassSetup {
  /** `-c` settings for the push. */
  config: Array<readonly [string, string]>;
  env: Record<string, string>;
}

/**
 * Settings for a push that authenticates with `credentials`. Null on Windows, where a POSIX
 * helper cannot run: the push then uses the user's own credentials.
 */
export async function askPassSetup(scratch: string, credentials: PushCredentials): Promise<AskPassSetup | null> {
  if (process.platform === 'win32') return null;
  const script = join(scratch, 'askpass.sh');
  // git runs GIT_ASKPASS itself with the prompt as its only argument; the script never sees the token in argv.
  await writeFile(script, `#!/bin/sh\ncase "$1" in\n  [Uu]sername*) printf '%s\\n' "$${USER_VARIABLE}" ;;\n  *) printf '%s\\n' "$${TOKEN_VARIABLE}" ;;\nesac\n`, { mode: 0o700 });
  await chmod(script, 0o700);
  return {
    // An empty helper resets the list: the user's stored credentials are not asked for this push.
    config: [['credential.helper', '']],
    env: { GIT_ASKPASS: script, [USER_VARIABLE]: credentials.username, [TOKEN_VARIABLE]: credentials.token },
  };
}
