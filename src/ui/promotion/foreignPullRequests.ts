// Pull requests the extension did not open — a colleague's fix, a bot's bump — placed under the
// environments they change. Ours say their environment in their metadata block or head branch
// (pullRequestMatching.ts); any other open pull request is placed by what it changes: into an
// environment's own branch, that environment; into a branch several environments share (folder
// layouts), the ones whose sources its diff touches — the same touched check as `gitops-env
// preview`, after fetching its head read-only (the branch, or the host's pull request ref for a
// fork). Pure of `vscode`, so it is tested against real repositories and the host test servers.
import { parseMetadataBlock } from '../../core/promotion/promotionMetadata';
import { HEAD_BRANCH_PREFIX } from '../../core/promotion/promotionNames';
import { resolveChangeRefs } from '../../git/preview/changeRefs';
import { touchedEnvironments } from '../../git/preview/changePreview';
import type { GitRepository } from '../../git/gitRepository';
import type { PullRequestInfo } from '../../hosts/pullRequestProvider';
import type { EnvironmentRef } from './pullRequestMatching';

/** Opened by a promotion or rollback of ours: a `gitops/` head branch or our metadata block. */
export function isOurPullRequest(pull: Pick<PullRequestInfo, 'head' | 'body'>): boolean {
  return pull.head.startsWith(HEAD_BRANCH_PREFIX) || parseMetadataBlock(pull.body) !== null;
}

/**
 * Where someone else's pull request goes without reading Git: its base is the branch of exactly
 * one environment and no other environment lives there. Null when Git must tell (a branch shared
 * by environments in folders, or environments on no branch); [] when it cannot reach any.
 */
export function placeByBase(pull: Pick<PullRequestInfo, 'base'>, environments: readonly EnvironmentRef[]): string[] | null {
  const onBase = environments.filter((e) => e.branch === pull.base);
  if (onBase.length === 1) return [onBase[0].name];
  if (onBase.length > 1 || environments.some((e) => e.branch === null)) return null;
  return [];
}

export interface ForeignPlacementInput {
  repo: GitRepository;
  pull: Pick<PullRequestInfo, 'number' | 'base' | 'head' | 'headSha'>;
  environments: readonly EnvironmentRef[];
  /** The host's ref for the head (`refs/pull/7/head`), for a head branch our remote does not have. */
  fetchRef: string | null;
}

/** The environments someone else's pull request changes. Throws when its refs cannot be read (the caller logs it and places it nowhere). */
export async function environmentsOfForeignPullRequest(input: ForeignPlacementInput): Promise<string[]> {
  const byBase = placeByBase(input.pull, input.environments);
  if (byBase) return byBase;
  const refs = await resolveChangeRefs(input.repo, { base: input.pull.base, head: input.pull.head, headSha: input.pull.headSha, number: input.pull.number, fetchRef: input.fetchRef }, { interactive: false });
  const touched = new Set(await touchedEnvironments(input.repo, refs.base, refs.head));
  // In the Environments view's order.
  return input.environments.filter((e) => touched.has(e.name)).map((e) => e.name);
}
