// Drift report for one environment of 1,000 resources (Deployments, Services, ConfigMaps, Secrets;
// 50 drifted) on the sandbox: cold (render the folder, list, dry-run everything, compare), after
// one manifest change (the editor path: one document re-parsed, one dry-run, the rest cached),
// warm (caches and predictions current: what opening the report costs), heap held by the live
// caches; and side by side, in the same run against the same sandbox, `kubectl diff --server-side
// -f <dir>` — which must find the same drifted resources. The sandbox runs as its own process
// (`gitops-env sandbox`), as an API server is its own machine: in-process it would share our one
// thread while kubectl got a core of its own. It answers with no network latency, so a second
// round adds the same per-request delay to both peers (a cluster a few milliseconds away).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ClusterManager } from '../src/cluster/clusterManager';
import { EnvironmentDriftService, type EnvironmentDriftReport } from '../src/cluster/drift/environmentDriftService';
import type { DriftMode } from '../src/core/drift/driftTypes';
import { directoryView } from '../src/git/directoryView';
import { renderEnvironment } from '../src/render/renderEnvironment';
import type { KubeClient } from '../src/cluster/kubeClient';
import { TREE_REPAINT_MS } from '../src/ui/ids';
import { median, type BenchRow } from './benchTable';
import { tempDir, writeFiles } from '../test/integration/helpers/tempGitRepo';

const execFileAsync = promisify(execFile);
const NAMESPACE = 'bench';
const PER_KIND = 250;
const DRIFTED_PER_KIND = [13, 13, 12, 12];

export interface DriftBenchResult {
  resources: number;
  drifted: number;
  /** Render the folder + new cluster connection + lists + dry-runs of what a local comparison finds different + compare (server mode). */
  coldMs: number[];
  /** Dry-runs the cold server-mode report sent (the objects a local comparison found different). */
  coldDryRuns: number;
  /** The same in local mode (no dry-runs). */
  coldLocalMs: number[];
  /** Of cold: rendering 1,000 files with source positions. */
  renderMs: number[];
  /** One manifest edited (updateFile): re-parse, one dry-run, compare with the rest cached. */
  changeMs: number[];
  /**
   * A live change made by someone else (a merge patch, like `kubectl edit`) until the drift
   * service's change event names that resource with its new value: watch event, 50 ms gathering,
   * recompute of that resource. What the tree, hints and status bar are repainted from.
   */
  liveChangeMs: number[];
  /** The full report again with caches and predictions current (opening the report, a refresh). */
  warmMs: number[];
  /** Heap the live caches hold for the 1,000 objects. */
  cacheHeapMb: number;
  /** `kubectl diff --server-side --force-conflicts -f <dir>` on the same set. */
  kubectlDiffMs: number[];
  /** Keys both found drifted (asserted equal). */
  driftedKeys: string[];
  /** Both peers again with `delayMs` added to every request by the sandbox. */
  withLatency: { delayMs: number; coldMs: number[]; kubectlDiffMs: number[] };
}

function gcFunction(): () => void {
  // `npm run bench` runs without --expose-gc; the flag can still be set before the first use.
  setFlagsFromString('--expose_gc');
  return runInNewContext('gc') as () => void;
}

export function manifests(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < PER_KIND; i++) {
    const labels = `  labels:\n    app: app-${i}\n    app.kubernetes.io/part-of: bench\n`;
    files[`deploy/app-${i}.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: ${NAMESPACE}\n${labels}spec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app-${i}\n  template:\n    metadata:\n      labels:\n        app: app-${i}\n    spec:\n      containers:\n        - name: web\n          image: registry.example.com/app-${i}:1.4.${i % 7}\n          ports:\n            - containerPort: 8080\n              name: http\n          env:\n            - name: LOG_LEVEL\n              value: info\n          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n            limits:\n              cpu: "1"\n              memory: 512Mi\n`;
    files[`svc/app-${i}.yaml`] = `apiVersion: v1\nkind: Service\nmetadata:\n  name: app-${i}\n  namespace: ${NAMESPACE}\n${labels}spec:\n  selector:\n    app: app-${i}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n`;
    files[`config/app-${i}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${i}\n  namespace: ${NAMESPACE}\n${labels}data:\n  LOG_LEVEL: info\n  FEATURE_X: "on"\n  TIMEOUT: "30s"\n  REGION: eu-west-1\n  POOL: "${i % 16}"\n`;
    files[`secret/app-${i}.yaml`] = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-${i}\n  namespace: ${NAMESPACE}\n${labels}type: Opaque\nstringData:\n  username: app-${i}\n  password: bench-password-${i}\n`;
  }
  return files;
}

/** 50 live changes, made by another field manager (like `kubectl edit` would). */
async function makeDrift(client: KubeClient): Promise<string[]> {
  const keys: string[] = [];
  const drift = async (group: string, plural: string, kind: string, name: string, patch: Record<string, unknown>): Promise<void> => {
    const base = group ? `/apis/${group}/v1` : '/api/v1';
    await client.request('PATCH', `${base}/namespaces/${NAMESPACE}/${plural}/${name}`, { body: patch, contentType: 'application/merge-patch+json', query: { fieldManager: 'someone-else' } });
    keys.push(`${group}/${kind}/${NAMESPACE}/${name}`);
  };
  const [deploys, services, configs, secrets] = DRIFTED_PER_KIND;
  for (let i = 0; i < deploys; i++) await drift('apps', 'deployments', 'Deployment', `app-${i * 19}`, { spec: { replicas: 5 } });
  for (let i = 0; i < services; i++) await drift('', 'services', 'Service', `app-${i * 19 + 3}`, { spec: { selector: { app: 'elsewhere' } } });
  for (let i = 0; i < configs; i++) await drift('', 'configmaps', 'ConfigMap', `app-${i * 19 + 5}`, { data: { LOG_LEVEL: 'debug' } });
  for (let i = 0; i < secrets; i++) await drift('', 'secrets', 'Secret', `app-${i * 19 + 7}`, { data: { password: Buffer.from('rotated-by-hand').toString('base64') } });
  return keys.sort();
}

/** `gitops-env sandbox` in a child process, seeded with the manifests; resolves once it says `ready`. */
export async function startSandboxProcess(kubeconfig: string, seedDir: string): Promise<ChildProcess> {
  const main = join(__dirname, '..', 'src', 'cli', 'main.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'sandbox', '--kubeconfig', kubeconfig, '--namespace', NAMESPACE, '--seed', seedDir, '--no-controllers', '--context', 'bench'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start in 60 s: ${output}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/^ready /m.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited (${String(code)}): ${output}`));
    });
  });
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

/** Keys of the objects kubectl diff printed a diff for (`diff -u -N …/LIVE-…/apps.v1.Deployment.bench.app-0 …`). */
function kubectlDriftedKeys(output: string): string[] {
  const keys = new Set<string>();
  for (const match of output.matchAll(/^diff -u -N \S*\/LIVE-[^/\s]+\/(\S+) /gm)) {
    const parts = match[1].split('.');
    const [name, namespace, kind] = [parts.pop(), parts.pop(), parts.pop()];
    parts.pop(); // version
    keys.add(`${parts.join('.')}/${kind}/${namespace}/${name}`);
  }
  return [...keys].sort();
}

async function kubectlDiff(kubeconfig: string, dir: string): Promise<string> {
  try {
    await execFileAsync('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, 'diff', '--server-side', '--force-conflicts', '-f', dir, '--recursive'], { maxBuffer: 256 * 1024 * 1024, timeout: 600_000 });
    return '';
  } catch (error) {
    // Exit 1 means "differences found"; anything else is a failure of the peer run.
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (failed.code !== 1) throw new Error(`kubectl diff failed (${String(failed.code)}): ${failed.stderr ?? ''}`, { cause: error });
    return failed.stdout ?? '';
  }
}

async function coldReport(dir: string, kubeconfig: string, context: string, mode: DriftMode): Promise<{ ms: number; renderMs: number; report: EnvironmentDriftReport; service: EnvironmentDriftService; manager: ClusterManager }> {
  const started = performance.now();
  const view = directoryView(dir);
  const rendered = await renderEnvironment({ view, path: null, trusted: true });
  const renderMs = performance.now() - started;
  const manager = new ClusterManager({ path: kubeconfig });
  const service = new EnvironmentDriftService({ manager, context, mode, autoRecompute: false });
  await service.setRendered(rendered.objects);
  const report = await service.compute();
  return { ms: performance.now() - started, renderMs, report, service, manager };
}

function driftedKeys(report: EnvironmentDriftReport): string[] {
  return report.drift.resources.filter((r) => r.status !== 'InSync').map((r) => r.key).sort();
}

async function settle(gc: () => void): Promise<number> {
  // Disposed clients finish aborting their watches asynchronously; let them, then collect.
  await new Promise((r) => setTimeout(r, 200));
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Heap held by one set of live caches for the environment (the sandbox's own copy is in both samples). */
async function cacheHeap(gc: () => void, kubeconfig: string, context: string, expected: number): Promise<number> {
  const before = await settle(gc);
  const manager = new ClusterManager({ path: kubeconfig });
  const caches = (['Deployment', 'Service', 'ConfigMap', 'Secret'] as const).map((kind) =>
    manager.cache(context, { group: kind === 'Deployment' ? 'apps' : '', version: 'v1', kind }, NAMESPACE),
  );
  await Promise.all(caches.map((cache) => cache.start()));
  const after = await settle(gc);
  const listed = caches.reduce((n, cache) => n + cache.list().length, 0);
  manager.dispose();
  if (listed !== expected) throw new Error(`caches listed ${listed} objects, expected ${expected}`);
  return (after - before) / 2 ** 20;
}

async function timeKubectlDiff(kubeconfig: string, dir: string, expected: readonly string[]): Promise<number> {
  const started = performance.now();
  const output = await kubectlDiff(kubeconfig, dir);
  const ms = performance.now() - started;
  const found = kubectlDriftedKeys(output);
  if (JSON.stringify(found) !== JSON.stringify(expected)) {
    throw new Error(`kubectl diff found a different set: only kubectl ${found.filter((k) => !expected.includes(k)).join(', ')}; only ours ${expected.filter((k) => !found.includes(k)).join(', ')}`);
  }
  return ms;
}

async function timeCold(dir: string, kubeconfig: string, context: string, mode: DriftMode, expected: readonly string[]): Promise<{ ms: number; renderMs: number; dryRuns: number }> {
  const cold = await coldReport(dir, kubeconfig, context, mode);
  cold.service.dispose();
  cold.manager.dispose();
  const found = driftedKeys(cold.report);
  if (JSON.stringify(found) !== JSON.stringify(expected)) {
    throw new Error(`${mode} mode found ${found.length} drifted, expected ${expected.length}: extra ${found.filter((k) => !expected.includes(k)).join(', ')}`);
  }
  return { ms: cold.ms, renderMs: cold.renderMs, dryRuns: cold.report.dryRuns.length };
}

export async function measureDrift(runs = 7, kubectlRuns = 3, latencyMs = 10): Promise<DriftBenchResult> {
  const gc = gcFunction();
  const root = tempDir('gitops-drift-bench-');
  const dir = join(root, 'manifests');
  const kubeconfig = join(root, 'kubeconfig');
  writeFiles(dir, manifests());
  const sandbox = await startSandboxProcess(kubeconfig, dir);
  const context = 'bench';
  const control = new ClusterManager({ path: kubeconfig });
  try {
    const client = control.client(context);
    const initial = await renderEnvironment({ view: directoryView(dir), path: null, trusted: true });
    const expected = await makeDrift(client);
    const result: DriftBenchResult = {
      resources: initial.objects.length,
      drifted: expected.length,
      coldMs: [],
      coldDryRuns: 0,
      coldLocalMs: [],
      renderMs: [],
      changeMs: [],
      liveChangeMs: [],
      warmMs: [],
      cacheHeapMb: 0,
      kubectlDiffMs: [],
      driftedKeys: expected,
      withLatency: { delayMs: latencyMs, coldMs: [], kubectlDiffMs: [] },
    };
    result.cacheHeapMb = await cacheHeap(gc, kubeconfig, context, result.resources);

    // One uncounted round first: it pays for compiling our code (kubectl is a compiled binary).
    await timeCold(dir, kubeconfig, context, 'server', expected);
    await timeCold(dir, kubeconfig, context, 'local', expected);
    for (let i = 0; i < runs; i++) {
      const server = await timeCold(dir, kubeconfig, context, 'server', expected);
      result.coldMs.push(server.ms);
      result.coldDryRuns = server.dryRuns;
      result.renderMs.push(server.renderMs);
      result.coldLocalMs.push((await timeCold(dir, kubeconfig, context, 'local', expected)).ms);
    }

    // One manifest edited in the editor, again and again: one document changes each time.
    const warm = await coldReport(dir, kubeconfig, context, 'server');
    for (let i = 0; i < runs * 2; i++) {
      const started = performance.now();
      const report = await warm.service.compute();
      result.warmMs.push(performance.now() - started);
      if (report.recomputed.length !== 0 || report.dryRuns.length !== 0) throw new Error('a warm report must come from the caches');
    }
    const file = 'deploy/app-100.yaml';
    const original = readFileSync(join(dir, file), 'utf8');
    for (let i = 0; i < runs * 2; i++) {
      const text = original.replace('replicas: 2', `replicas: ${3 + (i % 5)}`);
      const started = performance.now();
      const report = await warm.service.updateFile(file, text);
      result.changeMs.push(performance.now() - started);
      if (report.recomputed.length !== 1 || report.byKey.get('apps/Deployment/bench/app-100')?.status !== 'Drifted') throw new Error('an edit must recompute exactly its own resource');
    }
    warm.service.dispose();
    warm.manager.dispose();

    // Someone changes a live object: how soon the drift the views show has it.
    {
      const manager = new ClusterManager({ path: kubeconfig });
      const service = new EnvironmentDriftService({ manager, context, mode: 'server' });
      try {
        await service.setRendered((await renderEnvironment({ view: directoryView(dir), path: null, trusted: true })).objects);
        await service.compute();
        for (let i = 0; i < runs * 2; i++) {
          const replicas = 6 + i;
          const key = 'apps/Deployment/bench/app-200';
          const seen = new Promise<number>((resolve) => {
            const subscription = service.onDidChange((event) => {
              const field = event.report.byKey.get(key)?.fields.find((f) => f.path === 'spec.replicas');
              if (field?.live === replicas) {
                subscription.dispose();
                resolve(performance.now());
              }
            });
          });
          const started = performance.now();
          await client.request('PATCH', `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/app-200`, { body: { spec: { replicas } }, contentType: 'application/merge-patch+json', query: { fieldManager: 'someone-else' } });
          result.liveChangeMs.push((await seen) - started);
        }
        // Put it back, so the later peers see the drift set the bench asserts.
        await client.request('PATCH', `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/app-200`, { body: { spec: { replicas: 2 } }, contentType: 'application/merge-patch+json', query: { fieldManager: 'someone-else' } });
      } finally {
        service.dispose();
        manager.dispose();
      }
    }

    for (let i = 0; i < kubectlRuns; i++) result.kubectlDiffMs.push(await timeKubectlDiff(kubeconfig, dir, expected));

    const { id } = await client.request<{ id: string }>('POST', '/__sandbox/faults', { body: { delayMs: latencyMs } });
    try {
      for (let i = 0; i < kubectlRuns; i++) {
        result.withLatency.coldMs.push((await timeCold(dir, kubeconfig, context, 'server', expected)).ms);
        result.withLatency.kubectlDiffMs.push(await timeKubectlDiff(kubeconfig, dir, expected));
      }
    } finally {
      await client.request('DELETE', `/__sandbox/faults/${encodeURIComponent(id)}`);
    }
    return result;
  } finally {
    control.dispose();
    await stopProcess(sandbox);
  }
}

/** The rows for the README table (bench/benchTable.ts). */
export function driftBenchRows(r: DriftBenchResult): BenchRow[] {
  const kubectl = median(r.kubectlDiffMs);
  const peer = { name: 'kubectl diff --server-side, same set', measured: kubectl };
  const cold = median(r.coldMs);
  const warm = median(r.warmMs);
  const latencyPeer = median(r.withLatency.kubectlDiffMs);
  const latencyCold = median(r.withLatency.coldMs);
  const set = `${r.resources} resources, ${r.drifted} drifted`;
  return [
    {
      figure: `Drift report cold in a warm process, server mode (${set}; render + list + ${r.coldDryRuns} dry-runs of the objects a local comparison finds different + compare; kubectl dry-runs all ${r.resources} in a fresh process — the CLI rows compare like with like)`,
      target: '≤ 2 s',
      measured: cold,
      unit: 'ms',
      peer,
      pass: cold <= 2000,
    },
    { figure: `Drift report cold in a warm process, local mode (${set}; no dry-run, no peer doing the same)`, target: '—', measured: median(r.coldLocalMs), unit: 'ms', pass: true },
    { figure: `Drift report cold in a warm process, server mode, ${r.withLatency.delayMs} ms added to every request for both peers`, target: '—', measured: latencyCold, unit: 'ms', peer: { name: 'kubectl diff --server-side, same latency', measured: latencyPeer }, pass: true },
    { figure: 'Drift report warm (live caches and dry-run results current; no peer keeps state between runs)', target: '≤ 50 ms', measured: warm, unit: 'ms', pass: warm <= 50 },
    { figure: 'Drift after one manifest change (editor text: re-parse, 1 dry-run, compare)', target: '≤ 200 ms', measured: median(r.changeMs), unit: 'ms', pass: median(r.changeMs) <= 200 },
    {
      figure: `A live change reaches the views: watch event → drift recomputed → change event (the tree then repaints within its ${TREE_REPAINT_MS} ms window, not measured here)`,
      target: `≤ ${500 - TREE_REPAINT_MS} ms`,
      measured: median(r.liveChangeMs),
      unit: 'ms',
      pass: median(r.liveChangeMs) + TREE_REPAINT_MS <= 500,
    },
    { figure: `Heap held by the live caches (${r.resources} objects)`, target: '≤ 150 MB', measured: r.cacheHeapMb, unit: 'MB', pass: r.cacheHeapMb <= 150 },
  ];
}
