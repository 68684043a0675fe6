// Which environment an open promotion or rollback pull request belongs to, and how its state reads
// in the tree. Pure (no `vscode`). The metadata block our pull requests carry is the reliable
// answer; a pull request whose body was rewritten is matched by its head branch name, then by its
// base branch when exactly one environment lives on that branch.
import { parseMetadataBlock } from '../../core/promotion/promotionMetadata';
import { promotionBranchName, rollbackBranchName } from '../../core/promotion/promotionNames';
import type { ChecksSummary, PullRequestInfo } from '../../hosts/pullRequestProvider';

export interface EnvironmentRef {
  name: string;
  branch: string | null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `gitops/promote-<a>-to-<env>-<sha>` or `gitops/rollback-<env>-to-<sha>` names `env` as the target. */
function headNames(head: string, environment: string): boolean {
  // The branch-safe spelling of the name, taken from the names the engine writes.
  const promote = promotionBranchName('x', environment, '');
  const intoPart = promote.slice(promote.indexOf('-to-'));
  if (new RegExp(`^gitops/promote-.+${escapeRegExp(intoPart)}[0-9a-f]{7,}$`).test(head)) return true;
  return new RegExp(`^${escapeRegExp(rollbackBranchName(environment, ''))}[0-9a-f]{7,}$`).test(head);
}

/** The environment a pull request promotes into or rolls back; null when none can be told. */
export function environmentOfPullRequest(pull: Pick<PullRequestInfo, 'head' | 'base' | 'body'>, environments: readonly EnvironmentRef[]): string | null {
  const metadata = parseMetadataBlock(pull.body);
  if (metadata && environments.some((e) => e.name === metadata.to)) return metadata.to;
  const byHead = environments.filter((e) => headNames(pull.head, e.name));
  if (byHead.length === 1) return byHead[0].name;
  const byBase = environments.filter((e) => e.branch !== null && e.branch === pull.base);
  return byBase.length === 1 ? byBase[0].name : null;
}

/** `promotion` or `rollback`, from the metadata block or the head branch. */
export function pullRequestKind(pull: Pick<PullRequestInfo, 'head' | 'body'>): 'promotion' | 'rollback' {
  const metadata = parseMetadataBlock(pull.body);
  if (metadata) return metadata.kind;
  return pull.head.startsWith('gitops/rollback-') ? 'rollback' : 'promotion';
}

export type PullRequestLook = 'open' | 'draft' | 'merged' | 'closed';

export function pullRequestLook(pull: Pick<PullRequestInfo, 'state' | 'draft'>): PullRequestLook {
  if (pull.state === 'open') return pull.draft ? 'draft' : 'open';
  return pull.state;
}

/** "checks passing", "1 of 3 checks failing", "2 checks pending"; '' when there are none. */
export function checksText(checks: ChecksSummary | null): string {
  if (!checks || checks.state === 'none' || checks.total === 0) return '';
  if (checks.state === 'failure') return `${checks.failed} of ${checks.total} check${checks.total === 1 ? '' : 's'} failing`;
  if (checks.state === 'pending') return `${checks.pending} check${checks.pending === 1 ? '' : 's'} pending`;
  return `check${checks.total === 1 ? '' : 's'} passing`;
}

/** The row's description: `#12 · open · checks passing`. */
export function pullRequestDescription(pull: Pick<PullRequestInfo, 'number' | 'state' | 'draft'>, checks: ChecksSummary | null): string {
  return [`#${pull.number}`, pullRequestLook(pull), checksText(checks)].filter(Boolean).join(' · ');
}
