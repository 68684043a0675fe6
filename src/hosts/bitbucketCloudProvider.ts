// Bitbucket Cloud pull requests (REST 2.0). Bitbucket has no labels; reviewers need account ids
// (`{uuid}` or an account id), so plain user names become warnings.
import { compareUrl } from '../core/promotion/hostLinks';
import type { ProviderOptions } from './githubProvider';
import { HostHttpClient, asArray, asNumber, asRecord, asString, pick } from './hostHttp';
import { summarizeChecks, type CreatedPullRequest, type CreatePullRequestInput, type PullRequestInfo, type PullRequestProvider, type PullRequestStatus, type RepositoryRef, type UpdatePullRequestInput } from './pullRequestProvider';

function toInfo(data: unknown): PullRequestInfo {
  const pr = asRecord(data);
  const state = asString(pr.state);
  return {
    number: asNumber(pr.id),
    url: asString(pick(pr, 'links.html.href')),
    title: asString(pr.title),
    state: state === 'MERGED' ? 'merged' : state === 'OPEN' ? 'open' : 'closed',
    draft: pr.draft === true,
    head: asString(pick(pr, 'source.branch.name')),
    base: asString(pick(pr, 'destination.branch.name')),
    headSha: asString(pick(pr, 'source.commit.hash')) || null,
    body: asString(pr.description),
  };
}

/** Bitbucket authorization: `user:app-password` as Basic, anything else (access tokens) as Bearer. */
export function bitbucketAuthorization(token: string): string {
  return token.includes(':') ? `Basic ${Buffer.from(token).toString('base64')}` : `Bearer ${token}`;
}

export class BitbucketCloudProvider implements PullRequestProvider {
  readonly kind = 'bitbucket' as const;
  readonly displayName = 'Bitbucket';
  private readonly http: HostHttpClient;
  private readonly repoPath: string;

  constructor(
    readonly repository: RepositoryRef,
    token: string,
    options: ProviderOptions = {},
  ) {
    this.repoPath = `/repositories/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.repo)}`;
    const authorization = bitbucketAuthorization(token);
    this.http = new HostHttpClient({ apiUrl: repository.apiUrl, hostName: 'Bitbucket', authorize: async () => ({ authorization }), signInHint: 'BITBUCKET_TOKEN for the CLI', ...options });
  }

  async findOpenByHead(head: string, base?: string): Promise<PullRequestInfo | null> {
    const q = `source.branch.name="${head.replace(/"/g, '\\"')}"${base ? ` AND destination.branch.name="${base.replace(/"/g, '\\"')}"` : ''}`;
    const { data } = await this.http.request({ method: 'GET', path: `${this.repoPath}/pullrequests`, query: { state: 'OPEN', q, pagelen: 20 } }, `looking for an open pull request from ${head}`);
    return asArray(asRecord(data).values).map(toInfo).find((pr) => pr.head === head) ?? null;
  }

  async create(input: CreatePullRequestInput): Promise<CreatedPullRequest> {
    const warnings: string[] = [];
    if (input.labels?.length) warnings.push(`Bitbucket has no labels; ${input.labels.join(', ')} not added`);
    const reviewers = (input.reviewers ?? []).flatMap((r): Array<Record<string, string>> => {
      if (/^\{[0-9a-f-]+\}$/i.test(r)) return [{ uuid: r }];
      if (/^[0-9a-f]{6,}:[0-9a-f-]+$|^[0-9a-f]{24}$/i.test(r)) return [{ account_id: r }];
      warnings.push(`reviewer ${r} is not a Bitbucket account id or {uuid}; not requested`);
      return [];
    });
    const { data } = await this.http.request(
      {
        method: 'POST',
        path: `${this.repoPath}/pullrequests`,
        body: {
          title: input.title,
          description: input.body,
          source: { branch: { name: input.head } },
          destination: { branch: { name: input.base } },
          close_source_branch: true,
          ...(input.draft ? { draft: true } : {}),
          ...(reviewers.length ? { reviewers } : {}),
        },
      },
      `opening a pull request from ${input.head} into ${input.base}`,
    );
    return { pullRequest: toInfo(data), warnings };
  }

  async update(number: number, input: UpdatePullRequestInput): Promise<PullRequestInfo> {
    const { data } = await this.http.request(
      { method: 'PUT', path: `${this.repoPath}/pullrequests/${number}`, body: { ...(input.title !== undefined ? { title: input.title } : {}), ...(input.body !== undefined ? { description: input.body } : {}) } },
      `updating pull request #${number}`,
    );
    return toInfo(data);
  }

  async getStatus(number: number): Promise<PullRequestStatus> {
    const { data } = await this.http.request({ method: 'GET', path: `${this.repoPath}/pullrequests/${number}` }, `reading pull request #${number}`);
    const statuses = await this.http.request({ method: 'GET', path: `${this.repoPath}/pullrequests/${number}/statuses`, query: { pagelen: 100 } }, 'reading build statuses').catch(() => null);
    const results = asArray(asRecord(statuses?.data).values).map((s): 'success' | 'failure' | 'pending' => {
      const state = asString(asRecord(s).state);
      return state === 'SUCCESSFUL' ? 'success' : state === 'INPROGRESS' ? 'pending' : 'failure';
    });
    return { ...toInfo(data), checks: summarizeChecks(results) };
  }

  async listOpen(headPrefix: string): Promise<PullRequestInfo[]> {
    // An empty prefix lists every open pull request (someone else's too): no filter then.
    const q = headPrefix ? { q: `source.branch.name ~ "${headPrefix.replace(/"/g, '\\"')}"` } : {};
    const { data } = await this.http.request({ method: 'GET', path: `${this.repoPath}/pullrequests`, query: { state: 'OPEN', ...q, pagelen: 50 } }, 'listing open pull requests');
    return asArray(asRecord(data).values)
      .map(toInfo)
      .filter((pr) => pr.head.startsWith(headPrefix));
  }

  pullRequestUrl(number: number): string {
    return `${this.repository.webUrl}/pull-requests/${number}`;
  }

  compareUrl(base: string, head: string): string | null {
    return compareUrl('bitbucket', this.repository.webUrl, base, head);
  }
}
