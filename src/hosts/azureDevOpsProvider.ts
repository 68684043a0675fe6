// Azure DevOps Services / Server pull requests (REST 7.1). The owner from the remote URL is
// `organization/project`; refs are full (`refs/heads/x`). Descriptions are limited to 4,000
// characters, so the body is cut there (the metadata block is kept at its end).
import { compareUrl } from '../core/promotion/hostLinks';
import { METADATA_MARKER } from '../core/promotion/promotionMetadata';
import type { ProviderOptions } from './githubProvider';
import { HostHttpClient, asArray, asBoolean, asNumber, asRecord, asString, pick } from './hostHttp';
import { summarizeChecks, type CreatedPullRequest, type CreatePullRequestInput, type PullRequestInfo, type PullRequestProvider, type PullRequestStatus, type RepositoryRef, type UpdatePullRequestInput } from './pullRequestProvider';

const API_VERSION = '7.1';
export const AZURE_MAX_DESCRIPTION = 4000;

function branchOf(ref: string): string {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
}

/** Cuts a description to Azure's limit, keeping the hidden metadata block at the end. */
export function fitAzureDescription(body: string): string {
  if (body.length <= AZURE_MAX_DESCRIPTION) return body;
  const at = body.lastIndexOf(`<!-- ${METADATA_MARKER}`);
  const metadata = at >= 0 ? body.slice(at) : '';
  const note = '\n\n… (cut to fit Azure DevOps\' 4,000-character limit)\n\n';
  const room = AZURE_MAX_DESCRIPTION - metadata.length - note.length;
  if (room < 200) return body.slice(0, AZURE_MAX_DESCRIPTION);
  const head = body.slice(0, room);
  return `${head.slice(0, Math.max(head.lastIndexOf('\n'), 0) || room)}${note}${metadata}`;
}

export class AzureDevOpsProvider implements PullRequestProvider {
  readonly kind = 'azure-devops' as const;
  readonly displayName = 'Azure DevOps';
  private readonly http: HostHttpClient;
  private readonly repoPath: string;

  constructor(
    readonly repository: RepositoryRef,
    token: string,
    options: ProviderOptions = {},
  ) {
    const slash = repository.owner.indexOf('/');
    const project = slash >= 0 ? repository.owner.slice(slash + 1) : repository.owner;
    this.repoPath = `/${encodeURIComponent(project)}/_apis/git/repositories/${encodeURIComponent(repository.repo)}`;
    // Entra ID access tokens are JWTs (three dot-separated parts) and go as Bearer; personal access tokens as Basic.
    const authorization = token.split('.').length === 3 ? `Bearer ${token}` : `Basic ${Buffer.from(`:${token}`).toString('base64')}`;
    this.http = new HostHttpClient({ apiUrl: repository.apiUrl, hostName: 'Azure DevOps', authorize: async () => ({ authorization }), signInHint: 'AZURE_DEVOPS_TOKEN for the CLI', ...options });
  }

  private toInfo(data: unknown): PullRequestInfo {
    const pr = asRecord(data);
    const status = asString(pr.status);
    const id = asNumber(pr.pullRequestId);
    return {
      number: id,
      url: this.pullRequestUrl(id),
      title: asString(pr.title),
      state: status === 'completed' ? 'merged' : status === 'active' ? 'open' : 'closed',
      draft: asBoolean(pr.isDraft),
      head: branchOf(asString(pr.sourceRefName)),
      base: branchOf(asString(pr.targetRefName)),
      headSha: asString(pick(pr, 'lastMergeSourceCommit.commitId')) || null,
      body: asString(pr.description),
    };
  }

  async findOpenByHead(head: string, base?: string): Promise<PullRequestInfo | null> {
    const { data } = await this.http.request(
      {
        method: 'GET',
        path: `${this.repoPath}/pullrequests`,
        query: { 'searchCriteria.sourceRefName': `refs/heads/${head}`, 'searchCriteria.targetRefName': base ? `refs/heads/${base}` : undefined, 'searchCriteria.status': 'active', 'api-version': API_VERSION },
      },
      `looking for an open pull request from ${head}`,
    );
    return asArray(asRecord(data).value).map((v) => this.toInfo(v)).find((pr) => pr.head === head) ?? null;
  }

  async create(input: CreatePullRequestInput): Promise<CreatedPullRequest> {
    const warnings: string[] = [];
    if (input.reviewers?.length) warnings.push('Azure DevOps reviewers need identity ids; add them on the pull request page');
    const { data } = await this.http.request(
      {
        method: 'POST',
        path: `${this.repoPath}/pullrequests`,
        query: { 'api-version': API_VERSION },
        body: {
          sourceRefName: `refs/heads/${input.head}`,
          targetRefName: `refs/heads/${input.base}`,
          title: input.title,
          description: fitAzureDescription(input.body),
          isDraft: input.draft ?? false,
          ...(input.labels?.length ? { labels: input.labels.map((name) => ({ name })) } : {}),
        },
      },
      `opening a pull request from ${input.head} into ${input.base}`,
    );
    return { pullRequest: this.toInfo(data), warnings };
  }

  async update(number: number, input: UpdatePullRequestInput): Promise<PullRequestInfo> {
    const { data } = await this.http.request(
      {
        method: 'PATCH',
        path: `${this.repoPath}/pullrequests/${number}`,
        query: { 'api-version': API_VERSION },
        body: { ...(input.title !== undefined ? { title: input.title } : {}), ...(input.body !== undefined ? { description: fitAzureDescription(input.body) } : {}) },
      },
      `updating pull request ${number}`,
    );
    return this.toInfo(data);
  }

  async getStatus(number: number): Promise<PullRequestStatus> {
    const { data } = await this.http.request({ method: 'GET', path: `${this.repoPath}/pullrequests/${number}`, query: { 'api-version': API_VERSION } }, `reading pull request ${number}`);
    const statuses = await this.http.request({ method: 'GET', path: `${this.repoPath}/pullrequests/${number}/statuses`, query: { 'api-version': API_VERSION } }, 'reading pull request statuses').catch(() => null);
    const results = asArray(asRecord(statuses?.data).value).flatMap((s): Array<'success' | 'failure' | 'pending'> => {
      const state = asString(asRecord(s).state);
      if (state === 'succeeded') return ['success'];
      if (state === 'failed' || state === 'error') return ['failure'];
      if (state === 'pending') return ['pending'];
      return [];
    });
    return { ...this.toInfo(data), checks: summarizeChecks(results) };
  }

  async listOpen(headPrefix: string): Promise<PullRequestInfo[]> {
    const { data } = await this.http.request({ method: 'GET', path: `${this.repoPath}/pullrequests`, query: { 'searchCriteria.status': 'active', $top: 200, 'api-version': API_VERSION } }, 'listing open pull requests');
    return asArray(asRecord(data).value)
      .map((v) => this.toInfo(v))
      .filter((pr) => pr.head.startsWith(headPrefix));
  }

  pullRequestUrl(number: number): string {
    return `${this.repository.webUrl}/pullrequest/${number}`;
  }

  compareUrl(base: string, head: string): string | null {
    return compareUrl('azure-devops', this.repository.webUrl, base, head);
  }
}
