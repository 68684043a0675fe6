// An Argo CD Application's own report, read from its status: sync status, reported health, the
// revision deployed, when, and the last error. The deployed revision is the one in the cluster:
// when Synced that is `status.sync.revision`; when OutOfSync `status.sync.revision` is what Git
// says now, so the deployed one comes from the history of syncs (newest last) or the last
// successful sync operation.
import { applicationReportedHealth } from '../health/argoHealth';
import { health } from '../health/healthStatus';
import { branchFromRevision } from '../argoDiscovery';
import { remoteIdentity, stripUrlCredentials } from '../remoteUrl';
import { normalizeRepoPath } from '../safeNames';
import { field, isRecord, metadataOf, oneLine, record, records, text, type KubeObject } from './lenientFields';
import { revisionSha } from './revision';
import type { ObjectPointer, OperatorSource, OperatorStatus, OperatorSyncStatus, PendingRequest } from './operatorTypes';

export const ARGO_REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh';

function cleanPath(raw: string | null): string | null {
  if (raw === null) return null;
  const normalized = normalizeRepoPath(raw);
  return normalized.ok ? normalized.path : null;
}

function sourceOf(source: KubeObject): OperatorSource {
  const rawUrl = text(source, 'repoURL');
  const url = rawUrl === null ? null : stripUrlCredentials(rawUrl);
  const revision = text(source, 'targetRevision');
  const chart = text(source, 'chart');
  return {
    url,
    repoIdentity: rawUrl === null ? null : remoteIdentity(rawUrl),
    revision,
    branch: chart === null ? branchFromRevision(revision ?? '') : null,
    path: cleanPath(text(source, 'path')),
    ...(chart !== null ? { chart } : {}),
  };
}

/**
 * Sources with the manifests first: a chart source or a source that only provides Helm value
 * files (`ref:` without `path:`) comes after the Git folder that is the environment.
 */
function sourcesOf(object: KubeObject): { sources: OperatorSource[]; primaryIndex: number } {
  const single = record(object, 'spec', 'source');
  const multiple = records(object, 'spec', 'sources');
  const all = multiple.length > 0 ? multiple : single ? [single] : [];
  const isManifestFolder = (s: KubeObject): boolean => text(s, 'chart') === null && !(text(s, 'ref') !== null && text(s, 'path') === null);
  let primaryIndex = all.findIndex((s) => isManifestFolder(s) && text(s, 'path') !== null);
  if (primaryIndex < 0) primaryIndex = all.findIndex(isManifestFolder);
  if (primaryIndex < 0) primaryIndex = 0;
  const ordered = all.length > 0 ? [all[primaryIndex], ...all.filter((_, i) => i !== primaryIndex)] : [];
  return { sources: ordered.map(sourceOf), primaryIndex };
}

/** The revision for the primary source: single-source fields, else the entry of the multi-source list. */
function revisionAt(container: unknown, index: number): string | null {
  const single = text(container, 'revision');
  if (single !== null) return single;
  const list = field(container, 'revisions');
  return Array.isArray(list) && typeof list[index] === 'string' && list[index] !== '' ? list[index] : null;
}

function syncStatusOf(object: KubeObject): OperatorSyncStatus {
  const status = text(object, 'status', 'sync', 'status');
  return status === 'Synced' || status === 'OutOfSync' ? status : 'Unknown';
}

function deployedRevisionOf(object: KubeObject, sync: OperatorSyncStatus, index: number): string | null {
  const syncRevision = revisionAt(record(object, 'status', 'sync'), index);
  if (sync === 'Synced' && syncRevision !== null) return syncRevision;
  const history = records(object, 'status', 'history');
  const last = history.length > 0 ? history[history.length - 1] : null;
  const fromHistory = last ? revisionAt(last, index) : null;
  if (fromHistory !== null) return fromHistory;
  const operation = record(object, 'status', 'operationState');
  const dryRun = field(operation, 'operation', 'sync', 'dryRun') === true;
  if (operation && text(operation, 'phase') === 'Succeeded' && !dryRun) return revisionAt(record(operation, 'syncResult'), index);
  return null;
}

function lastSyncTimeOf(object: KubeObject): string | null {
  const finished = text(object, 'status', 'operationState', 'finishedAt');
  if (finished !== null) return finished;
  const history = records(object, 'status', 'history');
  return history.length > 0 ? text(history[history.length - 1], 'deployedAt') : null;
}

/** Failed sync first, then error conditions, then a degraded health message, then warnings. */
function lastErrorOf(object: KubeObject): string | null {
  const operation = record(object, 'status', 'operationState');
  const phase = text(operation, 'phase');
  if (phase === 'Failed' || phase === 'Error') {
    const message = text(operation, 'message');
    return oneLine(`Sync ${phase === 'Failed' ? 'failed' : 'error'}${message ? `: ${message}` : ''}`);
  }
  const conditions = records(object, 'status', 'conditions').map((c) => ({ type: text(c, 'type') ?? '', message: text(c, 'message') ?? '' }));
  const error = conditions.find((c) => c.type.endsWith('Error'));
  if (error) return oneLine(`${error.type}: ${error.message}`);
  const reported = text(object, 'status', 'health', 'status');
  const healthMessage = text(object, 'status', 'health', 'message');
  if ((reported === 'Degraded' || reported === 'Missing') && healthMessage) return oneLine(`${reported}: ${healthMessage}`);
  const warning = conditions.find((c) => c.type.endsWith('Warning'));
  return warning ? oneLine(`${warning.type}: ${warning.message}`) : null;
}

function generatedByOf(object: KubeObject): ObjectPointer | null {
  const owner = records(object, 'metadata', 'ownerReferences').find((o) => text(o, 'kind') === 'ApplicationSet');
  const name = owner ? text(owner, 'name') : null;
  return name ? { kind: 'ApplicationSet', namespace: metadataOf(object).namespace, name } : null;
}

function autoSyncOf(object: KubeObject): boolean {
  const automated = field(object, 'spec', 'syncPolicy', 'automated');
  // Argo CD 3.x can keep the automated block and switch it off with `enabled: false`.
  return isRecord(automated) && automated.enabled !== false;
}

function pendingOf(object: KubeObject): PendingRequest {
  const pending: PendingRequest = {};
  const refresh = metadataOf(object).annotations[ARGO_REFRESH_ANNOTATION];
  if (refresh === 'normal' || refresh === 'hard') pending.refresh = refresh;
  if (isRecord(object.operation)) pending.operation = true;
  return pending;
}

/** The status of one Argo CD Application. */
export function argoApplicationStatus(object: KubeObject, context: string | null = null): OperatorStatus {
  const meta = metadataOf(object);
  const { sources, primaryIndex } = sourcesOf(object);
  const sync = syncStatusOf(object);
  const deployedRevision = deployedRevisionOf(object, sync, primaryIndex);
  const targetRevision = revisionAt(record(object, 'status', 'sync'), primaryIndex);
  const destination = record(object, 'spec', 'destination');
  return {
    operator: 'argocd',
    ref: { apiVersion: text(object, 'apiVersion') ?? 'argoproj.io/v1alpha1', kind: 'Application', namespace: meta.namespace, name: meta.name },
    context,
    sync,
    health: applicationReportedHealth(object) ?? health('Unknown'),
    deployedRevision,
    deployedSha: revisionSha(deployedRevision),
    targetRevision,
    targetSha: revisionSha(targetRevision),
    lastSyncTime: lastSyncTimeOf(object),
    lastError: lastErrorOf(object),
    suspended: false,
    autoSync: autoSyncOf(object),
    operationPhase: text(object, 'status', 'operationState', 'phase') ?? (isRecord(object.operation) ? 'Requested' : null),
    sources,
    generatedBy: generatedByOf(object),
    appliedBy: null,
    destination: destination ? { server: text(destination, 'server'), name: text(destination, 'name'), namespace: text(destination, 'namespace') } : null,
    pending: pendingOf(object),
  };
}
