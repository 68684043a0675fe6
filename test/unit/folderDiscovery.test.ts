import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoverEnvironments } from '../../src/core/discovery';
import { discoverFolderEnvironments } from '../../src/core/folderDiscovery';
import { MemoryRepoView } from './helpers/memoryRepoView';

const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../base]\n';

function files(paths: string[]): Record<string, string> {
  return Object.fromEntries(paths.map((p) => [p, p.endsWith('kustomization.yaml') ? KUSTOMIZATION : 'apiVersion: v1\nkind: ConfigMap\n']));
}

describe('folder discovery', () => {
  it('finds envs/* folders, skipping base, in ladder order', async () => {
    const result = await discoverEnvironments(
      new MemoryRepoView(files(['envs/base/deployment.yaml', 'envs/prod/kustomization.yaml', 'envs/dev/kustomization.yaml', 'envs/staging/kustomization.yaml', 'envs/staging/patch.yaml', 'README.md']), ['main']),
    );
    assert.equal(result.source, 'folders');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.environments.map(({ order, name, path, branch, protected: p, declaredAt }) => [order, name, path, branch, p, declaredAt?.file]),
      [
        [0, 'dev', 'envs/dev', null, false, 'envs/dev/kustomization.yaml'],
        [1, 'staging', 'envs/staging', null, false, 'envs/staging/kustomization.yaml'],
        [2, 'prod', 'envs/prod', null, true, 'envs/prod/kustomization.yaml'],
      ],
    );
  });

  it('finds nested overlays and sorts regional names by ladder word, then name', () => {
    const result = discoverFolderEnvironments(
      Object.keys(
        files([
          'k8s/base/deployment.yaml',
          'k8s/overlays/prod-us/kustomization.yaml',
          'k8s/overlays/staging-asia/kustomization.yaml',
          'k8s/overlays/prod-eu/kustomization.yaml',
          'k8s/overlays/dev/kustomization.yaml',
          'k8s/overlays/staging-eu/kustomization.yaml',
        ]),
      ),
    );
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path]),
      [
        ['dev', 'k8s/overlays/dev'],
        ['staging-asia', 'k8s/overlays/staging-asia'],
        ['staging-eu', 'k8s/overlays/staging-eu'],
        ['prod-eu', 'k8s/overlays/prod-eu'],
        ['prod-us', 'k8s/overlays/prod-us'],
      ],
    );
  });

  it('keeps unknown names, after the known ones, alphabetically', () => {
    const result = discoverFolderEnvironments(['overlays/preview/a.yaml', 'overlays/prod/a.yaml', 'overlays/demo/a.yaml', 'overlays/dev/a.yaml']);
    assert.deepEqual(
      result.environments.map((e) => e.name),
      ['dev', 'prod', 'demo', 'preview'],
    );
  });

  it('ignores folders that hold no manifests and containers without a ladder word', () => {
    const result = discoverFolderEnvironments(['k8s/deployments/web.yaml', 'k8s/services/web.yaml', 'deploy/dev/README.md', 'clusters/prod/notes.txt']);
    assert.deepEqual(result.environments, []);
  });

  it('groups sibling applications\' overlays into one environment per name, holding every application\'s folder', () => {
    const result = discoverFolderEnvironments([
      'app1/overlays/dev/kustomization.yaml',
      'app1/overlays/prod/kustomization.yaml',
      'app2/overlays/dev/kustomization.yaml',
      'app2/overlays/qa/kustomization.yaml',
      'app2/overlays/prod/kustomization.yaml',
    ]);
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.paths ?? null]),
      [
        ['dev', 'app1/overlays/dev', ['app1/overlays/dev', 'app2/overlays/dev']],
        ['qa', 'app2/overlays/qa', null],
        ['prod', 'app1/overlays/prod', ['app1/overlays/prod', 'app2/overlays/prod']],
      ],
    );
    assert.deepEqual(result.problems, []);
  });

  it('uses the container with most environment names and reports unrelated ones', () => {
    const result = discoverFolderEnvironments([
      'deploy/dev/kustomization.yaml',
      'deploy/qa/kustomization.yaml',
      'deploy/prod/kustomization.yaml',
      'tools/monitoring/overlays/dev/kustomization.yaml',
      'tools/monitoring/overlays/prod/kustomization.yaml',
    ]);
    assert.deepEqual(
      result.environments.map((e) => e.path),
      ['deploy/dev', 'deploy/qa', 'deploy/prod'],
    );
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /using deploy\/ and ignoring tools\/monitoring\/overlays\//);
  });

  it('skips folders whose names are not safe environment names', () => {
    const result = discoverFolderEnvironments(['envs/dev/a.yaml', 'envs/prod $(x)/a.yaml']);
    assert.deepEqual(
      result.environments.map((e) => e.name),
      ['dev'],
    );
    assert.match(result.problems[0].message, /envs\/prod \$\(x\) is not used as an environment/);
  });
});
