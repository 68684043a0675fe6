// `gitops-env drift --repo --env` on a layout-1 overlay environment against the sandbox, with
// drift made by the real kubectl: every drifted field is reported at the file and line that set
// its Git value — replicas at the overlay's scale patch, the image at the `images:` newTag line,
// an env var at the overlay's settings patch, another at the component that sets it — and the
// text report says how ("set by images"). The base is blamed only for what no layer touches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { replaceDeclaredIn } from '../../src/cluster/drift/desiredResources';
import { DriftSandbox } from './helpers/driftSandbox';
import { commitAll, initRepo, removeTempDirs, writeFiles } from './helpers/tempGitRepo';

let cluster: DriftSandbox;

before(async () => {
  cluster = await DriftSandbox.start('gitops-drift-blame-');
});

after(async () => {
  await cluster?.stop();
  removeTempDirs();
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['drift', ...args], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

interface FieldJson {
  path: string;
  desired: unknown;
  live: unknown;
  file: string | null;
  line: number | null;
  via?: string;
}

test('overlay drift is blamed on the overlay patch, the images newTag, the settings patch and the component', async () => {
  cluster.namespace('blame-prod');
  const repo = initRepo();
  writeFiles(repo, {
    'gitops.yaml': [
      'apiVersion: gitops-environments/v1',
      'environments:',
      '  - name: prod-eu',
      '    path: envs/prod-eu',
      `    cluster: { context: ${cluster.sandbox.contextName}, namespace: blame-prod }`,
      'drift:',
      '  mode: local',
      '',
    ].join('\n'),
    'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
    'base/deployment.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: shop',
      'spec:',
      '  replicas: 2',
      '  selector:',
      '    matchLabels:',
      '      app: shop',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app: shop',
      '    spec:',
      '      containers:',
      '        - name: shop',
      '          image: registry.example.com/shop:1.0.0',
      '          env:',
      '            - name: STAGE',
      '              value: base',
      '            - name: LOG_LEVEL',
      '              value: info',
      '',
    ].join('\n'),
    'variants/eu/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: region.yaml\n',
    'variants/eu/region.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: shop',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: shop',
      '          env:',
      '            - name: REGION',
      '              value: eu-west-1',
      '',
    ].join('\n'),
    'envs/prod-eu/kustomization.yaml': [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'namespace: blame-prod',
      'namePrefix: prod-eu-',
      'resources:',
      '  - ../../base',
      'components:',
      '  - ../../variants/eu',
      'patches:',
      '  - path: scale.yaml',
      '  - path: settings.yaml',
      'images:',
      '  - name: registry.example.com/shop',
      '    newTag: 2.4.0',
      '',
    ].join('\n'),
    'envs/prod-eu/scale.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  replicas: 8\n',
    'envs/prod-eu/settings.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: shop',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: shop',
      '          env:',
      '            - name: STAGE',
      '              value: prod-eu',
      '',
    ].join('\n'),
  });
  commitAll(repo, 'layout 1');
  await cluster.kubectl('apply', '-k', join(repo, 'envs', 'prod-eu'));
  const clean = await cli('--repo', repo, '--env', 'prod-eu', '--kubeconfig', cluster.kubeconfig);
  assert.equal(clean.code, 0, clean.out + clean.err);

  await cluster.kubectl('scale', '-n', 'blame-prod', 'deployment/prod-eu-shop', '--replicas=5');
  await cluster.kubectl('set', 'image', '-n', 'blame-prod', 'deployment/prod-eu-shop', 'shop=registry.example.com/shop:2.5.0');
  await cluster.kubectl('set', 'env', '-n', 'blame-prod', 'deployment/prod-eu-shop', 'STAGE=hotfix', 'REGION=us-east-1', 'LOG_LEVEL=debug');

  const json = await cli('--repo', repo, '--env', 'prod-eu', '--kubeconfig', cluster.kubeconfig, '--json');
  assert.equal(json.code, 1, json.err);
  const report = JSON.parse(json.out) as { resources: Array<{ name: string; status: string; fields: FieldJson[] }> };
  const shop = report.resources.find((r) => r.name === 'prod-eu-shop');
  assert.equal(shop?.status, 'Drifted');
  const byPath = new Map(shop.fields.map((f) => [f.path, f]));
  assert.deepEqual(byPath.get('spec.replicas'), { path: 'spec.replicas', desired: 8, live: 5, file: 'envs/prod-eu/scale.yaml', line: 6, via: 'patch' });
  assert.deepEqual(byPath.get('spec.template.spec.containers[name=shop].image'), {
    path: 'spec.template.spec.containers[name=shop].image',
    desired: 'registry.example.com/shop:2.4.0',
    live: 'registry.example.com/shop:2.5.0',
    file: 'envs/prod-eu/kustomization.yaml',
    line: 14,
    via: 'images',
  });
  const env = (name: string): FieldJson | undefined => byPath.get(`spec.template.spec.containers[name=shop].env[name=${name}].value`);
  assert.deepEqual(env('STAGE'), { path: 'spec.template.spec.containers[name=shop].env[name=STAGE].value', desired: 'prod-eu', live: 'hotfix', file: 'envs/prod-eu/settings.yaml', line: 12, via: 'patch' });
  assert.deepEqual(env('REGION'), { path: 'spec.template.spec.containers[name=shop].env[name=REGION].value', desired: 'eu-west-1', live: 'us-east-1', file: 'variants/eu/region.yaml', line: 12, via: 'patch' });
  // What no overlay touches stays on the base, with no `via` (the declaring file set it).
  assert.deepEqual(env('LOG_LEVEL'), { path: 'spec.template.spec.containers[name=shop].env[name=LOG_LEVEL].value', desired: 'info', live: 'debug', file: 'base/deployment.yaml', line: 22 });

  const text = await cli('--repo', repo, '--env', 'prod-eu', '--kubeconfig', cluster.kubeconfig);
  assert.ok(text.out.includes('envs/prod-eu/kustomization.yaml:14  spec.template.spec.containers[name=shop].image  (set by images)'), text.out);
  assert.ok(text.out.includes('envs/prod-eu/scale.yaml:6  spec.replicas  (set by patch)'), text.out);
});

test('typing in an overlay patch file never turns its documents into desired objects: the build must render again', () => {
  const object = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'prod-eu-shop', namespace: 'blame-prod' }, spec: { replicas: 8 } };
  const desired = [{ object, origin: { file: 'base/deployment.yaml' }, inputs: ['envs/prod-eu/scale.yaml'] }];
  const keyOf = (resource: { object: Record<string, unknown> }): string => String((resource.object.metadata as { name: string }).name);
  const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  replicas: 3\n';
  assert.equal(replaceDeclaredIn(desired, 'envs/prod-eu/scale.yaml', patch, keyOf), undefined);
  // A plain manifest beside it still updates in place.
  const plain = replaceDeclaredIn(desired, 'envs/prod-eu/extra.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n', keyOf);
  assert.deepEqual(plain?.changed, ['extra']);
});
