// The Git side of each environment: which ref holds its desired state, its head commit, and what
// is waiting to be promoted from the previous environment. Read-only: no checkout, no fetch.
import { environmentPaths, type BranchInfo, type CommitInfo, type Environment, type LocatedProblem } from '../core/model';
import { defaultPromotionSource, ladderRank, laneOf } from '../core/environmentLadder';
import type { GitRepository } from './gitRepository';

export interface PendingCommits {
  /** Name of the previous environment in the promotion order. */
  from: string;
  commits: CommitInfo[];
  /** Exact count, even when `commits` is cut at the limit — unless `incomplete`. */
  total: number;
  /** The clone is shallow: history stops at a boundary, so `total` is a lower bound. */
  incomplete?: boolean;
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

interface RepoFacts {
  branches: BranchInfo[];
  current: string | null;
  hasRemote: boolean;
  shallow: boolean;
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
  const prevPaths = environmentPaths(prevEnv);
  const paths = environmentPaths(env);
  if (!sameRef) {
    // Branch per environment: commits on the previous branch not on this one, limited to the
    // environment folders when both environments keep their manifests in the same folders.
    const same = prevPaths.length > 0 && prevPaths.length === paths.length && prevPaths.every((p, i) => p === paths[i]);
    const result = await repo.pendingCommits(previous.ref, current.ref, { paths: same ? paths : undefined, limit });
    return { from: prevEnv.name, ...result };
  }
  // Folder per environment on one branch (one folder, or one per application): nothing waits when
  // every folder holds the same tree as its counterpart; otherwise, the changes to the previous
  // environment's folders since this environment's folders last changed.
  if (prevPaths.length === 0 || paths.length === 0) return null;
  if (prevPaths.length === paths.length) {
    const trees = await Promise.all([...prevPaths, ...paths].map((p) => repo.treeHash(current.ref as string, p)));
    const half = prevPaths.length;
    if (trees.slice(0, half).every((tree, i) => tree !== null && tree === trees[half + i])) return { from: prevEnv.name, commits: [], total: 0 };
  }
  const lastHere = await repo.headCommit(current.ref, paths);
  const result = await repo.pendingCommits(current.ref, lastHere?.sha ?? null, { paths: prevPaths, limit });
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
  const branchCache = new Map<GitRepository, Promise<RepoFacts>>();
  const branchesOf = (r: GitRepository): Promise<RepoFacts> => {
    let p = branchCache.get(r);
    if (!p) {
      p = Promise.all([r.branches(), r.currentBranch(), r.remotes(), r.isShallow()]).then(([branches, current, remotes, shallow]) => ({ branches, current, hasRemote: remotes.length > 0, shallow }));
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
      const { branches, current, hasRemote } = await branchesOf(envRepo);
      let ref: string | null;
      if (environment.branch) {
        ref = resolveBranchRef(environment.branch, branches);
        if (!ref) {
          problems.push({
            severity: 'error',
            message: `Branch "${environment.branch}" of ${environment.name} exists neither locally nor on a remote`,
            location: environment.declaredAt,
            hint: hasRemote ? 'fetch the remote, or fix the branch in gitops.yaml' : 'the repository has no remote: add it (git remote add origin <url>) and fetch, or fix the branch in gitops.yaml',
          });
        }
      } else {
        ref = 'HEAD';
      }
      // A branch's head is its tip; a folder on a shared branch is as new as its last change.
      const head = ref ? await envRepo.headCommit(ref, environment.branch ? undefined : environmentPaths(environment)) : null;
      if (ref === 'HEAD' && current === null && head) {
        // What the tree shows is the checked-out commit, not a branch's latest state: say so.
        problems.push({
          severity: 'warning',
          message: `HEAD is detached: ${environment.name} shows the checked-out commit, not the latest on a branch`,
          hint: 'check out the branch the environments live on (git switch <branch>) to follow it',
        });
      }
      const checkedOut = envRepo === repo && (environment.branch === null || environment.branch === current);
      return { environment, ref, checkedOut, head, pending: null, problems };
    }),
  );

  await Promise.all(
    states.map(async (state) => {
      // What waits comes from the environment that promotes into this one: the previous tier of
      // the same lane (staging-eu for prod-eu), not simply the row above it (staging-us).
      const source = defaultPromotionSource(environments, state.environment);
      // A neighbour of the same tier in another lane (staging-eu beside staging-us) promotes nothing into it.
      const sideways = source !== undefined && ladderRank(source.name) !== null && ladderRank(source.name) === ladderRank(state.environment.name) && laneOf(source.name) !== laneOf(state.environment.name);
      const previous = source && !sideways ? states[environments.indexOf(source)] : undefined;
      if (!previous) return;
      try {
        state.pending = await pendingBetween(repo, previous, state, limit);
        if (state.pending && (await branchesOf(repo)).shallow) {
          // Commits beyond the shallow boundary are not there to count: a low count must not pass for exact.
          state.pending.incomplete = true;
          state.problems.push({
            severity: 'warning',
            message: `This clone is shallow: ${state.pending.total} commit(s) waiting for ${state.environment.name} is a lower bound`,
            hint: 'fetch the full history (git fetch --unshallow) for exact counts',
          });
        }
      } catch (error) {
        state.problems.push({ severity: 'warning', message: `Cannot list commits waiting for ${state.environment.name}: ${(error as Error).message}` });
      }
    }),
  );
  return states;
}
