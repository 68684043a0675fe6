// The operators' own objects: Argo CD Application and Workflow, Flux Kustomization, HelmRelease and sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessHealth } from '../../src/core/health/assessHealth';
import { applicationReportedHealth } from '../../src/core/health/argoHealth';

function application(health?: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'shop-prod', namespace: 'argocd' }, status: health ? { health } : {} };
}

test('assessHealth gives an Argo CD Application no health, as Argo CD does since 1.8', () => {
  assert.equal(assessHealth(application({ status: 'Degraded' })), null);
});

test('applicationReportedHealth reads what the Application reports in status.health', () => {
  assert.deepEqual(applicationReportedHealth(application({ status: 'Degraded', message: 'web: back-off' })), { status: 'Degraded', message: 'web: back-off' });
  assert.deepEqual(applicationReportedHealth(application({ status: 'Healthy' })), { status: 'Healthy' });
});

test('applicationReportedHealth: an Application not reconciled yet is Progressing; a code it does not know is Unknown', () => {
  assert.deepEqual(applicationReportedHealth(application()), { status: 'Progressing', message: 'Waiting for application to be reconciled' });
  assert.equal(applicationReportedHealth(application({ status: 'Exploded' }))?.status, 'Unknown');
});

test('applicationReportedHealth ignores objects that are not Argo CD Applications', () => {
  assert.equal(applicationReportedHealth({ apiVersion: 'app.k8s.io/v1beta1', kind: 'Application', metadata: { name: 'x' } }), null);
  assert.equal(applicationReportedHealth({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } }), null);
});

test('an Argo Workflow follows its phase', () => {
  const workflow = (phase?: string): Record<string, unknown> => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'w' }, status: phase ? { phase, message: 'm' } : {} });
  assert.equal(assessHealth(workflow())?.status, 'Progressing');
  assert.equal(assessHealth(workflow('Running'))?.status, 'Progressing');
  assert.equal(assessHealth(workflow('Succeeded'))?.status, 'Healthy');
  assert.equal(assessHealth(workflow('Failed'))?.status, 'Degraded');
  assert.equal(assessHealth(workflow('Error'))?.status, 'Degraded');
  assert.equal(assessHealth(workflow('Weird'))?.status, 'Unknown');
});

function flux(apiVersion: string, kind: string, conditions?: Array<Record<string, string>>, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion, kind, metadata: { name: 'apps', namespace: 'flux-system' }, spec, ...(conditions ? { status: { conditions } } : {}) };
}

const KS = 'kustomize.toolkit.fluxcd.io/v1';
const HR = 'helm.toolkit.fluxcd.io/v2';
const SRC = 'source.toolkit.fluxcd.io/v1';

test('a Flux Kustomization is Healthy when Ready, Degraded when not, with the Ready reason', () => {
  assert.deepEqual(assessHealth(flux(KS, 'Kustomization', [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' }])), {
    status: 'Healthy',
    message: 'ReconciliationSucceeded',
  });
  const stalled = [{ type: 'Ready', status: 'False', reason: 'BuildFailed' }, { type: 'Stalled', status: 'True', reason: 'BuildFailed' }];
  assert.deepEqual(assessHealth(flux(KS, 'Kustomization', stalled)), { status: 'Degraded', message: 'BuildFailed' });
});

test('a Flux object is Progressing only while Ready is Unknown and Reconciling is True', () => {
  const reconciling = [{ type: 'Ready', status: 'Unknown', reason: 'Progressing' }, { type: 'Reconciling', status: 'True', reason: 'Progressing' }];
  assert.deepEqual(assessHealth(flux(KS, 'Kustomization', reconciling)), { status: 'Progressing', message: 'Progressing' });
  // Argo's script: Ready Unknown alone is not enough for Progressing.
  assert.equal(assessHealth(flux(KS, 'Kustomization', [{ type: 'Ready', status: 'Unknown', reason: 'Progressing' }]))?.status, 'Degraded');
});

test('a Flux object with spec.suspend is Suspended whatever its conditions say', () => {
  const ready = [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' }];
  assert.deepEqual(assessHealth(flux(KS, 'Kustomization', ready, { suspend: true })), { status: 'Suspended', message: 'Kustomization is suspended' });
  assert.equal(assessHealth(flux(HR, 'HelmRelease', ready, { suspend: true }))?.status, 'Suspended');
  assert.equal(assessHealth(flux(SRC, 'GitRepository', ready, { suspend: true }))?.status, 'Suspended');
});

test('a Flux object without status conditions is Progressing ("Status unknown")', () => {
  assert.deepEqual(assessHealth(flux(KS, 'Kustomization')), { status: 'Progressing', message: 'Status unknown' });
});

test('a HelmRelease needs Ready and Released to be Healthy', () => {
  const ready = { type: 'Ready', status: 'True', reason: 'InstallSucceeded' };
  assert.equal(assessHealth(flux(HR, 'HelmRelease', [ready, { type: 'Released', status: 'True', reason: 'InstallSucceeded' }]))?.status, 'Healthy');
  assert.equal(assessHealth(flux(HR, 'HelmRelease', [ready]))?.status, 'Degraded');
});

test('Flux sources need Ready and ArtifactInStorage; ArtifactOutdated adds its reason', () => {
  const inStorage = { type: 'ArtifactInStorage', status: 'True', reason: 'Succeeded' };
  for (const kind of ['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket']) {
    assert.equal(assessHealth(flux(SRC, kind, [{ type: 'Ready', status: 'True', reason: 'Succeeded' }, inStorage]))?.status, 'Healthy', kind);
    assert.equal(assessHealth(flux(SRC, kind, [{ type: 'Ready', status: 'True', reason: 'Succeeded' }]))?.status, 'Degraded', kind);
  }
  const outdated = [{ type: 'Ready', status: 'False', reason: 'GitOperationFailed' }, { type: 'ArtifactOutdated', status: 'True', reason: 'NewRevision' }];
  assert.deepEqual(assessHealth(flux(SRC, 'GitRepository', outdated)), { status: 'Degraded', message: 'GitOperationFailed NewRevision' });
});

test('an OCI HelmRepository is Healthy without status', () => {
  assert.equal(assessHealth(flux('source.toolkit.fluxcd.io/v1beta2', 'HelmRepository', undefined, { type: 'oci' }))?.status, 'Healthy');
});
