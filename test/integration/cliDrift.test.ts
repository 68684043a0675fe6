// `gitops-env drift` against the sandbox, with drift made by the real kubectl: the three forms,
// the exact JSON shape, `file:line` and `- live / + git` in the text report, gitops.yaml ignore
// rules, Missing/Extra, kubectl-diff exit codes (0/1/2), bad input, and Secret values that never
// appear in any output. The offline form is checked on Argo CD's fixtures, read in place.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { DriftSandbox, shopConfigMap, shopDeployment } from './helpers/driftSandbox';
import { commitAll, git, initRepo, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';
import { requirePresent } from '../support/requirePresent';

let cluster: DriftSandbox;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['drift', ...args], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

interface JsonReport {
  resources: Array<{ apiVersion: string; kind: string; namespace: string | null; name: string; status: string; fields: Array<{ path: string; desired: unknown; live: unknown; file: string | null; line: number | null }> }>;
}

const deployment = (ns: string): string => shopDeployment(ns);
const configMap = (ns: string, name = 'settings'): string => shopConfigMap(ns, name, { mode: 'fast' });

before(async () => {
  cluster = await DriftSandbox.start('gitops-cli-drift-');
});

after(async () => {
  await cluster?.stop();
  removeTempDirs();
});

test('drift -f DIR: exit 0 in sync; after kubectl scale exit 1 with file:line and - live / + git; the exact JSON shape', async () => {
  const dir = await cluster.apply('cli-f', { 'web.yaml': deployment('cli-f'), 'config.yaml': configMap('cli-f') });
  for (const mode of ['server', 'local']) {
    const clean = await cli('-f', dir, '--kubeconfig', cluster.kubeconfig, '--mode', mode);
    assert.equal(clean.code, 0, clean.out + clean.err);
    assert.match(clean.out, /2 resources: 2 in sync, 0 drifted/);
  }
  await cluster.kubectl('scale', '-n', 'cli-f', 'deployment/web', '--replicas=5');
  for (const mode of ['server', 'local']) {
    const text = await cli('-f', dir, '--kubeconfig', cluster.kubeconfig, '--mode', mode);
    assert.equal(text.code, 1, text.err);
    assert.match(text.out, /^Deployment cli-f\/web: drifted, 1 field/m);
    assert.ok(text.out.includes(`${join(dir, 'web.yaml')}:9  spec.replicas`), text.out);
    assert.match(text.out, /- live: 5\n\s+\+ git: {2}2\n/);

    const json = await cli('-f', dir, '--kubeconfig', cluster.kubeconfig, '--mode', mode, '--json');
    assert.equal(json.code, 1);
    const parsed = JSON.parse(json.out) as JsonReport;
    assert.deepEqual(parsed, {
      resources: [
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'cli-f', name: 'settings', status: 'InSync', fields: [] },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'cli-f',
          name: 'web',
          status: 'Drifted',
          fields: [{ path: 'spec.replicas', desired: 2, live: 5, file: join(dir, 'web.yaml'), line: 9 }],
        },
      ],
    });
  }
  // A single file works too, and keeps the path as given.
  const single = await cli('-f', join(dir, 'web.yaml'), '--kubeconfig', cluster.kubeconfig, '--json');
  assert.equal(single.code, 1);
  assert.deepEqual((JSON.parse(single.out) as JsonReport).resources[0].fields[0], { path: 'spec.replicas', desired: 2, live: 5, file: join(dir, 'web.yaml'), line: 9 });
});

test('drift -f on a kustomize overlay builds it and locates drift in the base file', async () => {
  cluster.namespace('cli-k');
  const repo = initRepo();
  writeFiles(repo, {
    'base/kustomization.yaml': 'resources:\n  - deploy.yaml\n',
    'base/deploy.yaml': deployment('cli-k'),
    'overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\nnamePrefix: prod-\n',
  });
  await cluster.kubectl('apply', '-k', join(repo, 'overlays', 'prod'));
  await cluster.kubectl('set', 'image', '-n', 'cli-k', 'deployment/prod-web', 'web=nginx:1.29');
  const { code, out } = await cli('-f', join(repo, 'overlays', 'prod'), '--kubeconfig', cluster.kubeconfig, '--json');
  assert.equal(code, 1);
  const web = (JSON.parse(out) as JsonReport).resources.find((r) => r.name === 'prod-web');
  assert.deepEqual(web?.fields, [{ path: 'spec.template.spec.containers[name=web].image', desired: 'nginx:1.27', live: 'nginx:1.29', file: join(repo, 'base', 'deploy.yaml'), line: 20 }]);
});

test('drift --repo --env: renders the environment (checked out, or at its branch), uses its context, namespace and ignore rules', async () => {
  cluster.namespace('cli-dev');
  cluster.namespace('cli-prod');
  const repo = initRepo();
  writeFiles(repo, {
    'gitops.yaml': [
      'apiVersion: gitops-environments/v1',
      'environments:',
      '  - name: dev',
      '    path: envs/dev',
      `    cluster: { context: ${cluster.sandbox.contextName}, namespace: cli-dev }`,
      '  - name: prod',
      '    branch: prod',
      '    path: envs/prod',
      `    cluster: { context: ${cluster.sandbox.contextName}, namespace: cli-prod }`,
      'drift:',
      '  mode: local',
      '  ignoreDifferences:',
      '    - { group: apps, kind: Deployment, jsonPointers: [/spec/replicas] }',
      '',
    ].join('\n'),
    // No namespace in the manifests: the environment's namespace applies.
    'envs/dev/web.yaml': deployment('cli-dev').replace('  namespace: cli-dev\n', ''),
    'envs/dev/config.yaml': configMap('cli-dev').replace('  namespace: cli-dev\n', ''),
  });
  commitAll(repo, 'dev');
  git(repo, 'checkout', '--quiet', '-b', 'prod');
  writeFiles(repo, { 'envs/prod/config.yaml': configMap('cli-prod').replace('  namespace: cli-prod\n', '') });
  commitAll(repo, 'prod');
  git(repo, 'checkout', '--quiet', 'main');
  await cluster.kubectl('apply', '-n', 'cli-dev', '-f', join(repo, 'envs', 'dev'));
  // prod's manifests are only on its branch (not checked out): applied from a copy.
  const prodCopy = tempDir('gitops-cli-prod-');
  writeFiles(prodCopy, { 'config.yaml': configMap('cli-prod') });
  await cluster.kubectl('apply', '-f', prodCopy);

  const clean = await cli('--repo', repo, '--env', 'dev', '--kubeconfig', cluster.kubeconfig);
  assert.equal(clean.code, 0, clean.out + clean.err);
  // gitops.yaml ignores replicas: scaling is not drift; a data change is.
  await cluster.kubectl('scale', '-n', 'cli-dev', 'deployment/web', '--replicas=9');
  assert.equal((await cli('--repo', repo, '--env', 'dev', '--kubeconfig', cluster.kubeconfig)).code, 0);
  await cluster.kubectl('patch', 'configmap', 'settings', '-n', 'cli-dev', '--type=merge', '-p', '{"data":{"mode":"slow"}}');
  const drifted = await cli('--repo', repo, '--env', 'dev', '--kubeconfig', cluster.kubeconfig, '--json');
  assert.equal(drifted.code, 1, drifted.err);
  const resources = (JSON.parse(drifted.out) as JsonReport).resources;
  assert.deepEqual(
    resources.map((r) => [r.kind, r.namespace, r.status]),
    [['ConfigMap', 'cli-dev', 'Drifted'], ['Deployment', 'cli-dev', 'InSync']],
  );
  assert.deepEqual(resources.find((r) => r.kind === 'ConfigMap')?.fields, [{ path: 'data.mode', desired: 'fast', live: 'slow', file: 'envs/dev/config.yaml', line: 8 }]);
  // gitops.yaml says local; --mode overrides it.
  assert.match((await cli('--repo', repo, '--env', 'dev', '--kubeconfig', cluster.kubeconfig)).out, /approximate/);
  assert.doesNotMatch((await cli('--repo', repo, '--env', 'dev', '--kubeconfig', cluster.kubeconfig, '--mode', 'server')).out, /approximate/);

  const prod = await cli('--repo', repo, '--env', 'prod', '--kubeconfig', cluster.kubeconfig, '--json');
  assert.equal(prod.code, 0, prod.out + prod.err);
  assert.deepEqual((JSON.parse(prod.out) as JsonReport).resources.map((r) => [r.name, r.namespace, r.status]), [['settings', 'cli-prod', 'InSync']]);
  await cluster.kubectl('patch', 'configmap', 'settings', '-n', 'cli-prod', '--type=merge', '-p', '{"data":{"mode":"odd"}}');
  const prodDrift = await cli('--repo', repo, '--env', 'prod', '--kubeconfig', cluster.kubeconfig);
  assert.equal(prodDrift.code, 1);
  assert.ok(prodDrift.out.includes('envs/prod/config.yaml:8  data.mode'), prodDrift.out);

  const unknown = await cli('--repo', repo, '--env', 'qa', '--kubeconfig', cluster.kubeconfig);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /no environment "qa".*dev, prod/);
});

test('Missing and Extra are drift (exit 1); a resource that cannot be compared is an error (exit 2)', async () => {
  const dir = await cluster.apply('cli-me', { 'web.yaml': deployment('cli-me') });
  writeFiles(dir, { 'later.yaml': configMap('cli-me', 'later') });
  const missing = await cli('-f', dir, '--kubeconfig', cluster.kubeconfig, '--json');
  assert.equal(missing.code, 1);
  assert.deepEqual((JSON.parse(missing.out) as JsonReport).resources.map((r) => [r.name, r.status]), [['later', 'Missing'], ['web', 'InSync']]);
  await cluster.kubectl('apply', '-f', join(dir, 'later.yaml'));
  await cluster.kubectl('create', 'configmap', 'stray', '-n', 'cli-me', '--from-literal=a=b');
  await cluster.kubectl('label', 'configmap', 'stray', '-n', 'cli-me', 'app.kubernetes.io/part-of=shop');
  assert.equal((await cli('-f', dir, '--kubeconfig', cluster.kubeconfig)).code, 0, 'without a selector no extras are looked for');
  const extra = await cli('-f', dir, '--kubeconfig', cluster.kubeconfig, '--selector', 'app.kubernetes.io/part-of=shop');
  assert.equal(extra.code, 1);
  assert.match(extra.out, /ConfigMap cli-me\/stray: extra/);

  writeFiles(dir, { 'widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: cli-me\n' });
  const notServed = await cli('-f', dir, '--kubeconfig', cluster.kubeconfig);
  assert.equal(notServed.code, 2);
  assert.match(notServed.out, /Widget cli-me\/w: unknown — .*example\.com\/v1/);
});

test('exit 2 on errors: usage, unreachable cluster (bounded by --request-timeout), invalid YAML (the rest still compared)', async () => {
  assert.equal((await cli()).code, 2);
  assert.equal((await cli('--desired', 'a.yaml')).code, 2);
  assert.equal((await cli('-f', 'x', '--desired', 'a', '--live', 'b')).code, 2);
  assert.equal((await cli('-f', 'x', '--mode', 'remote')).code, 2);

  const dir = await cluster.apply('cli-err', { 'web.yaml': deployment('cli-err') });
  const gone = join(tempDir('gitops-cli-gone-'), 'kubeconfig');
  writeFileSync(gone, readFileSync(cluster.kubeconfig, 'utf8').replace(cluster.sandbox.url, 'https://127.0.0.1:1'));
  const started = Date.now();
  const unreachable = await cli('-f', dir, '--kubeconfig', gone, '--request-timeout', '2');
  assert.equal(unreachable.code, 2);
  assert.ok(Date.now() - started < 5000);
  assert.match(unreachable.out, /unknown — .*ECONNREFUSED/);

  writeFiles(dir, { 'broken.yaml': `${configMap('cli-err', 'ok-one')}---\nkind: [unclosed\n---\n${configMap('cli-err', 'ok-two')}` });
  const broken = await cli('-f', dir, '--kubeconfig', cluster.kubeconfig, '--json');
  assert.equal(broken.code, 2);
  assert.match(broken.err, /broken\.yaml:\d+:\d+: YAML syntax error/);
  assert.deepEqual((JSON.parse(broken.out) as JsonReport).resources.map((r) => [r.name, r.status]), [['ok-one', 'Missing'], ['ok-two', 'Missing'], ['web', 'InSync']]);

  // The cluster session opens before the files are read; a kubeconfig it cannot use is still
  // reported after the files' own problems, which are all read and reported.
  const contextless = join(tempDir('gitops-cli-nocontext-'), 'kubeconfig');
  writeFileSync(contextless, readFileSync(cluster.kubeconfig, 'utf8').replace(/^current-context:.*$/m, ''));
  const unusable = await cli('-f', dir, '--kubeconfig', contextless);
  assert.equal(unusable.code, 2);
  const yamlAt = unusable.err.search(/broken\.yaml:\d+:\d+: YAML syntax error/);
  const configAt = unusable.err.search(/no current context; pass --context/);
  assert.ok(yamlAt >= 0 && configAt > yamlAt, unusable.err);
});

test('Secret values seeded in Git and the cluster never appear in any output, in any form or mode', async () => {
  const values = ['S3cr3t-Pa55word-Alpha', 'tok-ABCDEF-1234567', 'Leaked-New-Value-999', 'Offline-Live-Value-42'];
  const encoded = values.map((v) => Buffer.from(v).toString('base64'));
  const secret = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: creds',
    '  namespace: cli-secret',
    'type: Opaque',
    'stringData:',
    `  password: ${values[0]}`,
    'data:',
    `  token: ${encoded[1]}`,
    '',
  ].join('\n');
  const dir = await cluster.apply('cli-secret', { 'secret.yaml': secret });
  await cluster.kubectl('patch', 'secret', 'creds', '-n', 'cli-secret', '--type=merge', '-p', JSON.stringify({ data: { password: encoded[2] } }));
  const liveDump = join(tempDir('gitops-cli-secret-'), 'live.yaml');
  writeFileSync(liveDump, (await cluster.kubectl('get', 'secret', 'creds', '-n', 'cli-secret', '-o', 'yaml')).replace(encoded[2], Buffer.from(values[3]).toString('base64')));
  encoded.push(Buffer.from(values[3]).toString('base64'));

  const runs = [
    ['-f', dir, '--kubeconfig', cluster.kubeconfig],
    ['-f', dir, '--kubeconfig', cluster.kubeconfig, '--json'],
    ['-f', dir, '--kubeconfig', cluster.kubeconfig, '--mode', 'local'],
    ['-f', dir, '--kubeconfig', cluster.kubeconfig, '--mode', 'local', '--json'],
    ['--desired', join(dir, 'secret.yaml'), '--live', liveDump],
    ['--desired', join(dir, 'secret.yaml'), '--live', liveDump, '--json'],
  ];
  for (const args of runs) {
    const { code, out, err } = await cli(...args);
    assert.equal(code, 1, `${args.join(' ')}: ${out}${err}`);
    for (const leaked of [...values, ...encoded]) {
      assert.ok(!out.includes(leaked) && !err.includes(leaked), `${args.join(' ')} printed a secret value`);
    }
    if (args.includes('--json')) {
      const field = (JSON.parse(out) as JsonReport).resources[0].fields.find((f) => f.path === 'data.password');
      assert.ok(field, out);
      assert.deepEqual(Object.keys(field.desired as object).sort(), ['hash', 'masked']);
      assert.notDeepEqual(field.desired, field.live, 'different values show different hashes');
    } else {
      assert.match(out, /data\.password[\s\S]*- live: \(secret value, sha256 [0-9a-f]{8}…\)/);
    }
  }
});

const fixtures = join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'argo-diff');

test('offline --desired/--live on the Argo CD fixtures: exit 0 for in-sync pairs, 1 for drifted, JSON status to match', async (t) => {
  if (!requirePresent(t, 'Argo CD diff fixtures (../shared/fixtures/argo-diff)', join(fixtures, 'EXPECTED.tsv'))) return;
  const rows = readFileSync(join(fixtures, 'EXPECTED.tsv'), 'utf8').split('\n').slice(1).filter((line) => line.trim() !== '');
  assert.ok(rows.length >= 10);
  for (const row of rows) {
    const [desired, live, expected, option = ''] = row.split('\t');
    const args = ['--desired', join(fixtures, desired), '--live', join(fixtures, live), ...(option.trim() === 'ignore-aggregated-roles' ? ['--ignore-aggregated-roles'] : [])];
    const text = await cli(...args);
    assert.equal(text.code, expected === 'in-sync' ? 0 : 1, `${row}: ${text.out}${text.err}`);
    const json = await cli(...args, '--json');
    assert.equal(json.code, text.code);
    assert.deepEqual((JSON.parse(json.out) as JsonReport).resources.map((r) => r.status), [expected === 'in-sync' ? 'InSync' : 'Drifted'], row);
  }
  // The Secret pair (wordpress): none of its live values is printed.
  const live = JSON.parse(readFileSync(join(fixtures, 'wordpress-live.json'), 'utf8')) as { data: Record<string, string | null> };
  const dump = await cli('--desired', join(fixtures, 'wordpress-config.json'), '--live', join(fixtures, 'wordpress-live.json'), '--json');
  const seeded = Object.values(live.data).filter((value): value is string => typeof value === 'string' && value !== '');
  assert.ok(seeded.length > 0);
  for (const value of seeded) {
    assert.ok(!dump.out.includes(value) && !dump.out.includes(Buffer.from(value, 'base64').toString('utf8')));
  }
  // Matched by identity: a desired object without namespace finds the live one in its namespace.
  const es = await cli('--desired', join(fixtures, 'elasticsearch-config.json'), '--live', join(fixtures, 'elasticsearch-live.json'), '--json');
  assert.deepEqual((JSON.parse(es.out) as JsonReport).resources.map((r) => [r.namespace, r.status]), [['elasticsearch4', 'InSync']]);
  // An object with no counterpart in the live file is Missing.
  const other = await cli('--desired', join(fixtures, 'deployment-config.json'), '--live', join(fixtures, 'endpoints-live.json'));
  assert.equal(other.code, 1);
  assert.match(other.out, /Deployment default\/guestbook-ui: missing/);
});

test('--repo/--env of an environment that names no cluster context compares in the kubeconfig’s current context, as sync applies there', async () => {
  const ns = 'cli-current-context';
  await cluster.apply(ns, { 'config.yaml': configMap(ns) });
  const repo = initRepo();
  writeFiles(repo, {
    'gitops.yaml': `apiVersion: gitops-environments/v1\nenvironments:\n  - name: dev\n    path: envs/dev\n`,
    'envs/dev/config.yaml': configMap(ns),
  });
  commitAll(repo, 'dev');
  const { code, out, err } = await cli('--repo', repo, '--env', 'dev', '--kubeconfig', cluster.kubeconfig, '--json');
  assert.equal(code, 0, err);
  const report = JSON.parse(out) as JsonReport;
  assert.deepEqual(report.resources.map((r) => `${r.kind}/${r.namespace}/${r.name}=${r.status}`), [`ConfigMap/${ns}/settings=InSync`]);
});
