// `gitops-env drift` on an environment whose Git holds a Deployment the API server refuses
// (`replicas: "two"`, `imagePullPolicy: Sometimes`, an unknown field `portz`): the resource is
// Invalid with those three problems at their lines — in server and in local mode — never Drifted,
// while the other resources are still compared; exit code 2. A refusal only the cluster knows (a
// changed, immutable Deployment selector) comes from the server's dry-run with its cause and
// line. `gitops-env sync` refuses to apply the environment and writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { DriftSandbox, shopConfigMap } from './helpers/driftSandbox';
import { commitAll, initRepo, removeTempDirs, writeFiles } from './helpers/tempGitRepo';

let cluster: DriftSandbox;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

interface ProblemJson {
  path: string;
  message: string;
  file: string | null;
  line: number | null;
}

interface ResourceJson {
  kind: string;
  namespace: string | null;
  name: string;
  status: string;
  fields: Array<{ path: string; desired: unknown; live: unknown; file: string | null; line: number | null }>;
  reason?: string;
  problems?: ProblemJson[];
}

/** The shop's Deployment without a namespace (the environment's applies); `spec` lines as given, from line 7. */
function deployment(spec: readonly string[]): string {
  return ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  labels:', '    app.kubernetes.io/part-of: shop', ...spec, ''].join('\n');
}

const validSpec = (replicas: string, app = 'web'): string[] => [
  'spec:',
  `  replicas: ${replicas}`,
  '  selector:',
  '    matchLabels:',
  `      app: ${app}`,
  '  template:',
  '    metadata:',
  '      labels:',
  `        app: ${app}`,
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: nginx:1.27',
];

/** Line 8: replicas; line 20: imagePullPolicy; line 21: the unknown field. */
const invalidSpec = [...validSpec('"two"'), '          imagePullPolicy: Sometimes', '          portz:', '            - containerPort: 80'];

function environmentRepo(ns: string): string {
  const repo = initRepo();
  writeFiles(repo, {
    'gitops.yaml': ['apiVersion: gitops-environments/v1', 'environments:', '  - name: dev', '    path: envs/dev', `    cluster: { context: ${cluster.sandbox.contextName}, namespace: ${ns} }`, ''].join('\n'),
    'envs/dev/web.yaml': deployment(validSpec('7')),
    'envs/dev/config.yaml': shopConfigMap(ns, 'settings', { mode: 'fast' }).replace(`  namespace: ${ns}\n`, ''),
  });
  commitAll(repo, 'dev');
  return repo;
}

before(async () => {
  cluster = await DriftSandbox.start('gitops-drift-invalid-');
});

after(async () => {
  await cluster?.stop();
  removeTempDirs();
});

test('a Deployment the API server refuses is Invalid with its three problems at their lines, in server and local mode; the rest is still compared; exit 2', async () => {
  const ns = 'inv-schema';
  const repo = environmentRepo(ns);
  cluster.namespace(ns);
  await cluster.kubectl('apply', '-n', ns, '-f', join(repo, 'envs', 'dev'));
  await cluster.kubectl('patch', 'configmap', 'settings', '-n', ns, '--type=merge', '-p', '{"data":{"mode":"slow"}}');
  // The manifest breaks after it was applied: the cluster still runs 7 replicas.
  writeFiles(repo, { 'envs/dev/web.yaml': deployment(invalidSpec) });
  commitAll(repo, 'break the deployment');

  for (const mode of ['server', 'local']) {
    const json = await cli('drift', '--repo', repo, '--env', 'dev', '--kubeconfig', cluster.kubeconfig, '--mode', mode, '--json');
    assert.equal(json.code, 2, `${mode}: ${json.err}`);
    const resources = (JSON.parse(json.out) as { resources: ResourceJson[] }).resources;
    const web = resources.find((r) => r.kind === 'Deployment');
    assert.ok(web, mode);
    assert.equal(web.status, 'Invalid', mode);
    assert.deepEqual(web.fields, [], `${mode}: an Invalid object is never compared field by field`);
    assert.match(web.reason ?? '', /would refuse it/, mode);
    const byPath = new Map((web.problems ?? []).map((p) => [p.path, p]));
    assert.deepEqual(
      [...byPath.keys()].sort(),
      ['spec.replicas', 'spec.template.spec.containers[0].imagePullPolicy', 'spec.template.spec.containers[0].portz'],
      mode,
    );
    assert.deepEqual(
      [...byPath.values()].map((p) => [p.path, p.file, p.line]).sort(),
      [
        ['spec.replicas', 'envs/dev/web.yaml', 8],
        ['spec.template.spec.containers[0].imagePullPolicy', 'envs/dev/web.yaml', 20],
        ['spec.template.spec.containers[0].portz', 'envs/dev/web.yaml', 21],
      ],
      mode,
    );
    assert.match(byPath.get('spec.template.spec.containers[0].imagePullPolicy')?.message ?? '', /Unsupported value: "Sometimes"/);
    assert.match(byPath.get('spec.template.spec.containers[0].portz')?.message ?? '', /unknown field/);
    assert.match(byPath.get('spec.replicas')?.message ?? '', /string/);
    assert.doesNotMatch(json.out, /"live":7|"desired":"two"/, `${mode}: no drift "live: 7, git: two"`);
    const config = resources.find((r) => r.kind === 'ConfigMap');
    assert.equal(config?.status, 'Drifted', mode);
    assert.deepEqual(config?.fields.map((f) => [f.path, f.desired, f.live]), [['data.mode', 'fast', 'slow']], mode);

    const text = await cli('drift', '--repo', repo, '--env', 'dev', '--kubeconfig', cluster.kubeconfig, '--mode', mode);
    assert.equal(text.code, 2, mode);
    assert.match(text.out, new RegExp(`^Deployment ${ns}/web: invalid — `, 'm'), text.out);
    assert.match(text.out, /envs\/dev\/web\.yaml:20 {2}spec\.template\.spec\.containers\[0\]\.imagePullPolicy: Unsupported value/);
    assert.match(text.out, /1 drifted, 0 missing, 0 extra, 0 unknown, 1 invalid/);
    assert.doesNotMatch(text.out, /Deployment [^\n]*drifted/);
  }
});

test('a refusal only the server knows (a changed, immutable selector) comes from the dry-run: Invalid with its cause at the selector line', async () => {
  const ns = 'inv-server';
  const repo = environmentRepo(ns);
  cluster.namespace(ns);
  await cluster.kubectl('apply', '-n', ns, '-f', join(repo, 'envs', 'dev'));
  // Valid on its own (the schema accepts it), refused as an update: selector is immutable.
  writeFiles(repo, { 'envs/dev/web.yaml': deployment(validSpec('7', 'web2')) });
  commitAll(repo, 'change the selector');

  const server = await cli('drift', '--repo', repo, '--env', 'dev', '--kubeconfig', cluster.kubeconfig, '--mode', 'server', '--json');
  assert.equal(server.code, 2, server.err);
  const web = (JSON.parse(server.out) as { resources: ResourceJson[] }).resources.find((r) => r.kind === 'Deployment');
  assert.equal(web?.status, 'Invalid');
  assert.match(web?.reason ?? '', /dry-run refuses it: .*is invalid/);
  const selector = web?.problems?.find((p) => p.path.startsWith('spec.selector'));
  assert.ok(selector, JSON.stringify(web?.problems));
  assert.match(selector.message, /immutable/);
  assert.equal(selector.file, 'envs/dev/web.yaml');
  assert.equal(selector.line, 9, 'the selector key (or its first declared child) in the manifest');

  // Locally nothing refuses it: the changed labels are drift, as before.
  const local = await cli('drift', '--repo', repo, '--env', 'dev', '--kubeconfig', cluster.kubeconfig, '--mode', 'local', '--json');
  assert.equal((JSON.parse(local.out) as { resources: ResourceJson[] }).resources.find((r) => r.kind === 'Deployment')?.status, 'Drifted');
});

test('gitops-env sync refuses an environment with an Invalid object, names it and its problem, and writes nothing', async () => {
  const ns = 'inv-sync';
  const repo = environmentRepo(ns);
  cluster.namespace(ns);
  writeFiles(repo, { 'envs/dev/web.yaml': deployment(invalidSpec) });
  commitAll(repo, 'break the deployment');
  for (const dryRun of [[], ['--dry-run']]) {
    const result = await cli('sync', '--kubeconfig', cluster.kubeconfig, '--repo', repo, '--env', 'dev', ...dryRun);
    assert.notEqual(result.code, 0, result.out);
    assert.match(result.err + result.out, /1 object is invalid in Git/);
    assert.match(result.err + result.out, /Deployment (inv-sync\/)?web: the API server would refuse it/);
  }
  // (The store's resourceVersion is no witness here: the sandbox's controllers still work on the other tests' Deployments.)
  const present = (await cluster.kubectl('get', 'deployments,configmaps,secrets', '-n', ns, '-o', 'name')).split('\n').filter((line) => line !== '' && line !== 'configmap/kube-root-ca.crt');
  assert.deepEqual(present, [], 'nothing was written (not even the valid ConfigMap or the ApplySet parent)');
});
