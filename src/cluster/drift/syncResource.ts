// "Sync to Cluster": server-side apply of Git's object under our field manager with `force`, and
// the preview shown before it (a dry-run of the same apply, diffed against live: the fields that
// would change). Confirmation, protected environments and Argo CD / Flux refusal are the caller's.
// Secret values never leave: a returned Secret carries masked values only.
import { compareResource, objectId } from '../../core/drift/compare';
import type { DriftField, KubeObject } from '../../core/drift/driftTypes';
import { maskValue } from '../../core/drift/secretMask';
import { resourceKey, type ResourceId } from '../../core/model';
import { objectPath } from '../apiDiscovery';
import { ClusterError } from '../clusterError';
import { applyObject, DEFAULT_APPLY_TIMEOUT_MS, locate, type ApplyTarget } from './applyRequest';

export interface SyncOptions {
  /** Namespace for namespaced objects that declare none. */
  defaultNamespace: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  fieldManager?: string;
  /** Salt for the short hashes of masked Secret values (as in CompareOptions). */
  secretHashSalt?: string;
}

export interface SyncResult {
  key: string;
  id: ResourceId;
  /** What the cluster holds after the apply; a Secret's values are masked. */
  object: KubeObject;
}

export type SyncAction = 'create' | 'update' | 'unchanged';

export interface SyncPreview {
  key: string;
  id: ResourceId;
  action: SyncAction;
  /** Fields the apply would change (live → after apply); empty for `create` and `unchanged`. Secret values masked. */
  fields: DriftField[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy whose Secret values (and last-applied annotation, which holds them too) are masked. */
export function maskSecretObject(object: KubeObject, salt?: string): KubeObject {
  if (object.kind !== 'Secret') return object;
  const out: KubeObject = { ...object };
  for (const field of ['data', 'stringData']) {
    const values = out[field];
    if (isRecord(values)) out[field] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, maskValue(v, salt)]));
  }
  if (isRecord(out.metadata) && isRecord(out.metadata.annotations)) {
    const annotations = { ...out.metadata.annotations };
    delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
    out.metadata = { ...out.metadata, annotations };
  }
  return out;
}

export async function syncResource(target: ApplyTarget, object: KubeObject, options: SyncOptions): Promise<SyncResult> {
  const applied = await applyObject(target, object, { ...options, dryRun: false });
  const id = objectId(applied);
  return { key: resourceKey(id), id, object: maskSecretObject(applied, options.secretHashSalt) };
}

/** What a sync would do, without doing it: one GET and one dry-run. */
export async function previewSync(target: ApplyTarget, object: KubeObject, options: SyncOptions): Promise<SyncPreview> {
  const { info, id, body } = await locate(target.discovery, object, options.defaultNamespace);
  const key = resourceKey(id);
  let live: KubeObject | undefined;
  try {
    live = await target.client.request<KubeObject>('GET', objectPath(info, id.namespace, id.name), {
      timeoutMs: options.timeoutMs ?? DEFAULT_APPLY_TIMEOUT_MS,
      signal: options.signal,
      keepAlive: true,
    });
  } catch (error) {
    if (!(error instanceof ClusterError && error.code === 'notFound')) throw error;
  }
  const predicted = await applyObject(target, object, { ...options, dryRun: true });
  if (!live) return { key, id, action: 'create', fields: [] };
  // Server mode compares the prediction with live: exactly what the apply would change. No ignore
  // rules: a sync overwrites ignored fields too, and the dialog must say so.
  const drift = compareResource({ desired: { object: body }, live, predictedLive: predicted, options: { mode: 'server', secretHashSalt: options.secretHashSalt } });
  return { key, id, action: drift.fields.length > 0 ? 'update' : 'unchanged', fields: drift.fields };
}
