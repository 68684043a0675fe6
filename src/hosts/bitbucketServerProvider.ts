// Bitbucket Data Center / Server pull requests (REST 1.0). Updates must carry the pull request's
// current `version` (optimistic locking), so `update` reads it first.
import { compareUrl } from '../core/promotion/hostLinks';
import { bitbucketAuthorization } from './bitbucketCloudProvider';
import type { ProviderOptions } from './githubProvider';
import { HostHttpClient, asArray, asNumber, asRecord, asString, pick } from './hostHttp';
import { summarizeChecks, type CreatedPullRequest, type CreatePullRequestInput, type PullRequestInfo, type PullRequestProvider, type PullRequestStatus, type RepositoryRef, type UpdatePullRequestInput } from './pullRequestProvider';

function toInfo(data: unknown): PullRequestInfo {
  const pr = asRecord(data);
  const state = asString(pr.state);
  const self = asArray(pick(pr, 'links.self'));
  return {
    number: asNumber(pr.id),
    url: asString(asRecord(self[0]).href),
    title: asString(pr.title),
    state: state === 'MERGED' ? 'merged' : state === 'OPEN' ? 'open' : 'closed',
    draft: pr.draft === true,
    head: asString(pick(pr, 'fromRef.displayId')),
    base: asString(pick(pr, 'toRef.displayId')),
    headSha: asString(pick(pr, 'fromRef.latestCommit')) || null,
    body: asString(pr.description),
  };
}

export class BitbucketServerProvider implements PullRequestProvider {
  readonly kind = 'bitbucket-server' as const;
  readonly displayName = 'Bitbucket Data Center';
  private readonly http: HostHttpClient;
  private readonly buildStatus: HostHttpClient;
  private readonly repoPath: string;

  constructor(
    readonly repository: RepositoryRef,
    token: string,
    options: ProviderOptions = {},
  ) {
    this.repoPath = `/projects/${encodeURIComponent(repository.owner)}/repos/${encodeURIComponent(repository.repo)}`;
    const authorization = bitbucketAuthorization(token);
    const common = { hostName: 'Bitbucket', authorize: async () => ({ authorization }), signInHint: 'BITBUCKET_TOKEN for the CLI', ...options };
    this.http = new HostHttpClient({ apiUrl: repository.apiUrl, ...common });
    // Build statuses live beside the core API: <base>/rest/build-status/1.0.
    this.buildStatus = new HostHttpClient({ apiUrl: repository.apiUrl.replace(/\/rest\/api\/1\.0$/, '/rest/build-status/1.0'), ...common });
  }

  async findOpenByHead(head: string, base?: string): Promise<PullRequestInfo | null> {
    const { data } = await this.http.request({ method: 'GET', path: `${this.repoPath}/pull-requests`, query: { state: 'OPEN', direction: 'OUTGOING', at: `refs/heads/${head}`, limit: 25 } }, `looking for an open pull request from ${head}`);
    return asArray(asRecord(data).values).map(toInfo).find((pr) => pr.head === head && (!base || pr.base === base)) ?? null;
  }

  async create(input: CreatePullRequestInput): Promise<CreatedPullRequest> {
    const warnings: string[] = [];
    if (input.labels?.length) warnings.push(`Bitbucket has no pull request labels; ${input.labels.join(', ')} not added`);
    const { data } = await this.http.request(
      {
        method: 'POST',
        path: `${this.repoPath}/pull-requests`,
        body: {
          title: input.title,
          description: input.body,
          fromRef: { id: `refs/heads/${input.head}` },
          toRef: { id: `refs/heads/${input.base}` },
          ...(input.draft ? { draft: true } : {}),
          ...(input.reviewers?.length ? { reviewers: input.reviewers.map((name) => ({ user: { name } })) } : {}),
        },
      },
      `opening a pull request from ${input.head} into ${input.base}`,
    );
    return { pullRequest: toInfo(data), warnings };
  }

  async update(number: number, input: UpdatePullRequestInput): Promise<PullRequestInfo> {
    const current = await this.http.request({ method: 'GET', path: `${this.repoPath}/pull-requests/${number}` }, `reading pull request #${number}`);
    const version = asNumber(asRecord(current.data).version);
    const { data } = await this.http.request(
      { method: 'PUT', path: `${this.repoPath}/pull-requests/${number}`, body: { version, ...(input.title !== undefined ? { title: input.title } : {}), ...(input.body !== undefined ? { description: input.body } : {}) } },
      `updating pull request #${number}`,
    );
    return toInfo(data);
  }

  async getStatus(number: number): Promise<PullRequestStatus> {
    const { data } = await this.http.request({ method: 'GET', path: `${this.repoPath}/pull-requests/${number}` }, `reading pull request #${number}`);
    const info = toInfo(data);
    const results: Array<'success' | 'failure' | 'pending'> = [];
    if (info.headSha) {
      const builds = await this.buildStatus.request({ method: 'GET', path: `/commits/${info.headSha}` }, 'reading build statuses').catch(() => null);
      for (const build of asArray(asRecord(builds?.data).values)) {
        const state = asString(asRecord(build).state);
        results.push(state === 'SUCCESSFUL' ? 'success' : state === 'INPROGRESS' ? 'pending' : 'failure');
      }
    }
    return { ...info, checks: summarizeChecks(results) };
  }

  async listOpen(headPrefix: string): Promise<PullRequestInfo[]> {
    const { data } = await this.http.request({ method: 'GET', path: `${this.repoPath}/pull-requests`, query: { state: 'OPEN', limit: 100 } }, 'listing open pull requests');
    return asArray(asRecord(data).values)
      .map(toInfo)
      .filter((pr) => pr.head.startsWith(headPrefix));
  }

  headFetchRef(number: number): string {
    return `refs/pull-requests/${number}/from`;
  }

  pullRequestUrl(number: number): string {
    return `${this.repository.webUrl}/pull-requests/${number}/overview`;
  }

  compareUrl(base: string, head: string): string | null {
    return compareUrl('bitbucket-server', this.repository.webUrl, base, head);
  }
}
