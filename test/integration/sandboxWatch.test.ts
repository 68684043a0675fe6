// Watch semantics of the sandbox: event order and types, one global resourceVersion, resuming
// from history, 410 Expired after compaction, bookmarks, timeouts and selector transitions.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { at, startTestSandbox, type TestSandbox } from '../fixtures/sandbox/sandboxTestKit';

function configMap(name: string, data: Record<string, string>, labels?: Record<string, string>): { apiVersion: string; kind: string; metadata: Record<string, unknown>; data: Record<string, string> } {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'watched', ...(labels ? { labels } : {}) }, data };
}

describe('sandbox cluster watches', () => {
  let t: TestSandbox;

  before(async () => {
    t = await startTestSandbox({ controllers: false, bookmarkIntervalMs: 100 });
    t.sandbox.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } });
  });

  after(async () => {
    await t.close();
  });

  it('streams ADDED, MODIFIED and DELETED from the resourceVersion of a list, in order', async () => {
    const listed = (await t.request('GET', '/api/v1/namespaces/watched/configmaps')).json();
    const from = String(at(listed, 'metadata', 'resourceVersion'));
    const watch = await t.openWatch(`/api/v1/namespaces/watched/configmaps?watch=true&resourceVersion=${from}`);
    try {
      assert.equal(watch.status, 200);
      t.sandbox.store.apply(configMap('one', { a: '1' }));
      t.sandbox.store.apply(configMap('one', { a: '2' }));
      // A write to another kind in between takes the next resourceVersion too: one global counter.
      t.sandbox.store.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'watched' } });
      t.sandbox.store.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'one', namespace: 'watched' });
      await watch.waitFor((w) => w.events.length >= 3);
      assert.deepEqual(watch.events.map((event) => event.type), ['ADDED', 'MODIFIED', 'DELETED']);
      const versions = watch.events.map((event) => Number(at(event.object, 'metadata', 'resourceVersion')));
      assert.ok(versions[0] > Number(from));
      assert.equal(versions[1], versions[0] + 1);
      assert.equal(versions[2], versions[1] + 2, 'the Secret took the resourceVersion in between');
      assert.deepEqual(at(watch.events[1].object, 'data'), { a: '2' });
    } finally {
      watch.close();
    }
  });

  it('starts with the current state as ADDED events when no resourceVersion is given', async () => {
    t.sandbox.store.apply(configMap('present', { a: '1' }));
    const watch = await t.openWatch('/api/v1/namespaces/watched/configmaps?watch=1');
    try {
      await watch.waitFor((w) => w.events.length >= 1);
      assert.deepEqual(watch.events.map((event) => [event.type, at(event.object, 'metadata', 'name')]), [['ADDED', 'present']]);
    } finally {
      watch.close();
    }
  });

  it('resumes from an older resourceVersion by replaying history', async () => {
    const start = t.sandbox.store.resourceVersion;
    t.sandbox.store.apply(configMap('replayed', { a: '1' }));
    t.sandbox.store.apply(configMap('replayed', { a: '2' }));
    const watch = await t.openWatch(`/api/v1/namespaces/watched/configmaps?watch=true&resourceVersion=${start}`);
    try {
      await watch.waitFor((w) => w.events.length >= 2);
      assert.deepEqual(watch.events.map((event) => [event.type, at(event.object, 'data', 'a')]), [['ADDED', '1'], ['MODIFIED', '2']]);
    } finally {
      watch.close();
    }
  });

  it('answers a watch from a compacted resourceVersion with an ERROR event carrying 410 Expired, then ends', async () => {
    const old = t.sandbox.store.resourceVersion;
    t.sandbox.store.apply(configMap('later', { a: '1' }));
    t.sandbox.store.compact();
    const watch = await t.openWatch(`/api/v1/namespaces/watched/configmaps?watch=true&resourceVersion=${old}`);
    await watch.waitFor((w) => w.ended, 5000);
    assert.equal(watch.status, 200);
    assert.equal(watch.events.length, 1);
    assert.equal(watch.events[0].type, 'ERROR');
    assert.deepEqual(
      { kind: watch.events[0].object.kind, code: watch.events[0].object.code, reason: watch.events[0].object.reason },
      { kind: 'Status', code: 410, reason: 'Expired' },
    );
    // The same holds over the control API of a CLI-started sandbox.
    const compacted = await t.request('POST', '/__sandbox/compact');
    assert.equal(compacted.status, 200);
  });

  it('sends BOOKMARK events when allowed, and ends the stream after timeoutSeconds', async () => {
    const started = Date.now();
    const watch = await t.openWatch(`/api/v1/namespaces/watched/configmaps?watch=true&resourceVersion=${t.sandbox.store.resourceVersion}&allowWatchBookmarks=true&timeoutSeconds=1`);
    await watch.waitFor((w) => w.ended, 5000);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 900 && elapsed < 3000, `ended after ${elapsed} ms`);
    const bookmarks = watch.events.filter((event) => event.type === 'BOOKMARK');
    assert.ok(bookmarks.length >= 2, `got ${bookmarks.length} bookmarks`);
    assert.equal(bookmarks[0].object.kind, 'ConfigMap');
    assert.match(String(at(bookmarks[0].object, 'metadata', 'resourceVersion')), /^\d+$/);
  });

  it('reports objects entering and leaving a label selector as ADDED and DELETED', async () => {
    t.sandbox.store.apply(configMap('mover', { a: '1' }, { stage: 'blue' }));
    const watch = await t.openWatch(`/api/v1/namespaces/watched/configmaps?watch=true&resourceVersion=${t.sandbox.store.resourceVersion}&labelSelector=stage%3Dgreen`);
    try {
      t.sandbox.store.apply(configMap('mover', { a: '1' }, { stage: 'green' }));
      t.sandbox.store.apply(configMap('mover', { a: '2' }, { stage: 'green' }));
      t.sandbox.store.apply(configMap('mover', { a: '2' }, { stage: 'blue' }));
      await watch.waitFor((w) => w.events.length >= 3);
      assert.deepEqual(watch.events.map((event) => event.type), ['ADDED', 'MODIFIED', 'DELETED']);
    } finally {
      watch.close();
    }
  });

  it('watches a single object through its name in the path, and across namespaces', async () => {
    const single = await t.openWatch(`/api/v1/namespaces/watched/configmaps/solo?watch=true&resourceVersion=${t.sandbox.store.resourceVersion}`);
    const everywhere = await t.openWatch(`/api/v1/configmaps?watch=true&resourceVersion=${t.sandbox.store.resourceVersion}`);
    try {
      t.sandbox.store.apply(configMap('other', { a: '1' }));
      t.sandbox.store.apply(configMap('solo', { a: '1' }));
      t.sandbox.store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'elsewhere', namespace: 'default' } });
      await everywhere.waitFor((w) => w.events.length >= 3);
      await single.waitFor((w) => w.events.length >= 1);
      assert.deepEqual(single.events.map((event) => at(event.object, 'metadata', 'name')), ['solo']);
      assert.deepEqual(everywhere.events.map((event) => at(event.object, 'metadata', 'name')), ['other', 'solo', 'elsewhere']);
    } finally {
      single.close();
      everywhere.close();
    }
  });
});
