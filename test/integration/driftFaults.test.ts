// The drift service when the cluster misbehaves (faults injected into the sandbox). Tests of the
// dry-run machinery set dryRunAll, so objects already in sync are dry-run too. Refused
// dry-runs fall back to local mode, marked approximate; 401/404/409/429/500, timeouts and failed
// lists make the affected resources Unknown with the reason while the rest is compared; nothing
// waits without a bound; a dropped watch and a failed list recover by themselves; runs cancel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ClusterError } from '../../src/cluster/clusterError';
import { ClusterManager } from '../../src/cluster/clusterManager';
import { EnvironmentDriftService, type DriftChangeEvent, type EnvironmentDriftReport } from '../../src/cluster/drift/environmentDriftService';
import type { DriftMode, ResourceDrift } from '../../src/core/drift/driftTypes';
import { directoryView } from '../../src/git/directoryView';
import { renderEnvironment, type RenderedObject } from '../../src/render/renderEnvironment';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

const run = promisify(execFile);
let sandbox: SandboxHandle;
let kubeconfig: string;
const managers: ClusterManager[] = [];
const services: EnvironmentDriftService[] = [];

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', timeout: 30_000 });
  return stdout;
}

function files(ns: string): Record<string, string> {
  const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ndata:\n  key: value\n`;
  return {
    'web.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: ${ns}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: { app: web }\n  template:\n    metadata:\n      labels: { app: web }\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n`,
    'settings.yaml': configMap('settings'),
    'flags.yaml': configMap('flags'),
    'service.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: ${ns}\nspec:\n  selector: { app: web }\n  ports:\n    - port: 80\n`,
  };
}

async function environment(ns: string, gitOnly: Record<string, string> = {}): Promise<RenderedObject[]> {
  sandbox.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as never);
  const dir = tempDir('gitops-drift-faults-');
  writeFiles(dir, files(ns));
  await kubectl('apply', '-f', dir);
  writeFiles(dir, gitOnly);
  return (await renderEnvironment({ view: directoryView(dir), path: null, trusted: true })).objects;
}

async function service(rendered: RenderedObject[], mode: DriftMode, options: Partial<ConstructorParameters<typeof EnvironmentDriftService>[0]> = {}): Promise<EnvironmentDriftService> {
  const manager = new ClusterManager({ path: kubeconfig }, { minBackoffMs: 50, maxBackoffMs: 300 });
  managers.push(manager);
  const created = new EnvironmentDriftService({ manager, context: sandbox.contextName, mode, debounceMs: 20, retryBackoffMs: 10, requestTimeoutMs: 2000, listTimeoutMs: 2000, ...options });
  services.push(created);
  await created.setRendered(rendered);
  return created;
}

function resource(r: EnvironmentDriftReport, key: string): ResourceDrift {
  const found = r.byKey.get(key);
  assert.ok(found, `no ${key} in ${[...r.byKey.keys()].join(', ')}`);
  return found;
}

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 8000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs `body` with fault rules in place, removing them afterwards whatever happens. */
async function withFaults<T>(rules: Parameters<SandboxHandle['faults']['add']>[0][], body: () => Promise<T>): Promise<T> {
  const ids = rules.map((rule) => sandbox.faults.add(rule));
  try {
    return await body();
  } finally {
    for (const id of ids) sandbox.faults.remove(id);
  }
}

before(async () => {
  kubeconfig = join(tempDir('gitops-drift-faults-kc-'), 'kubeconfig');
  sandbox = await startSandbox({ kubeconfigPath: kubeconfig, bookmarkIntervalMs: 200 });
});

after(async () => {
  for (const s of services) s.dispose();
  for (const m of managers) m.dispose();
  await sandbox?.stop();
  removeTempDirs();
});

test('a forbidden dry-run (403) makes the environment fall back to local mode, marked approximate, and drift is still found', async () => {
  const rendered = await environment('forbid');
  await kubectl('scale', '-n', 'forbid', 'deployment/web', '--replicas=4');
  const s = await service(rendered, 'server');
  const r = await withFaults([{ method: 'PATCH', path: /dryRun=All/, status: 403 }], () => s.compute());
  assert.equal(r.requestedMode, 'server');
  assert.equal(r.drift.mode, 'local');
  assert.equal(r.drift.approximate, true);
  assert.match(r.fallbackReason ?? '', /forbids server-side dry-runs/);
  const web = resource(r, 'apps/Deployment/forbid/web');
  assert.equal(web.status, 'Drifted');
  assert.equal(web.approximate, true);
  assert.deepEqual(web.fields.map((f) => [f.path, f.live]), [['spec.replicas', 4]]);
  assert.equal(r.drift.counts.Unknown, 0, 'a refusal is not a per-resource failure');
  // The fallback sticks for a while: no dry-run is tried again at once.
  const again = await s.compute();
  assert.deepEqual(again.dryRuns, []);
  assert.equal(again.drift.mode, 'local');
});

test('a webhook that rejects dry-runs makes the environment fall back to local mode too', async () => {
  const rendered = await environment('webhook');
  const s = await service(rendered, 'server', { dryRunAll: true });
  const message = 'admission webhook "audit.example.com" does not support dry run';
  const r = await withFaults([{ method: 'PATCH', path: /dryRun=All/, status: 400, message }], () => s.compute());
  assert.equal(r.drift.mode, 'local');
  assert.match(r.fallbackReason ?? '', /webhook rejects dry-runs.*audit\.example\.com/);
  assert.equal(r.drift.counts.InSync, 4);
});

test('500, 409 and 429 on a dry-run make that resource Unknown with the reason (429 retried first); the others are compared', async () => {
  const rendered = await environment('errors');
  await kubectl('scale', '-n', 'errors', 'deployment/web', '--replicas=3');
  const s = await service(rendered, 'server', { dryRunAll: true });
  const r = await withFaults(
    [
      { method: 'PATCH', path: /configmaps\/settings\?/, status: 500 },
      { method: 'PATCH', path: /configmaps\/flags\?/, status: 409, message: 'Operation cannot be fulfilled: the object has been modified' },
      { method: 'PATCH', path: /services\/web\?/, status: 429, times: 1 },
    ],
    () => s.compute(),
  );
  const settings = resource(r, '/ConfigMap/errors/settings');
  assert.equal(settings.status, 'Unknown');
  assert.match(settings.reason ?? '', /dry-run failed \(serverError\).*500/);
  const flags = resource(r, '/ConfigMap/errors/flags');
  assert.equal(flags.status, 'Unknown');
  assert.match(flags.reason ?? '', /conflict.*has been modified/);
  assert.equal(resource(r, '/Service/errors/web').status, 'InSync', 'one 429 is retried, then it succeeds');
  assert.equal(resource(r, 'apps/Deployment/errors/web').status, 'Drifted');
  assert.equal(r.drift.counts.Unknown, 2);
  // Transient failures are tried again on the next run; once the cluster is well, they resolve.
  const healed = await s.compute();
  assert.equal(resource(healed, '/ConfigMap/errors/settings').status, 'InSync');

  const throttled = await service(rendered, 'server', { dryRunAll: true });
  const limited = await withFaults([{ method: 'PATCH', path: /services\/web\?/, status: 429, retryAfterSeconds: 0 }], () => throttled.compute());
  assert.match(resource(limited, '/Service/errors/web').reason ?? '', /tooManyRequests/);
});

test('a dry-run that never answers times out: Unknown with the reason, and the run ends in bounded time', async () => {
  const rendered = await environment('hang');
  const s = await service(rendered, 'server', { requestTimeoutMs: 300, dryRunAll: true });
  const started = Date.now();
  const r = await withFaults([{ method: 'PATCH', path: /configmaps\/settings\?/, hang: true }], () => s.compute());
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  const settings = resource(r, '/ConfigMap/hang/settings');
  assert.equal(settings.status, 'Unknown');
  assert.match(settings.reason ?? '', /timeout.*no answer/);
  assert.equal(resource(r, '/ConfigMap/hang/flags').status, 'InSync');

  // Every dry-run hanging: after a few timeouts the rest are not tried, so the run still ends soon.
  const all = await service(rendered, 'server', { requestTimeoutMs: 300, concurrency: 2, dryRunAll: true });
  const begun = Date.now();
  const down = await withFaults([{ method: 'PATCH', hang: true }], () => all.compute());
  assert.ok(Date.now() - begun < 3000, `took ${Date.now() - begun} ms`);
  assert.equal(down.drift.counts.Unknown, 4);
  assert.ok(down.drift.resources.some((x) => /not tried/.test(x.reason ?? '')));
});

test('a kind that cannot be listed is Unknown with the reason while the others are compared; it recovers by itself', async () => {
  const rendered = await environment('lists');
  await kubectl('scale', '-n', 'lists', 'deployment/web', '--replicas=5');
  const s = await service(rendered, 'server');
  const events: DriftChangeEvent[] = [];
  s.onDidChange((e) => events.push(e));
  const r = await withFaults([{ method: 'GET', watch: false, path: /namespaces\/lists\/configmaps/, status: 500 }], () => s.compute());
  const settings = resource(r, '/ConfigMap/lists/settings');
  assert.equal(settings.status, 'Unknown');
  assert.match(settings.reason ?? '', /cannot list ConfigMap in lists.*500/);
  assert.equal(resource(r, 'apps/Deployment/lists/web').status, 'Drifted');
  assert.equal(resource(r, '/Service/lists/web').status, 'InSync');
  assert.equal(r.freshness.state, 'stale');
  // Fault gone: the cache's own retry lists, and the service recomputes without being asked.
  const healed = await until(() => events.find((e) => e.report.byKey.get('/ConfigMap/lists/settings')?.status === 'InSync'), 'recovery');
  assert.ok(healed.keys.includes('/ConfigMap/lists/settings'));
  assert.equal(healed.report.freshness.state, 'live');
});

test('401 everywhere: every resource Unknown with the reason and the freshness unavailable, without hanging; then it recovers', async () => {
  const rendered = await environment('denied');
  const s = await service(rendered, 'server', { discoveryRetryMs: 100 });
  const events: DriftChangeEvent[] = [];
  s.onDidChange((e) => events.push(e));
  const started = Date.now();
  const r = await withFaults([{ status: 401 }], () => s.compute());
  assert.ok(Date.now() - started < 3000);
  assert.equal(r.drift.counts.Unknown, 4);
  assert.ok(r.drift.resources.every((x) => /401|Unauthorized|credentials/i.test(x.reason ?? '')), JSON.stringify(r.drift.resources.map((x) => x.reason)));
  assert.equal(r.freshness.state, 'unavailable');
  // Nothing was listed, so no cache retries; the service asks discovery again by itself.
  const healed = await until(() => events.find((e) => e.causes.includes('connection') && e.report.drift.counts.InSync === 4), 'recovery');
  assert.equal(healed.report.freshness.state, 'live');
});

test('a kind the cluster does not serve (no CRD, 404) is Unknown with the reason; the rest is compared', async () => {
  const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: gizmo\n  namespace: nocrd\nspec:\n  size: 3\n';
  const rendered = await environment('nocrd', { 'widget.yaml': widget });
  for (const mode of ['server', 'local'] as const) {
    const s = await service(rendered, mode);
    const r = await s.compute();
    const gizmo = resource(r, 'example.com/Widget/nocrd/gizmo');
    assert.equal(gizmo.status, 'Unknown', mode);
    assert.match(gizmo.reason ?? '', /does not serve example\.com\/v1|no kind Widget/);
    assert.equal(r.drift.counts.InSync, 4, mode);
  }
});

test('after a dropped watch the cache resumes and later drift is still reported', async () => {
  const rendered = await environment('dropped');
  const s = await service(rendered, 'server');
  await s.compute();
  const events: DriftChangeEvent[] = [];
  s.onDidChange((e) => events.push(e));
  sandbox.faults.dropWatches('reset', /namespaces\/dropped/);
  await kubectl('scale', '-n', 'dropped', 'deployment/web', '--replicas=6');
  const event = await until(() => events.find((e) => e.report.byKey.get('apps/Deployment/dropped/web')?.status === 'Drifted'), 'drift after the drop');
  assert.deepEqual(event.report.byKey.get('apps/Deployment/dropped/web')?.fields.map((f) => f.live), [6]);
});

test('cancelling a computation stops its dry-runs at once', async () => {
  const rendered = await environment('cancel');
  const s = await service(rendered, 'server', { concurrency: 1, dryRunAll: true });
  const controller = new AbortController();
  const started = Date.now();
  const pending = withFaults([{ method: 'PATCH', delayMs: 400 }], async () => {
    setTimeout(() => controller.abort(), 100);
    return s.compute(controller.signal);
  });
  await assert.rejects(pending, (error: unknown) => error instanceof ClusterError && error.code === 'cancelled');
  assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  // The service is still usable afterwards.
  const r = await s.compute();
  assert.equal(r.drift.counts.InSync, 4);
});
