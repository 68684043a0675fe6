// The refs a pull request names (`base`, `head` branch names on the host) as refs of the local
// clone a preview can read: the remote-tracking branch when there is one (the host's state, not
// a stale local branch of the same name), else the local branch; a head the clone has never seen
// is fetched — read-only, into its remote-tracking ref, nothing checked out or merged.
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
export async function resolveChangeRefs(repo: GitRepository, pull: { base: string; head: string; headSha?: string | null }): Promise<ChangeRefs> {
  const remotes = await remoteNames(repo);
  const tracking = (branch: string): string[] => [...remotes.map((remote) => `${remote}/${branch}`), branch];
  const base = await firstResolving(repo, tracking(pull.base));
  if (!base) throw new Error(`The base branch ${pull.base} is neither local nor on a remote of this clone; fetch it first`);
  let head = await firstResolving(repo, tracking(pull.head));
  if (!head && remotes.length > 0) {
    const remote = remotes[0];
    try {
      await gitText(repo.root, ['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${pull.head}:refs/remotes/${remote}/${pull.head}`]);
      head = await firstResolving(repo, [`${remote}/${pull.head}`]);
    } catch {
      head = null;
    }
  }
  // The pull request's own commit wins when the clone has it: the branch may have moved since.
  if (pull.headSha && (await repo.resolve(pull.headSha))) return { base, head: pull.headSha };
  if (!head) throw new Error(`The head branch ${pull.head} cannot be fetched (a fork's branch, or deleted)`);
  return { base, head };
}
