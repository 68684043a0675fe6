// The /scale subresource (autoscaling/v1 Scale), which `kubectl scale` and autoscalers use:
// a view of spec.replicas / status.replicas / the label selector of a scalable object.

import { isRecord, type KubeObject } from './kubeObject';
import type { ScaleSubresource } from './resourceType';

function pathParts(path: string): string[] {
  return path.split('.').filter((part) => part !== '');
}

export function readPath(object: unknown, path: string): unknown {
  let current = object;
  for (const part of pathParts(path)) current = isRecord(current) ? current[part] : undefined;
  return current;
}

export function writePath(object: Record<string, unknown>, path: string, value: unknown): void {
  const parts = pathParts(path);
  let current: Record<string, unknown> = object;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (isRecord(next)) current = next;
    else {
      const created: Record<string, unknown> = {};
      current[part] = created;
      current = created;
    }
  }
  current[parts[parts.length - 1]] = value;
}

function selectorString(object: KubeObject, scale: ScaleSubresource): string {
  const fromStatus = scale.labelSelectorPath ? readPath(object, scale.labelSelectorPath) : undefined;
  if (typeof fromStatus === 'string') return fromStatus;
  const matchLabels = readPath(object, '.spec.selector.matchLabels');
  if (!isRecord(matchLabels)) return '';
  return Object.entries(matchLabels)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(',');
}

export function toScale(object: KubeObject, scale: ScaleSubresource): KubeObject {
  const specReplicas = readPath(object, scale.specReplicasPath);
  const statusReplicas = readPath(object, scale.statusReplicasPath);
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec: { replicas: typeof specReplicas === 'number' ? specReplicas : 0 },
    status: { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0, selector: selectorString(object, scale) },
  };
}
