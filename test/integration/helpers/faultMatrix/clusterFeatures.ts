// The cluster columns of the fault matrix. Each runner builds its feature against the sandbox the
// way the extension does (ClusterManager's shared caches, the drift service, the operator view),
// waits until it is live, injects one fault, and checks the five properties:
//   (a) status queries and the calls a user triggers answer within 1 s;
//   (b) the state names the cause and the next step;
//   (c) what was known is kept and marked stale, a change made during the fault is not claimed;
//   (d) once the fault is removed it comes back by itself (no retry call), within a few seconds.
// Property (e) is the Git columns' (nothing of the user's is on the cluster side).
import assert from 'node:assert/strict';
import { ClusterManager } from '../../../../src/cluster/clusterManager';
import { EnvironmentDriftService, type DriftChangeEvent, type EnvironmentDriftReport } from '../../../../src/cluster/drift/environmentDriftService';
import type { LiveCacheOptions } from '../../../../src/cluster/liveCache';
import { EnvironmentOperators } from '../../../../src/cluster/operators/environmentOperators';
import type { Environment } from '../../../../src/core/model';
import { EXEC_CONTEXT, type ClusterFaultSpec, type ClusterRig } from './clusterFaults';
import { answersWithin, assertTells, until } from './properties';

/** Short backoffs and a short silent-watch limit, so a cell takes about a second. */
const CACHE_OPTIONS: LiveCacheOptions = { minBackoffMs: 50, maxBackoffMs: 250, watchIdleTimeoutMs: 600 };
/** Longest wait for the fault to show, and for recovery after it ends (429 asks for 1 s). */
const NOTICE_MS = 4000;
const RECOVERY_MS = 4000;
const CONFIGMAP = { group: '', version: 'v1', kind: 'ConfigMap' };
const REMOTE = 'https://github.com/acme/gitops.git';

function target(rig: ClusterRig, spec: ClusterFaultSpec): { manager: ClusterManager; context: string } {
  const manager = new ClusterManager({ path: spec.execContext ? rig.execKubeconfig : rig.kubeconfig }, CACHE_OPTIONS);
  return { manager, context: spec.execContext ? EXEC_CONTEXT : rig.sandbox.contextName };
}

function configMap(namespace: string, name: string, value = 'v1'): { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; data: Record<string, string> } {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { key: value } };
}

function seedNamespace(rig: ClusterRig, namespace: string): void {
  rig.sandbox.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  rig.sandbox.store.apply(configMap(namespace, 'a'));
  rig.sandbox.store.apply(configMap(namespace, 'b'));
}

/** Runs `body` with the fault in place; removes it afterwards whatever happens (body may remove it first). */
async function withFault(rig: ClusterRig, spec: ClusterFaultSpec, scope: RegExp, body: (remove: () => Promise<void>) => Promise<void>): Promise<void> {
  const undo = await spec.inject(rig, scope);
  let removed = false;
  const remove = async (): Promise<void> => {
    if (removed) return;
    removed = true;
    await undo();
  };
  try {
    await body(remove);
  } finally {
    await remove();
  }
}

export async function liveCacheCell(rig: ClusterRig, spec: ClusterFaultSpec, namespace: string): Promise<void> {
  seedNamespace(rig, namespace);
  const { manager, context } = target(rig, spec);
  try {
    const cache = manager.cache(context, CONFIGMAP, namespace);
    await cache.start();
    assert.deepEqual(cache.list().map((o) => o.metadata.name).sort(), ['a', 'b']);
    await withFault(rig, spec, new RegExp(`/namespaces/${namespace}/configmaps`), async (remove) => {
      // The reason follows the latest failure (first the dropped stream, then the failing reconnects).
      const error = await until('the cache to say it is stale, and why', () => (cache.state === 'stale' && spec.cause.test(cache.lastError?.message ?? '') ? cache.lastError : undefined), NOTICE_MS, () => `state ${cache.state}: ${cache.lastError?.message ?? ''}`);
      rig.sandbox.store.apply(configMap(namespace, 'c'));
      // (a) every question a view asks answers at once; start() of a running cache too.
      await answersWithin('cache.start()', () => cache.start());
      const seen = (await answersWithin('the cache state', () => ({ state: cache.state, objects: cache.list(), syncedAt: cache.syncedAt }))).value;
      // (b)
      assertTells(`${error.message} — ${error.hint}`, spec.cause, spec.action, 'the cache error');
      // (c) the last objects stay, marked stale since the last sync.
      assert.equal(seen?.state, 'stale');
      assert.deepEqual(seen?.objects.map((o) => o.metadata.name).sort(), ['a', 'b']);
      assert.ok(seen?.syncedAt, 'says when it last matched the cluster');
      // (d) without retryNow().
      await remove();
      await until('the cache to catch up by itself', () => cache.state === 'synced' && cache.get(namespace, 'c') !== undefined, RECOVERY_MS, () => `state ${cache.state}: ${cache.lastError?.message ?? ''}`);
    });
  } finally {
    manager.dispose();
  }
}

function reportText(report: EnvironmentDriftReport): string {
  return [report.fallbackReason, ...report.freshness.problems, ...report.drift.resources.map((r) => r.reason)].filter(Boolean).join('\n');
}

export async function driftCell(rig: ClusterRig, spec: ClusterFaultSpec, namespace: string): Promise<void> {
  seedNamespace(rig, namespace);
  const { manager, context } = target(rig, spec);
  const service = new EnvironmentDriftService({
    manager,
    context,
    mode: 'server',
    debounceMs: 20,
    retryBackoffMs: 10,
    requestTimeoutMs: 400,
    listTimeoutMs: 400,
    discoveryRetryMs: 100,
    retryServerAfterMs: 500,
  });
  const keyA = `/ConfigMap/${namespace}/a`;
  const keyB = `/ConfigMap/${namespace}/b`;
  try {
    service.setDesired([{ object: configMap(namespace, 'a') }, { object: configMap(namespace, 'b') }]);
    // The precondition, not the property: before the fault the report is live and in sync. Asked
    // again until it is, because a loaded machine can start the exec plugin (a node process) slower
    // than the 400 ms request timeout these cells use to notice faults quickly.
    let first = await service.compute();
    first = await until('a live, in-sync report before the fault', async () => {
      if (first.freshness.state !== 'live' || first.byKey.get(keyA)?.status !== 'InSync') first = await service.compute();
      return first.freshness.state === 'live' ? first : undefined;
    }, RECOVERY_MS, () => reportText(first));
    assert.deepEqual([first.byKey.get(keyA)?.status, first.byKey.get(keyB)?.status, first.freshness.state], ['InSync', 'InSync', 'live']);
    const events: DriftChangeEvent[] = [];
    service.onDidChange((event) => events.push(event));
    await withFault(rig, spec, new RegExp(`/namespaces/${namespace}/`), async (remove) => {
      // The reason follows the latest failure (first the dropped stream, then the failing reconnects).
      if (spec.staleLive) {
        await until('the drift freshness to say why it is not live', () => {
          const freshness = service.freshness();
          return freshness.state !== 'live' && spec.cause.test(freshness.problems.join('\n'));
        }, NOTICE_MS, () => JSON.stringify(service.freshness()));
      }
      rig.sandbox.store.patch({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'a' }, { data: { key: 'changed-live' } });
      // A write-only fault leaves the watch working: let it deliver the change before asking.
      if (!spec.staleLive) await until('the watch to deliver the change', () => manager.cache(context, CONFIGMAP, namespace).get(namespace, 'a')?.data !== undefined && (manager.cache(context, CONFIGMAP, namespace).get(namespace, 'a')?.data as Record<string, string>).key === 'changed-live', NOTICE_MS);
      // (a)
      await answersWithin('the last report', () => service.current);
      await answersWithin('the freshness', () => service.freshness());
      const report = (await answersWithin('compute()', () => service.compute())).value;
      assert.ok(report, 'compute() resolved');
      // (b)
      assertTells(reportText(report), spec.cause, spec.action, 'the drift report');
      // (c) nothing vanished; the change made during the fault is not claimed to be in sync with live data.
      assert.deepEqual([...report.byKey.keys()].sort(), [keyA, keyB]);
      assert.ok(report.drift.resources.every((r) => r.status === 'InSync' || r.status === 'Unknown' || r.status === 'Drifted'), JSON.stringify(report.drift.counts));
      const a = report.byKey.get(keyA);
      assert.ok(a?.status !== 'InSync' || report.freshness.state !== 'live', `a is "InSync" on live data: ${JSON.stringify(report.freshness)}`);
      if (report.freshness.state !== 'live') assert.ok(report.freshness.asOf, 'stale results say as of when');
      // (d) recomputed without compute().
      await remove();
      await until(
        'the drift report to recompute by itself',
        () => {
          const last = events.at(-1)?.report;
          return last && last.freshness.state === 'live' && last.byKey.get(keyA)?.status === 'Drifted' && last.byKey.get(keyB)?.status === 'InSync';
        },
        RECOVERY_MS,
        () => {
          const last = events.at(-1)?.report;
          return last ? `last: ${last.freshness.state} ${last.drift.resources.map((r) => `${r.key}=${r.status} ${r.reason ?? ''}`).join('; ')}` : 'no change event';
        },
      );
    });
  } finally {
    service.dispose();
    manager.dispose();
  }
}

function application(revision: string): Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace: string } } {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop-dev', namespace: 'argocd' },
    spec: { project: 'default', source: { repoURL: REMOTE, targetRevision: 'main', path: 'envs/dev' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' } },
    status: { sync: { status: 'Synced', revision }, health: { status: 'Healthy' } },
  };
}

export async function operatorCell(rig: ClusterRig, spec: ClusterFaultSpec, before: string, during: string): Promise<void> {
  for (const name of ['argocd', 'shop']) rig.sandbox.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  rig.sandbox.store.apply(application(before));
  const { manager, context } = target(rig, spec);
  const environment: Environment = { name: 'dev', order: 0, repo: null, branch: 'main', path: 'envs/dev', cluster: { context, namespace: 'shop' }, protected: false, source: 'config' };
  const operators = new EnvironmentOperators(manager, {
    environments: [environment],
    localRemoteUrls: [REMOTE],
    connections: { probeTimeoutMs: 600, minBackoffMs: 100, maxBackoffMs: 300 },
    watcher: { debounceMs: 10, requestTimeoutMs: 600 },
  });
  const deployed = (): string | null => operators.view('dev').operators[0]?.status.deployedSha ?? null;
  try {
    await operators.start();
    await until('the operator view to be live', () => operators.view('dev').source === 'live' && operators.connections.get(context)?.status === 'connected' && deployed() === before, NOTICE_MS);
    await withFault(rig, spec, spec.operatorScope ?? /./, async (remove) => {
      const view = await until(
        'the operator view to show the fault',
        () => {
          const v = operators.view('dev');
          return v.source !== 'live' || v.connection?.status !== 'connected' || v.problem ? v : undefined;
        },
        NOTICE_MS,
      );
      rig.sandbox.store.apply(application(during));
      // (a) what the tree asks, the Retry button, the warnings list.
      await answersWithin('view()', () => operators.view('dev'));
      await answersWithin('retry()', () => operators.retry(context));
      await answersWithin('warnings()', () => operators.warnings('dev'));
      // (b)
      const now = operators.view('dev');
      const connection = now.connection;
      assertTells(`${connection?.status ?? ''}: ${connection?.reason ?? ''} — ${connection?.hint ?? ''}\n${now.problem ?? ''}`, spec.cause, spec.action, 'the operator view');
      // (c) what was seen stays (or a list that still worked refreshed it), marked as not live.
      assert.ok([before, during].includes(now.operators[0]?.status.deployedSha ?? ''), `the operator is kept: ${JSON.stringify(now.operators.map((m) => m.status.deployedSha))}`);
      if (!spec.fault.startsWith('410')) assert.equal(now.operators[0]?.status.deployedSha, before, 'the last seen revision is kept');
      assert.ok(now.source !== 'live' || connection?.status === 'stale' || now.problem, `claims live data: ${JSON.stringify({ source: view.source, connection })}`);
      if (now.source === 'cached') assert.ok(now.asOf, 'cached data says as of when');
      // (d) no retry() after the fault ends.
      await remove();
      await until(
        'the operator view to come back by itself',
        () => {
          const v = operators.view('dev');
          return v.source === 'live' && v.connection?.status === 'connected' && !v.problem && deployed() === during;
        },
        RECOVERY_MS,
        () => JSON.stringify({ source: operators.view('dev').source, connection: operators.connections.get(context), problem: operators.view('dev').problem, deployed: deployed() }),
      );
    });
  } finally {
    operators.dispose();
    manager.dispose();
  }
}
