// Network operations (clone, fetch) go through simple-git: remote URLs can come from repository
// content, and simple-git refuses argument and protocol tricks (`--upload-pack=`, `ext::`) that
// such a URL could smuggle in. The environment is the user's own (credential helpers, proxies,
// CA files), so the categories it may legitimately carry are allowed.
import { GitPluginError, simpleGit } from 'simple-git';
import { gitEnvironment } from './gitEnvironment';
import { GitError, gitFailure } from './gitError';
import { redactCredentials } from './redactCredentials';

export interface NetworkGitOptions {
  /** Kill git after this long without any output. */
  timeoutMs?: number;
  env?: Readonly<Record<string, string>>;
}

export const DEFAULT_NETWORK_TIMEOUT_MS = 120_000;

export async function runNetworkGit(cwd: string, args: readonly string[], options: NetworkGitOptions = {}): Promise<string> {
  const env: Record<string, string> = { ...gitEnvironment(options.env) };
  // Clone and fetch never open an editor or a pager; simple-git refuses to run at all when the
  // user's environment names one (most terminals set EDITOR/PAGER), so they are left out.
  for (const key of Object.keys(env)) if (/^(GIT_)?(EDITOR|VISUAL|PAGER|SEQUENCE_EDITOR)$/.test(key)) delete env[key];
  const timeoutMs = options.timeoutMs ?? DEFAULT_NETWORK_TIMEOUT_MS;
  const git = simpleGit({
    baseDir: cwd,
    timeout: { block: timeoutMs },
    allowEnvironment: Object.keys(env),
    unsafe: {
      allowUnsafeAskPass: true,
      allowUnsafeSshCommand: true,
      allowUnsafeGitProxy: true,
      allowUnsafeCredentialHelper: true,
      allowUnsafeConfigEnvCount: true,
      allowUnsafeUrlRewrite: true,
    },
  }).env(env);
  try {
    return await git.raw([...args]);
  } catch (error) {
    throw networkGitError(args[0] ?? 'git', error, timeoutMs);
  }
}

function networkGitError(command: string, error: unknown, timeoutMs: number): GitError {
  if (error instanceof GitPluginError && error.plugin === 'timeout') {
    return new GitError('timeout', `git ${command} made no progress for ${Math.round(timeoutMs / 1000)} s`, { command });
  }
  const message = redactCredentials(error instanceof Error ? error.message : String(error));
  if (/spawn \S*git\S* ENOENT/.test(message)) {
    return new GitError('gitMissing', 'git was not found on PATH; install git or add it to PATH', { command });
  }
  if (error instanceof GitPluginError) {
    return new GitError('failed', `git ${command} was refused: ${message}`, { command });
  }
  return gitFailure(command, null, message);
}
