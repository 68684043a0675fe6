// GitLab merge requests (REST v4), gitlab.com and self-managed. A merge request's `iid` is the
// number people see (`!12`); the project is addressed by its URL-encoded full path.
import { compareUrl } from '../core/promotion/hostLinks';
import type { ProviderOptions } from './githubProvider';
import { HostHttpClient, asArray, asBoolean, asNumber, asRecord, asString, pick } from './hostHttp';
import { summarizeChecks, type CreatedPullRequest, type CreatePullRequestInput, type PullRequestInfo, type PullRequestProvider, type PullRequestStatus, type RepositoryRef, type UpdatePullRequestInput } from './pullRequestProvider';

function toInfo(data: unknown): PullRequestInfo {
  const mr = asRecord(data);
  const state = asString(mr.state);
  return {
    number: asNumber(mr.iid),
    url: asString(mr.web_url),
    title: asString(mr.title),
    state: state === 'merged' ? 'merged' : state === 'opened' || state === 'locked' ? 'open' : 'closed',
    draft: asBoolean(mr.draft) || asBoolean(mr.work_in_progress),
    head: asString(mr.source_branch),
    base: asString(mr.target_branch),
    headSha: asString(mr.sha) || null,
    body: asString(mr.description),
  };
}

/** GitLab pipeline states → one check. */
function pipelineResult(status: string): 'success' | 'failure' | 'pending' {
  if (status === 'success' || status === 'skipped' || status === 'manual') return 'success';
  if (status === 'failed' || status === 'canceled') return 'failure';
  return 'pending';
}

export class GitLabProvider implements PullRequestProvider {
  readonly kind = 'gitlab' as const;
  readonly displayName = 'GitLab';
  private readonly http: HostHttpClient;
  private readonly project: string;

  constructor(
    readonly repository: RepositoryRef,
    token: string,
    options: ProviderOptions = {},
  ) {
    this.project = `/projects/${encodeURIComponent(`${repository.owner}/${repository.repo}`)}`;
    this.http = new HostHttpClient({
      apiUrl: repository.apiUrl,
      hostName: 'GitLab',
      // Personal, project and group access tokens are all accepted as OAuth-style bearer tokens.
      authorize: async () => ({ authorization: `Bearer ${token}` }),
      signInHint: 'GITLAB_TOKEN for the CLI',
      ...options,
    });
  }

  async findOpenByHead(head: string, base?: string): Promise<PullRequestInfo | null> {
    const { data } = await this.http.request({ method: 'GET', path: `${this.project}/merge_requests`, query: { state: 'opened', source_branch: head, target_branch: base, per_page: 20 } }, `looking for an open merge request from ${head}`);
    const found = asArray(data).map(toInfo).find((mr) => mr.head === head && (!base || mr.base === base));
    return found ?? null;
  }

  async create(input: CreatePullRequestInput): Promise<CreatedPullRequest> {
    const warnings: string[] = [];
    const reviewerIds: number[] = [];
    for (const username of input.reviewers ?? []) {
      // Reviewers are set by user id; usernames from gitops.yaml are looked up first.
      const id = await this.http
        .request({ method: 'GET', path: '/users', query: { username } }, `looking up reviewer ${username}`)
        .then(({ data }) => asNumber(asRecord(asArray(data)[0]).id, NaN))
        .catch(() => NaN);
      if (Number.isFinite(id)) reviewerIds.push(id);
      else warnings.push(`reviewer ${username} was not found on GitLab and was not requested`);
    }
    const { data } = await this.http.request(
      {
        method: 'POST',
        path: `${this.project}/merge_requests`,
        body: {
          source_branch: input.head,
          target_branch: input.base,
          title: input.draft ? `Draft: ${input.title}` : input.title,
          description: input.body,
          ...(input.labels?.length ? { labels: input.labels.join(',') } : {}),
          ...(reviewerIds.length ? { reviewer_ids: reviewerIds } : {}),
          remove_source_branch: true,
        },
      },
      `opening a merge request from ${input.head} into ${input.base}`,
    );
    return { pullRequest: toInfo(data), warnings };
  }

  async update(number: number, input: UpdatePullRequestInput): Promise<PullRequestInfo> {
    const { data } = await this.http.request(
      { method: 'PUT', path: `${this.project}/merge_requests/${number}`, body: { ...(input.title !== undefined ? { title: input.title } : {}), ...(input.body !== undefined ? { description: input.body } : {}) } },
      `updating merge request !${number}`,
    );
    return toInfo(data);
  }

  async getStatus(number: number): Promise<PullRequestStatus> {
    const { data } = await this.http.request({ method: 'GET', path: `${this.project}/merge_requests/${number}` }, `reading merge request !${number}`);
    const pipeline = asString(pick(data, 'head_pipeline.status')) || asString(pick(data, 'pipeline.status'));
    return { ...toInfo(data), checks: summarizeChecks(pipeline ? [pipelineResult(pipeline)] : []) };
  }

  async listOpen(headPrefix: string): Promise<PullRequestInfo[]> {
    const out: PullRequestInfo[] = [];
    for (let page = 1; page <= 5; page++) {
      const { data } = await this.http.request({ method: 'GET', path: `${this.project}/merge_requests`, query: { state: 'opened', order_by: 'created_at', sort: 'desc', per_page: 100, page } }, 'listing open merge requests');
      const items = asArray(data);
      for (const mr of items.map(toInfo)) if (mr.head.startsWith(headPrefix)) out.push(mr);
      if (items.length < 100) break;
    }
    return out;
  }

  headFetchRef(number: number): string {
    return `refs/merge-requests/${number}/head`;
  }

  pullRequestUrl(number: number): string {
    return `${this.repository.webUrl}/-/merge_requests/${number}`;
  }

  compareUrl(base: string, head: string): string | null {
    return compareUrl('gitlab', this.repository.webUrl, base, head);
  }
}
