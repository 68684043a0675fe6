// Fault injection: error statuses (seen by kubectl and raw clients), Retry-After, latency,
// connection resets, hung and closed watches, and the cluster going away and coming back on the
// same port, in process and over the /__sandbox/ control API.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { at, startTestSandbox, type TestSandbox } from '../fixtures/sandbox/sandboxTestKit';

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

describe('sandbox cluster fault injection', () => {
  let t: TestSandbox;

  before(async () => {
    t = await startTestSandbox({ controllers: false });
    t.sandbox.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    t.sandbox.store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team' } });
  });

  after(async () => {
    await t.close();
  });

  it('answers matching requests with 403 Forbidden, which kubectl reports as the server would', async () => {
    const id = t.sandbox.faults.add({ method: 'GET', path: '^/api/v1/namespaces/team/configmaps', status: 403 });
    try {
      const denied = await t.kubectl(['get', 'configmaps', '-n', 'team']);
      assert.equal(denied.code, 1);
      assert.match(denied.stderr, /Error from server \(Forbidden\): configmaps is forbidden: User "sandbox-user" cannot list resource "configmaps" in API group "" in the namespace "team"/);
      const other = await t.kubectl(['get', 'secrets', '-n', 'team']);
      assert.equal(other.code, 0, 'other paths are unaffected');
    } finally {
      assert.equal(t.sandbox.faults.remove(id), true);
    }
    assert.equal((await t.kubectl(['get', 'configmaps', '-n', 'team', '-o', 'name'])).code, 0);
  });

  it('answers 503 with Retry-After through a rule posted to the control API, until it is deleted', async () => {
    const posted = await t.request('POST', '/__sandbox/faults', { body: { path: '/api/v1/namespaces/team/configmaps/settings', status: 503, retryAfterSeconds: 7 } });
    assert.equal(posted.status, 201);
    const unavailable = await t.request('GET', '/api/v1/namespaces/team/configmaps/settings');
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers['retry-after'], '7');
    assert.deepEqual(
      { kind: unavailable.json().kind, reason: unavailable.json().reason, code: unavailable.json().code, retry: at(unavailable.json(), 'details', 'retryAfterSeconds') },
      { kind: 'Status', reason: 'ServiceUnavailable', code: 503, retry: 7 },
    );
    assert.equal((await t.request('DELETE', `/__sandbox/faults/${String(posted.json().id)}`)).status, 200);
    // Without Retry-After, client-go does not retry a 503: kubectl shows the Status.
    t.sandbox.faults.add({ path: '/api/v1/namespaces/team/configmaps/settings', status: 503, message: 'etcd is unhappy' });
    const kubectl = await t.kubectl(['get', 'configmap', 'settings', '-n', 'team']);
    assert.equal(kubectl.code, 1);
    assert.match(kubectl.stderr, /Error from server \(ServiceUnavailable\): etcd is unhappy/);
    const cleared = await t.request('DELETE', '/__sandbox/faults');
    assert.equal(cleared.json().removed, 1);
    assert.equal((await t.request('GET', '/api/v1/namespaces/team/configmaps/settings')).status, 200);
  });

  it('tells clients apart by identity: a rule for one identity counts and fails only its requests', async () => {
    const made = await t.request('POST', '/__sandbox/identities', { body: { name: 'second-editor' } });
    assert.equal(made.status, 201);
    const token = String(made.json().token);
    assert.notEqual(token, t.sandbox.token);
    assert.equal((await t.request('POST', '/__sandbox/identities', { body: { name: 'second-editor' } })).json().token, token, 'asking again gives the same token');
    assert.equal((await t.request('POST', '/__sandbox/identities', { body: { name: 'Not A Label' } })).status, 400);
    // The identity reaches the API, not the control API.
    assert.equal((await t.request('GET', '/api/v1/namespaces/team/configmaps/settings', { token })).status, 200);
    assert.equal((await t.request('GET', '/__sandbox/faults', { token })).status, 403);
    assert.equal((await t.request('GET', '/api/v1/namespaces/team/configmaps/settings', { token: 'made-up' })).status, 401);

    const id = t.sandbox.faults.add({ method: 'GET', path: '^/api/v1/namespaces/team/configmaps/settings$', identity: 'second-editor', status: 403, times: 5 });
    try {
      assert.equal((await t.request('GET', '/api/v1/namespaces/team/configmaps/settings')).status, 200, 'the main token is another identity: untouched');
      assert.equal(t.sandbox.faults.list().find((rule) => rule.id === id)?.remaining, 5, 'and not counted');
      assert.equal((await t.request('GET', '/api/v1/namespaces/team/configmaps/settings', { token })).status, 403);
      assert.equal(t.sandbox.faults.list().find((rule) => rule.id === id)?.remaining, 4, 'its own request is counted');
      assert.equal(t.sandbox.faults.list().find((rule) => rule.id === id)?.identity, 'second-editor');
    } finally {
      t.sandbox.faults.remove(id);
    }
  });

  it('lets kubectl recover from a 429 with Retry-After that applies once', async () => {
    t.sandbox.faults.add({ method: 'GET', path: '^/api/v1/namespaces/team/configmaps/settings$', status: 429, retryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    const result = await t.kubectl(['get', 'configmap', 'settings', '-n', 'team', '-o', 'name']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'configmap/settings');
    assert.ok(Date.now() - started >= 900, 'kubectl waited for Retry-After');
    assert.deepEqual(t.sandbox.faults.list(), [], 'a rule with times: 1 expires after one use');
  });

  it('adds latency and resets connections', async () => {
    const slow = t.sandbox.faults.add({ path: '^/api/v1/namespaces/team/configmaps/settings$', delayMs: 300 });
    const started = Date.now();
    assert.equal((await t.request('GET', '/api/v1/namespaces/team/configmaps/settings')).status, 200);
    assert.ok(Date.now() - started >= 290, 'the answer was delayed');
    t.sandbox.faults.remove(slow);

    t.sandbox.faults.add({ path: '^/api/v1/namespaces/team/configmaps/settings$', reset: true, times: 1 });
    await assert.rejects(t.request('GET', '/api/v1/namespaces/team/configmaps/settings'), (error: unknown) => {
      assert.match(String(errorCode(error)), /ECONNRESET|EPIPE/);
      return true;
    });
    assert.equal((await t.request('GET', '/api/v1/namespaces/team/configmaps/settings')).status, 200);
  });

  it('silences open watches (hang) or ends them (close)', async () => {
    const hung = await t.openWatch(`/api/v1/namespaces/team/configmaps?watch=true&resourceVersion=${t.sandbox.store.resourceVersion}`);
    const closed = await t.openWatch(`/api/v1/namespaces/team/secrets?watch=true&resourceVersion=${t.sandbox.store.resourceVersion}`);
    try {
      assert.equal(t.sandbox.faults.dropWatches('hang', '/configmaps'), 1);
      const dropped = await t.request('POST', '/__sandbox/watches/drop', { body: { mode: 'close', path: '/secrets' } });
      assert.equal(dropped.json().dropped, 1);
      await closed.waitFor((w) => w.ended);
      t.sandbox.store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-hang', namespace: 'team' } });
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(hung.events.length, 0, 'a hung watch delivers nothing');
      assert.equal(hung.ended, false, 'but its connection stays open');
    } finally {
      hung.close();
      closed.close();
    }
  });

  it('goes away and comes back on the same port', async () => {
    const port = t.sandbox.port;
    await t.sandbox.faults.goAway();
    assert.equal(t.sandbox.faults.isDown, true);
    await assert.rejects(t.request('GET', '/api/v1/namespaces'), (error: unknown) => {
      assert.equal(errorCode(error), 'ECONNREFUSED');
      return true;
    });
    const down = await t.kubectl(['get', 'namespaces', '--request-timeout=2s']);
    assert.notEqual(down.code, 0);
    assert.match(down.stderr, /connection to the server 127\.0\.0\.1:\d+ was refused/);
    await t.sandbox.faults.comeBack();
    assert.equal(t.sandbox.port, port);
    assert.equal((await t.kubectl(['get', 'namespace', 'team', '-o', 'name'])).stdout.trim(), 'namespace/team');
  });

  it('takes an outage ordered over the control API and recovers by itself', async () => {
    const ordered = await t.request('POST', '/__sandbox/outage', { body: { ms: 400 } });
    assert.equal(ordered.status, 202);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await assert.rejects(t.request('GET', '/api/v1/namespaces'));
    const deadline = Date.now() + 3000;
    let status = 0;
    while (Date.now() < deadline) {
      try {
        status = (await t.request('GET', '/api/v1/namespaces')).status;
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    assert.equal(status, 200);
  });
});
