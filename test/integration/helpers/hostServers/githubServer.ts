// A GitHub REST test server for pull requests. Every request is checked against GitHub's OpenAPI
// description and every 2xx response is built from the spec's own examples and validated against
// its schema; problems are collected in `violations` for the tests to assert empty.
import { GitHubOpenApi } from './githubOpenApi';
import { HostTestServer, segments, type RecordedRequest, type Reply } from './jsonTestServer';

export interface FakePull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
  draft: boolean;
  labels: string[];
  reviewers: string[];
  headSha: string;
}

type Obj = Record<string, unknown>;

export class GitHubTestServer extends HostTestServer {
  readonly pulls: FakePull[] = [];
  readonly violations: string[] = [];
  /** Check results reported for every head commit. */
  checks: Array<{ status: 'queued' | 'in_progress' | 'completed'; conclusion: string | null }> = [];
  private readonly spec = GitHubOpenApi.load();

  private constructor(
    readonly owner: string,
    readonly repo: string,
  ) {
    super();
  }

  static start(options: { owner: string; repo: string; token: string; basePath?: string }): Promise<GitHubTestServer> {
    return new GitHubTestServer(options.owner, options.repo).listen(options.token, {
      basePath: options.basePath,
      tokenOf: (headers) => /^(?:token|bearer)\s+(.+)$/i.exec(String(headers.authorization ?? ''))?.[1] ?? null,
      unauthorizedBody: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' },
    });
  }

  protected handle(request: RecordedRequest): Reply {
    this.violations.push(...this.spec.checkRequest(request.method, request.path, request.query, request.body));
    const reply = this.route(request);
    if (reply.status >= 200 && reply.status < 300) this.violations.push(...this.spec.checkResponse(request.method, request.path, reply.status, reply.body));
    return reply;
  }

  private pullJson(pull: FakePull, example: 'pull-request' | 'pull-request-simple'): Obj {
    const base = (example === 'pull-request' ? this.spec.example('pull-request') : (this.spec.example('pull-request-simple-items') as Obj[])[0]) as Obj;
    const web = `https://github.test/${this.owner}/${this.repo}`;
    const head = base.head as Obj;
    const baseRef = base.base as Obj;
    return {
      ...base,
      number: pull.number,
      id: 1000 + pull.number,
      html_url: `${web}/pull/${pull.number}`,
      title: pull.title,
      body: pull.body,
      state: pull.state,
      draft: pull.draft,
      merged_at: pull.merged ? '2024-01-01T00:00:00Z' : null,
      closed_at: pull.state === 'closed' ? '2024-01-01T00:00:00Z' : null,
      ...(example === 'pull-request' ? { merged: pull.merged } : {}),
      labels: [],
      // The spec's own example lists a team without the `type` its schema requires; serve none.
      requested_teams: [],
      head: { ...head, ref: pull.head, sha: pull.headSha, label: `${this.owner}:${pull.head}` },
      base: { ...baseRef, ref: pull.base, label: `${this.owner}:${pull.base}` },
    };
  }

  private route(request: RecordedRequest): Reply {
    const parts = segments(request.path);
    if (parts[0] !== 'repos' || parts[1] !== this.owner || parts[2] !== this.repo) return { status: 404, body: { message: 'Not Found' } };
    const rest = parts.slice(3);
    const body = (request.body ?? {}) as Obj;
    const method = request.method;
    if (rest[0] === 'pulls' && rest.length === 1 && method === 'GET') {
      const state = request.query.get('state') ?? 'open';
      const head = request.query.get('head');
      const base = request.query.get('base');
      const perPage = Number(request.query.get('per_page') ?? 30);
      const page = Number(request.query.get('page') ?? 1);
      const list = this.pulls
        .filter((p) => state === 'all' || p.state === state)
        .filter((p) => !head || `${this.owner}:${p.head}` === head)
        .filter((p) => !base || p.base === base)
        .sort((a, b) => b.number - a.number)
        .slice((page - 1) * perPage, page * perPage);
      return { status: 200, body: list.map((p) => this.pullJson(p, 'pull-request-simple')) };
    }
    if (rest[0] === 'pulls' && rest.length === 1 && method === 'POST') {
      const head = String(body.head);
      const base = String(body.base);
      if (this.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
        return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${this.owner}:${head}.` }] } };
      }
      const pull: FakePull = { number: this.pulls.length + 1, title: String(body.title), body: String(body.body ?? ''), head, base, state: 'open', merged: false, draft: body.draft === true, labels: [], reviewers: [], headSha: 'a'.repeat(40) };
      this.pulls.push(pull);
      return { status: 201, body: this.pullJson(pull, 'pull-request') };
    }
    const number = Number(rest[1]);
    const pull = this.pulls.find((p) => p.number === number);
    if (rest[0] === 'pulls' && rest.length === 2) {
      if (!pull) return { status: 404, body: { message: 'Not Found' } };
      if (method === 'PATCH') {
        if (typeof body.title === 'string') pull.title = body.title;
        if (typeof body.body === 'string') pull.body = body.body;
      }
      return { status: 200, body: this.pullJson(pull, 'pull-request') };
    }
    if (rest[0] === 'pulls' && rest[2] === 'requested_reviewers' && method === 'POST' && pull) {
      pull.reviewers.push(...((body.reviewers as string[] | undefined) ?? []));
      return { status: 201, body: this.pullJson(pull, 'pull-request-simple') };
    }
    if (rest[0] === 'issues' && rest[2] === 'labels' && method === 'POST' && pull) {
      const labels = (body.labels as string[] | undefined) ?? [];
      pull.labels.push(...labels);
      const template = (this.spec.example('label-items') as Obj[])[0];
      return { status: 200, body: pull.labels.map((name, i) => ({ ...template, id: i + 1, name })) };
    }
    if (rest[0] === 'commits' && rest[2] === 'check-runs') {
      const page = this.spec.example('check-run-paginated') as Obj;
      const template = (page.check_runs as Obj[])[0];
      return { status: 200, body: { total_count: this.checks.length, check_runs: this.checks.map((c, i) => ({ ...template, id: i + 1, status: c.status, conclusion: c.conclusion, head_sha: rest[1] })) } };
    }
    if (rest[0] === 'commits' && rest[2] === 'status') {
      const combined = this.spec.example('combined-commit-status') as Obj;
      return { status: 200, body: { ...combined, sha: rest[1], statuses: [], total_count: 0, state: 'success' } };
    }
    return { status: 404, body: { message: 'Not Found' } };
  }
}
