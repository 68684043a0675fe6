// Dispatch (which kinds get health), deletion, malformed objects, and the environment roll-up order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessHealth, hasHealthRule } from '../../src/core/health/assessHealth';
import { HEALTH_ORDER, isWorseHealth, rollUpHealth, type HealthStatus } from '../../src/core/health/healthStatus';

test('kinds Argo has no rule for get no health (null), not a guess', () => {
  assert.equal(assessHealth({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }), null);
  assert.equal(assessHealth({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 's' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }), null);
  assert.equal(assessHealth({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' }, status: { conditions: [{ type: 'Ready', status: 'False' }] } }), null);
  assert.equal(assessHealth({}), null);
});

test('the group matters, not only the kind: a Deployment outside apps has no rule', () => {
  assert.equal(hasHealthRule('apps/v1', 'Deployment'), true);
  assert.equal(hasHealthRule('example.com/v1', 'Deployment'), false);
  assert.equal(hasHealthRule('v1', 'Service'), true);
  assert.equal(hasHealthRule('argoproj.io/v1alpha1', 'Application'), false);
});

test('any object being deleted is Progressing, naming the finalizers it waits on', () => {
  const deleting = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['example.com/cleanup'] } };
  assert.deepEqual(assessHealth(deleting), { status: 'Progressing', message: 'Pending deletion; blocked by finalizers: example.com/cleanup' });
});

test("an Argo CD hook being deleted under Argo's hook finalizer is assessed normally", () => {
  const hook = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['argocd.argoproj.io/hook-finalizer'] },
    status: { conditions: [{ type: 'Complete', status: 'True' }] },
  };
  assert.equal(assessHealth(hook)?.status, 'Healthy');
});

test('a field of the wrong type gives Unknown with the path, like a failed typed conversion in Argo', () => {
  const bad = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation: 1 }, spec: { replicas: 'three' }, status: { observedGeneration: 1 } };
  assert.deepEqual(assessHealth(bad), { status: 'Unknown', message: 'failed to convert unstructured Deployment to typed: .spec.replicas: expected an integer, got string' });
  const badConditions = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, status: { conditions: 'none' } };
  assert.equal(assessHealth(badConditions)?.status, 'Unknown');
});

test("the order is Argo's IsWorse: Healthy < Suspended < Progressing < Missing < Degraded < Unknown", () => {
  assert.deepEqual(HEALTH_ORDER, ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown']);
  assert.equal(isWorseHealth('Healthy', 'Suspended'), true);
  assert.equal(isWorseHealth('Degraded', 'Missing'), false);
  assert.equal(isWorseHealth('Degraded', 'Unknown'), true);
  assert.equal(isWorseHealth('Progressing', 'Progressing'), false);
});

test('rollUpHealth takes the worst status and the first message given at it', () => {
  const rolled = rollUpHealth([
    { status: 'Healthy' },
    { status: 'Progressing', message: 'web: 1 of 3 updated' },
    { status: 'Degraded', message: 'db: CrashLoopBackOff' },
    { status: 'Degraded', message: 'cache: OOMKilled' },
    { status: 'Suspended' },
  ]);
  assert.deepEqual(rolled, { status: 'Degraded', message: 'db: CrashLoopBackOff' });
});

test('rollUpHealth ranks every pair as Argo does', () => {
  for (let i = 0; i < HEALTH_ORDER.length; i++) {
    for (let j = 0; j < HEALTH_ORDER.length; j++) {
      const a: HealthStatus = HEALTH_ORDER[i];
      const b: HealthStatus = HEALTH_ORDER[j];
      assert.equal(rollUpHealth([{ status: a }, { status: b }]).status, HEALTH_ORDER[Math.max(i, j)], `${a} + ${b}`);
    }
  }
});

test('rollUpHealth skips kinds without health; nothing to assess is Healthy, as an Argo CD Application of ConfigMaps', () => {
  assert.deepEqual(rollUpHealth([null, undefined, { status: 'Suspended' }, null]), { status: 'Suspended' });
  assert.deepEqual(rollUpHealth([]), { status: 'Healthy' });
  assert.deepEqual(rollUpHealth([null]), { status: 'Healthy' });
});
