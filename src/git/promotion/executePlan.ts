// Runs a plan: check the host, build the commit in a temporary worktree, push the head branch,
// open (or update) the pull request. The user's checkout is never touched, and the worktree is
// removed on success, failure and cancellation alike.
//
// Order matters for "no pull request half-created": the host is asked first (an expired token
// fails before anything is pushed), cancellation is honoured up to the push, and the pull
// request is opened only after the push succeeded. A non-fast-forward push is handled once:
// fetch the remote branch, then
//   - it already holds our exact tree → nothing to push (a repeated run);
//   - it holds only our earlier runs → one commit with this plan's tree on top of it (parents:
//     the remote branch, plus the source commit for a merge), so the pull request shows this plan;
//   - someone else pushed to it → our commit is rebased onto theirs (merged for the branch
//     layout), keeping their work; a conflict is a clear error;
// then push again; a second rejection is an error. Never a force-push.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { branchNameProblem } from '../../core/safeNames';
import { identityChangeBlocked } from '../../core/promotion/safetyChecks';
import { compareUrl } from '../../core/promotion/hostLinks';
import { PromotionError } from '../../core/promotion/promotionError';
import { TRAILER_PROMOTED_FROM, TRAILER_ROLLBACK_TO } from '../../core/promotion/promotionNames';
import type { PromotionPlan } from '../../core/promotion/promotionTypes';
import { TRAILER_SET_IMAGE } from '../../core/promotion/setImagePlan';
import { maskSecrets } from '../../core/secrets';
import { HostError } from '../../hosts/hostError';
import type { PullRequestInfo, PullRequestProvider } from '../../hosts/pullRequestProvider';
import { GitError } from '../gitError';
import type { GitRepository } from '../gitRepository';
import { applyAndCommit, planCommitMessage } from './applyPlan';
import { askPassSetup, type PushCredentials } from './askPass';
import { fetchBranch, pushHead, type NetworkSettings } from './pushBranch';
import { createTempWorktree, type TempWorktree } from './tempWorktree';

export type ExecutionStep = 'check' | 'worktree' | 'apply' | 'commit' | 'push' | 'pullRequest' | 'cleanup';

export interface ExecutionProgress {
  step: ExecutionStep;
  /** A sentence for a progress notification. */
  message: string;
  /** Share of the whole run this step stands for (0–100), for `withProgress` increments. */
  increment: number;
}

export interface ExecuteOptions {
  /** null/undefined: push only and return the host's compare page. */
  provider?: PullRequestProvider | null;
  /** Cancels everything up to the push; after the push it is ignored (the branch exists). */
  signal?: AbortSignal;
  onProgress?: (progress: ExecutionProgress) => void;
  /** Where the temporary worktree goes; default os.tmpdir(). */
  tempDir?: string;
  /** Push with this token through an askpass helper instead of the user's git credentials. */
  pushCredentials?: PushCredentials | null;
  networkTimeoutMs?: number;
}

export interface ExecutionResult {
  headBranch: string;
  base: string;
  remote: string;
  /** The head branch's commit on the remote after the run. */
  commit: string;
  /** False when the remote already had this exact change (a repeated run). */
  pushed: boolean;
  pullRequest: PullRequestInfo | null;
  /** What happened to the pull request. */
  pullRequestAction: 'created' | 'updated' | 'none';
  /** The host's page to open the pull request by hand (no provider), else null. */
  compareUrl: string | null;
  /** Labels or reviewers the host refused, and similar. */
  warnings: string[];
}

const WEIGHTS: Record<ExecutionStep, number> = { check: 10, worktree: 15, apply: 20, commit: 10, push: 25, pullRequest: 15, cleanup: 5 };

function cancelled(): PromotionError {
  return new PromotionError('cancelled', 'Cancelled; nothing was pushed', '');
}

function fromHostError(error: HostError, prefix: string, hint: string): PromotionError {
  const code = error.code === 'unauthorized' ? 'unauthorized' : error.code === 'unreachable' || error.code === 'timeout' ? 'unreachable' : 'failed';
  const result = new PromotionError(code, `${prefix}${error.message}`, [error.hint, hint].filter(Boolean).join('; '));
  (result as { cause?: unknown }).cause = error;
  return result;
}

/** Checks the plan can run at all, before anything is created. */
function validate(plan: PromotionPlan): string {
  if (plan.alreadyInSync) throw new PromotionError('nothingToPromote', plan.syncReason ?? `${plan.to} is already in sync`, 'nothing needs doing');
  const anyFile = plan.files.some((f) => f.selected);
  const anyMerge = plan.kind === 'promotion' && plan.layout === 'branch' && plan.commitTotal > 0;
  if (!anyFile && !anyMerge) {
    throw new PromotionError('nothingToPromote', 'Nothing is selected', plan.files.length ? 'tick at least one file' : 'nothing differs');
  }
  if (identityChangeBlocked(plan)) {
    const reasons = plan.warnings.filter((w) => w.code === 'identity-change').map((w) => w.message);
    throw new PromotionError('identityChange', `This ${plan.kind} would change ${plan.to}'s identity: ${reasons.join('; ')}`, 'untick the identity values, or allow the identity change (the preview\'s tick, --allow-identity-change) if it is intended');
  }
  for (const name of [plan.headBranch, plan.target.branch]) {
    const problem = branchNameProblem(name);
    if (problem) throw new PromotionError('failed', `Branch name "${name}" ${problem}`, 'rename the environment or its branch');
  }
  const remote = plan.target.remote;
  if (!remote) throw new PromotionError('noRemote', 'The repository has no remote to push the promotion branch to', 'add one (git remote add origin <url>) and push the environment branches');
  if (remote.startsWith('-')) throw new PromotionError('noRemote', `Not a usable remote name: ${remote}`, 'rename the remote');
  return remote;
}

async function treeOf(worktree: TempWorktree, commit: string): Promise<string> {
  return (await worktree.run(['rev-parse', `${commit}^{tree}`])).stdout.toString('utf8').trim();
}

/** True when every first-parent commit the remote branch has beyond the target is one of ours (carries our trailers). */
async function onlyOurCommits(worktree: TempWorktree, remoteHead: string, targetCommit: string): Promise<boolean> {
  const log = (await worktree.run(['log', '-z', '--first-parent', '--format=%B', remoteHead, `^${targetCommit}`, '--'], { okExitCodes: [0, 128] })).stdout.toString('utf8');
  return log
    .split('\0')
    .filter((message) => message.trim() !== '')
    .every((message) => new RegExp(`^(${TRAILER_PROMOTED_FROM}|${TRAILER_ROLLBACK_TO}|${TRAILER_SET_IMAGE}): `, 'm').test(message));
}

/**
 * After a non-fast-forward: fetch the remote branch and build on it, once. Returns the commit to
 * push, or null when the remote already holds our tree.
 * - Only our own earlier runs are on it (a repeated promotion, maybe with other ticks): a new
 *   commit with exactly this plan's tree goes on top, so the pull request shows this plan.
 * - Someone else pushed to it: their work is kept — our commit is rebased onto theirs (merged,
 *   for the branch layout); a conflict stops with a clear error.
 */
async function rebaseOnce(worktree: TempWorktree, plan: PromotionPlan, remote: string, network: NetworkSettings): Promise<string | null> {
  const remoteHead = await fetchBranch(worktree, remote, plan.headBranch, network);
  if (!remoteHead) return (await worktree.run(['rev-parse', 'HEAD'])).stdout.toString('utf8').trim();
  const ours = await treeOf(worktree, 'HEAD');
  if ((await treeOf(worktree, remoteHead)) === ours) return null;
  const branchLayout = plan.kind === 'promotion' && plan.layout === 'branch';
  if (await onlyOurCommits(worktree, remoteHead, plan.target.commit)) {
    const messageFile = join(worktree.scratch, 'COMMIT_MSG');
    await writeFile(messageFile, planCommitMessage(plan));
    const parents = branchLayout ? ['-p', remoteHead, '-p', plan.source.commit] : ['-p', remoteHead];
    const commit = (await worktree.run(['commit-tree', ours, ...parents, '-F', messageFile])).stdout.toString('utf8').trim();
    await worktree.run(['reset', '--quiet', '--hard', commit]);
    return commit;
  }
  const integrate = branchLayout
    ? await worktree.run(['merge', '--quiet', '--no-edit', '--no-ff', remoteHead], { okExitCodes: [0, 1, 128] })
    : await worktree.run(['rebase', '--quiet', remoteHead], { okExitCodes: [0, 1, 128] });
  if (integrate.exitCode !== 0) {
    await worktree.run([branchLayout ? 'merge' : 'rebase', '--abort'], { okExitCodes: [0, 1, 128] });
    throw new PromotionError(
      'conflict',
      `The branch ${plan.headBranch} on ${remote} already has different changes that conflict with this ${plan.kind}`,
      `nothing was pushed; close its pull request and delete the branch (git push ${remote} --delete ${plan.headBranch}), then try again`,
    );
  }
  const head = (await worktree.run(['rev-parse', 'HEAD'])).stdout.toString('utf8').trim();
  return head === remoteHead ? null : head;
}

/**
 * Executes a plan (from planPromotion / planRollback, possibly re-ticked with reselectPlan).
 * Throws PromotionError (its `cause` keeps a HostError or GitError when there is one).
 */
export async function executePlan(repo: GitRepository, plan: PromotionPlan, options: ExecuteOptions = {}): Promise<ExecutionResult> {
  const progress = (step: ExecutionStep, message: string): void => options.onProgress?.({ step, message, increment: WEIGHTS[step] });
  const check = (): void => {
    if (options.signal?.aborted) throw cancelled();
  };
  const provider = options.provider ?? null;
  const head = plan.headBranch;
  const base = plan.target.branch;
  const warnings: string[] = [];
  const manualUrl = provider?.compareUrl(base, head) ?? compareUrl(plan.host.kind, plan.host.webUrl, base, head);

  progress('check', provider ? `Checking ${provider.displayName}` : 'Checking the plan');
  const remote = validate(plan);
  const remotes = (await repo.remotes()).map((r) => r.name);
  if (!remotes.includes(remote)) throw new PromotionError('noRemote', `The remote "${remote}" does not exist`, 'check git remote -v');
  let existing: PullRequestInfo | null = null;
  if (provider) {
    try {
      existing = await provider.findOpenByHead(head, base);
    } catch (error) {
      if (error instanceof HostError) throw fromHostError(error, '', 'nothing was pushed');
      throw error;
    }
  }
  check();

  let worktree: TempWorktree | undefined;
  let commit: string;
  let pushed = true;
  try {
    progress('worktree', 'Preparing a temporary worktree');
    worktree = await createTempWorktree(repo, plan.target.commit, { parentDir: options.tempDir, signal: options.signal });
    check();
    progress('apply', plan.kind === 'rollback' ? `Restoring ${plan.to} to ${plan.source.shortCommit}` : plan.layout === 'branch' ? `Merging ${plan.source.branch} into ${plan.target.branch}` : `Applying ${plan.from}'s changes to ${plan.to}`);
    commit = await applyAndCommit(worktree, plan, options.signal, () => progress('commit', 'Committing'));
    check();

    const setup = options.pushCredentials ? await askPassSetup(worktree.scratch, options.pushCredentials) : null;
    const network: NetworkSettings = { env: setup ? worktree.networkEnv(setup.config, setup.env) : worktree.networkEnv([], {}), timeoutMs: options.networkTimeoutMs };
    progress('push', `Pushing ${head} to ${remote}`);
    check();
    let result = await pushHead(worktree, remote, head, network);
    if (result === 'nonFastForward') {
      const rebased = await rebaseOnce(worktree, plan, remote, network);
      if (rebased === null) {
        pushed = false;
        commit = (await worktree.run(['rev-parse', 'FETCH_HEAD'])).stdout.toString('utf8').trim();
      } else {
        commit = rebased;
        result = await pushHead(worktree, remote, head, network);
        if (result === 'nonFastForward') {
          throw new PromotionError('pushRejected', `${head} on ${remote} moved again while pushing`, 'someone else is pushing to this branch; try again in a moment');
        }
      }
    }
  } catch (error) {
    if (error instanceof PromotionError) throw error;
    if (error instanceof GitError) {
      const wrapped = new PromotionError(error.code === 'timeout' ? 'failed' : 'failed', maskSecrets(error.message), 'nothing was pushed');
      (wrapped as { cause?: unknown }).cause = error;
      if (options.signal?.aborted) throw cancelled();
      throw wrapped;
    }
    throw error;
  } finally {
    progress('cleanup', 'Removing the temporary worktree');
    await worktree?.remove();
  }

  if (!provider) {
    return { headBranch: head, base, remote, commit, pushed, pullRequest: null, pullRequestAction: 'none', compareUrl: manualUrl, warnings };
  }
  progress('pullRequest', existing ? `Updating pull request #${existing.number}` : `Opening the pull request on ${provider.displayName}`);
  try {
    if (existing) {
      const updated = await provider.update(existing.number, { title: plan.title, body: plan.body });
      return { headBranch: head, base, remote, commit, pushed, pullRequest: updated, pullRequestAction: 'updated', compareUrl: null, warnings };
    }
    const created = await provider.create({ head, base, title: plan.title, body: plan.body, labels: plan.labels, reviewers: plan.reviewers });
    warnings.push(...created.warnings);
    return { headBranch: head, base, remote, commit, pushed, pullRequest: created.pullRequest, pullRequestAction: 'created', compareUrl: null, warnings };
  } catch (error) {
    if (error instanceof HostError) throw fromHostError(error, `${head} was pushed to ${remote}, but the pull request was not opened: `, manualUrl ? `open it by hand: ${manualUrl}` : 'open it by hand on the host');
    throw error;
  }
}
