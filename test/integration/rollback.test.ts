// Rollback: a pull request that returns an environment to an earlier commit's state — its folder
// on a shared branch, or its whole branch — through the same execution path as a promotion.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PromotionError } from '../../src/core/promotion/promotionError';
import { GitRepository } from '../../src/git/gitRepository';
import { executePlan } from '../../src/git/promotion/executePlan';
import { planRollback } from '../../src/git/promotion/planRollback';
import { loadPromotionContext } from '../../src/git/promotion/promotionContext';
import { commitOn, hostedRepo, pushBranches, remoteFile, userState } from './helpers/hostServers/promotionRepos';
import { commitAll, git, removeTempDirs, writeFiles } from './helpers/tempGitRepo';

after(removeTempDirs);

async function rollback(work: string, environment: string, to: string) {
  const repo = await GitRepository.open(work);
  const context = await loadPromotionContext(repo);
  try {
    return await planRollback(repo, { environments: context.environments, environment, to, promotion: context.promotion });
  } finally {
    repo.dispose();
  }
}

const FOLDERS = 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    path: envs/staging\n  - name: prod\n    path: envs/prod\npromotion:\n  labels: [gitops]\n';

describe('rollback', () => {
  it('folder layout: restores the folder at that commit, keeps everything else, lists the commits undone', async () => {
    const remote = hostedRepo({ 'gitops.yaml': FOLDERS, 'envs/prod/app.yaml': 'image: web:1\n', 'envs/prod/old.yaml': 'x: 1\n', 'envs/staging/app.yaml': 'image: web:1\n' });
    const good = git(remote.work, 'rev-parse', 'HEAD').trim();
    writeFiles(remote.work, { 'envs/prod/app.yaml': 'image: web:2\n', 'envs/prod/new.yaml': 'y: 1\n', 'envs/staging/app.yaml': 'image: web:3\n' });
    git(remote.work, 'rm', '--quiet', 'envs/prod/old.yaml');
    commitAll(remote.work, 'prod to web 2');
    git(remote.work, 'push', '--quiet', 'origin', 'main');
    const before = userState(remote.work);

    const plan = await rollback(remote.work, 'prod', good.slice(0, 8));
    assert.equal(plan.kind, 'rollback');
    assert.equal(plan.headBranch, `gitops/rollback-prod-to-${good.slice(0, 7)}`);
    assert.deepEqual(plan.labels, ['gitops', 'rollback']);
    assert.deepEqual(plan.commits.map((c) => c.subject), ['prod to web 2']);
    assert.deepEqual(
      plan.files.map((f) => [f.path, f.action, f.selected]),
      [
        ['envs/prod/app.yaml', 'modify', true],
        ['envs/prod/new.yaml', 'delete', true],
        ['envs/prod/old.yaml', 'add', true],
      ],
    );
    const repo = await GitRepository.open(remote.work);
    const result = await executePlan(repo, plan, {});
    repo.dispose();
    assert.deepEqual(userState(remote.work), before);
    const head = result.headBranch;
    assert.equal(remoteFile(remote, head, 'envs/prod/app.yaml'), 'image: web:1\n');
    assert.equal(remoteFile(remote, head, 'envs/prod/old.yaml'), 'x: 1\n');
    assert.equal(remoteFile(remote, head, 'envs/prod/new.yaml'), undefined);
    assert.equal(remoteFile(remote, head, 'envs/staging/app.yaml'), 'image: web:3\n', 'other environments keep their current state');
    assert.match(git(remote.bare, 'log', '-1', '--format=%B', head), new RegExp(`Rollback-To: ${good}`));
  });

  it('branch layout: restores the whole branch tree at that commit (merges included)', async () => {
    const config = 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    branch: staging\n  - name: prod\n    branch: prod\n';
    const remote = hostedRepo({ 'gitops.yaml': config, 'app.yaml': 'v: 1\n' });
    pushBranches(remote, ['staging', 'prod']);
    const good = git(remote.work, 'rev-parse', 'prod').trim();
    commitOn(remote, 'staging', { 'app.yaml': 'v: 2\n', 'b.yaml': 'b\n' }, 'v2 on staging');
    git(remote.work, 'checkout', '--quiet', 'prod');
    git(remote.work, 'merge', '--quiet', '--no-ff', '-m', 'merge staging', 'staging');
    git(remote.work, 'push', '--quiet', 'origin', 'prod');
    git(remote.work, 'checkout', '--quiet', 'main');
    const plan = await rollback(remote.work, 'prod', good);
    assert.equal(plan.layout, 'branch');
    assert.equal(plan.commitTotal, 2, 'the merge and the commit it brought');
    const repo = await GitRepository.open(remote.work);
    await executePlan(repo, plan, {});
    repo.dispose();
    assert.equal(git(remote.bare, 'rev-parse', `${plan.headBranch}^{tree}`).trim(), git(remote.bare, 'rev-parse', `${good}^{tree}`).trim());
    assert.equal(git(remote.bare, 'rev-parse', `${plan.headBranch}~1`).trim(), git(remote.bare, 'rev-parse', 'prod').trim(), 'a new commit on top: history is kept');
  });

  it('refuses a commit outside the environment’s history, and an unknown commit, with a next step', async () => {
    const config = 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    branch: staging\n  - name: prod\n    branch: prod\n';
    const remote = hostedRepo({ 'gitops.yaml': config, 'app.yaml': 'v: 1\n' });
    pushBranches(remote, ['staging', 'prod']);
    const stagingOnly = commitOn(remote, 'staging', { 'app.yaml': 'v: 2\n' }, 'only on staging');
    await assert.rejects(rollback(remote.work, 'prod', stagingOnly), (e) => e instanceof PromotionError && e.code === 'unknownCommit' && /is not in the history of prod/.test(e.message) && /git log origin\/prod/.test(e.hint));
    await assert.rejects(rollback(remote.work, 'prod', 'deadbeef'), (e) => e instanceof PromotionError && e.code === 'unknownCommit' && /"deadbeef" is not a commit/.test(e.message));
    await assert.rejects(rollback(remote.work, 'prod', '--help'), (e) => e instanceof PromotionError && e.code === 'unknownCommit');
    await assert.rejects(rollback(remote.work, 'qa', 'HEAD'), (e) => e instanceof PromotionError && e.code === 'unknownEnvironment');
  });

  it('rolling back to the current state is "already in sync"', async () => {
    const remote = hostedRepo({ 'gitops.yaml': FOLDERS, 'envs/prod/app.yaml': 'a\n', 'envs/staging/app.yaml': 'a\n' });
    writeFiles(remote.work, { 'envs/staging/app.yaml': 'b\n' });
    const staging = commitAll(remote.work, 'staging only');
    git(remote.work, 'push', '--quiet', 'origin', 'main');
    const plan = await rollback(remote.work, 'prod', `${staging}~1`);
    assert.equal(plan.alreadyInSync, true, 'prod did not change since then');
    assert.match(plan.syncReason ?? '', /prod already matches/);
  });
});
