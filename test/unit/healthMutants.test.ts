// Rules of src/core/health that mutation testing found no test holding (npm run mutate -- health),
// and the Suspended rule of every kind that can be paused: a paused Deployment, a suspended Job or
// CronJob, a suspended Flux object. Each test states the rule it holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assessHealth } from '../../src/core/health/assessHealth';
import { FLUX_KINDS } from '../../src/core/health/fluxHealth';
import { fuzzRuns } from '../support/fuzzSettings';

type Obj = Record<string, unknown>;

/** Any status a controller might have written, including nonsense counts and conditions. */
const anyStatus: fc.Arbitrary<Obj> = fc.record(
  {
    observedGeneration: fc.nat(5),
    replicas: fc.nat(5),
    updatedReplicas: fc.nat(5),
    availableReplicas: fc.nat(5),
    conditions: fc.array(
      fc.record({
        type: fc.constantFrom('Ready', 'Reconciling', 'Progressing', 'Available', 'Released', 'ArtifactInStorage', 'Stalled'),
        status: fc.constantFrom('True', 'False', 'Unknown'),
        reason: fc.constantFrom('ProgressDeadlineExceeded', 'Failed', 'Succeeded', ''),
      }),
      { maxLength: 4 },
    ),
  },
  { requiredKeys: [] },
);

// ---- Suspended ---------------------------------------------------------------------------------

test('a paused Deployment is Suspended whatever its generation and rollout state', () => {
  fc.assert(
    fc.property(anyStatus, fc.nat(5), fc.nat(5), (status, generation, replicas) => {
      const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation }, spec: { replicas, paused: true }, status };
      assert.deepEqual(assessHealth(d), { status: 'Suspended', message: 'Deployment is paused' });
    }),
    fuzzRuns(200, 20_261_207),
  );
});

test('paused: false is not Suspended; a Deployment that is not paused is judged by its rollout', () => {
  const d = (paused: boolean) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation: 1 },
    spec: { replicas: 1, paused }, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
  });
  assert.deepEqual(assessHealth(d(false)), { status: 'Healthy' });
  assert.equal(assessHealth(d(true))?.status, 'Suspended');
});

test('a Job with a Suspended=True condition is Suspended, even after a Complete condition', () => {
  const job = (conditions: Obj[]) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, spec: { suspend: true }, status: { conditions } });
  assert.deepEqual(assessHealth(job([{ type: 'Suspended', status: 'True', message: 'Job suspended' }])), { status: 'Suspended', message: 'Job suspended' });
  assert.equal(assessHealth(job([{ type: 'Complete', status: 'True' }, { type: 'Suspended', status: 'True' }]))?.status, 'Suspended');
  // Failure wins over suspension: the Job did fail.
  assert.equal(assessHealth(job([{ type: 'Suspended', status: 'True' }, { type: 'Failed', status: 'True' }]))?.status, 'Degraded');
});

function cronJob(spec: Obj, status?: Obj): Obj {
  return { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup' }, spec: { schedule: '0 3 * * *', ...spec }, ...(status ? { status } : {}) };
}

test('a suspended CronJob is Suspended whatever its status says (batch/v1 and v1beta1)', () => {
  fc.assert(
    fc.property(
      fc.option(fc.record({ lastScheduleTime: fc.constant('2026-12-07T03:00:00Z'), lastSuccessfulTime: fc.constant('2026-12-06T03:00:00Z'), active: fc.array(fc.constant({ name: 'j' }), { maxLength: 2 }) }, { requiredKeys: [] }), { nil: undefined }),
      fc.constantFrom('batch/v1', 'batch/v1beta1'),
      (status, apiVersion) => {
        assert.deepEqual(assessHealth({ ...cronJob({ suspend: true }, status), apiVersion }), { status: 'Suspended', message: 'CronJob is Suspended' });
      },
    ),
    fuzzRuns(100, 20_261_208),
  );
});

test('a suspended Flux object of every kind Argo has a script for is Suspended whatever its conditions', () => {
  const kinds = [...FLUX_KINDS.keys()].map((key) => key.split('/'));
  assert.ok(kinds.length >= 7);
  fc.assert(
    fc.property(fc.constantFrom(...kinds), anyStatus, ([group, kind], status) => {
      const object = { apiVersion: `${group}/v1`, kind, metadata: { name: 'x' }, spec: { suspend: true, type: 'oci' }, status };
      assert.deepEqual(assessHealth(object), { status: 'Suspended', message: `${kind} is suspended` });
    }),
    fuzzRuns(200, 20_261_209),
  );
});

test('only spec.suspend: true suspends a Flux object or a CronJob (not "true", not false)', () => {
  const ks = (suspend: unknown) => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps' },
    spec: { suspend }, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' }] },
  });
  assert.equal(assessHealth(ks(false))?.status, 'Healthy');
  assert.equal(assessHealth(ks('true'))?.status, 'Healthy');
  assert.notEqual(assessHealth(cronJob({ suspend: false }, {}))?.status, 'Suspended');
  assert.notEqual(assessHealth(cronJob({ suspend: 'true' }, {}))?.status, 'Suspended');
});

// ---- CronJob (Argo CD's batch/CronJob health script) ------------------------------------------------

test('a CronJob without status is Progressing; one never scheduled is Healthy', () => {
  assert.deepEqual(assessHealth(cronJob({})), { status: 'Progressing', message: 'Waiting for CronJob' });
  assert.deepEqual(assessHealth(cronJob({}, {})), { status: 'Healthy', message: 'CronJob has not been scheduled yet' });
});

test('a CronJob whose last success is older than its last run is Degraded, unless a Job is still running', () => {
  const failedLast = { lastScheduleTime: '2026-12-07T03:00:00Z', lastSuccessfulTime: '2026-12-06T03:00:05Z' };
  assert.deepEqual(assessHealth(cronJob({}, failedLast)), { status: 'Degraded', message: 'CronJob has not completed its last execution successfully' });
  assert.deepEqual(assessHealth(cronJob({}, { ...failedLast, active: [{ name: 'backup-1' }] })), {
    status: 'Healthy', message: 'The job is running. Its last execution may not have been successful',
  });
  // An empty active list is no running Job.
  assert.equal(assessHealth(cronJob({}, { ...failedLast, active: [] }))?.status, 'Degraded');
});

test('a CronJob whose last success is at or after its last run is Healthy; one that never succeeded is not called Degraded', () => {
  for (const lastSuccessfulTime of ['2026-12-07T03:00:00Z', '2026-12-07T03:00:09Z']) {
    assert.deepEqual(assessHealth(cronJob({}, { lastScheduleTime: '2026-12-07T03:00:00Z', lastSuccessfulTime })), {
      status: 'Healthy', message: 'CronJob has completed its last execution successfully',
    });
  }
  assert.deepEqual(assessHealth(cronJob({}, { lastScheduleTime: '2026-12-07T03:00:00Z' })), {
    status: 'Healthy', message: 'The Cronjob never completed succesfully. It may not be healthy',
  });
});

test('a CronJob time of the wrong type is Unknown with the path, like the other typed reads', () => {
  const result = assessHealth(cronJob({}, { lastScheduleTime: 42 }));
  assert.equal(result?.status, 'Unknown');
  assert.match(result?.message ?? '', /\.status\.lastScheduleTime: expected a string, got number/);
});

// ---- Pods -------------------------------------------------------------------------------------------

function pod(restartPolicy: string, status: Obj, annotations?: Obj): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...(annotations ? { annotations } : {}) }, spec: { restartPolicy }, status };
}

test('every waiting reason that means "cannot start" makes a long-running pod Degraded; ContainerCreating does not', () => {
  for (const reason of ['ErrImagePull', 'ErrImageNeverPull', 'CrashLoopBackOff', 'ImagePullBackOff', 'CreateContainerConfigError', 'InvalidImageNameError']) {
    assert.deepEqual(assessHealth(pod('Always', { phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason } } }] })), { status: 'Degraded', message: reason }, reason);
  }
  for (const reason of ['ContainerCreating', 'PodInitializing', '']) {
    assert.equal(assessHealth(pod('Always', { phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason } } }] }))?.status, 'Progressing', reason);
  }
});

test('a pod with several stuck containers names each of them', () => {
  const p = pod('Always', {
    phase: 'Running',
    containerStatuses: [
      { name: 'a', state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off a' } } },
      { name: 'b', state: { running: {} } },
      { name: 'c', state: { waiting: { reason: 'ErrImagePull' } } },
    ],
  });
  assert.deepEqual(assessHealth(p), { status: 'Degraded', message: 'back-off a, ErrImagePull' });
});

test("a failed pod's message: the pod's own, else the first terminated container's message, OOMKilled, or non-zero exit", () => {
  const failed = (containerStatuses: Obj[], message?: string) => assessHealth(pod('Never', { phase: 'Failed', containerStatuses, ...(message ? { message } : {}) }));
  assert.deepEqual(failed([{ name: 'c', state: { terminated: { exitCode: 1 } } }], 'Evicted'), { status: 'Degraded', message: 'Evicted' });
  assert.deepEqual(failed([{ name: 'c', state: { terminated: { reason: 'OOMKilled', message: 'killed at 512Mi', exitCode: 137 } } }]), { status: 'Degraded', message: 'killed at 512Mi' });
  // A container that exited 0 explains nothing; the next one does.
  assert.deepEqual(
    failed([{ name: 'ok', state: { terminated: { exitCode: 0 } } }, { name: 'bad', state: { terminated: { exitCode: 2, reason: 'Error' } } }]),
    { status: 'Degraded', message: 'container "bad" failed with exit code 2' },
  );
  assert.deepEqual(failed([{ name: 'c', state: { running: {} } }]), { status: 'Degraded' });
  assert.deepEqual(failed([]), { status: 'Degraded' });
});

test('a crashing pod that is not Ready says why: its own message first, else the last exit of the crashed container', () => {
  const crashed = [{ name: 'web', lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } }, state: { running: {} } }];
  assert.deepEqual(assessHealth(pod('Always', { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: crashed })), { status: 'Degraded', message: 'OOMKilled' });
  assert.deepEqual(
    assessHealth(pod('Always', { phase: 'Running', message: 'node pressure', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: crashed })),
    { status: 'Degraded', message: 'node pressure' },
  );
  // Ready wins: a container that crashed once but is ready again is Healthy.
  assert.equal(assessHealth(pod('Always', { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: crashed }))?.status, 'Healthy');
  // A condition other than Ready being True is not readiness.
  assert.equal(assessHealth(pod('Always', { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }] }))?.status, 'Progressing');
});

test('the ignore-restart-policy annotation counts by presence; other annotations do not', () => {
  const ready = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
  assert.equal(assessHealth(pod('Never', ready, { 'argocd.argoproj.io/ignore-restart-policy': '' }))?.status, 'Healthy');
  assert.equal(assessHealth(pod('Never', ready, { 'example.com/other': 'true' }))?.status, 'Progressing');
  // The annotation does not make a hook pod's image-pull error Degraded: that check is for restartPolicy Always only.
  const pulling = { phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ErrImagePull' } } }] };
  assert.equal(assessHealth(pod('OnFailure', pulling, { 'argocd.argoproj.io/ignore-restart-policy': 'true' }))?.status, 'Progressing');
});

// ---- Jobs -------------------------------------------------------------------------------------------

test("a Job's messages: Complete's when it completed, Failed's when it failed, whatever the order", () => {
  const job = (conditions: Obj[]) => assessHealth({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, status: { conditions } });
  assert.deepEqual(job([{ type: 'Failed', status: 'False', message: 'backoff' }]), { status: 'Degraded', message: 'backoff' });
  assert.deepEqual(job([{ type: 'Complete', status: 'True', message: 'done' }, { type: 'Failed', status: 'True', message: 'deadline' }]), { status: 'Degraded', message: 'deadline' });
  assert.deepEqual(job([{ type: 'SuccessCriteriaMet', status: 'True', message: 'met' }]), { status: 'Progressing' });
});

// ---- Workloads ----------------------------------------------------------------------------------------

function workload(kind: string, spec: Obj, status: Obj, generation = 1): Obj {
  return { apiVersion: 'apps/v1', kind, metadata: { name: 'web', generation }, spec, status };
}

test('a Deployment rollout is done exactly when updated ≥ desired, replicas ≤ updated and available ≥ updated', () => {
  fc.assert(
    fc.property(fc.nat(4), fc.nat(4), fc.nat(4), fc.nat(4), (desired, updated, current, available) => {
      const result = assessHealth(workload('Deployment', { replicas: desired }, { observedGeneration: 1, updatedReplicas: updated, replicas: current, availableReplicas: available }));
      const done = updated >= desired && current <= updated && available >= updated;
      assert.equal(result?.status, done ? 'Healthy' : 'Progressing', JSON.stringify({ desired, updated, current, available }));
    }),
    fuzzRuns(300, 20_261_210),
  );
});

test('a Deployment observed at its generation (or ahead) is not waiting for the controller', () => {
  const status = { updatedReplicas: 1, replicas: 1, availableReplicas: 1 };
  assert.deepEqual(assessHealth(workload('Deployment', { replicas: 1 }, { ...status, observedGeneration: 2 }, 2)), { status: 'Healthy' });
  assert.deepEqual(assessHealth(workload('Deployment', { replicas: 1 }, { ...status, observedGeneration: 3 }, 2)), { status: 'Healthy' });
  // Only ProgressDeadlineExceeded on the Progressing condition is a failure.
  const other = { ...status, observedGeneration: 1, conditions: [{ type: 'Available', reason: 'ProgressDeadlineExceeded' }, { type: 'Progressing', reason: 'NewReplicaSetAvailable' }] };
  assert.deepEqual(assessHealth(workload('Deployment', { replicas: 1 }, other)), { status: 'Healthy' });
});

test('a DaemonSet is done exactly when every scheduled node runs an updated, available pod', () => {
  fc.assert(
    fc.property(fc.nat(4), fc.nat(4), fc.nat(4), (desired, updated, available) => {
      const result = assessHealth(workload('DaemonSet', {}, { observedGeneration: 1, desiredNumberScheduled: desired, updatedNumberScheduled: updated, numberAvailable: available }));
      assert.equal(result?.status, updated >= desired && available >= desired ? 'Healthy' : 'Progressing');
    }),
    fuzzRuns(200, 20_261_211),
  );
  assert.deepEqual(assessHealth(workload('DaemonSet', {}, { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 })), {
    status: 'Progressing', message: 'Waiting for daemon set "web" rollout to finish: 2 of 3 updated pods are available...',
  });
  assert.deepEqual(assessHealth(workload('DaemonSet', {}, { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 1, numberAvailable: 3 })), {
    status: 'Progressing', message: 'Waiting for daemon set "web" rollout to finish: 1 out of 3 new pods have been updated...',
  });
});

test('a ReplicaSet: only a ReplicaFailure condition that is True is Degraded; available = desired is Healthy', () => {
  const rs = (conditions: Obj[], available: number) => assessHealth(workload('ReplicaSet', { replicas: 2 }, { observedGeneration: 1, availableReplicas: available, conditions }));
  assert.deepEqual(rs([{ type: 'ReplicaFailure', status: 'False', message: 'quota' }], 2), { status: 'Healthy' });
  assert.deepEqual(rs([{ type: 'ReplicaFailure', status: 'True', message: 'quota' }], 2), { status: 'Degraded', message: 'quota' });
  assert.deepEqual(rs([], 1), { status: 'Progressing', message: 'Waiting for rollout to finish: 1 out of 2 new replicas are available...' });
  assert.deepEqual(assessHealth(workload('ReplicaSet', { replicas: 1 }, { observedGeneration: 1, availableReplicas: 1 }, 2))?.status, 'Progressing');
});

test('a StatefulSet: ready = desired is enough to look at the update; a partition at the boundary is done', () => {
  const sts = (spec: Obj, status: Obj) => assessHealth(workload('StatefulSet', spec, { observedGeneration: 1, ...status }));
  assert.deepEqual(sts({ replicas: 2 }, { readyReplicas: 1 }), { status: 'Progressing', message: 'Waiting for 1 pods to be ready...' });
  const partitioned = { replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } };
  assert.deepEqual(sts(partitioned, { readyReplicas: 4, updatedReplicas: 3 }), { status: 'Healthy', message: 'partitioned roll out complete: 3 new pods have been updated...' });
  assert.deepEqual(sts(partitioned, { readyReplicas: 4, updatedReplicas: 2 }), { status: 'Progressing', message: 'Waiting for partitioned roll out to finish: 2 out of 3 new pods have been updated...' });
  // RollingUpdate without a rollingUpdate block: the revisions decide.
  assert.deepEqual(sts({ replicas: 1, updateStrategy: { type: 'RollingUpdate' } }, { readyReplicas: 1, updatedReplicas: 1, currentReplicas: 1, updateRevision: 'r2', currentRevision: 'r1' }), {
    status: 'Progressing', message: 'waiting for statefulset rolling update to complete 1 pods at revision r2...',
  });
  assert.deepEqual(sts({ replicas: 1 }, { readyReplicas: 1, currentReplicas: 1, updateRevision: 'r2', currentRevision: 'r2' }), {
    status: 'Healthy', message: 'statefulset rolling update complete 1 pods at revision r2...',
  });
});

test('messages keep every part even when a name or revision is absent (Go zero values), so they read like Argo CD', () => {
  const nameless = (kind: string, spec: Obj, status: Obj, generation = 1): Obj => ({ apiVersion: 'apps/v1', kind, metadata: { generation }, spec, status });
  assert.deepEqual(assessHealth(nameless('Deployment', { replicas: 1 }, { observedGeneration: 1, conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }] })), {
    status: 'Degraded', message: 'Deployment "" exceeded its progress deadline',
  });
  assert.deepEqual(assessHealth(nameless('DaemonSet', {}, { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 1 })), {
    status: 'Progressing', message: 'Waiting for daemon set "" rollout to finish: 1 out of 2 new pods have been updated...',
  });
  assert.deepEqual(assessHealth(nameless('DaemonSet', {}, { observedGeneration: 1 }, 2)), {
    status: 'Progressing', message: 'Waiting for rollout to finish: observed daemon set generation less than desired generation',
  });
  assert.deepEqual(assessHealth(nameless('ReplicaSet', {}, { observedGeneration: 1 }, 2)), {
    status: 'Progressing', message: 'Waiting for rollout to finish: observed replica set generation less than desired generation',
  });
  assert.deepEqual(assessHealth(nameless('DaemonSet', { updateStrategy: { type: 'OnDelete' } }, { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 1 })), {
    status: 'Healthy', message: 'daemon set 1 out of 3 new pods have been updated',
  });
  assert.deepEqual(assessHealth(nameless('StatefulSet', { replicas: 1 }, { observedGeneration: 1, readyReplicas: 1, currentReplicas: 1 })), {
    status: 'Healthy', message: 'statefulset rolling update complete 1 pods at revision ...',
  });
  assert.deepEqual(assessHealth(nameless('StatefulSet', { replicas: 1 }, { observedGeneration: 1, readyReplicas: 1, updatedReplicas: 0, currentRevision: 'r1' })), {
    status: 'Progressing', message: 'waiting for statefulset rolling update to complete 0 pods at revision ...',
  });
  const exit = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { restartPolicy: 'Never' }, status: { phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 9 } } }] } };
  assert.deepEqual(assessHealth(exit), { status: 'Degraded', message: 'container "" failed with exit code 9' });
});

test('a StatefulSet with a rollingUpdate block but another strategy follows that strategy', () => {
  const sts = workload('StatefulSet', { replicas: 2, updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 0 } } }, { observedGeneration: 1, readyReplicas: 2, updatedReplicas: 1 });
  assert.deepEqual(assessHealth(sts), { status: 'Healthy', message: 'statefulset has 2 ready pods (1 updated)' });
});

test('a ReplicaSet reads only its ReplicaFailure condition, not the first condition that is True', () => {
  const rs = workload('ReplicaSet', { replicas: 1 }, { observedGeneration: 1, availableReplicas: 1, conditions: [{ type: 'Other', status: 'True', message: 'x' }, { type: 'ReplicaFailure', status: 'False' }] });
  assert.deepEqual(assessHealth(rs), { status: 'Healthy' });
});

// ---- Flux, Argo, API extensions, HPA ------------------------------------------------------------------

function fluxObject(apiVersion: string, kind: string, conditions: Obj[] | null | undefined, spec: Obj = {}): Obj {
  return { apiVersion, kind, metadata: { name: 'x' }, spec, status: conditions === undefined ? {} : { conditions } };
}
const KS = 'kustomize.toolkit.fluxcd.io/v1';
const HR = 'helm.toolkit.fluxcd.io/v2';
const SRC = 'source.toolkit.fluxcd.io/v1';
const cond = (type: string, status: string, reason = ''): Obj => ({ type, status, reason });

test('Flux: no conditions (absent or null) is "Status unknown"; only an OCI HelmRepository is Healthy without status', () => {
  assert.deepEqual(assessHealth(fluxObject(KS, 'Kustomization', undefined)), { status: 'Progressing', message: 'Status unknown' });
  assert.deepEqual(assessHealth(fluxObject(KS, 'Kustomization', null)), { status: 'Progressing', message: 'Status unknown' });
  assert.deepEqual(assessHealth(fluxObject(SRC, 'HelmRepository', undefined, { type: 'oci' })), {
    status: 'Healthy', message: "Helm repositories of type 'oci' do not contain any information in the status.",
  });
  assert.deepEqual(assessHealth(fluxObject(SRC, 'OCIRepository', undefined, { type: 'oci' })), { status: 'Progressing', message: 'Status unknown' });
  // Conditions without Ready: Degraded, and no message to give.
  assert.deepEqual(assessHealth(fluxObject(KS, 'Kustomization', [cond('Reconciling', 'False')])), { status: 'Degraded' });
});

test('Flux: Progressing needs Ready Unknown and Reconciling True, both', () => {
  assert.equal(assessHealth(fluxObject(KS, 'Kustomization', [cond('Ready', 'Unknown', 'Progressing'), cond('Reconciling', 'True')]))?.status, 'Progressing');
  assert.equal(assessHealth(fluxObject(KS, 'Kustomization', [cond('Ready', 'False', 'Failed'), cond('Reconciling', 'True')]))?.status, 'Degraded');
  assert.equal(assessHealth(fluxObject(KS, 'Kustomization', [cond('Ready', 'Unknown', 'Progressing'), cond('Reconciling', 'False')]))?.status, 'Degraded');
});

test('Flux: the success conditions count for their own family only, and only when True', () => {
  const ready = cond('Ready', 'True', 'Succeeded');
  assert.deepEqual(assessHealth(fluxObject(HR, 'HelmRelease', [ready, cond('TestSuccess', 'True')])), { status: 'Healthy', message: 'Succeeded' });
  assert.equal(assessHealth(fluxObject(HR, 'HelmRelease', [ready, cond('Released', 'False')]))?.status, 'Degraded');
  assert.equal(assessHealth(fluxObject(HR, 'HelmRelease', [ready, cond('Remediated', 'True')]))?.status, 'Degraded');
  // A Kustomization is Healthy on Ready alone; a Released or ArtifactInStorage condition does not count for it.
  assert.equal(assessHealth(fluxObject(KS, 'Kustomization', [ready, cond('Released', 'True')]))?.status, 'Healthy');
  assert.equal(assessHealth(fluxObject(KS, 'Kustomization', [ready, cond('ArtifactInStorage', 'True')]))?.status, 'Healthy');
  assert.equal(assessHealth(fluxObject(SRC, 'GitRepository', [ready, cond('ArtifactInStorage', 'False')]))?.status, 'Degraded');
  assert.equal(assessHealth(fluxObject(SRC, 'GitRepository', [ready, cond('FetchFailed', 'True')]))?.status, 'Degraded');
  // ArtifactOutdated adds its reason for a source only, and only when True.
  assert.deepEqual(assessHealth(fluxObject(HR, 'HelmRelease', [ready, cond('ArtifactOutdated', 'True', 'NewRevision'), cond('Released', 'True')])), { status: 'Healthy', message: 'Succeeded' });
  assert.deepEqual(assessHealth(fluxObject(SRC, 'GitRepository', [ready, cond('ArtifactOutdated', 'False', 'NewRevision'), cond('ArtifactInStorage', 'True')])), { status: 'Healthy', message: 'Succeeded' });
});

test('Argo Workflow: its message is kept; Pending is Progressing', () => {
  const wf = (status: Obj) => assessHealth({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'w' }, status });
  assert.deepEqual(wf({ phase: 'Running', message: 'step 2' }), { status: 'Progressing', message: 'step 2' });
  assert.deepEqual(wf({ phase: 'Pending' }), { status: 'Progressing' });
  assert.deepEqual(wf({ phase: 'Failed' }), { status: 'Degraded' });
});

test('applicationReportedHealth: only Applications; an empty or null code is not reconciled; an unknown code is named', async () => {
  const { applicationReportedHealth } = await import('../../src/core/health/argoHealth');
  assert.equal(applicationReportedHealth({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', status: { health: { status: 'Healthy' } } }), null);
  const app = (health: Obj) => applicationReportedHealth({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', status: { health } });
  for (const status of ['', null]) assert.deepEqual(app({ status }), { status: 'Progressing', message: 'Waiting for application to be reconciled' });
  assert.deepEqual(app({ status: 'Exploded' }), { status: 'Unknown', message: 'unrecognised health status "Exploded"' });
});

test('APIService and CRD conditions: each is read by its type and status', () => {
  const api = (conditions: Obj[]) => assessHealth({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.x' }, status: { conditions } });
  assert.equal(api([{ type: 'Other', status: 'False' }, { type: 'Available', status: 'True', reason: 'Passed', message: 'ok' }])?.status, 'Healthy');
  const crd = (conditions: Obj[]) => assessHealth({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x' }, status: { conditions } });
  const established = { type: 'Established', status: 'True' };
  assert.deepEqual(crd([{ type: 'Terminating', status: 'False', message: 'no' }, established]), { status: 'Healthy', message: 'CRD is healthy' });
  assert.deepEqual(crd([{ type: 'NonStructuralSchema', status: 'False', message: 'no' }, established]), { status: 'Healthy', message: 'CRD is healthy' });
  assert.deepEqual(crd([{ type: 'NamesAccepted', status: 'True' }]), { status: 'Degraded', message: 'CRD is not established: ' });
  assert.deepEqual(crd([{ type: 'NamesAccepted', status: 'False', message: 'taken' }, established]), { status: 'Degraded', message: 'CRD names have not been accepted: taken' });
});

test('HPA: a failure is its (type, reason) pair; the v1 annotation is read leniently and its errors are named', () => {
  const v2 = (conditions: Obj[]) => assessHealth({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, status: { conditions } });
  assert.deepEqual(v2([{ type: 'ScalingLimited', status: 'False', reason: 'FailedGetResourceMetric' }]), { status: 'Progressing', message: 'Waiting to Autoscale' });
  const v1 = (annotation: unknown) =>
    assessHealth({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', annotations: { 'autoscaling.alpha.kubernetes.io/conditions': annotation } } });
  assert.deepEqual(v1('null'), { status: 'Progressing', message: 'Waiting to Autoscale' });
  assert.deepEqual(v1('{"type":"AbleToScale"}'), { status: 'Unknown', message: 'failed to convert conditions annotation to typed: expected a JSON array of conditions' });
  assert.deepEqual(v1(7), { status: 'Unknown', message: 'failed to convert conditions annotation to typed: annotation is not a string' });
  const broken = v1('[{');
  assert.equal(broken?.status, 'Unknown');
  assert.match(broken?.message ?? '', /^failed to convert conditions annotation to typed: .*JSON/);
  assert.doesNotMatch(broken?.message ?? '', /expected a JSON array/);
  // A field of another type reads as empty, as Go leaves it.
  assert.deepEqual(v1('[{"type":"AbleToScale","status":"True","message":5}]'), { status: 'Healthy' });
});

// ---- deletion, typed reads ----------------------------------------------------------------------------

test('an empty or null deletionTimestamp is no deletion; non-string finalizers are not named', () => {
  const cm = (metadata: Obj) => assessHealth({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', ...metadata }, spec: { type: 'ClusterIP' } });
  assert.deepEqual(cm({ deletionTimestamp: null }), { status: 'Healthy' });
  assert.deepEqual(cm({ deletionTimestamp: '' }), { status: 'Healthy' });
  assert.deepEqual(cm({ deletionTimestamp: '2026-12-07T00:00:00Z' }), { status: 'Progressing', message: 'Pending deletion' });
  assert.deepEqual(cm({ deletionTimestamp: '2026-12-07T00:00:00Z', finalizers: ['a/b', 5, null] }), { status: 'Progressing', message: 'Pending deletion; blocked by finalizers: a/b' });
  assert.deepEqual(cm({ deletionTimestamp: '2026-12-07T00:00:00Z', finalizers: ['a/b', 'c/d'] }), { status: 'Progressing', message: 'Pending deletion; blocked by finalizers: a/b, c/d' });
});

test('a null field reads as absent, at any depth (Go zero value), never as a type error', () => {
  const d = (spec: Obj, status: Obj | null) => assessHealth({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation: 1 }, spec, status });
  assert.deepEqual(d({ replicas: null }, { observedGeneration: 1 }), { status: 'Healthy' });
  assert.equal(d({ replicas: 1 }, null)?.status, 'Progressing');
  const ks = { apiVersion: KS, kind: 'Kustomization', metadata: { name: 'x' }, spec: null, status: { conditions: [cond('Ready', 'True')] } };
  assert.deepEqual(assessHealth(ks), { status: 'Healthy' });
});

test('a field of the wrong type names its path, what was expected and what was found', () => {
  const unknown = (object: Obj) => {
    const result = assessHealth(object);
    assert.equal(result?.status, 'Unknown');
    return (result?.message ?? '').replace(/^failed to convert unstructured \w+ to typed: /, '');
  };
  const deployment = (spec: Obj, status: unknown) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation: 1 }, spec, status });
  assert.equal(unknown(deployment({}, [])), '.status: expected an object, got array');
  assert.equal(unknown({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'LoadBalancer' }, status: { loadBalancer: [] } }), '.status.loadBalancer: expected an object, got array');
  assert.equal(unknown(deployment({ paused: 'yes' }, {})), '.spec.paused: expected a boolean, got string');
  assert.equal(unknown(deployment({}, { observedGeneration: 1, conditions: [null] })), '.status.conditions.0: expected an object, got null');
  assert.equal(unknown({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: 'x' } } }), '.status.loadBalancer.ingress: expected an array, got string');
  const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', generation: 1 }, spec: { replicas: 1, updateStrategy: { type: 'RollingUpdate', rollingUpdate: 5 } }, status: { observedGeneration: 1, readyReplicas: 1 } };
  assert.equal(unknown(sts), '.spec.updateStrategy.rollingUpdate: expected an object, got number');
});

test('a condition without reason or message gives no message', () => {
  assert.deepEqual(assessHealth({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, status: { conditions: [{ type: 'Complete', status: 'True' }] } }), { status: 'Healthy' });
  assert.deepEqual(assessHealth(fluxObject(KS, 'Kustomization', [{ type: 'Ready', status: 'True' }])), { status: 'Healthy' });
});
