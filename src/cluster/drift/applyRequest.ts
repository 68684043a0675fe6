// One server-side apply request (PATCH application/apply-patch+yaml) under our field manager, for
// both the drift dry-run and "Sync to Cluster". JSON is valid YAML, so the body is plain JSON.
import type { KubeObject } from '../../core/drift/driftTypes';
import { splitApiVersion, type ResourceId } from '../../core/model';
import { objectPath, type ApiDiscovery, type ApiResourceInfo } from '../apiDiscovery';
import { ClusterError } from '../clusterError';
import type { KubeClient } from '../kubeClient';

/** Our field manager: the owner of every field Git declares once we apply it. */
export const FIELD_MANAGER = 'gitops-environments';

/** Per request; a dry-run is cheap, so a slow answer means trouble, not work. */
export const DEFAULT_APPLY_TIMEOUT_MS = 10_000;

/** The cluster an apply goes to: its client and discovery (from ClusterManager). */
export interface ApplyTarget {
  client: KubeClient;
  discovery: ApiDiscovery;
}

export interface ApplyOptions {
  dryRun: boolean;
  /** Namespace for namespaced objects that declare none. */
  defaultNamespace: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  fieldManager?: string;
}

/** Metadata Git may carry (an exported object) that an apply must not send: preconditions and server-owned fields. */
const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Group, version and kind of an object; a ClusterError `invalid` when it has none. */
export function gvkOf(object: KubeObject): { group: string; version: string; kind: string } {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const kind = typeof object.kind === 'string' ? object.kind : '';
  if (apiVersion === '' || kind === '') throw new ClusterError('invalid', 'The object has no apiVersion or kind');
  const { group, version } = splitApiVersion(apiVersion);
  return { group, version, kind };
}

/**
 * The object as it is sent: namespace filled in for namespaced kinds (and removed for cluster-scoped
 * ones, which kubectl ignores too), server-owned metadata dropped. Shallow: the input is not touched.
 */
export function applyBody(object: KubeObject, info: Pick<ApiResourceInfo, 'namespaced'>, defaultNamespace: string): KubeObject {
  const metadata: Record<string, unknown> = { ...(isRecord(object.metadata) ? object.metadata : {}) };
  for (const key of SERVER_METADATA) delete metadata[key];
  if (info.namespaced) {
    if (typeof metadata.namespace !== 'string' || metadata.namespace === '') metadata.namespace = defaultNamespace;
  } else {
    delete metadata.namespace;
  }
  return { ...object, metadata };
}

/** Where the object lives: its REST resource, namespace and name. */
export async function locate(discovery: ApiDiscovery, object: KubeObject, defaultNamespace: string): Promise<{ info: ApiResourceInfo; id: ResourceId; body: KubeObject }> {
  const gvk = gvkOf(object);
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  if (name === '') throw new ClusterError('invalid', `The ${gvk.kind} has no metadata.name`);
  const info = await discovery.resolve(gvk);
  const body = applyBody(object, info, defaultNamespace);
  const namespace = info.namespaced ? ((body.metadata as Record<string, unknown>).namespace as string) : null;
  return { info, id: { ...gvk, namespace, name }, body };
}

/** Applies (or, with `dryRun`, predicts applying) one object with `force`; returns what the server holds or would hold. */
export async function applyObject(target: ApplyTarget, object: KubeObject, options: ApplyOptions): Promise<KubeObject> {
  const { info, id, body } = await locate(target.discovery, object, options.defaultNamespace);
  return target.client.request<KubeObject>('PATCH', objectPath(info, id.namespace, id.name), {
    query: {
      fieldManager: options.fieldManager ?? FIELD_MANAGER,
      force: true,
      fieldValidation: 'Strict',
      dryRun: options.dryRun ? 'All' : undefined,
    },
    body,
    contentType: 'application/apply-patch+yaml',
    timeoutMs: options.timeoutMs ?? DEFAULT_APPLY_TIMEOUT_MS,
    signal: options.signal,
    keepAlive: true,
  });
}
