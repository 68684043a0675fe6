// Branch per environment, end to end: the promotion merges the source branch into a branch cut
// from the target's tip, so after the pull request merges the target contains the promoted
// commits and the next plan is empty. Conflicts stop before anything is pushed.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { reselectPlan } from '../../src/core/promotion/buildPlan';
import { PromotionError } from '../../src/core/promotion/promotionError';
import { GitRepository } from '../../src/git/gitRepository';
import { executePlan } from '../../src/git/promotion/executePlan';
import { planPromotion } from '../../src/git/promotion/planPromotion';
import { planRollback } from '../../src/git/promotion/planRollback';
import { loadPromotionContext } from '../../src/git/promotion/promotionContext';
import { commitOn, entries, hostedRepo, pushBranches, remoteBranches, remoteFile, userState, type PromotionRepo } from './helpers/hostServers/promotionRepos';
import { git, removeTempDirs, tempDir } from './helpers/tempGitRepo';

after(removeTempDirs);

const CONFIG = `apiVersion: gitops-environments/v1
environments:
  - name: dev
    branch: env/dev
  - name: staging
    branch: env/staging
  - name: prod
    branch: env/prod
promotion:
  exclude: [settings.yaml]
`;

function branchRepo(): PromotionRepo {
  const repo = hostedRepo({ 'gitops.yaml': CONFIG, 'app.yaml': 'image: web:1\nreplicas: 1\n', 'settings.yaml': 'tier: base\n' });
  pushBranches(repo, ['env/dev', 'env/staging', 'env/prod']);
  return repo;
}

async function planFor(work: string, from: string, to: string) {
  const repo = await GitRepository.open(work);
  const context = await loadPromotionContext(repo);
  return { repo, plan: await planPromotion(repo, { environments: context.environments, from, to, promotion: context.promotion }) };
}

describe('branch-per-environment promotion', () => {
  it('lists the commits waiting on staging and the files the merge brings', async () => {
    const remote = branchRepo();
    commitOn(remote, 'env/staging', { 'app.yaml': 'image: web:2\nreplicas: 1\n' }, 'web 2');
    commitOn(remote, 'env/staging', { 'settings.yaml': 'tier: staging\n', 'extra.yaml': 'x: 1\n' }, 'staging settings and extra');
    const { repo, plan } = await planFor(remote.work, 'staging', 'prod');
    repo.dispose();
    assert.equal(plan.layout, 'branch');
    assert.equal(plan.source.ref, 'origin/env/staging');
    assert.equal(plan.target.branch, 'env/prod');
    assert.deepEqual(plan.commits.map((c) => c.subject), ['staging settings and extra', 'web 2']);
    assert.equal(plan.commitTotal, 2);
    assert.deepEqual(
      plan.files.map((f) => [f.path, f.action, f.selected]),
      [
        ['app.yaml', 'modify', true],
        ['extra.yaml', 'add', true],
        ['settings.yaml', 'modify', false],
      ],
    );
  });

  it('pushes a merge of staging into prod; excluded files keep prod’s version; the user is untouched', async () => {
    const remote = branchRepo();
    commitOn(remote, 'env/prod', { 'settings.yaml': 'tier: prod\n' }, 'prod settings');
    commitOn(remote, 'env/staging', { 'app.yaml': 'image: web:2\nreplicas: 1\n', 'settings.yaml': 'tier: staging\n' }, 'web 2');
    git(remote.work, 'fetch', '--quiet');
    const before = userState(remote.work);
    const scratch = tempDir('gitops-worktrees-');
    const { repo, plan } = await planFor(remote.work, 'staging', 'prod');
    const result = await executePlan(repo, plan, { tempDir: scratch });
    repo.dispose();
    assert.deepEqual(userState(remote.work), before);
    assert.deepEqual(entries(scratch), []);
    const head = plan.headBranch;
    const parents = git(remote.bare, 'rev-list', '--parents', '-n', '1', head).trim().split(' ').slice(1);
    assert.deepEqual(parents, [plan.target.commit, plan.source.commit], 'a merge commit: prod tip first, then staging');
    assert.equal(remoteFile(remote, head, 'app.yaml'), 'image: web:2\nreplicas: 1\n');
    assert.equal(remoteFile(remote, head, 'settings.yaml'), 'tier: prod\n');
    assert.equal(result.commit, remoteBranches(remote).get(head));
    assert.match(git(remote.bare, 'log', '-1', '--format=%B', head), /Promoted-From: staging\nPromoted-To: prod\nSource-Commit: [0-9a-f]{40}/);
  });

  it('after the pull request merges, nothing is waiting: the promoted commits are in prod', async () => {
    const remote = branchRepo();
    commitOn(remote, 'env/staging', { 'app.yaml': 'image: web:2\nreplicas: 1\n' }, 'web 2');
    git(remote.work, 'fetch', '--quiet');
    const first = await planFor(remote.work, 'staging', 'prod');
    await executePlan(first.repo, first.plan, {});
    first.repo.dispose();
    // Merge the pull request on the "host": fast-forward prod to the head branch.
    git(remote.bare, 'update-ref', 'refs/heads/env/prod', first.plan.headBranch);
    git(remote.work, 'fetch', '--quiet');
    const second = await planFor(remote.work, 'staging', 'prod');
    second.repo.dispose();
    assert.equal(second.plan.alreadyInSync, true);
    assert.match(second.plan.syncReason ?? '', /prod already contains every commit of staging/);
  });

  it('the next promotion shows the chain from the trailers of the previous one', async () => {
    const remote = branchRepo();
    commitOn(remote, 'env/dev', { 'app.yaml': 'image: web:3\nreplicas: 1\n' }, 'web 3');
    git(remote.work, 'fetch', '--quiet');
    const devToStaging = await planFor(remote.work, 'dev', 'staging');
    await executePlan(devToStaging.repo, devToStaging.plan, {});
    devToStaging.repo.dispose();
    git(remote.bare, 'update-ref', 'refs/heads/env/staging', devToStaging.plan.headBranch);
    git(remote.work, 'fetch', '--quiet');
    const stagingToProd = await planFor(remote.work, 'staging', 'prod');
    stagingToProd.repo.dispose();
    assert.deepEqual(stagingToProd.plan.chain, [{ environment: 'dev', commit: devToStaging.plan.source.commit }]);
    assert.match(stagingToProd.plan.body, /\| Chain \| dev `[0-9a-f]{7}` → staging `[0-9a-f]{7}` → prod \|/);
  });

  it('a merge conflict stops before anything is pushed, names the files and says what to do', async () => {
    const remote = branchRepo();
    commitOn(remote, 'env/prod', { 'app.yaml': 'image: web:1\nreplicas: 9\n' }, 'prod hotfix');
    commitOn(remote, 'env/staging', { 'app.yaml': 'image: web:2\nreplicas: 2\n' }, 'web 2');
    git(remote.work, 'fetch', '--quiet');
    const before = userState(remote.work);
    const scratch = tempDir('gitops-worktrees-');
    const { repo, plan } = await planFor(remote.work, 'staging', 'prod');
    await assert.rejects(executePlan(repo, plan, { tempDir: scratch }), (error) => {
      assert.ok(error instanceof PromotionError);
      assert.equal(error.code, 'conflict');
      assert.match(error.message, /stops on conflicts in app\.yaml/);
      assert.match(error.hint, /nothing was pushed; untick that file/);
      return true;
    });
    repo.dispose();
    assert.deepEqual([...remoteBranches(remote).keys()].filter((b) => b.startsWith('gitops/')), []);
    assert.deepEqual(entries(scratch), []);
    assert.deepEqual(userState(remote.work), before);
    assert.equal(git(remote.work, 'worktree', 'list').trim().split('\n').length, 1);
  });

  it('a conflict only in files left out is resolved by keeping the target’s version', async () => {
    const remote = branchRepo();
    commitOn(remote, 'env/prod', { 'settings.yaml': 'tier: prod\n' }, 'prod settings');
    commitOn(remote, 'env/staging', { 'settings.yaml': 'tier: staging\n', 'app.yaml': 'image: web:2\nreplicas: 1\n' }, 'web 2');
    git(remote.work, 'fetch', '--quiet');
    const { repo, plan } = await planFor(remote.work, 'staging', 'prod');
    assert.equal(plan.files.find((f) => f.path === 'settings.yaml')?.selected, false);
    await executePlan(repo, plan, {});
    repo.dispose();
    assert.equal(remoteFile(remote, plan.headBranch, 'settings.yaml'), 'tier: prod\n');
    assert.equal(remoteFile(remote, plan.headBranch, 'app.yaml'), 'image: web:2\nreplicas: 1\n');
  });

  it('unticking a file in the preview keeps prod’s version of it in the merge', async () => {
    const remote = branchRepo();
    commitOn(remote, 'env/staging', { 'app.yaml': 'image: web:2\nreplicas: 1\n', 'extra.yaml': 'x: 1\n' }, 'web 2 and extra');
    git(remote.work, 'fetch', '--quiet');
    const { repo, plan } = await planFor(remote.work, 'staging', 'prod');
    await executePlan(repo, reselectPlan(plan, { files: { 'extra.yaml': false } }), {});
    repo.dispose();
    assert.equal(remoteFile(remote, plan.headBranch, 'extra.yaml'), undefined);
    assert.equal(remoteFile(remote, plan.headBranch, 'app.yaml'), 'image: web:2\nreplicas: 1\n');
  });

  it('a target branch that exists nowhere is a clear error before any work', async () => {
    const remote = hostedRepo({ 'gitops.yaml': CONFIG, 'app.yaml': 'a: 1\n' });
    pushBranches(remote, ['env/dev', 'env/staging']);
    const repo = await GitRepository.open(remote.work);
    const context = await loadPromotionContext(repo);
    await assert.rejects(planPromotion(repo, { environments: context.environments, from: 'staging', to: 'prod' }), (error) => {
      assert.ok(error instanceof PromotionError);
      assert.equal(error.code, 'targetMissing');
      assert.match(error.message, /The target branch "env\/prod" of prod exists neither locally nor on a remote/);
      assert.match(error.hint, /git push origin <commit>:refs\/heads\/env\/prod/);
      return true;
    });
    repo.dispose();
  });
});

describe('a branch per environment, each branch holding every environment’s folder (envs/<branch>/ over a shared base/)', () => {
  const overlay = (env: string): string => `resources: [../../base]\nnamespace: web-${env}\nnamePrefix: ${env}-\n`;
  const deployment = (tag: string): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:${tag}\n`;
  const envs = ['staging-eu', 'prod-eu', 'staging-us'];

  function laneRepo(withConfig: boolean): PromotionRepo {
    const files: Record<string, string> = { 'base/kustomization.yaml': 'resources: [deployment.yaml]\n', 'base/deployment.yaml': deployment('1.25.0') };
    for (const env of envs) files[`envs/${env}/kustomization.yaml`] = overlay(env);
    if (withConfig) files['gitops.yaml'] = `apiVersion: gitops-environments/v1\nenvironments:\n${envs.map((e) => `  - name: ${e}\n    branch: ${e}\n    path: envs/${e}\n`).join('')}`;
    const repo = hostedRepo(files);
    pushBranches(repo, envs);
    return repo;
  }

  for (const withConfig of [false, true]) {
    it(`the promotion is the difference of the branches (the base), merged into the target; its folder and every other stay (${withConfig ? 'gitops.yaml' : 'discovered'})`, async () => {
      const remote = laneRepo(withConfig);
      const bump = commitOn(remote, 'staging-eu', { 'base/deployment.yaml': deployment('1.26.0'), 'envs/staging-eu/kustomization.yaml': `${overlay('staging-eu')}commonAnnotations: {tier: staging}\n` }, 'bump nginx 1.26 and annotate staging');
      const before = userState(remote.work);
      const repo = await GitRepository.open(remote.work);
      const context = await loadPromotionContext(repo);
      const plan = await planPromotion(repo, { environments: context.environments, from: 'staging-eu', to: 'prod-eu', promotion: context.promotion });
      assert.equal(plan.layout, 'branch');
      assert.deepEqual(plan.commits.map((c) => c.sha), [bump]);
      assert.deepEqual(plan.values, [], 'no folder is compared with another');
      assert.ok(plan.files.some((f) => f.path === 'base/deployment.yaml' && f.selected));
      assert.ok(plan.files.every((f) => !f.path.startsWith('envs/prod-eu/')), 'prod-eu’s own folder is not touched');
      const result = await executePlan(repo, plan, { tempDir: tempDir('gitops-worktrees-') });
      repo.dispose();
      assert.equal(remoteFile(remote, result.headBranch, 'base/deployment.yaml'), deployment('1.26.0'));
      assert.equal(remoteFile(remote, result.headBranch, 'envs/prod-eu/kustomization.yaml'), overlay('prod-eu'));
      assert.deepEqual(userState(remote.work), before);
    });
  }

  it('--images promotes the image set in the shared base, and nothing else', async () => {
    const remote = laneRepo(false);
    commitOn(remote, 'staging-eu', { 'base/deployment.yaml': deployment('1.26.0').replace('selector:', 'replicas: 3\n  selector:'), 'envs/staging-eu/kustomization.yaml': `${overlay('staging-eu')}commonAnnotations: {tier: staging}\n` }, 'bump nginx, scale, annotate');
    const repo = await GitRepository.open(remote.work);
    const context = await loadPromotionContext(repo);
    const plan = await planPromotion(repo, { environments: context.environments, from: 'staging-eu', to: 'prod-eu', imagesOnly: true });
    assert.equal(plan.layout, 'image');
    assert.deepEqual(plan.images.map((i) => [i.file, i.from, i.to, i.selected]), [['base/deployment.yaml', 'nginx:1.25.0', 'nginx:1.26.0', true]]);
    const result = await executePlan(repo, plan, { tempDir: tempDir('gitops-worktrees-') });
    repo.dispose();
    assert.equal(remoteFile(remote, result.headBranch, 'base/deployment.yaml'), deployment('1.26.0'), 'the image only: not the replicas');
    assert.equal(remoteFile(remote, result.headBranch, 'envs/prod-eu/kustomization.yaml'), overlay('prod-eu'));
  });

  it('a rollback of such an environment restores its branch’s shared base and its folder, never another environment’s folder', async () => {
    const remote = laneRepo(false);
    const start = git(remote.work, 'rev-parse', 'staging-eu').trim();
    commitOn(remote, 'staging-eu', { 'base/deployment.yaml': deployment('1.26.0'), 'envs/staging-eu/kustomization.yaml': `${overlay('staging-eu')}commonAnnotations: {tier: staging}\n`, 'envs/prod-eu/kustomization.yaml': `${overlay('prod-eu')}# edited on the wrong branch\n` }, 'bump, annotate, and touch prod-eu');
    commitOn(remote, 'staging-eu', { 'envs/staging-us/kustomization.yaml': `${overlay('staging-us')}# another one\n` }, 'touch staging-us only');
    const before = userState(remote.work);
    const repo = await GitRepository.open(remote.work);
    const context = await loadPromotionContext(repo);
    const plan = await planRollback(repo, { environments: context.environments, environment: 'staging-eu', to: start });
    assert.deepEqual(plan.files.map((f) => [f.path, f.selected]).sort(), [
      ['base/deployment.yaml', true],
      ['envs/staging-eu/kustomization.yaml', true],
    ]);
    assert.deepEqual(plan.commits.map((c) => c.subject), ['bump, annotate, and touch prod-eu'], 'a commit that touched only another environment’s folder is not undone');
    const result = await executePlan(repo, plan, { tempDir: tempDir('gitops-worktrees-') });
    repo.dispose();
    assert.equal(remoteFile(remote, result.headBranch, 'base/deployment.yaml'), deployment('1.25.0'));
    assert.equal(remoteFile(remote, result.headBranch, 'envs/staging-eu/kustomization.yaml'), overlay('staging-eu'));
    assert.equal(remoteFile(remote, result.headBranch, 'envs/prod-eu/kustomization.yaml'), `${overlay('prod-eu')}# edited on the wrong branch\n`);
    assert.equal(remoteFile(remote, result.headBranch, 'envs/staging-us/kustomization.yaml'), `${overlay('staging-us')}# another one\n`);
    assert.deepEqual(userState(remote.work), before);
  });

  it('a target branch that lacks the source’s folder is still a folder promotion across branches', async () => {
    const remote = hostedRepo({
      'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    branch: main\n    path: envs/staging\n  - name: prod\n    branch: prod\n    path: envs/prod\n',
      'envs/staging/app.yaml': 'image: web:2\n',
    });
    // prod's branch holds prod's folder only (another history).
    const prodOnly = hostedRepo({ 'envs/prod/app.yaml': 'image: web:1\n' });
    git(remote.work, 'fetch', '--quiet', prodOnly.work, 'main:prod');
    git(remote.work, 'push', '--quiet', 'origin', 'prod');
    const repo = await GitRepository.open(remote.work);
    const context = await loadPromotionContext(repo);
    const plan = await planPromotion(repo, { environments: context.environments, from: 'staging', to: 'prod' });
    repo.dispose();
    assert.equal(plan.layout, 'folder');
    assert.deepEqual(plan.values.filter((v) => v.selected).map((v) => [v.file, v.to]), [['envs/prod/app.yaml', 'web:2']]);
  });
});
