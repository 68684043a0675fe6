// Asking Argo CD and Flux to act, through their own resources — no `argocd` or `flux` executable:
// - Argo CD sync: set the Application's `operation` (what `argocd app sync` does through the API
//   server's SetAppOperation: refuse while another operation is set, clear the old operationState,
//   take syncOptions and retry from the sync policy), guarded by the resourceVersion read;
// - Argo CD refresh / hard refresh: the `argocd.argoproj.io/refresh` annotation;
// - Flux reconcile: the `reconcile.fluxcd.io/requestedAt` annotation (what `flux reconcile` sets),
//   optionally on the source first (`--with-source`); suspend / resume: `spec.suspend`.
// Every action returns the requests it sent, so tests and logs can show exactly what was asked.
import type { OperatorObjectRef } from '../../core/operators/operatorTypes';
import { ARGO_REFRESH_ANNOTATION } from '../../core/operators/argoStatus';
import { FLUX_RECONCILE_ANNOTATION } from '../../core/operators/fluxStatus';
import { isRecord } from '../../core/operators/lenientFields';
import { ClusterError, toClusterError, type ClusterErrorCode } from '../clusterError';
import type { KubeClient } from '../kubeClient';

export type OperatorActionErrorCode = ClusterErrorCode | 'operationInProgress' | 'deleting' | 'suspended' | 'unsupported';

export class OperatorActionError extends Error {
  constructor(
    readonly code: OperatorActionErrorCode,
    message: string,
    /** The cluster error behind it, when the cluster refused or could not be reached. */
    readonly clusterError?: ClusterError,
  ) {
    super(message);
    this.name = 'OperatorActionError';
  }

  get hint(): string {
    switch (this.code) {
      case 'operationInProgress':
        return 'Wait for the running sync to finish (or terminate it in Argo CD), then try again.';
      case 'deleting':
        return 'The Application is being deleted.';
      case 'suspended':
        return 'Resume the object first: Flux ignores reconcile requests while it is suspended.';
      case 'unsupported':
        return '';
      default:
        return this.clusterError?.hint ?? '';
    }
  }
}

export interface SentRequest {
  method: 'PATCH';
  path: string;
  contentType: 'application/merge-patch+json';
  body: Record<string, unknown>;
}

export interface ActionResult {
  /** In the order sent. */
  requests: SentRequest[];
  /** The object as the API server returned it after the last request. */
  object: Record<string, unknown>;
}

export interface ActionOptions {
  timeoutMs?: number;
}

export interface ArgoSyncOptions extends ActionOptions {
  /** Commit, tag or branch to sync to; default: the Application's targetRevision. */
  revision?: string;
  prune?: boolean;
  dryRun?: boolean;
  /** `hook` (Argo's default: runs sync hooks) or `apply` (plain apply). */
  strategy?: 'hook' | 'apply';
  force?: boolean;
  /** Sync only these resources. */
  resources?: Array<{ group?: string; kind: string; name: string; namespace?: string }>;
  /** Per-sync options (`Validate=false`…); default: the Application's `syncPolicy.syncOptions`. */
  syncOptions?: string[];
  /** Recorded as `operation.initiatedBy.username`. */
  username?: string;
}

const MERGE_PATCH = 'application/merge-patch+json';
const PLURALS: Record<OperatorObjectRef['kind'], string> = {
  Application: 'applications',
  Kustomization: 'kustomizations',
  HelmRelease: 'helmreleases',
  GitRepository: 'gitrepositories',
  OCIRepository: 'ocirepositories',
};
const FLUX_SOURCE_PLURALS: Record<string, string> = { GitRepository: 'gitrepositories', OCIRepository: 'ocirepositories', Bucket: 'buckets', HelmChart: 'helmcharts' };

export function objectPathOf(ref: Pick<OperatorObjectRef, 'apiVersion' | 'kind' | 'namespace' | 'name'>, plural = PLURALS[ref.kind]): string {
  if (!ref.namespace) throw new OperatorActionError('invalid', `${ref.kind} ${ref.name} has no namespace`);
  return `/apis/${ref.apiVersion}/namespaces/${encodeURIComponent(ref.namespace)}/${plural}/${encodeURIComponent(ref.name)}`;
}

function failed(error: unknown, what: string): OperatorActionError {
  if (error instanceof OperatorActionError) return error;
  const cluster = toClusterError(error, what);
  return new OperatorActionError(cluster.code, cluster.message, cluster);
}

async function getObject(client: KubeClient, path: string, options: ActionOptions): Promise<Record<string, unknown>> {
  try {
    return await client.request<Record<string, unknown>>('GET', path, { timeoutMs: options.timeoutMs });
  } catch (error) {
    throw failed(error, `GET ${path}`);
  }
}

async function send(client: KubeClient, path: string, body: Record<string, unknown>, options: ActionOptions, sent: SentRequest[]): Promise<Record<string, unknown>> {
  sent.push({ method: 'PATCH', path, contentType: MERGE_PATCH, body });
  try {
    return await client.request<Record<string, unknown>>('PATCH', path, { body, contentType: MERGE_PATCH, timeoutMs: options.timeoutMs });
  } catch (error) {
    throw failed(error, `PATCH ${path}`);
  }
}

function record(value: unknown, ...path: string[]): Record<string, unknown> | undefined {
  let current = value;
  for (const key of path) current = isRecord(current) ? current[key] : undefined;
  return isRecord(current) ? current : undefined;
}

/** The `operation` Argo CD's API server would write for this sync request. */
export function argoSyncOperation(application: Record<string, unknown>, options: ArgoSyncOptions = {}): Record<string, unknown> {
  const syncPolicy = record(application, 'spec', 'syncPolicy');
  const apply = options.force ? { force: true } : {};
  const sync: Record<string, unknown> = {};
  if (options.revision) sync.revision = options.revision;
  if (options.prune) sync.prune = true;
  if (options.dryRun) sync.dryRun = true;
  sync.syncStrategy = options.strategy === 'apply' ? { apply } : { hook: apply };
  if (options.resources && options.resources.length > 0) sync.resources = options.resources.map((r) => ({ ...(r.group ? { group: r.group } : {}), kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) }));
  const policyOptions = Array.isArray(syncPolicy?.syncOptions) ? syncPolicy.syncOptions.filter((o): o is string => typeof o === 'string') : [];
  const syncOptions = options.syncOptions ?? policyOptions;
  if (syncOptions.length > 0) sync.syncOptions = syncOptions;
  const operation: Record<string, unknown> = { initiatedBy: { username: options.username ?? 'gitops-environments' }, sync };
  if (isRecord(syncPolicy?.retry)) operation.retry = syncPolicy.retry;
  return operation;
}

/** Asks Argo CD to sync an Application. Throws OperatorActionError (`operationInProgress` while one is set). */
export async function argoSync(client: KubeClient, ref: OperatorObjectRef, options: ArgoSyncOptions = {}): Promise<ActionResult> {
  if (ref.kind !== 'Application') throw new OperatorActionError('unsupported', `Only an Argo CD Application can be synced, not a ${ref.kind}`);
  const path = objectPathOf(ref);
  const sent: SentRequest[] = [];
  // As SetAppOperation: read, check, write with the version read; a concurrent writer means read again.
  for (let attempt = 0; ; attempt++) {
    const application = await getObject(client, path, options);
    const metadata = record(application, 'metadata') ?? {};
    if (metadata.deletionTimestamp) throw new OperatorActionError('deleting', `Application ${ref.name} is being deleted`);
    if (isRecord(application.operation)) throw new OperatorActionError('operationInProgress', `Application ${ref.name}: another operation is already in progress`);
    if (options.revision && Array.isArray(record(application, 'spec')?.sources)) {
      throw new OperatorActionError('unsupported', `Application ${ref.name} has several sources; sync it without naming a revision`);
    }
    const body = {
      metadata: { resourceVersion: metadata.resourceVersion },
      operation: argoSyncOperation(application, options),
      status: { operationState: null },
    };
    try {
      return { requests: sent, object: await send(client, path, body, options, sent) };
    } catch (error) {
      if (!(error instanceof OperatorActionError && error.code === 'conflict') || attempt >= 2) throw error;
    }
  }
}

/** Asks Argo CD to compare the Application with Git again; `hard` also drops its manifest cache. */
export async function argoRefresh(client: KubeClient, ref: OperatorObjectRef, hard = false, options: ActionOptions = {}): Promise<ActionResult> {
  if (ref.kind !== 'Application') throw new OperatorActionError('unsupported', `Only an Argo CD Application can be refreshed, not a ${ref.kind}`);
  const sent: SentRequest[] = [];
  const body = { metadata: { annotations: { [ARGO_REFRESH_ANNOTATION]: hard ? 'hard' : 'normal' } } };
  return { requests: sent, object: await send(client, objectPathOf(ref), body, options, sent) };
}

export interface FluxReconcileOptions extends ActionOptions {
  /** Reconcile the Kustomization's source first, as `flux reconcile ks --with-source`. */
  withSource?: boolean;
  /** The time written; default now. */
  now?: Date;
}

/** Asks Flux to reconcile now. Throws `suspended` for a suspended object, as `flux reconcile` does. */
export async function fluxReconcile(client: KubeClient, ref: OperatorObjectRef, options: FluxReconcileOptions = {}): Promise<ActionResult> {
  if (ref.kind === 'Application') throw new OperatorActionError('unsupported', 'An Argo CD Application is synced or refreshed, not reconciled');
  const path = objectPathOf(ref);
  const object = await getObject(client, path, options);
  if (record(object, 'spec')?.suspend === true) throw new OperatorActionError('suspended', `${ref.kind} ${ref.name} is suspended`);
  const requestedAt = (options.now ?? new Date()).toISOString();
  const body = { metadata: { annotations: { [FLUX_RECONCILE_ANNOTATION]: requestedAt } } };
  const sent: SentRequest[] = [];
  const sourceRef = record(object, 'spec', 'sourceRef');
  if (options.withSource && ref.kind === 'Kustomization' && sourceRef && typeof sourceRef.name === 'string' && FLUX_SOURCE_PLURALS[String(sourceRef.kind ?? 'GitRepository')]) {
    const kind = String(sourceRef.kind ?? 'GitRepository');
    const namespace = typeof sourceRef.namespace === 'string' ? sourceRef.namespace : ref.namespace;
    const apiVersion = typeof sourceRef.apiVersion === 'string' ? sourceRef.apiVersion : 'source.toolkit.fluxcd.io/v1';
    const sourcePath = `/apis/${apiVersion}/namespaces/${encodeURIComponent(namespace ?? '')}/${FLUX_SOURCE_PLURALS[kind]}/${encodeURIComponent(sourceRef.name)}`;
    await send(client, sourcePath, body, options, sent);
  }
  return { requests: sent, object: await send(client, path, body, options, sent) };
}

/** Stops (`true`) or restarts (`false`) Flux reconciling the object, as `flux suspend` / `flux resume`. */
export async function fluxSetSuspended(client: KubeClient, ref: OperatorObjectRef, suspend: boolean, options: ActionOptions = {}): Promise<ActionResult> {
  if (ref.kind === 'Application') throw new OperatorActionError('unsupported', 'Argo CD Applications cannot be suspended');
  const sent: SentRequest[] = [];
  return { requests: sent, object: await send(client, objectPathOf(ref), { spec: { suspend } }, options, sent) };
}
