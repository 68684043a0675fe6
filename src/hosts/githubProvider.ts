// GitHub and GitHub Enterprise Server through @octokit/rest. Octokit is loaded on first use (it
// is ESM and sizeable; activation must not pay for it). Octokit's errors are mapped to HostError
// here, and a rate-limited 403/429 gets the same single bounded retry as the REST providers.
import type { Octokit } from '@octokit/rest';
import type { HostKind } from '../core/model';
import { compareUrl } from '../core/promotion/hostLinks';
import { HostError } from './hostError';
import { errorForStatus, type FetchLike, DEFAULT_HTTP_TIMEOUT_MS, DEFAULT_MAX_RATE_LIMIT_WAIT_MS } from './hostHttp';
import { summarizeChecks, type CreatedPullRequest, type CreatePullRequestInput, type PullRequestInfo, type PullRequestProvider, type PullRequestStatus, type RepositoryRef, type UpdatePullRequestInput } from './pullRequestProvider';
import { rateLimitSignal, sleep } from './rateLimit';

export interface ProviderOptions {
  fetch?: FetchLike;
  timeoutMs?: number;
  maxRateLimitWaitMs?: number;
  signal?: AbortSignal;
}

/** The parts of Octokit's RequestError we read, narrowed from `unknown`. */
interface HttpFailure {
  status: number;
  headers: Record<string, string>;
  data: unknown;
  hasResponse: boolean;
  aborted: boolean;
  message: string;
}

function httpFailure(error: unknown): HttpFailure | null {
  if (typeof error !== 'object' || error === null) return null;
  const record = error as Record<string, unknown>;
  const response = record.response as Record<string, unknown> | undefined;
  const status = typeof record.status === 'number' ? record.status : 0;
  const rawHeaders = (response?.headers ?? {}) as Record<string, unknown>;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawHeaders)) if (value !== undefined) headers[key.toLowerCase()] = String(value);
  return {
    status,
    headers,
    data: response?.data,
    hasResponse: response !== undefined,
    aborted: record.name === 'AbortError' || record.name === 'TimeoutError',
    message: error instanceof Error ? error.message : String(error),
  };
}

type PullData = {
  number: number;
  html_url: string;
  title: string;
  state: string;
  draft?: boolean;
  merged_at: string | null;
  body: string | null;
  head: { ref: string; sha: string };
  base: { ref: string };
};

function toInfo(pull: PullData): PullRequestInfo {
  return {
    number: pull.number,
    url: pull.html_url,
    title: pull.title,
    state: pull.merged_at ? 'merged' : pull.state === 'open' ? 'open' : 'closed',
    draft: pull.draft === true,
    head: pull.head.ref,
    base: pull.base.ref,
    headSha: pull.head.sha,
    body: pull.body ?? '',
  };
}

export class GitHubProvider implements PullRequestProvider {
  readonly kind: HostKind;
  readonly displayName: string;
  private client: Promise<Octokit> | undefined;

  constructor(
    readonly repository: RepositoryRef,
    private readonly token: string,
    private readonly options: ProviderOptions = {},
  ) {
    this.kind = repository.kind;
    this.displayName = repository.kind === 'github-enterprise' ? 'GitHub Enterprise' : 'GitHub';
  }

  private octokit(): Promise<Octokit> {
    this.client ??= import('@octokit/rest').then(({ Octokit: OctokitClass }) => {
      const timeoutMs = this.options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
      const base = this.options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
      const signal = this.options.signal;
      const timedFetch = (input: string, init: RequestInit): Promise<Response> => {
        const timeout = AbortSignal.timeout(timeoutMs);
        return base(input, { ...init, signal: signal ? AbortSignal.any([timeout, signal]) : timeout });
      };
      const quiet = (): void => undefined;
      return new OctokitClass({
        auth: this.token,
        baseUrl: this.repository.apiUrl,
        userAgent: 'gitops-environments',
        // Octokit logs request failures to the console by default; ours go through HostError only.
        log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
        request: { fetch: timedFetch },
      });
    });
    return this.client;
  }

  private mapError(error: unknown, what: string): HostError {
    if (error instanceof HostError) return error;
    const failure = httpFailure(error);
    if (!failure) return new HostError('failed', `${this.displayName} request failed while ${what}`);
    if (failure.aborted) return new HostError('timeout', `${this.displayName} did not answer in time while ${what}`, 'check the network and try again');
    if (!failure.hasResponse) {
      return new HostError('unreachable', `Cannot reach ${this.displayName} at ${this.repository.apiUrl} while ${what}: ${failure.message}`, 'check the network, a proxy, or the API URL (hosts.apiUrl / --api-url)');
    }
    return errorForStatus(this.displayName, failure.status, failure.data, 'GITHUB_TOKEN for the CLI', what);
  }

  /** Runs one API call; a rate-limited answer is retried once after the reset (bounded). */
  private async call<T>(what: string, run: (octokit: Octokit) => Promise<T>): Promise<T> {
    const octokit = await this.octokit();
    try {
      return await run(octokit);
    } catch (error) {
      const failure = httpFailure(error);
      const limit = failure?.hasResponse ? rateLimitSignal(failure.status, (name) => failure.headers[name]) : null;
      if (!limit) throw this.mapError(error, what);
      const maxWait = this.options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
      if (limit.waitMs > maxWait) {
        throw new HostError('rateLimited', `${this.displayName} API rate limit reached while ${what}; it resets at ${limit.resetAt.toISOString()}`, 'try again after the reset', failure?.status ?? null);
      }
      await sleep(limit.waitMs, this.options.signal).catch(() => {
        throw new HostError('failed', `Cancelled while waiting for the ${this.displayName} rate limit`);
      });
      try {
        return await run(octokit);
      } catch (second) {
        const again = httpFailure(second);
        if (again?.hasResponse && rateLimitSignal(again.status, (name) => again.headers[name])) {
          throw new HostError('rateLimited', `${this.displayName} API rate limit still reached after waiting, while ${what}`, 'try again in a few minutes', again.status);
        }
        throw this.mapError(second, what);
      }
    }
  }

  private get coords(): { owner: string; repo: string } {
    return { owner: this.repository.owner, repo: this.repository.repo };
  }

  async findOpenByHead(head: string, base?: string): Promise<PullRequestInfo | null> {
    const pulls = await this.call(`looking for an open pull request from ${head}`, async (octokit) =>
      (await octokit.rest.pulls.list({ ...this.coords, state: 'open', head: `${this.repository.owner}:${head}`, ...(base ? { base } : {}), per_page: 10 })).data,
    );
    const match = pulls.find((pull) => pull.head.ref === head && (!base || pull.base.ref === base));
    return match ? toInfo(match) : null;
  }

  async create(input: CreatePullRequestInput): Promise<CreatedPullRequest> {
    const created = await this.call(`opening a pull request from ${input.head} into ${input.base}`, async (octokit) =>
      (await octokit.rest.pulls.create({ ...this.coords, head: input.head, base: input.base, title: input.title, body: input.body, draft: input.draft ?? false })).data,
    );
    const warnings: string[] = [];
    if (input.labels?.length) {
      const labels = [...input.labels];
      await this.call('adding labels', (octokit) => octokit.rest.issues.addLabels({ ...this.coords, issue_number: created.number, labels })).catch((error: unknown) => {
        warnings.push(`labels ${labels.join(', ')} were not added: ${this.mapError(error, 'adding labels').message}`);
      });
    }
    if (input.reviewers?.length) {
      const users = input.reviewers.filter((r) => !r.includes('/'));
      const teams = input.reviewers.filter((r) => r.includes('/')).map((r) => r.slice(r.indexOf('/') + 1));
      await this.call('requesting reviewers', (octokit) => octokit.rest.pulls.requestReviewers({ ...this.coords, pull_number: created.number, reviewers: users, team_reviewers: teams })).catch((error: unknown) => {
        warnings.push(`reviewers ${input.reviewers?.join(', ')} were not requested: ${this.mapError(error, 'requesting reviewers').message}`);
      });
    }
    return { pullRequest: toInfo(created), warnings };
  }

  async update(number: number, input: UpdatePullRequestInput): Promise<PullRequestInfo> {
    const updated = await this.call(`updating pull request #${number}`, async (octokit) =>
      (await octokit.rest.pulls.update({ ...this.coords, pull_number: number, ...(input.title !== undefined ? { title: input.title } : {}), ...(input.body !== undefined ? { body: input.body } : {}) })).data,
    );
    return toInfo(updated);
  }

  async getStatus(number: number): Promise<PullRequestStatus> {
    const pull = await this.call(`reading pull request #${number}`, async (octokit) => (await octokit.rest.pulls.get({ ...this.coords, pull_number: number })).data);
    const info = toInfo(pull);
    const results: Array<'success' | 'failure' | 'pending'> = [];
    // Check runs (Actions, apps) and commit statuses (older CI) both gate merges; read both, ignore either when not allowed.
    const runs = await this.call('reading check runs', async (octokit) => (await octokit.rest.checks.listForRef({ ...this.coords, ref: pull.head.sha, per_page: 100 })).data).catch(() => null);
    for (const run of runs?.check_runs ?? []) {
      if (run.status !== 'completed') results.push('pending');
      else results.push(run.conclusion === 'success' || run.conclusion === 'neutral' || run.conclusion === 'skipped' ? 'success' : 'failure');
    }
    const combined = await this.call('reading commit statuses', async (octokit) => (await octokit.rest.repos.getCombinedStatusForRef({ ...this.coords, ref: pull.head.sha })).data).catch(() => null);
    for (const status of combined?.statuses ?? []) results.push(status.state === 'success' ? 'success' : status.state === 'pending' ? 'pending' : 'failure');
    return { ...info, checks: summarizeChecks(results) };
  }

  async listOpen(headPrefix: string): Promise<PullRequestInfo[]> {
    const out: PullRequestInfo[] = [];
    // A repository with more than 500 open pull requests is unusual; the tree shows the newest.
    for (let page = 1; page <= 5; page++) {
      const pulls = await this.call('listing open pull requests', async (octokit) => (await octokit.rest.pulls.list({ ...this.coords, state: 'open', sort: 'created', direction: 'desc', per_page: 100, page })).data);
      for (const pull of pulls) if (pull.head.ref.startsWith(headPrefix)) out.push(toInfo(pull));
      if (pulls.length < 100) break;
    }
    return out;
  }

  headFetchRef(number: number): string {
    return `refs/pull/${number}/head`;
  }

  pullRequestUrl(number: number): string {
    return `${this.repository.webUrl}/pull/${number}`;
  }

  compareUrl(base: string, head: string): string | null {
    return compareUrl(this.kind, this.repository.webUrl, base, head);
  }
}
