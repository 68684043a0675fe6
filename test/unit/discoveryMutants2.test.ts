// More rules of environment discovery that the layout tests and discoveryMutants.test.ts leave
// open: which branch names are pieces of work (two tiers sharing a work word are no lane), which
// branch names never pair with an environment folder, that a region or variant alone names no
// environment, which files' kind lines make discovery parse them as Flux or Kargo, and that the
// result does not depend on the order reads finish in; Flux without Kustomizations asks for no
// branch, and an ExternalArtifact is followed only through a generator that produces it. Exists to kill the StrykerJS mutation
// survivors of the `discovery` group left by discoveryMutants.test.ts (src/core/branchDiscovery.ts,
// src/core/discovery.ts, src/core/fluxDiscovery.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoverBranchEnvironments, environmentOfBranch } from '../../src/core/branchDiscovery';
import { discoverEnvironments, type DiscoveryResult } from '../../src/core/discovery';
import { discoverFluxEnvironments, mapArtifactPath } from '../../src/core/fluxDiscovery';
import { parseManifests, type ParsedManifest } from '../../src/core/manifest';
import type { BranchInfo } from '../../src/core/model';
import type { RepoView } from '../../src/core/repoView';
import { MemoryRepoView, branch } from './helpers/memoryRepoView';

type Files = Record<string, string>;

const b = (list: string[]): BranchInfo[] => list.map((n) => branch(n));

function names(result: { environments: ReadonlyArray<{ name: string }> }): string[] {
  return result.environments.map((e) => e.name);
}

async function discover(files: Files): Promise<DiscoveryResult> {
  return discoverEnvironments(new MemoryRepoView(files, ['main']));
}

const WORK_WORDS = ['fix', 'fixes', 'hotfix', 'bugfix', 'bug', 'feature', 'feat', 'patch', 'update', 'upgrade', 'bump', 'wip', 'tmp', 'temp', 'backup', 'bak', 'old', 'copy', 'revert', 'merge', 'refactor', 'cleanup', 'release', 'rollback', 'hack', 'poc', 'draft', 'try', 'experiment', 'tests', 'tenant', 'renovate', 'dependabot', 'deps', 'chore', 'docs', 'ci', 'to', 'from'];

describe('branch discovery: work branches', () => {
  it('makes no lane of a work word, even when every tier has a branch with it (dev-fix, qa-fix, prod-fix)', async () => {
    for (const word of WORK_WORDS) {
      const result = await discoverBranchEnvironments({ branches: b([`dev-${word}`, `qa-${word}`, `prod-${word}`, 'dev', 'prod']) });
      assert.deepEqual(names(result), ['dev', 'prod'], word);
    }
    // The same shape with a lane word is three environments: the rule above is about the word.
    assert.deepEqual(names(await discoverBranchEnvironments({ branches: b(['dev-acme', 'qa-acme', 'prod-acme']) })).sort(), ['dev-acme', 'prod-acme', 'qa-acme']);
  });

  it('never pairs trunk, head, gh-pages, hotfix, release or tenant branches with a folder of that name', async () => {
    for (const word of ['trunk', 'head', 'gh-pages', 'hotfix', 'release', 'tenant', 'tenants']) {
      const files = [`envs/${word}/kustomization.yaml`, 'envs/demo/kustomization.yaml', 'envs/dev/kustomization.yaml'];
      const result = await discoverBranchEnvironments({ branches: b([word, 'demo']), files });
      assert.deepEqual(
        result.environments.map((e) => [e.name, e.branch, e.path]),
        [['demo', 'demo', 'envs/demo']],
        word,
      );
    }
  });

  it('takes no region or variant alone as an environment: the tier comes first', () => {
    for (const name of ['eu', 'us', 'a', 'eu1', 'asia', 'west', 'us-east-1', 'eu-west', 'blue', 'canary', 'large']) assert.equal(environmentOfBranch(name), null, name);
    assert.equal(environmentOfBranch('prod-us-east-1'), 'prod-us-east-1');
    assert.equal(environmentOfBranch('prod-canary'), 'prod-canary');
  });

  it('takes no branch name with a dot, before or after the tier (pre-prod.old, v1.pre-prod)', async () => {
    for (const name of ['pre-prod.old', 'pre-prod.v2', 'v1.pre-prod', 'x.preprod']) assert.equal(environmentOfBranch(name), null, name);
    // Release branches of two tiers (staging-v1.2, prod-v1.2) are no lane either.
    assert.deepEqual(names(await discoverBranchEnvironments({ branches: b(['staging-v1.2', 'prod-v1.2', 'staging-v1.3', 'prod-v1.3']) })), []);
  });
});

describe('discoverEnvironments: kind lines of Flux and Kargo files', () => {
  const fluxKs = (kindLine: string): string =>
    `apiVersion: kustomize.toolkit.fluxcd.io/v1\n${kindLine}\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  sourceRef: { kind: GitRepository, name: flux-system }\n  path: ./apps/dev\n`;
  const stage = (kindLine: string, name: string, sources: string): string =>
    `apiVersion: kargo.akuity.io/v1alpha1\n${kindLine}\nmetadata:\n  name: ${name}\nspec:\n  requestedFreight:\n    - origin: { kind: Warehouse, name: shop }\n      sources: ${sources}\n`;
  const stages = (kindLine: string): string => `${stage(kindLine, 'dev', '{ direct: true }')}---\n${stage(kindLine, 'prod', '{ stages: [dev] }')}`;
  const list = (kind: string, rest: string, dash = '- '): string => `apiVersion: v1\nkind: List\nitems:\n  ${dash}kind: ${kind}\n${rest}`;

  it('reads a Flux Kustomization whose kind line is quoted, double-spaced, commented or a list item, and not one with trailing text', async () => {
    const source = async (text: string): Promise<string | null> => (await discover({ 'clusters/dev/apps.yaml': text })).source;
    for (const line of ['kind: Kustomization', 'kind:  Kustomization', "kind: 'Kustomization'", 'kind: Kustomization   # apps of the cluster']) assert.equal(await source(fluxKs(line)), 'flux', line);
    // Not parsed as Flux: the folder layer takes clusters/dev instead.
    assert.equal(await source(fluxKs('kind: Kustomization trailing')), 'folders');
    const item = '    apiVersion: kustomize.toolkit.fluxcd.io/v1\n    metadata: { name: apps, namespace: flux-system }\n    spec: { sourceRef: { kind: GitRepository, name: flux-system }, path: ./apps/dev }\n';
    assert.equal(await source(list('Kustomization', item)), 'flux');
    assert.equal(await source(list('Kustomization', item.replace(/^ {4}/gm, '      '), '-   ')), 'flux');
  });

  it('reads Kargo Stages whose kind line is quoted, double-spaced, commented or a list item, and not one with trailing text', async () => {
    const found = async (text: string): Promise<string[]> => names(await discover({ 'kargo/stages.yaml': text }));
    for (const line of ['kind: "Stage"', "kind: 'Stage'", 'kind:  Stage', 'kind: Stage   # the first stage', 'kind: Stage #x']) assert.deepEqual(await found(stages(line)), ['dev', 'prod'], line);
    assert.deepEqual(await found(stages('kind: Stage trailing')), []);
    const item = (name: string, sources: string, indent: string): string =>
      `${indent}apiVersion: kargo.akuity.io/v1alpha1\n${indent}metadata: { name: ${name} }\n${indent}spec: { requestedFreight: [{ origin: { kind: Warehouse, name: shop }, sources: ${sources} }] }\n`;
    assert.deepEqual(await found(list('Stage', item('dev', '{ direct: true }', '    '))), ['dev']);
    assert.deepEqual(await found(list('Stage', item('dev', '{ direct: true }', '      '), '-   ')), ['dev']);
  });

  it('reads an Argo CD Application whose kind line is double-spaced', async () => {
    const app = 'apiVersion: argoproj.io/v1alpha1\nkind:  Application\nmetadata:\n  name: shop-dev\nspec:\n  source: { repoURL: https://github.com/acme/gitops.git, path: envs/dev }\n  destination: { name: dev }\n';
    const result = await discover({ 'argocd/app.yaml': app });
    assert.deepEqual([result.source, names(result)], ['argocd', ['shop-dev']]);
  });

  it('does not parse a file whose Kustomization or Stage kind line comes without the Flux or Kargo group, so its errors are not reported', async () => {
    const result = await discover({
      'ci/pipeline.yaml': 'kind: Stage\nmetadata: [\n',
      'overlays/base-patch.yaml': 'kind: Kustomization\nmetadata: [\n',
      'ci/tasks.yaml': 'kind: PromotionTask\nsteps: [\n',
      'ci/source.yaml': 'kind: GitRepository\nspec: [\n',
      'envs/dev/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
      'envs/prod/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    });
    assert.equal(result.source, 'folders');
    assert.deepEqual(result.problems, []);
  });

  it('does not parse a file whose Application, Kustomization or Stage kind line is commented out', async () => {
    const result = await discover({
      'argocd/project.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\n# kind: Application\nmetadata: [\n',
      'clusters/dev/component.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Component\n#kind: Kustomization\nmetadata: [\n',
      'kargo/warehouse.yaml': 'apiVersion: kargo.akuity.io/v1alpha1\nkind: Warehouse\n#  kind: Stage\nmetadata: [\n',
      'envs/dev/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
      'envs/prod/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    });
    assert.equal(result.source, 'folders');
    assert.deepEqual(result.problems, []);
  });

  it('counts only a file named exactly Chart.yaml or Chart.yml as a Helm chart, not a backup of one', async () => {
    const app = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop-dev\nspec:\n  source: { repoURL: https://github.com/acme/gitops.git, path: envs/dev }\n  destination: { name: dev }\n';
    const view = new MemoryRepoView({ 'old/Chart.yaml.orig': 'name: c\n', 'old/templates/app.yaml': app, 'chart/Chart.yml': 'name: c\n', 'chart/templates/app.yaml': app }, ['main']);
    await discoverEnvironments(view);
    assert.deepEqual(view.reads, ['old/templates/app.yaml']);
  });
});

describe('discoverEnvironments: the order reads finish in', () => {
  /** A view whose reads all finish together, in reverse order of the requests. */
  function reversedReads(files: Files): RepoView {
    const base = new MemoryRepoView(files, ['main']);
    const count = Object.keys(files).filter((f) => /\.ya?ml$/.test(f)).length;
    const pending: Array<() => void> = [];
    return {
      listFiles: () => base.listFiles(),
      branches: () => base.branches(),
      readFile: (path) =>
        new Promise((resolve) => {
          pending.push(() => void base.readFile(path).then(resolve));
          if (pending.length === count) for (const release of pending.reverse()) release();
        }),
    };
  }
  const stage = (name: string, sources: string, path: string): string =>
    `apiVersion: kargo.akuity.io/v1alpha1\nkind: Stage\nmetadata:\n  name: ${name}\nspec:\n  requestedFreight:\n    - origin: { kind: Warehouse, name: shop }\n      sources: ${sources}\n  promotionTemplate:\n    spec:\n      steps:\n        - uses: kustomize-set-image\n          config: { path: ${path} }\n`;

  it('keeps the Kargo Stage of the first file by path when two projects name a stage alike', async () => {
    const files: Files = {
      'kargo/a-shop.yaml': `${stage('dev', '{ direct: true }', './shop/dev')}---\n${stage('prod', '{ stages: [dev] }', './shop/prod')}`,
      'kargo/b-web.yaml': `${stage('dev', '{ direct: true }', './web/dev')}---\n${stage('prod', '{ stages: [dev] }', './web/prod')}`,
      'kargo/c-api.yaml': `${stage('dev', '{ direct: true }', './api/dev')}---\n${stage('prod', '{ stages: [dev] }', './api/prod')}`,
    };
    const result = await discoverEnvironments(reversedReads(files));
    assert.equal(result.source, 'kargo');
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.declaredAt?.file]),
      [
        ['dev', 'shop/dev', 'kargo/a-shop.yaml'],
        ['prod', 'shop/prod', 'kargo/a-shop.yaml'],
      ],
    );
    assert.deepEqual(
      result.problems.map((p) => [p.message, p.location?.file]),
      [
        ['Environment "dev" was found twice (first found in kargo/a-shop.yaml:1); this one is ignored', 'kargo/b-web.yaml'],
        ['Environment "dev" was found twice (first found in kargo/a-shop.yaml:1); this one is ignored', 'kargo/c-api.yaml'],
        ['Environment "prod" was found twice (first found in kargo/a-shop.yaml:14); this one is ignored', 'kargo/b-web.yaml'],
        ['Environment "prod" was found twice (first found in kargo/a-shop.yaml:14); this one is ignored', 'kargo/c-api.yaml'],
      ],
    );
  });

  it('takes the first Flux Kustomization by path and document of a cluster folder as its environment\'s', async () => {
    const ks = (name: string, path: string): string =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  sourceRef: { kind: GitRepository, name: flux-system }\n  path: ${path}\n`;
    const files: Files = {
      'clusters/dev/a.yaml': `${ks('web', './web/dev')}---\n${ks('api', './api/dev')}`,
      'clusters/dev/b.yaml': ks('shop', './shop/dev'),
      'clusters/dev/c.yaml': ks('jobs', './jobs/dev'),
      'clusters/prod/a.yaml': ks('web', './web/prod'),
    };
    const result = await discoverEnvironments(reversedReads(files));
    assert.equal(result.source, 'flux');
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.paths ?? [e.path], e.declaredAt?.file, e.declaredAt?.range?.start.line]),
      [
        ['dev', ['web/dev', 'api/dev', 'shop/dev', 'jobs/dev'], 'clusters/dev/a.yaml', 1],
        ['prod', ['web/prod'], 'clusters/prod/a.yaml', 1],
      ],
    );
  });
});

describe('Flux discovery: no Kustomization, and ExternalArtifacts without their generator', () => {
  const parsedOf = (files: Files): ParsedManifest[] => Object.entries(files).flatMap(([file, text]) => parseManifests(text, file).manifests);
  const ks = (name: string, path: string, sourceName: string, sourceKind: string): string =>
    `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  sourceRef:\n    kind: ${sourceKind}\n    name: ${sourceName}\n  path: ${path}\n`;
  const generator = (artifact: string, from: string): string =>
    `apiVersion: source.extensions.fluxcd.io/v1beta1\nkind: ArtifactGenerator\nmetadata:\n  name: gen-${artifact}\nspec:\n  sources: [{ alias: mono, kind: GitRepository, name: flux-system }]\n  artifacts:\n    - name: ${artifact}\n      copy: [{ from: "${from}", to: "@artifact/" }]\n`;

  it('asks for no branch and finds nothing when the repository has Flux sources but no Kustomization', async () => {
    let asked = 0;
    const result = await discoverFluxEnvironments(
      parsedOf({ 'clusters/dev/source.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: { name: apps }\nspec: { url: https://github.com/acme/apps, ref: { branch: main } }\n' }),
      {
        branches: async () => {
          asked++;
          return [branch('main')];
        },
      },
    );
    assert.deepEqual([result.environments, result.problems, asked], [[], [], 0]);
  });

  it('reports an ExternalArtifact that no ArtifactGenerator in the repository produces, at the Kustomization\'s sourceRef', async () => {
    const result = await discoverFluxEnvironments(parsedOf({ 'clusters/dev/apps.yaml': ks('apps', './dev', 'apps', 'ExternalArtifact') }), { branches: async () => [branch('main')] });
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.branch]),
      [['dev', null, null]],
    );
    assert.deepEqual(
      result.problems.map((p) => [p.message, p.location?.file, p.location?.range?.start.line]),
      [['Flux Kustomization "apps" reconciles ExternalArtifact "apps"; the folder it reads in this repository cannot be told', 'clusters/dev/apps.yaml', 7]],
    );
  });

  it('follows the generator that produces the artifact, even when another cluster\'s generator produces only other artifacts', async () => {
    const result = await discoverFluxEnvironments(
      parsedOf({
        'clusters/dev/apps.yaml': ks('apps', './dev', 'apps', 'ExternalArtifact'),
        'clusters/dev/generator.yaml': generator('other', '@mono/other/**'),
        'clusters/shared/generator.yaml': generator('apps', '@mono/apps/**'),
        'clusters/shared/sync.yaml': ks('infra', './infrastructure', 'flux-system', 'GitRepository'),
      }),
      { branches: async () => [branch('main')] },
    );
    const dev = result.environments.find((e) => e.name === 'dev');
    assert.deepEqual([dev?.path, dev?.branch], ['apps/dev', 'main']);
    assert.deepEqual(result.problems, []);
  });
});

describe('mapArtifactPath: a path inside a Flux ArtifactGenerator artifact back to the source repository', () => {
  const copy = (from: string, to: string): { from: string; to: string } => ({ from, to });

  it('follows a whole-directory copy, whatever form its glob takes, and keeps the rest of the path', () => {
    for (const from of ['@monorepo/apps/staging/**', '@monorepo/apps/staging/**/*', '@monorepo/apps/staging/*', '@monorepo/apps/staging', '@monorepo/apps/staging/', '@monorepo/apps/staging//']) {
      assert.deepEqual(mapArtifactPath([copy(from, '@artifact/staging/')], 'staging/app'), { alias: 'monorepo', path: 'apps/staging/app' }, from);
      assert.deepEqual(mapArtifactPath([copy(from, '@artifact/staging')], 'staging'), { alias: 'monorepo', path: 'apps/staging' }, `${from}, the folder itself`);
    }
  });

  it('the artifact root and a source root map path for path', () => {
    assert.deepEqual(mapArtifactPath([copy('@monorepo/apps', '@artifact/')], 'staging/x'), { alias: 'monorepo', path: 'apps/staging/x' });
    assert.deepEqual(mapArtifactPath([copy('@monorepo/apps', '@artifact//')], 'staging/x'), { alias: 'monorepo', path: 'apps/staging/x' });
    assert.deepEqual(mapArtifactPath([copy('@monorepo', '@artifact/staging')], 'staging/x'), { alias: 'monorepo', path: 'x' });
  });

  it('a glob left inside the source names no single folder, and text around the @ forms is no copy rule', () => {
    for (const from of ['@monorepo/apps/*/base', '@monorepo/apps/**/base', '@monorepo/apps/stag?ng', '@monorepo/apps/[ab]', '@monorepo/apps/{a,b}']) assert.equal(mapArtifactPath([copy(from, '@artifact/staging')], 'staging/x'), undefined, from);
    assert.equal(mapArtifactPath([copy('x@monorepo/apps', '@artifact/staging')], 'staging/x'), undefined);
    assert.equal(mapArtifactPath([copy('@monorepo/apps', 'pre@artifact/staging')], 'staging/x'), undefined);
    assert.equal(mapArtifactPath([copy('monorepo/apps', '@artifact/staging')], 'staging/x'), undefined);
    assert.equal(mapArtifactPath(['@monorepo/apps', null, { from: 1, to: '@artifact/' }], 'staging/x'), undefined);
  });

  it('only a path inside the copy target: staging2 is not inside staging', () => {
    assert.equal(mapArtifactPath([copy('@monorepo/apps', '@artifact/staging')], 'staging2/x'), undefined);
    assert.equal(mapArtifactPath([copy('@monorepo/apps', '@artifact/staging')], 'prod/x'), undefined);
  });

  it('the longest target wins, in either order; of two equally long, the first', () => {
    const general = copy('@a/one', '@artifact/');
    const specific = copy('@b/two', '@artifact/staging/');
    assert.deepEqual(mapArtifactPath([general, specific], 'staging/x'), { alias: 'b', path: 'two/x' });
    assert.deepEqual(mapArtifactPath([specific, general], 'staging/x'), { alias: 'b', path: 'two/x' });
    assert.deepEqual(mapArtifactPath([copy('@a/one', '@artifact/staging'), copy('@b/two', '@artifact/staging')], 'staging/x'), { alias: 'a', path: 'one/x' });
  });
});
