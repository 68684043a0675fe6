// Pushing the promotion branch, with the user's own git credentials (credential helpers, SSH
// agent) unless the caller supplies a token for an askpass helper. Never forced: no `--force`, no
// `+` refspec. A rejection is classified from git's stderr here, once, into a PromotionError code.
// Runs git directly (gitProcess), not through simple-git (networkGit): the remote is one the user
// configured, not a URL from repository content, and simple-git refuses to run at all when the
// user's environment sets EDITOR, VISUAL or PAGER — which most terminals do. Both run from the
// user's repository root (TempWorktree.runRemote), so a remote given as a relative path
// (`git remote add origin ../shop.git`) names the same repository it names for `git push`.
import { PromotionError } from '../../core/promotion/promotionError';
import { maskSecrets } from '../../core/secrets';
import { GitError } from '../gitError';
import type { TempWorktree } from './tempWorktree';

export type PushResult = 'pushed' | 'nonFastForward';

const NON_FAST_FORWARD = /\[rejected\][^\n]*\((non-fast-forward|fetch first)\)|Updates were rejected because the (tip|remote)/i;
const AUTH = /Authentication failed|could not read (Username|Password)|terminal prompts disabled|Permission denied \(publickey|HTTP Basic: Access denied|invalid credentials|The requested URL returned error: 40[13]/i;
const UNREACHABLE = /Could not resolve host|Connection refused|Connection timed out|Network is unreachable|Failed to connect|unable to access|Operation timed out|early EOF/i;
const NO_REPOSITORY = /does not appear to be a git repository|No such remote|Could not read from remote repository|repository '.*' not found|not found|No such file or directory/i;

function stderrOf(error: unknown): string {
  if (error instanceof GitError) return error.details.stderr ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

/** `remote:` lines (what a hook or branch protection said), for the message. */
function remoteSays(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .filter((line) => /^remote:/.test(line))
    .map((line) => line.replace(/^remote:\s*/, '').trim())
    .filter((line) => line && !/^(Resolving|Counting|Compressing|Writing|Total|To )/.test(line));
  return lines.slice(0, 5).join(' ');
}

/** The PromotionError for a failed push or fetch (never for a plain non-fast-forward). */
export function pushFailure(stderr: string, remote: string, branch: string, operation: 'push' | 'fetch'): PromotionError {
  const said = maskSecrets(remoteSays(stderr));
  if (AUTH.test(stderr)) {
    return new PromotionError('unauthorized', `The remote ${remote} refused your git credentials for the ${operation}`, 'check that git can push to this remote from a terminal (credential helper or SSH key), then try again');
  }
  if (/\[remote rejected\]|pre-receive hook declined|protected branch|hook declined|denied/i.test(stderr)) {
    return new PromotionError('pushRejected', `The remote ${remote} rejected ${branch}${said ? `: ${said}` : ''}`, 'a server-side hook or branch protection refused it; nothing else was changed — ask a repository admin, or adjust the rule for gitops/* branches');
  }
  if (UNREACHABLE.test(stderr)) {
    return new PromotionError('unreachable', `Cannot reach the remote ${remote} for the ${operation}`, 'check the network (or VPN) and try again; nothing was pushed');
  }
  if (NO_REPOSITORY.test(stderr)) {
    return new PromotionError('noRemote', `The remote ${remote} cannot be used: it is missing or is not a git repository`, 'check git remote -v, then try again');
  }
  const summary = maskSecrets(stderr.split(/\r?\n/).filter((l) => /^(fatal|error):/.test(l)).map((l) => l.replace(/^(fatal|error):\s*/, '')).slice(0, 2).join('; '));
  return new PromotionError('failed', `git ${operation} to ${remote} failed${summary ? `: ${summary}` : ''}`, 'nothing was pushed; try the same push from a terminal to see why');
}

export interface NetworkSettings {
  env: Record<string, string>;
  timeoutMs?: number;
}

export const DEFAULT_PUSH_TIMEOUT_MS = 300_000;

/** Runs a network git command on the worktree; exit statuses 1 and 128 come back for classification. */
async function network(worktree: TempWorktree, args: readonly string[], settings: NetworkSettings, remote: string): Promise<{ exitCode: number; stderr: string }> {
  try {
    const result = await worktree.runRemote(args, { env: settings.env, timeoutMs: settings.timeoutMs ?? DEFAULT_PUSH_TIMEOUT_MS, okExitCodes: [0, 1, 128] });
    return { exitCode: result.exitCode, stderr: result.stderr };
  } catch (error) {
    if (error instanceof GitError && error.code === 'timeout') {
      throw new PromotionError('unreachable', `git ${args[0]} to ${remote} did not finish in time and was stopped`, 'check the network and try again');
    }
    return { exitCode: 1, stderr: stderrOf(error) };
  }
}

/** Pushes HEAD of the worktree to `refs/heads/<branch>`. Never forced. */
export async function pushHead(worktree: TempWorktree, remote: string, branch: string, settings: NetworkSettings): Promise<PushResult> {
  const { exitCode, stderr } = await network(worktree, ['push', '--no-verify', remote, `HEAD:refs/heads/${branch}`], settings, remote);
  if (exitCode === 0) return 'pushed';
  if (NON_FAST_FORWARD.test(stderr)) return 'nonFastForward';
  throw pushFailure(stderr, remote, branch, 'push');
}

/**
 * Fetches one branch of the remote into the worktree's FETCH_HEAD only (`--refmap=` keeps the
 * user's remote-tracking branches where they are). Returns its commit, or null when the branch
 * does not exist on the remote.
 */
export async function fetchBranch(worktree: TempWorktree, remote: string, branch: string, settings: NetworkSettings): Promise<string | null> {
  const { exitCode, stderr } = await network(worktree, ['fetch', '--quiet', '--no-tags', '--no-write-commit-graph', '--refmap=', remote, `refs/heads/${branch}`], settings, remote);
  if (exitCode !== 0) {
    if (/couldn't find remote ref/i.test(stderr)) return null;
    throw pushFailure(stderr, remote, branch, 'fetch');
  }
  const result = await worktree.run(['rev-parse', '-q', '--verify', 'FETCH_HEAD^{commit}'], { okExitCodes: [0, 1] });
  const sha = result.stdout.toString('utf8').trim();
  return result.exitCode === 0 && sha ? sha : null;
}
