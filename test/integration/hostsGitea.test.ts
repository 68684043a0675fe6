// The Gitea/Forgejo provider (REST v1) against a test server speaking Gitea's shapes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HostError } from '../../src/hosts/hostError';
import { createPullRequestProvider } from '../../src/hosts/providerFactory';
import { GiteaTestServer } from './helpers/hostServers/giteaServer';

describe('Gitea provider', () => {
  let server: GiteaTestServer;
  before(async () => {
    server = await GiteaTestServer.start({ owner: 'acme', repo: 'gitops', token: 'gitea-token' });
  });
  after(async () => {
    assert.deepEqual(server.problems, []);
    await server.close();
  });

  const provider = () => createPullRequestProvider({ kind: 'gitea', owner: 'acme', repo: 'gitops', webUrl: 'https://gitea.test/acme/gitops', apiUrl: server.url }, 'gitea-token');

  it('opens a pull request with label ids looked up by name; unknown labels are warnings', async () => {
    const created = await provider().create({ head: 'gitops/promote-a-to-b-2222222', base: 'main', title: 'Promote', body: 'b', labels: ['promotion', 'missing'], reviewers: ['bob'] });
    assert.deepEqual(created.warnings, ['label missing does not exist in the repository and was not added']);
    assert.deepEqual(server.pulls[0].labels, [11]);
    assert.deepEqual(server.pulls[0].reviewers, ['bob']);
    assert.equal(created.pullRequest.url, 'https://gitea.test/acme/gitops/pulls/1');
    assert.equal(server.requests.at(-1)?.headers.authorization, 'token gitea-token');
  });

  it('finds, updates, reads status and lists, across pages', async () => {
    for (let i = 0; i < 60; i++) server.pulls.push({ number: 100 + i, title: 'other', body: '', head: `feature/${i}`, base: 'main', state: 'open', merged: false, labels: [], reviewers: [], sha: 'd'.repeat(40) });
    const found = await provider().findOpenByHead('gitops/promote-a-to-b-2222222', 'main');
    assert.equal(found?.number, 1, 'found on the second page');
    assert.equal((await provider().update(1, { body: 'updated' })).body, 'updated');
    server.statuses = [{ status: 'success' }, { status: 'pending' }];
    assert.equal((await provider().getStatus(1)).checks.state, 'pending');
    server.pulls[0].merged = true;
    server.pulls[0].state = 'closed';
    assert.equal((await provider().getStatus(1)).state, 'merged');
    assert.equal((await provider().listOpen('gitops/')).length, 0);
  });

  it('401 is "unauthorized"; an unknown repository is "notFound"', async () => {
    server.token = 'revoked';
    await assert.rejects(provider().findOpenByHead('x'), (e) => e instanceof HostError && e.code === 'unauthorized');
    server.token = 'gitea-token';
    const wrong = createPullRequestProvider({ kind: 'gitea', owner: 'acme', repo: 'nope', webUrl: 'https://gitea.test/acme/nope', apiUrl: server.url }, 'gitea-token');
    await assert.rejects(wrong.findOpenByHead('x'), (e) => e instanceof HostError && e.code === 'notFound');
    server.problems.length = 0;
  });
});
