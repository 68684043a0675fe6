// Promotion execution with a pull-request host: opens the pull request after the push, updates
// it (instead of opening a second) when run again, and on every bad input stops with a clear
// message, no pull request half-created, the worktree removed and nothing of the user's lost.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { reselectPlan } from '../../src/core/promotion/buildPlan';
import { PromotionError } from '../../src/core/promotion/promotionError';
import { GitRepository } from '../../src/git/gitRepository';
import { executePlan } from '../../src/git/promotion/executePlan';
import { planPromotion } from '../../src/git/promotion/planPromotion';
import { loadPromotionContext } from '../../src/git/promotion/promotionContext';
import { HostError } from '../../src/hosts/hostError';
import { selectPullRequestProvider } from '../../src/hosts/providerFactory';
import type { PullRequestProvider } from '../../src/hosts/pullRequestProvider';
import { staticTokenSource } from '../../src/hosts/tokenSource';
import { GitHubTestServer } from './helpers/hostServers/githubServer';
import { entries, hostedRepo, rejectPushes, remoteBranches, remoteFile, userState, type PromotionRepo } from './helpers/hostServers/promotionRepos';
import { git, removeTempDirs, tempDir } from './helpers/tempGitRepo';

const CONFIG = 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    path: envs/staging\n  - name: prod\n    path: envs/prod\npromotion:\n  labels: [promotion]\n  reviewers: [alice]\n';

let server: GitHubTestServer;
before(async () => {
  server = await GitHubTestServer.start({ owner: 'acme', repo: 'gitops', token: 'good-token' });
});
after(async () => {
  assert.deepEqual(server.violations, []);
  await server.close();
  removeTempDirs();
});
afterEach(() => {
  server.token = 'good-token';
});

function repoWithChange(): PromotionRepo {
  return hostedRepo({ 'gitops.yaml': CONFIG, 'envs/staging/app.yaml': 'image: web:2\n', 'envs/staging/extra.yaml': 'x: 1\n', 'envs/prod/app.yaml': 'image: web:1\n' });
}

async function provider(token = 'good-token'): Promise<PullRequestProvider> {
  const selected = await selectPullRequestProvider({ remoteUrl: 'https://git.example.test/acme/gitops.git', overrides: { kind: 'github', apiUrl: server.url }, tokenSource: staticTokenSource(token) });
  assert.ok(selected.provider, selected.reason ?? '');
  return selected.provider;
}

async function planIn(work: string) {
  const repo = await GitRepository.open(work);
  const context = await loadPromotionContext(repo);
  const plan = await planPromotion(repo, { environments: context.environments, from: 'staging', to: 'prod', promotion: context.promotion, hostOverrides: { kind: 'github', apiUrl: server.url }, driftState: 'in sync' });
  return { repo, plan };
}

function openPullsFor(head: string) {
  return server.pulls.filter((p) => p.head === head && p.state === 'open');
}

describe('promotion with a pull-request host', () => {
  it('pushes, then opens the pull request with title, body, labels and reviewers; links use the remote’s web URL', async () => {
    const remote = repoWithChange();
    const { repo, plan } = await planIn(remote.work);
    assert.match(plan.body, /\(https:\/\/git\.example\.test\/acme\/gitops\/commit\/[0-9a-f]{40}\)/);
    const result = await executePlan(repo, plan, { provider: await provider() });
    repo.dispose();
    assert.equal(result.pullRequestAction, 'created');
    const [pull] = openPullsFor(plan.headBranch);
    assert.equal(pull.title, plan.title);
    assert.equal(pull.body, plan.body);
    assert.equal(pull.base, 'main');
    assert.deepEqual(pull.labels, ['promotion']);
    assert.deepEqual(pull.reviewers, ['alice']);
    assert.equal(result.pullRequest?.number, pull.number);
    assert.equal(remoteBranches(remote).get(plan.headBranch), result.commit);
  });

  it('running it again updates the open pull request instead of opening a second one', async () => {
    const remote = repoWithChange();
    const first = await planIn(remote.work);
    const one = await executePlan(first.repo, first.plan, { provider: await provider() });
    // The user unticks a file and runs it again: new content, same head branch.
    const second = reselectPlan(first.plan, { files: { 'envs/prod/extra.yaml': false } });
    const two = await executePlan(first.repo, second, { provider: await provider() });
    first.repo.dispose();
    assert.equal(two.pullRequestAction, 'updated');
    assert.equal(two.pullRequest?.number, one.pullRequest?.number);
    assert.equal(openPullsFor(first.plan.headBranch).length, 1);
    assert.equal(openPullsFor(first.plan.headBranch)[0].body, second.body);
    // The branch was not force-pushed: the second commit sits on top of the first, and holds the new selection.
    assert.equal(git(remote.bare, 'rev-parse', `${first.plan.headBranch}~1`).trim(), one.commit);
    assert.equal(remoteFile(remote, first.plan.headBranch, 'envs/prod/extra.yaml'), undefined);
    assert.equal(remoteFile(remote, first.plan.headBranch, 'envs/prod/app.yaml'), 'image: web:2\n');
  });

  it('an expired token fails before anything is pushed, with "sign in again"', async () => {
    const remote = repoWithChange();
    const before = userState(remote.work);
    const scratch = tempDir('gitops-worktrees-');
    const { repo, plan } = await planIn(remote.work);
    server.token = 'rotated';
    await assert.rejects(executePlan(repo, plan, { provider: await provider(), tempDir: scratch }), (error) => {
      assert.ok(error instanceof PromotionError);
      assert.equal(error.code, 'unauthorized');
      assert.match(error.describe(), /rejected the token .*sign in again.*nothing was pushed/);
      assert.ok((error as { cause?: unknown }).cause instanceof HostError);
      return true;
    });
    repo.dispose();
    assert.equal(remoteBranches(remote).has(plan.headBranch), false);
    assert.deepEqual(entries(scratch), []);
    assert.deepEqual(userState(remote.work), before);
  });

  it('a push rejected by a server-side hook opens no pull request and removes the worktree', async () => {
    const remote = repoWithChange();
    rejectPushes(remote, 'GH006: Protected branch update failed for refs/heads/gitops/*');
    const scratch = tempDir('gitops-worktrees-');
    const before = userState(remote.work);
    const { repo, plan } = await planIn(remote.work);
    const pullsBefore = server.pulls.length;
    await assert.rejects(executePlan(repo, plan, { provider: await provider(), tempDir: scratch }), (error) => {
      assert.ok(error instanceof PromotionError);
      assert.equal(error.code, 'pushRejected');
      assert.match(error.message, /rejected gitops\/promote-staging-to-prod-[0-9a-f]{7}: GH006: Protected branch update failed/);
      assert.match(error.hint, /branch protection/);
      return true;
    });
    repo.dispose();
    assert.equal(server.pulls.length, pullsBefore);
    assert.deepEqual(entries(scratch), []);
    assert.deepEqual(userState(remote.work), before);
  });

  it('a rate limit while opening the pull request is waited out and retried once', async () => {
    const remote = repoWithChange();
    const { repo, plan } = await planIn(remote.work);
    server.failNext({ match: (r) => r.method === 'POST' && r.path === '/repos/acme/gitops/pulls', status: 429, headers: { 'retry-after': '1' }, body: { message: 'secondary rate limit' } });
    const result = await executePlan(repo, plan, { provider: await provider() });
    repo.dispose();
    assert.equal(result.pullRequestAction, 'created');
    assert.equal(openPullsFor(plan.headBranch).length, 1);
  });

  it('when the host fails after the push, the message says the branch is pushed and where to open the pull request', async () => {
    const remote = repoWithChange();
    const { repo, plan } = await planIn(remote.work);
    server.failNext({ match: (r) => r.method === 'POST' && r.path === '/repos/acme/gitops/pulls', status: 502, body: { message: 'Server Error' } });
    await assert.rejects(executePlan(repo, plan, { provider: await provider() }), (error) => {
      assert.ok(error instanceof PromotionError);
      assert.match(error.message, /was pushed to origin, but the pull request was not opened: GitHub answered 502/);
      assert.match(error.hint, new RegExp(`open it by hand: https://git\\.example\\.test/acme/gitops/compare/main\\.\\.\\.${plan.headBranch.replace(/[/.-]/g, '\\$&')}\\?expand=1`));
      return true;
    });
    repo.dispose();
    assert.equal(openPullsFor(plan.headBranch).length, 0);
  });

  it('without a provider, the branch is pushed and the host’s compare page is returned', async () => {
    const remote = repoWithChange();
    const { repo, plan } = await planIn(remote.work);
    const result = await executePlan(repo, plan, { provider: null });
    repo.dispose();
    assert.equal(result.pullRequest, null);
    assert.equal(result.compareUrl, `https://git.example.test/acme/gitops/compare/main...${plan.headBranch}?expand=1`);
  });

  it('cancelling before the push leaves nothing behind', async () => {
    const remote = repoWithChange();
    const scratch = tempDir('gitops-worktrees-');
    const before = userState(remote.work);
    const { repo, plan } = await planIn(remote.work);
    const controller = new AbortController();
    await assert.rejects(
      executePlan(repo, plan, {
        tempDir: scratch,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.step === 'commit') controller.abort();
        },
      }),
      (e) => e instanceof PromotionError && e.code === 'cancelled' && /nothing was pushed/.test(e.message),
    );
    repo.dispose();
    assert.equal(remoteBranches(remote).has(plan.headBranch), false);
    assert.deepEqual(entries(scratch), []);
    assert.deepEqual(userState(remote.work), before);
  });

  it('someone else’s commit on the head branch is kept: our change is rebased onto it', async () => {
    const remote = repoWithChange();
    const { repo, plan } = await planIn(remote.work);
    git(remote.work, 'checkout', '--quiet', '-b', 'tmp');
    git(remote.work, 'commit', '--quiet', '--allow-empty', '-m', 'reviewer note');
    writeFileSync(join(remote.work, 'envs/prod/reviewer.yaml'), 'ok: true\n');
    git(remote.work, 'add', '.');
    git(remote.work, 'commit', '--quiet', '-m', 'reviewer adds a file');
    git(remote.work, 'push', '--quiet', 'origin', `HEAD:refs/heads/${plan.headBranch}`);
    const theirs = git(remote.work, 'rev-parse', 'HEAD').trim();
    git(remote.work, 'checkout', '--quiet', 'main');
    const result = await executePlan(repo, plan, {});
    repo.dispose();
    assert.equal(git(remote.bare, 'rev-parse', `${plan.headBranch}~1`).trim(), theirs);
    assert.equal(result.commit, remoteBranches(remote).get(plan.headBranch));
    assert.equal(remoteFile(remote, plan.headBranch, 'envs/prod/reviewer.yaml'), 'ok: true\n');
    assert.equal(remoteFile(remote, plan.headBranch, 'envs/prod/app.yaml'), 'image: web:2\n');
  });

  it('the head branch on the remote with conflicting changes: rebase once fails clearly, never forces', async () => {
    const remote = repoWithChange();
    const { repo, plan } = await planIn(remote.work);
    // Someone pushed a different app.yaml to the promotion branch meanwhile.
    git(remote.work, 'checkout', '--quiet', '-b', 'tmp');
    git(remote.work, 'rm', '--quiet', 'envs/prod/app.yaml');
    git(remote.work, 'commit', '--quiet', '-m', 'someone else');
    git(remote.work, 'push', '--quiet', 'origin', `HEAD:refs/heads/${plan.headBranch}`);
    const theirs = git(remote.work, 'rev-parse', 'HEAD').trim();
    git(remote.work, 'checkout', '--quiet', 'main');
    await assert.rejects(executePlan(repo, plan, {}), (e) => e instanceof PromotionError && e.code === 'conflict' && /already has different changes/.test(e.message) && /git push origin --delete/.test(e.hint));
    repo.dispose();
    assert.equal(remoteBranches(remote).get(plan.headBranch), theirs, 'their commit is still there: nothing was forced');
  });

  it('no remote, and source equal to target, are clear errors', async () => {
    const remote = repoWithChange();
    git(remote.work, 'remote', 'remove', 'origin');
    git(remote.work, 'config', '--remove-section', `url.${remote.bare}`);
    const { repo, plan } = await planIn(remote.work);
    assert.equal(plan.target.remote, null);
    await assert.rejects(executePlan(repo, plan, {}), (e) => e instanceof PromotionError && e.code === 'noRemote' && /git remote add origin/.test(e.hint));
    const context = await loadPromotionContext(repo);
    await assert.rejects(planPromotion(repo, { environments: context.environments, from: 'prod', to: 'prod' }), (e) => e instanceof PromotionError && e.code === 'sameEnvironment');
    repo.dispose();
  });

  it('a remote that cannot be reached is "noRemote"/"unreachable", never a half-created pull request', async () => {
    const remote = repoWithChange();
    const { repo, plan } = await planIn(remote.work);
    git(remote.work, 'config', `url.${remote.bare}-gone.insteadOf`, 'https://git.example.test/acme/gitops.git');
    git(remote.work, 'config', '--remove-section', `url.${remote.bare}`);
    const pullsBefore = server.pulls.length;
    await assert.rejects(executePlan(repo, plan, { provider: await provider() }), (e) => e instanceof PromotionError && (e.code === 'noRemote' || e.code === 'unreachable'));
    repo.dispose();
    assert.equal(server.pulls.length, pullsBefore);
  });
});
