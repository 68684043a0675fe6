// A stand-in for the kube-controller-manager's workload controllers: shortly after a Deployment,
// StatefulSet, DaemonSet or ReplicaSet changes, it reports every replica as updated, ready and
// available (and stamps a Deployment's revision annotation), so `kubectl rollout status` and
// health checks see a settled rollout. No pods are created.

import { createHash } from 'node:crypto';
import { isRecord, kubeTimestamp, type KubeObject } from './kubeObject';
import type { StoreEvent } from './objectStore';
import type { ResourceService, WriteContext } from './resourceService';
import type { ResourceType } from './resourceType';

const managedKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];
const revisionAnnotation = 'deployment.kubernetes.io/revision';

type Json = Record<string, unknown>;

function controllerContext(): WriteContext {
  return { dryRun: false, fieldManager: 'kube-controller-manager', fieldValidation: 'Ignore', warnings: [] };
}

function templateHash(object: KubeObject): string {
  const spec = isRecord(object.spec) ? object.spec : {};
  return createHash('sha256').update(JSON.stringify(spec.template ?? {})).digest('hex').slice(0, 10);
}

function desiredReplicas(object: KubeObject): number {
  if (object.kind === 'DaemonSet') return 1;
  const spec = isRecord(object.spec) ? object.spec : {};
  return typeof spec.replicas === 'number' ? spec.replicas : 1;
}

/** Keeps lastTransitionTime when a condition's status did not change, as controllers do. */
function condition(existing: unknown, type: string, reason: string, message: string, now: string, withUpdateTime: boolean): Json {
  const previous = Array.isArray(existing) ? existing.find((item) => isRecord(item) && item.type === type) : undefined;
  const unchanged = isRecord(previous) && previous.status === 'True';
  const out: Json = { type, status: 'True' };
  if (withUpdateTime) out.lastUpdateTime = unchanged && previous.reason === reason ? previous.lastUpdateTime : now;
  out.lastTransitionTime = unchanged ? previous.lastTransitionTime : now;
  out.reason = reason;
  out.message = message;
  return out;
}

function positive(out: Json, key: string, value: number): void {
  if (value > 0) out[key] = value;
}

/** The images of a pod template's containers (init containers included). */
function templateImages(object: KubeObject): string[] {
  const spec = isRecord(object.spec) ? object.spec : {};
  const template = isRecord(spec.template) ? spec.template : {};
  const podSpec = isRecord(template.spec) ? template.spec : {};
  const containers = [...(Array.isArray(podSpec.containers) ? podSpec.containers : []), ...(Array.isArray(podSpec.initContainers) ? podSpec.initContainers : [])];
  return containers.flatMap((container) => (isRecord(container) && typeof container.image === 'string' ? [container.image] : []));
}

/**
 * A rollout whose pods cannot start (their image cannot be pulled): every replica is updated but
 * none becomes available, as a real Deployment shows while its pods sit in ImagePullBackOff.
 */
function stuckDeploymentStatus(object: KubeObject, now: string): Json {
  const replicas = desiredReplicas(object);
  const status = isRecord(object.status) ? object.status : {};
  const previous = Array.isArray(status.conditions) ? status.conditions.filter(isRecord) : [];
  const since = (type: string, state: string): string => {
    const found = previous.find((c) => c.type === type);
    return found && found.status === state && typeof found.lastTransitionTime === 'string' ? found.lastTransitionTime : now;
  };
  const out: Json = { observedGeneration: object.metadata.generation ?? 1 };
  positive(out, 'replicas', replicas);
  positive(out, 'updatedReplicas', replicas);
  positive(out, 'unavailableReplicas', replicas);
  out.conditions = [
    { type: 'Available', status: 'False', lastUpdateTime: since('Available', 'False'), lastTransitionTime: since('Available', 'False'), reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
    { type: 'Progressing', status: 'True', lastUpdateTime: since('Progressing', 'True'), lastTransitionTime: since('Progressing', 'True'), reason: 'ReplicaSetUpdated', message: `ReplicaSet "${object.metadata.name ?? ''}-${templateHash(object)}" is progressing.` },
  ];
  return out;
}

function desiredStatus(object: KubeObject, now: string): Json {
  const replicas = desiredReplicas(object);
  const status = isRecord(object.status) ? object.status : {};
  const name = object.metadata.name ?? '';
  const generation = object.metadata.generation ?? 1;
  const hash = templateHash(object);
  const out: Json = { observedGeneration: generation };
  switch (object.kind) {
    case 'Deployment':
      positive(out, 'replicas', replicas);
      positive(out, 'updatedReplicas', replicas);
      positive(out, 'readyReplicas', replicas);
      positive(out, 'availableReplicas', replicas);
      out.conditions = [
        condition(status.conditions, 'Available', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now, true),
        condition(status.conditions, 'Progressing', 'NewReplicaSetAvailable', `ReplicaSet "${name}-${hash}" has successfully progressed.`, now, true),
      ];
      break;
    case 'StatefulSet':
      out.replicas = replicas;
      positive(out, 'readyReplicas', replicas);
      positive(out, 'currentReplicas', replicas);
      positive(out, 'updatedReplicas', replicas);
      positive(out, 'availableReplicas', replicas);
      out.currentRevision = `${name}-${hash}`;
      out.updateRevision = `${name}-${hash}`;
      out.collisionCount = 0;
      break;
    case 'DaemonSet':
      out.currentNumberScheduled = 1;
      out.desiredNumberScheduled = 1;
      out.numberMisscheduled = 0;
      out.numberReady = 1;
      out.numberAvailable = 1;
      out.updatedNumberScheduled = 1;
      break;
    default:
      out.replicas = replicas;
      positive(out, 'fullyLabeledReplicas', replicas);
      positive(out, 'readyReplicas', replicas);
      positive(out, 'availableReplicas', replicas);
      break;
  }
  return out;
}

function settled(object: KubeObject, stuck: boolean): boolean {
  const status = isRecord(object.status) ? object.status : {};
  if (status.observedGeneration !== (object.metadata.generation ?? 1)) return false;
  if (stuck) return status.unavailableReplicas === desiredReplicas(object) && status.readyReplicas === undefined;
  const replicas = desiredReplicas(object);
  if (object.kind === 'DaemonSet') return status.numberReady === 1;
  if ((status.replicas ?? 0) !== replicas || (status.readyReplicas ?? 0) !== replicas) return false;
  if (object.kind === 'StatefulSet') return status.updateRevision === `${object.metadata.name ?? ''}-${templateHash(object)}`;
  return true;
}

export class WorkloadStatusController {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** Last template hash and revision number per Deployment uid. */
  private readonly revisions = new Map<string, { hash: string; revision: number }>();
  private unsubscribe: (() => void) | undefined;

  private readonly unpullable: ReadonlySet<string>;

  /** `unpullableImages`: images whose pull fails, so Deployments running them never become available. */
  constructor(
    private readonly service: ResourceService,
    private readonly delayMs = 50,
    unpullableImages: readonly string[] = [],
  ) {
    this.unpullable = new Set(unpullableImages);
  }

  private stuck(object: KubeObject): boolean {
    return object.kind === 'Deployment' && this.unpullable.size > 0 && templateImages(object).some((image) => this.unpullable.has(image));
  }

  start(): void {
    this.unsubscribe = this.service.store.subscribeAll((event) => this.onEvent(event));
  }

  stop(): void {
    this.unsubscribe?.();
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private typeOf(object: KubeObject): ResourceType | undefined {
    if (!managedKinds.includes(object.kind)) return undefined;
    return this.service.registry.byApiVersionKind(object.apiVersion, object.kind);
  }

  private onEvent(event: StoreEvent): void {
    if (event.collection !== 'apps/deployments' && event.collection !== 'apps/statefulsets' && event.collection !== 'apps/daemonsets' && event.collection !== 'apps/replicasets') return;
    const object = event.object.object;
    const key = `${event.collection}/${event.object.namespace}/${event.object.name}`;
    if (event.type === 'DELETED') {
      clearTimeout(this.pending.get(key));
      this.pending.delete(key);
      if (object.metadata.uid) this.revisions.delete(object.metadata.uid);
      return;
    }
    if (this.pending.has(key) || (settled(object, this.stuck(object)) && !this.needsRevision(object))) return;
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.reconcile(object);
      }, this.delayMs),
    );
  }

  private needsRevision(object: KubeObject): boolean {
    if (object.kind !== 'Deployment') return false;
    return object.metadata.annotations?.[revisionAnnotation] !== String(this.revisionFor(object, false));
  }

  private revisionFor(object: KubeObject, record: boolean): number {
    const uid = object.metadata.uid ?? '';
    const hash = templateHash(object);
    const previous = this.revisions.get(uid);
    const revision = !previous ? 1 : previous.hash === hash ? previous.revision : previous.revision + 1;
    if (record) this.revisions.set(uid, { hash, revision });
    return revision;
  }

  private reconcile(seen: KubeObject): void {
    const type = this.typeOf(seen);
    if (!type) return;
    const namespace = seen.metadata.namespace ?? '';
    const name = seen.metadata.name ?? '';
    const current = this.service.store.get(`${type.group}/${type.plural}`, namespace, name)?.object;
    if (!current || current.metadata.deletionTimestamp) return;
    try {
      if (current.kind === 'Deployment') {
        const revision = String(this.revisionFor(current, true));
        if (current.metadata.annotations?.[revisionAnnotation] !== revision) {
          this.service.modify(type, namespace, name, (object) => {
            object.metadata.annotations = { ...object.metadata.annotations, [revisionAnnotation]: revision };
          }, controllerContext());
        }
      }
      this.service.modify(type, namespace, name, (object) => {
        object.status = this.stuck(object) ? stuckDeploymentStatus(object, kubeTimestamp()) : desiredStatus(object, kubeTimestamp());
      }, controllerContext(), 'status');
    } catch {
      // The object changed or went away meanwhile; the next event schedules another pass.
    }
  }
}
