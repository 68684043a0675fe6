// HorizontalPodAutoscaler health (gitops-engine). autoscaling/v1 has no status.conditions; the
// controller writes them into an annotation as JSON instead. The first condition that says
// something decides: a known failure is Degraded, AbleToScale or ScalingLimited True is Healthy.
import { health, type HealthResult } from './healthStatus';
import { isRecord, readConditions, readRecord, type Condition, type KubeObject } from './objectFields';

export const HPA_V1_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

const WAITING = 'Waiting to Autoscale';

const DEGRADED: ReadonlyArray<readonly [type: string, reason: string]> = [
  ['AbleToScale', 'FailedGetScale'],
  ['AbleToScale', 'FailedUpdateScale'],
  ['ScalingActive', 'FailedGetResourceMetric'],
  ['ScalingActive', 'InvalidSelector'],
];

function checkConditions(conditions: Condition[]): HealthResult {
  for (const c of conditions) {
    if (DEGRADED.some(([type, reason]) => c.type === type && c.reason === reason)) return health('Degraded', c.message);
    if ((c.type === 'AbleToScale' || c.type === 'ScalingLimited') && c.status === 'True') return health('Healthy', c.message);
  }
  return health('Progressing', WAITING);
}

/** Go's encoding/json matches field names case-insensitively; the annotation is read the same way. */
function stringField(object: Record<string, unknown>, name: string): string {
  const key = Object.keys(object).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : object[key];
  return typeof value === 'string' ? value : '';
}

function annotationConditions(text: string): Condition[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed) || !parsed.every(isRecord)) return 'expected a JSON array of conditions';
  return parsed.map((c) => ({
    type: stringField(c, 'type'),
    status: stringField(c, 'status'),
    reason: stringField(c, 'reason'),
    message: stringField(c, 'message'),
  }));
}

export function hpaHealth(hpa: KubeObject, version: string): HealthResult {
  if (version !== 'v1') return checkConditions(readConditions(hpa));
  const annotation = readRecord(hpa, 'metadata', 'annotations')?.[HPA_V1_CONDITIONS_ANNOTATION];
  if (annotation === undefined) return health('Progressing', WAITING);
  const conditions = typeof annotation === 'string' ? annotationConditions(annotation) : 'annotation is not a string';
  if (typeof conditions === 'string') return health('Unknown', `failed to convert conditions annotation to typed: ${conditions}`);
  return conditions.length === 0 ? health('Progressing', WAITING) : checkConditions(conditions);
}
