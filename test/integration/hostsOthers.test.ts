// Azure DevOps and Bitbucket (Cloud and Data Center) providers: the requests they send (paths,
// auth headers, bodies) and how they read the answers, against small servers in those hosts' shapes.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { HostError } from '../../src/hosts/hostError';
import { createPullRequestProvider } from '../../src/hosts/providerFactory';
import { JsonTestServer, type RecordedRequest, type Reply } from './helpers/hostServers/jsonTestServer';

const servers: JsonTestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(tokenOf: (h: RecordedRequest['headers']) => string | null, token: string, handler: (r: RecordedRequest) => Reply, basePath = ''): Promise<JsonTestServer> {
  const server = await JsonTestServer.start(token, { basePath, tokenOf, unauthorizedBody: { message: 'unauthorized' } }, handler);
  servers.push(server);
  return server;
}

describe('Azure DevOps provider', () => {
  it('uses refs/heads names, Basic auth for a PAT, api-version 7.1, and maps completed → merged', async () => {
    const prs: Array<Record<string, unknown>> = [];
    const server = await serve((h) => String(h.authorization ?? '') || null, `Basic ${Buffer.from(':azure-pat').toString('base64')}`, (r) => {
      assert.equal(r.query.get('api-version'), '7.1');
      assert.ok(r.path.startsWith('/Platform%20Team/_apis/git/repositories/gitops/pullrequests'), r.path);
      if (r.method === 'POST') {
        const body = r.body as Record<string, unknown>;
        const pr = { pullRequestId: prs.length + 1, status: 'active', title: body.title, description: body.description, sourceRefName: body.sourceRefName, targetRefName: body.targetRefName, isDraft: false };
        prs.push(pr);
        return { status: 201, body: pr };
      }
      if (r.method === 'GET' && r.path.endsWith('/pullrequests')) {
        const source = r.query.get('searchCriteria.sourceRefName');
        return { status: 200, body: { value: prs.filter((p) => !source || p.sourceRefName === source), count: prs.length } };
      }
      if (r.path.endsWith('/statuses')) return { status: 200, body: { value: [{ state: 'succeeded' }, { state: 'pending' }] } };
      const pr = prs.find((p) => r.path.endsWith(`/pullrequests/${String(p.pullRequestId)}`));
      if (!pr) return { status: 404, body: { message: 'not found' } };
      if (r.method === 'PATCH') Object.assign(pr, r.body as object);
      return { status: 200, body: pr };
    });
    const provider = createPullRequestProvider({ kind: 'azure-devops', owner: 'acme/Platform Team', repo: 'gitops', webUrl: 'https://dev.azure.com/acme/Platform%20Team/_git/gitops', apiUrl: server.url }, 'azure-pat');
    const created = await provider.create({ head: 'gitops/promote-a-to-b-3333333', base: 'main', title: 'Promote', body: 'x'.repeat(5000), labels: ['promotion'], reviewers: ['someone'] });
    assert.equal(created.pullRequest.url, 'https://dev.azure.com/acme/Platform%20Team/_git/gitops/pullrequest/1');
    assert.equal(created.pullRequest.head, 'gitops/promote-a-to-b-3333333');
    assert.equal(created.warnings.length, 1);
    assert.ok(String(prs[0].description).length <= 4000, 'description cut to Azure’s limit');
    assert.equal((await provider.findOpenByHead('gitops/promote-a-to-b-3333333'))?.number, 1);
    assert.equal((await provider.update(1, { title: 'New' })).title, 'New');
    assert.deepEqual((await provider.getStatus(1)).checks, { state: 'pending', total: 2, passed: 1, failed: 0, pending: 1 });
    prs[0].status = 'completed';
    assert.equal((await provider.getStatus(1)).state, 'merged');
  });
});

describe('Bitbucket Cloud provider', () => {
  it('sends source/destination branches, Bearer tokens, and warns that labels do not exist', async () => {
    const prs: Array<Record<string, unknown>> = [];
    const server = await serve((h) => /^Bearer (.+)$/.exec(String(h.authorization ?? ''))?.[1] ?? null, 'bb-token', (r) => {
      assert.ok(r.path.startsWith('/repositories/acme/gitops/pullrequests'), r.path);
      if (r.method === 'POST') {
        const body = r.body as { title: string; description: string; source: { branch: { name: string } }; destination: { branch: { name: string } } };
        const pr = { id: prs.length + 1, state: 'OPEN', title: body.title, description: body.description, source: { branch: { name: body.source.branch.name }, commit: { hash: 'e'.repeat(12) } }, destination: { branch: { name: body.destination.branch.name } }, links: { html: { href: `https://bitbucket.org/acme/gitops/pull-requests/${prs.length + 1}` } } };
        prs.push(pr);
        return { status: 201, body: pr };
      }
      if (r.method === 'GET' && r.path.endsWith('/pullrequests')) {
        assert.equal(r.query.get('state'), 'OPEN');
        return { status: 200, body: { values: prs.filter((p) => (r.query.get('q') ?? '').includes(String((p.source as { branch: { name: string } }).branch.name)) || (r.query.get('q') ?? '').includes('~')), pagelen: 50 } };
      }
      if (r.path.endsWith('/statuses')) return { status: 200, body: { values: [{ state: 'FAILED' }] } };
      const pr = prs.find((p) => r.path.endsWith(`/pullrequests/${String(p.id)}`));
      if (!pr) return { status: 404, body: { type: 'error', error: { message: 'not found' } } };
      if (r.method === 'PUT') Object.assign(pr, r.body as object);
      return { status: 200, body: pr };
    });
    const provider = createPullRequestProvider({ kind: 'bitbucket', owner: 'acme', repo: 'gitops', webUrl: 'https://bitbucket.org/acme/gitops', apiUrl: server.url }, 'bb-token');
    const created = await provider.create({ head: 'gitops/promote-a-to-b-4444444', base: 'main', title: 'Promote', body: 'b', labels: ['promotion'], reviewers: ['{0b9c-1234-5678}'] });
    assert.match(created.warnings[0], /Bitbucket has no labels/);
    assert.equal(created.pullRequest.url, 'https://bitbucket.org/acme/gitops/pull-requests/1');
    assert.equal((await provider.findOpenByHead('gitops/promote-a-to-b-4444444'))?.number, 1);
    assert.equal((await provider.update(1, { body: 'c' })).body, 'c');
    assert.equal((await provider.getStatus(1)).checks.state, 'failure');
    assert.equal((await provider.listOpen('gitops/')).length, 1);
  });
});

describe('Bitbucket Data Center provider', () => {
  it('uses fromRef/toRef ids, sends the version on update, and reads build statuses', async () => {
    const prs: Array<Record<string, unknown>> = [];
    let sawVersion: unknown;
    const server = await serve(
      (h) => /^Bearer (.+)$/.exec(String(h.authorization ?? ''))?.[1] ?? null,
      'bbs-token',
      (r) => {
        if (r.path.startsWith('/rest/build-status/1.0/commits/')) return { status: 200, body: { values: [{ state: 'SUCCESSFUL' }] } };
        assert.ok(r.path.startsWith('/rest/api/1.0/projects/OPS/repos/gitops/pull-requests'), r.path);
        if (r.method === 'POST') {
          const body = r.body as { title: string; description: string; fromRef: { id: string }; toRef: { id: string } };
          const pr = { id: prs.length + 1, version: 0, state: 'OPEN', title: body.title, description: body.description, fromRef: { id: body.fromRef.id, displayId: body.fromRef.id.replace('refs/heads/', ''), latestCommit: 'f'.repeat(40) }, toRef: { id: body.toRef.id, displayId: body.toRef.id.replace('refs/heads/', '') }, links: { self: [{ href: `https://bb.acme.test/projects/OPS/repos/gitops/pull-requests/${prs.length + 1}` }] } };
          prs.push(pr);
          return { status: 201, body: pr };
        }
        if (r.method === 'GET' && r.path.endsWith('/pull-requests')) return { status: 200, body: { values: prs.filter((p) => !r.query.get('at') || (p.fromRef as { id: string }).id === r.query.get('at')) } };
        const pr = prs.find((p) => r.path.endsWith(`/pull-requests/${String(p.id)}`));
        if (!pr) return { status: 404, body: { errors: [{ message: 'not found' }] } };
        if (r.method === 'PUT') {
          sawVersion = (r.body as { version: unknown }).version;
          if (sawVersion !== pr.version) return { status: 409, body: { errors: [{ message: 'stale version' }] } };
          Object.assign(pr, r.body as object, { version: Number(pr.version) + 1 });
        }
        return { status: 200, body: pr };
      },
    );
    const provider = createPullRequestProvider({ kind: 'bitbucket-server', owner: 'OPS', repo: 'gitops', webUrl: 'https://bb.acme.test/projects/OPS/repos/gitops', apiUrl: `${server.url}/rest/api/1.0` }, 'bbs-token');
    const created = await provider.create({ head: 'gitops/rollback-prod-to-5555555', base: 'main', title: 'Roll back', body: 'b', reviewers: ['jane'] });
    assert.equal(created.pullRequest.head, 'gitops/rollback-prod-to-5555555');
    assert.equal((await provider.findOpenByHead('gitops/rollback-prod-to-5555555'))?.number, 1);
    assert.equal((await provider.update(1, { title: 'Roll back prod' })).title, 'Roll back prod');
    assert.equal(sawVersion, 0);
    assert.equal((await provider.update(1, { title: 'again' })).title, 'again', 'the version is read fresh each time');
    assert.equal((await provider.getStatus(1)).checks.state, 'success');
    await assert.rejects(provider.getStatus(99), (e) => e instanceof HostError && e.code === 'notFound');
  });
});
