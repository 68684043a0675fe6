// A remote given as a relative path (`git remote add origin ../shop.git`): git resolves it against
// the top-level of the user's checkout, so `git push` works there. Promotion, rollback and
// set-image build their commit in a temporary worktree elsewhere; their push and fetch must still
// reach the same repository — and leave the user's checkout, index, branch and config alone.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import { makeUserBusy, userState } from './helpers/hostServers/promotionRepos';
import { commitAll, git, initRepo, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

after(() => removeTempDirs());

const CONFIG = 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    path: envs/staging\n  - name: prod\n    path: envs/prod\n';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

interface RelativeRemoteRepo {
  work: string;
  bare: string;
  url: string;
}

/**
 * A checkout whose origin is `url`, a path relative to the checkout's top-level, with a bare
 * repository at that place; `main` pushed there with plain git (which proves git accepts the URL).
 */
function relativeRemoteRepo(url: string): RelativeRemoteRepo {
  const parent = tempDir('gitops-relremote-');
  const work = join(parent, 'work');
  mkdirSync(work);
  initRepo(work);
  git(work, 'config', 'user.name', 'Promo Tester');
  git(work, 'config', 'user.email', 'promo@example.com');
  const bare = join(work, url);
  mkdirSync(bare, { recursive: true });
  git(bare, 'init', '--bare', '--quiet', '--initial-branch=main');
  // A remote inside the checkout must not show up as untracked work.
  writeFileSync(join(work, '.git', 'info', 'exclude'), '*.git/\nremotes/\n');
  writeFiles(work, {
    'gitops.yaml': CONFIG,
    'envs/staging/app.yaml': 'image: web:2\n',
    'envs/prod/app.yaml': 'image: web:1\n',
  });
  commitAll(work, 'initial environments');
  git(work, 'remote', 'add', 'origin', url);
  git(work, 'push', '--quiet', 'origin', 'main');
  return { work, bare, url };
}

function remoteBranch(repo: RelativeRemoteRepo, prefix: string): string | undefined {
  return git(repo.bare, 'for-each-ref', '--format=%(refname:short)', 'refs/heads')
    .split('\n')
    .find((name) => name.startsWith(prefix));
}

describe('promotion to a remote given as a relative path', () => {
  for (const url of ['../shop.git', './../remotes/shop.git', 'shop.git', 'remotes/nested/shop.git']) {
    it(`promote --from staging pushes the branch to origin = ${url}, and the user's checkout is untouched`, async () => {
      const repo = relativeRemoteRepo(url);
      makeUserBusy(repo.work, 'envs/prod/app.yaml');
      const before = userState(repo.work);
      const { code, out, err } = await run(['promote', '--repo', repo.work, '--from', 'staging', '--json']);
      assert.equal(code, 0, err);
      const json = JSON.parse(out) as { branch: string; to: string };
      assert.equal(json.to, 'prod');
      assert.equal(git(repo.bare, 'show', `${json.branch}:envs/prod/app.yaml`), 'image: web:2\n');
      assert.deepEqual(userState(repo.work), before);
      assert.equal(git(repo.work, 'config', '--get-all', 'remote.origin.url').trim(), url, 'the remote URL is left as the user wrote it');
    });
  }

  it('works from a subdirectory of the checkout, and a second run fetches the branch from the same remote', async () => {
    const repo = relativeRemoteRepo('../shop.git');
    const before = userState(repo.work);
    const first = await run(['promote', '--repo', join(repo.work, 'envs', 'prod'), '--from', 'staging', '--json']);
    assert.equal(first.code, 0, first.err);
    const branch = (JSON.parse(first.out) as { branch: string }).branch;
    const pushed = git(repo.bare, 'rev-parse', `refs/heads/${branch}`).trim();
    // Same plan again, committed at another time (so another commit): the push is refused as
    // non-fast-forward, the remote branch is fetched and found to hold the same tree already, so
    // nothing new is pushed. A fetch from the wrong place would fail instead.
    const saved = process.env.GIT_COMMITTER_DATE;
    process.env.GIT_COMMITTER_DATE = '2001-02-03T04:05:06Z';
    let second: Awaited<ReturnType<typeof run>>;
    try {
      second = await run(['promote', '--repo', repo.work, '--from', 'staging', '--json']);
    } finally {
      if (saved === undefined) delete process.env.GIT_COMMITTER_DATE;
      else process.env.GIT_COMMITTER_DATE = saved;
    }
    assert.equal(second.code, 0, second.err);
    assert.equal(git(repo.bare, 'rev-parse', `refs/heads/${branch}`).trim(), pushed);
    assert.deepEqual(userState(repo.work), before);
  });

  it('rollback and set-image push to the same relative remote', async () => {
    const repo = relativeRemoteRepo('../shop.git');
    const good = git(repo.work, 'rev-parse', 'HEAD').trim();
    writeFiles(repo.work, { 'envs/prod/app.yaml': 'image: web:broken\n' });
    commitAll(repo.work, 'bad release');
    git(repo.work, 'push', '--quiet', 'origin', 'main');
    const before = userState(repo.work);

    const rollback = await run(['rollback', '--repo', repo.work, '--env', 'prod', '--to', good, '--json']);
    assert.equal(rollback.code, 0, rollback.err);
    const rollbackBranch = remoteBranch(repo, 'gitops/rollback-prod-');
    assert.ok(rollbackBranch, 'the rollback branch is on the remote');
    assert.equal(git(repo.bare, 'show', `${rollbackBranch}:envs/prod/app.yaml`), 'image: web:1\n');

    const setImage = await run(['set-image', '--repo', repo.work, '--env', 'prod', '--image', 'web:3', '--json']);
    assert.equal(setImage.code, 0, setImage.err);
    const setImageBranch = (JSON.parse(setImage.out) as { branch: string }).branch;
    assert.equal(git(repo.bare, 'show', `${setImageBranch}:envs/prod/app.yaml`), 'image: web:3\n');
    assert.deepEqual(userState(repo.work), before);
  });
});
