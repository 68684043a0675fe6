// Health of the controllers that run pods: Deployment, StatefulSet, DaemonSet, ReplicaSet.
// Same decisions as gitops-engine (which borrowed them from `kubectl rollout status`): a rollout is
// Progressing until the controller has observed the latest spec and every replica is updated and
// available. Messages keep Argo's wording so users recognise them from the Argo CD UI.
import { health, type HealthResult } from './healthStatus';
import { generations, readBoolean, readConditions, readInteger, readRecord, readString, type KubeObject } from './objectFields';

function count(object: KubeObject, field: string): number {
  return readInteger(object, 'status', field) ?? 0;
}

export function deploymentHealth(deployment: KubeObject): HealthResult {
  if (readBoolean(deployment, 'spec', 'paused')) return health('Suspended', 'Deployment is paused');
  const { generation, observed } = generations(deployment);
  if (generation > observed) {
    return health('Progressing', 'Waiting for rollout to finish: observed deployment generation less than desired generation');
  }
  const progressing = readConditions(deployment).find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return health('Degraded', `Deployment "${readString(deployment, 'metadata', 'name') ?? ''}" exceeded its progress deadline`);
  }
  const desired = readInteger(deployment, 'spec', 'replicas');
  const updated = count(deployment, 'updatedReplicas');
  const current = count(deployment, 'replicas');
  const available = count(deployment, 'availableReplicas');
  // No spec.replicas means Go's nil pointer: the "updated < desired" check is skipped, as in Argo.
  if (desired !== undefined && updated < desired) {
    return health('Progressing', `Waiting for rollout to finish: ${updated} out of ${desired} new replicas have been updated...`);
  }
  if (current > updated) {
    return health('Progressing', `Waiting for rollout to finish: ${current - updated} old replicas are pending termination...`);
  }
  if (available < updated) {
    return health('Progressing', `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`);
  }
  return health('Healthy');
}

export function statefulSetHealth(sts: KubeObject): HealthResult {
  const { generation, observed } = generations(sts);
  // observedGeneration 0 means the controller has never looked at it, whatever metadata.generation says.
  if (observed === 0 || generation > observed) return health('Progressing', 'Waiting for statefulset spec update to be observed...');
  const desired = readInteger(sts, 'spec', 'replicas');
  const ready = count(sts, 'readyReplicas');
  const updated = count(sts, 'updatedReplicas');
  if (desired !== undefined && ready < desired) return health('Progressing', `Waiting for ${desired - ready} pods to be ready...`);
  const strategy = readString(sts, 'spec', 'updateStrategy', 'type') ?? '';
  const rollingUpdate = readRecord(sts, 'spec', 'updateStrategy', 'rollingUpdate');
  if (strategy === 'RollingUpdate' && rollingUpdate) {
    const partition = readInteger(rollingUpdate, 'partition');
    // Pods below the partition ordinal keep the old revision on purpose; only the rest must update.
    if (desired !== undefined && partition !== undefined && updated < desired - partition) {
      return health('Progressing', `Waiting for partitioned roll out to finish: ${updated} out of ${desired - partition} new pods have been updated...`);
    }
    return health('Healthy', `partitioned roll out complete: ${updated} new pods have been updated...`);
  }
  // OnDelete: pods update only when someone deletes them, so old revisions are not a rollout in progress.
  if (strategy === 'OnDelete') return health('Healthy', `statefulset has ${ready} ready pods (${updated} updated)`);
  const updateRevision = readString(sts, 'status', 'updateRevision') ?? '';
  const currentRevision = readString(sts, 'status', 'currentRevision') ?? '';
  if (updateRevision !== currentRevision) {
    return health('Progressing', `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`);
  }
  return health('Healthy', `statefulset rolling update complete ${count(sts, 'currentReplicas')} pods at revision ${currentRevision}...`);
}

export function daemonSetHealth(daemon: KubeObject): HealthResult {
  const { generation, observed } = generations(daemon);
  if (generation > observed) {
    return health('Progressing', 'Waiting for rollout to finish: observed daemon set generation less than desired generation');
  }
  const name = readString(daemon, 'metadata', 'name') ?? '';
  const desired = count(daemon, 'desiredNumberScheduled');
  const updated = count(daemon, 'updatedNumberScheduled');
  const available = count(daemon, 'numberAvailable');
  // OnDelete: like StatefulSet, old pods are expected until deleted by hand.
  if (readString(daemon, 'spec', 'updateStrategy', 'type') === 'OnDelete') {
    return health('Healthy', `daemon set ${updated} out of ${desired} new pods have been updated`);
  }
  if (updated < desired) {
    return health('Progressing', `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`);
  }
  if (available < desired) {
    return health('Progressing', `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`);
  }
  return health('Healthy');
}

export function replicaSetHealth(replicaSet: KubeObject): HealthResult {
  const { generation, observed } = generations(replicaSet);
  if (generation > observed) {
    return health('Progressing', 'Waiting for rollout to finish: observed replica set generation less than desired generation');
  }
  const failure = readConditions(replicaSet).find((c) => c.type === 'ReplicaFailure');
  if (failure?.status === 'True') return health('Degraded', failure.message);
  const desired = readInteger(replicaSet, 'spec', 'replicas');
  const available = count(replicaSet, 'availableReplicas');
  if (desired !== undefined && available < desired) {
    return health('Progressing', `Waiting for rollout to finish: ${available} out of ${desired} new replicas are available...`);
  }
  return health('Healthy');
}
