// What may be written to disk. Secret values never are: a Secret's `data` / `stringData` entries
// become short salted hashes (enough to see that a value changed, never to read it), and the
// last-applied annotation, which repeats them, is dropped. managedFields go too: they are large
// and the snapshot does not need them.
import type { EnvironmentDrift, ResourceDrift } from '../../core/drift/driftTypes';
import { shortSecretHash } from '../../core/drift/hash';
import { isMaskedValue, maskValue } from '../../core/drift/secretMask';
import type { OperatorStatus } from '../../core/operators/operatorTypes';
import { maskSecrets } from '../../core/secrets';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSecret(object: Record<string, unknown>): boolean {
  return object.kind === 'Secret' && (object.apiVersion === 'v1' || object.apiVersion === undefined);
}

export function sanitizeLiveObject(object: Record<string, unknown>, salt = ''): Record<string, unknown> {
  const copy = structuredClone(object);
  if (isRecord(copy.metadata)) {
    delete copy.metadata.managedFields;
    if (isSecret(copy) && isRecord(copy.metadata.annotations)) delete copy.metadata.annotations[LAST_APPLIED];
  }
  if (isSecret(copy)) {
    for (const key of ['data', 'stringData']) {
      const values = copy[key];
      if (!isRecord(values)) {
        delete copy[key];
        continue;
      }
      copy[key] = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { masked: true, hash: shortSecretHash(value, salt) }]));
    }
  }
  return copy;
}

function sanitizeResource(resource: ResourceDrift, salt: string): ResourceDrift {
  if (resource.id.kind !== 'Secret') return resource;
  // The drift engine masks these already; a snapshot on disk does not rely on it.
  return {
    ...resource,
    fields: resource.fields.map((f) => ({
      ...f,
      ...(f.desired !== undefined ? { desired: isMaskedValue(f.desired) ? f.desired : maskValue(f.desired, salt) } : {}),
      ...(f.live !== undefined ? { live: isMaskedValue(f.live) ? f.live : maskValue(f.live, salt) } : {}),
    })),
  };
}

export function sanitizeDrift(drift: EnvironmentDrift, salt = ''): EnvironmentDrift {
  return { ...drift, resources: drift.resources.map((r) => sanitizeResource(r, salt)) };
}

export function sanitizeOperatorStatus(status: OperatorStatus): OperatorStatus {
  return status.lastError === null ? status : { ...status, lastError: maskSecrets(status.lastError) };
}
