// The operator watcher on a sandbox cluster whose Argo CD and Flux are emulated: statuses read from
// the shared caches, actions the emulated operators act on (and the watcher then shows), warning
// Events, and a cluster without the Argo CD CRD (no Applications, no errors, found once installed).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ClusterManager } from '../../src/cluster/clusterManager';
import { argoRefresh, argoSync, fluxReconcile } from '../../src/cluster/operators/operatorActions';
import { OperatorWatcher, type OperatorWatcherChange } from '../../src/cluster/operators/operatorWatcher';
import type { OperatorObjectRef, OperatorStatus } from '../../src/core/operators/operatorTypes';
import { gitopsDefinitions } from '../../src/sandbox/gitopsDefinitions';
import { DEPLOYED_REVISION_ANNOTATION, startOperatorEmulation, type OperatorEmulation } from '../../src/sandbox/operatorEmulation';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { removeTempDirs, tempDir } from './helpers/tempGitRepo';

const SHA_1 = '1111111111111111111111111111111111111111';
const SHA_2 = '2222222222222222222222222222222222222222';
const SHA_3 = '3333333333333333333333333333333333333333';
const APP: OperatorObjectRef = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', name: 'shop-staging' };
const KS: OperatorObjectRef = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'apps' };

async function until<T>(read: () => T | undefined | false, what: string, timeoutMs = 3000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('operator watcher with emulated Argo CD and Flux', () => {
  let sandbox: SandboxHandle;
  let manager: ClusterManager;
  let watcher: OperatorWatcher;
  let emulation: OperatorEmulation;
  const changes: OperatorWatcherChange[] = [];

  const status = (kind: string, name: string): OperatorStatus | undefined => watcher.statuses().find((s) => s.ref.kind === kind && s.ref.name === name);

  before(async () => {
    sandbox = await startSandbox({ kubeconfigPath: join(tempDir('gitops-watcher-'), 'kubeconfig'), contextName: 'staging' });
    for (const name of ['argocd', 'flux-system', 'shop']) sandbox.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    sandbox.store.apply({
      apiVersion: APP.apiVersion,
      kind: 'Application',
      metadata: { name: APP.name, namespace: 'argocd', annotations: { [DEPLOYED_REVISION_ANNOTATION]: SHA_1 } },
      spec: { project: 'default', source: { repoURL: 'https://github.com/acme/gitops.git', targetRevision: 'main', path: 'envs/staging' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' } },
    });
    sandbox.store.apply({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'ssh://git@github.com/acme/gitops', ref: { branch: 'main' }, interval: '1m' } });
    sandbox.store.apply({ apiVersion: KS.apiVersion, kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: { path: './envs/staging', interval: '10m', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } });
    emulation = startOperatorEmulation(sandbox, { intervalMs: 50, revisions: { 'Kustomization/flux-system/apps': SHA_1, 'GitRepository/flux-system/flux-system': SHA_1 } });
    manager = new ClusterManager({ path: sandbox.kubeconfigPath }, { minBackoffMs: 50, maxBackoffMs: 200 });
    watcher = new OperatorWatcher(manager, 'staging', { debounceMs: 10 });
    watcher.onDidChange((c) => changes.push(c));
    await watcher.start();
  });

  after(async () => {
    emulation?.stop();
    watcher?.dispose();
    manager?.dispose();
    await sandbox?.stop();
    removeTempDirs();
  });

  it('detects both operators and reads their status from the emulated controllers', async () => {
    assert.deepEqual(watcher.detection?.operators, { argocd: true, flux: true });
    const app = await until(() => status('Application', APP.name)?.deployedSha === SHA_1 && status('Application', APP.name), 'Application status');
    assert.equal(app.sync, 'Synced');
    assert.equal(app.health.status, 'Healthy');
    assert.equal(app.context, 'staging');
    const ks = await until(() => status('Kustomization', 'apps')?.deployedSha === SHA_1 && status('Kustomization', 'apps'), 'Kustomization status');
    assert.equal(ks.deployedRevision, `main@sha1:${SHA_1}`);
    assert.equal(ks.sync, 'Synced');
    assert.equal(ks.sources[0].repoIdentity, 'github.com/acme/gitops');
    assert.equal(ks.sources[0].path, 'envs/staging');
    assert.ok(watcher.syncedAt() !== null);
  });

  it('an Application whose branch moved on is OutOfSync; a sync moves it to the new revision and removes the operation', async () => {
    emulation.setTargetRevision({ kind: 'Application', namespace: 'argocd', name: APP.name }, SHA_2);
    const outOfSync = await until(() => status('Application', APP.name)?.sync === 'OutOfSync' && status('Application', APP.name), 'OutOfSync');
    assert.equal(outOfSync.deployedSha, SHA_1);
    assert.equal(outOfSync.targetSha, SHA_2);

    changes.length = 0;
    const sent = await argoSync(manager.client('staging'), APP, { revision: SHA_2, prune: true });
    const synced = await until(() => status('Application', APP.name)?.deployedSha === SHA_2 && status('Application', APP.name), 'synced to the new revision');
    assert.equal(synced.sync, 'Synced');
    assert.equal(synced.operationPhase, 'Succeeded');
    assert.deepEqual(synced.pending, {}, 'the operation was consumed');
    const recorded = emulation.requests.filter((r) => r.type === 'sync');
    assert.deepEqual(recorded.map((r) => r.detail), [sent.requests[0].body.operation]);
    assert.ok(changes.some((c) => c.objects.some((o) => o.kind === 'Application' && o.name === APP.name)), 'the change event names the Application');
  });

  it('a hard refresh is handled and its annotation removed', async () => {
    await argoRefresh(manager.client('staging'), APP, true);
    await until(() => emulation.requests.some((r) => r.type === 'refresh' && r.detail.mode === 'hard'), 'refresh handled');
    await until(() => status('Application', APP.name)?.pending.refresh === undefined, 'annotation removed');
    const stored = sandbox.store.get({ apiVersion: APP.apiVersion, kind: 'Application', namespace: 'argocd', name: APP.name });
    assert.equal(stored?.metadata.annotations?.['argocd.argoproj.io/refresh'], undefined);
  });

  it('a Flux reconcile request is echoed in lastHandledReconcileAt and picks up the source\'s revision', async () => {
    emulation.setTargetRevision({ kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }, SHA_3);
    const now = new Date();
    await fluxReconcile(manager.client('staging'), KS, { now });
    const ks = await until(() => status('Kustomization', 'apps')?.deployedSha === SHA_3 && status('Kustomization', 'apps'), 'reconciled');
    assert.deepEqual(ks.pending, {});
    const stored = sandbox.store.get({ apiVersion: KS.apiVersion, kind: 'Kustomization', namespace: 'flux-system', name: 'apps' });
    assert.equal((stored?.status as Record<string, unknown>).lastHandledReconcileAt, now.toISOString());
  });

  it('a failing Kustomization shows its error and a warning Event in its namespace', async () => {
    emulation.setFailure({ kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }, 'Deployment/shop/web dry-run failed: spec.replicas: Invalid value: -1');
    const failing = await until(() => status('Kustomization', 'apps')?.sync === 'OutOfSync' && status('Kustomization', 'apps'), 'failure shown');
    assert.equal(failing.lastError, 'ReconciliationFailed: Deployment/shop/web dry-run failed: spec.replicas: Invalid value: -1');
    assert.equal(failing.health.status, 'Degraded');
    sandbox.store.apply({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'older', namespace: 'flux-system' }, type: 'Warning', reason: 'Old', message: 'older', involvedObject: { kind: 'Kustomization', name: 'apps', namespace: 'flux-system' }, lastTimestamp: '2020-01-01T00:00:00Z' });
    sandbox.store.apply({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'normal', namespace: 'flux-system' }, type: 'Normal', reason: 'Progressing', message: 'fine', involvedObject: { kind: 'Kustomization', name: 'apps', namespace: 'flux-system' } });
    const warnings = await watcher.recentWarnings(['flux-system'], 5);
    assert.deepEqual(
      warnings.map((w) => [w.reason, w.involvedObject.name]),
      [
        ['ReconciliationFailed', 'apps'],
        ['Old', 'apps'],
      ],
    );
    assert.equal(warnings[0].source, 'kustomize-controller');
    emulation.setFailure({ kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }, null);
    await until(() => status('Kustomization', 'apps')?.sync === 'Synced', 'recovered');
  });

  it('a cluster without the Argo CD CRD has no Applications and no errors; once installed, they appear', async () => {
    const crd = gitopsDefinitions().find((d) => d.metadata.name === 'applications.argoproj.io');
    assert.ok(crd);
    sandbox.store.delete({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'applications.argoproj.io' });
    const fresh = new ClusterManager({ path: sandbox.kubeconfigPath }, { minBackoffMs: 50, maxBackoffMs: 200 });
    const plain = new OperatorWatcher(fresh, 'staging');
    try {
      await plain.start();
      assert.equal(plain.detectionError, null);
      assert.deepEqual(plain.detection?.operators, { argocd: false, flux: true });
      assert.ok(plain.statuses().every((s) => s.operator === 'flux'));
      const kinds = fresh.caches('staging').map((c) => c.gvk.kind);
      assert.ok(!kinds.includes('Application'), `no cache for a kind the cluster does not serve (${kinds.join(', ')})`);
      assert.ok(fresh.caches('staging').every((c) => c.state === 'synced'), 'no cache in error');

      sandbox.store.apply(crd);
      sandbox.store.apply({ apiVersion: APP.apiVersion, kind: 'Application', metadata: { name: 'late', namespace: 'argocd' }, spec: { source: { repoURL: 'https://github.com/acme/gitops.git', path: 'envs/dev' }, destination: {} } });
      await plain.start();
      assert.equal(plain.detection?.operators.argocd, true);
      await until(() => plain.statuses().some((s) => s.ref.name === 'late'), 'Application found after the CRD was installed');
    } finally {
      plain.dispose();
      fresh.dispose();
    }
  });
});
