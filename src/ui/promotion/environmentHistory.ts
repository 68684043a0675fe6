// Recent commits of an environment (its branch, limited to its folder), for the History rows that
// offer "Roll Back Environment to This Commit". Read-only `git log` through the GitRepository the
// model already holds; cached by the environment's head, so expanding the row again is free and
// a new commit (the head moved) reads the log again.
import { environmentPaths, type CommitInfo } from '../../core/model';
import type { EnvironmentsModel } from '../environmentsModel';

export interface EnvironmentHistoryPage {
  repoRoot: string;
  /** Newest first. */
  commits: CommitInfo[];
  /** All commits of the environment's history (the list is cut at the limit). */
  total: number;
  /** The environment's current commit (a rollback to it changes nothing). */
  headSha: string | null;
}

/** Enough entries for every environment of a large workspace; older ones are dropped first. */
const MAX_CACHED = 200;

export class EnvironmentHistory {
  private readonly cache = new Map<string, Promise<EnvironmentHistoryPage>>();

  constructor(
    private readonly model: EnvironmentsModel,
    private readonly limit: () => number,
  ) {}

  /** Undefined when the environment has no readable ref, or lives in another repository. */
  page(folderUri: string, environment: string): Promise<EnvironmentHistoryPage> | undefined {
    const found = this.model.findState(folderUri, environment);
    if (!found) return undefined;
    const { state, data } = found;
    const env = state.environment;
    if (!state.ref || env.repo) return undefined;
    const ref = state.ref;
    const limit = Math.max(1, Math.min(500, Math.floor(this.limit())));
    const folders = environmentPaths(env);
    const paths = folders.length > 0 ? folders : undefined;
    const headSha = state.head?.sha ?? null;
    const key = `${folderUri}\u0000${env.name}\u0000${ref}\u0000${headSha ?? ''}\u0000${folders.join(',')}\u0000${limit}`;
    let pending = this.cache.get(key);
    if (!pending) {
      const repo = data.repo;
      pending = repo.pendingCommits(ref, null, { paths, limit }).then((result) => ({ repoRoot: repo.root, commits: result.commits, total: result.total, headSha }));
      // A failed read is not remembered: the next expand tries again.
      pending.catch(() => this.cache.delete(key));
      this.cache.set(key, pending);
      while (this.cache.size > MAX_CACHED) {
        const oldest = this.cache.keys().next().value;
        if (oldest === undefined) break;
        this.cache.delete(oldest);
      }
    }
    return pending;
  }

  clear(): void {
    this.cache.clear();
  }
}
