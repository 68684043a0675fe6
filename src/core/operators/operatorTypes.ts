// What the editor shows about an Argo CD or Flux object: the operator's own report (sync status,
// health, the revision it deployed, its last error) and where the object takes its manifests from,
// which is what ties it to one environment. Pure data, readable by the tree, the CLI and snapshots.
import type { HealthResult } from '../health/healthStatus';

export type OperatorKind = 'argocd' | 'flux';

export type OperatorObjectKind = 'Application' | 'Kustomization' | 'HelmRelease' | 'GitRepository' | 'OCIRepository';

/** Argo CD's words; a Flux object is Synced when Ready and its last attempt is what it applied. */
export type OperatorSyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';

export interface OperatorObjectRef {
  apiVersion: string;
  kind: OperatorObjectKind;
  /** null only for objects read without one (literal test input); operator objects are namespaced. */
  namespace: string | null;
  name: string;
}

/** Another object named by reference (a Flux sourceRef, the Kustomization that applied an object). */
export interface ObjectPointer {
  kind: string;
  namespace: string | null;
  name: string;
}

/** Where an operator object reads its manifests. */
export interface OperatorSource {
  /** Repository URL with credentials removed; null when the source object could not be found. */
  url: string | null;
  /** `remoteIdentity(url)`: equal for the https, ssh and `.git` spellings of one repository. */
  repoIdentity: string | null;
  /** What it follows, as written: Argo `targetRevision`, Flux `ref.branch` / `tag` / `semver` / `commit` / `name`. */
  revision: string | null;
  /** The branch when `revision` names one; null for HEAD, tags, semver ranges and commits. */
  branch: string | null;
  /** Folder in the repository (no `./`, no trailing `/`); null = the repository root. */
  path: string | null;
  /** A Helm chart name (Argo `chart:`, Flux `chart.spec.chart` from a HelmRepository): not a Git folder. */
  chart?: string;
  /** Flux: the source object read (GitRepository, OCIRepository, ExternalArtifact, HelmRepository…). */
  sourceRef?: ObjectPointer;
  /** Flux: the GitRepository an ExternalArtifact is cut from (through its ArtifactGenerator). */
  origin?: ObjectPointer;
}

/** A request the operator has not acted on yet (shown as "refresh requested…"). */
export interface PendingRequest {
  /** Argo: `argocd.argoproj.io/refresh` annotation still present. */
  refresh?: 'normal' | 'hard';
  /** Argo: an `operation` is set (sync requested or running). */
  operation?: boolean;
  /** Flux: `reconcile.fluxcd.io/requestedAt` not yet echoed in `status.lastHandledReconcileAt`. */
  reconcileRequestedAt?: string;
}

export interface OperatorStatus {
  operator: OperatorKind;
  ref: OperatorObjectRef;
  /** kubeconfig context the object was read from; null for literal input. */
  context: string | null;
  sync: OperatorSyncStatus;
  /** Argo: the Application's reported health; Flux: the health Argo CD's Flux scripts give the object. */
  health: HealthResult;
  /** The deployed revision as the operator writes it (`main@sha1:…`, a SHA, a chart version). */
  deployedRevision: string | null;
  /** The commit in `deployedRevision`, full and lower-case, when it names one. */
  deployedSha: string | null;
  /** What the operator last compared or attempted (Argo `status.sync.revision`, Flux `lastAttemptedRevision`). */
  targetRevision: string | null;
  targetSha: string | null;
  /** ISO time of the last sync or apply the operator reports. */
  lastSyncTime: string | null;
  /** The last error or failing condition as one line for a person, never raw YAML. */
  lastError: string | null;
  /** Flux `spec.suspend`. Argo has no suspend: always false there. */
  suspended: boolean;
  /** Argo: automated sync on. Flux reconciles on its own unless suspended. */
  autoSync: boolean;
  /** Argo: the operation's phase (Running, Succeeded, Failed, Error, Terminating) when there is one. */
  operationPhase: string | null;
  /** Every Git (or chart) source; the first is the one that holds the environment's manifests. */
  sources: OperatorSource[];
  /** Argo: the ApplicationSet that generated this Application (from ownerReferences). */
  generatedBy: ObjectPointer | null;
  /** Flux: the Kustomization that applied this object (its `kustomize.toolkit.fluxcd.io/*` labels). */
  appliedBy: ObjectPointer | null;
  /** Argo: where it deploys. */
  destination: { server: string | null; name: string | null; namespace: string | null } | null;
  pending: PendingRequest;
}
