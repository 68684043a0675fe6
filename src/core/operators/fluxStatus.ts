// A Flux object's own report. Flux has no "OutOfSync": an object is Synced when its Ready condition
// is True and the revision it last attempted is the one it applied; Ready False (apply or health
// check failed) is OutOfSync; Ready Unknown (reconciling) or no conditions yet is Unknown. Where the
// object reads its manifests needs its source object (GitRepository, or for an ExternalArtifact the
// ArtifactGenerator that cuts it from a GitRepository), found through `lookup`.
import { assessHealth } from '../health/assessHealth';
import { health } from '../health/healthStatus';
import { mapArtifactPath } from '../fluxDiscovery';
import { remoteIdentity, stripUrlCredentials } from '../remoteUrl';
import { branchNameProblem, normalizeRepoPath } from '../safeNames';
import { appliedByOf, conditionsOf, field, metadataOf, oneLine, record, records, text, type KubeObject, type LenientCondition } from './lenientFields';
import { revisionSha } from './revision';
import type { ObjectPointer, OperatorObjectKind, OperatorSource, OperatorStatus, OperatorSyncStatus, PendingRequest } from './operatorTypes';

export const FLUX_RECONCILE_ANNOTATION = 'reconcile.fluxcd.io/requestedAt';

/** Finds the objects a Flux object refers to, among the live objects of the same cluster. */
export interface FluxObjectLookup {
  get(kind: string, namespace: string | null, name: string): KubeObject | undefined;
  /** Every ArtifactGenerator (source.extensions.fluxcd.io) of the cluster. */
  artifactGenerators(): readonly KubeObject[];
}

function cleanPath(raw: string | null): string | null {
  if (raw === null) return null;
  const normalized = normalizeRepoPath(raw);
  return normalized.ok ? normalized.path : null;
}

/** What a GitRepository follows, and the branch when that is one (Flux defaults to `master`). */
function gitRef(repository: KubeObject): { revision: string | null; branch: string | null } {
  const ref = record(repository, 'spec', 'ref');
  if (!ref) return { revision: 'master', branch: 'master' };
  const name = text(ref, 'name');
  if (name !== null) {
    const branch = name.startsWith('refs/heads/') ? name.slice('refs/heads/'.length) : null;
    return { revision: name, branch: branch !== null && !branchNameProblem(branch) ? branch : null };
  }
  const pinned = text(ref, 'tag') ?? text(ref, 'semver') ?? text(ref, 'commit');
  if (pinned !== null) return { revision: pinned, branch: null };
  const branch = text(ref, 'branch');
  return { revision: branch, branch: branch !== null && !branchNameProblem(branch) ? branch : null };
}

function urlParts(rawUrl: string | null): Pick<OperatorSource, 'url' | 'repoIdentity'> {
  return { url: rawUrl === null ? null : stripUrlCredentials(rawUrl), repoIdentity: rawUrl === null ? null : remoteIdentity(rawUrl) };
}

function pointer(ref: KubeObject | null, defaultNamespace: string | null, defaultKind: string): ObjectPointer | null {
  const name = text(ref, 'name');
  return name === null ? null : { kind: text(ref, 'kind') ?? defaultKind, namespace: text(ref, 'namespace') ?? defaultNamespace, name };
}

/** The source behind `sourceRef`, with `path` inside it translated to a repository path. */
function resolveSource(ref: ObjectPointer, path: string | null, lookup: FluxObjectLookup): OperatorSource {
  if (ref.kind === 'GitRepository' || ref.kind === 'OCIRepository') {
    const source = lookup.get(ref.kind, ref.namespace, ref.name);
    if (!source) return { url: null, repoIdentity: null, revision: null, branch: null, path, sourceRef: ref };
    if (ref.kind === 'OCIRepository') {
      const revision = text(source, 'spec', 'ref', 'tag') ?? text(source, 'spec', 'ref', 'semver') ?? text(source, 'spec', 'ref', 'digest');
      return { ...urlParts(text(source, 'spec', 'url')), revision, branch: null, path, sourceRef: ref };
    }
    return { ...urlParts(text(source, 'spec', 'url')), ...gitRef(source), path, sourceRef: ref };
  }
  if (ref.kind === 'ExternalArtifact') {
    const followed = followArtifact(ref, path ?? '', lookup);
    if (followed) return { ...resolveSource(followed.gitRepository, followed.path, lookup), sourceRef: ref, origin: followed.gitRepository };
  }
  return { url: null, repoIdentity: null, revision: null, branch: null, path, sourceRef: ref };
}

/** ExternalArtifact → the ArtifactGenerator producing it → its copy rules → the GitRepository and folder. */
function followArtifact(ref: ObjectPointer, path: string, lookup: FluxObjectLookup): { gitRepository: ObjectPointer; path: string | null } | null {
  const producing = lookup.artifactGenerators().filter((g) => records(g, 'spec', 'artifacts').some((a) => text(a, 'name') === ref.name));
  const generator = producing.find((g) => metadataOf(g).namespace === ref.namespace) ?? producing[0];
  if (!generator) return null;
  const artifact = records(generator, 'spec', 'artifacts').find((a) => text(a, 'name') === ref.name);
  const copies = field(artifact, 'copy');
  const mapped = Array.isArray(copies) ? mapArtifactPath(copies, path) : undefined;
  if (!mapped) return null;
  const source = records(generator, 'spec', 'sources').find((s) => text(s, 'alias') === mapped.alias);
  const name = text(source, 'name');
  if (!source || name === null || (text(source, 'kind') ?? 'GitRepository') !== 'GitRepository') return null;
  return { gitRepository: { kind: 'GitRepository', namespace: text(source, 'namespace') ?? metadataOf(generator).namespace, name }, path: cleanPath(mapped.path) };
}

function helmReleaseSource(object: KubeObject, namespace: string | null, lookup: FluxObjectLookup): OperatorSource[] {
  const chartRef = pointer(record(object, 'spec', 'chartRef'), namespace, 'OCIRepository');
  if (chartRef) return [resolveSource(chartRef, null, lookup)];
  const chartSpec = record(object, 'spec', 'chart', 'spec');
  const sourceRef = pointer(record(chartSpec, 'sourceRef'), namespace, 'HelmRepository');
  const chart = text(chartSpec, 'chart');
  if (!sourceRef) return [];
  if (sourceRef.kind === 'GitRepository' || sourceRef.kind === 'Bucket') return [resolveSource(sourceRef, cleanPath(chart), lookup)];
  const repository = lookup.get(sourceRef.kind, sourceRef.namespace, sourceRef.name);
  return [{ ...urlParts(text(repository, 'spec', 'url')), revision: text(chartSpec, 'version'), branch: null, path: null, ...(chart ? { chart } : {}), sourceRef }];
}

function sourcesOf(kind: OperatorObjectKind, object: KubeObject, lookup: FluxObjectLookup): OperatorSource[] {
  const namespace = metadataOf(object).namespace;
  switch (kind) {
    case 'Kustomization': {
      const ref = pointer(record(object, 'spec', 'sourceRef'), namespace, 'GitRepository');
      return ref ? [resolveSource(ref, cleanPath(text(object, 'spec', 'path')), lookup)] : [];
    }
    case 'HelmRelease':
      return helmReleaseSource(object, namespace, lookup);
    case 'GitRepository':
      return [{ ...urlParts(text(object, 'spec', 'url')), ...gitRef(object), path: null }];
    case 'OCIRepository':
      return [resolveSource({ kind: 'OCIRepository', namespace, name: metadataOf(object).name }, null, { get: () => object, artifactGenerators: () => [] })];
    default:
      return [];
  }
}

/** Deployed and attempted revisions, per kind. */
function revisionsOf(kind: OperatorObjectKind, object: KubeObject): { deployed: string | null; attempted: string | null } {
  switch (kind) {
    case 'Kustomization':
      return { deployed: text(object, 'status', 'lastAppliedRevision'), attempted: text(object, 'status', 'lastAttemptedRevision') };
    case 'HelmRelease': {
      // helm.toolkit.fluxcd.io/v2 keeps releases in `history` (newest first); v2beta1 had lastAppliedRevision.
      const latest = records(object, 'status', 'history')[0];
      const deployed = text(latest, 'chartVersion') ?? text(object, 'status', 'lastAppliedRevision');
      return { deployed, attempted: text(object, 'status', 'lastAttemptedRevision') ?? deployed };
    }
    default: {
      const artifact = text(object, 'status', 'artifact', 'revision');
      return { deployed: artifact, attempted: artifact };
    }
  }
}

function syncOf(ready: LenientCondition | undefined, deployed: string | null, attempted: string | null): OperatorSyncStatus {
  if (!ready) return 'Unknown';
  if (ready.status === 'False') return 'OutOfSync';
  if (ready.status !== 'True') return 'Unknown';
  return attempted !== null && deployed !== null && attempted !== deployed ? 'OutOfSync' : 'Synced';
}

function lastErrorOf(conditions: readonly LenientCondition[]): string | null {
  const stalled = conditions.find((c) => c.type === 'Stalled' && c.status === 'True');
  if (stalled) return oneLine(`Stalled${stalled.reason ? ` (${stalled.reason})` : ''}: ${stalled.message}`);
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'False') return oneLine(`${ready.reason || 'Not ready'}: ${ready.message}`);
  const failing = conditions.find((c) => /Failed$/.test(c.type) && c.status === 'True');
  return failing ? oneLine(`${failing.type}${failing.reason ? ` (${failing.reason})` : ''}: ${failing.message}`) : null;
}

function lastSyncTimeOf(kind: OperatorObjectKind, object: KubeObject, ready: LenientCondition | undefined): string | null {
  if (kind === 'HelmRelease') return text(records(object, 'status', 'history')[0], 'lastDeployed') ?? ready?.lastTransitionTime ?? null;
  if (kind === 'GitRepository' || kind === 'OCIRepository') return text(object, 'status', 'artifact', 'lastUpdateTime') ?? ready?.lastTransitionTime ?? null;
  return ready?.lastTransitionTime ?? null;
}

function pendingOf(object: KubeObject): PendingRequest {
  const requested = metadataOf(object).annotations[FLUX_RECONCILE_ANNOTATION];
  return requested && requested !== text(object, 'status', 'lastHandledReconcileAt') ? { reconcileRequestedAt: requested } : {};
}

/** The status of one Flux Kustomization, HelmRelease, GitRepository or OCIRepository. */
export function fluxObjectStatus(kind: OperatorObjectKind, object: KubeObject, lookup: FluxObjectLookup, context: string | null = null): OperatorStatus {
  const meta = metadataOf(object);
  const conditions = conditionsOf(object);
  const ready = conditions.find((c) => c.type === 'Ready');
  const { deployed, attempted } = revisionsOf(kind, object);
  const suspended = field(object, 'spec', 'suspend') === true;
  const sources = sourcesOf(kind, object, lookup);
  // A SHA-256 Git repository writes `sha256:`; an OCI artifact's digest is not a commit.
  const sha256IsCommit = sources[0]?.sourceRef?.kind !== 'OCIRepository' && kind !== 'OCIRepository' && kind !== 'HelmRelease';
  return {
    operator: 'flux',
    ref: { apiVersion: text(object, 'apiVersion') ?? '', kind, namespace: meta.namespace, name: meta.name },
    context,
    sync: syncOf(ready, deployed, attempted),
    health: assessHealth(object) ?? health('Unknown'),
    deployedRevision: deployed,
    deployedSha: revisionSha(deployed, { sha256IsCommit }),
    targetRevision: attempted,
    targetSha: revisionSha(attempted, { sha256IsCommit }),
    lastSyncTime: lastSyncTimeOf(kind, object, ready),
    lastError: lastErrorOf(conditions),
    suspended,
    autoSync: !suspended,
    operationPhase: null,
    sources,
    generatedBy: null,
    appliedBy: appliedByOf(object),
    destination: null,
    pending: pendingOf(object),
  };
}
