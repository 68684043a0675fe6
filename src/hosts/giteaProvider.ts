// Gitea and Forgejo pull requests (REST v1). Labels are set by id, so names from gitops.yaml are
// looked up in the repository's labels first; a missing label is a warning, not a failure.
import { compareUrl } from '../core/promotion/hostLinks';
import type { ProviderOptions } from './githubProvider';
import { HostHttpClient, asArray, asBoolean, asNumber, asRecord, asString, pick } from './hostHttp';
import { summarizeChecks, type CreatedPullRequest, type CreatePullRequestInput, type PullRequestInfo, type PullRequestProvider, type PullRequestStatus, type RepositoryRef, type UpdatePullRequestInput } from './pullRequestProvider';

function toInfo(data: unknown): PullRequestInfo {
  const pull = asRecord(data);
  return {
    number: asNumber(pull.number),
    url: asString(pull.html_url),
    title: asString(pull.title),
    state: asBoolean(pull.merged) ? 'merged' : asString(pull.state) === 'open' ? 'open' : 'closed',
    draft: asBoolean(pull.draft),
    head: asString(pick(pull, 'head.ref')),
    base: asString(pick(pull, 'base.ref')),
    headSha: asString(pick(pull, 'head.sha')) || null,
    body: asString(pull.body),
  };
}

const PAGE = 50;

export class GiteaProvider implements PullRequestProvider {
  readonly kind = 'gitea' as const;
  readonly displayName = 'Gitea';
  private readonly http: HostHttpClient;
  private readonly repoPath: string;

  constructor(
    readonly repository: RepositoryRef,
    token: string,
    options: ProviderOptions = {},
  ) {
    this.repoPath = `/repos/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.repo)}`;
    this.http = new HostHttpClient({
      apiUrl: repository.apiUrl,
      hostName: 'Gitea',
      authorize: async () => ({ authorization: `token ${token}` }),
      signInHint: 'GITEA_TOKEN for the CLI',
      ...options,
    });
  }

  private async openPulls(what: string, keep: (pull: PullRequestInfo) => boolean, stopAtFirst: boolean): Promise<PullRequestInfo[]> {
    const out: PullRequestInfo[] = [];
    for (let page = 1; page <= 10; page++) {
      const { data } = await this.http.request({ method: 'GET', path: `${this.repoPath}/pulls`, query: { state: 'open', sort: 'newest', limit: PAGE, page } }, what);
      const items = asArray(data).map(toInfo);
      for (const pull of items) {
        if (!keep(pull)) continue;
        out.push(pull);
        if (stopAtFirst) return out;
      }
      if (items.length < PAGE) break;
    }
    return out;
  }

  async findOpenByHead(head: string, base?: string): Promise<PullRequestInfo | null> {
    const [found] = await this.openPulls(`looking for an open pull request from ${head}`, (pull) => pull.head === head && (!base || pull.base === base), true);
    return found ?? null;
  }

  async create(input: CreatePullRequestInput): Promise<CreatedPullRequest> {
    const warnings: string[] = [];
    let labelIds: number[] = [];
    if (input.labels?.length) {
      const { data } = await this.http.request({ method: 'GET', path: `${this.repoPath}/labels`, query: { limit: 100 } }, 'reading labels').catch(() => ({ data: [] as unknown }));
      const known = new Map(asArray(data).map((l) => [asString(asRecord(l).name), asNumber(asRecord(l).id)]));
      labelIds = input.labels.flatMap((name) => {
        const id = known.get(name);
        if (id === undefined) warnings.push(`label ${name} does not exist in the repository and was not added`);
        return id === undefined ? [] : [id];
      });
    }
    const { data } = await this.http.request(
      {
        method: 'POST',
        path: `${this.repoPath}/pulls`,
        body: { head: input.head, base: input.base, title: input.draft ? `WIP: ${input.title}` : input.title, body: input.body, ...(labelIds.length ? { labels: labelIds } : {}) },
      },
      `opening a pull request from ${input.head} into ${input.base}`,
    );
    const pull = toInfo(data);
    if (input.reviewers?.length) {
      await this.http
        .request({ method: 'POST', path: `${this.repoPath}/pulls/${pull.number}/requested_reviewers`, body: { reviewers: input.reviewers } }, 'requesting reviewers')
        .catch((error: unknown) => warnings.push(`reviewers ${input.reviewers?.join(', ')} were not requested: ${(error as Error).message}`));
    }
    return { pullRequest: pull, warnings };
  }

  async update(number: number, input: UpdatePullRequestInput): Promise<PullRequestInfo> {
    const { data } = await this.http.request(
      { method: 'PATCH', path: `${this.repoPath}/pulls/${number}`, body: { ...(input.title !== undefined ? { title: input.title } : {}), ...(input.body !== undefined ? { body: input.body } : {}) } },
      `updating pull request #${number}`,
    );
    return toInfo(data);
  }

  async getStatus(number: number): Promise<PullRequestStatus> {
    const { data } = await this.http.request({ method: 'GET', path: `${this.repoPath}/pulls/${number}` }, `reading pull request #${number}`);
    const info = toInfo(data);
    const results: Array<'success' | 'failure' | 'pending'> = [];
    if (info.headSha) {
      const combined = await this.http.request({ method: 'GET', path: `${this.repoPath}/commits/${info.headSha}/status` }, 'reading commit statuses').catch(() => null);
      for (const status of asArray(asRecord(combined?.data).statuses)) {
        const state = asString(asRecord(status).status) || asString(asRecord(status).state);
        results.push(state === 'success' ? 'success' : state === 'pending' ? 'pending' : 'failure');
      }
    }
    return { ...info, checks: summarizeChecks(results) };
  }

  listOpen(headPrefix: string): Promise<PullRequestInfo[]> {
    return this.openPulls('listing open pull requests', (pull) => pull.head.startsWith(headPrefix), false);
  }

  headFetchRef(number: number): string {
    return `refs/pull/${number}/head`;
  }

  pullRequestUrl(number: number): string {
    return `${this.repository.webUrl}/pulls/${number}`;
  }

  compareUrl(base: string, head: string): string | null {
    return compareUrl('gitea', this.repository.webUrl, base, head);
  }
}
