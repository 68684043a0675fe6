// A Gitea/Forgejo REST v1 test server for pull requests, labels (by id), requested reviewers and
// combined commit statuses, in the shapes of Gitea's swagger description.
import { HostTestServer, segments, type RecordedRequest, type Reply } from './jsonTestServer';

export interface FakeGiteaPull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
  labels: number[];
  reviewers: string[];
  sha: string;
}

export class GiteaTestServer extends HostTestServer {
  readonly pulls: FakeGiteaPull[] = [];
  readonly labels = [
    { id: 11, name: 'promotion' },
    { id: 12, name: 'rollback' },
  ];
  statuses: Array<{ status: string }> = [];
  readonly problems: string[] = [];

  private constructor(
    readonly owner: string,
    readonly repo: string,
  ) {
    super();
  }

  static start(options: { owner: string; repo: string; token: string }): Promise<GiteaTestServer> {
    return new GiteaTestServer(options.owner, options.repo).listen(options.token, {
      basePath: '/api/v1',
      tokenOf: (headers) => /^token\s+(.+)$/i.exec(String(headers.authorization ?? ''))?.[1] ?? null,
      unauthorizedBody: { message: 'token is required', url: 'https://gitea.test/api/swagger' },
    });
  }

  private json(pull: FakeGiteaPull): Record<string, unknown> {
    return {
      id: 900 + pull.number,
      number: pull.number,
      title: pull.title,
      body: pull.body,
      state: pull.state,
      merged: pull.merged,
      draft: false,
      html_url: `https://gitea.test/${this.owner}/${this.repo}/pulls/${pull.number}`,
      labels: pull.labels.map((id) => this.labels.find((l) => l.id === id)),
      head: { ref: pull.head, sha: pull.sha, label: pull.head },
      base: { ref: pull.base, label: pull.base },
    };
  }

  protected handle(request: RecordedRequest): Reply {
    const parts = segments(request.path);
    if (parts[0] !== 'repos' || parts[1] !== this.owner || parts[2] !== this.repo) {
      this.problems.push(`unexpected path ${request.method} ${request.path}`);
      return { status: 404, body: { message: 'Not Found' } };
    }
    const rest = parts.slice(3);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (rest[0] === 'labels') return { status: 200, body: this.labels };
    if (rest[0] === 'pulls' && rest.length === 1 && request.method === 'GET') {
      const state = request.query.get('state') ?? 'open';
      const limit = Number(request.query.get('limit') ?? 30);
      const page = Number(request.query.get('page') ?? 1);
      const list = this.pulls.filter((p) => state === 'all' || p.state === state).sort((a, b) => b.number - a.number);
      return { status: 200, body: list.slice((page - 1) * limit, page * limit).map((p) => this.json(p)) };
    }
    if (rest[0] === 'pulls' && rest.length === 1 && request.method === 'POST') {
      if (body.labels !== undefined && (!Array.isArray(body.labels) || body.labels.some((l) => typeof l !== 'number'))) {
        this.problems.push('labels must be ids');
        return { status: 422, body: { message: 'labels must be ids' } };
      }
      if (this.pulls.some((p) => p.state === 'open' && p.head === body.head && p.base === body.base)) {
        return { status: 409, body: { message: 'pull request already exists for these targets' } };
      }
      const pull: FakeGiteaPull = { number: this.pulls.length + 1, title: String(body.title), body: String(body.body ?? ''), head: String(body.head), base: String(body.base), state: 'open', merged: false, labels: (body.labels as number[] | undefined) ?? [], reviewers: [], sha: 'c'.repeat(40) };
      this.pulls.push(pull);
      return { status: 201, body: this.json(pull) };
    }
    if (rest[0] === 'commits' && rest[2] === 'status') {
      return { status: 200, body: { state: this.statuses.length ? 'pending' : '', sha: rest[1], total_count: this.statuses.length, statuses: this.statuses } };
    }
    const pull = this.pulls.find((p) => p.number === Number(rest[1]));
    if (rest[0] !== 'pulls' || !pull) return { status: 404, body: { message: 'Not Found' } };
    if (rest[2] === 'requested_reviewers' && request.method === 'POST') {
      pull.reviewers.push(...((body.reviewers as string[] | undefined) ?? []));
      return { status: 201, body: [] };
    }
    if (rest.length === 2 && request.method === 'PATCH') {
      if (typeof body.title === 'string') pull.title = body.title;
      if (typeof body.body === 'string') pull.body = body.body;
    }
    return { status: 200, body: this.json(pull) };
  }
}
