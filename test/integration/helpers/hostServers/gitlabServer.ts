// A GitLab REST v4 test server for merge requests (the fields and status codes GitLab documents
// for /projects/:id/merge_requests), with users for reviewer lookups.
import { HostTestServer, type RecordedRequest, type Reply } from './jsonTestServer';

export interface FakeMergeRequest {
  iid: number;
  title: string;
  description: string;
  source_branch: string;
  target_branch: string;
  state: 'opened' | 'closed' | 'merged';
  labels: string[];
  reviewer_ids: number[];
  sha: string;
  pipeline: string | null;
}

export class GitLabTestServer extends HostTestServer {
  readonly mergeRequests: FakeMergeRequest[] = [];
  readonly users = new Map<string, number>([['alice', 7]]);
  readonly problems: string[] = [];

  private constructor(readonly projectPath: string) {
    super();
  }

  static start(options: { projectPath: string; token: string }): Promise<GitLabTestServer> {
    return new GitLabTestServer(options.projectPath).listen(options.token, {
      basePath: '/api/v4',
      tokenOf: (headers) => String(headers['private-token'] ?? '') || (/^Bearer\s+(.+)$/i.exec(String(headers.authorization ?? ''))?.[1] ?? null),
      unauthorizedBody: { message: '401 Unauthorized' },
    });
  }

  private json(mr: FakeMergeRequest): Record<string, unknown> {
    return {
      id: 5000 + mr.iid,
      iid: mr.iid,
      project_id: 42,
      title: mr.title,
      description: mr.description,
      state: mr.state,
      draft: mr.title.startsWith('Draft:'),
      work_in_progress: mr.title.startsWith('Draft:'),
      source_branch: mr.source_branch,
      target_branch: mr.target_branch,
      labels: mr.labels,
      reviewers: mr.reviewer_ids.map((id) => ({ id })),
      sha: mr.sha,
      web_url: `https://gitlab.test/${this.projectPath}/-/merge_requests/${mr.iid}`,
      head_pipeline: mr.pipeline ? { id: 1, status: mr.pipeline } : null,
    };
  }

  protected handle(request: RecordedRequest): Reply {
    // GitLab addresses a project by its URL-encoded path: /projects/acme%2Fgitops/…
    const raw = request.path;
    if (raw.startsWith('/users')) {
      const id = this.users.get(request.query.get('username') ?? '');
      return { status: 200, body: id === undefined ? [] : [{ id, username: request.query.get('username') }] };
    }
    const prefix = `/projects/${encodeURIComponent(this.projectPath)}/merge_requests`;
    if (!raw.startsWith(prefix)) {
      this.problems.push(`unexpected path ${request.method} ${raw}`);
      return { status: 404, body: { message: '404 Project Not Found' } };
    }
    const rest = raw.slice(prefix.length);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (rest === '' && request.method === 'GET') {
      const state = request.query.get('state');
      const source = request.query.get('source_branch');
      const target = request.query.get('target_branch');
      const list = this.mergeRequests
        .filter((mr) => !state || state === 'all' || mr.state === state)
        .filter((mr) => !source || mr.source_branch === source)
        .filter((mr) => !target || mr.target_branch === target)
        .sort((a, b) => b.iid - a.iid);
      return { status: 200, body: list.map((mr) => this.json(mr)) };
    }
    if (rest === '' && request.method === 'POST') {
      for (const key of ['source_branch', 'target_branch', 'title']) {
        if (typeof body[key] !== 'string') return { status: 400, body: { error: `${key} is missing` } };
      }
      if (this.mergeRequests.some((mr) => mr.state === 'opened' && mr.source_branch === body.source_branch && mr.target_branch === body.target_branch)) {
        return { status: 409, body: { message: ['Another open merge request already exists for this source branch'] } };
      }
      const mr: FakeMergeRequest = {
        iid: this.mergeRequests.length + 1,
        title: String(body.title),
        description: String(body.description ?? ''),
        source_branch: String(body.source_branch),
        target_branch: String(body.target_branch),
        state: 'opened',
        labels: typeof body.labels === 'string' ? body.labels.split(',').filter(Boolean) : [],
        reviewer_ids: Array.isArray(body.reviewer_ids) ? body.reviewer_ids.map(Number) : [],
        sha: 'b'.repeat(40),
        pipeline: null,
      };
      this.mergeRequests.push(mr);
      return { status: 201, body: this.json(mr) };
    }
    const mr = this.mergeRequests.find((m) => `/${m.iid}` === rest);
    if (!mr) return { status: 404, body: { message: '404 Not found' } };
    if (request.method === 'PUT') {
      if (typeof body.title === 'string') mr.title = body.title;
      if (typeof body.description === 'string') mr.description = body.description;
    }
    return { status: 200, body: this.json(mr) };
  }
}
