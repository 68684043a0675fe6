// Environments made of several folders (one per application, layout 3 of LAYOUTS.md): rendering
// puts every application's objects together, and the commits waiting for an environment are those
// of the previous environment's folders since this environment's folders last changed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Environment } from '../../src/core/model';
import { loadEnvironmentStates } from '../../src/git/environmentStates';
import { GitRepository } from '../../src/git/gitRepository';
import { materializeRef } from '../../src/git/materialize';
import { refView } from '../../src/git/repoViews';
import { renderEnvironment } from '../../src/render/renderEnvironment';
import { commitAll, initRepo, removeTempDirs, writeFiles } from './helpers/tempGitRepo';

after(removeTempDirs);

const APPS = ['api', 'web', 'worker'];
const ENVS = ['dev', 'staging', 'prod'];

function deployment(app: string): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: ${app}}\n  template:\n    metadata:\n      labels: {app: ${app}}\n    spec:\n      containers:\n        - name: ${app}\n          image: ghcr.io/acme/${app}:1.0.0\n`;
}

function overlay(env: string, tag: string): string {
  return `namespace: shop-${env}\nresources:\n  - ../../base\nimages:\n  - name: IMAGE\n    newTag: "${tag}"\n`;
}

/** apps/<app>/{base, overlays/<env>} for every app and environment, each overlay at tag 1.0.0. */
function manyAppsRepo(): string {
  const root = initRepo();
  const files: Record<string, string> = {};
  for (const app of APPS) {
    files[`apps/${app}/base/kustomization.yaml`] = 'resources:\n  - deployment.yaml\n';
    files[`apps/${app}/base/deployment.yaml`] = deployment(app);
    for (const env of ENVS) files[`apps/${app}/overlays/${env}/kustomization.yaml`] = overlay(env, '1.0.0').replace('IMAGE', `ghcr.io/acme/${app}`);
  }
  writeFiles(root, files);
  commitAll(root, 'apps');
  return root;
}

function environment(name: string, order: number): Environment {
  const paths = APPS.map((app) => `apps/${app}/overlays/${name}`);
  return { name, order, repo: null, branch: null, path: paths[0], paths, cluster: { context: null, namespace: null }, protected: name === 'prod', source: 'folders' };
}

test('an environment of several folders renders every application, in its own namespace', async () => {
  const root = manyAppsRepo();
  const repo = await GitRepository.open(root);
  try {
    const prod = environment('prod', 2);
    const result = await renderEnvironment({
      view: refView(repo, 'HEAD'),
      path: prod.path,
      paths: prod.paths,
      trusted: true,
      materialize: () => materializeRef(repo, 'HEAD', join(tmpdir(), 'gitops-env-render-test')),
    });
    assert.deepEqual(result.problems.filter((p) => p.severity === 'error'), []);
    assert.equal(result.renderer, 'kustomize');
    assert.deepEqual(
      result.objects.map((o) => `${o.id.kind}/${o.id.namespace}/${o.id.name}`).sort(),
      APPS.map((app) => `Deployment/shop-prod/${app}`),
    );
    // Every object is traced to its own application's files.
    for (const object of result.objects) assert.match(object.origin.file, new RegExp(`^apps/${object.id.name}/`));
    for (const app of APPS) {
      assert.ok(result.files.includes(`apps/${app}/overlays/prod/kustomization.yaml`), `files list ${app}'s overlay`);
      assert.ok(result.files.includes(`apps/${app}/base/deployment.yaml`), `files list ${app}'s base`);
    }
  } finally {
    repo.dispose();
  }
});

test('a folder missing from one application is a located problem; the other applications still render', async () => {
  const root = manyAppsRepo();
  const repo = await GitRepository.open(root);
  try {
    const paths = [...APPS.map((app) => `apps/${app}/overlays/prod`), 'apps/billing/overlays/prod'];
    const result = await renderEnvironment({ view: refView(repo, 'HEAD'), path: paths[0], paths, trusted: true, materialize: () => materializeRef(repo, 'HEAD', join(tmpdir(), 'gitops-env-render-test')) });
    assert.equal(result.objects.length, APPS.length);
    const missing = result.problems.filter((p) => p.severity === 'error');
    assert.equal(missing.length, 1);
    assert.equal(missing[0].location?.file, 'apps/billing/overlays/prod');
  } finally {
    repo.dispose();
  }
});

test('commits waiting for a multi-folder environment: changes to any application of the previous one since this one last changed', async () => {
  const root = manyAppsRepo();
  const repo = await GitRepository.open(root);
  const environments = ENVS.map((name, i) => environment(name, i));
  try {
    // Same trees everywhere: nothing waits.
    let states = await loadEnvironmentStates(repo, environments);
    assert.deepEqual(states.map((s) => s.pending?.total ?? null), [null, 0, 0]);

    // A new tag for two applications in staging: two commits wait for prod, none for staging.
    writeFiles(root, { 'apps/api/overlays/staging/kustomization.yaml': overlay('staging', '1.1.0').replace('IMAGE', 'ghcr.io/acme/api') });
    commitAll(root, 'api 1.1.0 to staging');
    writeFiles(root, { 'apps/worker/overlays/staging/kustomization.yaml': overlay('staging', '1.1.0').replace('IMAGE', 'ghcr.io/acme/worker') });
    commitAll(root, 'worker 1.1.0 to staging');
    // A change to an unrelated folder waits nowhere.
    writeFiles(root, { 'docs/README.md': 'notes\n' });
    commitAll(root, 'docs');
    states = await loadEnvironmentStates(repo, environments);
    assert.equal(states[1].pending?.total, 0, 'dev → staging: staging changed after dev');
    assert.equal(states[2].pending?.total, 2);
    assert.deepEqual(states[2].pending?.commits.map((c) => c.subject), ['worker 1.1.0 to staging', 'api 1.1.0 to staging']);
    assert.equal(states[2].head?.subject, 'apps', 'prod is as new as its folders\' last change');

    // Promoting one of them to prod leaves nothing older waiting than prod's own change.
    writeFiles(root, { 'apps/api/overlays/prod/kustomization.yaml': overlay('prod', '1.1.0').replace('IMAGE', 'ghcr.io/acme/api') });
    commitAll(root, 'api 1.1.0 to prod');
    states = await loadEnvironmentStates(repo, environments);
    assert.equal(states[2].head?.subject, 'api 1.1.0 to prod');
    assert.equal(states[2].pending?.total, 0);
  } finally {
    repo.dispose();
  }
});

test('commits waiting for an environment come from the previous tier of its own lane (prod-eu ← staging-eu, not staging-us)', async () => {
  const root = initRepo();
  const cm = (v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  v: "${v}"\n`;
  const lanes = ['staging-eu', 'staging-us', 'prod-eu', 'prod-us'];
  writeFiles(root, Object.fromEntries(lanes.map((env) => [`envs/${env}/app.yaml`, cm('1')])));
  commitAll(root, 'all at 1');
  writeFiles(root, { 'envs/staging-us/app.yaml': cm('2') });
  commitAll(root, 'us staging 2');
  const repo = await GitRepository.open(root);
  try {
    const environments: Environment[] = lanes.map((name, order) => ({ name, order, repo: null, branch: null, path: `envs/${name}`, cluster: { context: null, namespace: null }, protected: name.startsWith('prod'), source: 'folders' }));
    const states = await loadEnvironmentStates(repo, environments);
    const pending = Object.fromEntries(states.map((s) => [s.environment.name, s.pending ? `${s.pending.total} from ${s.pending.from}` : null]));
    assert.deepEqual(pending, { 'staging-eu': null, 'staging-us': null, 'prod-eu': '0 from staging-eu', 'prod-us': '1 from staging-us' });
  } finally {
    repo.dispose();
  }
});
