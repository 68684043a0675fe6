// Health of the objects a sync applied, by our Argo CD rules, read fresh from the cluster; and the
// `--wait` loop that polls until all are Healthy or the time is up.
import { objectId } from '../../core/drift/compare';
import { resourceKey } from '../../core/model';
import type { KubeObject } from '../../core/drift/driftTypes';
import { assessHealth, hasHealthRule } from '../../core/health/assessHealth';
import { health, rollUpHealth, type HealthStatus } from '../../core/health/healthStatus';
import type { ResourceId } from '../../core/model';
import { progressLine, suspendedObjects, syncHealthOf, type ObjectHealth, type SyncHealth } from '../../core/sync/syncPlan';
import { objectPath } from '../apiDiscovery';
import { ClusterError } from '../clusterError';
import type { ApplyTarget } from '../drift/applyRequest';

export interface HealthSnapshot {
  /** The contract's word: Suspended reads as Progressing (not done). */
  health: SyncHealth;
  /** Argo CD's roll-up before that narrowing: Suspended when what holds the environment back is paused. */
  detail: HealthStatus;
  /** Every object whose own health is Suspended, whatever the roll-up says. */
  suspended: ResourceId[];
  objects: ObjectHealth[];
}

function snapshotOf(objects: ObjectHealth[]): HealthSnapshot {
  const detail = rollUpHealth(objects.map((o) => o.health)).status;
  return { health: syncHealthOf(detail), detail, suspended: suspendedObjects(objects), objects };
}

function ruled(objects: readonly KubeObject[]): KubeObject[] {
  return objects.filter((object) => hasHealthRule(String(object.apiVersion ?? ''), String(object.kind ?? '')));
}

/** Health of objects as the server just returned them (apply answers, list items): no request. */
export function assessReturned(objects: readonly KubeObject[]): HealthSnapshot {
  return snapshotOf(ruled(objects).map((object) => ({ id: objectId(object), health: assessHealth(object) })));
}

async function readHealth(target: ApplyTarget, object: KubeObject, timeoutMs: number): Promise<ObjectHealth> {
  const id = objectId(object);
  try {
    const info = await target.discovery.resolve(id);
    const live = await target.client.request<KubeObject>('GET', objectPath(info, id.namespace, id.name), { timeoutMs, keepAlive: true });
    return { id, health: assessHealth({ ...live, apiVersion: object.apiVersion, kind: object.kind }) };
  } catch (error) {
    if (error instanceof ClusterError && error.code === 'notFound') return { id, health: health('Missing', 'not found in the cluster') };
    return { id, health: health('Unknown', error instanceof Error ? error.message : String(error)) };
  }
}

/** Reads each object that has a health rule afresh and assesses it; a deleted one is Missing. */
export async function assessApplied(target: ApplyTarget, applied: readonly KubeObject[], timeoutMs = 15_000): Promise<HealthSnapshot> {
  return snapshotOf(await Promise.all(ruled(applied).map((object) => readHealth(target, object, timeoutMs))));
}

export interface WaitOptions {
  timeoutMs: number;
  /** Between polls; default 1 s. */
  intervalMs?: number;
  /** A progress line (stderr in the CLI), at most every `progressEveryMs` and whenever it changes. */
  progress?: (line: string) => void;
  progressEveryMs?: number;
}

/** Polls until every applied object is Healthy (or Degraded for good is still waited out: rollouts recover). Returns the last snapshot. */
export async function waitHealthy(target: ApplyTarget, applied: readonly KubeObject[], options: WaitOptions): Promise<HealthSnapshot> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const interval = options.intervalMs ?? 1000;
  let lastLine = '';
  let lastPrinted = 0;
  // Objects found Healthy stay counted as such; only the others are read again on each poll.
  let current = assessReturned(applied).objects;
  const byKey = new Map(ruled(applied).map((object) => [resourceKey(objectId(object)), object]));
  for (let first = true; ; first = false) {
    if (!first) {
      current = await Promise.all(
        current.map((entry) => (entry.health?.status === 'Healthy' ? entry : readHealth(target, byKey.get(resourceKey(entry.id)) as KubeObject, 15_000))),
      );
    }
    const snapshot = snapshotOf(current);
    const now = Date.now();
    const line = progressLine(snapshot.objects, (now - started) / 1000);
    const settledLine = line.replace(/ after \d+s/, '');
    if (options.progress && (settledLine !== lastLine || now - lastPrinted >= (options.progressEveryMs ?? 5000))) {
      options.progress(line);
      lastLine = settledLine;
      lastPrinted = now;
    }
    if (snapshot.health === 'Healthy' || now >= deadline) return snapshot;
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, Math.max(0, deadline - now))));
  }
}
