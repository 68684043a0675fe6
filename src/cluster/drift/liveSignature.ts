// What a dry-run prediction depends on in the live object. Its resourceVersion changes on every
// status write (a Deployment's, many times a rollout), which would re-run a dry-run each time for
// nothing: an apply of Git never touches status. So the signature is the live content without
// status, resourceVersion, status-subresource managedFields entries and their timestamps.
// Hashed once per live object version (the caches replace objects when they change).
import type { KubeObject } from '../../core/drift/driftTypes';
import { contentHash } from '../../core/drift/hash';

const signatures = new WeakMap<object, string>();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function applyRelevant(object: KubeObject): KubeObject {
  const { status: _status, ...rest } = object;
  if (!isRecord(rest.metadata)) return rest;
  const { resourceVersion: _version, managedFields, ...metadata } = rest.metadata;
  const entries = Array.isArray(managedFields)
    ? managedFields.filter((entry) => isRecord(entry) && entry.subresource !== 'status').map((entry) => ({ ...(entry as Record<string, unknown>), time: undefined }))
    : undefined;
  return { ...rest, metadata: { ...metadata, managedFields: entries } };
}

export function liveSignature(object: KubeObject): string {
  let signature = signatures.get(object);
  if (signature === undefined) {
    signature = contentHash(applyRelevant(object));
    signatures.set(object, signature);
  }
  return signature;
}
