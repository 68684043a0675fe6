// The refs a pull request names (`base`, `head` branch names on the host) as refs of the local
// clone a preview can read: the remote-tracking branch when there is one (the host's state, not
// a stale local branch of the same name), else the local branch; a head the clone has never seen
// is fetched — read-only, into its remote-tracking ref, nothing checked out or merged; a head
// the remote has no branch for (a fork's) comes from the host's pull request ref when it has one.
import { nonInteractiveEnvironment } from '../gitEnvironment';
import { gitText } from '../gitProcess';
import type { GitRepository } from '../gitRepository';

export interface ChangeRefs {
  base: string;
  head: string;
}

async function remoteNames(repo: GitRepository): Promise<string[]> {
  const names = [...new Set((await repo.remotes()).map((r) => r.name))];
  // origin first: the remote a clone's pull requests come from.
  return names.sort((a, b) => (a === 'origin' ? -1 : b === 'origin' ? 1 : a.localeCompare(b)));
}

async function firstResolving(repo: GitRepository, candidates: readonly string[]): Promise<string | null> {
  for (const candidate of candidates) if (await repo.resolve(candidate)) return candidate;
  return null;
}

/** Throws when a branch cannot be found even after fetching it (a fork's branch, a deleted one). */
export async function resolveChangeRefs(
  repo: GitRepository,
  pull: { base: string; head: string; headSha?: string | null; number?: number; fetchRef?: string | null },
  options: { /** False for a fetch nobody asked for (placing pull requests on a refresh): no credential dialog. */ interactive?: boolean } = {},
): Promise<ChangeRefs> {
  const fetchOptions = options.interactive === false ? { env: nonInteractiveEnvironment() } : {};
  const remotes = await remoteNames(repo);
  const tracking = (branch: string): string[] => [...remotes.map((remote) => `${remote}/${branch}`), branch];
  const base = await firstResolving(repo, tracking(pull.base));
  if (!base) throw new Error(`The base branch ${pull.base} is neither local nor on a remote of this clone; fetch it first`);
  let head = await firstResolving(repo, tracking(pull.head));
  if (!head && remotes.length > 0) {
    const remote = remotes[0];
    try {
      await gitText(repo.root, ['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${pull.head}:refs/remotes/${remote}/${pull.head}`], fetchOptions);
      head = await firstResolving(repo, [`${remote}/${pull.head}`]);
    } catch {
      head = null;
    }
  }
  // A fork's branch is not on our remote; the host's pull request ref is (refs/pull/7/head).
  // Fetched into a ref of our own, not a branch: nothing the user works with changes.
  if (!head && remotes.length > 0 && pull.fetchRef && pull.number !== undefined && /^refs\/[A-Za-z0-9._/-]+$/.test(pull.fetchRef) && !pull.fetchRef.includes('..')) {
    const local = `refs/gitops/pull/${remotes[0]}/${pull.number}`;
    try {
      await gitText(repo.root, ['fetch', '--quiet', '--no-tags', remotes[0], `+${pull.fetchRef}:${local}`], fetchOptions);
      head = (await repo.resolve(local)) ? local : null;
    } catch {
      head = null;
    }
  }
  // The pull request's own commit wins when the clone has it: the branch may have moved since.
  if (pull.headSha && (await repo.resolve(pull.headSha))) return { base, head: pull.headSha };
  if (!head) throw new Error(`The head branch ${pull.head} cannot be fetched (a fork's branch, or deleted)`);
  return { base, head };
}
