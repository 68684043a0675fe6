// HorizontalPodAutoscaler health: autoscaling/v1 (conditions in an annotation) and v2 (status.conditions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessHealth } from '../../src/core/health/assessHealth';
import { HPA_V1_CONDITIONS_ANNOTATION } from '../../src/core/health/hpaHealth';

function hpaV2(conditions: Array<Record<string, string>>, apiVersion = 'autoscaling/v2'): Record<string, unknown> {
  return { apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, status: { conditions } };
}

function hpaV1(annotation?: string): Record<string, unknown> {
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', ...(annotation === undefined ? {} : { annotations: { [HPA_V1_CONDITIONS_ANNOTATION]: annotation } }) },
    status: { currentReplicas: 1, desiredReplicas: 1 },
  };
}

test('an HPA able to scale is Healthy with the condition message', () => {
  const hpa = hpaV2([{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' }]);
  assert.deepEqual(assessHealth(hpa), { status: 'Healthy', message: 'recommended size matches current size' });
});

test('an HPA that cannot read its target or metrics is Degraded', () => {
  for (const [type, reason] of [['AbleToScale', 'FailedGetScale'], ['AbleToScale', 'FailedUpdateScale'], ['ScalingActive', 'FailedGetResourceMetric'], ['ScalingActive', 'InvalidSelector']]) {
    const hpa = hpaV2([{ type, status: 'False', reason, message: 'broken' }]);
    assert.deepEqual(assessHealth(hpa), { status: 'Degraded', message: 'broken' }, reason);
  }
});

test('the first telling HPA condition decides, as in Argo', () => {
  const healthyFirst = hpaV2([
    { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: 'scaled' },
    { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: 'no metrics' },
  ]);
  assert.equal(assessHealth(healthyFirst)?.status, 'Healthy');
  const degradedFirst = hpaV2([
    { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: 'no metrics' },
    { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: 'scaled' },
  ]);
  assert.equal(assessHealth(degradedFirst)?.status, 'Degraded');
});

test('an HPA with no telling condition is Progressing ("Waiting to Autoscale")', () => {
  const hpa = hpaV2([{ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' }, { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange' }], 'autoscaling/v2beta2');
  assert.deepEqual(assessHealth(hpa), { status: 'Progressing', message: 'Waiting to Autoscale' });
});

test('autoscaling/v1 reads the conditions annotation', () => {
  const healthy = JSON.stringify([{ type: 'ScalingLimited', status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum' }]);
  assert.deepEqual(assessHealth(hpaV1(healthy)), { status: 'Healthy', message: 'the desired replica count is less than the minimum' });
  const degraded = JSON.stringify([{ type: 'AbleToScale', status: 'True', reason: 'FailedGetScale', message: 'no scale' }]);
  assert.equal(assessHealth(hpaV1(degraded))?.status, 'Degraded');
});

test('autoscaling/v1 without the annotation, or with an empty list, is Progressing', () => {
  assert.deepEqual(assessHealth(hpaV1()), { status: 'Progressing', message: 'Waiting to Autoscale' });
  assert.deepEqual(assessHealth(hpaV1('[]')), { status: 'Progressing', message: 'Waiting to Autoscale' });
});

test('autoscaling/v1 with a malformed conditions annotation is Unknown', () => {
  const result = assessHealth(hpaV1('[{"type":'));
  assert.equal(result?.status, 'Unknown');
  assert.match(result?.message ?? '', /^failed to convert conditions annotation to typed: /);
});
