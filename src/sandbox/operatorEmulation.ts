// TEST INFRASTRUCTURE — a stand-in for the Argo CD application controller and Flux's controllers
// inside the sandbox cluster, so tests and `npm run demo` can show environments managed by an
// operator (with a commit not yet deployed) where no real operator can run. It is driven only
// through the SandboxHandle's store and timers: it polls Application, Kustomization, HelmRelease
// and GitRepository objects and writes their `status` the way the operators do — sync status,
// health, deployed revision, reconciledAt, conditions — and reacts to what the editor asks:
// the Argo `operation` field (recorded, then answered with an operationState and removed), the
// `argocd.argoproj.io/refresh` annotation (removed once handled) and Flux's
// `reconcile.fluxcd.io/requestedAt` (echoed in `status.lastHandledReconcileAt`). It runs no sync:
// the deployed revision is whatever the test configures, per object or through an annotation.

import { isRecord, kubeTimestamp, type KubeObject, type ObjectRef } from './kubeObject';
import type { SandboxHandle } from './sandboxServer';

export type EmulatedKind = 'Application' | 'Kustomization' | 'HelmRelease' | 'GitRepository';

export interface EmulatedObjectRef {
  kind: EmulatedKind;
  /** Default: the sandbox's namespace for the store API (`default` unless configured). */
  namespace?: string;
  name: string;
}

/** Set on an object to choose its deployed revision without calling the handle. */
export const DEPLOYED_REVISION_ANNOTATION = 'sandbox.gitops-environments.dev/deployed-revision';
/** Argo: what Git's branch head is as the controller last saw it (OutOfSync when it differs). */
export const TARGET_REVISION_ANNOTATION = 'sandbox.gitops-environments.dev/target-revision';

export interface OperatorEmulationOptions {
  /** Poll interval; default 100 ms. */
  intervalMs?: number;
  /** Revision an object deploys when nothing else says; default a fixed made-up SHA. */
  defaultRevision?: string;
  /** Deployed revisions by `Kind/namespace/name`. */
  revisions?: Record<string, string>;
}

export interface RecordedOperatorRequest {
  type: 'sync' | 'refresh' | 'reconcile';
  kind: EmulatedKind;
  namespace: string;
  name: string;
  /** Sync: the whole `operation`; refresh: `{ mode }`; reconcile: `{ requestedAt }`. */
  detail: Record<string, unknown>;
  at: string;
}

export interface OperatorEmulation {
  setDeployedRevision(ref: EmulatedObjectRef, revision: string): void;
  /** What Argo sees at the branch head / what a GitRepository fetched; null = same as deployed. */
  setTargetRevision(ref: EmulatedObjectRef, revision: string | null): void;
  /** Makes the object fail (Ready False / sync error, a Warning Event) until cleared with null. */
  setFailure(ref: EmulatedObjectRef, message: string | null): void;
  /** Every sync, refresh and reconcile request seen, oldest first. */
  readonly requests: readonly RecordedOperatorRequest[];
  /** Handles every object now instead of at the next poll. */
  tick(): void;
  stop(): void;
}

export const DEFAULT_EMULATED_REVISION = '0123456789abcdef0123456789abcdef01234567';

const API_VERSIONS: Record<EmulatedKind, string> = {
  Application: 'argoproj.io/v1alpha1',
  Kustomization: 'kustomize.toolkit.fluxcd.io/v1',
  HelmRelease: 'helm.toolkit.fluxcd.io/v2',
  GitRepository: 'source.toolkit.fluxcd.io/v1',
};
const MANAGERS: Record<EmulatedKind, string> = {
  Application: 'argocd-application-controller',
  Kustomization: 'kustomize-controller',
  HelmRelease: 'helm-controller',
  GitRepository: 'source-controller',
};
const REFRESH = 'argocd.argoproj.io/refresh';
const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';

type Json = Record<string, unknown>;

interface ObjectState {
  deployed: string;
  target: string | null;
  failure: string | null;
  /** The failure a Warning Event was already made for. */
  reportedFailure: string | null;
  reconciledAt: string;
  /** Annotation values last taken over, so a later change through the handle is not undone. */
  annotated: { deployed: string | null; target: string | null };
  operationState: Json | null;
  history: Json[];
  transitions: Map<string, { status: string; at: string }>;
}

function keyOf(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function get(object: unknown, ...path: string[]): unknown {
  let current = object;
  for (const key of path) current = isRecord(current) ? current[key] : undefined;
  return current;
}

/** A JSON merge patch turning `current` into `desired` (desired holds no nulls). */
function mergePatchDiff(current: unknown, desired: unknown): unknown {
  if (isRecord(current) && isRecord(desired)) {
    const out: Json = {};
    for (const [key, value] of Object.entries(desired)) {
      const d = mergePatchDiff(current[key], value);
      if (d !== undefined) out[key] = d;
    }
    for (const key of Object.keys(current)) if (!(key in desired)) out[key] = null;
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return JSON.stringify(current) === JSON.stringify(desired) ? undefined : desired;
}

export function startOperatorEmulation(handle: SandboxHandle, options: OperatorEmulationOptions = {}): OperatorEmulation {
  const states = new Map<string, ObjectState>();
  const requests: RecordedOperatorRequest[] = [];
  const now = (): string => kubeTimestamp();
  let stopped = false;

  const stateOf = (kind: EmulatedKind, object: KubeObject): ObjectState => {
    const namespace = object.metadata.namespace ?? '';
    const key = keyOf(kind, namespace, object.metadata.name ?? '');
    let state = states.get(key);
    if (!state) {
      const annotated = str(object.metadata.annotations?.[DEPLOYED_REVISION_ANNOTATION]);
      const pinned = str(get(object, 'spec', 'source', 'targetRevision'));
      state = {
        deployed: options.revisions?.[key] ?? annotated ?? (pinned && /^[0-9a-f]{40}$/.test(pinned) ? pinned : (options.defaultRevision ?? DEFAULT_EMULATED_REVISION)),
        target: str(object.metadata.annotations?.[TARGET_REVISION_ANNOTATION]),
        failure: null,
        reportedFailure: null,
        reconciledAt: now(),
        annotated: { deployed: annotated, target: null },
        operationState: null,
        history: [],
        transitions: new Map(),
      };
      states.set(key, state);
    }
    // An annotation edited live (by a test or the demo) takes effect, once per new value.
    const annotated = str(object.metadata.annotations?.[DEPLOYED_REVISION_ANNOTATION]);
    if (annotated && annotated !== state.annotated.deployed) state.deployed = state.annotated.deployed = annotated;
    const target = str(object.metadata.annotations?.[TARGET_REVISION_ANNOTATION]);
    if (target && target !== state.annotated.target) state.target = state.annotated.target = target;
    return state;
  };

  /** Keeps a condition's lastTransitionTime until its status changes, as controllers do. */
  const condition = (state: ObjectState, type: string, status: string, reason: string, message: string): Json => {
    const previous = state.transitions.get(type);
    const at = previous && previous.status === status ? previous.at : now();
    state.transitions.set(type, { status, at });
    return { type, status, reason, message, lastTransitionTime: at };
  };

  const record = (type: RecordedOperatorRequest['type'], kind: EmulatedKind, object: KubeObject, detail: Json): void => {
    requests.push({ type, kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name ?? '', detail, at: now() });
  };

  const warn = (kind: EmulatedKind, object: KubeObject, state: ObjectState, reason: string): void => {
    if (!state.failure || state.reportedFailure === state.failure) return;
    state.reportedFailure = state.failure;
    const time = now();
    handle.store.apply(
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${object.metadata.name}.${Date.now().toString(16)}${requests.length}`, namespace: object.metadata.namespace },
        type: 'Warning',
        reason,
        message: state.failure,
        involvedObject: { apiVersion: API_VERSIONS[kind], kind, name: object.metadata.name, namespace: object.metadata.namespace, uid: object.metadata.uid },
        source: { component: MANAGERS[kind] },
        firstTimestamp: time,
        lastTimestamp: time,
        count: 1,
      },
      MANAGERS[kind],
    );
  };

  /** Flux writes `<branch>@sha1:<sha>`; the branch comes from the GitRepository the object reads. */
  const fluxRevision = (object: KubeObject, revision: string): string => {
    if (!/^[0-9a-f]{40}$/.test(revision)) return revision;
    const sourceName = str(get(object, 'spec', 'sourceRef', 'name'));
    const source = sourceName ? handle.store.get({ apiVersion: API_VERSIONS.GitRepository, kind: 'GitRepository', namespace: str(get(object, 'spec', 'sourceRef', 'namespace')) ?? object.metadata.namespace, name: sourceName }) : undefined;
    const branch = str(get(object, 'spec', 'ref', 'branch')) ?? str(get(source, 'spec', 'ref', 'branch')) ?? 'main';
    return `${branch}@sha1:${revision}`;
  };

  const applicationStatus = (object: KubeObject, state: ObjectState, extra: Json): Json => {
    const operation = get(object, 'operation');
    const metaPatch: Json = {};
    const refresh = str(object.metadata.annotations?.[REFRESH]);
    if (refresh) {
      record('refresh', 'Application', object, { mode: refresh });
      state.reconciledAt = now();
      metaPatch.annotations = { [REFRESH]: null };
    }
    if (isRecord(operation) && isRecord(operation.sync)) {
      record('sync', 'Application', object, structuredClone(operation));
      const startedAt = now();
      const revision = str(operation.sync.revision) ?? state.target ?? state.deployed;
      const dryRun = operation.sync.dryRun === true;
      // The history entry for the new revision is added below, with every other change of it.
      if (!dryRun && !state.failure) state.deployed = revision;
      state.operationState = {
        operation: structuredClone(operation),
        phase: state.failure ? 'Failed' : 'Succeeded',
        message: state.failure ?? 'successfully synced (all tasks run)',
        startedAt,
        finishedAt: now(),
        syncResult: { revision, source: get(object, 'spec', 'source') ?? {} },
      };
      state.reconciledAt = now();
      extra.operation = null;
    }
    if (Object.keys(metaPatch).length > 0) extra.metadata = metaPatch;
    // Whatever made the deployed revision change (start, a sync, the handle), Argo records it in history.
    const last = state.history[state.history.length - 1];
    if (!last || last.revision !== state.deployed) {
      const id = last ? Number(last.id) + 1 : 0;
      state.history.push({ id, revision: state.deployed, deployedAt: now(), deployStartedAt: now(), source: get(object, 'spec', 'source') ?? {} });
      // Argo keeps the last 10 by default (revisionHistoryLimit).
      if (state.history.length > 10) state.history.splice(0, state.history.length - 10);
    }
    const target = state.target ?? state.deployed;
    const status: Json = {
      sync: { status: target === state.deployed ? 'Synced' : 'OutOfSync', revision: target, comparedTo: { source: get(object, 'spec', 'source') ?? {}, destination: get(object, 'spec', 'destination') ?? {} } },
      health: state.failure ? { status: 'Degraded', message: state.failure } : { status: 'Healthy' },
      reconciledAt: state.reconciledAt,
      sourceType: 'Directory',
    };
    if (state.operationState) status.operationState = state.operationState;
    if (state.history.length > 0) status.history = state.history;
    if (state.failure) {
      const { type, message, lastTransitionTime } = condition(state, 'SyncError', 'True', '', state.failure);
      status.conditions = [{ type, message, lastTransitionTime }];
    }
    return status;
  };

  const fluxStatus = (kind: EmulatedKind, object: KubeObject, state: ObjectState): Json | null => {
    const current = isRecord(object.status) ? object.status : {};
    const requested = str(object.metadata.annotations?.[REQUESTED_AT]);
    const suspended = get(object, 'spec', 'suspend') === true;
    let handled = str(current.lastHandledReconcileAt);
    // A suspended object is left alone, as Flux leaves it: it keeps the status it had.
    if (suspended) return null;
    if (requested && requested !== handled) {
      record('reconcile', kind, object, { requestedAt: requested });
      handled = requested;
      state.reconciledAt = now();
      // A reconcile picks up what the source has now.
      if (state.target && !state.failure && kind !== 'GitRepository') state.deployed = state.target;
    }
    const status: Json = { observedGeneration: object.metadata.generation ?? 1 };
    if (handled) status.lastHandledReconcileAt = handled;
    const deployed = fluxRevision(object, state.deployed);
    if (kind === 'GitRepository') {
      const fetched = fluxRevision(object, state.target ?? state.deployed);
      status.artifact = { revision: fetched, lastUpdateTime: state.reconciledAt, path: `gitrepository/${object.metadata.namespace}/${object.metadata.name}/${fetched.slice(-40)}.tar.gz`, url: `http://source-controller.flux-system.svc/gitrepository/${object.metadata.name}.tar.gz` };
      status.conditions = state.failure
        ? [condition(state, 'Ready', 'False', 'GitOperationFailed', state.failure)]
        : [condition(state, 'Ready', 'True', 'Succeeded', `stored artifact for revision '${fetched}'`), condition(state, 'ArtifactInStorage', 'True', 'Succeeded', `stored artifact for revision '${fetched}'`)];
      return status;
    }
    if (kind === 'HelmRelease') {
      status.history = [{ chartName: str(get(object, 'spec', 'chart', 'spec', 'chart')) ?? 'chart', chartVersion: state.deployed, status: state.failure ? 'failed' : 'deployed', lastDeployed: state.reconciledAt, version: 1 }];
      status.lastAttemptedRevision = state.deployed;
      status.conditions = state.failure
        ? [condition(state, 'Ready', 'False', 'UpgradeFailed', state.failure), condition(state, 'Released', 'False', 'UpgradeFailed', state.failure)]
        : [condition(state, 'Ready', 'True', 'UpgradeSucceeded', `Helm upgrade succeeded for release ${object.metadata.name} with chart version ${state.deployed}`), condition(state, 'Released', 'True', 'UpgradeSucceeded', 'Helm upgrade succeeded')];
      return status;
    }
    status.lastAppliedRevision = deployed;
    status.lastAttemptedRevision = state.failure && state.target ? fluxRevision(object, state.target) : deployed;
    status.conditions = state.failure ? [condition(state, 'Ready', 'False', 'ReconciliationFailed', state.failure)] : [condition(state, 'Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${deployed}`)];
    return status;
  };

  const handleObject = (kind: EmulatedKind, object: KubeObject): void => {
    const state = stateOf(kind, object);
    const extra: Json = {};
    const status = kind === 'Application' ? applicationStatus(object, state, extra) : fluxStatus(kind, object, state);
    if (status === null) return;
    const statusPatch = mergePatchDiff(object.status ?? {}, status);
    const patch: Json = { ...extra };
    if (statusPatch !== undefined) patch.status = statusPatch;
    if (Object.keys(patch).length > 0) {
      handle.store.patch({ apiVersion: object.apiVersion, kind, namespace: object.metadata.namespace, name: object.metadata.name ?? '' }, patch, MANAGERS[kind]);
    }
    warn(kind, object, state, kind === 'Application' ? 'SyncFailed' : 'ReconciliationFailed');
  };

  const tick = (): void => {
    if (stopped) return;
    for (const kind of Object.keys(API_VERSIONS) as EmulatedKind[]) {
      let objects: KubeObject[];
      try {
        objects = handle.store.list(API_VERSIONS[kind], kind);
      } catch {
        continue; // the CRD is not installed (a test removed it): nothing to emulate
      }
      for (const object of objects) {
        try {
          handleObject(kind, object);
        } catch {
          // Deleted between list and patch: the next tick sees the truth.
        }
      }
    }
  };

  const timer = setInterval(tick, options.intervalMs ?? 100);
  timer.unref?.();

  const withState = (ref: EmulatedObjectRef, change: (state: ObjectState) => void): void => {
    const object: ObjectRef = { apiVersion: API_VERSIONS[ref.kind], kind: ref.kind, namespace: ref.namespace, name: ref.name };
    const stored = handle.store.get(object);
    if (!stored) throw new Error(`${ref.kind} ${ref.namespace ?? ''}/${ref.name} does not exist in the sandbox`);
    change(stateOf(ref.kind, stored));
    tick();
  };

  return {
    setDeployedRevision(ref, revision) {
      withState(ref, (state) => {
        state.deployed = revision;
      });
    },
    setTargetRevision(ref, revision) {
      withState(ref, (state) => {
        state.target = revision;
      });
    },
    setFailure(ref, message) {
      withState(ref, (state) => {
        state.failure = message;
        if (message === null) state.reportedFailure = null;
      });
    },
    requests,
    tick,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
