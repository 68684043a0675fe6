// Discovery of every layout in LAYOUTS.md (generated repositories), their mixes, the promotion
// order and the default promotion target of each.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoverEnvironments, type DiscoveryResult } from '../../src/core/discovery';
import { discoverFolderEnvironments } from '../../src/core/folderDiscovery';
import { environmentPaths, type Environment } from '../../src/core/model';
import { resolvePromotionPair } from '../../src/core/promotion/environmentPair';
import { MemoryRepoView } from './helpers/memoryRepoView';
import * as L from './helpers/layoutRepos';

async function discover(files: L.Files, branches: string[] = ['main']): Promise<DiscoveryResult> {
  return discoverEnvironments(new MemoryRepoView(files, branches));
}

function summary(result: DiscoveryResult): Array<[string, string | null, string[]]> {
  return result.environments.map((e) => [e.name, e.branch, environmentPaths(e)]);
}

/** `--from A` without `--to`, for every environment that has a next one. */
function defaultTargets(environments: readonly Environment[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const env of environments.slice(0, -1)) out[env.name] = resolvePromotionPair(environments, env.name, undefined).target.name;
  return out;
}

describe('layout 1: folder per environment with overlays, components per tier and region', () => {
  it('finds every envs/ folder (not the variants/ components), by tier then lane, production protected', async () => {
    const result = await discover(L.folderPerEnvironment());
    assert.equal(result.source, 'folders');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.protected, e.declaredAt?.file]),
      L.LAYOUT1_ENVIRONMENTS.map((name) => [name, `envs/${name}`, name.startsWith('prod'), `envs/${name}/kustomization.yaml`]),
    );
  });

  it('promotes each region along its lane: staging-eu → prod-eu, staging-us → prod-us', async () => {
    const result = await discover(L.folderPerEnvironment());
    assert.deepEqual(defaultTargets(result.environments), {
      int: 'qa',
      qa: 'perf',
      perf: 'staging-eu',
      'staging-eu': 'prod-eu',
      'staging-us': 'prod-us',
      'prod-eu': 'prod-us',
    });
  });
});

describe('layout 2: branch per environment, each branch holding every environment folder', () => {
  it('pairs each environment branch with its folder and ignores main, feature, release, bot and tenant branches', async () => {
    const result = await discover(L.branchTreeFiles(), [...L.NOT_ENVIRONMENT_BRANCHES, ...L.LAYOUT2_ENVIRONMENTS.map((b) => `origin/${b}`)]);
    assert.equal(result.source, 'branches');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      summary(result),
      L.LAYOUT2_ENVIRONMENTS.map((name) => [name, name, [`envs/${name}`]]),
    );
    assert.deepEqual(defaultTargets(result.environments)['staging-eu'], 'prod-eu');
    assert.deepEqual(defaultTargets(result.environments)['perf-large'], 'staging-eu');
  });

  it('gives the same order for every shuffle of the branch list (property)', async () => {
    const branches = [...L.LAYOUT2_ENVIRONMENTS, 'load-eu', 'uat', 'dev', ...L.NOT_ENVIRONMENT_BRANCHES];
    const expected = summary(await discover(L.branchTreeFiles(), branches));
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 40; round++) {
      const shuffled = [...branches].sort(() => random() - 0.5);
      assert.deepEqual(summary(await discover(L.branchTreeFiles(), shuffled)), expected, `order changed for ${shuffled.join(',')}`);
    }
    // Performance and load tiers are before staging, never after prod.
    assert.deepEqual(
      expected.map(([name]) => name),
      ['dev', 'int', 'qa', 'load-eu', 'perf-large', 'uat', 'staging-eu', 'staging-us', 'prod-eu', 'prod-us'],
    );
  });

  it('never makes an environment of a feature, release, bot, hotfix or tenant branch (property over generated names)', async () => {
    const prefixes = ['feature/', 'feat/', 'fix/', 'bugfix/', 'hotfix/', 'release/', 'release-', 'renovate/', 'dependabot/npm_and_yarn/', 'tenant-', 'tenants/', 'users/alice/', 'chore/'];
    const stems = ['prod', 'prod-eu', 'staging', 'qa', 'dev', 'login', '1.2', 'perf-large', 'x'];
    const names = prefixes.flatMap((p) => stems.map((s) => `${p}${s}`));
    names.push(...stems.flatMap((s) => [`${s}-fix`, `${s}-hotfix`, `${s}-wip`, `${s}-backup`, `${s}-fix-login`]));
    const result = await discover(L.branchTreeFiles(), ['main', ...names]);
    // The folders are still found; no branch is one of them.
    assert.equal(result.source, 'folders');
    assert.deepEqual(result.environments.filter((e) => e.branch !== null), [], `found ${result.environments.map((e) => e.branch).join(', ')}`);
  });

  it('makes a branch without a ladder word an environment when the repository has its folder', async () => {
    const files = { ...L.branchTreeFiles(), 'envs/demo/kustomization.yaml': L.KUSTOMIZATION(['../../base']) };
    const result = await discover(files, ['main', 'qa', 'demo', 'tools']);
    assert.deepEqual(summary(result), [
      ['qa', 'qa', ['envs/qa']],
      ['demo', 'demo', ['envs/demo']],
    ]);
  });

  it('does not make a branch without a ladder word an environment when its own tree lacks the folder', async () => {
    const files = { ...L.branchTreeFiles(), 'envs/demo/kustomization.yaml': L.KUSTOMIZATION(['../../base']) };
    const result = await discoverEnvironments(new MemoryRepoView(files, ['main', 'qa', 'demo']), { folderOnBranch: async (branch) => branch !== 'demo' });
    assert.deepEqual(summary(result), [['qa', 'qa', ['envs/qa']]]);
    assert.deepEqual(result.problems, []);
  });

  it('reports a branch whose folder is missing on it, and keeps the other environments', async () => {
    const view = new MemoryRepoView(L.branchTreeFiles(), ['main', 'qa', 'staging-eu', 'prod-eu']);
    const result = await discoverEnvironments(view, { folderOnBranch: async (branch) => branch !== 'staging-eu' });
    assert.deepEqual(summary(result), [
      ['qa', 'qa', ['envs/qa']],
      ['staging-eu', 'staging-eu', []],
      ['prod-eu', 'prod-eu', ['envs/prod-eu']],
    ]);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /Branch staging-eu has no envs\/staging-eu\/ folder/);
    assert.equal(result.problems[0].location?.file, 'envs/staging-eu');
    assert.match(result.problems[0].hint ?? '', /add envs\/staging-eu\/ to branch staging-eu/);
  });
});

describe('layout 3: many applications, one overlay per environment each', () => {
  const expectedPaths = (env: string, folder: (app: string, env: string) => string): string[] => [...L.APPS].sort().map((app) => folder(app, env));

  it('expands an ApplicationSet git directories generator (with an exclude) into one environment per name holding every app', async () => {
    const files = { ...L.manyAppsWithApplicationSet(), 'apps/legacy/overlays/prod/kustomization.yaml': L.KUSTOMIZATION(['../../base']) };
    const result = await discover(files);
    assert.equal(result.source, 'argocd');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      summary(result),
      L.APP_ENVIRONMENTS.map((env) => [env, null, expectedPaths(env, (app, e) => `apps/${app}/overlays/${e}`)]),
    );
    const prod = result.environments[2];
    assert.equal(prod.protected, true);
    assert.equal(prod.source, 'argocd');
    assert.deepEqual(prod.cluster, { context: 'in-cluster', namespace: null });
    assert.equal(prod.declaredAt?.file, 'argocd/appset.yaml');
    assert.deepEqual(defaultTargets(result.environments), { dev: 'staging', staging: 'prod' });
  });

  it('reads goTemplate parameters ({{.path.path}}, {{.path.basename}}, {{index .path.segments 1}})', async () => {
    const files = { ...L.manyAppsWithApplicationSet(), 'argocd/appset.yaml': L.applicationSet(L.GIT_DIRECTORIES, L.GOTEMPLATE, true) };
    const result = await discover(files);
    assert.deepEqual(
      result.environments.map((e) => [e.name, environmentPaths(e).length, e.cluster.context, e.cluster.namespace]),
      [
        ['dev', 3, 'dev-cluster', 'dev'],
        ['staging', 3, 'staging-cluster', 'staging'],
        ['prod', 3, 'prod-cluster', 'prod'],
      ],
    );
  });

  it('expands a matrix of git directories × a list of environments', async () => {
    const generator = `    - matrix:
        generators:
          - git:
              repoURL: https://github.com/acme/gitops.git
              revision: HEAD
              directories:
                - path: apps/*
          - list:
              elements:
                - env: dev
                  cluster: dev-eu
                - env: prod
                  cluster: prod-eu
`;
    const template = `    metadata:
      name: '{{path.basename}}-{{env}}'
    spec:
      source:
        repoURL: https://github.com/acme/gitops.git
        targetRevision: HEAD
        path: '{{path}}/overlays/{{env}}'
      destination:
        name: '{{cluster}}'
        namespace: '{{path.basename}}'
`;
    const files = { ...L.manyAppsWithApplicationSet(), 'argocd/appset.yaml': L.applicationSet(generator, template) };
    const result = await discover(files);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(summary(result), [
      ['dev', null, expectedPaths('dev', (app, e) => `apps/${app}/overlays/${e}`)],
      ['prod', null, expectedPaths('prod', (app, e) => `apps/${app}/overlays/${e}`)],
    ]);
    assert.deepEqual(
      result.environments.map((e) => e.cluster.context),
      ['dev-eu', 'prod-eu'],
    );
  });

  it('expands a git files generator whose JSON and YAML files name the environment, and a merge that overrides a field', async () => {
    const generator = `    - merge:
        mergeKeys: [env]
        generators:
          - git:
              repoURL: https://github.com/acme/gitops.git
              revision: HEAD
              files:
                - path: config/*/env.json
                - path: config/*/env.yaml
          - list:
              elements:
                - env: prod
                  cluster: prod-override
`;
    const template = `    metadata:
      name: 'shop-{{env}}'
    spec:
      source:
        repoURL: https://github.com/acme/gitops.git
        targetRevision: '{{branch}}'
        path: 'envs/{{path.basename}}'
      destination:
        name: '{{cluster}}'
        namespace: shop
`;
    const files: L.Files = {
      'argocd/appset.yaml': L.applicationSet(generator, template),
      'config/dev/env.json': JSON.stringify({ env: 'dev', cluster: 'dev-1', branch: 'develop' }),
      'config/prod/env.yaml': 'env: prod\ncluster: prod-1\nbranch: main\n',
      'envs/dev/kustomization.yaml': L.KUSTOMIZATION(['../../base']),
      'envs/prod/kustomization.yaml': L.KUSTOMIZATION(['../../base']),
    };
    const result = await discover(files);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.branch, e.path, e.cluster.context]),
      [
        ['dev', 'develop', 'envs/dev', 'dev-1'],
        ['prod', 'main', 'envs/prod', 'prod-override'],
      ],
    );
  });

  it('reports a git file that is not YAML at its generator, and keeps the other environments', async () => {
    const generator = `    - git:
        repoURL: https://github.com/acme/gitops.git
        revision: HEAD
        files:
          - path: config/*/env.yaml
`;
    const template = `    metadata:
      name: 'shop-{{env}}'
    spec:
      source: { repoURL: https://github.com/acme/gitops.git, targetRevision: HEAD, path: 'envs/{{env}}' }
      destination: { name: '{{env}}', namespace: shop }
`;
    const files: L.Files = {
      'argocd/appset.yaml': L.applicationSet(generator, template),
      'config/dev/env.yaml': 'env: dev\n',
      'config/prod/env.yaml': 'env: prod\n  bad: [indent\n',
      'envs/dev/kustomization.yaml': L.KUSTOMIZATION(['../../base']),
    };
    const result = await discover(files);
    assert.deepEqual(
      result.environments.map((e) => e.name),
      ['dev'],
    );
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /matches config\/prod\/env\.yaml, which is not valid YAML/);
    assert.equal(result.problems[0].location?.file, 'argocd/appset.yaml');
    assert.ok((result.problems[0].location?.range?.start.line ?? 0) >= 8, 'points at the generator');
    assert.match(result.problems[0].hint ?? '', /fix config\/prod\/env\.yaml/);
  });

  it('says cluster and SCM generators need the cluster or the host, without guessing', async () => {
    const generators = `    - clusters:
        selector:
          matchLabels: { env: prod }
    - scmProvider:
        github: { organization: acme }
    - pullRequest:
        github: { owner: acme, repo: shop }
${L.GIT_DIRECTORIES}`;
    const result = await discover({ ...L.manyAppsWithApplicationSet(), 'argocd/appset.yaml': L.applicationSet(generators) });
    assert.deepEqual(
      result.environments.map((e) => e.name),
      L.APP_ENVIRONMENTS,
    );
    const messages = result.problems.map((p) => `${p.location?.range?.start.line}: ${p.message}`);
    assert.equal(messages.length, 3, messages.join('\n'));
    assert.match(messages[0], /^8: .*clusters generator needs the cluster/);
    assert.match(messages[1], /^11: .*scmProvider generator needs the host/);
    assert.match(messages[2], /^13: .*pullRequest generator needs the host/);
  });

  it('groups <app>/<env> folders, <env>/<app> folders and Helm values-<env>.yaml files per environment', async () => {
    const appEnv = await discover(L.appEnvFolders());
    assert.deepEqual(summary(appEnv), L.APP_ENVIRONMENTS.map((env) => [env, null, expectedPaths(env, (app, e) => `${app}/${e}`)]));
    const envApp = await discover(L.envAppFolders());
    assert.deepEqual(summary(envApp), L.APP_ENVIRONMENTS.map((env) => [env, null, expectedPaths(env, (app, e) => `${e}/${app}`)]));
    const helm = await discover(L.helmValuesPerEnvironment());
    assert.deepEqual(
      helm.environments.map((e) => [e.name, environmentPaths(e), e.declaredAt?.file]),
      L.APP_ENVIRONMENTS.map((env) => [env, [...L.APPS].sort().map((app) => `charts/${app}`), `charts/backend/values-${env}.yaml`]),
    );
    for (const result of [appEnv, envApp, helm]) {
      assert.equal(result.source, 'folders');
      assert.deepEqual(result.problems, []);
    }
  });

  it('groups plain Applications of several apps by the environment word of their folders', async () => {
    const application = (app: string, env: string): string => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${app}-${env}
spec:
  source:
    repoURL: https://github.com/acme/gitops.git
    path: charts/${app}
    helm:
      valueFiles: [values-${env}.yaml]
  destination:
    name: ${env}
    namespace: ${app}
`;
    const files: L.Files = { ...L.helmValuesPerEnvironment() };
    for (const app of L.APPS) for (const env of L.APP_ENVIRONMENTS) files[`argocd/${app}-${env}.yaml`] = application(app, env);
    const result = await discover(files);
    assert.equal(result.source, 'argocd');
    assert.deepEqual(
      result.environments.map((e) => [e.name, environmentPaths(e), e.cluster.context]),
      L.APP_ENVIRONMENTS.map((env) => [env, [...L.APPS].map((app) => `charts/${app}`).sort((a, b) => (a === 'charts/backend' ? -1 : b === 'charts/backend' ? 1 : 0)), env]),
    );
  });
});

describe('layout 4: Kargo stages over env/<stage>', () => {
  it('orders stages by their freight graph and reads folders from the PromotionTask steps', async () => {
    const result = await discover(L.kargoStages('reversed'));
    assert.equal(result.source, 'kargo');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.branch, e.path, e.source, e.declaredAt?.file]),
      [
        ['dev', null, 'env/dev', 'kargo', 'kargo/stages.yaml'],
        ['staging', null, 'env/staging', 'kargo', 'kargo/stages.yaml'],
        ['prod', null, 'env/prod', 'kargo', 'kargo/stages.yaml'],
      ],
    );
    assert.deepEqual(defaultTargets(result.environments), { dev: 'staging', staging: 'prod' });
  });

  it('keeps the freight order over the ladder (canary before prod) and reads inline steps, rendered branches and Argo CD clusters', async () => {
    const stage = (name: string, sources: string, path: string): string => `apiVersion: kargo.akuity.io/v1alpha1
kind: Stage
metadata:
  name: ${name}
spec:
  requestedFreight:
    - origin: { kind: Warehouse, name: shop }
      sources: ${sources}
  promotionTemplate:
    spec:
      vars:
        - name: root
          value: stages
      steps:
        - uses: git-clone
          config:
            checkout:
              - branch: main
                path: ./src
              - branch: rendered/\${{ ctx.stage }}
                create: true
                path: ./out
        - uses: yaml-update
          config:
            path: ${path}
            updates: [{ key: image.tag, value: x }]
`;
    const files: L.Files = {
      'kargo/prod.yaml': stage('prod', '{ stages: [canary] }', './out/${{ vars.root }}/${{ ctx.stage }}/values.yaml'),
      'kargo/canary.yaml': stage('canary', '{ direct: true }', './src/${{ vars.root }}/${{ ctx.stage }}/values.yaml'),
      'kargo/broken.yaml': stage('qa', '{ stages: [canary] }', './src/${{ outputs.x.path }}'),
      'argocd/appset.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: shop }
spec:
  generators:
    - list:
        elements:
          - stage: canary
          - stage: prod
  template:
    metadata: { name: 'shop-{{stage}}' }
    spec:
      source: { repoURL: https://github.com/acme/gitops.git, targetRevision: 'rendered/{{stage}}', path: . }
      destination: { name: '{{stage}}-cluster', namespace: shop }
`,
    };
    const result = await discover(files);
    assert.equal(result.source, 'kargo');
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.branch, e.path, e.cluster.context]),
      [
        ['canary', null, 'stages/canary', 'canary-cluster'],
        ['qa', null, null, null],
        ['prod', 'rendered/prod', 'stages/prod', 'prod-cluster'],
      ],
    );
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /Kargo Stage "qa": the yaml-update step's path .* cannot be evaluated offline/);
    assert.equal(result.problems[0].location?.file, 'kargo/broken.yaml');
    assert.equal(result.problems[0].location?.range?.start.line, 25);
  });
});

describe('layout 5: Flux, one entry folder per cluster', () => {
  it('makes each cluster an environment of its own folders, never the shared infrastructure, and not the tenant branch', async () => {
    const result = await discover(L.fluxClusters(), ['main', 'tenant-team-a', 'origin/tenant-team-a']);
    assert.equal(result.source, 'flux');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(summary(result), [
      ['staging', 'main', ['apps/staging', 'tenants/staging']],
      ['production', 'main', ['apps/production', 'tenants/production']],
    ]);
    const [staging, production] = result.environments;
    for (const shared of ['infrastructure/controllers', 'infrastructure/configs']) {
      assert.ok(!environmentPaths(staging).includes(shared) && !environmentPaths(production).includes(shared), `${shared} is shared`);
    }
    assert.equal(staging.declaredAt?.file, 'clusters/staging/apps.yaml');
    assert.deepEqual(defaultTargets(result.environments), { staging: 'production' });
  });
});

describe('layout 6: two repositories', () => {
  it('points environments at the environment repository that Argo CD Applications read', async () => {
    const application = (env: string): string => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop-${env}
spec:
  source:
    repoURL: https://github.com/acme/shop-environments.git
    targetRevision: main
    path: envs/${env}
  destination: { name: ${env}, namespace: shop }
`;
    const files: L.Files = { 'Dockerfile': 'FROM scratch\n', 'deploy/shop-dev.yaml': application('dev'), 'deploy/shop-prod.yaml': application('prod') };
    const result = await discoverEnvironments(new MemoryRepoView(files), { remoteUrls: ['git@github.com:acme/shop.git'] });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.repo, e.branch, e.path]),
      [
        ['shop-dev', 'https://github.com/acme/shop-environments.git', 'main', 'envs/dev'],
        ['shop-prod', 'https://github.com/acme/shop-environments.git', 'main', 'envs/prod'],
      ],
    );
  });
});

describe('layout 7: an application catalogue', () => {
  it('has no environments and says why', async () => {
    const result = await discover(L.applicationCatalogue());
    assert.deepEqual(result.environments, []);
    assert.equal(result.source, null);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /catalogue of applications, not environments/);
    assert.equal(result.problems[0].location?.file, 'root-app.yaml');
  });
});

describe('mixes of layouts', () => {
  it('an ApplicationSet over many apps wins over the same repository\'s overlay folders and branches', async () => {
    const result = await discover(L.manyAppsWithApplicationSet(), ['main', 'prod', 'staging']);
    assert.equal(result.source, 'argocd');
    assert.deepEqual(result.environments.map((e) => environmentPaths(e).length), [3, 3, 3]);
  });

  it('Kargo stages over a folder-per-environment repository with feature branches', async () => {
    const files = { ...L.folderPerEnvironment(), ...L.kargoStages('file') };
    const result = await discover(files, ['main', 'feature/prod-eu', 'release-1.0']);
    assert.equal(result.source, 'kargo');
    assert.deepEqual(result.environments.map((e) => e.path), ['env/dev', 'env/staging', 'env/prod']);
  });

  it('folders per environment in a repository whose only branches are work branches', async () => {
    const result = await discover(L.folderPerEnvironment(), ['main', ...L.NOT_ENVIRONMENT_BRANCHES]);
    assert.equal(result.source, 'folders');
    assert.equal(result.environments.length, L.LAYOUT1_ENVIRONMENTS.length);
  });

  it('folder layouts give the same environments whatever order the files are listed in (property over shuffles)', () => {
    let seed = 11;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const files of [L.folderPerEnvironment(), L.appEnvFolders(), L.envAppFolders(), L.helmValuesPerEnvironment(), { ...L.appEnvFolders(), ...L.folderPerEnvironment() }]) {
      const paths = Object.keys(files);
      const expected = discoverFolderEnvironments(paths);
      for (let round = 0; round < 20; round++) {
        assert.deepEqual(discoverFolderEnvironments([...paths].sort(() => random() - 0.5)), expected);
      }
    }
  });

  it('every generated layout gives each environment a source and where it was declared', async () => {
    const layouts: Array<[string, L.Files, string[]]> = [
      ['1', L.folderPerEnvironment(), ['main']],
      ['2', L.branchTreeFiles(), ['main', ...L.LAYOUT2_ENVIRONMENTS]],
      ['3', L.manyAppsWithApplicationSet(), ['main']],
      ['3 app/env', L.appEnvFolders(), ['main']],
      ['3 env/app', L.envAppFolders(), ['main']],
      ['3 helm', L.helmValuesPerEnvironment(), ['main']],
      ['4', L.kargoStages(), ['main']],
      ['5', L.fluxClusters(), ['main']],
    ];
    for (const [layout, files, branches] of layouts) {
      const result = await discover(files, branches);
      assert.ok(result.environments.length >= 2, `layout ${layout} finds environments`);
      for (const env of result.environments) {
        assert.ok(env.declaredAt?.file, `layout ${layout}: ${env.name} says where it was found`);
        assert.equal(env.source, result.source);
        assert.ok(environmentPaths(env).every((p) => !p.startsWith('/') && !p.endsWith('/') && !p.startsWith('./')), `layout ${layout}: clean paths`);
        if (env.paths) assert.equal(env.path, env.paths[0]);
      }
    }
  });
});
