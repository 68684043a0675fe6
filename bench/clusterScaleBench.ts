// Three sandbox clusters × 2,000 objects each (Deployments, ConfigMaps and Services), all watched at
// once through one ClusterManager (one shared list+watch cache per cluster and kind): time to the
// first complete sync of every cache, heap after it, and the time from a change in a cluster to the
// cache's change event. Targets from issue 5: sync ≤ 3 s, heap ≤ 300 MB, event ≤ 500 ms.
import { globalAgent } from 'node:https';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { ClusterManager } from '../src/cluster/clusterManager';
import type { LiveCache } from '../src/cluster/liveCache';
import type { GroupVersionKind } from '../src/core/model';
import type { KubeObject } from '../src/sandbox/kubeObject';
import { startSandbox, type SandboxHandle } from '../src/sandbox/sandboxServer';
import { median } from './benchTable';
import { removeTempDirs, tempDir } from '../test/integration/helpers/tempGitRepo';

export interface ClusterScaleResult {
  clusters: number;
  objectsPerCluster: number;
  /** Per run: every cache of every cluster listed and watching. */
  initialSyncMs: number[];
  /** Per run: process heap after the sync (sandboxes included, they run in this process), after a GC. */
  heapMB: number[];
  /** Per run: heap the watching side added (caches, clients), after a GC. */
  clientHeapMB: number[];
  /** Per change: store write in a cluster → change event delivered by that cluster's cache. */
  eventMs: number[];
  medians: { initialSyncMs: number; heapMB: number; clientHeapMB: number; eventMs: number };
  pass: { initialSync: boolean; heap: boolean; event: boolean };
}

const KINDS: GroupVersionKind[] = [
  { group: 'apps', version: 'v1', kind: 'Deployment' },
  { group: '', version: 'v1', kind: 'ConfigMap' },
  { group: '', version: 'v1', kind: 'Service' },
];
const NAMESPACE = 'bench';

function benchObject(i: number): KubeObject {
  const name = `obj-${i}`;
  const labels = { app: name, tier: 'bench' };
  switch (i % 3) {
    case 0:
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: NAMESPACE, labels },
        spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: `registry.example.com/${name}:1.0.0`, ports: [{ containerPort: 8080 }] }] } } },
      };
    case 1:
      return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NAMESPACE, labels }, data: { index: String(i), payload: 'x'.repeat(200) } };
    default:
      return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NAMESPACE, labels }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } };
  }
}

/** A GC function even without --expose-gc, so heap figures are live data, not garbage. */
function collector(): () => void {
  setFlagsFromString('--expose_gc');
  return runInNewContext('gc') as () => void;
}

function heapMB(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function nextEvent(cache: LiveCache, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no change event for ${name} within 5 s`));
    }, 5000);
    const subscription = cache.onDidChange((change) => {
      if (change.type === 'MODIFIED' && change.object?.metadata.name === name) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(performance.now());
      }
    });
  });
}

/**
 * One run in its own function: when it returns, its caches are unreachable (an async function's
 * locals would otherwise stay in its frame until overwritten, and count in the next run's baseline).
 */
async function oneRun(kubeconfig: string, sandboxes: SandboxHandle[], run: number, changes: number, perCluster: number, gc: () => void): Promise<{ syncMs: number; heapMB: number; eventMs: number[] }> {
  const manager = new ClusterManager({ path: kubeconfig });
  try {
    const started = performance.now();
    const caches = sandboxes.map((s) => KINDS.map((gvk) => manager.cache(s.contextName, gvk, NAMESPACE)));
    await Promise.all(caches.flat().map((cache) => cache.start()));
    const syncMs = performance.now() - started;
    const total = caches.flat().reduce((n, cache) => n + cache.list().length, 0);
    if (total !== sandboxes.length * perCluster) throw new Error(`caches hold ${total} objects, expected ${sandboxes.length * perCluster}`);
    const heap = heapMB(gc);
    const eventMs: number[] = [];
    for (let i = 0; i < changes; i++) {
      const c = i % sandboxes.length;
      const name = `obj-${(i * 3 + 1) % perCluster}`; // a ConfigMap (index % 3 === 1)
      const seen = nextEvent(caches[c][1], name);
      const written = performance.now();
      sandboxes[c].store.patch({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NAMESPACE, name }, { data: { index: `run-${run}-change-${i}` } });
      eventMs.push((await seen) - written);
    }
    return { syncMs, heapMB: heap, eventMs };
  } finally {
    manager.dispose();
  }
}

export async function measureClusterScale(options: { runs?: number; clusters?: number; objectsPerCluster?: number; changesPerRun?: number } = {}): Promise<ClusterScaleResult> {
  const runs = options.runs ?? 3;
  const clusterCount = options.clusters ?? 3;
  const perCluster = options.objectsPerCluster ?? 2000;
  const changesPerRun = options.changesPerRun ?? 15;
  const gc = collector();
  const kubeconfig = join(tempDir('gitops-scale-'), 'kubeconfig');
  const sandboxes: SandboxHandle[] = [];
  const result: ClusterScaleResult = {
    clusters: clusterCount,
    objectsPerCluster: perCluster,
    initialSyncMs: [],
    heapMB: [],
    clientHeapMB: [],
    eventMs: [],
    medians: { initialSyncMs: 0, heapMB: 0, clientHeapMB: 0, eventMs: 0 },
    pass: { initialSync: false, heap: false, event: false },
  };
  try {
    for (let c = 0; c < clusterCount; c++) {
      // No workload controller: it would rewrite every Deployment's status during the measurement.
      const sandbox = await startSandbox({ kubeconfigPath: kubeconfig, contextName: `scale-${c}`, controllers: false });
      sandboxes.push(sandbox);
      sandbox.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
      for (let i = 0; i < perCluster; i++) sandbox.store.apply(benchObject(i));
    }
    // Run -1 warms up (the sandboxes build their lazy structures on the first list) and is not recorded.
    for (let run = -1; run < runs; run++) {
      const before = heapMB(gc);
      const measured = await oneRun(kubeconfig, sandboxes, run, changesPerRun, perCluster, gc);
      if (run >= 0) {
        result.initialSyncMs.push(measured.syncMs);
        result.heapMB.push(measured.heapMB);
        result.clientHeapMB.push(measured.heapMB - before);
        result.eventMs.push(...measured.eventMs);
      }
      // Pooled keep-alive sockets keep the last response's buffers (a whole list page) reachable, and
      // aborted watch sockets close on a later tick: drop both so the next run starts from live data only.
      globalAgent.destroy();
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  } finally {
    for (const sandbox of sandboxes) await sandbox.stop();
  }
  result.medians = {
    initialSyncMs: median(result.initialSyncMs),
    heapMB: median(result.heapMB),
    clientHeapMB: median(result.clientHeapMB),
    eventMs: median(result.eventMs),
  };
  result.pass = { initialSync: result.medians.initialSyncMs <= 3000, heap: result.medians.heapMB <= 300, event: result.medians.eventMs <= 500 };
  return result;
}

// `node --import tsx bench/clusterScaleBench.ts` prints the figures on their own.
if (process.argv[1]?.endsWith('clusterScaleBench.ts')) {
  measureClusterScale()
    .then((r) => {
      console.log(JSON.stringify({ medians: r.medians, pass: r.pass, initialSyncMs: r.initialSyncMs.map(Math.round), eventMs: r.eventMs.map((n) => Math.round(n * 10) / 10) }, null, 2));
      if (!r.pass.initialSync || !r.pass.heap || !r.pass.event) process.exitCode = 1;
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(removeTempDirs);
}
