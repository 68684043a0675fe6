// Reading Argo CD and Flux objects' own reports: sync status, health, deployed revision, last sync,
// last error as a sentence, suspended, and where each object reads its manifests.
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { assessHealth } from '../../src/core/health/assessHealth';
import { argoApplicationStatus } from '../../src/core/operators/argoStatus';
import { readOperatorStatuses } from '../../src/core/operators/operatorStatus';
import { parseRevision, shortSha } from '../../src/core/operators/revision';
import { recentWarningEvents } from '../../src/core/operators/warningEvents';
import { requireSharedFixture } from '../support/requirePresent';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);
const SHA_C = 'c'.repeat(40);

describe('revisions as Argo CD and Flux write them', () => {
  it('takes the ref and commit out of Flux v2, legacy Flux and Argo forms', () => {
    assert.deepEqual(parseRevision(`main@sha1:${SHA_A}`), { ref: 'main', sha: SHA_A });
    assert.deepEqual(parseRevision(`refs/heads/env/prod@sha1:${SHA_A.toUpperCase()}`), { ref: 'refs/heads/env/prod', sha: SHA_A });
    assert.deepEqual(parseRevision(`sha1:${SHA_B}`), { ref: null, sha: SHA_B });
    assert.deepEqual(parseRevision(`main/${SHA_C}`), { ref: 'main', sha: SHA_C });
    assert.deepEqual(parseRevision(SHA_C), { ref: null, sha: SHA_C });
  });

  it('never takes an OCI digest or a chart version for a commit', () => {
    assert.deepEqual(parseRevision(`latest@sha256:${'d'.repeat(64)}`), { ref: 'latest', sha: null });
    assert.deepEqual(parseRevision('6.5.1'), { ref: '6.5.1', sha: null });
    assert.deepEqual(parseRevision(''), { ref: null, sha: null });
    assert.deepEqual(parseRevision(null), { ref: null, sha: null });
    // A Git repository in SHA-256 format, when the caller knows the source is Git.
    assert.equal(parseRevision(`main@sha256:${'e'.repeat(64)}`, { sha256IsCommit: true }).sha, 'e'.repeat(64));
    assert.equal(shortSha(SHA_A), 'aaaaaaa');
  });
});

function application(overrides: { spec?: Record<string, unknown>; status?: Record<string, unknown>; metadata?: Record<string, unknown>; operation?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop-staging', namespace: 'argocd', ...overrides.metadata },
    spec: {
      project: 'default',
      source: { repoURL: 'https://oauth2:ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/acme/gitops.git', targetRevision: 'main', path: './envs/staging/' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
      syncPolicy: { automated: { prune: true } },
      ...overrides.spec,
    },
    ...(overrides.operation ? { operation: overrides.operation } : {}),
    status: overrides.status ?? {},
  };
}

describe('Argo CD Applications', () => {
  it('a Synced Application deployed the revision it compared against, and reports its health and last sync', () => {
    const status = argoApplicationStatus(
      application({
        status: {
          sync: { status: 'Synced', revision: SHA_A },
          health: { status: 'Healthy' },
          operationState: { phase: 'Succeeded', finishedAt: '2025-01-02T03:04:05Z', syncResult: { revision: SHA_A } },
        },
      }),
      'mgmt',
    );
    assert.equal(status.operator, 'argocd');
    assert.deepEqual(status.ref, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', name: 'shop-staging' });
    assert.equal(status.context, 'mgmt');
    assert.equal(status.sync, 'Synced');
    assert.deepEqual(status.health, { status: 'Healthy' });
    assert.equal(status.deployedSha, SHA_A);
    assert.equal(status.lastSyncTime, '2025-01-02T03:04:05Z');
    assert.equal(status.lastError, null);
    assert.equal(status.autoSync, true);
    assert.equal(status.suspended, false);
    assert.deepEqual(status.destination, { server: 'https://kubernetes.default.svc', name: null, namespace: 'shop' });
    // The token in the repo URL never reaches the status; the identity compares across spellings.
    assert.deepEqual(status.sources, [{ url: 'https://oauth2@github.com/acme/gitops.git', repoIdentity: 'github.com/acme/gitops', revision: 'main', branch: 'main', path: 'envs/staging' }]);
  });

  it('an OutOfSync Application deployed what its history says, not what Git says now', () => {
    const status = argoApplicationStatus(
      application({
        status: {
          sync: { status: 'OutOfSync', revision: SHA_B },
          health: { status: 'Healthy' },
          history: [
            { id: 0, revision: SHA_C, deployedAt: '2025-01-01T00:00:00Z' },
            { id: 1, revision: SHA_A, deployedAt: '2025-01-02T00:00:00Z' },
          ],
        },
      }),
    );
    assert.equal(status.sync, 'OutOfSync');
    assert.equal(status.deployedSha, SHA_A);
    assert.equal(status.targetSha, SHA_B);
    assert.equal(status.lastSyncTime, '2025-01-02T00:00:00Z');
  });

  it('a dry-run sync deploys nothing; without history the deployed revision is unknown', () => {
    const status = argoApplicationStatus(
      application({ status: { sync: { status: 'OutOfSync', revision: SHA_B }, operationState: { phase: 'Succeeded', operation: { sync: { dryRun: true } }, syncResult: { revision: SHA_B } } } }),
    );
    assert.equal(status.deployedRevision, null);
  });

  it('the last error is a sentence: a failed sync first, then error conditions, then degraded health', () => {
    const failed = argoApplicationStatus(
      application({
        status: {
          sync: { status: 'OutOfSync', revision: SHA_A },
          operationState: { phase: 'Failed', message: 'one or more objects failed to apply, reason: Deployment.apps "web" is invalid:\n spec.replicas: must be >= 0' },
          conditions: [{ type: 'ComparisonError', message: 'rpc error' }],
        },
      }),
    );
    assert.equal(failed.lastError, 'Sync failed: one or more objects failed to apply, reason: Deployment.apps "web" is invalid: spec.replicas: must be >= 0');
    assert.equal(failed.operationPhase, 'Failed');
    const comparison = argoApplicationStatus(application({ status: { conditions: [{ type: 'SyncWarning', message: 'w' }, { type: 'ComparisonError', message: 'Failed to load target state: repository not found' }] } }));
    assert.equal(comparison.lastError, 'ComparisonError: Failed to load target state: repository not found');
    const degraded = argoApplicationStatus(application({ status: { health: { status: 'Degraded', message: 'Deployment "web" exceeded its progress deadline' } } }));
    assert.equal(degraded.lastError, 'Degraded: Deployment "web" exceeded its progress deadline');
    assert.equal(argoApplicationStatus(application({ status: { conditions: [{ type: 'SharedResourceWarning', message: 'shared' }] } })).lastError, 'SharedResourceWarning: shared');
  });

  it('masks a token an error message quotes', () => {
    const status = argoApplicationStatus(application({ status: { conditions: [{ type: 'ComparisonError', message: 'clone https://bot:s3cr3t-t0ken@git.example.com/x.git failed' }] } }));
    assert.ok(!status.lastError?.includes('s3cr3t-t0ken'), status.lastError ?? '');
  });

  it('names the ApplicationSet that generated it, and requests Argo has not handled yet', () => {
    const status = argoApplicationStatus(
      application({
        metadata: { ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', name: 'shop', controller: true }], annotations: { 'argocd.argoproj.io/refresh': 'hard' } },
        operation: { sync: { revision: SHA_A }, initiatedBy: { username: 'me' } },
        spec: { syncPolicy: { automated: { enabled: false } } },
      }),
    );
    assert.deepEqual(status.generatedBy, { kind: 'ApplicationSet', namespace: 'argocd', name: 'shop' });
    assert.deepEqual(status.pending, { refresh: 'hard', operation: true });
    assert.equal(status.operationPhase, 'Requested');
    assert.equal(status.autoSync, false);
  });

  it('a multi-source Application: the Git folder is the primary source, its revision is read at its index', () => {
    const status = argoApplicationStatus(
      application({
        spec: {
          source: undefined,
          sources: [
            { repoURL: 'https://charts.example.com', chart: 'web', targetRevision: '1.2.3' },
            { repoURL: 'git@github.com:acme/values.git', targetRevision: 'main', ref: 'values' },
            { repoURL: 'git@github.com:acme/gitops.git', targetRevision: 'env/prod', path: 'apps/prod' },
          ],
        },
        status: { sync: { status: 'Synced', revisions: ['1.2.3', SHA_B, SHA_A] } },
      }),
    );
    assert.equal(status.sources[0].path, 'apps/prod');
    assert.equal(status.sources[0].branch, 'env/prod');
    assert.equal(status.sources[0].repoIdentity, 'github.com/acme/gitops');
    assert.equal(status.sources.length, 3);
    assert.equal(status.deployedSha, SHA_A);
  });

  it('an Application never reconciled is Progressing with Unknown sync', () => {
    const status = argoApplicationStatus(application());
    assert.equal(status.sync, 'Unknown');
    assert.equal(status.health.status, 'Progressing');
    assert.equal(status.deployedRevision, null);
  });
});

const KS = 'kustomize.toolkit.fluxcd.io/v1';
const SRC = 'source.toolkit.fluxcd.io/v1';

function gitRepository(ref: Record<string, unknown> | null = { branch: 'main' }): Record<string, unknown> {
  return {
    apiVersion: SRC,
    kind: 'GitRepository',
    metadata: { name: 'flux-system', namespace: 'flux-system' },
    spec: { url: 'ssh://git@github.com/acme/gitops', ...(ref ? { ref } : {}) },
    status: {
      artifact: { revision: `main@sha1:${SHA_B}`, lastUpdateTime: '2025-02-01T10:00:00Z' },
      conditions: [
        { type: 'Ready', status: 'True', reason: 'Succeeded', message: 'stored artifact' },
        { type: 'ArtifactInStorage', status: 'True', reason: 'Succeeded', message: 'stored artifact' },
      ],
    },
  };
}

function kustomization(status: Record<string, unknown>, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: KS,
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system', ...metadata },
    spec: { interval: '10m', path: './clusters/staging/apps', sourceRef: { kind: 'GitRepository', name: 'flux-system' }, prune: true, ...spec },
    status,
  };
}

const ready = (status: string, reason: string, message = ''): Record<string, string> => ({ type: 'Ready', status, reason, message, lastTransitionTime: '2025-02-01T10:01:00Z' });

describe('Flux objects', () => {
  it('a Ready Kustomization is Synced, deployed its last applied revision, and reads its GitRepository', () => {
    const [status] = readOperatorStatuses(
      [kustomization({ lastAppliedRevision: `main@sha1:${SHA_A}`, lastAttemptedRevision: `main@sha1:${SHA_A}`, conditions: [ready('True', 'ReconciliationSucceeded', `Applied revision: main@sha1:${SHA_A}`)] }), gitRepository()],
      'staging',
    );
    assert.equal(status.operator, 'flux');
    assert.equal(status.ref.kind, 'Kustomization');
    assert.equal(status.sync, 'Synced');
    assert.deepEqual(status.health, { status: 'Healthy', message: 'ReconciliationSucceeded' });
    assert.equal(status.deployedRevision, `main@sha1:${SHA_A}`);
    assert.equal(status.deployedSha, SHA_A);
    assert.equal(status.lastSyncTime, '2025-02-01T10:01:00Z');
    assert.equal(status.lastError, null);
    assert.deepEqual(status.sources, [
      { url: 'ssh://git@github.com/acme/gitops', repoIdentity: 'github.com/acme/gitops', revision: 'main', branch: 'main', path: 'clusters/staging/apps', sourceRef: { kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' } },
    ]);
  });

  it('a failing Kustomization is OutOfSync, with the Ready reason and message as its last error', () => {
    const [status] = readOperatorStatuses([
      kustomization({
        lastAppliedRevision: `main@sha1:${SHA_A}`,
        lastAttemptedRevision: `main@sha1:${SHA_B}`,
        conditions: [ready('False', 'ReconciliationFailed', 'Deployment/shop/web dry-run failed:\nspec.replicas: Invalid value: -1')],
      }),
    ]);
    assert.equal(status.sync, 'OutOfSync');
    assert.equal(status.health.status, 'Degraded');
    assert.equal(status.deployedSha, SHA_A);
    assert.equal(status.targetSha, SHA_B);
    assert.equal(status.lastError, 'ReconciliationFailed: Deployment/shop/web dry-run failed: spec.replicas: Invalid value: -1');
    // Without its GitRepository among the objects, the repository is unknown (not guessed).
    assert.equal(status.sources[0].url, null);
  });

  it('a Stalled condition wins as the last error; a reconciling object is Unknown and Progressing', () => {
    const [stalled] = readOperatorStatuses([kustomization({ conditions: [ready('False', 'BuildFailed', 'kustomize build failed'), { type: 'Stalled', status: 'True', reason: 'BuildFailed', message: 'accumulating resources: missing.yaml' }] })]);
    assert.equal(stalled.lastError, 'Stalled (BuildFailed): accumulating resources: missing.yaml');
    const [reconciling] = readOperatorStatuses([kustomization({ conditions: [ready('Unknown', 'Progressing', 'Reconciliation in progress'), { type: 'Reconciling', status: 'True', reason: 'Progressing', message: '' }] })]);
    assert.equal(reconciling.sync, 'Unknown');
    assert.equal(reconciling.health.status, 'Progressing');
  });

  it('a suspended Kustomization says so; a pending reconcile request is reported until Flux echoes it', () => {
    const [suspended] = readOperatorStatuses([kustomization({ conditions: [ready('True', 'ReconciliationSucceeded')] }, { suspend: true })]);
    assert.equal(suspended.suspended, true);
    assert.equal(suspended.autoSync, false);
    assert.equal(suspended.health.status, 'Suspended');
    const [pending] = readOperatorStatuses([kustomization({ lastHandledReconcileAt: '2025-01-01T00:00:00Z' }, {}, { annotations: { 'reconcile.fluxcd.io/requestedAt': '2025-03-01T00:00:00Z' } })]);
    assert.deepEqual(pending.pending, { reconcileRequestedAt: '2025-03-01T00:00:00Z' });
    const [handled] = readOperatorStatuses([kustomization({ lastHandledReconcileAt: '2025-03-01T00:00:00Z' }, {}, { annotations: { 'reconcile.fluxcd.io/requestedAt': '2025-03-01T00:00:00Z' } })]);
    assert.deepEqual(handled.pending, {});
  });

  it('a HelmRelease deployed a chart version (no commit) and names the Kustomization that applied it', () => {
    const [release] = readOperatorStatuses([
      {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'podinfo', namespace: 'podinfo', labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' } },
        spec: { chart: { spec: { chart: 'podinfo', version: '6.x', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } },
        status: {
          history: [{ chartVersion: '6.5.4', status: 'deployed', lastDeployed: '2025-02-03T00:00:00Z' }],
          lastAttemptedRevision: '6.5.4',
          conditions: [ready('True', 'UpgradeSucceeded'), { type: 'Released', status: 'True', reason: 'UpgradeSucceeded', message: '' }],
        },
      },
      { apiVersion: SRC, kind: 'HelmRepository', metadata: { name: 'podinfo', namespace: 'podinfo' }, spec: { url: 'https://stefanprodan.github.io/podinfo' } },
    ]);
    assert.equal(release.sync, 'Synced');
    assert.equal(release.health.status, 'Healthy');
    assert.equal(release.deployedRevision, '6.5.4');
    assert.equal(release.deployedSha, null);
    assert.equal(release.lastSyncTime, '2025-02-03T00:00:00Z');
    assert.deepEqual(release.appliedBy, { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' });
    assert.equal(release.sources[0].chart, 'podinfo');
    assert.equal(release.sources[0].url, 'https://stefanprodan.github.io/podinfo');
  });

  it('sources: a GitRepository reports the fetched revision; an OCIRepository digest is not a commit', () => {
    const [git] = readOperatorStatuses([gitRepository()]);
    assert.equal(git.sync, 'Synced');
    assert.equal(git.health.status, 'Healthy');
    assert.equal(git.deployedSha, SHA_B);
    assert.equal(git.lastSyncTime, '2025-02-01T10:00:00Z');
    assert.equal(git.sources[0].branch, 'main');
    // No ref: Flux follows master.
    assert.equal(readOperatorStatuses([gitRepository(null)])[0].sources[0].branch, 'master');
    assert.equal(readOperatorStatuses([gitRepository({ tag: 'v1.0.0' })])[0].sources[0].branch, null);
    const [oci] = readOperatorStatuses([
      { apiVersion: 'source.toolkit.fluxcd.io/v1beta2', kind: 'OCIRepository', metadata: { name: 'manifests', namespace: 'flux-system' }, spec: { url: 'oci://ghcr.io/acme/manifests', ref: { tag: 'latest' } }, status: { artifact: { revision: `latest@sha256:${'f'.repeat(64)}` }, conditions: [ready('True', 'Succeeded')] } },
    ]);
    assert.equal(oci.deployedSha, null);
    assert.equal(oci.sources[0].revision, 'latest');
    assert.equal(oci.sources[0].repoIdentity, 'ghcr.io/acme/manifests');
  });

  it('objects that are not operator objects are skipped', () => {
    assert.deepEqual(readOperatorStatuses([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, { apiVersion: 'app.k8s.io/v1beta1', kind: 'Application', metadata: { name: 'y' } }]), []);
  });
});

describe('health conformance of operator objects', () => {
  test('Argo CD Applications: no built-in health (EXPECTED.tsv says none), but the reported health is shown', async (t) => {
    const dir = requireSharedFixture(t, 'argo-health');
    if (!dir) return;
    const expected = new Map(
      readFileSync(join(dir, 'EXPECTED.tsv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split('\t') as [string, string]),
    );
    for (const file of ['application-healthy.yaml', 'application-degraded.yaml']) {
      const object = parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
      assert.equal(expected.get(file), 'none');
      assert.equal(assessHealth(object), null, file);
      const reported = ((object.status as Record<string, unknown>).health as Record<string, string>).status;
      assert.equal(argoApplicationStatus(object).health.status, reported, file);
    }
  });

  test('Flux objects: the status carries exactly the health Argo CD\'s Flux scripts give them', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [kustomization({ conditions: [ready('True', 'ReconciliationSucceeded')] }), 'Healthy'],
      [kustomization({ conditions: [ready('False', 'HealthCheckFailed')] }), 'Degraded'],
      [kustomization({ conditions: [ready('Unknown', 'Progressing'), { type: 'Reconciling', status: 'True', reason: 'Progressing', message: '' }] }), 'Progressing'],
      [kustomization({}), 'Progressing'],
      [kustomization({ conditions: [ready('True', 'x')] }, { suspend: true }), 'Suspended'],
      [gitRepository(), 'Healthy'],
    ];
    for (const [object, health] of cases) {
      const [status] = readOperatorStatuses([object]);
      assert.equal(status.health.status, health);
      assert.deepEqual(status.health, assessHealth(object));
    }
  });
});

describe('warning Events', () => {
  const event = (name: string, type: string, time: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'shop' },
    type,
    reason: 'BackOff',
    message: `Back-off pulling image ${name}`,
    involvedObject: { kind: 'Pod', name: `web-${name}`, namespace: 'shop' },
    lastTimestamp: time,
    count: 3,
    source: { component: 'kubelet' },
    ...extra,
  });

  it('keeps warnings only, newest first, bounded, with the count and reporter', () => {
    const events = [
      event('a', 'Warning', '2025-01-01T00:00:01Z'),
      event('b', 'Normal', '2025-01-01T00:00:09Z'),
      event('c', 'Warning', '2025-01-01T00:00:05Z'),
      event('d', 'Warning', '2025-01-01T00:00:03Z', { metadata: { name: 'd', namespace: 'other' } }),
      event('e', 'Warning', '', { lastTimestamp: undefined, series: { count: 7, lastObservedTime: '2025-01-01T00:00:07Z' } }),
    ];
    const warnings = recentWarningEvents(events, { namespaces: ['shop'], limit: 2 });
    assert.deepEqual(
      warnings.map((w) => [w.involvedObject.name, w.lastSeen, w.count]),
      [
        ['web-e', '2025-01-01T00:00:07Z', 7],
        ['web-c', '2025-01-01T00:00:05Z', 3],
      ],
    );
    assert.equal(warnings[0].source, 'kubelet');
    assert.equal(recentWarningEvents(events).length, 4);
  });
});
