// Each action's exact request, against the sandbox API server: what was sent (returned by the
// action) and what the cluster then holds (read back through the store). No operator runs here, so
// nothing consumes the requests before they are checked.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ClusterManager } from '../../src/cluster/clusterManager';
import type { KubeClient } from '../../src/cluster/kubeClient';
import { argoRefresh, argoSync, fluxReconcile, fluxSetSuspended, OperatorActionError } from '../../src/cluster/operators/operatorActions';
import type { OperatorObjectRef } from '../../src/core/operators/operatorTypes';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { removeTempDirs, tempDir } from './helpers/tempGitRepo';

const APP: OperatorObjectRef = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', name: 'shop-staging' };
const KS: OperatorObjectRef = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'apps' };
const REPO: OperatorObjectRef = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' };

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<OperatorActionError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OperatorActionError, `expected OperatorActionError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected a rejection with code ${code}`);
}

describe('operator actions, as requests to the API server', () => {
  let sandbox: SandboxHandle;
  let manager: ClusterManager;
  let client: KubeClient;

  before(async () => {
    sandbox = await startSandbox({ kubeconfigPath: join(tempDir('gitops-actions-'), 'kubeconfig'), contextName: 'actions' });
    for (const name of ['argocd', 'flux-system']) sandbox.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    manager = new ClusterManager({ path: sandbox.kubeconfigPath });
    client = manager.client('actions');
  });

  after(async () => {
    manager?.dispose();
    await sandbox?.stop();
    removeTempDirs();
  });

  function resetApplication(extra: Record<string, unknown> = {}): void {
    sandbox.store.delete({ apiVersion: APP.apiVersion, kind: 'Application', namespace: 'argocd', name: APP.name });
    sandbox.store.apply({
      apiVersion: APP.apiVersion,
      kind: 'Application',
      metadata: { name: APP.name, namespace: 'argocd' },
      spec: {
        project: 'default',
        source: { repoURL: 'https://github.com/acme/gitops.git', targetRevision: 'main', path: 'envs/staging' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
        syncPolicy: { syncOptions: ['CreateNamespace=true'], retry: { limit: 2 } },
      },
      status: { operationState: { phase: 'Succeeded', message: 'old sync' }, sync: { status: 'OutOfSync' } },
      ...extra,
    });
  }

  it('Argo CD sync sets the operation Argo\'s API server would set, clears the old operation state, and guards the version read', async () => {
    resetApplication();
    const before = sandbox.store.get({ apiVersion: APP.apiVersion, kind: 'Application', namespace: 'argocd', name: APP.name });
    const result = await argoSync(client, APP, { revision: 'c0ffee0', prune: true, dryRun: true });
    assert.deepEqual(result.requests, [
      {
        method: 'PATCH',
        path: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/shop-staging',
        contentType: 'application/merge-patch+json',
        body: {
          metadata: { resourceVersion: before?.metadata.resourceVersion },
          operation: {
            initiatedBy: { username: 'gitops-environments' },
            sync: { revision: 'c0ffee0', prune: true, dryRun: true, syncStrategy: { hook: {} }, syncOptions: ['CreateNamespace=true'] },
            retry: { limit: 2 },
          },
          status: { operationState: null },
        },
      },
    ]);
    const stored = sandbox.store.get({ apiVersion: APP.apiVersion, kind: 'Application', namespace: 'argocd', name: APP.name });
    assert.deepEqual(stored?.operation, result.requests[0].body.operation);
    const status = stored?.status as Record<string, unknown>;
    assert.equal(status.operationState, undefined, 'the previous operation state is cleared');
    assert.deepEqual(status.sync, { status: 'OutOfSync' }, 'the rest of the status is left alone');
    assert.deepEqual((result.object as { operation?: unknown }).operation, result.requests[0].body.operation);
  });

  it('Argo CD sync with the apply strategy, force and a resource subset', async () => {
    resetApplication();
    const result = await argoSync(client, APP, { strategy: 'apply', force: true, resources: [{ kind: 'Deployment', group: 'apps', name: 'web', namespace: 'shop' }, { kind: 'ConfigMap', name: 'cfg' }], syncOptions: [], username: 'alice' });
    assert.deepEqual(result.requests[0].body.operation, {
      initiatedBy: { username: 'alice' },
      sync: { syncStrategy: { apply: { force: true } }, resources: [{ group: 'apps', kind: 'Deployment', name: 'web', namespace: 'shop' }, { kind: 'ConfigMap', name: 'cfg' }] },
      retry: { limit: 2 },
    });
  });

  it('Argo CD sync refuses while another operation is set, and names a missing Application notFound', async () => {
    resetApplication({ operation: { sync: {}, initiatedBy: { username: 'bob' } } });
    const error = await rejectsWith(argoSync(client, APP), 'operationInProgress');
    assert.match(error.message, /another operation is already in progress/);
    assert.ok(error.hint.length > 0);
    await rejectsWith(argoSync(client, { ...APP, name: 'no-such-app' }), 'notFound');
    await rejectsWith(argoSync(client, KS), 'unsupported');
  });

  it('Argo CD refresh and hard refresh set the refresh annotation', async () => {
    resetApplication();
    const normal = await argoRefresh(client, APP);
    assert.deepEqual(normal.requests.map((r) => r.body), [{ metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } }]);
    const hard = await argoRefresh(client, APP, true);
    assert.deepEqual(hard.requests[0].body, { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'hard' } } });
    const stored = sandbox.store.get({ apiVersion: APP.apiVersion, kind: 'Application', namespace: 'argocd', name: APP.name });
    assert.equal(stored?.metadata.annotations?.['argocd.argoproj.io/refresh'], 'hard');
  });

  it('Flux reconcile sets requestedAt (RFC 3339), on the source first with withSource; suspended objects are refused', async () => {
    sandbox.store.apply({ apiVersion: REPO.apiVersion, kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'ssh://git@github.com/acme/gitops', ref: { branch: 'main' }, interval: '1m' } });
    sandbox.store.apply({ apiVersion: KS.apiVersion, kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: { path: './apps', interval: '10m', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } });
    const now = new Date('2025-03-04T05:06:07.089Z');
    const result = await fluxReconcile(client, KS, { now, withSource: true });
    const body = { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': '2025-03-04T05:06:07.089Z' } } };
    assert.deepEqual(result.requests, [
      { method: 'PATCH', path: '/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/flux-system', contentType: 'application/merge-patch+json', body },
      { method: 'PATCH', path: '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps', contentType: 'application/merge-patch+json', body },
    ]);
    for (const ref of [KS, REPO]) {
      const stored = sandbox.store.get({ apiVersion: ref.apiVersion, kind: ref.kind, namespace: 'flux-system', name: ref.name });
      assert.equal(stored?.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'], '2025-03-04T05:06:07.089Z', ref.kind);
    }
    const plain = await fluxReconcile(client, REPO);
    const value = (plain.requests[0].body.metadata as { annotations: Record<string, string> }).annotations['reconcile.fluxcd.io/requestedAt'];
    assert.match(value, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

    await fluxSetSuspended(client, KS, true);
    await rejectsWith(fluxReconcile(client, KS), 'suspended');
    await rejectsWith(fluxReconcile(client, APP), 'unsupported');
  });

  it('Flux suspend and resume patch spec.suspend only', async () => {
    const suspend = await fluxSetSuspended(client, KS, true);
    assert.deepEqual(suspend.requests[0].body, { spec: { suspend: true } });
    assert.equal((suspend.object.spec as Record<string, unknown>).suspend, true);
    const resume = await fluxSetSuspended(client, KS, false);
    assert.deepEqual(resume.requests[0].body, { spec: { suspend: false } });
    const stored = sandbox.store.get({ apiVersion: KS.apiVersion, kind: 'Kustomization', namespace: 'flux-system', name: 'apps' });
    assert.equal((stored?.spec as Record<string, unknown>).suspend, false);
    assert.equal((stored?.spec as Record<string, unknown>).path, './apps');
  });

  it('a cluster that is down gives a typed unreachable error at once', async () => {
    await sandbox.faults.goAway();
    try {
      const started = Date.now();
      await rejectsWith(argoRefresh(client, APP, false, { timeoutMs: 2000 }), 'unreachable');
      assert.ok(Date.now() - started < 1000);
    } finally {
      await sandbox.faults.comeBack();
    }
  });
});
