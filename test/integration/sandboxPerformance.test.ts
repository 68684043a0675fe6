// Scale the benchmarks rely on: 6,000 objects held, 2,000 listed well under a second (over HTTPS,
// by kubectl and by client-node), and watch events fanned out to many watchers.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { list, startTestSandbox, type TestSandbox } from '../fixtures/sandbox/sandboxTestKit';

function deployment(name: string, namespace: string): { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown> } {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name, tier: 'bench' }, annotations: { 'example.com/owner': 'bench' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: `registry.example.com/${name}:1.0.0`, ports: [{ containerPort: 8080 }], env: [{ name: 'MODE', value: 'bench' }] }] },
      },
    },
  };
}

describe('sandbox cluster at benchmark scale', () => {
  let t: TestSandbox;
  let loadMs = 0;

  before(async () => {
    t = await startTestSandbox({ controllers: false });
    for (const namespace of ['bench-a', 'bench-b', 'bench-c']) t.sandbox.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    const started = performance.now();
    for (let i = 0; i < 2000; i++) {
      t.sandbox.store.apply(deployment(`app-${i}`, 'bench-a'));
      t.sandbox.store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `config-${i}`, namespace: 'bench-b', labels: { group: String(i % 10) } }, data: { index: String(i), payload: 'x'.repeat(200) } });
      t.sandbox.store.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}`, namespace: 'bench-c' }, spec: { selector: { app: `app-${i}` }, ports: [{ port: 80, targetPort: 8080 }] } });
    }
    loadMs = performance.now() - started;
  });

  after(async () => {
    await t.close();
  });

  it('holds 6,000 objects', () => {
    const counts = [
      t.sandbox.store.list('apps/v1', 'Deployment', { namespace: 'bench-a' }).length,
      t.sandbox.store.list('v1', 'ConfigMap', { namespace: 'bench-b' }).length,
      t.sandbox.store.list('v1', 'Service', { namespace: 'bench-c' }).length,
    ];
    assert.deepEqual(counts, [2000, 2000, 2000]);
    console.log(`[sandbox bench] applied 6,000 objects in ${loadMs.toFixed(0)} ms`);
  });

  it('lists 2,000 Deployments over HTTPS in under 500 ms (best of 3)', async () => {
    const timings: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const response = await t.request('GET', '/apis/apps/v1/namespaces/bench-a/deployments');
      const items = list(response.json().items);
      timings.push(performance.now() - started);
      assert.equal(items.length, 2000);
    }
    const best = Math.min(...timings);
    console.log(`[sandbox bench] HTTPS list of 2,000 Deployments: ${timings.map((ms) => ms.toFixed(0)).join(' / ')} ms`);
    assert.ok(best < 500, `best list took ${best.toFixed(0)} ms`);
  });

  it('lists 2,000 objects through kubectl and through client-node, the client-node list within a second', async () => {
    const started = performance.now();
    const result = await t.kubectl(['get', 'configmaps', '-n', 'bench-b', '-o', 'name']);
    const kubectlMs = performance.now() - started;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim().split('\n').length, 2000);

    const k8s: typeof K8s = await import('@kubernetes/client-node');
    const config = new k8s.KubeConfig();
    config.loadFromFile(t.sandbox.kubeconfigPath);
    const core = config.makeApiClient(k8s.CoreV1Api);
    const clientStarted = performance.now();
    const services = await core.listNamespacedService({ namespace: 'bench-c' });
    const clientMs = performance.now() - clientStarted;
    assert.equal(services.items.length, 2000);
    const selected = await core.listNamespacedConfigMap({ namespace: 'bench-b', labelSelector: 'group=3' });
    assert.equal(selected.items.length, 200);
    console.log(`[sandbox bench] kubectl get 2,000: ${kubectlMs.toFixed(0)} ms (process included); client-node list 2,000: ${clientMs.toFixed(0)} ms`);
    assert.ok(clientMs < 1000, `client-node list took ${clientMs.toFixed(0)} ms`);
  });

  it('fans 500 changes out to 10 watchers, every event delivered within 5 s', async () => {
    const from = t.sandbox.store.resourceVersion;
    const watchers = await Promise.all(Array.from({ length: 10 }, () => t.openWatch(`/apis/apps/v1/namespaces/bench-a/deployments?watch=true&resourceVersion=${from}`)));
    try {
      const started = performance.now();
      for (let i = 0; i < 500; i++) {
        const changed = deployment(`app-${i}`, 'bench-a');
        changed.spec.replicas = 3;
        t.sandbox.store.apply(changed);
      }
      await Promise.all(watchers.map((watcher) => watcher.waitFor((w) => w.events.length >= 500, 10_000)));
      const elapsed = performance.now() - started;
      console.log(`[sandbox bench] 500 changes × 10 watchers delivered in ${elapsed.toFixed(0)} ms`);
      for (const watcher of watchers) assert.ok(watcher.events.every((event) => event.type === 'MODIFIED'));
      assert.ok(elapsed < 5000);
    } finally {
      for (const watcher of watchers) watcher.close();
    }
  });
});
