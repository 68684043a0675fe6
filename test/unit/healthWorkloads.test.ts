// Deployment, StatefulSet, DaemonSet and ReplicaSet health on literal objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessHealth } from '../../src/core/health/assessHealth';

function deployment(spec: Record<string, unknown>, status: Record<string, unknown>, generation = 1): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation }, spec, status };
}

test('a Deployment with every replica updated and available is Healthy', () => {
  const d = deployment({ replicas: 3 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
  assert.deepEqual(assessHealth(d), { status: 'Healthy' });
});

test('a paused Deployment is Suspended even mid-rollout', () => {
  const d = deployment({ replicas: 3, paused: true }, { observedGeneration: 1, replicas: 3, updatedReplicas: 1 });
  assert.deepEqual(assessHealth(d), { status: 'Suspended', message: 'Deployment is paused' });
});

test('a Deployment whose spec the controller has not observed yet is Progressing', () => {
  const d = deployment({ replicas: 1 }, { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 }, 2);
  assert.equal(assessHealth(d)?.status, 'Progressing');
  assert.match(assessHealth(d)?.message ?? '', /observed deployment generation less than desired/);
});

test('ProgressDeadlineExceeded makes a Deployment Degraded', () => {
  const d = deployment(
    { replicas: 2 },
    { observedGeneration: 1, replicas: 2, updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] },
  );
  assert.deepEqual(assessHealth(d), { status: 'Degraded', message: 'Deployment "web" exceeded its progress deadline' });
});

test('Deployment rollout messages say which step is waiting', () => {
  const updating = deployment({ replicas: 3 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 1 });
  assert.deepEqual(assessHealth(updating), { status: 'Progressing', message: 'Waiting for rollout to finish: 1 out of 3 new replicas have been updated...' });
  const terminating = deployment({ replicas: 2 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 2, availableReplicas: 2 });
  assert.deepEqual(assessHealth(terminating), { status: 'Progressing', message: 'Waiting for rollout to finish: 1 old replicas are pending termination...' });
  const starting = deployment({ replicas: 2 }, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 1 });
  assert.deepEqual(assessHealth(starting), { status: 'Progressing', message: 'Waiting for rollout to finish: 1 of 2 updated replicas are available...' });
});

test('a Deployment without spec.replicas skips the desired-count check, as Argo does', () => {
  const d = deployment({}, { observedGeneration: 1, replicas: 0, updatedReplicas: 0, availableReplicas: 0 });
  assert.equal(assessHealth(d)?.status, 'Healthy');
});

function statefulSet(spec: Record<string, unknown>, status: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', generation: 1 }, spec, status };
}

test('a StatefulSet behind its spec (generation 2, observedGeneration 1) is Progressing', () => {
  const sts = { ...statefulSet({ replicas: 1 }, { observedGeneration: 1, readyReplicas: 1, currentRevision: 'db-1', updateRevision: 'db-1' }), metadata: { name: 'db', generation: 2 } };
  assert.deepEqual(assessHealth(sts), { status: 'Progressing', message: 'Waiting for statefulset spec update to be observed...' });
});

test('a StatefulSet never observed (observedGeneration 0 or absent) is Progressing even when its generation is not ahead', () => {
  // Everything else reads as a finished rollout and no generation is ahead of the observed one:
  // only the "observedGeneration is 0" rule can make these Progressing (gitops-engine has it too).
  const finished = { readyReplicas: 1, updatedReplicas: 1, currentReplicas: 1, currentRevision: 'db-1', updateRevision: 'db-1' };
  const withoutGeneration = (status: Record<string, unknown>): Record<string, unknown> => ({ ...statefulSet({ replicas: 1 }, status), metadata: { name: 'db' } });
  const neverObserved = [
    withoutGeneration(finished),
    withoutGeneration({ ...finished, observedGeneration: 0 }),
    { ...statefulSet({ replicas: 1 }, { ...finished, observedGeneration: 0 }), metadata: { name: 'db', generation: 0 } },
  ];
  for (const sts of neverObserved) {
    assert.deepEqual(assessHealth(sts), { status: 'Progressing', message: 'Waiting for statefulset spec update to be observed...' }, JSON.stringify(sts));
  }
  // The same objects once the controller has observed them are Healthy: the observation decided.
  assert.equal(assessHealth(withoutGeneration({ ...finished, observedGeneration: 1 }))?.status, 'Healthy');
});

test('a StatefulSet with pods not ready is Progressing and says how many', () => {
  const sts = statefulSet({ replicas: 3 }, { observedGeneration: 1, readyReplicas: 1 });
  assert.deepEqual(assessHealth(sts), { status: 'Progressing', message: 'Waiting for 2 pods to be ready...' });
});

test('a partitioned StatefulSet only waits for the pods at or above the partition', () => {
  const spec = { replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } };
  const waiting = statefulSet(spec, { observedGeneration: 1, readyReplicas: 4, updatedReplicas: 1 });
  assert.deepEqual(assessHealth(waiting), {
    status: 'Progressing',
    message: 'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...',
  });
  const done = statefulSet(spec, { observedGeneration: 1, readyReplicas: 4, updatedReplicas: 2, currentRevision: 'a', updateRevision: 'b' });
  assert.equal(assessHealth(done)?.status, 'Healthy');
});

test('an OnDelete StatefulSet is Healthy with old revisions left', () => {
  const sts = statefulSet({ replicas: 2, updateStrategy: { type: 'OnDelete' } }, { observedGeneration: 1, readyReplicas: 2, updatedReplicas: 0, currentRevision: 'a', updateRevision: 'b' });
  assert.deepEqual(assessHealth(sts), { status: 'Healthy', message: 'statefulset has 2 ready pods (0 updated)' });
});

test('a StatefulSet between revisions without a partition is Progressing', () => {
  const sts = statefulSet({ replicas: 2 }, { observedGeneration: 1, readyReplicas: 2, updatedReplicas: 1, currentRevision: 'db-1', updateRevision: 'db-2' });
  assert.deepEqual(assessHealth(sts), { status: 'Progressing', message: 'waiting for statefulset rolling update to complete 1 pods at revision db-2...' });
});

function daemonSet(strategy: string, status: Record<string, unknown>, generation = 1): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', generation }, spec: { updateStrategy: { type: strategy } }, status };
}

test('a DaemonSet rolling out is Progressing until every node runs the new pod', () => {
  const rolling = daemonSet('RollingUpdate', { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 3 });
  assert.deepEqual(assessHealth(rolling), { status: 'Progressing', message: 'Waiting for daemon set "agent" rollout to finish: 2 out of 3 new pods have been updated...' });
  const unavailable = daemonSet('RollingUpdate', { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 });
  assert.equal(assessHealth(unavailable)?.status, 'Progressing');
  const done = daemonSet('RollingUpdate', { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 });
  assert.deepEqual(assessHealth(done), { status: 'Healthy' });
});

test('an OnDelete DaemonSet is Healthy with pods not yet updated, but not before the spec is observed', () => {
  const status = { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 0, numberAvailable: 3 };
  assert.equal(assessHealth(daemonSet('OnDelete', status))?.status, 'Healthy');
  assert.equal(assessHealth(daemonSet('OnDelete', status, 2))?.status, 'Progressing');
});

function replicaSet(status: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', generation: 1 }, spec: { replicas: 2 }, status };
}

test('a ReplicaSet with a ReplicaFailure condition is Degraded with its message', () => {
  const rs = replicaSet({ observedGeneration: 1, conditions: [{ type: 'ReplicaFailure', status: 'True', message: 'pods "web-1-x" is forbidden: exceeded quota' }] });
  assert.deepEqual(assessHealth(rs), { status: 'Degraded', message: 'pods "web-1-x" is forbidden: exceeded quota' });
});

test('a ReplicaSet is Progressing until its replicas are available, then Healthy', () => {
  assert.equal(assessHealth(replicaSet({ observedGeneration: 1, availableReplicas: 1 }))?.status, 'Progressing');
  assert.equal(assessHealth(replicaSet({ observedGeneration: 1, availableReplicas: 2 }))?.status, 'Healthy');
});
