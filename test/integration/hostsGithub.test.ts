// The GitHub provider (@octokit/rest) against a test server whose every request and response is
// checked against GitHub's official OpenAPI description (@octokit/openapi).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { HostError } from '../../src/hosts/hostError';
import { createPullRequestProvider, selectPullRequestProvider } from '../../src/hosts/providerFactory';
import type { PullRequestProvider } from '../../src/hosts/pullRequestProvider';
import { staticTokenSource } from '../../src/hosts/tokenSource';
import { GitHubOpenApi } from './helpers/hostServers/githubOpenApi';
import { GitHubTestServer } from './helpers/hostServers/githubServer';

let server: GitHubTestServer;
let provider: PullRequestProvider;

function isHostError(code: string) {
  return (error: unknown): boolean => error instanceof HostError && error.code === code;
}

describe('GitHub provider against the OpenAPI-checked test server', () => {
  before(async () => {
    server = await GitHubTestServer.start({ owner: 'acme', repo: 'gitops', token: 'gh-token', basePath: '/api/v3' });
  });
  after(async () => {
    assert.deepEqual(server.violations, [], 'every request and response matches GitHub’s OpenAPI description');
    await server.close();
  });
  beforeEach(() => {
    server.token = 'gh-token';
    provider = createPullRequestProvider({ kind: 'github-enterprise', owner: 'acme', repo: 'gitops', webUrl: 'https://github.acme.test/acme/gitops', apiUrl: server.url }, 'gh-token', { maxRateLimitWaitMs: 5000 });
  });

  it('the OpenAPI checker itself catches a wrong path, an undeclared parameter and a missing field', () => {
    const spec = GitHubOpenApi.load();
    assert.deepEqual(spec.checkRequest('GET', '/repos/a/b/pullz', new URLSearchParams(), undefined), ['GET /repos/a/b/pullz is not in GitHub\'s OpenAPI description']);
    assert.match(spec.checkRequest('GET', '/repos/a/b/pulls', new URLSearchParams('sate=open'), undefined)[0], /query parameter "sate" is not declared/);
    assert.match(spec.checkRequest('POST', '/repos/a/b/pulls', new URLSearchParams(), { title: 'x', head: 'h', base: 'b', bogus: 1 })[0], /property "bogus" is not declared/);
    const missing = spec.checkResponse('GET', '/repos/a/b/pulls/1', 200, { number: 1 });
    assert.ok(missing.some((p) => /required field "html_url" is missing/.test(p)));
    assert.ok(missing.some((p) => /required field "head" is missing/.test(p)));
    assert.deepEqual(spec.checkResponse('GET', '/repos/a/b/pulls/1', 200, spec.example('pull-request')).filter((p) => !/requested_teams/.test(p)), [], 'GitHub’s own example passes');
  });

  it('creates a pull request with labels and reviewers (users and teams), then finds it by head', async () => {
    assert.equal(await provider.findOpenByHead('gitops/promote-a-to-b-1234567', 'main'), null);
    const created = await provider.create({ head: 'gitops/promote-a-to-b-1234567', base: 'main', title: 'Promote a → b (1234567)', body: 'body', labels: ['promotion'], reviewers: ['alice', 'acme/platform'] });
    assert.deepEqual(created.warnings, []);
    assert.equal(created.pullRequest.state, 'open');
    assert.equal(created.pullRequest.head, 'gitops/promote-a-to-b-1234567');
    const fake = server.pulls[server.pulls.length - 1];
    assert.deepEqual(fake.labels, ['promotion']);
    assert.deepEqual(fake.reviewers, ['alice']);
    const reviewRequest = server.requests.find((r) => r.path.endsWith('/requested_reviewers'));
    assert.deepEqual(reviewRequest?.body, { reviewers: ['alice'], team_reviewers: ['platform'] });
    const found = await provider.findOpenByHead('gitops/promote-a-to-b-1234567', 'main');
    assert.equal(found?.number, created.pullRequest.number);
    const listRequest = server.requests.filter((r) => r.method === 'GET' && r.path === '/repos/acme/gitops/pulls').pop();
    assert.equal(listRequest?.query.get('head'), 'acme:gitops/promote-a-to-b-1234567', 'head is owner-qualified as the API requires');
  });

  it('updates title and body, reads status with checks, lists open gitops/ pull requests', async () => {
    const { pullRequest } = await provider.create({ head: 'gitops/rollback-prod-to-7654321', base: 'main', title: 'Roll back', body: 'one' });
    const updated = await provider.update(pullRequest.number, { body: 'two' });
    assert.equal(updated.body, 'two');
    server.checks = [
      { status: 'completed', conclusion: 'success' },
      { status: 'completed', conclusion: 'failure' },
    ];
    const status = await provider.getStatus(pullRequest.number);
    assert.deepEqual(status.checks, { state: 'failure', total: 2, passed: 1, failed: 1, pending: 0 });
    server.checks = [];
    await provider.create({ head: 'feature/not-ours', base: 'main', title: 'x', body: '' });
    const open = await provider.listOpen('gitops/');
    assert.ok(open.length >= 2 && open.every((p) => p.head.startsWith('gitops/')));
  });

  it('merged and closed pull requests report their state', async () => {
    const { pullRequest } = await provider.create({ head: 'gitops/merged', base: 'main', title: 'x', body: '' });
    const fake = server.pulls.find((p) => p.number === pullRequest.number);
    assert.ok(fake);
    fake.state = 'closed';
    fake.merged = true;
    assert.equal((await provider.getStatus(pullRequest.number)).state, 'merged');
    fake.merged = false;
    assert.equal((await provider.getStatus(pullRequest.number)).state, 'closed');
  });

  it('a primary rate limit (403, x-ratelimit-remaining 0) is waited out and retried once', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 1;
    server.failNext({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }, body: { message: 'API rate limit exceeded' } });
    const started = Date.now();
    const open = await provider.listOpen('gitops/');
    assert.ok(Array.isArray(open));
    assert.ok(Date.now() - started >= 400, 'waited for the reset');
  });

  it('a secondary rate limit (429 Retry-After) is retried; one that resets too late is an error with the reset time', async () => {
    server.failNext({ status: 429, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit' } });
    await provider.listOpen('gitops/');
    server.failNext({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600) }, body: { message: 'API rate limit exceeded' } });
    await assert.rejects(provider.listOpen('gitops/'), (e) => isHostError('rateLimited')(e) && /resets at/.test((e as Error).message));
  });

  it('a 403 without rate-limit headers is "forbidden", not retried', async () => {
    const count = server.requests.length;
    server.failNext({ status: 403, body: { message: 'Resource not accessible by integration' } });
    await assert.rejects(provider.findOpenByHead('x'), isHostError('forbidden'));
    assert.equal(server.requests.length, count + 1);
  });

  it('an expired token is "unauthorized" with "sign in again"', async () => {
    server.token = 'rotated';
    await assert.rejects(provider.findOpenByHead('x'), (e) => isHostError('unauthorized')(e) && /sign in again/.test((e as HostError).describe()));
  });

  it('5xx is a clear "server" error; an unreachable host is "unreachable"', async () => {
    server.failNext({ status: 502, body: { message: 'Bad Gateway' } });
    await assert.rejects(provider.findOpenByHead('x'), (e) => isHostError('server')(e) && /answered 502/.test((e as Error).message));
    const dead = createPullRequestProvider({ kind: 'github', owner: 'a', repo: 'b', webUrl: 'https://github.com/a/b', apiUrl: 'http://127.0.0.1:9' }, 't');
    await assert.rejects(dead.findOpenByHead('x'), isHostError('unreachable'));
  });

  it('selectPullRequestProvider: owner and repository from the remote URL, API from the override, no token → reason', async () => {
    const selected = await selectPullRequestProvider({ remoteUrl: 'git@github.acme.test:acme/gitops.git', overrides: { kind: 'github-enterprise', apiUrl: server.url }, tokenSource: staticTokenSource('gh-token') });
    assert.equal(selected.reason, null);
    assert.deepEqual(selected.provider?.repository, { kind: 'github-enterprise', owner: 'acme', repo: 'gitops', webUrl: 'https://github.acme.test/acme/gitops', apiUrl: server.url });
    const none = await selectPullRequestProvider({ remoteUrl: 'https://github.com/acme/gitops.git', tokenSource: staticTokenSource(null) });
    assert.equal(none.provider, null);
    assert.match(none.reason ?? '', /there is no GitHub token; sign in to GitHub \(CLI: set GITHUB_TOKEN\)/);
    const unknown = await selectPullRequestProvider({ remoteUrl: 'https://git.internal/acme/gitops.git', tokenSource: staticTokenSource('t') });
    assert.match(unknown.reason ?? '', /set hosts\.kind in gitops\.yaml \(CLI: --provider\)/);
  });
});
