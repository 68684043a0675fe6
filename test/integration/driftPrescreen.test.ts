// Server mode dry-runs only what a local comparison finds different (EnvironmentDriftService's
// default). The claim behind it — an apply of Git leaves an object the local comparison calls in
// sync unchanged, so the dry-run would predict the live object — is held here against the sandbox:
// for many kinds of live edits (by other managers, kubectl client- and server-side apply, our own
// apply) and Git edits (a field dropped from Git that an applier owned, quantities written
// differently, live-only labels and list items), the verdicts and drifted fields equal those of
// dry-running every object, with fewer dry-runs. Also: Extra found through Argo CD's tracking
// annotation, at the first report and from watch events later.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterManager } from '../../src/cluster/clusterManager';
import { EnvironmentDriftService, type EnvironmentDriftReport } from '../../src/cluster/drift/environmentDriftService';
import { builtinCatalog } from '../../src/cluster/drift/invalidDesired';
import { directoryView } from '../../src/git/directoryView';
import { renderEnvironment, type RenderedObject } from '../../src/render/renderEnvironment';
import { DriftSandbox } from './helpers/driftSandbox';
import { removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

const NS = 'prescreen';
let cluster: DriftSandbox;
const managers: ClusterManager[] = [];
const services: EnvironmentDriftService[] = [];
const kubectl = (...args: string[]): Promise<string> => cluster.kubectl(...args);

const deployment = (name: string, cpu: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${NS}\n  labels:\n    app: ${name}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: main\n          image: nginx:1.27\n          args: ["--port", "8080"]\n          env:\n            - name: LOG_LEVEL\n              value: info\n          resources:\n            limits:\n              cpu: "${cpu}"\n              memory: 1024Mi\n`;
const configMap = (name: string, extra = '', labels = ''): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${NS}\n${labels ? `  labels:\n${labels}` : ''}data:\n  mode: fast\n${extra}`;
const service = (name: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${NS}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - port: 80\n      targetPort: 8080\n`;
const secret = (name: string, password: string): string =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ${NS}\ntype: Opaque\nstringData:\n  password: ${password}\n`;
const role = (name: string): string =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: ${name}\n  namespace: ${NS}\nrules:\n  - apiGroups: [""]\n    resources: ["configmaps"]\n    verbs: ["get", "list"]\n`;

/** What Git held when the cluster was set up (applied three ways). */
const applied: Record<string, Record<string, string>> = {
  kubectlClientSide: {
    'web.yaml': deployment('web', '1'),
    'web-svc.yaml': service('web'),
    'settings.yaml': configMap('settings'),
  },
  kubectlServerSide: {
    'api.yaml': deployment('api', '500m'),
    'api-svc.yaml': service('api'),
    'reader.yaml': role('reader'),
  },
  ours: {
    'labelled.yaml': configMap('labelled', '', '    tier: gold\n    team: core\n'),
    'creds.yaml': secret('creds', 'first'),
    'flags.yaml': configMap('flags', '  debug: "false"\n'),
  },
};

/** Git now: some files changed since they were applied. */
function gitNow(): Record<string, string> {
  return {
    ...applied.kubectlClientSide,
    ...applied.kubectlServerSide,
    ...applied.ours,
    'web.yaml': deployment('web', '1000m'), // same quantity, written differently: in sync
    'settings.yaml': configMap('settings', '  added: "yes"\n'), // a key Git adds: drifted
    'labelled.yaml': configMap('labelled', '', '    tier: gold\n'), // a label our apply owned, dropped from Git: drifted
  };
}

function verdicts(report: EnvironmentDriftReport): Record<string, string> {
  const out: Record<string, string> = {};
  for (const resource of report.drift.resources) out[resource.key] = `${resource.status} ${resource.fields.map((f) => f.path).sort().join(',')}`;
  return out;
}

async function driftService(rendered: RenderedObject[], dryRunAll: boolean): Promise<EnvironmentDriftService> {
  const manager = new ClusterManager({ path: cluster.kubeconfig });
  managers.push(manager);
  const created = new EnvironmentDriftService({ manager, context: cluster.sandbox.contextName, mode: 'server', autoRecompute: false, dryRunAll });
  services.push(created);
  await created.setRendered(rendered);
  return created;
}

before(async () => {
  cluster = await DriftSandbox.start('gitops-prescreen-');
  cluster.namespace(NS);
});

after(async () => {
  for (const s of services) s.dispose();
  for (const m of managers) m.dispose();
  await cluster?.stop();
  removeTempDirs();
});

test('dry-running only what the local comparison finds different gives the verdicts of dry-running everything', async () => {
  const clientDir = tempDir('gitops-prescreen-client-');
  writeFiles(clientDir, applied.kubectlClientSide);
  await kubectl('apply', '-f', clientDir);
  const serverDir = tempDir('gitops-prescreen-server-');
  writeFiles(serverDir, applied.kubectlServerSide);
  await kubectl('apply', '--server-side', '-f', serverDir);
  const oursDir = tempDir('gitops-prescreen-ours-');
  writeFiles(oursDir, applied.ours);
  const ours = await driftService((await renderEnvironment({ view: directoryView(oursDir), path: null, trusted: true })).objects, true);
  await ours.compute();
  const synced = await ours.sync(['/ConfigMap/prescreen/labelled', '/Secret/prescreen/creds', '/ConfigMap/prescreen/flags']);
  assert.ok(synced.every((o) => o.ok), JSON.stringify(synced));

  // Live edits by others: some are drift, some are not.
  await kubectl('scale', '-n', NS, 'deployment/api', '--replicas=5');
  await kubectl('label', '-n', NS, 'service/web', 'added-by=hand');
  await kubectl('annotate', '-n', NS, 'configmap/flags', 'note=hello');
  await kubectl('patch', '-n', NS, 'deployment/web', '--type=strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"main","env":[{"name":"EXTRA","value":"1"}]}]}}}}');
  await kubectl('patch', '-n', NS, 'deployment/api', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/args","value":["--port","9090"]}]');
  await kubectl('patch', '-n', NS, 'secret/creds', '--type=merge', '-p', JSON.stringify({ data: { password: Buffer.from('rotated').toString('base64') } }));
  await kubectl('patch', '-n', NS, 'service/api', '--type=merge', '-p', '{"spec":{"selector":{"app":"elsewhere"}}}');

  const gitDir = tempDir('gitops-prescreen-git-');
  writeFiles(gitDir, gitNow());
  const rendered = (await renderEnvironment({ view: directoryView(gitDir), path: null, trusted: true })).objects;
  const everything = await (await driftService(rendered, true)).compute();
  const screened = await (await driftService(rendered, false)).compute();

  assert.deepEqual(verdicts(screened), verdicts(everything));
  assert.equal(screened.drift.mode, 'server');
  assert.equal(screened.drift.approximate, false);
  const drifted = Object.entries(verdicts(everything)).filter(([, v]) => !v.startsWith('InSync')).map(([k]) => k).sort();
  assert.deepEqual(drifted, [
    '/ConfigMap/prescreen/labelled',
    '/ConfigMap/prescreen/settings',
    '/Secret/prescreen/creds',
    '/Service/prescreen/api',
    'apps/Deployment/prescreen/api',
  ]);
  assert.equal(everything.dryRuns.length, rendered.length);
  assert.deepEqual([...screened.dryRuns].sort(), drifted, 'only the objects that differ locally are dry-run');
});

test("live objects Argo CD's tracking annotation gives to the environment's application, and not in Git, are Extra — also when they appear later", async () => {
  const ns = 'tracked';
  cluster.namespace(ns);
  const cm = (name: string, app: string): string =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  annotations:\n    argocd.argoproj.io/tracking-id: "${app}:/ConfigMap:${ns}/${name}"\ndata:\n  a: "1"\n`;
  const liveDir = tempDir('gitops-tracked-live-');
  writeFiles(liveDir, { 'kept.yaml': cm('kept', 'shop'), 'gone.yaml': cm('gone-from-git', 'shop'), 'other.yaml': cm('other-app', 'billing') });
  await kubectl('apply', '--server-side', '-f', liveDir);
  const gitDir = tempDir('gitops-tracked-git-');
  writeFiles(gitDir, { 'kept.yaml': cm('kept', 'shop') });
  const rendered = (await renderEnvironment({ view: directoryView(gitDir), path: null, trusted: true })).objects;
  const manager = new ClusterManager({ path: cluster.kubeconfig });
  managers.push(manager);
  const service = new EnvironmentDriftService({ manager, context: cluster.sandbox.contextName, mode: 'server', extraTrackingApp: 'shop', debounceMs: 20 });
  services.push(service);
  await service.setRendered(rendered);
  const first = await service.compute();
  assert.deepEqual(first.drift.resources.filter((r) => r.status === 'Extra').map((r) => r.key), [`/ConfigMap/${ns}/gone-from-git`]);

  const next = new Promise<EnvironmentDriftReport>((resolve) => {
    const subscription = service.onDidChange((event) => {
      if (event.report.byKey.has(`/ConfigMap/${ns}/added-by-hand`)) {
        subscription.dispose();
        resolve(event.report);
      }
    });
  });
  const addedDir = tempDir('gitops-tracked-added-');
  writeFiles(addedDir, { 'added.yaml': cm('added-by-hand', 'shop') });
  await kubectl('apply', '--server-side', '-f', addedDir);
  const later = await next;
  assert.equal(later.byKey.get(`/ConfigMap/${ns}/added-by-hand`)?.status, 'Extra');
});

test('of the objects an apply would leave unchanged, only one whose comparison equated a string with a number goes to the schema, and it is Invalid', async () => {
  const ns = 'unchanged-schema';
  cluster.namespace(ns);
  const deploymentOf = (replicas: string): string => deployment('counted', '1').replace(`namespace: ${NS}`, `namespace: ${ns}`).replace('replicas: 2', `replicas: ${replicas}`);
  const plain = configMap('plain').replace(`namespace: ${NS}`, `namespace: ${ns}`);
  const svc = service('svc').replace(`namespace: ${NS}`, `namespace: ${ns}`);
  const liveDir = tempDir('gitops-unchanged-live-');
  writeFiles(liveDir, { 'counted.yaml': deploymentOf('2'), 'plain.yaml': plain, 'svc.yaml': svc });
  await kubectl('apply', '--server-side', '-f', liveDir);
  // Git: the same objects, the Deployment's replicas now a string the local comparison reads as 2.
  const gitDir = tempDir('gitops-unchanged-git-');
  writeFiles(gitDir, { 'counted.yaml': deploymentOf('"2"'), 'plain.yaml': plain, 'svc.yaml': svc });
  const rendered = (await renderEnvironment({ view: directoryView(gitDir), path: null, trusted: true })).objects;
  const consulted: string[] = [];
  const catalog = builtinCatalog();
  const manager = new ClusterManager({ path: cluster.kubeconfig });
  managers.push(manager);
  const checked = new EnvironmentDriftService({
    manager,
    context: cluster.sandbox.contextName,
    mode: 'server',
    autoRecompute: false,
    schemaCatalog: { kindSchema: (group, version, kind) => (consulted.push(kind), catalog.kindSchema(group, version, kind)) },
  });
  services.push(checked);
  await checked.setRendered(rendered);
  const report = await checked.compute();
  assert.deepEqual(report.dryRuns, [], 'every object compares equal to live: nothing to dry-run');
  assert.deepEqual(consulted, ['Deployment'], 'only the object holding "2" is checked');
  const counted = report.byKey.get(`apps/Deployment/${ns}/counted`);
  assert.equal(counted?.status, 'Invalid');
  assert.match(counted?.reason ?? '', /spec\.replicas/);
  assert.equal(report.byKey.get(`/ConfigMap/${ns}/plain`)?.status, 'InSync');
  assert.equal(report.byKey.get(`/Service/${ns}/svc`)?.status, 'InSync');
});

test('prefetch lists each kind, in the namespace an object would be placed in, while Git is read; compute() then uses those lists', async () => {
  const ns = 'prefetched';
  cluster.namespace(ns);
  cluster.namespace('elsewhere');
  const gitDir = tempDir('gitops-prefetch-git-');
  writeFiles(gitDir, {
    'a-default.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: in-default\ndata:\n  a: "1"\n',
    'b-explicit.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: explicit\n  namespace: elsewhere\ndata:\n  a: "1"\n',
    // Cluster-scoped with a namespace written by mistake: listed cluster-wide, as placed.
    'c-role.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: prefetch-reader\n  namespace: ignored\nrules: []\n',
  });
  const manager = new ClusterManager({ path: cluster.kubeconfig }, { watch: false });
  managers.push(manager);
  const context = cluster.sandbox.contextName;
  const service = new EnvironmentDriftService({ manager, context, defaultNamespace: ns, mode: 'server', autoRecompute: false });
  services.push(service);
  const announced: string[] = [];
  const rendered = await renderEnvironment({
    view: directoryView(gitDir),
    path: null,
    trusted: true,
    onObject: (object) => {
      announced.push(object.id.name);
      service.prefetch(object.object);
      service.prefetch(object.object); // twice: one list
    },
  });
  assert.deepEqual(announced, ['in-default', 'explicit', 'prefetch-reader'], 'each object once, as it is read');
  const caches = (): string[] => manager.caches(context).map((c) => `${c.gvk.kind}/${c.namespace ?? '*'}`).sort();
  const listed = (): boolean => manager.caches(context).length === 3 && manager.caches(context).every((c) => c.syncedAt !== undefined);
  for (let waited = 0; !listed() && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(caches(), ['ClusterRole/*', 'ConfigMap/elsewhere', `ConfigMap/${ns}`]);
  const listedAt = manager.caches(context).map((c) => c.syncedAt);
  await service.setRendered(rendered.objects);
  const report = await service.compute();
  assert.deepEqual(caches(), ['ClusterRole/*', 'ConfigMap/elsewhere', `ConfigMap/${ns}`], 'no other list');
  assert.deepEqual(manager.caches(context).map((c) => c.syncedAt), listedAt, 'nothing listed again');
  assert.deepEqual(report.drift.resources.map((r) => `${r.key} ${r.status}`).sort(), ['/ConfigMap/elsewhere/explicit Missing', `/ConfigMap/${ns}/in-default Missing`, 'rbac.authorization.k8s.io/ClusterRole//prefetch-reader Missing']);
});
