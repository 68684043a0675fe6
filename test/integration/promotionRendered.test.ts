// The target rendered before and after a plan with the real tools: kustomize (through
// `kubectl kustomize` when no kustomize binary is installed) and plain manifests.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { withRenderedDiff } from '../../src/core/promotion/buildPlan';
import { GitRepository } from '../../src/git/gitRepository';
import { planPromotion } from '../../src/git/promotion/planPromotion';
import { loadPromotionContext } from '../../src/git/promotion/promotionContext';
import { renderPlanChange } from '../../src/git/promotion/renderPlanChange';
import { main } from '../../src/cli/main';
import { commitOn, entries, hostedRepo, userState } from './helpers/hostServers/promotionRepos';
import { git, removeTempDirs, tempDir } from './helpers/tempGitRepo';

after(removeTempDirs);

const CONFIG = 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    path: overlays/staging\n  - name: prod\n    path: overlays/prod\n';
const BASE = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/web:1.0.0\n';
const overlay = (tag: string, namespace: string): string =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${namespace}\nresources:\n  - ../../base\nimages:\n  - name: ghcr.io/acme/web\n    newTag: "${tag}"\n`;

describe('rendered change of a plan', () => {
  it('kustomize: the image promotion changes the rendered Deployment and nothing else', async () => {
    const remote = hostedRepo({
      'gitops.yaml': CONFIG,
      'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'base/deployment.yaml': BASE,
      'overlays/staging/kustomization.yaml': overlay('1.2.0', 'shop-staging'),
      'overlays/prod/kustomization.yaml': overlay('1.1.0', 'shop-prod'),
    });
    const before = userState(remote.work);
    const scratch = tempDir('gitops-render-scratch-');
    const repo = await GitRepository.open(remote.work);
    const context = await loadPromotionContext(repo);
    const plan = await planPromotion(repo, { environments: context.environments, from: 'staging', to: 'prod', imagesOnly: true });
    const rendered = await renderPlanChange(repo, plan, { trusted: true, tempDir: scratch });
    repo.dispose();
    assert.deepEqual(rendered.problems, []);
    assert.equal(rendered.renderer, 'kustomize');
    assert.deepEqual(rendered.changed, ['Deployment shop-prod/web']);
    assert.deepEqual([rendered.added, rendered.removed], [[], []]);
    assert.match(rendered.text, /-\s+- image: ghcr\.io\/acme\/web:1\.1\.0\n\+\s+- image: ghcr\.io\/acme\/web:1\.2\.0/);
    assert.deepEqual(entries(scratch), [], 'the rendering copies are removed');
    assert.deepEqual(userState(remote.work), before);
    const withRendered = withRenderedDiff(plan, rendered);
    assert.match(withRendered.body, /\| Rendered objects \(kustomize\) \| 1 changed, 0 added, 0 removed \|/);
  });

  it('untrusted: no tool runs and the problem says why', async () => {
    const remote = hostedRepo({ 'gitops.yaml': CONFIG, 'base/kustomization.yaml': 'resources: [deployment.yaml]\n', 'base/deployment.yaml': BASE, 'overlays/staging/kustomization.yaml': overlay('2', 's'), 'overlays/prod/kustomization.yaml': overlay('1', 'p') });
    const repo = await GitRepository.open(remote.work);
    const context = await loadPromotionContext(repo);
    const plan = await planPromotion(repo, { environments: context.environments, from: 'staging', to: 'prod' });
    const rendered = await renderPlanChange(repo, plan, { trusted: false });
    repo.dispose();
    assert.deepEqual(rendered.changed, []);
    assert.ok(rendered.problems.some((p) => /Restricted Mode/.test(p)));
  });

  it('plain folders, through the CLI with --render: the added object is listed, the unticked deletion is not', async () => {
    const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\ndata: {a: "1"}\n`;
    const remote = hostedRepo({
      'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    path: envs/staging\n  - name: prod\n    path: envs/prod\n',
      'envs/staging/new.yaml': cm('new'),
      'envs/staging/same.yaml': cm('same'),
      'envs/prod/same.yaml': cm('same'),
      'envs/prod/old.yaml': cm('old'),
    });
    let out = '';
    let err = '';
    const code = await main(['promote', '--repo', remote.work, '--from', 'staging', '--dry-run', '--render'], { out: (t) => (out += t), err: (t) => (err += t) });
    assert.equal(code, 0, err);
    assert.match(out, /Rendered prod \(plain\): 0 changed, 1 added, 0 removed\n {2}\+ ConfigMap shop\/new\n/);
  });

  it('a target folder that does not exist yet, filled from the source: the lines naming the source block the promotion until allowed', async () => {
    const remote = hostedRepo({
      'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: qa\n    path: envs/qa\n  - name: prod\n    path: envs/prod\n',
      'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'base/deployment.yaml': BASE,
      'envs/qa/kustomization.yaml': 'resources: [../../base]\nnamespace: shop-qa\nnamePrefix: qa-\n',
    });
    const cli = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
      let out = '';
      let err = '';
      const code = await main(['promote', '--repo', remote.work, '--from', 'qa', '--to', 'prod', ...args], { out: (t) => (out += t), err: (t) => (err += t) });
      return { code, out, err };
    };
    const dry = await cli('--dry-run', '--json');
    assert.equal(dry.code, 0, dry.err);
    const plan = JSON.parse(dry.out) as { warnings: Array<{ code: string; message: string }>; blocked: boolean };
    assert.equal(plan.blocked, true);
    assert.deepEqual(plan.warnings.map((w) => w.message), [
      '1 added file(s) name qa and would give prod its identity: envs/prod/kustomization.yaml:2 namespace: shop-qa, envs/prod/kustomization.yaml:3 namePrefix: qa-',
    ]);
    const refused = await cli();
    assert.equal(refused.code, 3, refused.err);
    assert.equal(git(remote.bare, 'branch', '--list', 'gitops/*').trim(), '', 'nothing was pushed');
    const allowed = await cli('--allow-identity-change');
    assert.equal(allowed.code, 0, allowed.err);
    assert.notEqual(git(remote.bare, 'branch', '--list', 'gitops/*').trim(), '');
  });

  it("a promoted configMapGenerator literal renames the generated ConfigMap by its hash: no identity change, also when kustomize warns (a component's commonLabels)", async () => {
    const deployment =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.25.0\n          envFrom: [{configMapRef: {name: app-config}}]\n';
    const env = (name: string, level: string): string =>
      `resources: [../../base]\ncomponents: [../../comp]\nnamespace: web-${name}\nconfigMapGenerator:\n  - name: app-config\n    literals: [LOG_LEVEL=${level}]\n`;
    for (const component of ['commonLabels:\n  team: shop\n', 'labels:\n  - pairs: {team: shop}\n']) {
      const remote = hostedRepo({
        'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
        'base/deployment.yaml': deployment,
        'comp/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n${component}`,
        'envs/staging/kustomization.yaml': env('staging', 'info'),
        'envs/prod/kustomization.yaml': env('prod', 'info'),
      });
      // The literal flows (both environments had it); staging changes it.
      commitOn(remote, 'main', { 'envs/staging/kustomization.yaml': env('staging', 'debug') }, 'staging: debug');
      const before = userState(remote.work);
      let out = '';
      let err = '';
      const code = await main(['promote', '--repo', remote.work, '--from', 'staging', '--to', 'prod', '--dry-run', '--render', '--json'], { out: (t) => (out += t), err: (t) => (err += t) });
      assert.equal(code, 0, err);
      const plan = JSON.parse(out) as { warnings: Array<{ code: string; message: string }>; blocked: boolean; rendered: { removed: string[]; added: string[]; changed: string[]; problems: string[] } };
      assert.deepEqual(plan.warnings.filter((w) => w.code === 'identity-change'), [], component);
      assert.equal(plan.blocked, false);
      // The rendered change is what kustomize makes of it: a new hash, the Deployment pointing at it.
      assert.deepEqual(plan.rendered.changed, ['Deployment web-prod/web']);
      assert.equal(plan.rendered.removed.length, 1);
      assert.match(plan.rendered.removed[0], /^ConfigMap web-prod\/app-config-[245-9bcdfghkmt]{10}$/);
      assert.match(plan.rendered.added[0], /^ConfigMap web-prod\/app-config-[245-9bcdfghkmt]{10}$/);
      assert.notEqual(plan.rendered.added[0], plan.rendered.removed[0]);
      // kustomize's deprecation note, when there is one, is said once for both sides.
      for (const problem of plan.rendered.problems) assert.match(problem, /^before and after: /);
      assert.equal(plan.rendered.problems.length, component.startsWith('commonLabels') ? 1 : 0, plan.rendered.problems.join('\n'));
      assert.deepEqual(userState(remote.work), before);
    }
  });
});
