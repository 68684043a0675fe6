// Tying Argo CD and Flux objects to environments by repository, branch and folder, with
// everything else listed as "other applications" with the reason; and the same on the real
// flux2-kustomize-helm-example repository's environments.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { discoverEnvironments } from '../../src/core/discovery';
import type { Environment } from '../../src/core/model';
import { mapOperatorsToEnvironments, type OperatorMapping } from '../../src/core/operators/operatorMapping';
import { readOperatorStatuses } from '../../src/core/operators/operatorStatus';
import { FolderRepoView } from './helpers/fixtureRepoView';
import { requireSharedFixture } from '../support/requirePresent';

function env(name: string, order: number, fields: Partial<Environment> = {}): Environment {
  return { name, order, repo: null, branch: null, path: null, cluster: { context: null, namespace: null }, protected: false, source: 'config', ...fields };
}

function app(name: string, source: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd', ...extra },
    spec: { project: 'default', source, destination: { server: 'https://kubernetes.default.svc', namespace: name } },
    status: { sync: { status: 'Synced', revision: 'a'.repeat(40) }, health: { status: 'Healthy' } },
  };
}

/** environment → sorted `Kind/name:match`, plus other → `Kind/name: reason`. */
function summary(mapping: OperatorMapping): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [environment, list] of mapping.byEnvironment) out[environment] = list.map((m) => `${m.status.ref.kind}/${m.status.ref.name}:${m.match}`).sort();
  out.other = mapping.other.map((o) => `${o.status.ref.kind}/${o.status.ref.name}: ${o.reason}`).sort();
  return out;
}

describe('operator objects to environments', () => {
  const folders = [env('dev', 0, { path: 'envs/dev' }), env('staging', 1, { path: 'envs/staging' }), env('prod', 2, { path: 'envs/prod', protected: true })];

  it('matches folders of this repository whatever the URL spelling; other repositories, folders and charts are "other"', () => {
    const statuses = readOperatorStatuses(
      [
        app('shop-dev', { repoURL: 'git@github.com:Acme/GitOps.git', targetRevision: 'HEAD', path: 'envs/dev' }),
        app('shop-prod', { repoURL: 'https://github.com/acme/gitops', targetRevision: 'main', path: './envs/prod/' }),
        app('shop-staging', { repoURL: 'ssh://git@github.com/acme/gitops.git', path: 'envs/staging' }),
        app('vendor', { repoURL: 'https://github.com/acme/other.git', targetRevision: 'main', path: 'envs/dev' }),
        app('monitoring', { repoURL: 'https://github.com/acme/gitops.git', targetRevision: 'main', path: 'tools/monitoring' }),
        app('redis', { repoURL: 'https://charts.bitnami.com/bitnami', chart: 'redis', targetRevision: '19.0.0' }),
      ],
      'mgmt',
    );
    const mapping = mapOperatorsToEnvironments(statuses, folders, { localRemoteUrls: ['https://github.com/acme/gitops.git'] });
    assert.deepEqual(summary(mapping), {
      dev: ['Application/shop-dev:path'],
      staging: ['Application/shop-staging:path'],
      prod: ['Application/shop-prod:path'],
      other: [
        'Application/monitoring: reads folder tools/monitoring at main, which no environment declares',
        'Application/redis: deploys Helm chart redis from https://charts.bitnami.com/bitnami',
        'Application/vendor: reads another repository (https://github.com/acme/other.git)',
      ],
    });
  });

  it('branch per environment: the branch decides; a branch no environment follows is "other"', () => {
    const branches = [
      env('dev', 0, { branch: 'dev', repo: 'https://github.com/acme/gitops.git' }),
      env('staging', 1, { branch: 'env/staging', repo: 'https://github.com/acme/gitops.git' }),
      env('prod', 2, { branch: 'env/prod', repo: 'https://github.com/acme/gitops.git' }),
    ];
    const owner = { ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', name: 'shop' }] };
    const statuses = readOperatorStatuses([
      app('shop-dev', { repoURL: 'git@github.com:acme/gitops.git', targetRevision: 'dev', path: '.' }, owner),
      app('shop-staging', { repoURL: 'git@github.com:acme/gitops.git', targetRevision: 'refs/heads/env/staging', path: '' }, owner),
      app('shop-prod', { repoURL: 'git@github.com:acme/gitops.git', targetRevision: 'env/prod' }, owner),
      app('shop-feature', { repoURL: 'git@github.com:acme/gitops.git', targetRevision: 'feature/x' }),
    ]);
    const mapping = mapOperatorsToEnvironments(statuses, branches);
    assert.deepEqual(summary(mapping), {
      dev: ['Application/shop-dev:path'],
      staging: ['Application/shop-staging:path'],
      prod: ['Application/shop-prod:path'],
      other: ['Application/shop-feature: reads the repository root at feature/x, which no environment declares'],
    });
    assert.equal(mapping.byEnvironment.get('prod')?.[0].status.generatedBy?.name, 'shop');
  });

  it('one folder deployed to two clusters: the object goes to the environment of its own cluster', () => {
    const regions = [env('eu', 0, { path: 'overlays/prod', cluster: { context: 'eu-cluster', namespace: null } }), env('us', 1, { path: 'overlays/prod', cluster: { context: 'us-cluster', namespace: null } })];
    const object = app('shop', { repoURL: 'https://github.com/acme/gitops', path: 'overlays/prod' });
    const statuses = [...readOperatorStatuses([object], 'us-cluster'), ...readOperatorStatuses([object], 'eu-cluster')];
    const mapping = mapOperatorsToEnvironments(statuses, regions, { localRemoteUrls: ['https://github.com/acme/gitops'] });
    assert.deepEqual(mapping.byEnvironment.get('us')?.map((m) => m.status.context), ['us-cluster']);
    assert.deepEqual(mapping.byEnvironment.get('eu')?.map((m) => m.status.context), ['eu-cluster']);
  });

  it('without the workspace remotes, any repository may be this one: folder and branch decide', () => {
    const statuses = readOperatorStatuses([app('shop-dev', { repoURL: 'https://git.example.com/x/y.git', path: 'envs/dev' })]);
    assert.deepEqual(summary(mapOperatorsToEnvironments(statuses, folders)), { dev: ['Application/shop-dev:path'], other: [] });
    assert.equal(mapOperatorsToEnvironments(statuses, folders, { localRemoteUrls: ['git@github.com:acme/gitops.git'] }).other.length, 1);
  });
});

const FLUX_LABELS = (name: string): Record<string, string> => ({ 'kustomize.toolkit.fluxcd.io/name': name, 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' });
const READY = { conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: '' }] };

/** What a cluster bootstrapped from the fixture repository holds: its manifests as Flux applies them, plus bootstrap's own objects. */
function liveFluxCluster(root: string, cluster: string): Array<Record<string, unknown>> {
  const objects: Array<Record<string, unknown>> = [
    // `flux bootstrap` writes these (the fixture's gotk-sync.yaml is a placeholder for them).
    { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'ssh://git@github.com/fluxcd/flux2-kustomize-helm-example', ref: { branch: 'main' } }, status: { artifact: { revision: `main@sha1:${'b'.repeat(40)}` }, ...READY } },
    { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { path: `./clusters/${cluster}`, sourceRef: { kind: 'GitRepository', name: 'flux-system' } }, status: { lastAppliedRevision: `main@sha1:${'b'.repeat(40)}`, ...READY } },
  ];
  for (const file of ['apps.yaml', 'infrastructure.yaml', 'artifacts.yaml']) {
    for (const doc of parseAllDocuments(readFileSync(join(root, 'clusters', cluster, file), 'utf8'))) {
      const object = doc.toJS() as Record<string, unknown>;
      const metadata = object.metadata as Record<string, unknown>;
      metadata.labels = FLUX_LABELS('flux-system');
      objects.push({ ...object, status: { lastAppliedRevision: `main@sha1:${'b'.repeat(40)}`, ...READY } });
    }
  }
  // The apps Kustomization applies the podinfo HelmRelease.
  for (const doc of parseAllDocuments(readFileSync(join(root, 'apps', 'base', 'podinfo', 'release.yaml'), 'utf8'))) {
    const object = doc.toJS() as Record<string, unknown>;
    (object.metadata as Record<string, unknown>).labels = FLUX_LABELS('apps');
    objects.push(object);
  }
  return objects;
}

describe('mapping on the real flux2-kustomize-helm-example repository', () => {
  it('each cluster\'s Flux objects land in that cluster\'s environment: apps by folder, bootstrap by cluster folder, the rest by who applied them', async (t) => {
    const root = requireSharedFixture(t, 'repos', 'flux2-kustomize-helm-example');
    if (!root) return;
    const discovered = await discoverEnvironments(new FolderRepoView(root));
    assert.deepEqual(
      discovered.environments.map((e) => `${e.name}:${e.path}@${e.branch}`),
      ['staging:apps/staging@main', 'production:apps/production@main'],
    );
    const foreign = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'tenant', namespace: 'flux-system' }, spec: { url: 'https://github.com/acme/tenant.git', ref: { branch: 'main' } }, status: READY };
    const statuses = [...readOperatorStatuses([...liveFluxCluster(root, 'staging'), foreign], 'staging'), ...readOperatorStatuses(liveFluxCluster(root, 'production'), 'production')];
    const mapping = mapOperatorsToEnvironments(statuses, discovered.environments, { localRemoteUrls: ['https://github.com/fluxcd/flux2-kustomize-helm-example.git'] });
    const expected = [
      'GitRepository/flux-system:source',
      'HelmRelease/podinfo:appliedBy',
      'Kustomization/apps:path',
      'Kustomization/flux-system:clusterFolder',
      'Kustomization/infra-configs:appliedBy',
      'Kustomization/infra-controllers:appliedBy',
    ];
    assert.deepEqual(summary(mapping), {
      staging: expected,
      production: expected,
      other: ['GitRepository/tenant: reads another repository (https://github.com/acme/tenant.git)'],
    });
    for (const [environment, list] of mapping.byEnvironment) {
      assert.ok(list.every((m) => m.status.context === environment), `${environment} holds only its own cluster's objects`);
    }
    // The apps Kustomization reads an ExternalArtifact cut from the repository's apps/<cluster> folder.
    const apps = mapping.byEnvironment.get('production')?.find((m) => m.status.ref.name === 'apps')?.status;
    assert.equal(apps?.sources[0].path, 'apps/production');
    assert.equal(apps?.sources[0].sourceRef?.kind, 'ExternalArtifact');
    assert.deepEqual(apps?.sources[0].origin, { kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' });
  });
});
