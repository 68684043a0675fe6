// Host rules that need no server: rate-limit headers, compare and commit links per host, the
// --provider words, token variables, and Azure's 4,000-character description limit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commitUrl, compareUrl } from '../../src/core/promotion/hostLinks';
import { fitAzureDescription } from '../../src/hosts/azureDevOpsProvider';
import { errorForStatus } from '../../src/hosts/hostHttp';
import { parseProviderKind } from '../../src/hosts/providerFactory';
import { rateLimitSignal } from '../../src/hosts/rateLimit';
import { environmentTokenSource, tokenVariableFor } from '../../src/hosts/tokenSource';
import { formatMetadataBlock, parseMetadataBlock } from '../../src/core/promotion/promotionMetadata';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;

describe('rate limits', () => {
  it('GitHub primary limit: 403 with x-ratelimit-remaining 0 waits until x-ratelimit-reset', () => {
    const signal = rateLimitSignal(403, headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 30) }), NOW);
    assert.deepEqual(signal, { waitMs: 30_000, resetAt: new Date(NOW + 30_000) });
  });

  it('a 403 without rate-limit headers is a permission problem, not a limit', () => {
    assert.equal(rateLimitSignal(403, headers({}), NOW), null);
    assert.equal(rateLimitSignal(403, headers({ 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': String(NOW / 1000 + 30) }), NOW), null);
  });

  it('429 with Retry-After in seconds or as a date; GitLab RateLimit-Reset; a bare 429 waits a second', () => {
    assert.equal(rateLimitSignal(429, headers({ 'retry-after': '7' }), NOW)?.waitMs, 7000);
    assert.equal(rateLimitSignal(429, headers({ 'retry-after': new Date(NOW + 5000).toUTCString() }), NOW)?.waitMs, 5000);
    assert.equal(rateLimitSignal(429, headers({ 'ratelimit-reset': String(NOW / 1000 + 9) }), NOW)?.waitMs, 9000);
    assert.equal(rateLimitSignal(429, headers({}), NOW)?.waitMs, 1000);
    assert.equal(rateLimitSignal(429, headers({ 'retry-after': '-3' }), NOW)?.waitMs, 0);
    assert.equal(rateLimitSignal(500, headers({ 'retry-after': '7' }), NOW), null);
  });
});

describe('HTTP status codes become error codes with a next step', () => {
  it('401 says to sign in again, 5xx says the host has a problem', () => {
    const expired = errorForStatus('GitLab', 401, { message: '401 Unauthorized' }, 'GITLAB_TOKEN for the CLI', 'opening a merge request');
    assert.equal(expired.code, 'unauthorized');
    assert.match(expired.describe(), /rejected the token.*sign in again \(GITLAB_TOKEN for the CLI\)/);
    assert.equal(errorForStatus('Gitea', 502, 'Bad Gateway', '', 'x').code, 'server');
    assert.equal(errorForStatus('Gitea', 404, null, '', 'x').code, 'notFound');
    assert.equal(errorForStatus('Gitea', 422, { message: 'bad' }, '', 'x').code, 'invalid');
    assert.equal(errorForStatus('Gitea', 403, null, '', 'x').code, 'forbidden');
  });

  it('a token echoed by a server never reaches the message', () => {
    const error = errorForStatus('GitHub', 401, { message: 'token ghp_abcdefghijklmnopqrstuvwxyz0123 is invalid' }, '', 'x');
    assert.ok(!error.message.includes('ghp_abcdefghijklmnopqrstuvwxyz0123'));
  });
});

describe('host links', () => {
  const sha = 'f'.repeat(40);
  it('compare pages per host', () => {
    assert.equal(compareUrl('github', 'https://github.com/a/b', 'main', 'gitops/promote-x'), 'https://github.com/a/b/compare/main...gitops/promote-x?expand=1');
    assert.equal(compareUrl('gitlab', 'https://gitlab.com/g/b', 'main', 'gitops/x'), 'https://gitlab.com/g/b/-/merge_requests/new?merge_request%5Bsource_branch%5D=gitops/x&merge_request%5Btarget_branch%5D=main');
    assert.equal(compareUrl('gitea', 'https://codeberg.org/a/b', 'main', 'gitops/x'), 'https://codeberg.org/a/b/compare/main...gitops/x');
    assert.equal(compareUrl('azure-devops', 'https://dev.azure.com/o/p/_git/r', 'main', 'gitops/x'), 'https://dev.azure.com/o/p/_git/r/pullrequestcreate?sourceRef=gitops/x&targetRef=main');
    assert.equal(compareUrl('bitbucket', 'https://bitbucket.org/a/b', 'main', 'gitops/x'), 'https://bitbucket.org/a/b/pull-requests/new?source=gitops/x&dest=main');
    assert.equal(compareUrl('bitbucket-server', 'https://bb/projects/P/repos/r', 'main', 'gitops/x'), 'https://bb/projects/P/repos/r/pull-requests?create&sourceBranch=refs%2Fheads%2Fgitops%2Fx&targetBranch=refs%2Fheads%2Fmain');
    assert.equal(compareUrl('unknown', 'https://x', 'a', 'b'), null);
    assert.equal(compareUrl('github', null, 'a', 'b'), null);
  });

  it('commit links per host', () => {
    assert.equal(commitUrl('github', 'https://github.com/a/b', sha), `https://github.com/a/b/commit/${sha}`);
    assert.equal(commitUrl('gitlab', 'https://gitlab.com/a/b', sha), `https://gitlab.com/a/b/-/commit/${sha}`);
    assert.equal(commitUrl('bitbucket', 'https://bitbucket.org/a/b', sha), `https://bitbucket.org/a/b/commits/${sha}`);
    assert.equal(commitUrl('unknown', 'https://x', sha), null);
  });
});

describe('provider selection words and tokens', () => {
  it('--provider words map to host kinds, keeping what the URL already says about Enterprise or Data Center', () => {
    assert.equal(parseProviderKind('github'), 'github');
    assert.equal(parseProviderKind('github', 'github-enterprise'), 'github-enterprise');
    assert.equal(parseProviderKind('azure'), 'azure-devops');
    assert.equal(parseProviderKind('bitbucket'), 'bitbucket');
    assert.equal(parseProviderKind('bitbucket', 'bitbucket-server'), 'bitbucket-server');
    assert.equal(parseProviderKind('Forgejo'), 'gitea');
    assert.equal(parseProviderKind('svn'), null);
  });

  it('the CLI reads one variable per host and ignores blank ones', async () => {
    assert.equal(tokenVariableFor('gitlab'), 'GITLAB_TOKEN');
    assert.equal(tokenVariableFor('bitbucket-server'), 'BITBUCKET_TOKEN');
    const source = environmentTokenSource({ GITHUB_TOKEN: ' abc ', GITLAB_TOKEN: '  ' });
    assert.equal(await source.getToken({ kind: 'github-enterprise', host: 'h', apiUrl: 'u' }), 'abc');
    assert.equal(await source.getToken({ kind: 'gitlab', host: 'h', apiUrl: 'u' }), null);
    assert.equal(await source.getToken({ kind: 'unknown', host: 'h', apiUrl: 'u' }), null);
  });
});

describe('Azure DevOps description limit', () => {
  it('cuts to 4,000 characters and keeps the metadata block', () => {
    const block = formatMetadataBlock({ v: 1, kind: 'promotion', from: 'a', to: 'b', layout: 'folder', sourceCommit: 'a'.repeat(40), targetCommit: 'b'.repeat(40), headBranch: 'gitops/x', chain: [], rollbackTo: null });
    const body = `${'line of text\n'.repeat(1000)}\n${block}\n`;
    const fitted = fitAzureDescription(body);
    assert.ok(fitted.length <= 4000, `${fitted.length}`);
    assert.ok(parseMetadataBlock(fitted));
    assert.equal(fitAzureDescription('short'), 'short');
  });
});
