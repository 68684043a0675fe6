// Names a promotion leaves behind: the head branch (deterministic, so running the same promotion
// twice finds the first pull request), the title, and the commit message with its trailers.

/** Every promotion and rollback branch starts with this; the tree lists open pull requests by it. */
export const HEAD_BRANCH_PREFIX = 'gitops/';
export const SHORT_SHA_LENGTH = 7;

export function shortSha(sha: string): string {
  return sha.slice(0, SHORT_SHA_LENGTH);
}

/** Environment names are already safe (safeNames.ts); this keeps branch names valid even if one is not. */
function branchPart(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/\.{2,}/g, '.').replace(/\.+$/, '').replace(/^[-.]+/, '') || 'env';
}

export function promotionBranchName(from: string, to: string, sourceCommit: string): string {
  return `${HEAD_BRANCH_PREFIX}promote-${branchPart(from)}-to-${branchPart(to)}-${shortSha(sourceCommit)}`;
}

export function rollbackBranchName(environment: string, commit: string): string {
  return `${HEAD_BRANCH_PREFIX}rollback-${branchPart(environment)}-to-${shortSha(commit)}`;
}

export function promotionTitle(from: string, to: string, sourceCommit: string): string {
  return `Promote ${from} → ${to} (${shortSha(sourceCommit)})`;
}

export function rollbackTitle(environment: string, commit: string): string {
  return `Roll back ${environment} to ${shortSha(commit)}`;
}

export interface CommitMessageInput {
  title: string;
  /** Lines of the message body (a short summary). */
  summary: string[];
  trailers: Array<[string, string]>;
}

/** Subject, blank line, summary, blank line, trailers (the format `git interpret-trailers` reads). */
export function commitMessage(input: CommitMessageInput): string {
  const parts = [input.title];
  if (input.summary.length) parts.push(input.summary.join('\n'));
  if (input.trailers.length) parts.push(input.trailers.map(([key, value]) => `${key}: ${value.replace(/\s+/g, ' ')}`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}

/** Trailer keys written on promotion commits and read back to show the chain. */
export const TRAILER_PROMOTED_FROM = 'Promoted-From';
export const TRAILER_SOURCE_COMMIT = 'Source-Commit';
/** Which environment the promotion went to, so the chain only follows promotions into the source. */
export const TRAILER_PROMOTED_TO = 'Promoted-To';
export const TRAILER_ROLLBACK_TO = 'Rollback-To';
