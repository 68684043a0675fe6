// Which commit stands for an environment in a promotion: the remote-tracking branch when there is
// one (a pull request can only contain what the remote has), else the local branch. Folder
// environments without a branch use the checked-out branch, or the remote's default branch.
import type { BranchInfo, Environment } from '../../core/model';
import { PromotionError } from '../../core/promotion/promotionError';
import type { GitRepository } from '../gitRepository';
import { remoteDefaultBranch, upstreamRemote } from './promotionGit';

export interface ResolvedSide {
  environment: Environment;
  /** The ref read (`origin/prod` or `prod`). */
  ref: string;
  commit: string;
  /** Branch name on the remote: the pull request's base for a target. */
  branch: string;
  /** Remote the branch lives on; null when the repository has no remote for it. */
  remote: string | null;
  folder: string;
  /** Set when the local branch has commits the remote lacks (they are not part of the plan). */
  unpushed: number;
  /** False when the branch exists only locally: a pull request cannot target it until it is pushed. */
  onRemote: boolean;
}

export interface SideContext {
  branches: readonly BranchInfo[];
  currentBranch: string | null;
  remotes: readonly string[];
}

export async function sideContext(repo: GitRepository): Promise<SideContext> {
  const [branches, currentBranch, remotes] = await Promise.all([repo.branches(), repo.currentBranch(), repo.remoteNamesConfigured()]);
  return { branches, currentBranch, remotes };
}

function preferredRemote(context: SideContext, upstream: string | null): string | null {
  if (upstream && context.remotes.includes(upstream)) return upstream;
  if (context.remotes.includes('origin')) return 'origin';
  return context.remotes[0] ?? null;
}

export async function resolveSide(repo: GitRepository, environment: Environment, role: 'source' | 'target', context: SideContext): Promise<ResolvedSide> {
  const folder = environment.path ?? '';
  const branch = environment.branch ?? (await sharedBranch(repo, context));
  const missing = role === 'source' ? 'sourceMissing' : 'targetMissing';
  if (!branch) {
    throw new PromotionError(missing, `${environment.name} has no branch: HEAD is detached and the remote has no default branch`, 'check out the branch the environments live on, or set `branch:` in gitops.yaml');
  }
  const remote = preferredRemote(context, await upstreamRemote(repo, branch));
  const local = context.branches.find((b) => b.remote === null && b.name === branch);
  const tracking = remote ? context.branches.find((b) => b.remote === remote && b.name === branch) : undefined;
  const other = context.branches.find((b) => b.remote !== null && b.name === branch);
  const chosen = tracking ?? local ?? other;
  if (!chosen) {
    throw new PromotionError(
      missing,
      `The ${role} branch "${branch}" of ${environment.name} exists neither locally nor on a remote`,
      role === 'target' ? `create and push it first (git push ${remote ?? 'origin'} <commit>:refs/heads/${branch})${fixBranch(environment)}` : `fetch the remote${fixBranch(environment)}`,
    );
  }
  let unpushed = 0;
  if (chosen === tracking && local && local.sha !== tracking.sha) {
    unpushed = (await repo.aheadBehind(local.ref, tracking.ref)).ahead;
  }
  return {
    environment,
    ref: chosen.remote ? `${chosen.remote}/${chosen.name}` : chosen.name,
    commit: chosen.sha,
    branch,
    remote: chosen.remote ?? remote,
    folder,
    unpushed,
    onRemote: chosen.remote !== null || context.branches.some((b) => b.remote !== null && b.name === branch),
  };
}

/** `, or fix the branch in gitops.yaml` when gitops.yaml declared the environment; nothing for a discovered one. */
function fixBranch(environment: Environment): string {
  return environment.source === 'config' ? ', or fix the branch in gitops.yaml' : '';
}

/**
 * The branch folder-per-environment repositories keep their environments on: the checked-out
 * branch when the remote has it (the user works on it), else the remote's default branch (the
 * user is on a feature branch), else main/master, else whatever is checked out.
 */
async function sharedBranch(repo: GitRepository, context: SideContext): Promise<string | null> {
  const current = context.currentBranch;
  const remote = preferredRemote(context, current ? await upstreamRemote(repo, current) : null);
  const onRemote = (name: string): boolean => remote !== null && context.branches.some((b) => b.remote === remote && b.name === name);
  if (current && onRemote(current)) return current;
  const fallback = remote ? await remoteDefaultBranch(repo, remote) : null;
  return fallback ?? ['main', 'master'].find(onRemote) ?? current;
}
