// Pod and Job health on literal objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessHealth } from '../../src/core/health/assessHealth';

function pod(restartPolicy: string | undefined, status: Record<string, unknown>, annotations?: Record<string, string>): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', ...(annotations ? { annotations } : {}) },
    spec: restartPolicy === undefined ? {} : { restartPolicy },
    status,
  };
}

const ready = { type: 'Ready', status: 'True' };
const notReady = { type: 'Ready', status: 'False' };

test('pod phases: Pending is Progressing, Succeeded Healthy, Failed Degraded', () => {
  assert.equal(assessHealth(pod('Always', { phase: 'Pending' }))?.status, 'Progressing');
  assert.equal(assessHealth(pod('Never', { phase: 'Succeeded' }))?.status, 'Healthy');
  assert.deepEqual(assessHealth(pod('Never', { phase: 'Failed', message: 'evicted: low on memory' })), { status: 'Degraded', message: 'evicted: low on memory' });
});

test('a failed pod without a message explains itself from the terminated container', () => {
  const oom = pod('Never', { phase: 'Failed', containerStatuses: [{ name: 'main', state: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] });
  assert.deepEqual(assessHealth(oom), { status: 'Degraded', message: 'OOMKilled' });
  const exit = pod('Never', { phase: 'Failed', initContainerStatuses: [{ name: 'init', state: { terminated: { exitCode: 3 } } }] });
  assert.deepEqual(assessHealth(exit), { status: 'Degraded', message: 'container "init" failed with exit code 3' });
});

test('a running pod with restartPolicy Always is Healthy when Ready, Progressing while starting', () => {
  assert.equal(assessHealth(pod('Always', { phase: 'Running', conditions: [ready] }))?.status, 'Healthy');
  assert.equal(assessHealth(pod('Always', { phase: 'Running', conditions: [notReady] }))?.status, 'Progressing');
});

test('a running pod that is not Ready after a container terminated is Degraded', () => {
  const crashed = pod('Always', {
    phase: 'Running',
    conditions: [notReady],
    containerStatuses: [{ name: 'main', lastState: { terminated: { exitCode: 1, reason: 'Error' } }, state: { running: {} } }],
  });
  assert.deepEqual(assessHealth(crashed), { status: 'Degraded', message: 'container "main" failed with exit code 1' });
});

test('CrashLoopBackOff and ImagePullBackOff make a long-running pod Degraded in any phase', () => {
  const crashLoop = pod('Always', {
    phase: 'Running',
    containerStatuses: [{ name: 'main', state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } } }],
  });
  assert.deepEqual(assessHealth(crashLoop), { status: 'Degraded', message: 'back-off 40s restarting failed container' });
  const imagePull = pod('Always', { phase: 'Pending', containerStatuses: [{ name: 'main', state: { waiting: { reason: 'ImagePullBackOff' } } }] });
  assert.deepEqual(assessHealth(imagePull), { status: 'Degraded', message: 'ImagePullBackOff' });
  const configError = pod('Always', { phase: 'Pending', containerStatuses: [{ name: 'main', state: { waiting: { reason: 'CreateContainerConfigError' } } }] });
  assert.equal(assessHealth(configError)?.status, 'Degraded');
});

test('a hook pod (restartPolicy Never/OnFailure) waiting on its image stays Progressing', () => {
  const hook = pod('Never', { phase: 'Pending', containerStatuses: [{ name: 'main', state: { waiting: { reason: 'ImagePullBackOff' } } }] });
  assert.equal(assessHealth(hook)?.status, 'Progressing');
});

test('a running Never/OnFailure pod is Progressing even when Ready, unless annotated to ignore the policy', () => {
  assert.equal(assessHealth(pod('Never', { phase: 'Running', conditions: [ready] }))?.status, 'Progressing');
  assert.equal(assessHealth(pod('OnFailure', { phase: 'Running', conditions: [ready] }))?.status, 'Progressing');
  const operated = pod('OnFailure', { phase: 'Running', conditions: [ready] }, { 'argocd.argoproj.io/ignore-restart-policy': 'true' });
  assert.equal(assessHealth(operated)?.status, 'Healthy');
});

test('a pod with no phase, or running without a restart policy, is Unknown', () => {
  assert.equal(assessHealth(pod('Always', {}))?.status, 'Unknown');
  assert.equal(assessHealth(pod(undefined, { phase: 'Running', conditions: [ready] }))?.status, 'Unknown');
});

function job(conditions: Array<Record<string, string>>): Record<string, unknown> {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, status: { conditions } };
}

test('a Job is Progressing until it completes, Healthy when Complete', () => {
  assert.deepEqual(assessHealth(job([])), { status: 'Progressing' });
  assert.deepEqual(assessHealth(job([{ type: 'Complete', status: 'True', message: 'done' }])), { status: 'Healthy', message: 'done' });
});

test('a failed Job is Degraded with the failure message', () => {
  const failed = job([{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }]);
  assert.deepEqual(assessHealth(failed), { status: 'Degraded', message: 'Job has reached the specified backoff limit' });
});

test('a suspended Job is Suspended; a Suspended=False condition counts as finished and Healthy, as in Argo', () => {
  assert.deepEqual(assessHealth(job([{ type: 'Suspended', status: 'True', message: 'Job suspended' }])), { status: 'Suspended', message: 'Job suspended' });
  assert.equal(assessHealth(job([{ type: 'Suspended', status: 'False', message: 'Job resumed' }]))?.status, 'Healthy');
});
