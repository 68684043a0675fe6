// `gitops-env sync` against the sandbox, with generated repositories: create, change, prune (an
// object the tool never applied survives), --wait with a Deployment that never becomes available
// and --on-failure rollback, protected environments, dry-run, CRD + CR in one sync, an unreachable
// cluster, a kustomization that does not build, the service account inside a pod — and the
// ApplySet parent and labels that kubectl itself reads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { applySetId, applySetParentRef } from '../../src/core/sync/applySet';
import { openSyncConnection } from '../../src/cluster/sync/syncConnection';
import { commitAll, initRepo, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

const run = promisify(execFile);
const BROKEN_IMAGE = 'registry.invalid/shop/web:does-not-exist';

let sandbox: SandboxHandle;
let kubeconfig: string;

interface SyncJson {
  environment: string;
  revision: string;
  applied: Array<{ apiVersion: string; kind: string; namespace: string | null; name: string; action: string }>;
  pruned: Array<{ apiVersion: string; kind: string; namespace: string | null; name: string }>;
  health: string;
  healthDetail: string;
  suspended: Array<{ apiVersion: string; kind: string; namespace: string | null; name: string }>;
  rolledBack: string | null;
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

async function sync(...args: string[]): Promise<{ code: number; json: SyncJson; err: string }> {
  const result = await cli('sync', '--kubeconfig', kubeconfig, '--json', ...args);
  let json: SyncJson;
  try {
    json = JSON.parse(result.out) as SyncJson;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.out}\n${result.err}`);
  }
  return { code: result.code, json, err: result.err };
}

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', timeout: 30_000 });
  return stdout;
}

function namespaceYaml(ns: string): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`;
}

function configMapYaml(name: string, data: Record<string, string>): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  labels:\n    app.kubernetes.io/part-of: shop\ndata:\n${Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join('\n')}\n`;
}

function deploymentYaml(image: string, replicas = 2): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  labels:',
    '    app.kubernetes.io/part-of: shop',
    'spec:',
    `  replicas: ${replicas}`,
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
    '      containers:',
    '        - name: web',
    `          image: ${image}`,
    '',
  ].join('\n');
}

/** A repository with one environment `name` in envs/<name>, cluster namespace `ns`. */
function envRepo(name: string, ns: string, files: Record<string, string>, options: { protected?: boolean } = {}): string {
  const root = initRepo();
  writeFiles(root, {
    'gitops.yaml': `apiVersion: gitops-environments/v1\nenvironments:\n  - name: ${name}\n    path: envs/${name}\n    cluster: { context: sandbox, namespace: ${ns} }\n${options.protected ? '    protected: true\n' : ''}`,
    ...Object.fromEntries(Object.entries(files).map(([file, text]) => [`envs/${name}/${file}`, text])),
  });
  commitAll(root, `${name}: first`);
  return root;
}

function live(apiVersion: string, kind: string, ns: string | undefined, name: string): Record<string, unknown> | undefined {
  return sandbox.store.get({ apiVersion, kind, namespace: ns, name }) as Record<string, unknown> | undefined;
}

function labelsOf(object: Record<string, unknown> | undefined): Record<string, string> {
  return ((object?.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {});
}

function annotationsOf(object: Record<string, unknown> | undefined): Record<string, string> {
  return ((object?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {});
}

before(async () => {
  kubeconfig = join(tempDir('gitops-sync-kc-'), 'kubeconfig');
  sandbox = await startSandbox({ kubeconfigPath: kubeconfig, unpullableImages: [BROKEN_IMAGE] });
});

after(async () => {
  await sandbox?.stop();
  removeTempDirs();
});

test('sync creates, then configures only what changed; members carry the ApplySet label kubectl computes and the parent records the revision', async () => {
  const ns = 'sync-create';
  const root = envRepo('dev', ns, { 'ns.yaml': namespaceYaml(ns), 'settings.yaml': configMapYaml('settings', { mode: 'fast' }), 'web.yaml': deploymentYaml('nginx:1.27') });
  const first = await sync('--repo', root, '--env', 'dev', '--wait', '--timeout', '30');
  assert.equal(first.code, 0, first.err);
  assert.equal(first.json.environment, 'dev');
  assert.match(first.json.revision, /^[0-9a-f]{40}$/);
  assert.deepEqual(
    first.json.applied.map((o) => `${o.kind}/${o.namespace ?? ''}/${o.name}=${o.action}`),
    [`Namespace//${ns}=created`, `ConfigMap/${ns}/settings=created`, `Deployment/${ns}/web=created`],
  );
  assert.deepEqual(first.json.pruned, []);
  assert.equal(first.json.health, 'Healthy');
  assert.equal(first.json.rolledBack, null);

  const id = applySetId(applySetParentRef('dev', ns));
  assert.equal(labelsOf(live('v1', 'ConfigMap', ns, 'settings'))['applyset.kubernetes.io/part-of'], id);
  assert.equal(labelsOf(live('apps/v1', 'Deployment', ns, 'web'))['applyset.kubernetes.io/part-of'], id);
  const parent = live('v1', 'Secret', ns, 'gitops-env-dev');
  assert.equal(labelsOf(parent)['applyset.kubernetes.io/id'], id);
  assert.equal(annotationsOf(parent)['applyset.kubernetes.io/contains-group-kinds'], 'ConfigMap,Deployment.apps,Namespace');
  assert.match(annotationsOf(parent)['applyset.kubernetes.io/tooling'], /^gitops-env\/v/);
  assert.equal(annotationsOf(parent)['gitops-environments.io/revision'], first.json.revision);
  assert.equal(annotationsOf(parent)['gitops-environments.io/healthy-revision'], first.json.revision);
  const managers = ((live('v1', 'ConfigMap', ns, 'settings')?.metadata as { managedFields?: Array<{ manager: string; operation: string }> }).managedFields ?? []).map((m) => `${m.manager}:${m.operation}`);
  assert.ok(managers.includes('gitops-environments:Apply'), managers.join(', '));

  writeFiles(root, { 'envs/dev/settings.yaml': configMapYaml('settings', { mode: 'slow' }) });
  const revision = commitAll(root, 'dev: slow');
  const second = await sync('--repo', root, '--env', 'dev');
  assert.equal(second.code, 0, second.err);
  assert.equal(second.json.revision, revision);
  assert.deepEqual(
    second.json.applied.map((o) => `${o.kind}/${o.name}=${o.action}`),
    [`Namespace/${ns}=unchanged`, 'ConfigMap/settings=configured', 'Deployment/web=unchanged'],
  );
  assert.equal((live('v1', 'ConfigMap', ns, 'settings')?.data as Record<string, string>).mode, 'slow');
  assert.equal(annotationsOf(live('v1', 'Secret', ns, 'gitops-env-dev'))['gitops-environments.io/revision'], revision);
});

test('kubectl finds the same ApplySet: its id for our parent is ours, and it lists our members by the part-of label', async () => {
  const ns = 'sync-kubectl';
  const root = envRepo('qa', ns, { 'ns.yaml': namespaceYaml(ns), 'a.yaml': configMapYaml('a', { k: '1' }) });
  assert.equal((await sync('--repo', root, '--env', 'qa')).code, 0);
  const id = applySetId(applySetParentRef('qa', ns));
  const members = await kubectl('get', 'configmaps', '-n', ns, '-l', `applyset.kubernetes.io/part-of=${id}`, '-o', 'name');
  assert.equal(members.trim(), 'configmap/a');
  // kubectl computes the id of a parent it manages from the same KEP formula: compare on a kubectl-made set.
  const dir = tempDir('gitops-sync-kubectl-');
  writeFileSync(join(dir, 'b.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: ${ns}\ndata: {k: "2"}\n`);
  await run('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, 'apply', '--server-side', '--prune', '--applyset=secret/kubectl-set', '-n', ns, '-f', dir], { env: { ...process.env, KUBECTL_APPLYSET: 'true' }, timeout: 30_000 });
  assert.equal(labelsOf(live('v1', 'Secret', ns, 'kubectl-set'))['applyset.kubernetes.io/id'], applySetId({ name: 'kubectl-set', namespace: ns }));
});

test('--prune deletes only members Git dropped; an object the tool never applied, same namespace and labels, survives', async () => {
  const ns = 'sync-prune';
  const root = envRepo('stage', ns, { 'ns.yaml': namespaceYaml(ns), 'keep.yaml': configMapYaml('keep', { a: '1' }), 'drop.yaml': configMapYaml('drop', { b: '2' }) });
  assert.equal((await sync('--repo', root, '--env', 'stage')).code, 0);
  // Made by someone else, labelled exactly like ours except for ApplySet membership.
  sandbox.store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stranger', namespace: ns, labels: { 'app.kubernetes.io/part-of': 'shop' } }, data: { c: '3' } } as never, 'kubectl');

  writeFiles(root, { 'envs/stage/drop.yaml': '' });
  commitAll(root, 'stage: drop a ConfigMap');
  const withoutPrune = await sync('--repo', root, '--env', 'stage');
  assert.equal(withoutPrune.code, 0, withoutPrune.err);
  assert.deepEqual(withoutPrune.json.pruned, []);
  assert.ok(live('v1', 'ConfigMap', ns, 'drop'), 'without --prune nothing is deleted');

  const pruning = await sync('--repo', root, '--env', 'stage', '--prune');
  assert.equal(pruning.code, 0, pruning.err);
  assert.deepEqual(pruning.json.pruned, [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'drop' }]);
  assert.equal(live('v1', 'ConfigMap', ns, 'drop'), undefined);
  assert.ok(live('v1', 'ConfigMap', ns, 'stranger'), 'the object we never applied is still there');
  assert.ok(live('v1', 'ConfigMap', ns, 'keep'));
  assert.ok(live('v1', 'Namespace', undefined, ns));

  // Git drops the whole environment: its members go, but the Namespace stays while the stranger lives in it.
  writeFiles(root, { 'envs/stage/ns.yaml': '', 'envs/stage/keep.yaml': '' });
  commitAll(root, 'stage: nothing left');
  const emptied = await sync('--repo', root, '--env', 'stage', '--prune');
  assert.equal(emptied.code, 0, emptied.err);
  assert.deepEqual(emptied.json.pruned.map((o) => `${o.kind}/${o.name}`), ['ConfigMap/keep']);
  assert.match(emptied.err, /kept Namespace sync-prune: .*ConfigMap sync-prune\/stranger/);
  assert.ok(live('v1', 'ConfigMap', ns, 'stranger'));
  sandbox.store.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'stranger' });
  // Emptied of others, it still holds the environment's ApplySet parent: kept, and said so.
  const last = await sync('--repo', root, '--env', 'stage', '--prune');
  assert.equal(last.code, 0, last.err);
  assert.deepEqual(last.json.pruned, []);
  assert.match(last.err, /kept Namespace sync-prune: .*Secret sync-prune\/gitops-env-stage/);
});

test('--wait fails on a Deployment that never becomes available, and --on-failure rollback re-applies the last healthy revision', async () => {
  const ns = 'sync-rollback';
  const root = envRepo('perf', ns, { 'ns.yaml': namespaceYaml(ns), 'web.yaml': deploymentYaml('nginx:1.27') });
  const good = await sync('--repo', root, '--env', 'perf', '--wait', '--timeout', '30');
  assert.equal(good.code, 0, good.err);
  assert.equal(good.json.health, 'Healthy');

  writeFiles(root, { 'envs/perf/web.yaml': deploymentYaml(BROKEN_IMAGE) });
  commitAll(root, 'perf: broken image');
  const started = Date.now();
  const bad = await sync('--repo', root, '--env', 'perf', '--wait', '--timeout', '3', '--on-failure', 'rollback');
  assert.equal(bad.code, 1, bad.err);
  assert.ok(Date.now() - started < 30_000);
  assert.equal(bad.json.health, 'Progressing');
  assert.equal(bad.json.rolledBack, good.json.revision);
  assert.match(bad.err, /waiting: 0\/1 healthy .*Deployment sync-rollback\/web/);
  assert.match(bad.err, /rolling back perf to [0-9a-f]{12}/);
  const image = (((live('apps/v1', 'Deployment', ns, 'web')?.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers)[0]).image;
  assert.equal(image, 'nginx:1.27');
  const parent = annotationsOf(live('v1', 'Secret', ns, 'gitops-env-perf'));
  assert.equal(parent['gitops-environments.io/revision'], good.json.revision);
  assert.equal(parent['gitops-environments.io/healthy-revision'], good.json.revision);

  // Without rollback the failure stays, and says it.
  const stays = await sync('--repo', root, '--env', 'perf', '--wait', '--timeout', '2');
  assert.equal(stays.code, 1);
  assert.equal(stays.json.rolledBack, null);
});

test('a paused Deployment: the contract says Progressing, healthDetail and suspended say Suspended, stderr names it; resumed, it is Healthy', async () => {
  const ns = 'sync-paused';
  const paused = deploymentYaml('nginx:1.27').replace('spec:\n  replicas', 'spec:\n  paused: true\n  replicas');
  assert.match(paused, /paused: true/);
  const root = envRepo('paused', ns, { 'ns.yaml': namespaceYaml(ns), 'web.yaml': paused, 'a.yaml': configMapYaml('a', { k: '1' }) });
  const waited = await sync('--repo', root, '--env', 'paused', '--wait', '--timeout', '2');
  assert.equal(waited.code, 1, waited.err);
  assert.equal(waited.json.health, 'Progressing');
  assert.equal(waited.json.healthDetail, 'Suspended');
  assert.deepEqual(waited.json.suspended, [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'web' }]);
  assert.match(waited.err, /waiting: \d+\/\d+ healthy, 1 suspended after \d+s; waiting on Deployment sync-paused\/web: Suspended/);
  assert.match(waited.err, /note: Deployment sync-paused\/web is Suspended \(paused\)/);
  assert.match(waited.err, /gitops-env sync: paused is Progressing \(suspended: Deployment sync-paused\/web\) after 2 s/);

  // Without --wait the sync succeeds, and its summary line says what is paused.
  const text = await cli('sync', '--kubeconfig', kubeconfig, '--repo', root, '--env', 'paused');
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /health Progressing \(suspended: Deployment sync-paused\/web\)/);

  // Resumed in Git: nothing is suspended any more.
  writeFiles(root, { 'envs/paused/web.yaml': deploymentYaml('nginx:1.27') });
  commitAll(root, 'paused: resume');
  const resumed = await sync('--repo', root, '--env', 'paused', '--wait', '--timeout', '30');
  assert.equal(resumed.code, 0, resumed.err);
  assert.equal(resumed.json.health, 'Healthy');
  assert.equal(resumed.json.healthDetail, 'Healthy');
  assert.deepEqual(resumed.json.suspended, []);
});

test('a protected environment needs --confirm with its name: without it exit 2 and nothing applied', async () => {
  const ns = 'sync-protected';
  const root = envRepo('prod', ns, { 'ns.yaml': namespaceYaml(ns), 'a.yaml': configMapYaml('a', { k: '1' }) }, { protected: true });
  const refused = await cli('sync', '--kubeconfig', kubeconfig, '--repo', root, '--env', 'prod');
  assert.equal(refused.code, 2);
  assert.match(refused.err, /prod is protected; pass --confirm prod/);
  const wrong = await cli('sync', '--kubeconfig', kubeconfig, '--repo', root, '--env', 'prod', '--confirm', 'staging');
  assert.equal(wrong.code, 2);
  assert.equal(live('v1', 'Namespace', undefined, ns), undefined, 'nothing applied');
  // A dry-run writes nothing, so it needs no confirmation: reviewers of a protected environment use it.
  const dry = await sync('--repo', root, '--env', 'prod', '--dry-run');
  assert.equal(dry.code, 0, dry.err);
  assert.equal(live('v1', 'Namespace', undefined, ns), undefined, 'nothing applied');
  const confirmed = await sync('--repo', root, '--env', 'prod', '--confirm', 'prod');
  assert.equal(confirmed.code, 0, confirmed.err);
  assert.ok(live('v1', 'ConfigMap', ns, 'a'));
});

test('--dry-run prints what would be created, changed and pruned, and writes nothing', async () => {
  const ns = 'sync-dry';
  const root = envRepo('int', ns, { 'ns.yaml': namespaceYaml(ns), 'a.yaml': configMapYaml('a', { k: '1' }), 'b.yaml': configMapYaml('b', { k: '1' }) });
  const version = sandbox.store.resourceVersion;
  const fresh = await sync('--repo', root, '--env', 'int', '--dry-run');
  assert.equal(fresh.code, 0, fresh.err);
  assert.deepEqual(fresh.json.applied.map((o) => o.action), ['created', 'created', 'created']);
  assert.equal(sandbox.store.resourceVersion, version, 'no write at all');
  assert.equal(live('v1', 'Namespace', undefined, ns), undefined);

  assert.equal((await sync('--repo', root, '--env', 'int')).code, 0);
  writeFiles(root, { 'envs/int/a.yaml': configMapYaml('a', { k: '2' }), 'envs/int/b.yaml': '' });
  commitAll(root, 'int: change a, drop b');
  const before = sandbox.store.resourceVersion;
  const text = await cli('sync', '--kubeconfig', kubeconfig, '--repo', root, '--env', 'int', '--dry-run', '--prune');
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /ConfigMap sync-dry\/a would be configured/);
  assert.match(text.out, /Namespace sync-dry would be unchanged/);
  assert.match(text.out, /ConfigMap sync-dry\/b would be pruned/);
  assert.equal(sandbox.store.resourceVersion, before, 'no write at all');
  assert.equal((live('v1', 'ConfigMap', ns, 'a')?.data as Record<string, string>).k, '1');
  assert.ok(live('v1', 'ConfigMap', ns, 'b'));
});

test('a CRD and a custom resource of it in one sync: the CRD first, established, then the resource', async () => {
  const ns = 'sync-crd';
  const crd = [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    '  name: widgets.example.com',
    'spec:',
    '  group: example.com',
    '  scope: Namespaced',
    '  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}',
    '  versions:',
    '    - name: v1',
    '      served: true',
    '      storage: true',
    '      schema:',
    '        openAPIV3Schema:',
    '          type: object',
    '          properties:',
    '            spec:',
    '              type: object',
    '              properties:',
    '                size: {type: integer}',
    '',
  ].join('\n');
  const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: blue\nspec:\n  size: 3\n';
  const root = envRepo('lab', ns, { 'ns.yaml': namespaceYaml(ns), 'crd.yaml': crd, 'widget.yaml': widget });
  const dry = await sync('--repo', root, '--env', 'lab', '--dry-run');
  assert.equal(dry.code, 0, dry.err);
  assert.ok(dry.json.applied.some((o) => o.kind === 'Widget' && o.action === 'created'));
  const result = await sync('--repo', root, '--env', 'lab', '--wait', '--timeout', '30');
  assert.equal(result.code, 0, result.err);
  assert.deepEqual(result.json.applied.map((o) => `${o.kind}=${o.action}`), ['Namespace=created', 'CustomResourceDefinition=created', 'Widget=created']);
  assert.equal(((live('example.com/v1', 'Widget', ns, 'blue')?.spec ?? {}) as { size?: number }).size, 3);
  assert.match(annotationsOf(live('v1', 'Secret', ns, 'gitops-env-lab'))['applyset.kubernetes.io/contains-group-kinds'], /Widget\.example\.com/);
});

test('an unreachable cluster: exit 1 within the timeout, with a message that names the cluster and what to check', async () => {
  const root = envRepo('edge', 'sync-edge', { 'a.yaml': configMapYaml('a', { k: '1' }) });
  const dir = tempDir('gitops-sync-down-');
  const dead = join(dir, 'kubeconfig');
  writeFileSync(dead, readFileSync(kubeconfig, 'utf8').replace(/https:\/\/127\.0\.0\.1:\d+/, 'https://127.0.0.1:9'));
  const started = Date.now();
  const result = await cli('sync', '--kubeconfig', dead, '--repo', root, '--env', 'edge', '--timeout', '5');
  assert.equal(result.code, 1, result.err);
  assert.ok(Date.now() - started < 15_000);
  assert.match(result.err, /edge \(sandbox at https:\/\/127\.0\.0\.1:9\).*ECONNREFUSED.*Check that the cluster is running/);
});

test('a kustomization that fails to build: exit 1, the error located, nothing applied', async () => {
  const ns = 'sync-broken';
  const root = envRepo('broken', ns, {
    'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ns.yaml\n  - missing.yaml\n',
    'ns.yaml': namespaceYaml(ns),
  });
  const version = sandbox.store.resourceVersion;
  const result = await cli('sync', '--kubeconfig', kubeconfig, '--repo', root, '--env', 'broken');
  assert.equal(result.code, 1, result.err);
  assert.match(result.err, /error: .*missing\.yaml/);
  assert.match(result.err, /nothing was applied/);
  assert.equal(sandbox.store.resourceVersion, version);
  assert.equal(live('v1', 'Namespace', undefined, ns), undefined);
  const json = await sync('--repo', root, '--env', 'broken');
  assert.equal(json.code, 1);
  assert.deepEqual([json.json.applied, json.json.pruned, json.json.health], [[], [], 'Unknown']);
});

test('usage errors exit 2: no --env, a bad --timeout, --on-failure without --wait, an unknown environment', async () => {
  assert.equal((await cli('sync', '--repo', '.')).code, 2);
  assert.equal((await cli('sync', '--env', 'x', '--timeout', 'soon')).code, 2);
  assert.equal((await cli('sync', '--env', 'x', '--on-failure', 'rollback')).code, 2);
  const root = envRepo('only', 'sync-only', { 'a.yaml': configMapYaml('a', { k: '1' }) });
  const unknown = await cli('sync', '--repo', root, '--env', 'nope');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /no environment "nope".*only/);
});

test('inside a pod, with no kubeconfig, the service account is used (token, CA and namespace files)', async () => {
  const root = tempDir('gitops-sync-pod-');
  const dir = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'token'), sandbox.token);
  writeFileSync(join(dir, 'ca.crt'), sandbox.caCertPem);
  writeFileSync(join(dir, 'namespace'), 'ci-runner');
  const home = tempDir('gitops-sync-home-');
  const connection = openSyncConnection({ env: { HOME: home, KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(sandbox.port) }, serviceAccountRoot: root });
  assert.equal(connection.inCluster, true);
  assert.equal(connection.namespace, 'ci-runner');
  const version = await connection.client.request<{ gitVersion: string }>('GET', '/version');
  assert.match(version.gitVersion, /^v1\./);
  assert.throws(() => openSyncConnection({ env: { HOME: home } }), /No kubeconfig found/);
});

test('a sync with nothing to change sends nothing; a field someone changed live is applied again; drift then reports the environment in sync', async () => {
  const ns = 'sync-steady';
  const root = envRepo('steady', ns, { 'ns.yaml': namespaceYaml(ns), 'a.yaml': configMapYaml('a', { k: '1' }), 'web.yaml': deploymentYaml('nginx:1.27') });
  assert.equal((await sync('--repo', root, '--env', 'steady', '--wait', '--timeout', '30')).code, 0);
  await new Promise((resolve) => setTimeout(resolve, 300)); // the workload controller settles
  const version = sandbox.store.resourceVersion;
  const again = await sync('--repo', root, '--env', 'steady');
  assert.equal(again.code, 0, again.err);
  assert.deepEqual(again.json.applied.map((o) => o.action), ['unchanged', 'unchanged', 'unchanged']);
  assert.equal(sandbox.store.resourceVersion, version, 'no write at all');

  // Someone scales by hand (another field manager takes spec.replicas): the next sync restores Git's value.
  sandbox.store.patch({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'web' }, { spec: { replicas: 7 } }, 'kubectl-scale');
  const restore = await sync('--repo', root, '--env', 'steady');
  assert.equal(restore.code, 0, restore.err);
  assert.deepEqual(restore.json.applied.map((o) => `${o.kind}=${o.action}`), ['Namespace=unchanged', 'ConfigMap=unchanged', 'Deployment=configured']);
  assert.equal((live('apps/v1', 'Deployment', ns, 'web')?.spec as { replicas: number }).replicas, 2);

  // The ApplySet bookkeeping is not drift: the drift command (server dry-run under our manager) finds nothing.
  const drift = await cli('drift', '--repo', root, '--env', 'steady', '--kubeconfig', kubeconfig);
  assert.equal(drift.code, 0, drift.out + drift.err);
  // Nor in local mode, where our manager's applied fields that Git lacks would count as drift.
  const local = await cli('drift', '--repo', root, '--env', 'steady', '--kubeconfig', kubeconfig, '--mode', 'local');
  assert.equal(local.code, 0, local.out + local.err);
  // And a second drift run (its dry-runs apply under our manager) left the label in place.
  const serverAgain = await cli('drift', '--repo', root, '--env', 'steady', '--kubeconfig', kubeconfig);
  assert.equal(serverAgain.code, 0, serverAgain.out + serverAgain.err);
  assert.equal(labelsOf(live('v1', 'ConfigMap', ns, 'a'))['applyset.kubernetes.io/part-of'], applySetId(applySetParentRef('steady', ns)));
});

test('two repositories with an environment of the same name and namespace: the second is refused, nothing of the first is pruned; a clone of the first syncs and prunes as the first', async () => {
  const ns = 'sync-two-repos';
  const first = envRepo('dev', ns, { 'ns.yaml': namespaceYaml(ns), 'a.yaml': configMapYaml('settings-a', { owner: 'a' }) });
  const other = envRepo('dev', ns, { 'b.yaml': configMapYaml('settings-b', { owner: 'b' }) });
  const synced = await sync('--repo', first, '--env', 'dev', '--prune');
  assert.equal(synced.code, 0, synced.err);
  const parent = live('v1', 'Secret', ns, 'gitops-env-dev');
  assert.match(annotationsOf(parent)['gitops-environments.io/source'], /^[0-9a-f]{40}$/);

  for (const args of [['--prune'], ['--prune', '--dry-run'], []]) {
    const refused = await cli('sync', '--kubeconfig', kubeconfig, '--repo', other, '--env', 'dev', ...args);
    assert.notEqual(refused.code, 0, args.join(' '));
    assert.match(refused.err, /holds environment "dev" as synced from another repository .* give this environment its own namespace \(cluster\.namespace in gitops\.yaml\) or another name/);
  }
  assert.ok(live('v1', 'ConfigMap', ns, 'settings-a'), "the first repository's object is still there");
  assert.equal(live('v1', 'ConfigMap', ns, 'settings-b'), undefined, 'nothing of the second was applied');

  // Another clone of the first repository (another path, no remote): the same repository.
  const clone = tempDir('gitops-sync-clone-');
  await run('git', ['clone', '--quiet', first, clone]);
  writeFiles(clone, { 'envs/dev/a.yaml': configMapYaml('settings-a2', { owner: 'a' }) });
  commitAll(clone, 'dev: renamed');
  const fromClone = await sync('--repo', clone, '--env', 'dev', '--prune');
  assert.equal(fromClone.code, 0, fromClone.err);
  assert.deepEqual(fromClone.json.pruned.map((o) => `${o.kind}/${o.name}`), ['ConfigMap/settings-a']);
});

test('a sync that applies nothing says so: every apply failed gives health Unknown, an unreachable cluster gives its reason in "error"', async () => {
  // The objects' namespace does not exist and Git does not create it: every apply is refused
  // (the set's parent lives in `default`, which does).
  const root = envRepo('dev', 'default', { 'a.yaml': configMapYaml('settings', { mode: 'fast' }).replace('  name: settings\n', '  name: settings\n  namespace: sync-absent\n') });
  const failed = await sync('--repo', root, '--env', 'dev');
  assert.equal(failed.code, 1, failed.err);
  assert.deepEqual(failed.json.applied, []);
  assert.equal(failed.json.health, 'Unknown');
  assert.ok((failed.json as unknown as { errors: unknown[] }).errors.length > 0);
  assert.equal((failed.json as unknown as { error: string | null }).error, null);

  const unreachable = join(tempDir('gitops-sync-down-'), 'kubeconfig');
  writeFileSync(unreachable, readFileSync(kubeconfig, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:1'));
  const down = await cli('sync', '--kubeconfig', unreachable, '--json', '--repo', root, '--env', 'dev', '--timeout', '5');
  assert.equal(down.code, 1);
  const json = JSON.parse(down.out) as { health: string; error: string | null; applied: unknown[] };
  assert.equal(json.health, 'Unknown');
  assert.match(json.error ?? '', /127\.0\.0\.1:1/);
});
