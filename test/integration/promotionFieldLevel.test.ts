// Folder promotions value by value, on generated repositories of the layouts teams use (real Git,
// real `kubectl kustomize`): only what flows is written — image tags, chart versions, settings
// that flowed before — and never an environment's identity (namespace, namePrefix, components,
// STAGE, host names) or its own values (replicas, settings that never flowed). Written files
// differ from the target's only on the promoted lines. Safety checks warn about downgrades and a
// target that is ahead, and an identity change blocks the pull request unless allowed.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import { reselectPlan, withRenderedDiff } from '../../src/core/promotion/buildPlan';
import { PromotionError } from '../../src/core/promotion/promotionError';
import type { PromotionPlan } from '../../src/core/promotion/promotionTypes';
import { GitRepository } from '../../src/git/gitRepository';
import { executePlan } from '../../src/git/promotion/executePlan';
import { planPromotion } from '../../src/git/promotion/planPromotion';
import { loadPromotionContext } from '../../src/git/promotion/promotionContext';
import { renderPlanChange } from '../../src/git/promotion/renderPlanChange';
import { commitOn, hostedRepo, pushBranches, remoteFile, type PromotionRepo } from './helpers/hostServers/promotionRepos';
import { commitAll, git, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

after(removeTempDirs);

async function planFor(work: string, from: string, to: string, extra: { allowIdentityChange?: boolean } = {}): Promise<{ repo: GitRepository; plan: PromotionPlan }> {
  const repo = await GitRepository.open(work);
  const context = await loadPromotionContext(repo);
  assert.deepEqual(context.problems.filter((p) => p.severity === 'error'), []);
  const plan = await planPromotion(repo, { environments: context.environments, from, to, promotion: context.promotion, selection: extra.allowIdentityChange ? { allowIdentityChange: true } : undefined });
  return { repo, plan };
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** Lines of `after` that differ from `before` at the same position (both must have as many lines). */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(a.length, b.length, 'an in-place edit keeps the number of lines');
  return b.filter((line, i) => line !== a[i]);
}

function valueClasses(plan: PromotionPlan): Record<string, string> {
  return Object.fromEntries(plan.values.map((v) => [`${v.file.slice(v.file.lastIndexOf('/') + 1)} ${v.path}`, `${v.class}${v.selected ? ' ✓' : ''}`]));
}

// ---- Layout 1: base + variants components + envs/<env> overlays ----

function overlay(env: string, o: { tier: string; image: string; feature: string; logLevel: string; replicas: number }): Record<string, string> {
  return {
    [`envs/${env}/kustomization.yaml`]: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
# ${env}: where and as what it runs
namespace: shop-${env}
namePrefix: ${env}-
resources:
  - ../../base
components:
  - ../../variants/${o.tier}
  - ../../variants/eu
patches:
  - path: env-patch.yaml
  - path: scale.yaml
  - path: image.yaml
  - path: app-config.yaml
`,
    [`envs/${env}/env-patch.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - name: STAGE
              value: "${env}"
`,
    [`envs/${env}/scale.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${o.replicas}
`,
    [`envs/${env}/image.yaml`]: `# The image this environment runs; CI bumps the tag.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app   # the main container
          image: ghcr.io/acme/shop:${o.image}  # bumped by CI
`,
    [`envs/${env}/app-config.yaml`]: `apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-config
data:
  # checkout rewrite behind a flag
  FEATURE_CHECKOUT: "${o.feature}"
  LOG_LEVEL: ${o.logLevel}
`,
  };
}

const LAYOUT1_BASE: Record<string, string> = {
  'gitops.yaml': `apiVersion: gitops-environments/v1
environments:
  - name: staging-eu
    path: envs/staging-eu
  - name: prod-eu
    path: envs/prod-eu
`,
  'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n  - configmap.yaml\n',
  'base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/shop:1.0.0
`,
  'base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
  'base/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop-config\ndata:\n  FEATURE_CHECKOUT: "false"\n  LOG_LEVEL: info\n',
  'variants/prod/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n  - pairs: {tier: prod}\n',
  'variants/non-prod/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n  - pairs: {tier: non-prod}\n',
  'variants/eu/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n  - pairs: {region: eu}\n',
};

/** Staging and prod start equal in what flows; then staging gets a new image and turns the flag on. */
function layout1(): PromotionRepo {
  const repo = hostedRepo({
    ...LAYOUT1_BASE,
    ...overlay('staging-eu', { tier: 'non-prod', image: '1.1.0', feature: 'false', logLevel: 'debug', replicas: 1 }),
    ...overlay('prod-eu', { tier: 'prod', image: '1.1.0', feature: 'false', logLevel: 'warn', replicas: 4 }),
  });
  commitOn(repo, 'main', overlay('staging-eu', { tier: 'non-prod', image: '1.2.0', feature: 'true', logLevel: 'debug', replicas: 1 }), 'staging-eu: shop 1.2.0, checkout flag on');
  return repo;
}

describe('layout 1: overlays per environment over a base and components', () => {
  it('promotes only the image tag and the flag that flowed before; identity and sizing stay unticked', async () => {
    const { work } = layout1();
    const { repo, plan } = await planFor(work, 'staging-eu', 'prod-eu');
    repo.dispose();
    assert.deepEqual(valueClasses(plan), {
      'kustomization.yaml namespace': 'identity',
      'kustomization.yaml namePrefix': 'identity',
      'kustomization.yaml components[0]': 'identity',
      'env-patch.yaml spec.template.spec.containers[name=app].env[name=STAGE].value': 'identity',
      'scale.yaml spec.replicas': 'own',
      'image.yaml spec.template.spec.containers[name=app].image': 'flows ✓',
      'app-config.yaml data.FEATURE_CHECKOUT': 'flows ✓',
      'app-config.yaml data.LOG_LEVEL': 'own',
    });
    assert.equal(plan.values.find((v) => v.path === 'data.LOG_LEVEL')?.reason, 'never flowed: the target’s value was never the source’s');
    assert.equal(plan.values.find((v) => v.path === 'data.FEATURE_CHECKOUT')?.reason, 'flowed before');
    assert.deepEqual(
      plan.files.filter((f) => f.selected).map((f) => f.path),
      ['envs/prod-eu/app-config.yaml', 'envs/prod-eu/image.yaml'],
    );
    assert.deepEqual(plan.warnings, []);
  });

  it('writes the promoted values in place: every other byte of the target files stays, and rendered prod keeps its names and namespace', async () => {
    const remote = layout1();
    const { repo, plan } = await planFor(remote.work, 'staging-eu', 'prod-eu');
    const rendered = await renderPlanChange(repo, plan, { trusted: true });
    assert.equal(rendered.renderer, 'kustomize');
    assert.deepEqual([rendered.added, rendered.removed], [[], []]);
    assert.deepEqual(rendered.changed.sort(), ['ConfigMap shop-prod-eu/prod-eu-shop-config', 'Deployment shop-prod-eu/prod-eu-web']);
    const checked = withRenderedDiff(plan, rendered);
    assert.deepEqual(checked.warnings, []);
    const result = await executePlan(repo, checked, { tempDir: tempDir('gitops-worktrees-') });
    repo.dispose();
    const read = (env: string, file: string, ref: string): string => remoteFile(remote, ref, `envs/${env}/${file}`) ?? '';
    const overlayFiles = ['kustomization.yaml', 'env-patch.yaml', 'scale.yaml', 'image.yaml', 'app-config.yaml'];
    const changed = Object.fromEntries(overlayFiles.map((file) => [file, changedLines(read('prod-eu', file, 'main'), read('prod-eu', file, result.headBranch))]));
    assert.deepEqual(changed, {
      'kustomization.yaml': [],
      'env-patch.yaml': [],
      'scale.yaml': [],
      'image.yaml': ['          image: ghcr.io/acme/shop:1.2.0  # bumped by CI'],
      'app-config.yaml': ['  FEATURE_CHECKOUT: "true"'],
    });
  });

  it('an identity value ticked in the preview blocks execution until the identity change is allowed', async () => {
    const remote = layout1();
    const { repo, plan } = await planFor(remote.work, 'staging-eu', 'prod-eu');
    const namespace = plan.values.find((v) => v.path === 'namespace');
    assert.ok(namespace && !namespace.selected);
    const ticked = reselectPlan(plan, { values: { [namespace.id]: true } });
    assert.deepEqual(ticked.warnings.map((w) => w.code), ['identity-change']);
    assert.match(ticked.body, /Identity change/);
    await assert.rejects(executePlan(repo, ticked, { tempDir: tempDir('gitops-worktrees-') }), (error: unknown) => error instanceof PromotionError && error.code === 'identityChange');
    const allowed = reselectPlan(ticked, { allowIdentityChange: true });
    const result = await executePlan(repo, allowed, { tempDir: tempDir('gitops-worktrees-') });
    repo.dispose();
    assert.match(remoteFile(remote, result.headBranch, 'envs/prod-eu/kustomization.yaml') ?? '', /^namespace: shop-staging-eu$/m);
  });

  it('a target that changed a value it once had from the source warns target-ahead and keeps its value', async () => {
    const remote = layout1();
    // prod turned the flag on, then off again by hand: prod moved on from staging's value.
    commitOn(remote, 'main', { 'envs/prod-eu/app-config.yaml': overlay('prod-eu', { tier: 'prod', image: '1.1.0', feature: 'true', logLevel: 'warn', replicas: 4 })['envs/prod-eu/app-config.yaml'] }, 'prod-eu: flag on');
    commitOn(remote, 'main', { 'envs/prod-eu/app-config.yaml': overlay('prod-eu', { tier: 'prod', image: '1.1.0', feature: 'off', logLevel: 'warn', replicas: 4 })['envs/prod-eu/app-config.yaml'] }, 'prod-eu: flag off (incident)');
    const { repo, plan } = await planFor(remote.work, 'staging-eu', 'prod-eu');
    repo.dispose();
    const flag = plan.values.find((v) => v.path === 'data.FEATURE_CHECKOUT');
    assert.equal(flag?.class, 'own');
    assert.equal(flag?.selected, false);
    assert.deepEqual(plan.warnings.map((w) => w.code), ['target-ahead']);
    assert.match(plan.warnings[0].message, /FEATURE_CHECKOUT: prod-eu once had "?true"? and changed it to "?off"?/);
  });

  it('promote --json --dry-run renders the kustomize target by default and lists values and warnings', async () => {
    const { work } = layout1();
    const { code, out } = await run(['promote', '--repo', work, '--from', 'staging-eu', '--to', 'prod-eu', '--dry-run', '--json']);
    assert.equal(code, 0);
    const json = JSON.parse(out) as { warnings: unknown[]; rendered: { renderer: string; added: string[]; removed: string[] } | null; values: Array<{ path: string; class: string; selected: boolean }>; blocked: boolean };
    assert.deepEqual(json.warnings, []);
    assert.equal(json.blocked, false);
    assert.equal(json.rendered?.renderer, 'kustomize');
    assert.deepEqual([json.rendered?.added, json.rendered?.removed], [[], []]);
    assert.deepEqual(json.values.filter((v) => v.selected).map((v) => v.path), ['data.FEATURE_CHECKOUT', 'spec.template.spec.containers[name=app].image']);
  });

  it('promote refuses (exit 3) a whole-file copy that renames rendered objects, and goes ahead with --allow-identity-change', async () => {
    const remote = layout1();
    // A file that is not compared value by value (it holds a Secret, whose values are never
    // listed) is copied whole: prod's settings object would take staging's name.
    const settings = (env: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: settings-${env}\nstringData:\n  mode: fast\n`;
    const withSettings = (env: string, o: Parameters<typeof overlay>[1]): string => overlay(env, o)[`envs/${env}/kustomization.yaml`].replace('  - ../../base\n', '  - ../../base\n  - settings.yaml\n');
    writeFiles(remote.work, {
      'envs/staging-eu/settings.yaml': `${settings('staging-eu')}---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: deployer\n`,
      'envs/prod-eu/settings.yaml': settings('prod-eu'),
      'envs/staging-eu/kustomization.yaml': withSettings('staging-eu', { tier: 'non-prod', image: '1.2.0', feature: 'true', logLevel: 'debug', replicas: 1 }),
      'envs/prod-eu/kustomization.yaml': withSettings('prod-eu', { tier: 'prod', image: '1.1.0', feature: 'false', logLevel: 'warn', replicas: 4 }),
    });
    commitAll(remote.work, 'settings objects');
    git(remote.work, 'push', '--quiet', 'origin', 'main');
    const refused = await run(['promote', '--repo', remote.work, '--from', 'staging-eu', '--to', 'prod-eu', '--json']);
    assert.equal(refused.code, 3, refused.err);
    assert.match(refused.err, /refusing to open the pull request: it would change prod-eu's identity/);
    const json = JSON.parse(refused.out) as { warnings: Array<{ code: string; message: string }>; blocked: boolean; rendered: { added: string[] } };
    assert.equal(json.blocked, true);
    assert.deepEqual(json.warnings, [
      { code: 'identity-change', message: 'rendered prod-eu would change the name or namespace of 1 object(s): Secret shop-prod-eu/prod-eu-settings-prod-eu → Secret shop-prod-eu/prod-eu-settings-staging-eu' },
    ]);
    // The ServiceAccount staging has too is a new object that flows, not an identity change.
    assert.ok(json.rendered.added.includes('ServiceAccount shop-prod-eu/prod-eu-deployer'));
    assert.equal(git(remote.bare, 'branch', '--list', 'gitops/*').trim(), '', 'nothing was pushed');

    const allowed = await run(['promote', '--repo', remote.work, '--from', 'staging-eu', '--to', 'prod-eu', '--allow-identity-change']);
    assert.equal(allowed.code, 0, allowed.err);
    assert.notEqual(git(remote.bare, 'branch', '--list', 'gitops/*').trim(), '');
  });
});

// ---- Layout 4: Kargo-style env/<stage>/kustomization.yaml ----

function kargoStage(stage: string, tag: string): string {
  return `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop-${stage}
resources:
- ../../base
images:
- name: ghcr.io/acme/shop
  newTag: ${tag} # set by kargo
`;
}

function layout4(stagingTag: string, prodTag: string): PromotionRepo {
  return hostedRepo({
    'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    path: env/staging\n  - name: prod\n    path: env/prod\n',
    'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'base/deployment.yaml': LAYOUT1_BASE['base/deployment.yaml'],
    'env/staging/kustomization.yaml': kargoStage('staging', stagingTag),
    'env/prod/kustomization.yaml': kargoStage('prod', prodTag),
  });
}

describe('an environment made of several folders (one per application)', () => {
  const deployment = (app: string): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\nspec:\n  selector: {matchLabels: {app: ${app}}}\n  template:\n    metadata: {labels: {app: ${app}}}\n    spec:\n      containers:\n        - name: ${app}\n          image: ghcr.io/acme/${app}:1.0.0\n`;
  const overlay = (app: string, env: string, tag: string): string => `resources: [../../base]\nnamespace: ${app}-${env}\nimages:\n  - name: ghcr.io/acme/${app}\n    newTag: "${tag}"\n`;
  /** apps/<app>/overlays/<env> for every app; `tags` gives each app's [staging, prod] tag. */
  function appsRepo(tags: Record<string, [string, string]>, stagingOnly: string[] = []): PromotionRepo {
    const files: Record<string, string> = {};
    for (const app of [...Object.keys(tags), ...stagingOnly]) {
      files[`apps/${app}/base/kustomization.yaml`] = 'resources: [deployment.yaml]\n';
      files[`apps/${app}/base/deployment.yaml`] = deployment(app);
    }
    for (const [app, [staging, prod]] of Object.entries(tags)) {
      files[`apps/${app}/overlays/staging/kustomization.yaml`] = overlay(app, 'staging', staging);
      files[`apps/${app}/overlays/prod/kustomization.yaml`] = overlay(app, 'prod', prod);
    }
    for (const app of stagingOnly) files[`apps/${app}/overlays/staging/kustomization.yaml`] = overlay(app, 'staging', '1.0.0');
    return hostedRepo(files);
  }

  it('every application folder with a pending change is promoted into its own counterpart, and rendered', async () => {
    const tags: Record<string, [string, string]> = { api: ['1.0.1', '1.0.0'], cart: ['2.0.0', '2.0.0'], web: ['1.4.0', '1.3.0'] };
    const remote = appsRepo(tags, ['search']);
    const { repo, plan } = await planFor(remote.work, 'staging', 'prod');
    assert.equal(plan.alreadyInSync, false);
    assert.deepEqual(
      plan.values.filter((v) => v.selected).map((v) => [v.file, v.path, v.to]),
      [
        ['apps/api/overlays/prod/kustomization.yaml', 'images[name=ghcr.io/acme/api].newTag', '1.0.1'],
        ['apps/web/overlays/prod/kustomization.yaml', 'images[name=ghcr.io/acme/web].newTag', '1.4.0'],
      ],
    );
    assert.ok(plan.values.every((v) => v.path !== 'namespace' || !v.selected), 'no namespace is promoted');
    // An application only staging has is no folder of prod's: nothing is written for it.
    assert.ok(plan.files.every((f) => !f.path.startsWith('apps/search/')));
    const rendered = await renderPlanChange(repo, plan, { trusted: true });
    assert.deepEqual(rendered.changed.sort(), ['Deployment api-prod/api', 'Deployment web-prod/web']);
    assert.deepEqual([rendered.added, rendered.removed], [[], []]);
    const result = await executePlan(repo, withRenderedDiff(plan, rendered), { tempDir: tempDir('gitops-worktrees-') });
    repo.dispose();
    for (const [app, [staging, prod]] of Object.entries(tags)) {
      const expected = overlay(app, 'prod', app === 'cart' ? prod : staging);
      assert.equal(remoteFile(remote, result.headBranch, `apps/${app}/overlays/prod/kustomization.yaml`), expected, app);
    }
  });

  it('the first folder in sync does not make the environment in sync', async () => {
    const remote = appsRepo({ api: ['1.0.0', '1.0.0'], web: ['1.4.0', '1.3.0'] });
    const { repo, plan } = await planFor(remote.work, 'staging', 'prod');
    repo.dispose();
    assert.equal(plan.alreadyInSync, false, plan.syncReason ?? '');
    assert.deepEqual(
      plan.values.filter((v) => v.selected).map((v) => v.file),
      ['apps/web/overlays/prod/kustomization.yaml'],
    );
    // Both folders differ only in their namespaces: nothing flows.
    const inSync = appsRepo({ api: ['1.0.0', '1.0.0'], web: ['1.3.0', '1.3.0'] });
    const again = await planFor(inSync.work, 'staging', 'prod');
    again.repo.dispose();
    assert.deepEqual(again.plan.values.filter((v) => v.selected), []);
    assert.deepEqual(again.plan.values.map((v) => [v.file, v.path]), [
      ['apps/api/overlays/prod/kustomization.yaml', 'namespace'],
      ['apps/web/overlays/prod/kustomization.yaml', 'namespace'],
    ]);
  });
});

describe('plain folders: a file that gains or loses a whole object', () => {
  const app = (env: string, replicas: number, tag: string): string =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\n  namespace: shop\n  labels: {env: ${env}}\ndata:\n  DB_HOST: db-${env}.internal\n  CACHE_TTL: "60"\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\n  namespace: shop\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: shop}}\n  template:\n    metadata: {labels: {app: shop}}\n    spec:\n      containers:\n        - name: shop\n          image: ghcr.io/acme/shop:${tag}\n`;
  const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: shop\n  namespace: shop\nspec:\n  selector: {app: shop}\n  ports: [{port: 80}]\n';
  const pdb = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: shop\n  namespace: shop\nspec:\n  minAvailable: 2\n  selector: {matchLabels: {app: shop}}\n';

  it("the new object and the image flow; prod's labels, DB host, replicas and its own extra object stay, byte for byte", async () => {
    const remote = hostedRepo({
      'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    path: envs/staging\n  - name: prod\n    path: envs/prod\n',
      'envs/staging/app.yaml': app('staging', 1, '1.0.0'),
      'envs/prod/app.yaml': `${app('prod', 4, '1.0.0')}---\n${pdb}`,
    });
    commitOn(remote, 'main', { 'envs/staging/app.yaml': `${app('staging', 1, '1.1.0')}---\n${service}` }, 'staging: 1.1.0 and a Service');
    const { code, out, err } = await run(['promote', '--repo', remote.work, '--from', 'staging', '--to', 'prod', '--dry-run', '--json']);
    assert.equal(code, 0, err);
    const plan = JSON.parse(out) as { values: Array<{ path: string; op: string; class: string; selected: boolean }>; warnings: Array<{ code: string }>; blocked: boolean };
    assert.deepEqual(
      plan.values.map((v) => [v.path, v.op, v.class, v.selected]),
      [
        ['metadata.labels.env', 'set', 'identity', false],
        ['data.DB_HOST', 'set', 'identity', false],
        ['spec.replicas', 'set', 'own', false],
        ['spec.template.spec.containers[name=shop].image', 'set', 'flows', true],
        ['Service shop', 'add', 'flows', true],
        ['PodDisruptionBudget shop', 'remove', 'own', false],
      ],
    );
    assert.equal(plan.blocked, false);
    const real = await run(['promote', '--repo', remote.work, '--from', 'staging', '--to', 'prod']);
    assert.equal(real.code, 0, real.err);
    const branch = [...git(remote.bare, 'branch', '--list', 'gitops/promote-staging-to-prod-*').matchAll(/gitops\/\S+/g)].map((m) => m[0])[0];
    assert.ok(branch, 'the promotion branch is pushed');
    assert.equal(remoteFile(remote, branch, 'envs/prod/app.yaml'), `${app('prod', 4, '1.1.0')}---\n${pdb}---\n${service}`);
  });

  it('an object the source removed (its file had it before) is taken out of the target; the rest of the file stays', async () => {
    const remote = hostedRepo({
      'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    path: envs/staging\n  - name: prod\n    path: envs/prod\n',
      'envs/staging/app.yaml': `${app('staging', 1, '1.0.0')}---\n${service}`,
      'envs/prod/app.yaml': `${app('prod', 4, '1.0.0')}---\n${service}`,
    });
    commitOn(remote, 'main', { 'envs/staging/app.yaml': app('staging', 1, '1.0.0') }, 'staging: no Service');
    const { repo, plan } = await planFor(remote.work, 'staging', 'prod');
    assert.deepEqual(
      plan.values.filter((v) => v.selected).map((v) => [v.path, v.op, v.reason]),
      [['Service shop', 'remove', 'the source removed it']],
    );
    const result = await executePlan(repo, plan, { tempDir: tempDir('gitops-worktrees-') });
    repo.dispose();
    assert.equal(remoteFile(remote, result.headBranch, 'envs/prod/app.yaml'), app('prod', 4, '1.0.0'));
  });
});

describe('layout 4: Kargo stages, namespace and image tag in the same kustomization', () => {
  it('only the newTag changes; the namespace stays', async () => {
    const remote = layout4('1.3.0', '1.2.0');
    const { repo, plan } = await planFor(remote.work, 'staging', 'prod');
    assert.deepEqual(valueClasses(plan), { 'kustomization.yaml namespace': 'identity', 'kustomization.yaml images[name=ghcr.io/acme/shop].newTag': 'flows ✓' });
    const result = await executePlan(repo, plan, { tempDir: tempDir('gitops-worktrees-') });
    repo.dispose();
    const before = remoteFile(remote, 'main', 'env/prod/kustomization.yaml') ?? '';
    const after = remoteFile(remote, result.headBranch, 'env/prod/kustomization.yaml') ?? '';
    assert.deepEqual(changedLines(before, after), ['  newTag: 1.3.0 # set by kargo']);
  });

  it('an older tag in the source warns image-downgrade (v1.9 after v1.10)', async () => {
    const remote = layout4('v1.9', 'v1.10');
    const { repo, plan } = await planFor(remote.work, 'staging', 'prod');
    repo.dispose();
    assert.deepEqual(plan.warnings.map((w) => w.code), ['image-downgrade']);
    assert.match(plan.warnings[0].message, /from v1\.10 back to v1\.9/);
    assert.match(plan.body, /Image downgrade/);
  });
});

// ---- Layout 5: Flux HelmRelease values per environment ----

function helmRelease(o: { chart: string; host: string; newCart: boolean }): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: shop
  namespace: shop
spec:
  chart:
    spec:
      chart: shop
      version: "${o.chart}"
  values:
    ingress:
      hosts:
        - ${o.host}
    featureFlags:
      newCart: ${o.newCart}
`;
}

function layout5(stagingChart: string, prodChart: string): PromotionRepo {
  const repo = hostedRepo({
    'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    path: apps/staging\n  - name: production\n    path: apps/production\n',
    'apps/staging/kustomization.yaml': 'resources: [shop.yaml]\n',
    'apps/production/kustomization.yaml': 'resources: [shop.yaml]\n',
    'apps/staging/shop.yaml': helmRelease({ chart: '1.3.0', host: 'shop.staging.example.com', newCart: false }),
    'apps/production/shop.yaml': helmRelease({ chart: prodChart, host: 'shop.example.com', newCart: false }),
  });
  commitOn(repo, 'main', { 'apps/staging/shop.yaml': helmRelease({ chart: stagingChart, host: 'shop.staging.example.com', newCart: true }) }, 'staging: new chart, new cart');
  return repo;
}

describe('layout 5: Flux HelmRelease values per cluster', () => {
  it('the host name is identity and stays; the chart version and the flag flow', async () => {
    const { work } = layout5('1.4.0', '1.3.0');
    const { repo, plan } = await planFor(work, 'staging', 'production');
    repo.dispose();
    assert.deepEqual(valueClasses(plan), {
      'shop.yaml spec.chart.spec.version': 'flows ✓',
      'shop.yaml spec.values.ingress.hosts[0]': 'identity',
      'shop.yaml spec.values.featureFlags.newCart': 'flows ✓',
    });
    assert.deepEqual(plan.warnings, []);
  });

  it('an older chart in the source warns chart-downgrade', async () => {
    const { work } = layout5('1.4.0', '1.5.0');
    const { repo, plan } = await planFor(work, 'staging', 'production');
    repo.dispose();
    assert.deepEqual(plan.warnings.map((w) => w.code), ['chart-downgrade']);
    assert.match(plan.warnings[0].message, /from 1\.5\.0 back to 1\.4\.0/);
  });
});

// ---- Layout 2: branch per environment ----

describe('layout 2: branches per environment keep the merge, with the checks', () => {
  it('a target branch with commits the source lacks warns target-ahead', async () => {
    const remote = hostedRepo({
      'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging-eu\n    branch: staging-eu\n    path: envs/app\n  - name: prod-eu\n    branch: prod-eu\n    path: envs/app\n',
      'envs/app/app.yaml': 'image: ghcr.io/acme/shop:1.0.0\n',
    });
    pushBranches(remote, ['staging-eu', 'prod-eu']);
    commitOn(remote, 'staging-eu', { 'envs/app/app.yaml': 'image: ghcr.io/acme/shop:1.1.0\n' }, 'staging: 1.1.0');
    commitOn(remote, 'prod-eu', { 'envs/app/hotfix.yaml': 'fix: true\n' }, 'prod: hotfix');
    const { repo, plan } = await planFor(remote.work, 'staging-eu', 'prod-eu');
    repo.dispose();
    assert.equal(plan.layout, 'branch');
    assert.deepEqual(plan.warnings.map((w) => w.code), ['target-ahead']);
    assert.match(plan.warnings[0].message, /prod-eu has 1 commit\(s\) that staging-eu lacks/);
  });

  it('a merge that takes an image back to an older tag warns image-downgrade', async () => {
    const remote = hostedRepo({
      'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    branch: staging\n    path: envs/app\n  - name: prod\n    branch: prod\n    path: envs/app\n',
      'envs/app/kustomization.yaml': 'namespace: shop\nimages:\n  - name: shop\n    newTag: 3.0.0\n',
    });
    pushBranches(remote, ['staging', 'prod']);
    commitOn(remote, 'staging', { 'envs/app/kustomization.yaml': 'namespace: shop\nimages:\n  - name: shop\n    newTag: 2.0.0\n' }, 'staging: roll back to 2.0.0');
    const { repo, plan } = await planFor(remote.work, 'staging', 'prod');
    repo.dispose();
    assert.equal(plan.layout, 'branch');
    assert.deepEqual(plan.warnings.map((w) => w.code), ['image-downgrade']);
    assert.match(plan.warnings[0].message, /from 3\.0\.0 back to 2\.0\.0/);
    const unticked = reselectPlan(plan, { files: { 'envs/app/kustomization.yaml': false } });
    assert.deepEqual(unticked.warnings, [], 'a file left out of the merge brings no downgrade');
  });
});
