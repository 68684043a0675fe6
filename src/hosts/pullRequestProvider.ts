// The one interface every pull-request host implements. The promotion executor, the CLI and the
// Environments tree use only this; host differences (merge requests, iids, project keys) stay in
// the provider files.
import type { HostKind } from '../core/model';

export type PullRequestState = 'open' | 'merged' | 'closed';
export type ChecksState = 'none' | 'pending' | 'success' | 'failure';

export interface PullRequestInfo {
  /** The number people use (GitHub/Gitea number, GitLab iid, Azure/Bitbucket id). */
  number: number;
  /** Web page of the pull request. */
  url: string;
  title: string;
  state: PullRequestState;
  draft: boolean;
  head: string;
  base: string;
  headSha: string | null;
  /** The description as the host returned it (to read the promotion metadata block back). */
  body: string;
}

export interface ChecksSummary {
  state: ChecksState;
  total: number;
  passed: number;
  failed: number;
  pending: number;
}

export interface PullRequestStatus extends PullRequestInfo {
  checks: ChecksSummary;
}

export interface CreatePullRequestInput {
  head: string;
  base: string;
  title: string;
  body: string;
  labels?: readonly string[];
  reviewers?: readonly string[];
  draft?: boolean;
}

export interface UpdatePullRequestInput {
  title?: string;
  body?: string;
}

export interface CreatedPullRequest {
  pullRequest: PullRequestInfo;
  /** Labels or reviewers the host would not take; the pull request itself was opened. */
  warnings: string[];
}

export interface RepositoryRef {
  kind: HostKind;
  owner: string;
  repo: string;
  /** Repository home page. */
  webUrl: string;
  apiUrl: string;
}

export interface PullRequestProvider {
  readonly kind: HostKind;
  /** `GitHub`, `GitLab`… for messages. */
  readonly displayName: string;
  readonly repository: RepositoryRef;
  create(input: CreatePullRequestInput): Promise<CreatedPullRequest>;
  /** The open pull request from `head` (into `base` when given), or null. */
  findOpenByHead(head: string, base?: string): Promise<PullRequestInfo | null>;
  update(number: number, input: UpdatePullRequestInput): Promise<PullRequestInfo>;
  /** State, merged/closed, and the checks on its head commit. */
  getStatus(number: number): Promise<PullRequestStatus>;
  /** Open pull requests whose head branch starts with `headPrefix` (`gitops/`), newest first. */
  listOpen(headPrefix: string): Promise<PullRequestInfo[]>;
  /**
   * The ref the host publishes on the Git remote for a pull request's head (`refs/pull/7/head`):
   * fetchable even when the head branch lives in a fork. Absent: the host has none (the head
   * branch is fetched by name instead).
   */
  headFetchRef?(number: number): string;
  /** Web page of a pull request. */
  pullRequestUrl(number: number): string;
  /** The host's page to open a pull request by hand. */
  compareUrl(base: string, head: string): string | null;
}

/** Folds individual check results into one summary. */
export function summarizeChecks(results: ReadonlyArray<'success' | 'failure' | 'pending'>): ChecksSummary {
  const passed = results.filter((r) => r === 'success').length;
  const failed = results.filter((r) => r === 'failure').length;
  const pending = results.filter((r) => r === 'pending').length;
  const state: ChecksState = results.length === 0 ? 'none' : failed ? 'failure' : pending ? 'pending' : 'success';
  return { state, total: results.length, passed, failed, pending };
}
