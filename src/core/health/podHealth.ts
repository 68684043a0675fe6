// Pod health, gitops-engine's rules: the phase decides, except that a long-running pod
// (restartPolicy Always) with a container stuck in a crash or image-pull back-off is Degraded
// whatever its phase, and a running pod that is not Ready is Degraded once a container has died.
import { health, type HealthResult } from './healthStatus';
import { readConditions, readInteger, readRecord, readRecords, readString, type KubeObject } from './objectFields';

/** Argo CD's opt-out: treat an OnFailure/Never pod run by an operator like a long-running one. */
export const IGNORE_RESTART_POLICY_ANNOTATION = 'argocd.argoproj.io/ignore-restart-policy';

/** Waiting reasons that mean the container cannot start (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, CreateContainerConfigError...). */
function isStuckReason(reason: string): boolean {
  return reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff');
}

/** Why a container ended, from its `state` or `lastState` (Argo reads `state` for failed pods). */
function failMessage(container: KubeObject, stateField: 'state' | 'lastState' = 'state'): string {
  const terminated = readRecord(container, stateField, 'terminated');
  if (!terminated) return '';
  const message = readString(terminated, 'message') ?? '';
  if (message) return message;
  if (readString(terminated, 'reason') === 'OOMKilled') return 'OOMKilled';
  const exitCode = readInteger(terminated, 'exitCode') ?? 0;
  return exitCode !== 0 ? `container "${readString(container, 'name') ?? ''}" failed with exit code ${exitCode}` : '';
}

export function podHealth(pod: KubeObject): HealthResult {
  const restartPolicy = readString(pod, 'spec', 'restartPolicy') ?? '';
  const statusMessage = readString(pod, 'status', 'message') ?? '';
  const containers = readRecords(pod, 'status', 'containerStatuses');

  // Only for restartPolicy Always: a hook pod (OnFailure/Never) waiting on an image must stay
  // Progressing, or Argo would fail the sync hook early and then run it after the sync ended.
  if (restartPolicy === 'Always') {
    const stuck: string[] = [];
    for (const container of containers) {
      const waiting = readRecord(container, 'state', 'waiting');
      const reason = waiting ? (readString(waiting, 'reason') ?? '') : '';
      if (waiting && isStuckReason(reason)) stuck.push(readString(waiting, 'message') || reason);
    }
    if (stuck.length > 0) return health('Degraded', stuck.join(', '));
  }

  switch (readString(pod, 'status', 'phase') ?? '') {
    case 'Pending':
      return health('Progressing', statusMessage);
    case 'Succeeded':
      return health('Healthy', statusMessage);
    case 'Failed': {
      if (statusMessage) return health('Degraded', statusMessage);
      for (const container of [...readRecords(pod, 'status', 'initContainerStatuses'), ...containers]) {
        const message = failMessage(container);
        if (message) return health('Degraded', message);
      }
      return health('Degraded');
    }
    case 'Running': {
      const annotations = readRecord(pod, 'metadata', 'annotations');
      const longRunning = restartPolicy === 'Always' || (annotations !== undefined && IGNORE_RESTART_POLICY_ANNOTATION in annotations);
      if (longRunning) {
        if (readConditions(pod).some((c) => c.type === 'Ready' && c.status === 'True')) return health('Healthy', statusMessage);
        // Not ready and a container has terminated before: it is crashing, not starting. Argo leaves
        // the message empty when the pod has none; the crashed container's exit says more.
        const crashed = containers.find((c) => readRecord(c, 'lastState', 'terminated') !== undefined);
        if (crashed) return health('Degraded', statusMessage || failMessage(crashed, 'lastState'));
        return health('Progressing', statusMessage);
      }
      // OnFailure/Never pods have a finite life (typically sync hooks): running is not yet done.
      if (restartPolicy === 'OnFailure' || restartPolicy === 'Never') return health('Progressing', statusMessage);
      break;
    }
  }
  return health('Unknown', statusMessage);
}
