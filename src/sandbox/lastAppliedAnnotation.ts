// The API server's bridge between client-side and server-side apply, for field manager
// "kubectl" only (as upstream): conflicts with client-side apply are forgiven for fields whose
// live value still matches the kubectl.kubernetes.io/last-applied-configuration annotation, and
// the annotation is rewritten to the newly applied configuration when the object carries one.
// Without this, `kubectl apply --server-side` on an object made by `kubectl apply` conflicts.

import { fieldSetOfObject, hasMember, members, valueAtPath, type FieldPath, type FieldSet } from './fieldSet';
import { deepEqual, isKubeObject, isRecord, type KubeObject } from './kubeObject';
import type { SchemaNode } from './mergeSchema';

export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
export const lastAppliedManager = 'kubectl';

/** Fields of the last-applied configuration whose live value is unchanged: conflicts on them are allowed. */
export function conflictsAllowedByLastApplied(live: KubeObject | undefined, schema: SchemaNode, skipStatus: boolean): (path: FieldPath) => boolean {
  const text = live?.metadata.annotations?.[lastAppliedAnnotation];
  if (!live || typeof text !== 'string') return () => false;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return () => false;
  }
  if (!isKubeObject(lastApplied)) return () => false;
  const allowed: FieldSet = new Map();
  const lastSet = fieldSetOfObject(lastApplied, schema, skipStatus);
  const matching = members(lastSet).filter((member) => {
    const before = valueAtPath(lastApplied, member.path);
    const now = valueAtPath(live, member.path);
    return member.leaf ? deepEqual(before, now) : now !== undefined;
  });
  for (const member of matching) {
    let node = allowed;
    for (const token of member.path) {
      let child = node.get(token);
      if (!child) node.set(token, (child = new Map()));
      node = child;
    }
    node.set('.', new Map());
  }
  return (path) => hasMember(allowed, path);
}

// Go's encoding/json writes map keys sorted; kubectl writes the annotation the same way.
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((key) => value[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${sortedJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Rewrites the annotation (when present on the result) to the applied configuration without it. */
export function syncLastApplied(result: KubeObject, applied: KubeObject): void {
  if (typeof result.metadata.annotations?.[lastAppliedAnnotation] !== 'string') return;
  const annotations = { ...applied.metadata.annotations };
  delete annotations[lastAppliedAnnotation];
  const metadata: Record<string, unknown> = { ...applied.metadata, annotations };
  if (Object.keys(annotations).length === 0) delete metadata.annotations;
  result.metadata.annotations = { ...result.metadata.annotations, [lastAppliedAnnotation]: sortedJson({ ...applied, metadata }) };
}
