// Folder per environment, end to end on real Git: plan, execute in a temporary worktree, push the
// head branch to a bare remote. The user's checkout (busy with a stash, staged and unstaged edits,
// another branch) stays byte-for-byte the same, and no temporary worktree is left behind.
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { reselectPlan } from '../../src/core/promotion/buildPlan';
import { PromotionError } from '../../src/core/promotion/promotionError';
import { GitRepository } from '../../src/git/gitRepository';
import { executePlan, type ExecutionProgress } from '../../src/git/promotion/executePlan';
import { planPromotion } from '../../src/git/promotion/planPromotion';
import { loadPromotionContext } from '../../src/git/promotion/promotionContext';
import { entries, hostedRepo, makeUserBusy, remoteBranches, remoteFile, userState } from './helpers/hostServers/promotionRepos';
import { git, removeTempDirs, tempDir } from './helpers/tempGitRepo';

after(removeTempDirs);

const CONFIG = `apiVersion: gitops-environments/v1
environments:
  - name: dev
    path: envs/dev
  - name: staging
    path: envs/staging
  - name: prod
    path: envs/prod
promotion:
  exclude: [replicas.yaml]
  labels: [promotion]
`;

function files(): Record<string, string> {
  return {
    'gitops.yaml': CONFIG,
    'envs/dev/app.yaml': 'image: web:3\n',
    'envs/staging/app.yaml': 'image: web:2\nport: 8080\n',
    'envs/staging/new-config.yaml': 'feature: on\n',
    'envs/staging/replicas.yaml': 'replicas: 1\n',
    'envs/prod/app.yaml': 'image: web:1\nport: 8080\n',
    'envs/prod/replicas.yaml': 'replicas: 5\n',
    'envs/prod/legacy.yaml': 'old: true\n',
  };
}

async function plan(work: string, from: string, to: string) {
  const repo = await GitRepository.open(work);
  const context = await loadPromotionContext(repo);
  return { repo, plan: await planPromotion(repo, { environments: context.environments, from, to, promotion: context.promotion }) };
}

describe('folder-per-environment promotion', () => {
  it('plans adds and modifications, leaves excluded files and target-only files unticked', async () => {
    const { work } = hostedRepo(files());
    const { repo, plan: p } = await plan(work, 'staging', 'prod');
    repo.dispose();
    assert.equal(p.layout, 'folder');
    assert.equal(p.alreadyInSync, false);
    assert.deepEqual(
      p.files.map((f) => [f.path, f.action, f.selected, f.excludedBy]),
      [
        ['envs/prod/app.yaml', 'modify', true, null],
        ['envs/prod/legacy.yaml', 'delete', false, null],
        ['envs/prod/new-config.yaml', 'add', true, null],
        ['envs/prod/replicas.yaml', 'modify', false, 'replicas.yaml'],
      ],
    );
    assert.equal(p.headBranch, `gitops/promote-staging-to-prod-${p.source.shortCommit}`);
    assert.equal(p.target.branch, 'main');
    assert.deepEqual(p.labels, ['promotion']);
    assert.match(p.body, /-image: web:1\n\+image: web:2/);
  });

  it('pushes a branch holding exactly the selected changes, with trailers, and leaves the user untouched', async () => {
    const remote = hostedRepo(files());
    makeUserBusy(remote.work, 'envs/prod/app.yaml');
    const before = userState(remote.work);
    const scratch = tempDir('gitops-worktrees-');
    const { repo, plan: p } = await plan(remote.work, 'staging', 'prod');
    assert.equal(p.target.branch, 'main', 'the environments’ branch, not the feature branch the user is on');
    assert.equal(p.target.ref, 'origin/main');
    const steps: ExecutionProgress[] = [];
    const result = await executePlan(repo, p, { tempDir: scratch, onProgress: (s) => steps.push(s) });
    repo.dispose();

    assert.deepEqual(userState(remote.work), before, 'working tree, index, HEAD, stash, branches, config and FETCH_HEAD unchanged');
    assert.deepEqual(entries(scratch), [], 'the temporary worktree is removed');
    assert.equal(git(remote.work, 'worktree', 'list').trim().split('\n').length, 1);

    assert.equal(result.pushed, true);
    assert.equal(result.pullRequest, null);
    assert.equal(result.compareUrl, null, 'an unknown host has no compare page');
    assert.equal(remoteBranches(remote).get(p.headBranch), result.commit);
    const head = p.headBranch;
    assert.equal(remoteFile(remote, head, 'envs/prod/app.yaml'), 'image: web:2\nport: 8080\n');
    assert.equal(remoteFile(remote, head, 'envs/prod/new-config.yaml'), 'feature: on\n');
    assert.equal(remoteFile(remote, head, 'envs/prod/replicas.yaml'), 'replicas: 5\n', 'excluded file keeps prod value');
    assert.equal(remoteFile(remote, head, 'envs/prod/legacy.yaml'), 'old: true\n', 'target-only file is not deleted unless ticked');
    assert.equal(remoteFile(remote, head, 'envs/staging/app.yaml'), 'image: web:2\nport: 8080\n', 'the source folder is untouched');
    assert.equal(git(remote.bare, 'rev-parse', `${head}~1`).trim(), p.target.commit, 'branched from the target tip');
    const message = git(remote.bare, 'log', '-1', '--format=%B', head);
    assert.match(message, /^Promote staging → prod \([0-9a-f]{7}\)\n/);
    assert.match(message, new RegExp(`Promoted-From: staging\nPromoted-To: prod\nSource-Commit: ${p.source.commit}\n`));
    assert.deepEqual(steps.map((s) => s.step), ['check', 'worktree', 'apply', 'commit', 'push', 'cleanup']);
  });

  it('ticking the excluded file and the deletion applies them', async () => {
    const remote = hostedRepo(files());
    const { repo, plan: p } = await plan(remote.work, 'staging', 'prod');
    const ticked = reselectPlan(p, { files: { 'envs/prod/replicas.yaml': true, 'envs/prod/legacy.yaml': true, 'envs/prod/new-config.yaml': false } });
    await executePlan(repo, ticked, {});
    repo.dispose();
    assert.equal(remoteFile(remote, p.headBranch, 'envs/prod/replicas.yaml'), 'replicas: 1\n');
    assert.equal(remoteFile(remote, p.headBranch, 'envs/prod/legacy.yaml'), undefined);
    assert.equal(remoteFile(remote, p.headBranch, 'envs/prod/new-config.yaml'), undefined);
  });

  it('keeps file modes, symlinks and binary content exactly', async () => {
    const remote = hostedRepo({ ...files(), 'envs/staging/hook.sh': '#!/bin/sh\necho hi\n', 'envs/staging/logo.bin': '\u0000\u0001\u0002binary' });
    git(remote.work, 'update-index', '--chmod=+x', 'envs/staging/hook.sh');
    symlinkSync('app.yaml', join(remote.work, 'envs/staging/current.yaml'));
    git(remote.work, 'add', 'envs/staging/current.yaml');
    git(remote.work, 'commit', '--quiet', '-m', 'exec bit and a symlink');
    git(remote.work, 'push', '--quiet', 'origin', 'main');
    const { repo, plan: p } = await plan(remote.work, 'staging', 'prod');
    assert.equal(p.files.find((f) => f.path === 'envs/prod/logo.bin')?.binary, true);
    await executePlan(repo, p, {});
    repo.dispose();
    const tree = git(remote.bare, 'ls-tree', p.headBranch, 'envs/prod/hook.sh', 'envs/prod/logo.bin', 'envs/prod/current.yaml');
    assert.match(tree, /^100755 blob [0-9a-f]+\tenvs\/prod\/hook\.sh$/m);
    assert.match(tree, /^120000 blob [0-9a-f]+\tenvs\/prod\/current\.yaml$/m);
    assert.equal(git(remote.bare, 'cat-file', '-p', `${p.headBranch}:envs/prod/current.yaml`), 'app.yaml');
    assert.equal(git(remote.bare, 'cat-file', '-p', `${p.headBranch}:envs/prod/logo.bin`), '\u0000\u0001\u0002binary');
  });

  it('says "already in sync" when the folders hold the same tree, and executing it pushes nothing', async () => {
    const remote = hostedRepo({ 'gitops.yaml': CONFIG, 'envs/dev/app.yaml': 'image: web:3\n', 'envs/staging/app.yaml': 'image: web:2\n', 'envs/prod/app.yaml': 'image: web:3\n' });
    const { repo, plan: p } = await plan(remote.work, 'dev', 'prod');
    assert.equal(p.alreadyInSync, true);
    assert.match(p.syncReason ?? '', /dev and prod already hold the same files \(tree [0-9a-f]{7}\)/);
    await assert.rejects(executePlan(repo, p, {}), (e) => e instanceof PromotionError && e.code === 'nothingToPromote');
    repo.dispose();
    assert.deepEqual([...remoteBranches(remote).keys()], ['main']);
  });

  it('running the same promotion twice pushes nothing new the second time', async () => {
    const remote = hostedRepo(files());
    const { repo, plan: p } = await plan(remote.work, 'staging', 'prod');
    const first = await executePlan(repo, p, {});
    // A later run makes a new commit (new timestamp) with the same tree: the remote keeps the first.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await executePlan(repo, p, {});
    repo.dispose();
    assert.equal(second.pushed, false);
    assert.equal(second.commit, first.commit);
    assert.equal(remoteBranches(remote).get(p.headBranch), first.commit);
  });

  it('the chain follows only promotions into the source, not an earlier promotion out of it', async () => {
    const remote = hostedRepo(files());
    const first = await plan(remote.work, 'staging', 'prod');
    await executePlan(first.repo, first.plan, {});
    first.repo.dispose();
    git(remote.bare, 'update-ref', 'refs/heads/main', first.plan.headBranch);
    git(remote.work, 'pull', '--quiet', '--ff-only', 'origin', 'main');
    const devToStaging = await plan(remote.work, 'dev', 'staging');
    devToStaging.repo.dispose();
    assert.deepEqual(devToStaging.plan.chain, [], 'staging → prod is not a promotion into dev');
    const again = await plan(remote.work, 'staging', 'prod');
    again.repo.dispose();
    assert.deepEqual(again.plan.chain, []);
  });

  it('pushes even when the user’s environment sets EDITOR, VISUAL and PAGER (as terminals do)', async () => {
    const remote = hostedRepo(files());
    const saved = { EDITOR: process.env.EDITOR, VISUAL: process.env.VISUAL, PAGER: process.env.PAGER };
    Object.assign(process.env, { EDITOR: 'vim', VISUAL: 'vim', PAGER: 'less' });
    try {
      const { repo, plan: p } = await plan(remote.work, 'staging', 'prod');
      const result = await executePlan(repo, p, {});
      repo.dispose();
      assert.equal(remoteBranches(remote).get(p.headBranch), result.commit);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
