// The GitLab provider (merge requests, REST v4) against a test server speaking GitLab's shapes.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { HostError } from '../../src/hosts/hostError';
import { createPullRequestProvider, selectPullRequestProvider } from '../../src/hosts/providerFactory';
import type { PullRequestProvider } from '../../src/hosts/pullRequestProvider';
import { staticTokenSource } from '../../src/hosts/tokenSource';
import { GitLabTestServer } from './helpers/hostServers/gitlabServer';

let server: GitLabTestServer;
let provider: PullRequestProvider;

describe('GitLab provider', () => {
  before(async () => {
    server = await GitLabTestServer.start({ projectPath: 'platform/deploy/gitops', token: 'glpat-test-token-0123456789' });
  });
  after(async () => {
    assert.deepEqual(server.problems, []);
    await server.close();
  });
  beforeEach(async () => {
    server.token = 'glpat-test-token-0123456789';
    // Nested groups: the owner is the whole group path, from the remote URL.
    const selected = await selectPullRequestProvider({ remoteUrl: 'git@gitlab.acme.test:platform/deploy/gitops.git', overrides: { apiUrl: server.url }, tokenSource: staticTokenSource('glpat-test-token-0123456789') });
    assert.ok(selected.provider, selected.reason ?? '');
    provider = selected.provider;
  });

  it('opens a merge request with labels (comma list) and reviewers looked up by user name', async () => {
    const created = await provider.create({ head: 'gitops/promote-a-to-b-1111111', base: 'main', title: 'Promote', body: 'desc', labels: ['promotion', 'gitops'], reviewers: ['alice', 'nobody'] });
    assert.equal(created.pullRequest.number, 1);
    assert.equal(created.pullRequest.url, 'https://gitlab.test/platform/deploy/gitops/-/merge_requests/1');
    assert.deepEqual(created.warnings, ['reviewer nobody was not found on GitLab and was not requested']);
    const mr = server.mergeRequests[0];
    assert.deepEqual(mr.labels, ['promotion', 'gitops']);
    assert.deepEqual(mr.reviewer_ids, [7]);
    assert.ok(server.requests.some((r) => r.path === '/projects/platform%2Fdeploy%2Fgitops/merge_requests'), 'project addressed by its encoded full path');
    assert.equal(server.requests.at(-1)?.headers.authorization, 'Bearer glpat-test-token-0123456789');
  });

  it('finds by source branch, updates, reads pipeline status, lists open gitops/ merge requests', async () => {
    const found = await provider.findOpenByHead('gitops/promote-a-to-b-1111111', 'main');
    assert.equal(found?.number, 1);
    assert.equal(await provider.findOpenByHead('gitops/other'), null);
    assert.equal((await provider.update(1, { title: 'Promote again', body: 'new' })).title, 'Promote again');
    server.mergeRequests[0].pipeline = 'running';
    assert.deepEqual((await provider.getStatus(1)).checks, { state: 'pending', total: 1, passed: 0, failed: 0, pending: 1 });
    server.mergeRequests[0].state = 'merged';
    assert.equal((await provider.getStatus(1)).state, 'merged');
    assert.deepEqual(await provider.listOpen('gitops/'), []);
  });

  it('an expired token is "unauthorized" with the sign-in hint; 429 RateLimit-Reset is waited out once', async () => {
    server.token = 'other';
    await assert.rejects(provider.findOpenByHead('x'), (e) => e instanceof HostError && e.code === 'unauthorized' && /GITLAB_TOKEN/.test(e.hint));
    server.token = 'glpat-test-token-0123456789';
    server.failNext({ status: 429, headers: { 'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) }, body: { message: 'Retry later' } });
    await provider.findOpenByHead('x');
    server.failNext({ status: 503, body: { message: '503 Service Unavailable' } });
    await assert.rejects(provider.findOpenByHead('x'), (e) => e instanceof HostError && e.code === 'server');
  });

  it('a duplicate merge request is refused by the host as "invalid" with GitLab’s own words', async () => {
    const direct = createPullRequestProvider({ kind: 'gitlab', owner: 'platform/deploy', repo: 'gitops', webUrl: 'https://gitlab.test/platform/deploy/gitops', apiUrl: server.url }, 'glpat-test-token-0123456789');
    await direct.create({ head: 'gitops/dup', base: 'main', title: 't', body: '' });
    await assert.rejects(direct.create({ head: 'gitops/dup', base: 'main', title: 't', body: '' }), (e) => e instanceof HostError && e.code === 'invalid' && /Another open merge request/.test(e.message));
  });
});
