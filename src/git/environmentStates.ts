// The Git side of each environment: which ref holds its desired state, its head commit, and what
// is waiting to be promoted from the previous environment. Read-only: no checkout, no fetch.
import type { BranchInfo, CommitInfo, Environment, LocatedProblem } from '../core/model';
import type { GitRepository } from './gitRepository';

export interface PendingCommits {
  /** Name of the previous environment in the promotion order. */
  from: string;
  commits: CommitInfo[];
  /** Exact count, even when `commits` is cut at the limit. */
  total: number;
}

export interface EnvironmentState {
  environment: Environment;
  /** Ref the desired state is read from (`dev`, `origin/dev`, `HEAD`); null when it cannot be resolved. */
  ref: string | null;
  /** True when the ref is what the working tree has checked out: the editor's files are this environment's. */
  checkedOut: boolean;
  head: CommitInfo | null;
  pending: PendingCommits | null;
  problems: LocatedProblem[];
}

export interface StateOptions {
  pendingLimit?: number;
}

/** Picks the local branch when it exists, else a remote-tracking one (origin first). */
export function resolveBranchRef(branch: string, branches: readonly BranchInfo[]): string | null {
  const local = branches.find((b) => b.remote === null && b.name === branch);
  if (local) return local.name;
  const remotes = branches.filter((b) => b.remote !== null && b.name === branch);
  const preferred = remotes.find((b) => b.remote === 'origin') ?? remotes[0];
  return preferred ? `${preferred.remote}/${preferred.name}` : null;
}

function samePlace(a: Environment, b: Environment): boolean {
  return (a.repo ?? '') === (b.repo ?? '');
}

async function pendingBetween(
  repo: GitRepository,
  previous: EnvironmentState,
  current: EnvironmentState,
  limit: number,
): Promise<PendingCommits | null> {
  const prevEnv = previous.environment;
  const env = current.environment;
  if (!previous.ref || !current.ref || !samePlace(prevEnv, env)) return null;
  const sameRef = previous.ref === current.ref || (previous.head && current.head && previous.head.sha === current.head.sha && !prevEnv.branch && !env.branch);
  if (!sameRef) {
    // Branch per environment: commits on the previous branch not on this one, limited to the
    // environment folder when both environments keep their manifests in the same folder.
    const paths = prevEnv.path && prevEnv.path === env.path ? [env.path] : undefined;
    const result = await repo.pendingCommits(previous.ref, current.ref, { paths, limit });
    return { from: prevEnv.name, ...result };
  }
  // Folder per environment on one branch: nothing waits when both folders hold the same tree;
  // otherwise, the changes to the previous folder since this folder last changed.
  if (!prevEnv.path || !env.path) return null;
  const [prevTree, tree] = await Promise.all([repo.treeHash(current.ref, prevEnv.path), repo.treeHash(current.ref, env.path)]);
  if (prevTree !== null && prevTree === tree) return { from: prevEnv.name, commits: [], total: 0 };
  const lastHere = await repo.headCommit(current.ref, env.path);
  if (!lastHere) {
    const all = await repo.pendingCommits(current.ref, null, { paths: [prevEnv.path], limit });
    return { from: prevEnv.name, ...all };
  }
  const result = await repo.pendingCommits(current.ref, lastHere.sha, { paths: [prevEnv.path], limit });
  return { from: prevEnv.name, ...result };
}

/**
 * Computes every environment's state. Environments stored in another repository (`repo:`) are
 * resolved by the caller through `repoFor`; the rest read `repo`.
 */
export async function loadEnvironmentStates(
  repo: GitRepository,
  environments: readonly Environment[],
  options: StateOptions = {},
  repoFor: (environment: Environment) => Promise<GitRepository> = async () => repo,
): Promise<EnvironmentState[]> {
  const limit = options.pendingLimit ?? 50;
  const branchCache = new Map<GitRepository, Promise<{ branches: BranchInfo[]; current: string | null }>>();
  const branchesOf = (r: GitRepository): Promise<{ branches: BranchInfo[]; current: string | null }> => {
    let p = branchCache.get(r);
    if (!p) {
      p = Promise.all([r.branches(), r.currentBranch()]).then(([branches, current]) => ({ branches, current }));
      branchCache.set(r, p);
    }
    return p;
  };

  const states = await Promise.all(
    environments.map(async (environment): Promise<EnvironmentState> => {
      const problems: LocatedProblem[] = [];
      let envRepo: GitRepository;
      try {
        envRepo = environment.repo ? await repoFor(environment) : repo;
      } catch (error) {
        problems.push({
          severity: 'error',
          message: `Cannot open the repository of ${environment.name}: ${(error as Error).message}`,
          location: environment.declaredAt,
          hint: 'check `repo:` in gitops.yaml',
        });
        return { environment, ref: null, checkedOut: false, head: null, pending: null, problems };
      }
      const { branches, current } = await branchesOf(envRepo);
      let ref: string | null;
      if (environment.branch) {
        ref = resolveBranchRef(environment.branch, branches);
        if (!ref) {
          problems.push({
            severity: 'error',
            message: `Branch "${environment.branch}" of ${environment.name} exists neither locally nor on a remote`,
            location: environment.declaredAt,
            hint: 'fetch the remote, or fix the branch in gitops.yaml',
          });
        }
      } else {
        ref = 'HEAD';
      }
      // A branch's head is its tip; a folder on a shared branch is as new as its last change.
      const head = ref ? await envRepo.headCommit(ref, environment.branch ? undefined : (environment.path ?? undefined)) : null;
      const checkedOut = envRepo === repo && (environment.branch === null || environment.branch === current);
      return { environment, ref, checkedOut, head, pending: null, problems };
    }),
  );

  await Promise.all(
    states.map(async (state, index) => {
      if (index === 0) return;
      try {
        state.pending = await pendingBetween(repo, states[index - 1], state, limit);
      } catch (error) {
        state.problems.push({ severity: 'warning', message: `Cannot list commits waiting for ${state.environment.name}: ${(error as Error).message}` });
      }
    }),
  );
  return states;
}
