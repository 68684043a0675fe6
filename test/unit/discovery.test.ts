import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoverEnvironments } from '../../src/core/discovery';
import type { BranchInfo } from '../../src/core/model';
import type { RepoView } from '../../src/core/repoView';
import { MemoryRepoView } from './helpers/memoryRepoView';

const ARGO_APP = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web-prod
spec:
  source: { repoURL: https://github.com/acme/gitops.git, path: envs/prod, targetRevision: main }
  destination: { name: prod, namespace: web }
`;
const FLUX_KS = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: flux-system }
spec: { path: ./apps/dev, sourceRef: { kind: GitRepository, name: flux-system } }
`;
const CONFIG = `apiVersion: gitops-environments/v1
environments:
  - name: dev
    branch: dev
  - name: prod
    branch: main
    protected: yes
`;

describe('discoverEnvironments: order of trust', () => {
  const everything = {
    'argocd/web-prod.yaml': ARGO_APP,
    'clusters/dev/apps.yaml': FLUX_KS,
    'envs/dev/kustomization.yaml': 'resources: []\n',
    'envs/prod/kustomization.yaml': 'resources: []\n',
  };
  const branches = ['dev', 'staging', 'main'];

  it('trusts gitops.yaml over everything else, passing its problems through', async () => {
    const view = new MemoryRepoView({ ...everything, 'gitops.yaml': CONFIG }, branches);
    const result = await discoverEnvironments(view);
    assert.equal(result.source, 'config');
    assert.equal(result.configFile, 'gitops.yaml');
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.source]),
      [['dev', 'config']],
    );
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].location?.range?.start.line, 7);
    // Nothing but the config is read when it exists.
    assert.deepEqual(view.reads, ['gitops.yaml']);
  });

  it('accepts gitops.yml, and prefers gitops.yaml when both exist', async () => {
    const yml = await discoverEnvironments(new MemoryRepoView({ 'gitops.yml': CONFIG.replace('yes', 'true') }));
    assert.equal(yml.configFile, 'gitops.yml');
    assert.deepEqual(yml.problems, []);
    assert.equal(yml.environments.length, 2);
    const both = await discoverEnvironments(new MemoryRepoView({ 'gitops.yml': CONFIG, 'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments: [{ name: only }]\n' }));
    assert.equal(both.configFile, 'gitops.yaml');
    assert.deepEqual(
      both.environments.map((e) => e.name),
      ['only'],
    );
    assert.match(both.problems[0].message, /gitops\.yml is ignored/);
  });

  it('keeps a broken gitops.yaml in charge: no fallback to discovery', async () => {
    const result = await discoverEnvironments(new MemoryRepoView({ ...everything, 'gitops.yaml': 'environments: [\n' }, branches));
    assert.equal(result.source, 'config');
    assert.deepEqual(result.environments, []);
    assert.equal(result.problems[0].severity, 'error');
  });

  it('ignores a gitops.yaml that is not at the root', async () => {
    const result = await discoverEnvironments(new MemoryRepoView({ 'sub/gitops.yaml': CONFIG, ...everything }));
    assert.equal(result.configFile, null);
    assert.equal(result.source, 'argocd');
  });

  it('then Argo CD, then Flux, then branches, then folders', async () => {
    const withoutArgo = { ...everything };
    delete (withoutArgo as Record<string, string>)['argocd/web-prod.yaml'];
    const withoutFlux = { ...withoutArgo };
    delete (withoutFlux as Record<string, string>)['clusters/dev/apps.yaml'];
    const sources = [
      (await discoverEnvironments(new MemoryRepoView(everything, branches))).source,
      (await discoverEnvironments(new MemoryRepoView(withoutArgo, branches))).source,
      (await discoverEnvironments(new MemoryRepoView(withoutFlux, branches))).source,
      (await discoverEnvironments(new MemoryRepoView(withoutFlux, ['main']))).source,
      (await discoverEnvironments(new MemoryRepoView({ 'README.md': '' }, ['main']))).source,
    ];
    assert.deepEqual(sources, ['argocd', 'flux', 'branches', 'folders', null]);
  });

  it('returns an empty result for an empty repository', async () => {
    assert.deepEqual(await discoverEnvironments(new MemoryRepoView()), { environments: [], source: null, problems: [], configFile: null });
  });
});

describe('discoverEnvironments: never throws', () => {
  function failing(overrides: Partial<RepoView>): RepoView {
    const base = new MemoryRepoView({ 'argocd/web-prod.yaml': ARGO_APP, 'envs/dev/a.yaml': 'kind: ConfigMap\n', 'envs/prod/a.yaml': 'kind: ConfigMap\n' }, ['dev', 'prod']);
    return {
      listFiles: overrides.listFiles ?? (() => base.listFiles()),
      readFile: overrides.readFile ?? ((p: string) => base.readFile(p)),
      branches: overrides.branches ?? (() => base.branches()),
    };
  }

  it('reports a failing file listing', async () => {
    const result = await discoverEnvironments(failing({ listFiles: () => Promise.reject(new Error('EACCES')) }));
    assert.deepEqual(result.environments, []);
    assert.match(result.problems[0].message, /Cannot list the repository's files: EACCES/);
  });

  it('survives reads that throw synchronously or reject, and still finds branches', async () => {
    const result = await discoverEnvironments(
      failing({
        readFile: () => {
          throw new Error('boom');
        },
      }),
    );
    assert.equal(result.source, 'branches');
    const rejecting = await discoverEnvironments(failing({ readFile: () => Promise.reject(new Error('gone')) }));
    assert.equal(rejecting.source, 'branches');
  });

  it('survives branches() throwing synchronously', async () => {
    const result = await discoverEnvironments(
      failing({
        readFile: async () => undefined,
        branches: (): Promise<readonly BranchInfo[]> => {
          throw new Error('no git');
        },
      }),
    );
    assert.equal(result.source, 'folders');
  });

  it('survives hostile manifests', async () => {
    const bomb = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: x }\nspec:\n  a: &a [1,1,1,1,1,1,1,1,1,1]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n  e: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`;
    const files = {
      'a/bomb.yaml': bomb,
      'a/binary.yaml': 'argoproj.io\nkind: Application\n\u0000\u0001',
      'a/list.yaml': 'argoproj.io\nkind: Application\n- just\n- a list\n',
      'a/nospec.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: nospec }\n',
      'a/appset.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: { name: s }\nspec: { generators: 3, template: [] }\n',
      'a/weird.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: "../../etc" }\nspec: { source: { path: ../../x, repoURL: 5 }, destination: [] }\n',
      'f/flux.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: { name: apps }\nspec: { path: ../../, sourceRef: 7 }\n',
    };
    const result = await discoverEnvironments(new MemoryRepoView(files));
    assert.ok(Array.isArray(result.environments));
    assert.ok(result.problems.length >= 4);
    assert.ok(result.problems.every((p) => p.severity === 'warning'));
  });
});

describe('discoverEnvironments: cost on a large repository', () => {
  it('discovers among 10,000 files quickly, reading only plausible YAML', async () => {
    const files = new Map<string, string>();
    const deployment = (i: number): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-${i}\nspec:\n  replicas: 2\n`;
    for (let i = 0; i < 7000; i++) files.set(`services/svc-${i}/deployment.yaml`, deployment(i));
    for (let i = 0; i < 1500; i++) files.set(`node_modules/pkg-${i}/config.yaml`, 'argoproj.io\nkind: Application\n');
    for (let i = 0; i < 1000; i++) files.set(`src/module-${i}.ts`, 'export {};\n');
    for (let i = 0; i < 500; i++) files.set(`docs/page-${i}.md`, '# argoproj.io\n');
    files.set('charts/apps/Chart.yaml', 'apiVersion: v2\nname: apps\n');
    files.set('charts/apps/templates/app.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {{ .Values.name }}\n');
    files.set('clusters/staging/flux-system/gotk-components.yaml', 'kind: GitRepository\nsource.toolkit.fluxcd.io\n'.repeat(1000));
    for (const env of ['dev', 'staging', 'prod']) files.set(`deploy/overlays/${env}/kustomization.yaml`, 'resources: [../../base]\n');
    files.set('deploy/base/kustomization.yaml', 'resources: []\n');
    assert.ok(files.size >= 10_000);

    const view = new MemoryRepoView(files, ['main']);
    const started = performance.now();
    const result = await discoverEnvironments(view);
    const elapsed = performance.now() - started;

    assert.equal(result.source, 'folders');
    assert.deepEqual(
      result.environments.map((e) => e.path),
      ['deploy/overlays/dev', 'deploy/overlays/staging', 'deploy/overlays/prod'],
    );
    // clusters/staging (holding only Flux's CRD bundle) loses to the folder with three environments.
    assert.deepEqual(
      result.problems.map((p) => p.message),
      ['Environment folders found in several places; using deploy/overlays/ and ignoring clusters/'],
    );
    assert.ok(elapsed < 3000, `took ${elapsed.toFixed(0)} ms`);
    const unexpected = view.reads.filter((p) => p.startsWith('node_modules/') || !/\.ya?ml$/.test(p) || p.includes('/templates/') || p.endsWith('gotk-components.yaml') || p.endsWith('kustomization.yaml'));
    assert.deepEqual(unexpected, []);
  });
});
