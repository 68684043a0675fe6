// The revision an operator deployed against the head of the environment's branch: which commits
// are on the branch and not yet in the cluster ("deployed abc1234, branch at def5678: 3 commits not
// yet deployed"). Reads history through a small interface the git adapter (GitRepository)
// implements, so the rule stays testable and free of I/O.
import { environmentPaths, type CommitInfo, type Environment } from '../model';
import { parseRevision, shortSha } from './revision';

/** The part of the git adapter this needs; `GitRepository` satisfies it. */
export interface CommitHistoryReader {
  /** Full SHA of a ref or (abbreviated) commit; null when it is not in the local history. */
  resolve(ref: string): Promise<string | null>;
  /** Commits reachable from `fromRef` and not from `toRef`, newest first; `total` exact. */
  pendingCommits(fromRef: string, toRef: string | null, options?: { paths?: readonly string[]; limit?: number }): Promise<{ commits: CommitInfo[]; total: number }>;
}

/** The environment's Git side; `EnvironmentState` from the git adapter satisfies it. */
export interface EnvironmentGitRef {
  environment: Environment;
  /** Ref holding the desired state (`main`, `origin/prod`, `HEAD`); null when it could not be resolved. */
  ref: string | null;
}

export type DeployedVsHeadStatus =
  | 'upToDate'
  | 'behind'
  /** The deployed commit is not in the branch's history (force-push, deployed from another branch). */
  | 'diverged'
  /** The deployed commit is not in the local clone (fetch needed, or another repository). */
  | 'unknownRevision'
  /** The operator reports no commit (not synced yet, a chart version, an OCI digest). */
  | 'noDeployedRevision'
  | 'noHead';

export interface DeployedVsHead {
  status: DeployedVsHeadStatus;
  /** Short SHAs for display. */
  deployed: string | null;
  head: string | null;
  deployedSha: string | null;
  headSha: string | null;
  /** Commits on the branch (touching the environment's folder) not in the deployed revision, newest first. */
  notDeployed: CommitInfo[];
  /** Exact count even when `notDeployed` is cut at the limit. */
  total: number;
  /** One line for the tree: "deployed abc1234, branch at def5678: 3 commits not yet deployed". */
  message: string;
}

export interface DeployedVsHeadOptions {
  /** How many commits to list; default 50. */
  limit?: number;
}

function commits(n: number): string {
  return `${n} commit${n === 1 ? '' : 's'}`;
}

export async function compareDeployedToHead(
  reader: CommitHistoryReader,
  state: EnvironmentGitRef,
  deployedRevision: string | null,
  options: DeployedVsHeadOptions = {},
): Promise<DeployedVsHead> {
  const parsed = parseRevision(deployedRevision);
  // Argo writes a bare SHA; a short hex string typed by hand is a commit too.
  const candidate = parsed.sha ?? (deployedRevision && /^[0-9a-f]{7,39}$/i.test(deployedRevision.trim()) ? deployedRevision.trim().toLowerCase() : null);
  const branchName = state.environment.branch ?? 'the branch';
  const headSha = state.ref ? await reader.resolve(state.ref) : null;
  const head = headSha ? shortSha(headSha) : null;
  const base = { headSha, head, notDeployed: [] as CommitInfo[], total: 0 };
  if (candidate === null) {
    const what = deployedRevision ? `deployed ${deployedRevision}, which names no commit` : 'no deployed revision reported yet';
    return { ...base, status: 'noDeployedRevision', deployed: null, deployedSha: null, message: head ? `${what}; branch at ${head}` : what };
  }
  if (!headSha) {
    return { ...base, status: 'noHead', deployed: shortSha(candidate), deployedSha: candidate, message: `deployed ${shortSha(candidate)}; the head of ${branchName} is unknown (ref ${state.ref ?? 'not resolved'} not found)` };
  }
  const deployedSha = await reader.resolve(candidate);
  if (!deployedSha) {
    return {
      ...base,
      status: 'unknownRevision',
      deployed: shortSha(candidate),
      deployedSha: candidate,
      message: `deployed ${shortSha(candidate)}, which is not in the local history (fetch to compare); branch at ${head}`,
    };
  }
  const deployed = shortSha(deployedSha);
  if (deployedSha === headSha) return { ...base, status: 'upToDate', deployed, deployedSha, message: `deployed ${deployed}, branch at ${head}: up to date` };
  const folders = environmentPaths(state.environment);
  const paths = folders.length > 0 ? folders : undefined;
  // Commits in the deployed revision the branch lacks mean it is not an ancestor of the head.
  const [pending, notOnBranch] = await Promise.all([
    reader.pendingCommits(state.ref ?? headSha, deployedSha, { paths, limit: options.limit ?? 50 }),
    reader.pendingCommits(deployedSha, headSha, { limit: 0 }),
  ]);
  if (notOnBranch.total > 0) {
    return {
      ...base,
      status: 'diverged',
      deployed,
      deployedSha,
      notDeployed: pending.commits,
      total: pending.total,
      message: `deployed ${deployed}, which is not in the history of ${branchName} (${commits(notOnBranch.total)} only there); branch at ${head}: ${commits(pending.total)} not in the deployed revision`,
    };
  }
  if (pending.total === 0) {
    const folder = paths ? ` (no change to ${paths[0]} since)` : '';
    return { ...base, status: 'upToDate', deployed, deployedSha, message: `deployed ${deployed}, branch at ${head}: up to date${folder}` };
  }
  return {
    ...base,
    status: 'behind',
    deployed,
    deployedSha,
    notDeployed: pending.commits,
    total: pending.total,
    message: `deployed ${deployed}, branch at ${head}: ${commits(pending.total)} not yet deployed`,
  };
}
