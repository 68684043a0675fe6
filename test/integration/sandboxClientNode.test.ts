// @kubernetes/client-node 1.4 (the library the extension uses) against the sandbox: kubeconfig
// loading with the generated CA and token, typed API calls, errors, and informers that survive a
// dropped watch and an expired resourceVersion.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { startTestSandbox, type TestSandbox } from '../fixtures/sandbox/sandboxTestKit';

async function eventually(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('sandbox cluster with @kubernetes/client-node', () => {
  let t: TestSandbox;
  let k8s: typeof K8s;
  let config: K8s.KubeConfig;

  before(async () => {
    // client-node is ESM-only; this test file is compiled as CommonJS.
    k8s = await import('@kubernetes/client-node');
    t = await startTestSandbox({ contextName: 'dev', namespace: 'apps' });
    config = new k8s.KubeConfig();
    config.loadFromFile(t.sandbox.kubeconfigPath);
  });

  after(async () => {
    await t.close();
  });

  it('loads the written kubeconfig and lists namespaces over TLS with the bearer token', async () => {
    assert.equal(config.getCurrentContext(), 'dev');
    assert.equal(config.getContextObject('dev')?.namespace, 'apps');
    assert.equal(config.getCurrentCluster()?.server, t.sandbox.url);
    const core = config.makeApiClient(k8s.CoreV1Api);
    const namespaces = await core.listNamespace();
    const names = namespaces.items.map((namespace) => namespace.metadata?.name).sort();
    assert.deepEqual(names, ['apps', 'default', 'kube-node-lease', 'kube-public', 'kube-system']);
    assert.match(namespaces.metadata?.resourceVersion ?? '', /^\d+$/);
  });

  it('creates, reads and patches typed objects and surfaces Status errors with their code', async () => {
    const apps = config.makeApiClient(k8s.AppsV1Api);
    const created = await apps.createNamespacedDeployment({
      namespace: 'apps',
      body: {
        metadata: { name: 'api' },
        spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:1' }] } } },
      },
    });
    assert.equal(created.spec?.strategy?.type, 'RollingUpdate');
    assert.equal(created.spec?.template.spec?.containers[0].imagePullPolicy, 'IfNotPresent');
    const patched = await apps.patchNamespacedDeployment(
      { namespace: 'apps', name: 'api', body: { spec: { replicas: 3 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.equal(patched.spec?.replicas, 3);
    const applied = await apps.patchNamespacedDeployment(
      { namespace: 'apps', name: 'api', fieldManager: 'gitops-env', force: true, dryRun: 'All', body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { replicas: 5 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply),
    );
    assert.equal(applied.spec?.replicas, 5);
    assert.equal((await apps.readNamespacedDeployment({ namespace: 'apps', name: 'api' })).spec?.replicas, 3, 'the dry run stored nothing');
    await assert.rejects(apps.readNamespacedDeployment({ namespace: 'apps', name: 'missing' }), (error: unknown) => {
      assert.ok(error instanceof k8s.ApiException);
      assert.equal(error.code, 404);
      assert.match(String(error.body), /"reason":"NotFound"/);
      return true;
    });
  });

  it('keeps an informer in sync through changes, a dropped watch and a 410 Expired resume', async () => {
    const core = config.makeApiClient(k8s.CoreV1Api);
    let lists = 0;
    const informer = k8s.makeInformer(config, '/api/v1/namespaces/apps/configmaps', () => {
      lists++;
      return core.listNamespacedConfigMap({ namespace: 'apps' });
    });
    const seen = new Map<string, string | undefined>();
    const deleted: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', (object) => seen.set(object.metadata?.name ?? '', object.data?.v));
    informer.on('update', (object) => seen.set(object.metadata?.name ?? '', object.data?.v));
    informer.on('delete', (object) => deleted.push(object.metadata?.name ?? ''));
    informer.on('error', (error) => errors.push(error));
    await informer.start();
    try {
      t.sandbox.store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', namespace: 'apps' }, data: { v: '1' } });
      await eventually(() => seen.get('c1') === '1');
      t.sandbox.store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', namespace: 'apps' }, data: { v: '2' } });
      await eventually(() => seen.get('c1') === '2');

      // The watch ends as a server timeout would; the informer re-watches from its resourceVersion,
      // which is gone after compaction, gets 410 and relists.
      t.sandbox.store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2', namespace: 'apps' }, data: { v: 'x' } });
      await eventually(() => seen.get('c2') === 'x');
      // All in one tick, before the informer can reconnect: it only learns of c2's deletion by relisting.
      assert.equal(t.sandbox.faults.dropWatches('close'), 1);
      // A write elsewhere moves the compaction point past the informer's last resourceVersion.
      t.sandbox.store.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'elsewhere', namespace: 'apps' } });
      t.sandbox.store.compact();
      t.sandbox.store.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'c2', namespace: 'apps' });
      t.sandbox.store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c3', namespace: 'apps' }, data: { v: '3' } });
      await eventually(() => seen.get('c3') === '3' && deleted.includes('c2'));
      assert.equal(lists, 2, 'one list at start, one after the 410');
      assert.deepEqual(errors, []);
    } finally {
      await informer.stop();
    }
  });

  it('streams watch events through client-node Watch, including the ERROR event of an expired resourceVersion', async () => {
    const watch = new k8s.Watch(config);
    const old = t.sandbox.store.resourceVersion;
    t.sandbox.store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w1', namespace: 'apps' } });
    t.sandbox.store.compact();
    const events: Array<[string, number | undefined]> = [];
    let finished = false;
    await watch.watch(
      '/api/v1/namespaces/apps/configmaps',
      { resourceVersion: old },
      (type, object: { code?: number }) => events.push([type, object.code]),
      () => (finished = true),
    );
    await eventually(() => finished);
    assert.deepEqual(events, [['ERROR', 410]]);
  });
});
