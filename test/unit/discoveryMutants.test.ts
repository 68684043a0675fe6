// Rules of environment discovery that the layout tests leave open: which folders, branches, Argo CD
// Applications, Flux Kustomizations and Kargo Stages become environments, in which order, under
// which names and paths, and which problems (file and line) the rest produce. Exists to kill the
// StrykerJS mutation survivors of the `discovery` group (src/core/discovery.ts, discoveryLayer.ts,
// branchDiscovery.ts, folderDiscovery.ts, argoDiscovery.ts, fluxDiscovery.ts, kargoDiscovery.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { branchFromRevision, discoverArgoEnvironments } from '../../src/core/argoDiscovery';
import { discoverBranchEnvironments, environmentOfBranch } from '../../src/core/branchDiscovery';
import { discoverEnvironments, type DiscoveryResult } from '../../src/core/discovery';
import { orderDiscovered, type DiscoveredEnvironment } from '../../src/core/discoveryLayer';
import { discoverFluxEnvironments, mapArtifactPath } from '../../src/core/fluxDiscovery';
import { discoverFolderEnvironments, environmentFolderIndex } from '../../src/core/folderDiscovery';
import { discoverKargoEnvironments } from '../../src/core/kargoDiscovery';
import { parseManifests, type ParsedManifest } from '../../src/core/manifest';
import { environmentPaths, type BranchInfo, type LocatedProblem } from '../../src/core/model';
import type { RepoView } from '../../src/core/repoView';
import { MemoryRepoView, branch } from './helpers/memoryRepoView';
import { seededRandom as random } from '../support/seededRandom';

type Files = Record<string, string>;

function env(name: string, declaredAt?: DiscoveredEnvironment['declaredAt']): DiscoveredEnvironment {
  return { name, repo: null, branch: null, path: `envs/${name}`, cluster: { context: null, namespace: null }, protected: false, source: 'folders', ...(declaredAt ? { declaredAt } : {}) };
}

const at = (line: number): { start: { line: number; column: number }; end: { line: number; column: number } } => ({ start: { line, column: 1 }, end: { line: line + 1, column: 1 } });

async function discover(files: Files, branches: Array<string | BranchInfo> = ['main']): Promise<DiscoveryResult> {
  return discoverEnvironments(new MemoryRepoView(files, branches));
}

function names(result: { environments: ReadonlyArray<{ name: string }> }): string[] {
  return result.environments.map((e) => e.name);
}

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';

function argoApp(name: string, path: string, destination = '{ name: in-cluster, namespace: shop }', revision = 'main'): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
  source: { repoURL: https://github.com/acme/gitops.git, targetRevision: ${revision}, path: ${path} }
  destination: ${destination}
`;
}

function kargoStage(name: string, sources: string, steps = ''): string {
  return `apiVersion: kargo.akuity.io/v1alpha1
kind: Stage
metadata:
  name: ${name}
spec:
  requestedFreight:
    - origin: { kind: Warehouse, name: shop }
      sources: ${sources}
${steps}`;
}

function fluxKs(name: string, path: string, extra = '', sourceName = 'flux-system', sourceKind = 'GitRepository'): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  sourceRef:
    kind: ${sourceKind}
    name: ${sourceName}
  path: ${path}
${extra}`;
}

describe('orderDiscovered: ladder order, numbering, unique names', () => {
  it('sorts by ladder and numbers from 0, or keeps the layer order when asked', () => {
    const found = [env('prod'), env('dev'), env('staging')];
    const problems: LocatedProblem[] = [];
    assert.deepEqual(
      orderDiscovered(found, problems).map((e) => [e.name, e.order]),
      [
        ['dev', 0],
        ['staging', 1],
        ['prod', 2],
      ],
    );
    assert.deepEqual(
      orderDiscovered(found, problems, true).map((e) => [e.name, e.order]),
      [
        ['prod', 0],
        ['dev', 1],
        ['staging', 2],
      ],
    );
    assert.deepEqual(problems, []);
  });

  it('keeps the first of two names equal ignoring case and reports the other where it was declared, naming the first one\'s file and line', () => {
    const problems: LocatedProblem[] = [];
    const first = env('Prod', { file: 'a.yaml', range: at(7) });
    const second = { ...env('prod', { file: 'b.yaml', range: at(3) }), path: 'other/prod' };
    const out = orderDiscovered([first, second], problems);
    assert.deepEqual(
      out.map((e) => [e.name, e.path, e.order]),
      [['Prod', 'envs/Prod', 0]],
    );
    assert.deepEqual(problems, [
      {
        severity: 'warning',
        message: 'Environment "prod" was found twice (first found in a.yaml:7); this one is ignored',
        location: { file: 'b.yaml', range: at(3) },
        hint: 'declare the environments in gitops.yaml to choose exactly which ones exist',
      },
    ]);
  });

  it('names only the file when the first has no line, and nothing when it was declared nowhere', () => {
    const problems: LocatedProblem[] = [];
    orderDiscovered([env('dev', { file: 'envs/dev' }), env('dev'), env('qa'), env('QA', { file: 'x.yaml' })], problems);
    assert.deepEqual(
      problems.map((p) => [p.message, p.location]),
      [
        ['Environment "dev" was found twice (first found in envs/dev); this one is ignored', undefined],
        ['Environment "QA" was found twice; this one is ignored', { file: 'x.yaml' }],
      ],
    );
  });

  it('numbers every environment by its position, whatever the input order (property over rotations)', () => {
    const all = ['dev', 'int', 'qa', 'perf', 'staging', 'prod', 'zeta'];
    for (let r = 0; r < all.length; r++) {
      const rotated = [...all.slice(r), ...all.slice(0, r)].map((n) => env(n));
      const out = orderDiscovered(rotated, []);
      assert.deepEqual(
        out.map((e) => e.name),
        all,
      );
      assert.deepEqual(
        out.map((e) => e.order),
        all.map((_, i) => i),
      );
      assert.deepEqual(
        orderDiscovered(rotated, [], true).map((e) => e.name),
        rotated.map((e) => e.name),
      );
    }
  });
});

describe('discoverEnvironments: the root config', () => {
  it('reports a failing listing as an error with a hint and no source', async () => {
    const view = new MemoryRepoView();
    view.listFiles = () => Promise.reject(new Error('EACCES'));
    assert.deepEqual(await discoverEnvironments(view), {
      environments: [],
      source: null,
      configFile: null,
      problems: [{ severity: 'error', message: "Cannot list the repository's files: EACCES", hint: 'check that the folder is readable' }],
    });
  });

  it('warns at gitops.yml when both config files exist', async () => {
    const result = await discover({ 'gitops.yml': 'environments: [{ name: b }]\n', 'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments: [{ name: a }]\n' });
    assert.deepEqual(result.problems[0], {
      severity: 'warning',
      message: 'Both gitops.yaml and gitops.yml exist; gitops.yml is ignored',
      location: { file: 'gitops.yml' },
      hint: 'delete one of them',
    });
  });

  it('reports an unreadable config as an error at the file, and discovers nothing else', async () => {
    const view = new MemoryRepoView({ 'gitops.yaml': 'x', 'envs/dev/a.yaml': CM, 'envs/prod/a.yaml': CM }, ['dev', 'prod']);
    view.readFile = () => Promise.reject(new Error('EPERM'));
    assert.deepEqual(await discoverEnvironments(view), {
      environments: [],
      source: 'config',
      configFile: 'gitops.yaml',
      problems: [{ severity: 'error', message: 'Cannot read gitops.yaml: EPERM', location: { file: 'gitops.yaml' }, hint: 'check the file permissions' }],
    });
  });

  it('keeps a listed config that reads as nothing in charge, without environments', async () => {
    const view = new MemoryRepoView({ 'gitops.yml': 'x', 'envs/dev/a.yaml': CM, 'envs/prod/a.yaml': CM });
    view.readFile = async () => undefined;
    assert.deepEqual(await discoverEnvironments(view), { environments: [], source: 'config', configFile: 'gitops.yml', problems: [] });
  });
});

describe('discoverEnvironments: which files are read', () => {
  const APP = argoApp('shop-dev', 'envs/dev');

  async function reads(files: Files): Promise<string[]> {
    const view = new MemoryRepoView(files, ['main']);
    await discoverEnvironments(view);
    return [...view.reads].sort();
  }

  it('reads YAML files of any case, and no other file', async () => {
    assert.deepEqual(await reads({ 'a/app.yaml': APP, 'a/app.YML': APP, 'a/app.Yaml': APP, 'a/app.json': APP, 'a/app.yaml.txt': APP, 'a/yaml': APP, 'README.md': APP }), ['a/app.YML', 'a/app.Yaml', 'a/app.yaml']);
  });

  it('skips dotfiles, tool configs, Helm values and Flux\'s CRD bundle by name, in any case', async () => {
    const skipped = [
      '.app.yaml',
      'kustomization.yaml',
      'Kustomization.yml',
      'Chart.yaml',
      'chart.yml',
      'values.yaml',
      'values-prod.yaml',
      'values_dev.yml',
      'values.staging.yaml',
      'gotk-components.yaml',
      'docker-compose.yml',
      'docker-compose.override.yaml',
      'mkdocs.yml',
      'renovate.yaml',
      'codecov.yml',
    ];
    const kept = ['my-values.yaml', 'valuesprod.yaml', 'app-kustomization.yaml', 'charts.yaml', 'xmkdocs.yml', 'gotk-sync.yaml', 'compose.yaml', 'renovate-config.yaml'];
    const files: Files = {};
    for (const name of [...skipped, ...kept]) files[`cfg/${name}`] = APP;
    assert.deepEqual(await reads(files), kept.map((n) => `cfg/${n}`).sort());
  });

  it('skips every vendored and tooling folder at any depth, but not folders merely named like them', async () => {
    const folders = ['node_modules', 'vendor', '.git', '.github', '.gitlab', '.circleci', '.vscode', '.idea', 'dist', 'out', 'target', 'third_party', 'testdata'];
    const files: Files = { 'ok/app.yaml': APP, 'vendors/app.yaml': APP, 'outputs/app.yaml': APP, 'my-dist/app.yaml': APP };
    for (const folder of folders) {
      files[`${folder}/app.yaml`] = APP;
      files[`deep/${folder}/x/app.yaml`] = APP;
    }
    assert.deepEqual(await reads(files), ['my-dist/app.yaml', 'ok/app.yaml', 'outputs/app.yaml', 'vendors/app.yaml']);
  });

  it('skips templates/ and charts/ only directly inside a Helm chart', async () => {
    const files: Files = {
      'chart/Chart.yaml': 'name: c\n',
      'chart/templates/app.yaml': APP,
      'chart/charts/sub/app.yaml': APP,
      'chart/app.yaml': APP,
      'chart/other/templates/app.yaml': APP,
      'Chart.yml': 'name: root\n',
      'other/MyChart.yaml': 'name: no\n',
      'other/templates/app.yaml': APP,
      'templates/app.yaml': APP,
      'plain/templates/app.yaml': APP,
      'plain/charts/app.yaml': APP,
    };
    assert.deepEqual(await reads(files), ['chart/app.yaml', 'chart/other/templates/app.yaml', 'other/MyChart.yaml', 'other/templates/app.yaml', 'plain/charts/app.yaml', 'plain/templates/app.yaml']);
  });

  it('reads each candidate exactly once, whatever the number of files (more than the 16 read at once)', async () => {
    const files: Files = {};
    for (let i = 0; i < 40; i++) files[`apps/a${String(i).padStart(2, '0')}.yaml`] = CM;
    const view = new MemoryRepoView(files, ['main']);
    await discoverEnvironments(view);
    assert.deepEqual(view.reads, Object.keys(files).sort());
  });
});

describe('discoverEnvironments: which files are parsed as Argo CD, Flux or Kargo', () => {
  it('needs the API group and a matching kind line (a list item, quoted, with a comment)', async () => {
    const body = (kindLine: string, group = 'argoproj.io/v1alpha1'): string =>
      `apiVersion: ${group}\n${kindLine}\nmetadata:\n  name: shop-dev\nspec:\n  source: { repoURL: https://github.com/acme/gitops.git, path: envs/dev }\n  destination: { name: dev }\n`;
    const found = async (text: string): Promise<string | null> => (await discover({ 'argocd/app.yaml': text })).source;
    assert.equal(await found(body('kind: Application')), 'argocd');
    assert.equal(await found(body('kind: "Application"')), 'argocd');
    assert.equal(await found(body("kind: 'Application'  # the app")), 'argocd');
    // Items of a List: the kind line is indented, after a list dash or not.
    const list = (item: string): string => `apiVersion: v1\nkind: List\nitems:\n${item}`;
    const spec = '    metadata: { name: shop-dev }\n    spec: { source: { path: envs/dev }, destination: { name: dev } }\n';
    assert.equal(await found(list(`  - kind: Application\n    apiVersion: argoproj.io/v1alpha1\n${spec}`)), 'argocd');
    assert.equal(await found(list(`  -   kind: Application\n      apiVersion: argoproj.io/v1alpha1\n${spec.replace(/^ {4}/gm, '      ')}`)), 'argocd');
    assert.equal(await found(list(`  - apiVersion: argoproj.io/v1alpha1\n    kind: Application\n${spec}`)), 'argocd');
    assert.equal(await found(body('kind: Application # trailing')), 'argocd');
    assert.equal(await found(body('kind: Application trailing')), null);
    assert.equal(await found(body('kind: xApplication')), null);
    assert.equal(await found(body('kind: ApplicationSet').replace('metadata:', 'metadata:\n  labels: { a: b }')), null);
    assert.equal(await found(body('kind: ApplicationX')), null);
    assert.equal(await found(body('kind: AppProject')), null);
    assert.equal(await found(body('kind: Application', 'example.com/v1')), null);
  });

  it('parses Flux files with a Kustomization, GitRepository or ArtifactGenerator kind line', async () => {
    const ks = fluxKs('apps', './apps/dev');
    assert.equal((await discover({ 'clusters/dev/apps.yaml': ks })).source, 'flux');
    assert.equal((await discover({ 'clusters/dev/apps.yaml': `# fluxcd.io\n${ks.replace('kind: Kustomization', 'kind: Component')}` })).source, 'folders');
    // The Kustomization is only parsed because the same file has a GitRepository (or ArtifactGenerator) line.
    for (const kind of ['GitRepository', 'ArtifactGenerator']) {
      const text = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: ${kind}\nmetadata: { name: other }\nspec: { url: https://example.com/x }\n---\n${ks.replace('kind: Kustomization', 'kind: "Kustomization"')}`;
      assert.equal((await discover({ 'clusters/dev/apps.yaml': text })).source, 'flux', kind);
    }
  });

  it('parses a GitRepository or an ArtifactGenerator in a file of its own', async () => {
    const repo = await discover({
      'clusters/dev/apps.yaml': fluxKs('apps', './apps/dev', '', 'apps'),
      'clusters/dev/source.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\n  # comment\nkind: 'GitRepository'  # the source\nmetadata: { name: apps }\nspec: { url: https://example.com/x, ref: { branch: develop } }\n`,
    });
    assert.deepEqual(
      repo.environments.map((e) => [e.name, e.branch]),
      [['dev', 'develop']],
    );
    const generated = await discover({
      'clusters/dev/apps.yaml': fluxKs('apps', './dev', '', 'apps', 'ExternalArtifact'),
      'clusters/dev/generator.yaml': 'apiVersion: source.extensions.fluxcd.io/v1beta1\nkind: ArtifactGenerator\nmetadata: { name: g }\nspec:\n  sources: [{ alias: mono, kind: GitRepository, name: flux-system }]\n  artifacts: [{ name: apps, copy: [{ from: "@mono/deploy/**", to: "@artifact/" }] }]\n',
    });
    assert.deepEqual(
      generated.environments.map((e) => [e.name, e.path]),
      [['dev', 'deploy/dev']],
    );
    assert.deepEqual(generated.problems, []);
  });

  it('parses a ClusterPromotionTask in a file of its own', async () => {
    const stage = kargoStage('dev', '{ direct: true }', '  promotionTemplate:\n    spec:\n      steps:\n        - task: { name: t, kind: ClusterPromotionTask }\n');
    const task = 'apiVersion: kargo.akuity.io/v1alpha1\nkind: ClusterPromotionTask\nmetadata: { name: t }\nspec:\n  steps:\n    - uses: kustomize-set-image\n      config: { path: "./src/env/${{ ctx.stage }}" }\n';
    const result = await discover({ 'kargo/stage.yaml': stage, 'kargo/task.yaml': task });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path]),
      [['dev', 'env/dev']],
    );
    assert.deepEqual(result.problems, []);
  });

  it('does not parse YAML that is none of these, so its errors are not reported', async () => {
    const result = await discover({ 'config/broken.yaml': 'a: [\n', 'config/app.yaml': 'kind: Application\nmetadata: [\n', 'envs/dev/a.yaml': CM, 'envs/prod/a.yaml': CM });
    assert.equal(result.source, 'folders');
    assert.deepEqual(result.problems, []);
  });

  it('parses Kargo files with a Stage, PromotionTask or ClusterPromotionTask kind line', async () => {
    const stages = `${kargoStage('dev', '{ direct: true }')}---\n${kargoStage('prod', '{ stages: [dev] }')}`;
    assert.deepEqual(names(await discover({ 'kargo/stages.yaml': stages })), ['dev', 'prod']);
    assert.equal((await discover({ 'kargo/stages.yaml': stages.replace(/kargo\.akuity\.io/g, 'example.com') })).source, null);
    for (const kind of ['PromotionTask', 'ClusterPromotionTask']) {
      const text = `${stages.replace(/kind: Stage/g, 'kind: "Stage" ')}---\napiVersion: kargo.akuity.io/v1alpha1\n- kind: ${kind}\n`;
      const result = await discover({ 'kargo/stages.yaml': text.replace(`- kind: ${kind}`, `kind: ${kind}\nmetadata: { name: t }`) });
      assert.deepEqual(names(result), ['dev', 'prod'], kind);
    }
  });

  it('turns a manifest\'s parse errors into warnings and goes on', async () => {
    const result = await discover({ 'argocd/bad.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: [\n', 'envs/dev/a.yaml': CM, 'envs/prod/a.yaml': CM });
    assert.equal(result.source, 'folders');
    assert.ok(result.problems.length > 0);
    assert.ok(result.problems.every((p) => p.severity === 'warning' && p.location?.file === 'argocd/bad.yaml'));
  });

  it('takes manifests in path order then document order, whatever order the reads finish in', async () => {
    // Two Applications named dev: the one in the first file (and the first document) wins.
    const files: Files = {
      'argocd/a.yaml': `${argoApp('dev', 'envs/one')}---\n${argoApp('dev', 'envs/two')}`,
      'argocd/b.yaml': argoApp('dev', 'envs/three'),
      'argocd/c.yaml': argoApp('prod', 'envs/prod'),
    };
    const base = new MemoryRepoView(files, ['main']);
    // Reads finish in reverse order of the requests.
    const pending: Array<() => void> = [];
    const view: RepoView = {
      listFiles: () => base.listFiles(),
      branches: () => base.branches(),
      readFile: (path) =>
        new Promise((resolve) => {
          pending.push(() => void base.readFile(path).then(resolve));
          if (pending.length === 3) for (const release of pending.reverse()) release();
        }),
    };
    const result = await discoverEnvironments(view);
    // Applications sharing a name are one environment made of their folders, in manifest order.
    assert.deepEqual(
      result.environments.map((e) => [e.name, environmentPaths(e), e.declaredAt?.file, e.declaredAt?.range?.start.line]),
      [
        ['dev', ['envs/one', 'envs/two', 'envs/three'], 'argocd/a.yaml', 1],
        ['prod', ['envs/prod'], 'argocd/c.yaml', 1],
      ],
    );
  });
});

describe('discoverEnvironments: layers', () => {
  it('goes on to the next layer when one throws, with a warning naming it', async () => {
    const view = new MemoryRepoView({ 'envs/dev/a.yaml': CM, 'envs/qa/a.yaml': CM }, ['dev', 'qa']);
    const result = await discoverEnvironments(view, {
      folderOnBranch: () => {
        throw new Error('no tree');
      },
    });
    assert.equal(result.source, 'folders');
    assert.deepEqual(names(result), ['dev', 'qa']);
    assert.deepEqual(result.problems, [{ severity: 'warning', message: 'Discovery from branches failed: no tree', hint: 'declare the environments in gitops.yaml' }]);
  });

  it('warns once about a failing branch listing, even when two layers ask for branches', async () => {
    const view = new MemoryRepoView({ 'clusters/dev/apps.yaml': fluxKs('apps', './clusters/dev') });
    let calls = 0;
    view.branches = () => {
      calls++;
      return Promise.reject(new Error('no git'));
    };
    const result = await discoverEnvironments(view);
    assert.equal(result.source, 'flux');
    assert.equal(result.environments[0].branch, 'main');
    assert.equal(calls, 1);
    assert.deepEqual(result.problems, [{ severity: 'warning', message: 'Cannot list branches: no git', hint: 'branch environments are not discovered' }]);
  });

  it('keeps an earlier layer\'s problems when a later one finds the environments', async () => {
    const result = await discover({ 'argocd/bad.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: nospec }\n', 'envs/dev/a.yaml': CM, 'envs/prod/a.yaml': CM });
    assert.equal(result.source, 'folders');
    assert.deepEqual(
      result.problems.map((p) => p.message),
      ['Application "nospec" has no spec'],
    );
  });

  it('keeps Kargo\'s freight order even against the ladder', async () => {
    const result = await discover({ 'kargo/stages.yaml': `${kargoStage('prod', '{ direct: true }')}---\n${kargoStage('dev', '{ stages: [prod] }')}` });
    assert.equal(result.source, 'kargo');
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.order]),
      [
        ['prod', 0],
        ['dev', 1],
      ],
    );
  });

  it('gives a Kargo stage the cluster of the Argo CD environment named like it, ignoring case, and leaves Argo CD\'s problems to Argo CD', async () => {
    const result = await discover({
      'kargo/stages.yaml': `${kargoStage('Dev', '{ direct: true }')}---\n${kargoStage('qa', '{ stages: [Dev] }')}---\n${kargoStage('prod', '{ stages: [qa] }')}`,
      'argocd/dev.yaml': argoApp('dev', 'env/dev', '{ name: dev-cluster, namespace: shop-dev }'),
      'argocd/prod.yaml': argoApp('prod', 'env/prod', '{ server: https://prod.example.com }'),
      'argocd/broken.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: nospec }\n',
    });
    assert.equal(result.source, 'kargo');
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.cluster]),
      [
        ['Dev', { context: 'dev-cluster', namespace: 'shop-dev' }],
        ['qa', { context: null, namespace: null }],
        ['prod', { context: null, namespace: null }],
      ],
    );
    assert.deepEqual(result.problems, []);
  });

  it('reads no Argo CD for Kargo when the repository has no Argo CD manifest', async () => {
    const result = await discover({ 'kargo/stages.yaml': kargoStage('dev', '{ direct: true }') });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.source, e.cluster.context]),
      [['dev', 'kargo', null]],
    );
  });
});

describe('environmentOfBranch: every listed word', () => {
  it('takes any safe single name below each environment prefix, in any case', () => {
    for (const prefix of ['env/', 'envs/', 'environment/', 'environments/', 'ENV/', 'Environments/']) {
      assert.equal(environmentOfBranch(`${prefix}demo`), 'demo', prefix);
      assert.equal(environmentOfBranch(`${prefix}prod-eu`), 'prod-eu', prefix);
      assert.equal(environmentOfBranch(`${prefix}a/b`), null, prefix);
      assert.equal(environmentOfBranch(`${prefix}-x`), null, prefix);
      assert.equal(environmentOfBranch(prefix), null, prefix);
    }
  });

  it('takes only ladder names below stage/ and deploy/', () => {
    for (const prefix of ['stage/', 'deploy/', 'Deploy/']) {
      assert.equal(environmentOfBranch(`${prefix}qa`), 'qa', prefix);
      assert.equal(environmentOfBranch(`${prefix}demo`), null, prefix);
      assert.equal(environmentOfBranch(`${prefix}prod/eu`), null, prefix);
    }
    assert.equal(environmentOfBranch('stages/prod'), null);
    assert.equal(environmentOfBranch('deployment/prod'), null);
  });

  it('never takes main, master, trunk, head, gh-pages, hotfix, release, tenant or tenants', () => {
    for (const name of ['main', 'master', 'trunk', 'head', 'gh-pages', 'hotfix', 'release', 'tenant', 'tenants', 'Main', 'HEAD']) assert.equal(environmentOfBranch(name), null, name);
  });

  it('refuses a tier followed by any work word', () => {
    const work = ['fix', 'fixes', 'hotfix', 'bugfix', 'bug', 'feature', 'feat', 'patch', 'update', 'upgrade', 'bump', 'wip', 'tmp', 'temp', 'backup', 'bak', 'old', 'copy', 'revert', 'merge', 'refactor', 'cleanup', 'release', 'rollback', 'hack', 'poc', 'draft', 'try', 'experiment', 'test', 'tests', 'tenant', 'renovate', 'dependabot', 'deps', 'chore', 'docs', 'ci', 'to', 'from'];
    for (const word of work) {
      assert.equal(environmentOfBranch(`prod-${word}`), null, word);
      assert.equal(environmentOfBranch(`staging-eu-${word}`), null, word);
    }
  });

  it('takes a tier with one variant word, and not with two', () => {
    const variants = ['small', 'medium', 'large', 'xlarge', 'xl', 'big', 'mini', 'canary', 'blue', 'green', 'primary', 'secondary', 'dr', 'edge', 'internal', 'external', 'public', 'private', 'gov', 'shared', 'lite', 'full', 'ha'];
    for (const word of variants) {
      assert.equal(environmentOfBranch(`perf-${word}`), `perf-${word}`, word);
      assert.equal(environmentOfBranch(`perf_${word}`), `perf_${word}`, word);
    }
    assert.equal(environmentOfBranch('perf-canary-blue'), null);
    assert.equal(environmentOfBranch('perf-eu-canary'), null);
    assert.equal(environmentOfBranch('perf-acme'), null);
  });

  it('takes a tier with up to three region words, and not four', () => {
    const regions = ['eu', 'us', 'a', 'eu1', '1', '42', 'asia', 'apac', 'emea', 'latam', 'amer', 'east', 'west', 'north', 'south', 'central', 'europe', 'africa', 'global', 'region12'];
    for (const word of regions) assert.equal(environmentOfBranch(`prod-${word}`), `prod-${word}`, word);
    for (const word of ['abc', 'eastern', 'asia1x', 'e1u', 'westerly']) assert.equal(environmentOfBranch(`prod-${word}`), null, word);
    assert.equal(environmentOfBranch('prod-eu-west-1'), 'prod-eu-west-1');
    assert.equal(environmentOfBranch('prod-eu-west-1-a'), null);
    assert.equal(environmentOfBranch('prod-eu-west-1-a-b'), null);
  });

  it('wants the ladder word first, alone or written in two, and no second ladder word', () => {
    assert.equal(environmentOfBranch('eu-prod'), null);
    assert.equal(environmentOfBranch('pre-prod'), 'pre-prod');
    assert.equal(environmentOfBranch('Pre_Prod_EU'), 'Pre_Prod_EU');
    assert.equal(environmentOfBranch('load-test'), null);
    assert.equal(environmentOfBranch('dev-qa'), null);
    assert.equal(environmentOfBranch('dev-prod-eu'), null);
    assert.equal(environmentOfBranch('qa2-eu'), 'qa2-eu');
    assert.equal(environmentOfBranch('qa2x'), null);
    assert.equal(environmentOfBranch('2dev'), null);
    assert.equal(environmentOfBranch('dev.eu'), null);
    assert.equal(environmentOfBranch('dev--eu'), null);
    assert.equal(environmentOfBranch('dev-'), null);
    assert.equal(environmentOfBranch('prod/eu'), null);
    assert.equal(environmentOfBranch(`prod-${'e'.repeat(2)}${'1'.repeat(70)}`), null);
  });
});

describe('discoverBranchEnvironments', () => {
  const b = (names: string[]): BranchInfo[] => names.map((n) => branch(n));

  it('keeps a tier with an unknown word only when another tier shares the word', async () => {
    const result = await discoverBranchEnvironments({ branches: b(['staging-acme', 'prod-acme', 'staging-globex', 'staging_globex', 'dev-login', 'qa-x1y', 'env/qa-acme', 'stage-acme', 'qa-acme-x1y', 'int-acme-fix']) });
    assert.deepEqual(names(result).sort(), ['prod-acme', 'qa-acme', 'stage-acme', 'staging-acme']);
  });

  it('merges a local branch and its remote twins into one environment', async () => {
    const result = await discoverBranchEnvironments({ branches: b(['upstream/dev', 'origin/dev', 'dev', 'upstream/qa', 'origin/qa']) });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.branch]),
      [
        ['qa', 'qa'],
        ['dev', 'dev'],
      ],
    );
  });

  it('lists shorter branch names first, then by name, so the bare or capitalised twin wins', async () => {
    const result = await discoverBranchEnvironments({ branches: b(['environments/prod', 'env/prod', 'staging', 'Staging', 'prod', 'env/dev', 'dev']) });
    assert.deepEqual(
      result.environments.map((e) => e.branch),
      ['dev', 'prod', 'Staging', 'env/dev', 'staging', 'env/prod', 'environments/prod'],
    );
    const problems: LocatedProblem[] = [];
    assert.deepEqual(
      orderDiscovered(result.environments, problems).map((e) => e.branch),
      ['dev', 'Staging', 'prod'],
    );
    assert.equal(problems.length, 4);
  });

  it('pairs each environment branch with its folder, protects production, and says where it was declared', async () => {
    const files = ['envs/dev/kustomization.yaml', 'envs/prod-eu/kustomization.yaml', 'envs/demo/a.yaml'];
    const result = await discoverBranchEnvironments({ branches: b(['dev', 'Prod-EU', 'demo', 'qa', 'main']), files });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.branch, e.path, e.protected, e.source, e.declaredAt, e.repo, e.cluster]),
      [
        ['qa', 'qa', null, false, 'branches', undefined, null, { context: null, namespace: null }],
        ['dev', 'dev', 'envs/dev', false, 'branches', { file: 'envs/dev' }, null, { context: null, namespace: null }],
        ['demo', 'demo', 'envs/demo', false, 'branches', { file: 'envs/demo' }, null, { context: null, namespace: null }],
        ['Prod-EU', 'Prod-EU', 'envs/prod-eu', true, 'branches', { file: 'envs/prod-eu' }, null, { context: null, namespace: null }],
      ],
    );
    assert.deepEqual(result.problems, []);
  });

  it('never pairs main, a nested or an unsafe branch name with a folder of that name', async () => {
    const files = ['envs/main/a.yaml', 'envs/master/a.yaml', 'envs/x/a.yaml', 'envs/.hidden/a.yaml', 'envs/dev/a.yaml'];
    const result = await discoverBranchEnvironments({ branches: b(['main', 'master', 'feature/x', 'x/dev', '.hidden', 'x']), files });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path]),
      [['x', 'envs/x']],
    );
  });

  it('checks each folder on its own branch: missing means the whole branch (warned) or no environment', async () => {
    const files = ['envs/dev/a.yaml', 'envs/prod/a.yaml', 'envs/demo/a.yaml', 'envs/qa/a.yaml'];
    const asked: string[] = [];
    const result = await discoverBranchEnvironments({
      branches: b(['dev', 'prod', 'demo', 'qa']),
      files,
      folderOnBranch: async (br, folder) => {
        asked.push(`${br}:${folder}`);
        if (br === 'qa') throw new Error('cannot tell');
        return br === 'dev';
      },
    });
    assert.deepEqual(asked.sort(), ['demo:envs/demo', 'dev:envs/dev', 'prod:envs/prod', 'qa:envs/qa']);
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.declaredAt]),
      [
        ['qa', 'envs/qa', { file: 'envs/qa' }],
        ['dev', 'envs/dev', { file: 'envs/dev' }],
        ['prod', null, undefined],
      ],
    );
    assert.deepEqual(result.problems, [
      {
        severity: 'warning',
        message: 'Branch prod has no envs/prod/ folder, unlike the working tree; environment "prod" uses the whole branch',
        location: { file: 'envs/prod' },
        hint: 'add envs/prod/ to branch prod, or declare the environment\'s folder in gitops.yaml',
      },
    ]);
  });

  it('asks about no folder when the branch has none in the working tree', async () => {
    let asked = 0;
    const result = await discoverBranchEnvironments({
      branches: b(['dev', 'prod']),
      folderOnBranch: async () => {
        asked++;
        return false;
      },
    });
    assert.equal(asked, 0);
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path]),
      [
        ['dev', null],
        ['prod', null],
      ],
    );
  });
});

describe('folder discovery: containers', () => {
  const envsOf = (paths: string[]): Array<[string, string | null]> => discoverFolderEnvironments(paths).environments.map((e) => [e.name, e.path]);

  it('takes a container named like an environment container, in any case, with one ladder name, keeping its unknown names', () => {
    for (const container of ['envs', 'environments', 'overlays', 'clusters', 'deploy', 'k8s', 'Envs', 'app/overlays', 'app/K8S']) {
      assert.deepEqual(
        envsOf([`${container}/prod/a.yaml`, `${container}/demo/a.yaml`]),
        [
          ['prod', `${container}/prod`],
          ['demo', `${container}/demo`],
        ],
        container,
      );
    }
  });

  it('wants two ladder names from a container named otherwise, or deeper than two levels, and drops its unknown names', () => {
    for (const container of ['stuff', 'a/b/envs', 'a/b/c/overlays', 'overlay', 'environment']) {
      assert.deepEqual(envsOf([`${container}/prod/a.yaml`, `${container}/demo/a.yaml`]), [], container);
      assert.deepEqual(
        envsOf([`${container}/prod/a.yaml`, `${container}/demo/a.yaml`, `${container}/dev/a.yaml`]),
        [
          ['dev', `${container}/dev`],
          ['prod', `${container}/prod`],
        ],
        container,
      );
    }
    assert.deepEqual(
      envsOf(['dev/a.yaml', 'prod/a.yaml']),
      [
        ['dev', 'dev'],
        ['prod', 'prod'],
      ],
    );
    assert.deepEqual(envsOf(['prod/a.yaml', 'demo/a.yaml']), []);
  });

  it('looks five levels deep for a container, not six', () => {
    assert.deepEqual(
      envsOf(['a/b/c/d/e/dev/x.yaml', 'a/b/c/d/e/prod/x.yaml']),
      [
        ['dev', 'a/b/c/d/e/dev'],
        ['prod', 'a/b/c/d/e/prod'],
      ],
    );
    assert.deepEqual(envsOf(['a/b/c/d/e/f/dev/x.yaml', 'a/b/c/d/e/f/prod/x.yaml']), []);
  });

  it('counts YAML, JSON and extension-less Kustomization files as manifests, nothing else', () => {
    for (const file of ['a.yaml', 'a.yml', 'a.YAML', 'a.json', 'Kustomization', 'kustomization.yml']) {
      assert.deepEqual(
        envsOf([`envs/dev/${file}`, `envs/prod/${file}`]).map(([n]) => n),
        ['dev', 'prod'],
        file,
      );
    }
    for (const file of ['README.md', 'kustomization', 'a.yaml.bak', 'Kustomization.txt']) assert.deepEqual(envsOf([`envs/dev/${file}`, `envs/prod/${file}`]), [], file);
  });

  it('never takes building blocks, hidden or tooling folders as environments', () => {
    const notEnvironments = ['base', 'bases', 'common', 'shared', 'components', 'templates', 'flux-system', 'charts', 'crds', 'Base', '.tmp', '_old', 'docs', 'test', 'tests', 'node_modules', 'src', 'scripts', 'hack', 'examples', 'vendor', 'dist', 'out', 'target', 'third_party', 'testdata', 'doc'];
    const paths = ['envs/dev/a.yaml', ...notEnvironments.map((n) => `envs/${n}/a.yaml`)];
    assert.deepEqual(envsOf(paths), [['dev', 'envs/dev']]);
  });

  it('never looks inside tooling or hidden folders', () => {
    for (const skipped of ['docs', 'doc', 'test', 'tests', 'testdata', 'examples', 'scripts', 'hack', 'src', 'third_party', 'dist', 'out', 'target', 'node_modules', 'vendor', '.git', '.github', '.gitlab', '.config', 'Docs']) {
      assert.deepEqual(envsOf([`${skipped}/envs/dev/a.yaml`, `${skipped}/envs/prod/a.yaml`, `${skipped}/dev/a.yaml`, `${skipped}/prod/a.yaml`]), [], skipped);
    }
  });

  it('takes no environment from a building-block folder, but looks below it', () => {
    for (const block of ['variants', 'components', 'base', 'bases', 'templates', 'charts', 'crds', 'patches', 'Variants']) {
      assert.deepEqual(envsOf([`${block}/dev/a.yaml`, `${block}/prod/a.yaml`, `x/${block}/dev/a.yaml`, `x/${block}/prod/a.yaml`]), [], block);
    }
    assert.deepEqual(
      envsOf(['variants/eu/dev/a.yaml', 'variants/eu/prod/a.yaml']),
      [
        ['dev', 'variants/eu/dev'],
        ['prod', 'variants/eu/prod'],
      ],
    );
  });

  it('says an environment was declared by the kustomization directly in its folder, else by the folder', () => {
    const result = discoverFolderEnvironments(['envs/dev/a.yaml', 'envs/dev/kustomization.yaml', 'envs/qa/kustomization.yml', 'envs/qa/b.yaml', 'envs/perf/Kustomization', 'envs/prod/sub/kustomization.yaml', 'envs/prod/z.yaml']);
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.declaredAt]),
      [
        ['dev', 'envs/dev', { file: 'envs/dev/kustomization.yaml' }],
        ['qa', 'envs/qa', { file: 'envs/qa/kustomization.yml' }],
        ['perf', 'envs/perf', { file: 'envs/perf/Kustomization' }],
        ['prod', 'envs/prod', { file: 'envs/prod' }],
      ],
    );
    for (const e of result.environments) {
      assert.deepEqual([e.repo, e.branch, e.cluster, e.source, e.protected, 'paths' in e], [null, null, { context: null, namespace: null }, 'folders', e.name === 'prod', false]);
    }
  });
});

describe('folder discovery: choosing among containers', () => {
  it('prefers more ladder names, then a named container, then the shallower, then the first by path, and reports the others', () => {
    const pick = (paths: string[]): [string[], string[]] => {
      const result = discoverFolderEnvironments(paths);
      return [result.environments.map((e) => e.path ?? ''), result.problems.map((p) => p.message)];
    };
    const warn = (used: string, ignored: string): string => `Environment folders found in several places; using ${used} and ignoring ${ignored}`;
    assert.deepEqual(pick(['a/x/dev/a.yaml', 'a/x/prod/a.yaml', 'b/y/dev/a.yaml', 'b/y/qa/a.yaml', 'b/y/prod/a.yaml']), [['b/y/dev', 'b/y/qa', 'b/y/prod'], [warn('b/y/', 'a/x/')]]);
    assert.deepEqual(pick(['stuff/dev/a.yaml', 'stuff/prod/a.yaml', 'a/envs/dev/a.yaml', 'a/envs/prod/a.yaml']), [['a/envs/dev', 'a/envs/prod'], [warn('a/envs/', 'stuff/')]]);
    assert.deepEqual(pick(['b/c/dev/a.yaml', 'b/c/prod/a.yaml', 'z/dev/a.yaml', 'z/prod/a.yaml']), [['z/dev', 'z/prod'], [warn('z/', 'b/c/')]]);
    assert.deepEqual(pick(['b/y/dev/a.yaml', 'b/y/prod/a.yaml', 'a/x/dev/a.yaml', 'a/x/prod/a.yaml']), [['a/x/dev', 'a/x/prod'], [warn('a/x/', 'b/y/')]]);
  });

  it('lists three ignored containers at most, then an ellipsis, with a hint', () => {
    const paths = ['deploy/dev/a.yaml', 'deploy/qa/a.yaml', 'deploy/staging/a.yaml', 'deploy/prod/a.yaml'];
    const three = [...paths, 'r1/a/dev/a.yaml', 'r1/a/prod/a.yaml', 'r2/b/dev/a.yaml', 'r2/b/prod/a.yaml', 'r3/c/dev/a.yaml', 'r3/c/prod/a.yaml'];
    assert.deepEqual(discoverFolderEnvironments(three).problems, [
      {
        severity: 'warning',
        message: 'Environment folders found in several places; using deploy/ and ignoring r1/a/, r2/b/, r3/c/',
        hint: 'declare the environments in gitops.yaml to choose the folders',
      },
    ]);
    const four = [...three, 'r0/d/dev/a.yaml', 'r0/d/prod/a.yaml'];
    assert.deepEqual(
      discoverFolderEnvironments(four).problems.map((p) => p.message),
      ['Environment folders found in several places; using deploy/ and ignoring r0/d/, r1/a/, r2/b/…'],
    );
  });

  it('does not report containers inside the chosen one, nor anything under a chosen root', () => {
    assert.deepEqual(discoverFolderEnvironments(['dev/web/overlays/dev/a.yaml', 'dev/web/overlays/prod/a.yaml', 'dev/a.yaml', 'prod/a.yaml', 'qa/a.yaml']).problems, []);
    const nested = discoverFolderEnvironments(['envs/dev/a.yaml', 'envs/qa/a.yaml', 'envs/prod/a.yaml', 'envs/prod/x/dev/a.yaml', 'envs/prod/x/qa/a.yaml']);
    assert.deepEqual(nested.problems, []);
    assert.deepEqual(
      nested.environments.map((e) => e.path),
      ['envs/dev', 'envs/qa', 'envs/prod'],
    );
  });

  it('joins sibling applications one segment apart that share a ladder name; reports the others', () => {
    const result = discoverFolderEnvironments([
      'apps/web/overlays/dev/a.yaml',
      'apps/web/overlays/prod/kustomization.yaml',
      'apps/api/overlays/dev/kustomization.yaml',
      'apps/api/overlays/prod/a.yaml',
      'apps/api/overlays/demo/a.yaml',
      'apps/web/overlays/demo/a.yaml',
      'apps/web/overlays/preview/a.yaml',
      'apps/job/overlays/qa/a.yaml',
      'apps/job/overlays/perf/a.yaml',
      'other/web/overlays/dev/a.yaml',
      'other/web/overlays/prod/a.yaml',
    ]);
    assert.deepEqual(
      result.environments.map((e) => [e.name, environmentPaths(e), e.declaredAt?.file]),
      [
        ['dev', ['apps/api/overlays/dev', 'apps/web/overlays/dev'], 'apps/api/overlays/dev/kustomization.yaml'],
        ['prod', ['apps/api/overlays/prod', 'apps/web/overlays/prod'], 'apps/web/overlays/prod/kustomization.yaml'],
        ['demo', ['apps/api/overlays/demo', 'apps/web/overlays/demo'], 'apps/api/overlays/demo'],
      ],
    );
    assert.deepEqual(
      result.problems.map((p) => p.message),
      ['Environment folders found in several places; using apps/api/overlays/, apps/web/overlays/ and ignoring apps/job/overlays/, other/web/overlays/'],
    );
  });

  it('makes an environment folder without manifests of its own of its application subfolders, building blocks left out', () => {
    const result = discoverFolderEnvironments(['dev/web/a.yaml', 'dev/api/deploy/a.yaml', 'dev/base/a.yaml', 'prod/web/a.yaml', 'prod/base/a.yaml', 'qa/base/a.yaml']);
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.paths ?? null, e.declaredAt]),
      [
        ['dev', 'dev/api', ['dev/api', 'dev/web'], { file: 'dev/api' }],
        ['qa', 'qa', null, { file: 'qa' }],
        ['prod', 'prod/web', null, { file: 'prod/web' }],
      ],
    );
  });

  it('reports a kept folder whose name is unsafe, at its path, with a hint', () => {
    assert.deepEqual(discoverFolderEnvironments(['k8s/envs/dev/a.yaml', 'k8s/envs/qa eu/a.yaml', 'k8s/envs/x y/a.yaml']).problems, [
      {
        severity: 'warning',
        message: 'Folder k8s/envs/qa eu is not used as an environment: its name has characters other than letters, digits, ".", "_" and "-"',
        hint: 'rename the folder, or declare it in gitops.yaml under another name',
      },
      {
        severity: 'warning',
        message: 'Folder k8s/envs/x y is not used as an environment: its name has characters other than letters, digits, ".", "_" and "-"',
        hint: 'rename the folder, or declare it in gitops.yaml under another name',
      },
    ]);
  });
});

describe('environmentFolderIndex', () => {
  it('indexes folders of named containers at depth one or two, shallowest then first by path, by lower-case name', () => {
    assert.deepEqual(
      [...environmentFolderIndex(['k8s/envs/dev/a.yaml', 'envs/dev/a.yaml', 'b/overlays/qa/a.yaml', 'a/overlays/qa/a.yaml', 'envs/Prod/a.yaml', 'envs/bad name/a.yaml', 'x/y/envs/perf/a.yaml', 'stuff/int/a.yaml', 'stuff/uat/a.yaml'])].sort(),
      [
        ['dev', 'envs/dev'],
        ['envs', 'k8s/envs'],
        ['prod', 'envs/Prod'],
        ['qa', 'a/overlays/qa'],
      ],
    );
  });
});

describe('folder discovery: Helm values files per environment', () => {
  it('reads every spelling of a values file, in any case, and wants two environments', () => {
    const result = discoverFolderEnvironments(['web/values-dev.yaml', 'web/Values_QA.yml', 'api/values.staging.yaml', 'api/prod-values.yaml', 'job/perf_values.yml', 'job/int.values.yaml', 'job/values-demo.yaml', 'job/values-.yaml', 'job/valuesprod.yaml']);
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.declaredAt?.file]),
      [
        ['dev', 'web', 'web/values-dev.yaml'],
        ['int', 'job', 'job/int.values.yaml'],
        ['QA', 'web', 'web/Values_QA.yml'],
        ['perf', 'job', 'job/perf_values.yml'],
        ['staging', 'api', 'api/values.staging.yaml'],
        ['prod', 'api', 'api/prod-values.yaml'],
      ],
    );
    assert.deepEqual(discoverFolderEnvironments(['web/values-dev.yaml', 'api/values-dev.yaml', 'api/values-demo.yaml']).environments, []);
  });

  it('makes each environment of its applications\' folders in path order, declared by the first file by path, the root left out', () => {
    const result = discoverFolderEnvironments(['web/values-prod.yaml', 'api/values-prod.yaml', 'values-prod.yaml', 'values-dev.yaml', 'docs/values-qa.yaml', '.x/values-qa.yaml', 'a/test/values-qa.yaml', 'web/values-dev.yaml']);
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.paths ?? null, e.declaredAt, e.protected, e.source, e.repo, e.branch]),
      [
        ['dev', 'web', null, { file: 'values-dev.yaml' }, false, 'folders', null, null],
        ['prod', 'api', ['api', 'web'], { file: 'api/values-prod.yaml' }, true, 'folders', null, null],
      ],
    );
    assert.deepEqual(
      discoverFolderEnvironments(['values-prod.yaml', 'values-dev.yaml']).environments.map((e) => [e.name, e.path, e.paths]),
      [
        ['dev', null, undefined],
        ['prod', null, undefined],
      ],
    );
  });

  it('uses values files only when no folder container exists', () => {
    assert.deepEqual(
      discoverFolderEnvironments(['envs/dev/a.yaml', 'envs/demo/a.yaml', 'web/values-qa.yaml', 'web/values-prod.yaml']).environments.map((e) => e.name),
      ['dev', 'demo'],
    );
  });
});

function parsed(files: Files): ParsedManifest[] {
  return Object.entries(files).flatMap(([file, text]) => parseManifests(text, file).manifests);
}

function stageWith(name: string, sources: string, steps: string, vars = ''): string {
  return kargoStage(
    name,
    sources,
    `  promotionTemplate:
    spec:
${vars}      steps:
${steps}`,
  );
}

describe('Kargo discovery: order', () => {
  it('orders stages by their longest freight path, then by ladder, and ignores non-string and unknown sources', () => {
    const result = discoverKargoEnvironments(
      parsed({
        'kargo/a.yaml': [
          kargoStage('prod', '{ stages: [uat, qa] }'),
          kargoStage('uat', '{ stages: [qa] }'),
          kargoStage('qa', '{ stages: [dev, 7, { name: x }] }'),
          kargoStage('dev', '{ direct: true }'),
          kargoStage('test', '{ direct: "true" }'),
          kargoStage('int', '{ direct: true }'),
        ].join('---\n'),
      }),
    );
    assert.deepEqual(names(result), ['dev', 'int', 'test', 'qa', 'uat', 'prod']);
    assert.equal(result.ordered, true);
    assert.deepEqual(result.problems, []);
  });

  it('takes freight from every requested origin', () => {
    const stage = `apiVersion: kargo.akuity.io/v1alpha1
kind: Stage
metadata:
  name: prod
spec:
  requestedFreight:
    - origin: { kind: Warehouse, name: app }
      sources: { stages: [qa] }
    - origin: { kind: Warehouse, name: config }
      sources: { stages: [staging] }
`;
    const result = discoverKargoEnvironments(parsed({ 'k.yaml': [kargoStage('staging', '{ direct: true }'), kargoStage('qa', '{ stages: [staging] }'), stage, kargoStage('dev', '{ direct: true }')].join('---\n') }));
    assert.deepEqual(names(result), ['dev', 'staging', 'qa', 'prod']);
  });

  it('a stage fed both directly and from an upstream stage comes after that stage', () => {
    const result = discoverKargoEnvironments(parsed({ 'k.yaml': [kargoStage('prod', '{ direct: true, stages: [uat] }'), kargoStage('uat', '{ direct: true }')].join('---\n') }));
    assert.deepEqual(names(result), ['uat', 'prod']);
  });

  it('survives a freight cycle, and reports freight from a stage not in the repository at requestedFreight', () => {
    const result = discoverKargoEnvironments(parsed({ 'kargo/cycle.yaml': [kargoStage('b', '{ stages: [a] }'), kargoStage('a', '{ stages: [b, ghost] }'), kargoStage('c', '{ stages: [a] }')].join('---\n') }));
    // a is one step from b (the cycle stops there), b and c one step from a.
    assert.deepEqual(names(result), ['a', 'b', 'c']);
    assert.deepEqual(result.problems, [
      {
        severity: 'warning',
        message: 'Kargo Stage "a" takes freight from stage "ghost", which is not in this repository',
        location: { file: 'kargo/cycle.yaml', range: { start: { line: 15, column: 3 }, end: { line: 18, column: 1 } } },
        hint: 'add that Stage, or declare the environments in gitops.yaml',
      },
    ]);
  });

  it('skips a stage whose name is unsafe, with a warning at the whole Stage', () => {
    const text = [kargoStage('dev', '{ direct: true }'), kargoStage('"prod eu"', '{ stages: [dev] }')].join('---\n');
    const result = discoverKargoEnvironments(parsed({ 'k.yaml': text }));
    assert.deepEqual(names(result), ['dev']);
    assert.deepEqual(result.problems, [
      {
        severity: 'warning',
        message: 'Kargo Stage "prod eu" is not used as an environment: the name is not a safe environment name',
        location: { file: 'k.yaml', range: { start: { line: 9, column: 1 }, end: { line: 18, column: 1 } } },
        hint: 'declare it in gitops.yaml under another name',
      },
    ]);
  });

  it('reads only kargo.akuity.io Stages, and makes each an unprotected-unless-production kargo environment of this repository', () => {
    const result = discoverKargoEnvironments(
      parsed({
        'k.yaml': [kargoStage('dev', '{ direct: true }'), kargoStage('prod', '{ stages: [dev] }'), kargoStage('qa', '{ direct: true }').replace('kargo.akuity.io', 'example.com'), 'apiVersion: kargo.akuity.io/v1alpha1\nkind: Warehouse\nmetadata: { name: staging }\n'].join('---\n'),
      }),
    );
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.repo, e.branch, e.path, e.cluster, e.protected, e.source, e.declaredAt?.file, e.declaredAt?.range?.start.line, 'paths' in e]),
      [
        ['dev', null, null, null, { context: null, namespace: null }, false, 'kargo', 'k.yaml', 1, false],
        ['prod', null, null, null, { context: null, namespace: null }, true, 'kargo', 'k.yaml', 9, false],
      ],
    );
  });
});

describe('Kargo discovery: folders from promotion steps', () => {
  const one = (steps: string, vars = '', extra: Files = {}): ReturnType<typeof discoverKargoEnvironments> => discoverKargoEnvironments(parsed({ 'kargo/stage.yaml': stageWith('prod-eu', '{ direct: true }', steps, vars), ...extra }));
  const step = (uses: string, path: string): string => `        - uses: ${uses}\n          config:\n            path: ${path}\n`;

  it('reads the path of every editing step, the folder of an edited file, once each', () => {
    const steps = [
      step('kustomize-set-image', './env/${{ ctx.stage }}'),
      step('helm-update-image', 'charts/shop/values-${{ ctx.stage }}.yaml'),
      step('yaml-update', './env/${{ ctx.stage }}/values.yml'),
      step('json-update', 'json/${{ ctx.stage }}/config.JSON'),
      step('helm-update-chart', 'charts/umbrella'),
      step('git-commit', 'committed'),
      step('git-push', 'pushed'),
      step('kustomize-build', 'built'),
      '        - uses: yaml-update\n          config: { key: x }\n',
      '        - config: { path: nouses }\n',
    ].join('');
    const result = one(steps);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.environments.map((e) => [e.path, e.paths]),
      [['env/prod-eu', ['env/prod-eu', 'charts/shop', 'json/prod-eu', 'charts/umbrella']]],
    );
  });

  it('evaluates stage variables, and reports a path it cannot evaluate at the step\'s path, leaving it out', () => {
    const vars = '      vars:\n        - name: root\n          value: stages\n        - name: n\n          value: 3\n        - name: bad\n          value: { x: 1 }\n        - value: nameless\n';
    const steps = [step('kustomize-set-image', "./${{ vars.root }}/${{ vars['n'] }}/${{ctx.stage}}"), step('yaml-update', './${{ vars.bad }}/x.yaml')].join('');
    const result = one(steps, vars);
    assert.deepEqual(result.environments[0].path, 'stages/3/prod-eu');
    assert.deepEqual(result.environments[0].paths, undefined);
    assert.deepEqual(result.problems, [
      {
        severity: 'warning',
        message: 'Kargo Stage "prod-eu": the yaml-update step\'s path "./${{ vars.bad }}/x.yaml" uses an expression that cannot be evaluated offline; that folder is left out',
        location: { file: 'kargo/stage.yaml', range: { start: { line: 25, column: 13 }, end: { line: 25, column: 43 } } },
        hint: 'use ${{ ctx.stage }} or ${{ vars.name }} with a default value, or declare the environment in gitops.yaml',
      },
    ]);
  });

  it('refuses a path leaving the checkout, at the step\'s path', () => {
    const result = one(step('kustomize-set-image', '../other/${{ ctx.stage }}') + step('kustomize-set-image', '/abs/x'));
    assert.equal(result.environments[0].path, null);
    assert.deepEqual(
      result.problems.map((p) => [p.message, p.location?.range?.start.line, p.hint]),
      [
        ['Kargo Stage "prod-eu": the kustomize-set-image step\'s path "../other/${{ ctx.stage }}" contains ".." and could leave the repository', 14, 'use a path inside the git-clone checkout'],
        ['Kargo Stage "prod-eu": the kustomize-set-image step\'s path "/abs/x" is absolute', 17, 'use a path inside the git-clone checkout'],
      ],
    );
  });

  it('strips ./src/ or ./out/ without a checkout, and the longest matching checkout folder with one, taking its branch unless main or master', () => {
    assert.deepEqual(
      one(step('kustomize-set-image', './src/env/a') + step('kustomize-set-image', 'out/env/b') + step('kustomize-set-image', 'source/env/c')).environments[0].paths,
      ['env/a', 'env/b', 'source/env/c'],
    );
    const clone = (checkouts: string): string => `        - uses: git-clone\n          config:\n            checkout:\n${checkouts}`;
    const checkouts = clone(
      [
        '              - branch: main\n                path: ./work/\n',
        '              - branch: rendered/${{ ctx.stage }}\n                path: ./work/out\n',
        '              - branch: ${{ outputs.x }}\n                path: ./work/other\n',
        '              - branch: stage/${{ ctx.stage }}\n                path: ${{ outputs.y }}\n',
        '              - branch: ignored\n',
      ].join(''),
    );
    const result = one(checkouts + step('yaml-update', './work/out/${{ ctx.stage }}/values.yaml') + step('kustomize-set-image', './work/base/${{ ctx.stage }}') + step('kustomize-set-image', './work/other/x') + step('kustomize-set-image', './work'));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.environments.map((e) => [e.branch, e.path, e.paths]),
      [['rendered/prod-eu', 'prod-eu', ['prod-eu', 'base/prod-eu', 'x']]],
    );
    for (const b of ['main', 'master', 'bad..branch']) {
      const kept = one(clone(`              - branch: ${b}\n                path: ./out\n`) + step('kustomize-set-image', './out/env'));
      assert.deepEqual([kept.environments[0].branch, kept.environments[0].path], [null, 'env'], b);
    }
    const first = one(clone('              - branch: first\n                path: ./a\n              - branch: second\n                path: ./b\n') + step('kustomize-set-image', './a/x') + step('kustomize-set-image', './b/y'));
    assert.deepEqual([first.environments[0].branch, first.environments[0].paths], ['first', ['x', 'y']]);
    const noBranch = one(clone('              - path: ./a\n') + step('kustomize-set-image', './a/x'));
    assert.deepEqual([noBranch.environments[0].branch, noBranch.environments[0].path], [null, 'x']);
  });

  it('strips a checkout folder only as a whole path segment, and leaves out an edited file at the checkout root', () => {
    const clone = `        - uses: git-clone\n          config:\n            checkout:\n              - branch: env\n                path: ./work\n`;
    const prefix = one(clone + step('kustomize-set-image', './workshop/x'));
    assert.deepEqual(
      prefix.environments.map((e) => [e.branch, e.path]),
      [[null, 'workshop/x']],
    );
    const root = one(clone + step('yaml-update', './work/values.yaml') + step('helm-update-image', 'values.yaml'));
    assert.deepEqual(
      root.environments.map((e) => [e.branch, e.path, e.paths]),
      [['env', null, undefined]],
    );
    assert.deepEqual([...prefix.problems, ...root.problems], []);
  });

  it('follows a PromotionTask or ClusterPromotionTask by kind and name, variables overridden task < stage < step', () => {
    const task = (kind: string, name: string, path: string): string => `apiVersion: kargo.akuity.io/v1alpha1
kind: ${kind}
metadata:
  name: ${name}
spec:
  vars:
    - name: root
      value: task
    - name: leaf
      value: task
  steps:
    - uses: kustomize-set-image
      config:
        path: ${path}
`;
    const tasks: Files = {
      'kargo/tasks.yaml': [task('PromotionTask', 'promote', '${{ vars.root }}/${{ vars.leaf }}/p'), task('ClusterPromotionTask', 'promote', '${{ vars.root }}/${{ vars.leaf }}/c'), task('ClusterPromotionTask', 'only-cluster', 'oc/${{ ctx.stage }}')].join('---\n'),
    };
    const vars = '      vars:\n        - name: root\n          value: stage\n';
    const steps = [
      '        - task: { name: promote }\n',
      '        - task: { name: promote, kind: ClusterPromotionTask }\n          vars:\n            - name: leaf\n              value: step\n',
      '        - task: { name: only-cluster }\n',
    ].join('');
    const result = one(steps, vars, tasks);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.environments[0].paths, ['stage/task/p', 'stage/step/c', 'oc/prod-eu']);
  });

  it('reports a task that is not in the repository at the step that runs it, and at a task\'s own step when its path cannot be evaluated', () => {
    const tasks: Files = { 'kargo/task.yaml': 'apiVersion: kargo.akuity.io/v1alpha1\nkind: PromotionTask\nmetadata:\n  name: t\nspec:\n  steps:\n    - uses: yaml-update\n      config:\n        path: ${{ outputs.x }}\n' };
    const result = one('        - task: { name: missing }\n        - task: { kind: ClusterPromotionTask }\n        - task: { name: t }\n', '', tasks);
    assert.deepEqual(
      result.problems.map((p) => [p.message, p.location?.file, p.location?.range?.start.line, p.hint]),
      [
        ['Kargo Stage "prod-eu" runs PromotionTask "missing", which is not in this repository; its folders are unknown', 'kargo/stage.yaml', 12, 'add the task, or declare the environment in gitops.yaml'],
        ['Kargo Stage "prod-eu" runs ClusterPromotionTask "?", which is not in this repository; its folders are unknown', 'kargo/stage.yaml', 13, 'add the task, or declare the environment in gitops.yaml'],
        ['Kargo Stage "prod-eu": the yaml-update step\'s path "${{ outputs.x }}" uses an expression that cannot be evaluated offline; that folder is left out', 'kargo/task.yaml', 9, 'use ${{ ctx.stage }} or ${{ vars.name }} with a default value, or declare the environment in gitops.yaml'],
      ],
    );
  });
});

function gitRepo(name: string, ref: string | null, url: string | null = 'https://github.com/acme/other'): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: ${name}
spec:
${url !== null ? `  url: ${url}\n` : ''}${ref !== null ? `  ref: ${ref}\n` : ''}  interval: 1m
`;
}

async function flux(files: Files, options: Parameters<typeof discoverFluxEnvironments>[1] = {}): Promise<Awaited<ReturnType<typeof discoverFluxEnvironments>>> {
  return discoverFluxEnvironments(parsed(files), options);
}

const brs = (...list: string[]) => async (): Promise<BranchInfo[]> => list.map((n) => branch(n));

describe('Flux discovery: sources and branches', () => {
  it('reads the branch a GitRepository follows: branch, refs/heads name, no ref (master), and nothing for tags, semver, commits or other refs', async () => {
    const cases: Array<[string | null, string | null]> = [
      ['{ branch: stable }', 'stable'],
      ['{ branch: " stable " }', 'stable'],
      ['{ name: refs/heads/release }', 'release'],
      ['{ name: refs/tags/v1 }', null],
      ['{ name: refs/heads/bad..name }', null],
      ['{ name: refs/heads/x, branch: other }', 'x'],
      ['{ tag: v1.0.0, branch: main }', null],
      ['{ semver: ">=1.0", branch: main }', null],
      ['{ commit: abc1234, branch: main }', null],
      ['{ branch: "bad..branch" }', null],
      ['{}', null],
      [null, 'master'],
      ['"main"', 'master'],
    ];
    for (const [ref, expected] of cases) {
      const result = await flux({ 'clusters/dev/apps.yaml': `${fluxKs('apps', './apps/dev', '', 'apps')}---\n${gitRepo('apps', ref)}` });
      assert.equal(result.environments[0].branch, expected, String(ref));
    }
  });

  it('takes this repository\'s branch for bootstrap\'s missing GitRepository: main, else master, else main; and asks for branches once', async () => {
    const files: Files = { 'clusters/dev/apps.yaml': fluxKs('apps', './apps/dev'), 'clusters/prod/apps.yaml': fluxKs('apps', './apps/prod') };
    for (const [list, expected] of [
      [['master', 'main'], 'main'],
      [['master', 'develop'], 'master'],
      [['develop'], 'main'],
      [[], 'main'],
    ] as const) {
      let calls = 0;
      const result = await flux(files, {
        branches: async () => {
          calls++;
          return list.map((n) => branch(n));
        },
      });
      assert.deepEqual(
        result.environments.map((e) => e.branch),
        [expected, expected],
        list.join(','),
      );
      assert.equal(calls, 1);
    }
    assert.equal((await flux(files, { branches: () => Promise.reject(new Error('x')) })).environments[0].branch, 'main');
    assert.equal((await flux(files)).environments[0].branch, 'main');
  });

  it('gives an unknown GitRepository no branch, and another repository\'s URL without credentials as the repo', async () => {
    const result = await flux({
      'clusters/dev/apps.yaml': fluxKs('apps', './apps/dev', '', 'nowhere'),
      'clusters/qa/apps.yaml': `${fluxKs('apps', './apps/qa', '', 'other')}---\n${gitRepo('other', '{ branch: qa }', 'https://bot:s3cret@github.com/acme/other.git')}`,
      'clusters/prod/apps.yaml': `${fluxKs('apps', './apps/prod', '', 'mine')}---\n${gitRepo('mine', '{ branch: prod }', 'git@github.com:acme/fleet.git')}`,
      'clusters/perf/apps.yaml': `${fluxKs('apps', './apps/perf', '', 'nourl')}---\n${gitRepo('nourl', '{ branch: perf }', null)}`,
      'clusters/uat/apps.yaml': `${fluxKs('apps', './apps/uat')}---\n${gitRepo('flux-system', '{ branch: uat }', 'https://github.com/someone/else')}`,
    }, { remoteUrls: ['https://github.com/acme/fleet'] });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.repo, e.branch, e.path]),
      [
        ['dev', null, null, 'apps/dev'],
        ['qa', 'https://bot@github.com/acme/other.git', 'qa', 'apps/qa'],
        ['prod', null, 'prod', 'apps/prod'],
        ['perf', null, 'perf', 'apps/perf'],
        ['uat', null, 'uat', 'apps/uat'],
      ],
    );
    assert.deepEqual(result.problems, []);
  });

  it('prefers the GitRepository declared in the Kustomization\'s own cluster folder', async () => {
    const result = await flux({
      'clusters/dev/apps.yaml': fluxKs('apps', './apps/dev', '', 'apps'),
      'clusters/prod/apps.yaml': `${fluxKs('apps', './apps/prod', '', 'apps')}---\n${gitRepo('apps', '{ branch: prod }')}`,
      'clusters/dev/source.yaml': gitRepo('apps', '{ branch: dev }'),
    });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.branch]),
      [
        ['dev', 'dev'],
        ['prod', 'prod'],
      ],
    );
  });

  it('reports a Kustomization path leaving the source root at spec.path, and skips it', async () => {
    const result = await flux({ 'clusters/dev/apps.yaml': `${fluxKs('bad', '../../etc')}---\n${fluxKs('apps', './apps/dev')}` });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path]),
      [['dev', 'apps/dev']],
    );
    assert.deepEqual(result.problems, [
      {
        severity: 'warning',
        message: 'Flux Kustomization "bad": path "../../etc" contains ".." and could leave the repository',
        location: { file: 'clusters/dev/apps.yaml', range: { start: { line: 10, column: 3 }, end: { line: 10, column: 18 } } },
        hint: 'use a path relative to the source root',
      },
    ]);
    assert.deepEqual(await flux({ 'clusters/dev/apps.yaml': fluxKs('bad', '/abs') }), { environments: [], problems: [(await flux({ 'clusters/dev/apps.yaml': fluxKs('bad', '/abs') })).problems[0]] });
  });

  it('reports the source of the chosen Kustomization only, at its sourceRef', async () => {
    const result = await flux({
      'clusters/dev/apps.yaml': `${fluxKs('apps', './apps', '', 'charts', 'OCIRepository')}---\n${fluxKs('infra', './infra', '', 'infra', 'Bucket')}`,
      'clusters/prod/apps.yaml': `${fluxKs('apps', './apps/prod')}---\n${fluxKs('monitoring', './mon', '', 'mon', 'OCIRepository')}`,
    });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.branch]),
      [
        ['dev', null, null],
        ['prod', 'apps/prod', 'main'],
      ],
    );
    assert.deepEqual(result.problems, [
      {
        severity: 'warning',
        message: 'Flux Kustomization "apps" reconciles OCIRepository "charts"; the folder it reads in this repository cannot be told',
        location: { file: 'clusters/dev/apps.yaml', range: { start: { line: 7, column: 3 }, end: { line: 10, column: 1 } } },
        hint: 'declare the environment in gitops.yaml with its path',
      },
    ]);
  });

  it('follows an ExternalArtifact to the GitRepository and folder its ArtifactGenerator copies, preferring the generator of the same cluster', async () => {
    const generator = (name: string, sources: string, copyFrom: string): string => `apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata:
  name: ${name}
spec:
  sources: ${sources}
  artifacts:
    - name: other
      copy: [{ from: "@mono/nothing/**", to: "@artifact/" }]
    - name: apps
      copy:
        - from: "${copyFrom}"
          to: "@artifact/"
`;
    const ks = (path: string): string => fluxKs('apps', path, '', 'apps', 'ExternalArtifact');
    const result = await flux({
      'clusters/dev/apps.yaml': ks('./dev'),
      'clusters/dev/generator.yaml': generator('gen', '[{ alias: mono, kind: GitRepository, name: flux-system }]', '@mono/apps/**'),
      'clusters/qa/apps.yaml': ks('./qa'),
      'clusters/prod/apps.yaml': ks('./prod'),
      'clusters/prod/generator.yaml': generator('gen', '[{ alias: mono, kind: OCIRepository, name: charts }]', '@mono/apps/**'),
      'clusters/perf/apps.yaml': ks('./perf'),
      'clusters/perf/generator.yaml': generator('gen', '[{ alias: other, name: flux-system }]', '@mono/apps/**'),
      'clusters/uat/apps.yaml': ks('./uat'),
      'clusters/uat/generator.yaml': generator('gen', '[{ alias: mono, name: mine }]', '@mono/deploy/**'),
      'clusters/uat/source.yaml': gitRepo('mine', '{ branch: uat }', 'https://github.com/acme/fleet'),
      'clusters/int/apps.yaml': `${ks('./int')}`,
      'clusters/int/generator.yaml': generator('gen', '[{ alias: mono }]', '@mono/apps/**'),
    }, { branches: brs('main'), remoteUrls: ['https://github.com/acme/fleet'] });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.branch]),
      [
        ['dev', 'apps/dev', 'main'],
        // The first generator producing the artifact (clusters/dev's) serves a folder without its own.
        ['qa', 'apps/qa', 'main'],
        ['prod', null, null],
        ['perf', null, null],
        ['uat', 'deploy/uat', 'uat'],
        ['int', null, null],
      ],
    );
    assert.deepEqual(
      result.problems.map((p) => p.message),
      ['prod', 'perf', 'int'].map(() => 'Flux Kustomization "apps" reconciles ExternalArtifact "apps"; the folder it reads in this repository cannot be told'),
    );
  });
});

describe('Flux discovery: cluster folders', () => {
  it('counts bootstrap\'s flux-system folder as its parent, and root-level objects as no cluster', async () => {
    const result = await flux({
      'clusters/dev/flux-system/gotk-sync.yaml': fluxKs('flux-system', './clusters/dev'),
      'clusters/dev/apps.yaml': fluxKs('apps', './apps/dev'),
      'flux-system/sync.yaml': fluxKs('flux-system', './clusters'),
      'root.yaml': fluxKs('root', './clusters/prod'),
      'clusters/prod/apps.yaml': fluxKs('apps', './apps/prod'),
    });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.declaredAt?.file]),
      [
        ['dev', 'apps/dev', 'clusters/dev/apps.yaml'],
        ['prod', 'apps/prod', 'clusters/prod/apps.yaml'],
      ],
    );
  });

  it('with a clusters/ (or cluster/) folder, takes only folders below it as clusters', async () => {
    const result = await flux({ 'cluster/dev/apps.yaml': fluxKs('apps', './apps/dev'), 'tenants/prod/apps.yaml': fluxKs('apps', './apps/prod'), 'myclusters/qa/apps.yaml': fluxKs('apps', './apps/qa') });
    assert.deepEqual(names(result), ['dev']);
    const without = await flux({ 'fleet/dev/apps.yaml': fluxKs('apps', './apps/dev'), 'fleet/prod/apps.yaml': fluxKs('apps', './apps/prod') });
    assert.deepEqual(names(without), ['dev', 'prod']);
  });

  it('merges a folder reconciled from a cluster into that cluster when it lies below it, and drops it otherwise', async () => {
    const result = await flux({
      'clusters/dev/apps.yaml': `${fluxKs('apps', './apps/dev')}---\n${fluxKs('sub', './clusters/dev/sub')}`,
      'clusters/dev/sub/extra.yaml': fluxKs('extra', './extra/dev'),
      'clusters/prod/apps.yaml': `${fluxKs('apps', './apps/prod')}---\n${fluxKs('tenants', './tenants/prod')}`,
      'tenants/prod/team.yaml': fluxKs('team', './team/prod'),
      'clusters/qa/apps.yaml': fluxKs('apps', './apps/qa', '', 'other'),
      'clusters/qa/src.yaml': gitRepo('other', '{ branch: x }'),
      'clusters/uat/apps.yaml': fluxKs('apps', './clusters/qa', '', 'other'),
      'clusters/uat/src.yaml': gitRepo('other', '{ branch: x }'),
    });
    assert.deepEqual(
      result.environments.map((e) => [e.name, environmentPaths(e)]),
      [
        ['dev', ['apps/dev', 'clusters/dev/sub', 'extra/dev']],
        ['prod', ['apps/prod', 'tenants/prod']],
        ['qa', ['apps/qa']],
        ['uat', ['clusters/qa']],
      ],
    );
  });

  it('outside clusters/, leaves out a folder whose Kustomizations all read another branch of this repository, unless it is named like an environment', async () => {
    const tenant = (folder: string, br: string, ks = fluxKs('team', './deploy', '', 'team')): Files => ({ [`${folder}/sync.yaml`]: `${gitRepo('team', `{ branch: ${br} }`, null)}---\n${ks}` });
    const result = await flux(
      {
        ...tenant('tenants/team-a', 'tenant-a'),
        ...tenant('tenants/dev', 'tenant-dev'),
        ...tenant('tenants/team-b', 'main'),
        ...tenant('tenants/team-c', 'tenant-c', `${fluxKs('team', './deploy', '', 'team')}---\n${fluxKs('own', './own')}`),
        ...tenant('tenants/team-d', 'tenant-d', fluxKs('team', './deploy', '', 'flux-system')),
        'fleet/prod/apps.yaml': fluxKs('apps', './apps/prod'),
      },
      { branches: brs('main') },
    );
    assert.deepEqual(names(result), ['dev', 'team-b', 'team-c', 'team-d', 'prod']);
  });

  it('leaves out folders reconciled by two or more clusters, and falls back to the cluster folder when nothing else is its own', async () => {
    const result = await flux({
      'clusters/dev/all.yaml': `${fluxKs('infra', './infrastructure')}---\n${fluxKs('apps', './apps/shared')}`,
      'clusters/qa/all.yaml': `${fluxKs('infra', './infrastructure')}---\n${fluxKs('apps', './apps/shared')}`,
      'clusters/prod/all.yaml': `${fluxKs('infra', './infrastructure')}---\n${fluxKs('apps', './apps/prod')}`,
    });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.repo, environmentPaths(e), e.declaredAt?.file, e.declaredAt?.range?.start.line]),
      [
        ['dev', null, ['clusters/dev'], 'clusters/dev/all.yaml', 11],
        ['qa', null, ['clusters/qa'], 'clusters/qa/all.yaml', 11],
        ['prod', null, ['apps/prod'], 'clusters/prod/all.yaml', 11],
      ],
    );
  });

  it('chooses apps, else the first Kustomization not named infra…, else the first; own folders on the same source follow it, infrastructure only when nothing else is own', async () => {
    const pick = async (docs: string[]): Promise<[string | null, string[], string | null]> => {
      const result = await flux({ 'clusters/dev/k.yaml': docs.join('---\n'), 'clusters/dev/src.yaml': gitRepo('other', '{ branch: feature }') });
      const e = result.environments[0];
      return [e.path, environmentPaths(e), e.cluster.namespace];
    };
    assert.deepEqual(await pick([fluxKs('web', './web'), fluxKs('apps', './apps', '  targetNamespace: shop\n'), fluxKs('infra', './infra')]), ['apps', ['apps', 'web'], 'shop']);
    assert.deepEqual(await pick([fluxKs('Infrastructure', './infra'), fluxKs('web', './web', '  targetNamespace: web\n'), fluxKs('api', './api')]), ['web', ['web', 'api'], 'web']);
    assert.deepEqual(await pick([fluxKs('infra-a', './infra/a'), fluxKs('INFRA-b', './infra/b')]), ['infra/a', ['infra/a', 'infra/b'], null]);
    assert.deepEqual(await pick([fluxKs('apps', './apps'), fluxKs('web', './web', '', 'other'), fluxKs('api', './api')]), ['apps', ['apps', 'api'], null]);
    assert.deepEqual(await pick([fluxKs('flux-system', './clusters/dev'), fluxKs('self', './clusters/dev')]), ['clusters/dev', ['clusters/dev'], null]);
  });

  it('uses the chosen Kustomization\'s other repository as the repo, unless it falls back to the cluster folder', async () => {
    const result = await flux({
      'clusters/dev/apps.yaml': `${fluxKs('apps', './deploy/dev', '', 'other')}---\n${gitRepo('other', '{ branch: main }', 'https://github.com/acme/other')}`,
    });
    assert.deepEqual(
      result.environments.map((e) => [e.repo, e.path, e.branch]),
      [['https://github.com/acme/other', 'deploy/dev', 'main']],
    );
  });

  it('reports a cluster folder whose name is unsafe, at its chosen Kustomization\'s file', async () => {
    const result = await flux({ 'clusters/prod eu/apps.yaml': fluxKs('apps', './apps/prod'), 'clusters/dev/apps.yaml': fluxKs('apps', './apps/dev') });
    assert.deepEqual(names(result), ['dev']);
    assert.deepEqual(result.problems, [
      {
        severity: 'warning',
        message: 'Flux cluster folder clusters/prod eu is not used as an environment: its name is not a safe environment name',
        location: { file: 'clusters/prod eu/apps.yaml' },
        hint: 'rename the folder, or declare the environment in gitops.yaml',
      },
    ]);
  });

  it('makes each cluster a flux environment, protected on the production rung', async () => {
    const result = await flux({ 'clusters/live/apps.yaml': fluxKs('apps', './apps/live'), 'clusters/dev/apps.yaml': fluxKs('apps', './apps/dev') });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.protected, e.source, e.cluster.context, 'paths' in e]),
      [
        ['live', true, 'flux', null, false],
        ['dev', false, 'flux', null, false],
      ],
    );
  });

  it('finds nothing without Kustomizations of the kustomize.toolkit.fluxcd.io group', async () => {
    assert.deepEqual(await flux({ 'clusters/dev/src.yaml': gitRepo('x', null), 'clusters/dev/k.yaml': fluxKs('apps', './x').replace('kustomize.toolkit.fluxcd.io', 'kustomize.config.k8s.io') }), { environments: [], problems: [] });
  });
});

describe('Flux discovery: more cluster folder rules', () => {
  it('takes no cluster from a root flux-system folder, even without a clusters/ folder', async () => {
    const result = await flux({ 'flux-system/gotk-sync.yaml': `${fluxKs('flux-system', './fleet')}---\n${fluxKs('extra', './extra')}`, 'fleet/dev/apps.yaml': fluxKs('apps', './apps/dev'), 'fleet/prod/apps.yaml': fluxKs('apps', './apps/prod') });
    assert.deepEqual(names(result), ['dev', 'prod']);
  });

  it('finds clusters under a clusters/ folder at any depth', async () => {
    const result = await flux({ 'fleet/clusters/dev/apps.yaml': fluxKs('apps', './apps/dev'), 'tenants/prod/apps.yaml': fluxKs('apps', './apps/prod') });
    assert.deepEqual(names(result), ['dev']);
  });

  it('gives a folder reconciled by two nested clusters to the deepest one', async () => {
    const result = await flux({
      'clusters/prod/apps.yaml': `${fluxKs('apps', './apps/prod')}---\n${fluxKs('c', './clusters/prod/eu/c')}`,
      'clusters/prod/eu/apps.yaml': `${fluxKs('apps', './apps/prod-eu')}---\n${fluxKs('c', './clusters/prod/eu/c')}`,
      'clusters/prod/eu/c/extra.yaml': fluxKs('extra', './extra'),
    });
    assert.deepEqual(
      result.environments.map((e) => [e.name, environmentPaths(e)]),
      [
        ['prod', ['apps/prod']],
        ['eu', ['apps/prod-eu', 'extra']],
      ],
    );
  });

  it('keeps a tenant-like folder whose Kustomizations read another repository, a pinned ref or a non-Git source', async () => {
    const folder = (name: string, source: string, kind = 'GitRepository'): Files => ({ [`tenants/${name}/sync.yaml`]: `${source}---\n${fluxKs('team', './deploy', '', 'team', kind)}` });
    const result = await flux(
      {
        ...folder('other-repo', gitRepo('team', '{ branch: tenant }')),
        ...folder('pinned', gitRepo('team', '{ tag: v1 }', null)),
        ...folder('oci', gitRepo('team', '{ branch: tenant }', null), 'OCIRepository'),
        ...folder('tenant', gitRepo('team', '{ branch: tenant }', null)),
      },
      { branches: brs('main') },
    );
    assert.deepEqual(names(result), ['other-repo', 'pinned', 'oci']);
  });

  it('reads a sourceRef without a kind as a GitRepository', async () => {
    const ks = fluxKs('apps', './apps/dev', '', 'apps').replace('    kind: GitRepository\n', '');
    const result = await flux({ 'clusters/dev/apps.yaml': `${ks}---\n${gitRepo('apps', '{ branch: dev }')}` });
    assert.deepEqual(
      result.environments.map((e) => [e.branch, e.repo]),
      [['dev', 'https://github.com/acme/other']],
    );
    assert.deepEqual(result.problems, []);
  });

  it('lists a folder reconciled twice by one cluster once', async () => {
    const result = await flux({ 'clusters/dev/apps.yaml': `${fluxKs('apps', './apps/dev')}---\n${fluxKs('more', './apps/dev/')}---\n${fluxKs('web', './web')}` });
    assert.deepEqual(
      result.environments.map((e) => [e.path, e.paths]),
      [['apps/dev', ['apps/dev', 'web']]],
    );
  });

  it('falls back to the Kustomization reconciling the cluster folder itself, then the cluster folder in this repository', async () => {
    const result = await flux({
      'clusters/dev/k.yaml': [fluxKs('flux-system', './clusters'), fluxKs('self', './clusters/dev', '  targetNamespace: own\n', 'other')].join('---\n'),
      'clusters/dev/src.yaml': gitRepo('other', '{ branch: feature }'),
    });
    assert.deepEqual(
      result.environments.map((e) => [e.path, e.repo, e.branch, e.cluster.namespace, e.declaredAt?.range?.start.line]),
      [['clusters/dev', null, 'feature', 'own', 11]],
    );
  });
});

describe('mapArtifactPath: copy rules', () => {
  it('maps through the longest matching destination, whole-directory copies only', () => {
    const copies = [
      'not a record',
      { from: '@mono/apps/**', to: '@artifact/' },
      { from: '@mono/deploy/staging/**/*', to: '@artifact/staging' },
      { from: '@mono/x/*', to: '@artifact/staging/x/' },
      { from: '@mono/a/*/b/**', to: '@artifact/staging/y' },
      { from: 'mono/z/**', to: '@artifact/staging/z' },
      { from: '@mono/z/**', to: 'artifact/staging/z' },
      { from: 5, to: '@artifact/staging/w' },
    ];
    assert.deepEqual(mapArtifactPath(copies, 'other'), { alias: 'mono', path: 'apps/other' });
    assert.deepEqual(mapArtifactPath(copies, 'staging'), { alias: 'mono', path: 'deploy/staging' });
    assert.deepEqual(mapArtifactPath(copies, 'staging/sub/dir'), { alias: 'mono', path: 'deploy/staging/sub/dir' });
    assert.deepEqual(mapArtifactPath(copies, 'staging/x/q'), { alias: 'mono', path: 'x/q' });
    assert.deepEqual(mapArtifactPath(copies, 'staging/y'), { alias: 'mono', path: 'deploy/staging/y' });
    assert.deepEqual(mapArtifactPath(copies, 'staging/z'), { alias: 'mono', path: 'deploy/staging/z' });
    assert.deepEqual(mapArtifactPath(copies, 'stagingx'), { alias: 'mono', path: 'apps/stagingx' });
    assert.deepEqual(mapArtifactPath([{ from: '@r', to: '@artifact' }], ''), { alias: 'r', path: '' });
    assert.deepEqual(mapArtifactPath([{ from: '@r/', to: '@artifact/' }, { from: '@s/deep/', to: '@artifact//' }], 'a'), { alias: 'r', path: 'a' });
    assert.deepEqual(mapArtifactPath([{ from: '@r/p?q/**', to: '@artifact/' }, { from: '@r/[a]/**', to: '@artifact/' }, { from: '@r/{a,b}/**', to: '@artifact/' }], 'a'), undefined);
  });
});

function app(name: string, spec: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
${spec}`;
}

function appSet(name: string, body: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: ${name}
spec:
${body}`;
}

async function argo(files: Files, extraFiles: string[] = [], options: Parameters<typeof discoverArgoEnvironments>[1] = {}): Promise<Awaited<ReturnType<typeof discoverArgoEnvironments>>> {
  const manifests = parsed(Object.fromEntries(Object.entries(files).filter(([, t]) => t.includes('argoproj.io'))));
  const all = [...Object.keys(files), ...extraFiles];
  return discoverArgoEnvironments({ manifests, files: all, readFile: async (p) => files[p] }, options);
}

const REPO = 'https://github.com/acme/gitops.git';

describe('Argo CD discovery: one Application', () => {
  it('makes an environment of its Git source: branch, folder, destination name and namespace, protection', async () => {
    const result = await argo({
      'argocd/a.yaml': app('shop-prod', `  source: { repoURL: ${REPO}, targetRevision: refs/heads/stable, path: ./envs/prod/ }\n  destination: { name: " prod-cluster ", namespace: shop }\n`),
      'argocd/b.yaml': app('shop-dev', `  source: { repoURL: ${REPO}, path: envs/dev }\n  destination: { server: https://k8s.example.com, namespace: "" }\n`),
    }, ['envs/prod/a.yaml', 'envs/dev/a.yaml']);
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.repo, e.branch, e.path, e.cluster, e.protected, e.source, e.declaredAt?.file, e.declaredAt?.range?.start.line]),
      [
        ['shop-prod', null, 'stable', 'envs/prod', { context: 'prod-cluster', namespace: 'shop' }, true, 'argocd', 'argocd/a.yaml', 1],
        ['shop-dev', null, null, 'envs/dev', { context: null, namespace: null }, false, 'argocd', 'argocd/b.yaml', 1],
      ],
    );
    assert.deepEqual(result.problems, []);
  });

  it('reads another repository when repoURL is not one of the remotes, or without remotes when the path is no folder here', async () => {
    const files = { 'argocd/a.yaml': app('dev', `  source: { repoURL: "https://u:p@github.com/acme/config.git", path: envs/dev }\n  destination: { name: dev }\n`) };
    const repoOf = async (extra: string[], options: Parameters<typeof discoverArgoEnvironments>[1] = {}): Promise<string | null> => (await argo(files, extra, options)).environments[0].repo;
    assert.equal(await repoOf(['envs/dev/a.yaml']), null);
    assert.equal(await repoOf(['envs/dev']), 'https://u@github.com/acme/config.git');
    assert.equal(await repoOf(['envs/devx/a.yaml']), 'https://u@github.com/acme/config.git');
    assert.equal(await repoOf(['envs/dev/a.yaml'], { remoteUrls: [] }), 'https://u@github.com/acme/config.git');
    assert.equal(await repoOf([], { remoteUrls: ['git@github.com:acme/config'] }), null);
    assert.equal(await repoOf(['envs/dev/a.yaml'], { remoteUrls: ['git@github.com:acme/other'] }), 'https://u@github.com/acme/config.git');
    const noUrl = await argo({ 'argocd/a.yaml': app('dev', '  source: { path: envs/dev }\n  destination: { name: dev }\n') }, [], { remoteUrls: ['git@github.com:acme/other'] });
    assert.equal(noUrl.environments[0].repo, null);
  });

  it('picks the Git source holding the manifests among source and sources', async () => {
    const pathOf = async (spec: string): Promise<[string | null, string | null] | string> => {
      const result = await argo({ 'argocd/a.yaml': app('dev', `${spec}  destination: { name: dev }\n`) });
      return result.environments[0] ? [result.environments[0].path, result.environments[0].branch] : result.problems[0].message;
    };
    assert.deepEqual(await pathOf(`  source: { repoURL: ${REPO}, targetRevision: a, path: one }\n  sources: [{ repoURL: ${REPO}, targetRevision: b, path: two }]\n`), ['one', 'a']);
    assert.deepEqual(await pathOf(`  source: { repoURL: ${REPO}, targetRevision: a }\n  sources: [{ repoURL: ${REPO}, targetRevision: b, path: two }]\n`), ['two', 'b']);
    assert.deepEqual(await pathOf(`  sources: [{ repoURL: ${REPO}, targetRevision: a }, { repoURL: ${REPO}, targetRevision: b }]\n`), [null, 'a']);
    assert.deepEqual(await pathOf(`  sources: [{ repoURL: ${REPO}, targetRevision: v, ref: values, path: vals }, "junk"]\n`), ['vals', 'v']);
    assert.deepEqual(await pathOf(`  sources: [{ repoURL: ${REPO}, targetRevision: v, ref: values }, { repoURL: x, chart: c, path: p }]\n`), 'Argo CD application "dev" is not used as an environment: it deploys a Helm chart from a chart repository, not a folder in Git');
    assert.deepEqual(await pathOf(`  source: { repoURL: ${REPO}, targetRevision: x, path: "{{path}}" }\n`), [null, 'x']);
    assert.deepEqual(await pathOf(`  sources: { repoURL: ${REPO}, path: x }\n`), 'Argo CD application "dev" is not used as an environment: it deploys a Helm chart from a chart repository, not a folder in Git');
  });

  it('reports a Helm-chart Application, an unsafe name and a path leaving the repository, each at the manifest', async () => {
    const result = await argo({
      'argocd/a.yaml': [
        app('redis', '  source: { repoURL: https://charts.example.com, chart: redis }\n  destination: { name: dev }\n'),
        app('"bad name"', `  source: { repoURL: ${REPO}, path: envs/dev }\n  destination: { name: dev }\n`),
        app('up-dev', `  source: { repoURL: ${REPO}, path: ../other }\n  destination: { name: dev }\n`),
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: nospec\nspec: [1]\n',
      ].join('---\n'),
    });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path]),
      [['up-dev', null]],
    );
    assert.deepEqual(
      result.problems.map((p) => [p.severity, p.message, p.location?.file, p.location?.range?.start.line, p.hint]),
      [
        ['warning', 'Application "nospec" has no spec', 'argocd/a.yaml', 29, 'add spec.source and spec.destination'],
        ['warning', 'Argo CD application "redis" is not used as an environment: it deploys a Helm chart from a chart repository, not a folder in Git', 'argocd/a.yaml', 1, 'declare it in gitops.yaml with the folder that holds its values, if there is one'],
        ['warning', 'Argo CD application "bad name" is not used as an environment: the name is not a safe environment name', 'argocd/a.yaml', 8, 'environment names use letters, digits, ".", "_", "-" (at most 63); declare it in gitops.yaml under a shorter name'],
        ['warning', 'Argo CD application "up-dev": path "../other" contains ".." and could leave the repository; the repository root is used', 'argocd/a.yaml', 16, 'use a path relative to the repository root'],
      ],
    );
  });

  it('skips an app-of-apps: an Application of this repository whose folder holds Applications (the root holds them all)', async () => {
    const files: Files = {
      'bootstrap/root.yaml': app('root', `  source: { repoURL: ${REPO}, path: apps }\n  destination: { name: in-cluster }\n`),
      'bootstrap/all.yaml': app('all', `  source: { repoURL: ${REPO}, path: . }\n  destination: { name: in-cluster }\n`),
      'bootstrap/parent.yaml': app('parent', `  source: { repoURL: ${REPO}, path: apps/nested/.. }\n  destination: { name: in-cluster }\n`),
      'apps/dev.yaml': app('dev', `  source: { repoURL: ${REPO}, path: apps-config/dev }\n  destination: { name: dev }\n`),
      'apps/team/prod.yaml': app('prod', `  source: { repoURL: ${REPO}, path: app }\n  destination: { name: prod }\n`),
      'elsewhere/qa.yaml': app('qa', `  source: { repoURL: https://github.com/other/repo, path: apps }\n  destination: { name: qa }\n`),
    };
    const result = await argo(files, ['apps-config/dev/a.yaml', 'app/x.yaml'], { remoteUrls: [REPO] });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path]),
      [
        ['dev', 'apps-config/dev'],
        ['prod', 'app'],
        ['qa', 'apps'],
      ],
    );
  });
});

describe('Argo CD discovery: applications of one environment', () => {
  it('groups Applications by the last ladder word of their folder or Helm value file when two share it', async () => {
    const a = (name: string, source: string): string => app(name, `  source: { repoURL: ${REPO}, ${source} }\n  destination: { name: c-${name}, namespace: ns-${name} }\n`);
    const result = await argo({
      'argocd/apps.yaml': [
        a('web-1', 'path: apps/web/prod/overlays/staging'),
        a('api-1', 'path: apps/api/overlays/Staging/.'),
        a('web-2', 'path: charts/web, helm: { valueFiles: [values/common.yaml, "values/values-dev.yaml"] }'),
        a('api-2', 'path: charts/api, helm: { valueFiles: [dev_values.yml] }'),
        a('job-1', 'path: charts/job, helm: { valueFiles: [values-qa.yaml] }'),
        a('job-2', 'path: charts/job2, helm: { valueFiles: [5, values-demo.yaml] }'),
        a('lone', 'path: lone/prod-eu'),
      ].join('---\n'),
    });
    assert.deepEqual(
      result.environments.map((e) => [e.name, environmentPaths(e), e.cluster]),
      [
        ['staging', ['apps/web/prod/overlays/staging', 'apps/api/overlays/Staging'], { context: 'c-web-1', namespace: null }],
        ['values-dev', ['charts/web', 'charts/api'], { context: 'c-web-2', namespace: null }],
        ['job-1', ['charts/job'], { context: 'c-job-1', namespace: 'ns-job-1' }],
        ['job-2', ['charts/job2'], { context: 'c-job-2', namespace: 'ns-job-2' }],
        ['lone', ['lone/prod-eu'], { context: 'c-lone', namespace: 'ns-lone' }],
      ].map(([n, p, c]) => [n === 'values-dev' ? 'dev' : n, p, c]),
    );
  });

  it('reports an application folder on another branch or repository, and an Application adding no folder', async () => {
    const a = (name: string, source: string, dest = '{ name: prod }'): string => app(name, `  source: { ${source} }\n  destination: ${dest}\n`);
    const result = await argo({
      'argocd/apps.yaml': [
        a('web', `repoURL: ${REPO}, targetRevision: main, path: web/prod`, '{ namespace: web }'),
        a('api', `repoURL: ${REPO}, targetRevision: release, path: api/prod`, '{ name: prod-cluster, namespace: api }'),
        a('job', `repoURL: https://github.com/other/x, targetRevision: main, path: job/prod`, '{ name: other, namespace: api }'),
        a('web-again', `repoURL: ${REPO}, targetRevision: main, path: web/prod`),
        a('root', `repoURL: ${REPO}, path: prod`),
      ].join('---\n'),
    }, ['web/prod/a.yaml', 'api/prod/a.yaml', 'job/prod/a.yaml', 'prod/a.yaml'], { remoteUrls: [REPO] });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.branch, e.repo, environmentPaths(e), e.cluster, e.protected]),
      [['prod', 'main', null, ['web/prod', 'api/prod', 'job/prod', 'prod'], { context: 'prod-cluster', namespace: null }, true]],
    );
    assert.deepEqual(
      result.problems.map((p) => [p.message, p.location?.range?.start.line]),
      [
        ['Environment "prod": application folder api/prod follows this repository release, unlike web/prod (this repository main); it is listed with the environment\'s first branch', 8],
        ['Environment "prod": application folder job/prod follows https://github.com/other/x main, unlike web/prod (this repository main); it is listed with the environment\'s first branch', 16],
        ['Environment "prod" was found twice (first in argocd/apps.yaml); this one is ignored', 24],
        ['Environment "prod": application folder prod follows this repository HEAD, unlike web/prod (this repository main); it is listed with the environment\'s first branch', 32],
      ],
    );
    assert.ok(result.problems.every((p) => p.severity === 'warning' && p.location?.file === 'argocd/apps.yaml'));
    assert.deepEqual(
      result.problems.map((p) => p.hint),
      ['declare the environment in gitops.yaml to choose its branch', 'declare the environment in gitops.yaml to choose its branch', 'declare the environments in gitops.yaml to choose exactly which ones exist', 'declare the environment in gitops.yaml to choose its branch'],
    );
  });

  it('names a root-folder application (root) in the branch warning, and HEAD for no branch', async () => {
    const a = (name: string, source: string): string => app(name, `  source: { ${source} }\n  destination: { name: d }\n`);
    const set = appSet('s', `  generators:\n    - list: { elements: [{ env: qa, p: "", r: HEAD }, { env: qa, p: sub, r: other }] }\n  template:\n    metadata: { name: 'x-{{env}}' }\n    spec: { source: { repoURL: https://github.com/o/r, path: '{{p}}', targetRevision: '{{r}}' }, destination: { name: d } }\n`);
    const result = await argo({ 'argocd/s.yaml': set, 'argocd/unused.yaml': a('unused', `repoURL: ${REPO}, path: u`) });
    assert.deepEqual(
      result.problems.map((p) => p.message),
      ['Environment "qa": application folder sub follows https://github.com/o/r other, unlike (root) (https://github.com/o/r HEAD); it is listed with the environment\'s first branch'],
    );
  });
});

describe('Argo CD discovery: catalogues', () => {
  const cat = (n: number, dest = (_i: number): string => '{ name: in-cluster }'): Files => {
    const files: Files = {};
    for (let i = 0; i < n; i++) files[`apps/app${i}.yaml`] = app(`app${i}`, `  source: { repoURL: https://charts.example.com/c${i}, path: charts/app${i} }\n  destination: ${dest(i)}\n`);
    return files;
  };

  it('says a set of applications to one destination naming no environment is a catalogue, with their names', async () => {
    const one = await argo(cat(1));
    assert.deepEqual(one, {
      environments: [],
      problems: [
        {
          severity: 'warning',
          message: 'The Argo CD application (app0) names no environment and deploys to one destination: a catalogue of applications, not environments',
          location: { file: 'apps/app0.yaml', range: one.problems[0].location?.range },
          hint: 'declare the environments in gitops.yaml if this repository has some',
        },
      ],
    });
    assert.equal(one.problems[0].location?.range?.start.line, 1);
    assert.deepEqual(
      (await argo(cat(3))).problems.map((p) => p.message),
      ['3 Argo CD applications (app0, app1, app2) name no environment and deploy to one destination: a catalogue of applications, not environments'],
    );
    assert.deepEqual(
      (await argo(cat(4, () => '{ server: https://a, namespace: x }'))).problems.map((p) => p.message),
      ['4 Argo CD applications (app0, app1, app2…) name no environment and deploy to one destination: a catalogue of applications, not environments'],
    );
  });

  it('is no catalogue with two destinations, a ladder word in a name or path, or an explicit environment', async () => {
    assert.deepEqual(names(await argo(cat(2, (i) => `{ name: c${i} }`))), ['app0', 'app1']);
    const withWord = cat(2);
    withWord['apps/x.yaml'] = app('x', '  source: { repoURL: https://charts.example.com/x, path: charts/x/prod }\n  destination: { name: in-cluster }\n');
    assert.deepEqual(names(await argo(withWord)), ['app0', 'app1', 'x']);
    const named = cat(1);
    named['apps/qa.yaml'] = app('qa', '  source: { repoURL: https://charts.example.com/x, path: charts/x }\n  destination: { name: in-cluster }\n');
    assert.deepEqual(names(await argo(named)), ['app0', 'qa']);
    const explicit = { 'argocd/s.yaml': appSet('s', "  generators:\n    - list: { elements: [{ env: blue }] }\n  template:\n    metadata: { name: 'x-{{env}}' }\n    spec: { source: { repoURL: https://o/r, path: p }, destination: { name: d } }\n") };
    assert.deepEqual(names(await argo(explicit)), ['blue']);
  });
});

describe('Argo CD discovery: ApplicationSets', () => {
  const template = "  template:\n    metadata: { name: 'shop-{{name}}' }\n    spec: { source: { repoURL: https://github.com/acme/gitops.git, path: 'envs/{{name}}' }, destination: { name: '{{name}}' } }\n";

  it('names each generated application by env, environment or stage, top level or under values, else by its rendered name', async () => {
    const elements = [
      '{ name: a, env: e1, environment: x, stage: y }',
      '{ name: b, environment: e2, stage: y }',
      '{ name: c, stage: e3 }',
      '{ name: d, values.env: e4 }',
      '{ name: e, values: { environment: e5 } }',
      '{ name: f, values: { stage: e6 }, values.environment: e7 }',
      '{ name: g, env: "{{x}}" }',
      '{ name: h, env: "  " , values: 3 }',
    ];
    const result = await argo({ 'argocd/s.yaml': appSet('s', `  generators:\n    - list:\n        elements:\n${elements.map((e) => `          - ${e}\n`).join('')}${template}`) });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.declaredAt?.range?.start.line]),
      [
        ['e1', 'envs/a', 9],
        ['e2', 'envs/b', 10],
        ['e3', 'envs/c', 11],
        ['e4', 'envs/d', 12],
        ['e5', 'envs/e', 13],
        ['e7', 'envs/f', 14],
        ['shop-g', 'envs/g', 15],
        ['shop-h', 'envs/h', 16],
      ],
    );
    assert.deepEqual(result.problems, []);
  });

  it('reports an ApplicationSet without template or generators at its spec', async () => {
    for (const body of ['  generators: []\n', `  generators: {}\n${template}`, '  generators: []\n  template: []\n']) {
      const result = await argo({ 'argocd/s.yaml': appSet('broken', body) });
      assert.deepEqual(
        result.problems.map((p) => [p.message, p.location?.range?.start.line, p.hint]),
        [['ApplicationSet "broken" has no template or generators', 5, 'add spec.generators and spec.template']],
      );
    }
    const noSpec = await argo({ 'argocd/s.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: { name: n }\n' });
    assert.deepEqual(
      noSpec.problems.map((p) => p.message),
      ['ApplicationSet "n" has no template or generators'],
    );
  });

  it('reports generators producing nothing, at spec.generators, and an element without a name, at the element', async () => {
    const empty = await argo({ 'argocd/s.yaml': appSet('s', `  generators:\n    - list: { elements: [] }\n${template}`) });
    assert.deepEqual(
      empty.problems.map((p) => [p.message, p.location?.range?.start.line, p.hint]),
      [['ApplicationSet "s": its generators produce no application from this repository\'s files', 6, 'check the generator paths, or declare the environments in gitops.yaml']],
    );
    const unnamed = await argo({
      'argocd/s.yaml': appSet('s', "  generators:\n    - list: { elements: [{ name: dev }, { other: 1 }, { other: 2 }] }\n  template:\n    metadata: { name: '{{name}}' }\n    spec: { source: { repoURL: https://o/r, path: p }, destination: { name: d } }\n"),
    });
    assert.deepEqual(names(unnamed), ['dev']);
    assert.deepEqual(
      unnamed.problems.map((p) => [p.message, p.hint]),
      [
        ['ApplicationSet "s": cannot tell the environment name of list element 2', 'give each element an "env" key, or declare the environments in gitops.yaml'],
        ['ApplicationSet "s": cannot tell the environment name of list element 3', 'give each element an "env" key, or declare the environments in gitops.yaml'],
      ],
    );
    const git = await argo({
      'argocd/s.yaml': appSet('s', "  generators:\n    - git: { repoURL: https://o/r, directories: [{ path: 'apps/*' }] }\n  template:\n    metadata: { name: '{{x}}' }\n    spec: { source: { repoURL: https://o/r, path: '{{path}}' }, destination: { name: d } }\n"),
    }, ['apps/one/a.yaml']);
    assert.deepEqual(
      git.problems.map((p) => p.message),
      ['ApplicationSet "s": cannot tell the environment name of a generated application'],
    );
  });

  it('skips a generated application without a spec, and reports generator problems with the ApplicationSet\'s name and the generator\'s line', async () => {
    const result = await argo({
      'argocd/s.yaml': appSet('s', "  generators:\n    - list: { elements: [{ env: dev }] }\n    - plugin: {}\n  template:\n    metadata: { name: 'x' }\n    spec: '{{env}}'\n"),
    });
    assert.deepEqual(result.environments, []);
    assert.deepEqual(
      result.problems.map((p) => [p.message, p.location?.range?.start.line, p.hint]),
      [['ApplicationSet "s": the plugin generator needs the plugin (a service that answers at sync time); it is not expanded offline', 8, 'declare the environments it makes in gitops.yaml']],
    );
  });

  it('expands git generators of this repository only: every repoURL without remotes, a matching one with them', async () => {
    const files: Files = {
      'argocd/s.yaml': appSet('s', "  generators:\n    - git: { repoURL: 'https://github.com/acme/gitops.git', directories: [{ path: 'envs/*' }] }\n  template:\n    metadata: { name: '{{path.basename}}' }\n    spec: { source: { repoURL: https://github.com/acme/gitops.git, path: '{{path}}' }, destination: { name: d } }\n"),
    };
    const extra = ['envs/dev/a.yaml', 'envs/prod/a.yaml'];
    assert.deepEqual(names(await argo(files, extra)), ['dev', 'prod']);
    assert.deepEqual(names(await argo(files, extra, { remoteUrls: [] })), ['dev', 'prod']);
    assert.deepEqual(names(await argo(files, extra, { remoteUrls: ['not a url'] })), ['dev', 'prod']);
    assert.deepEqual(names(await argo(files, extra, { remoteUrls: ['git@github.com:acme/gitops'] })), ['dev', 'prod']);
    const other = await argo(files, extra, { remoteUrls: ['git@github.com:acme/other'] });
    assert.deepEqual(names(other), []);
    assert.deepEqual(
      other.problems.map((p) => p.message),
      ['ApplicationSet "s": the git generator reads https://github.com/acme/gitops.git, another repository; it is not expanded here'],
    );
  });

  it('reads git files generators through readFile, and finds nothing without one', async () => {
    const files: Files = {
      'argocd/s.yaml': appSet('s', "  generators:\n    - git: { repoURL: https://o/r, files: [{ path: 'config/*.json' }] }\n  template:\n    metadata: { name: 'x-{{env}}' }\n    spec: { source: { repoURL: https://o/r, path: 'envs/{{env}}' }, destination: { name: d } }\n"),
      'config/dev.json': '{"env": "dev"}',
      'config/prod.json': '{"env": "prod"}',
    };
    assert.deepEqual(names(await argo(files)), ['dev', 'prod']);
    const manifests = parsed({ 'argocd/s.yaml': files['argocd/s.yaml'] });
    const without = await discoverArgoEnvironments({ manifests, files: Object.keys(files) });
    assert.deepEqual(names(without), []);
  });
});

describe('Argo CD discovery: which manifests count', () => {
  it('reads Applications and ApplicationSets of argoproj.io only, and no folder of an ApplicationSet is an app-of-apps', async () => {
    const result = await argo(
      {
        'appsets/set.yaml': appSet('s', "  generators:\n    - list: { elements: [{ env: qa }] }\n  template:\n    metadata: { name: x }\n    spec: { source: { repoURL: https://github.com/acme/gitops.git, path: apps/qa }, destination: { name: qa } }\n"),
        'argocd/apps.yaml': [
          app('dev', `  source: { repoURL: ${REPO}, path: appsets }\n  destination: { name: dev }\n`),
          'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: { name: prod }\nspec: { sourceRepos: ["*"] }\n',
          app('staging', `  source: { repoURL: ${REPO}, path: x }\n  destination: { name: staging }\n`).replace('argoproj.io/v1alpha1', 'example.com/v1'),
        ].join('---\n'),
      },
      ['apps/qa/a.yaml'],
      { remoteUrls: [REPO] },
    );
    assert.deepEqual(names(result), ['qa', 'dev']);
    assert.deepEqual(result.problems, []);
  });

  it('reports only the generator when an ApplicationSet\'s generators cannot be expanded at all', async () => {
    const result = await argo({ 'argocd/s.yaml': appSet('s', "  generators:\n    - plugin: {}\n  template:\n    metadata: { name: x }\n    spec: { source: { path: p }, destination: { name: d } }\n") });
    assert.deepEqual(
      result.problems.map((p) => p.message),
      ["ApplicationSet \"s\": the plugin generator needs the plugin (a service that answers at sync time); it is not expanded offline"],
    );
  });

  it('renders goTemplate ApplicationSets with Go-template parameters', async () => {
    const result = await argo({ 'argocd/s.yaml': appSet('s', "  goTemplate: true\n  generators:\n    - list: { elements: [{ e: dev }, { e: prod }] }\n  template:\n    metadata: { name: 'x-{{.e}}' }\n    spec: { source: { repoURL: https://o/r, path: 'envs/{{.e}}' }, destination: { name: '{{.e}}' } }\n") });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.cluster.context]),
      [
        ['x-dev', 'envs/dev', 'dev'],
        ['x-prod', 'envs/prod', 'prod'],
      ],
    );
    const notGo = await argo({ 'argocd/s.yaml': appSet('s', "  goTemplate: 'true'\n  generators:\n    - list: { elements: [{ e: dev }, { e: prod }] }\n  template:\n    metadata: { name: 'x-{{e}}' }\n    spec: { source: { repoURL: https://o/r, path: 'envs/{{e}}' }, destination: { name: '{{e}}' } }\n") });
    assert.deepEqual(names(notGo), ['x-dev', 'x-prod']);
  });
});

describe('branchFromRevision: more revisions', () => {
  it('reads branches and refuses pins', () => {
    const cases: Array<[unknown, string | null]> = [
      [' main ', 'main'],
      ['refs/heads/refs/heads/x', 'x'],
      ['refs/heads/HEAD', null],
      ['{{.branch}}', null],
      ['abcdefa', 'abcdefa'],
      ['abc1234', null],
      ['ABC1234', null],
      ['abc123', 'abc123'],
      [`a${'1'.repeat(40)}`, `a${'1'.repeat(40)}`],
      ['v1', null],
      ['2', null],
      ['v1.2.3+build.5', null],
      ['v1.x', 'v1.x'],
      ['1.2.3.', null],
      ['^1.2', null],
      ['~1.2', null],
      ['<2', null],
      ['1.0 || 2.0', null],
      ['feature/a', 'feature/a'],
      ['bad..x', null],
      ['release-1.2', 'release-1.2'],
      [42, null],
    ];
    for (const [revision, expected] of cases) assert.equal(branchFromRevision(revision), expected, String(revision));
  });
});

function shuffle<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const TIERS = ['dev', 'int', 'qa', 'perf', 'staging', 'prod'];

describe('discovery properties over generated repositories', () => {
  it('folder per environment: every ladder folder of envs/ is an environment, in ladder order, production protected, whatever else is beside it', () => {
    const next = random(14);
    for (let run = 0; run < 60; run++) {
      const chosen = TIERS.filter(() => next() < 0.6);
      if (chosen.length === 0) chosen.push('qa');
      const noise = ['envs/base/a.yaml', 'envs/components/x.yaml', 'base/a.yaml', 'variants/prod/kustomization.yaml', 'docs/dev/a.yaml'].filter(() => next() < 0.5);
      const files = shuffle([...chosen.map((t) => `envs/${t}/kustomization.yaml`), ...noise], next);
      const result = discoverFolderEnvironments(files);
      assert.deepEqual(
        result.environments.map((e) => [e.name, e.path, e.protected, e.declaredAt?.file]),
        chosen.map((t) => [t, `envs/${t}`, t === 'prod', `envs/${t}/kustomization.yaml`]),
        files.join(' '),
      );
      assert.deepEqual(result.problems, []);
    }
  });

  it('branch names: a tier with up to three region words is an environment; one work word anywhere after it makes it none', () => {
    const next = random(7);
    const regions = ['eu', 'us', 'west', 'east', '1', '2', 'asia', 'emea', 'central'];
    const work = ['fix', 'feature', 'wip', 'bump', 'revert', 'test', 'release', 'to'];
    for (let run = 0; run < 200; run++) {
      const tier = TIERS[Math.floor(next() * TIERS.length)];
      const words = Array.from({ length: Math.floor(next() * 4) }, () => regions[Math.floor(next() * regions.length)]);
      const name = [tier, ...words].join(next() < 0.5 ? '-' : '_');
      assert.equal(environmentOfBranch(name), name, name);
      assert.equal(environmentOfBranch(`env/${name}`), name, name);
      const at = 1 + Math.floor(next() * words.length);
      const spoiled = [tier, ...words.slice(0, at - 1), work[Math.floor(next() * work.length)], ...words.slice(at - 1)].slice(0, 4).join('-');
      assert.equal(environmentOfBranch(spoiled), null, spoiled);
    }
  });

  it('Kargo: a chain of stages comes out in freight order whatever the order of the files and documents', () => {
    const next = random(3);
    const chain = ['sandbox', 'prod', 'canary', 'dev', 'qa-eu', 'zeta'];
    for (let run = 0; run < 20; run++) {
      const docs = chain.map((name, i) => kargoStage(name, i === 0 ? '{ direct: true }' : `{ stages: [${chain[i - 1]}] }`));
      const files: Files = {};
      shuffle(docs, next).forEach((doc, i) => {
        files[`kargo/${String.fromCharCode(97 + (i % 3))}.yaml`] = files[`kargo/${String.fromCharCode(97 + (i % 3))}.yaml`] ? `${files[`kargo/${String.fromCharCode(97 + (i % 3))}.yaml`]}---\n${doc}` : doc;
      });
      assert.deepEqual(names(discoverKargoEnvironments(parsed(files))), chain);
    }
  });
});
