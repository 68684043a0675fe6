// Lenient reads of operator objects. Unlike the health readers, a field of the wrong type is
// treated as absent: this is the operator's own report, and one odd field must not hide the rest.
import { isRecord, type KubeObject } from '../health/objectFields';
import { maskSecrets } from '../secrets';
import type { ObjectPointer } from './operatorTypes';

export { isRecord };
export type { KubeObject };

export function field(object: unknown, ...path: string[]): unknown {
  let current: unknown = object;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A non-empty trimmed string, else null. */
export function text(object: unknown, ...path: string[]): string | null {
  const value = field(object, ...path);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export function record(object: unknown, ...path: string[]): KubeObject | null {
  const value = field(object, ...path);
  return isRecord(value) ? value : null;
}

export function records(object: unknown, ...path: string[]): KubeObject[] {
  const value = field(object, ...path);
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export interface LenientCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime: string | null;
}

export function conditionsOf(object: unknown): LenientCondition[] {
  return records(object, 'status', 'conditions').map((c) => ({
    type: text(c, 'type') ?? '',
    status: text(c, 'status') ?? '',
    reason: text(c, 'reason') ?? '',
    message: text(c, 'message') ?? '',
    lastTransitionTime: text(c, 'lastTransitionTime'),
  }));
}

export function metadataOf(object: KubeObject): { name: string; namespace: string | null; annotations: Record<string, string>; labels: Record<string, string> } {
  const strings = (value: unknown): Record<string, string> => {
    const out: Record<string, string> = {};
    if (isRecord(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
    return out;
  };
  return {
    name: text(object, 'metadata', 'name') ?? '',
    namespace: text(object, 'metadata', 'namespace'),
    annotations: strings(field(object, 'metadata', 'annotations')),
    labels: strings(field(object, 'metadata', 'labels')),
  };
}

/** The Kustomization that applied an object, from the labels kustomize-controller stamps on it. */
export function appliedByOf(object: KubeObject): ObjectPointer | null {
  const { labels } = metadataOf(object);
  const name = labels['kustomize.toolkit.fluxcd.io/name'];
  if (!name) return null;
  return { kind: 'Kustomization', namespace: labels['kustomize.toolkit.fluxcd.io/namespace'] ?? null, name };
}

/**
 * One line from a message that may span several (Flux and Argo both write multi-line errors), with
 * credentials masked: a failed clone quotes its URL, token included.
 */
export function oneLine(message: string, max = 400): string {
  const line = maskSecrets(message).replace(/\s*\n\s*/g, ' ').replace(/\s{2,}/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
