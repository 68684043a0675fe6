// The environment drift service against the sandbox, with drift made by the real kubectl: fields
// reported at the line that declares them, Missing and Extra, sync and its preview, server and
// local mode agreeing, watch events and edits recomputing only what they touched, kustomize
// objects located in their base file, and results going stale (not empty) while the cluster is away.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterManager } from '../../src/cluster/clusterManager';
import { EnvironmentDriftService, type DriftChangeEvent, type EnvironmentDriftReport } from '../../src/cluster/drift/environmentDriftService';
import type { DriftMode, ResourceDrift } from '../../src/core/drift/driftTypes';
import { directoryView } from '../../src/git/directoryView';
import { renderEnvironment, type RenderedObject } from '../../src/render/renderEnvironment';
import { DriftSandbox, shopConfigMap, shopDeployment, shopObject } from './helpers/driftSandbox';
import { removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

let cluster: DriftSandbox;
const managers: ClusterManager[] = [];
const services: EnvironmentDriftService[] = [];
const SELECTOR = 'app.kubernetes.io/part-of=shop';

function lineOf(file: string, needle: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `${needle} not in ${file}`);
  return index + 1;
}

function manifests(ns: string): Record<string, string> {
  return {
    'web.yaml': shopDeployment(ns, { containerPort: 8080 }),
    'config.yaml': `${shopConfigMap(ns, 'settings', { mode: 'fast', level: 'info' })}---\n${shopConfigMap(ns, 'flags', { beta: '"false"' })}`,
    'service.yaml': shopObject('v1', 'Service', 'web', ns, ['spec:', '  selector:', '    app: web', '  ports:', '    - port: 80', '      targetPort: 8080']),
  };
}

interface Env {
  ns: string;
  dir: string;
  rendered: RenderedObject[];
}

/** A namespace with the manifests applied by `kubectl apply`, and their render. */
async function environment(ns: string, extraFiles: Record<string, string> = {}): Promise<Env> {
  const dir = await cluster.apply(ns, manifests(ns));
  // Files written after the apply are in Git only (Missing).
  writeFiles(dir, extraFiles);
  const result = await renderEnvironment({ view: directoryView(dir), path: null, trusted: true });
  assert.deepEqual(result.problems, []);
  return { ns, dir, rendered: result.objects };
}

function service(mode: DriftMode, options: Partial<ConstructorParameters<typeof EnvironmentDriftService>[0]> = {}): EnvironmentDriftService {
  const manager = new ClusterManager({ path: cluster.kubeconfig }, { minBackoffMs: 50, maxBackoffMs: 300 });
  managers.push(manager);
  const created = new EnvironmentDriftService({ manager, context: cluster.sandbox.contextName, mode, extraSelector: SELECTOR, debounceMs: 20, ...options });
  services.push(created);
  return created;
}

async function report(env: Env, mode: DriftMode): Promise<EnvironmentDriftReport> {
  const s = service(mode);
  await s.setRendered(env.rendered);
  return s.compute();
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
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Computes until a run finds nothing new: the sandbox's workload controller writes a Deployment's status for a while after an apply. */
async function quiet(s: EnvironmentDriftService): Promise<EnvironmentDriftReport> {
  let report = await s.compute();
  for (let i = 0; i < 50 && report.recomputed.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    report = await s.compute();
  }
  return report;
}

before(async () => {
  cluster = await DriftSandbox.start('gitops-drift-');
});

after(async () => {
  for (const s of services) s.dispose();
  for (const m of managers) m.dispose();
  await cluster?.stop();
  removeTempDirs();
});

test('kubectl scale is reported as spec.replicas drift on the line that declares it, in server and in local mode', async () => {
  const env = await environment('scale');
  await cluster.kubectl('scale', '-n', 'scale', 'deployment/web', '--replicas=5');
  const replicasLine = lineOf(join(env.dir, 'web.yaml'), 'replicas: 2');
  for (const mode of ['server', 'local'] as const) {
    const r = await report(env, mode);
    assert.equal(r.drift.mode, mode);
    const web = resource(r, 'apps/Deployment/scale/web');
    assert.equal(web.status, 'Drifted', mode);
    assert.deepEqual(
      web.fields.map((f) => [f.path, f.desired, f.live, f.range?.start.line]),
      [['spec.replicas', 2, 5, replicasLine]],
      mode,
    );
    assert.equal(web.origin?.file, 'web.yaml');
    assert.equal(web.fields[0].manager, 'kubectl');
    assert.equal(resource(r, '/ConfigMap/scale/settings').status, 'InSync', mode);
    assert.equal(resource(r, '/Service/scale/web').status, 'InSync', mode);
    assert.equal(r.freshness.state, 'live');
    assert.equal(r.drift.approximate, mode === 'local');
  }
});

test('a resource in Git and not in the cluster is Missing; a labelled live one not in Git is Extra; unlabelled ones are not', async () => {
  const extra = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: later\n  namespace: missing\ndata:\n  a: b\n';
  const env = await environment('missing', { 'later.yaml': extra });
  await cluster.kubectl('create', 'configmap', 'stray', '-n', 'missing', '--from-literal=x=y');
  await cluster.kubectl('label', 'configmap', 'stray', '-n', 'missing', SELECTOR);
  await cluster.kubectl('create', 'configmap', 'unrelated', '-n', 'missing', '--from-literal=x=y');
  for (const mode of ['server', 'local'] as const) {
    const r = await report(env, mode);
    const later = resource(r, '/ConfigMap/missing/later');
    assert.equal(later.status, 'Missing', mode);
    assert.deepEqual([later.origin?.file, later.origin?.range?.start.line], ['later.yaml', 2]);
    assert.equal(resource(r, '/ConfigMap/missing/stray').status, 'Extra', mode);
    assert.equal(r.byKey.has('/ConfigMap/missing/unrelated'), false, 'an unlabelled live object is not Extra');
    assert.deepEqual([r.drift.counts.Missing, r.drift.counts.Extra, r.drift.counts.Drifted], [1, 1, 0], mode);
  }
});

test('sync previews the fields it would change, applies Git, and the drift is gone (Missing ones are created)', async () => {
  const extra = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: created-by-sync\n  namespace: sync\ndata:\n  a: b\n';
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-key\n  namespace: sync\nstringData:\n  key: Very-Secret-Sync-Value\n';
  const env = await environment('sync', { 'new.yaml': extra, 'secret.yaml': secret });
  await cluster.kubectl('scale', '-n', 'sync', 'deployment/web', '--replicas=7');
  await cluster.kubectl('patch', 'configmap', 'settings', '-n', 'sync', '--type=merge', '-p', '{"data":{"mode":"slow"}}');
  const s = service('server');
  await s.setRendered(env.rendered);
  const first = await s.compute();
  const keys = ['apps/Deployment/sync/web', '/ConfigMap/sync/settings', '/ConfigMap/sync/created-by-sync'];
  assert.deepEqual(keys.map((k) => resource(first, k).status), ['Drifted', 'Drifted', 'Missing']);

  const previews = await s.previewSync(keys);
  const byKey = new Map(previews.map((p) => [p.key, p]));
  const web = byKey.get(keys[0]);
  assert.ok(web?.ok);
  assert.equal(web.action, 'update');
  assert.deepEqual(web.fields.map((f) => [f.path, f.live, f.desired]), [['spec.replicas', 7, 2]]);
  const created = byKey.get(keys[2]);
  assert.ok(created?.ok);
  assert.equal(created.action, 'create');
  // A preview is a dry-run: nothing changed yet.
  assert.equal(JSON.parse(await cluster.kubectl('get', 'deployment', 'web', '-n', 'sync', '-o', 'json')).spec.replicas, 7);

  const outcomes = await s.sync(keys);
  assert.deepEqual(outcomes.map((o) => o.ok), [true, true, true]);
  assert.equal(JSON.parse(await cluster.kubectl('get', 'deployment', 'web', '-n', 'sync', '-o', 'json')).spec.replicas, 2);
  const after = await s.compute();
  assert.deepEqual(keys.map((k) => resource(after, k).status), ['InSync', 'InSync', 'InSync']);
  const again = await s.previewSync([keys[0]]);
  assert.ok(again[0].ok && again[0].action === 'unchanged');
  // A synced Secret comes back with masked values only.
  const [synced] = await s.sync(['/Secret/sync/api-key']);
  assert.ok(synced.ok);
  assert.ok(!JSON.stringify(synced).includes('Very-Secret-Sync-Value') && !JSON.stringify(synced).includes(Buffer.from('Very-Secret-Sync-Value').toString('base64')));
  assert.deepEqual(Object.keys((synced.object.data as Record<string, object>).key).sort(), ['hash', 'masked']);
  assert.equal(JSON.parse(await cluster.kubectl('get', 'secret', 'api-key', '-n', 'sync', '-o', 'json')).data.key, Buffer.from('Very-Secret-Sync-Value').toString('base64'));
  // Our field manager now owns what Git declares.
  const managed = JSON.parse(await cluster.kubectl('get', 'configmap', 'created-by-sync', '-n', 'sync', '-o', 'json', '--show-managed-fields')).metadata.managedFields as Array<{ manager: string }>;
  assert.ok(managed.some((m) => m.manager === 'gitops-environments'));
});

test('server and local mode agree on common drift (scale, image, data, labels added by others)', async () => {
  const env = await environment('agree');
  await cluster.kubectl('scale', '-n', 'agree', 'deployment/web', '--replicas=4');
  await cluster.kubectl('set', 'image', '-n', 'agree', 'deployment/web', 'web=nginx:1.28');
  await cluster.kubectl('patch', 'configmap', 'flags', '-n', 'agree', '--type=merge', '-p', '{"data":{"beta":"true","extra":"1"}}');
  await cluster.kubectl('label', 'service', 'web', '-n', 'agree', 'team=payments');
  const [server, local] = [await report(env, 'server'), await report(env, 'local')];
  const summary = (r: EnvironmentDriftReport): string[] =>
    r.drift.resources.map((x) => `${x.key} ${x.status} ${x.fields.map((f) => `${f.path}=${JSON.stringify(f.live)}`).sort().join(' ')}`);
  assert.deepEqual(summary(server), summary(local));
  assert.equal(resource(server, 'apps/Deployment/agree/web').fields.length, 2);
  assert.equal(resource(server, '/ConfigMap/agree/flags').status, 'Drifted');
  assert.equal(resource(server, '/Service/agree/web').status, 'InSync', 'a label only another manager added is not drift');
  assert.equal(resource(server, '/ConfigMap/agree/settings').status, 'InSync');
});

test('a watch event recomputes only the resource it touched, and fires with its key', async () => {
  const env = await environment('watch');
  const s = service('server');
  await s.setRendered(env.rendered);
  const base = await quiet(s);
  assert.deepEqual(base.recomputed, [], 'nothing changed: everything from the cache');
  assert.deepEqual(base.dryRuns, []);
  const events: DriftChangeEvent[] = [];
  s.onDidChange((e) => events.push(e));
  await cluster.kubectl('patch', 'configmap', 'settings', '-n', 'watch', '--type=merge', '-p', '{"data":{"level":"debug"}}');
  const event = await until(() => events.find((e) => e.keys.includes('/ConfigMap/watch/settings')), 'a change event');
  assert.deepEqual(event.causes, ['live']);
  assert.deepEqual(event.keys, ['/ConfigMap/watch/settings']);
  assert.deepEqual(event.report.recomputed, ['/ConfigMap/watch/settings']);
  assert.deepEqual(event.report.dryRuns, ['/ConfigMap/watch/settings']);
  const field = resource(event.report, '/ConfigMap/watch/settings').fields[0];
  assert.deepEqual([field.path, field.desired, field.live, field.range?.start.line], ['data.level', 'info', 'debug', lineOf(join(env.dir, 'config.yaml'), 'level: info')]);
  assert.equal(resource(event.report, '/ConfigMap/watch/flags').status, 'InSync');
});

test('an edited manifest (editor text) recomputes only its own resources, with ranges in the new text', async () => {
  const env = await environment('edit');
  const s = service('server', { autoRecompute: false });
  await s.setRendered(env.rendered);
  await quiet(s);
  const text = readFileSync(join(env.dir, 'web.yaml'), 'utf8').replace('  replicas: 2', '  # scaled up for the sale\n  replicas: 3');
  const r = await s.updateFile('web.yaml', text);
  assert.deepEqual(r.recomputed, ['apps/Deployment/edit/web']);
  assert.deepEqual(r.dryRuns, ['apps/Deployment/edit/web']);
  const web = resource(r, 'apps/Deployment/edit/web');
  assert.equal(web.status, 'Drifted');
  assert.deepEqual(web.fields.map((f) => [f.path, f.desired, f.live, f.range?.start.line]), [['spec.replicas', 3, 2, 10]]);
  assert.equal(resource(r, '/ConfigMap/edit/settings').status, 'InSync');
  // Mid-typing, the document does not parse: its resource keeps its last version instead of vanishing.
  const broken = await s.updateFile('web.yaml', text.replace('replicas: 3', 'replicas: [3'));
  assert.equal(resource(broken, 'apps/Deployment/edit/web').status, 'Drifted');
  assert.deepEqual(broken.recomputed, []);
  // Deleting the document from a clean file removes the resource.
  const emptied = await s.updateFile('web.yaml', '# nothing here any more\n');
  assert.equal(emptied.byKey.has('apps/Deployment/edit/web'), false);
});

test('a kustomize overlay: drift in a base field is reported at the line of the base file', async () => {
  cluster.namespace('kustom');
  const dir = tempDir('gitops-drift-kustomize-');
  writeFiles(dir, {
    'base/kustomization.yaml': 'resources:\n  - deploy.yaml\n',
    'base/deploy.yaml': manifests('kustom')['web.yaml'],
    'overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\nnamePrefix: prod-\npatches:\n  - path: replicas.yaml\n',
    'overlays/prod/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: kustom\nspec:\n  replicas: 3\n',
  });
  await cluster.kubectl('apply', '-k', join(dir, 'overlays', 'prod'));
  await cluster.kubectl('set', 'image', '-n', 'kustom', 'deployment/prod-web', 'web=nginx:1.29');
  const view = directoryView(dir);
  const rendered = await renderEnvironment({ view, path: 'overlays/prod', trusted: true, materialize: async () => dir });
  assert.deepEqual(rendered.problems, []);
  for (const mode of ['server', 'local'] as const) {
    const s = service(mode, { readSource: (p) => view.readFile(p) });
    await s.setRendered(rendered.objects);
    const r = await s.compute();
    const web = resource(r, 'apps/Deployment/kustom/prod-web');
    assert.equal(web.status, 'Drifted', mode);
    assert.deepEqual(
      web.fields.map((f) => [f.path, f.live, web.origin?.file, f.range?.start.line]),
      [['spec.template.spec.containers[name=web].image', 'nginx:1.29', 'base/deploy.yaml', lineOf(join(dir, 'base/deploy.yaml'), 'image:')]],
      mode,
    );
    // Editing the base is input to a build: the rendered object stays until the caller renders again.
    const edited = await s.updateFile('base/deploy.yaml', readFileSync(join(dir, 'base/deploy.yaml'), 'utf8').replace('nginx:1.27', 'nginx:1.29'));
    assert.deepEqual([...edited.byKey.keys()], ['apps/Deployment/kustom/prod-web']);
    assert.equal(resource(edited, 'apps/Deployment/kustom/prod-web').status, 'Drifted');
  }
});

test('an object whose dry-run cannot reach the cluster is compared locally, not dropped to Unknown, and the report says it is stale', async () => {
  const env = await environment('away-edit');
  await cluster.kubectl('scale', '-n', 'away-edit', 'deployment/web', '--replicas=4');
  const s = service('server', { autoRecompute: false });
  await s.setRendered(env.rendered);
  const before = await s.compute();
  assert.equal(before.freshness.state, 'live');
  assert.equal(resource(before, 'apps/Deployment/away-edit/web').status, 'Drifted');
  // A new desired content has no prediction: its dry-run must go to the cluster, which is away.
  const edited = env.rendered.map((r) => {
    if (r.object.kind !== 'Deployment') return r;
    const object = structuredClone(r.object) as { metadata: { annotations?: Record<string, string> } };
    object.metadata.annotations = { ...object.metadata.annotations, 'example.com/edited': 'yes' };
    return { ...r, object: object as typeof r.object };
  });
  await cluster.sandbox.faults.goAway();
  try {
    await s.setRendered(edited);
    const away = await s.compute();
    const web = resource(away, 'apps/Deployment/away-edit/web');
    assert.equal(web.status, 'Drifted', `the cached live object is still compared: ${web.reason ?? ''}`);
    assert.ok(web.fields.some((f) => f.path === 'spec.replicas' && f.live === 4), JSON.stringify(web.fields));
    assert.equal(web.mode, 'local');
    assert.equal(web.approximate, true);
    assert.equal(away.freshness.state, 'stale');
    assert.ok(away.freshness.problems.some((p) => p.includes('dry-run failed')), away.freshness.problems.join('\n'));
  } finally {
    await cluster.sandbox.faults.comeBack();
  }
  let dryRunAgain = false;
  let back = await s.compute();
  for (const started = Date.now(); back.freshness.state !== 'live' && Date.now() - started < 10_000; back = await s.compute()) {
    dryRunAgain ||= back.dryRuns.includes('apps/Deployment/away-edit/web');
    await new Promise((r) => setTimeout(r, 50));
  }
  dryRunAgain ||= back.dryRuns.includes('apps/Deployment/away-edit/web');
  assert.equal(back.freshness.state, 'live');
  assert.ok(dryRunAgain, 'dry-run again once the cluster answers');
  assert.equal(resource(back, 'apps/Deployment/away-edit/web').mode, 'server');
});

test('while the cluster is away results stay, marked stale as of when it went; when it is back they are live again', async () => {
  const env = await environment('away');
  await cluster.kubectl('scale', '-n', 'away', 'deployment/web', '--replicas=3');
  const s = service('server');
  await s.setRendered(env.rendered);
  const before = await s.compute();
  assert.equal(before.freshness.state, 'live');
  const events: DriftChangeEvent[] = [];
  s.onDidChange((e) => events.push(e));
  const wentAway = Date.now();
  await cluster.sandbox.faults.goAway();
  try {
    const stale = await until(() => events.find((e) => e.causes.includes('connection') && e.report.freshness.state === 'stale'), 'a stale report');
    assert.ok(stale.report.freshness.asOf !== undefined && stale.report.freshness.asOf <= Date.now() && stale.report.freshness.asOf >= wentAway - 1000);
    assert.ok(stale.report.freshness.problems.length > 0);
    assert.equal(resource(stale.report, 'apps/Deployment/away/web').status, 'Drifted', 'the last known verdict stays');
    assert.equal(s.freshness().state, 'stale');
  } finally {
    await cluster.sandbox.faults.comeBack();
  }
  await until(() => (s.freshness().state === 'live' ? true : undefined), 'live again', 10_000);
  const again = await s.compute();
  assert.equal(again.freshness.state, 'live');
  assert.equal(resource(again, 'apps/Deployment/away/web').status, 'Drifted');
});
