// `gitops-env promote` and `gitops-env rollback` end to end: real Git, a bare remote, and the
// GitHub (OpenAPI-checked) and GitLab test servers reached through --provider / --api-url.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import { GitHubTestServer } from './helpers/hostServers/githubServer';
import { GitLabTestServer } from './helpers/hostServers/gitlabServer';
import { hostedRepo, remoteBranches, userState } from './helpers/hostServers/promotionRepos';
import { commitAll, git, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

const GITHUB_TOKEN = 'ghp_clitesttoken0123456789abcdefghijkl';
const CONFIG = 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    path: envs/staging\n  - name: prod\n    path: envs/prod\npromotion:\n  exclude: [replicas.yaml]\n  labels: [promotion]\n';

let github: GitHubTestServer;
let gitlab: GitLabTestServer;
const savedEnv = { ...process.env };

before(async () => {
  github = await GitHubTestServer.start({ owner: 'acme', repo: 'gitops', token: GITHUB_TOKEN });
  gitlab = await GitLabTestServer.start({ projectPath: 'acme/gitops', token: 'glpat-cli-token-0123456789' });
});
after(async () => {
  assert.deepEqual(github.violations, []);
  await Promise.all([github.close(), gitlab.close()]);
  removeTempDirs();
});
afterEach(() => {
  for (const key of ['GITHUB_TOKEN', 'GITLAB_TOKEN']) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

function repo() {
  return hostedRepo({
    'gitops.yaml': CONFIG,
    'envs/staging/app.yaml': 'image: web:2\n',
    'envs/staging/replicas.yaml': 'replicas: 1\n',
    'envs/prod/app.yaml': 'image: web:1\n',
    'envs/prod/replicas.yaml': 'replicas: 4\n',
  });
}

describe('gitops-env promote', () => {
  it('without any remote: one clear error that says what to add, no note about pushing the branch', async () => {
    const work = tempDir('gitops-cli-noremote-');
    git(work, 'init', '--quiet', '--initial-branch=main');
    git(work, 'config', 'user.name', 'T');
    git(work, 'config', 'user.email', 't@example.com');
    writeFiles(work, { 'gitops.yaml': CONFIG, 'envs/staging/app.yaml': 'image: web:2\n', 'envs/prod/app.yaml': 'image: web:1\n' });
    commitAll(work, 'environments');
    const { code, err } = await run(['promote', '--repo', work, '--from', 'staging', '--to', 'prod']);
    assert.equal(code, 2, err);
    assert.match(err, /no remote to push the promotion branch to — add one \(git remote add origin <url>\)/);
    assert.doesNotMatch(err, /pushed only/);
  });

  it('--dry-run --json prints the plan in the documented shape and pushes nothing', async () => {
    const remote = repo();
    const { code, out, err } = await run(['promote', '--repo', remote.work, '--from', 'staging', '--to', 'prod', '--dry-run', '--json']);
    assert.equal(code, 0, err);
    const json = JSON.parse(out) as Record<string, unknown>;
    assert.equal(json.from, 'staging');
    assert.equal(json.to, 'prod');
    assert.deepEqual(json.changes, [
      { path: 'envs/prod/app.yaml', action: 'modify', selected: true, excluded: false },
      { path: 'envs/prod/replicas.yaml', action: 'modify', selected: false, excluded: true },
    ]);
    assert.deepEqual(json.images, []);
    assert.ok(Array.isArray(json.commits));
    assert.match(String(json.branch), /^gitops\/promote-staging-to-prod-[0-9a-f]{7}$/);
    assert.equal(json.pullRequest, null);
    assert.deepEqual([...remoteBranches(remote).keys()], ['main']);
  });

  it('--provider github --api-url opens the pull request with GITHUB_TOKEN, and a second run updates it', async () => {
    const remote = repo();
    const before = userState(remote.work);
    process.env.GITHUB_TOKEN = GITHUB_TOKEN;
    const args = ['promote', '--repo', remote.work, '--from', 'staging', '--to', 'prod', '--json', '--provider', 'github', '--api-url', github.url];
    const first = await run(args);
    assert.equal(first.code, 0, first.err);
    const json = JSON.parse(first.out) as { pullRequest: { url: string; number: number }; branch: string };
    assert.equal(json.pullRequest.url, `https://github.test/acme/gitops/pull/${json.pullRequest.number}`);
    const pull = github.pulls.find((p) => p.number === json.pullRequest.number);
    assert.equal(pull?.head, json.branch);
    assert.equal(pull?.base, 'main');
    assert.deepEqual(pull?.labels, ['promotion']);
    assert.ok(remoteBranches(remote).has(json.branch));
    const second = await run(args);
    assert.equal(second.code, 0, second.err);
    assert.equal((JSON.parse(second.out) as { pullRequest: { number: number } }).pullRequest.number, json.pullRequest.number);
    assert.equal(github.pulls.filter((p) => p.head === json.branch).length, 1);
    assert.deepEqual(userState(remote.work), before);
    assert.ok(!`${first.out}${first.err}${second.out}${second.err}`.includes(GITHUB_TOKEN));
  });

  it('text output: the plan, progress on stderr, and the pull request link', async () => {
    const remote = repo();
    process.env.GITHUB_TOKEN = GITHUB_TOKEN;
    const { code, out, err } = await run(['promote', '--repo', remote.work, '--from', 'staging', '--provider', 'github', '--api-url', github.url]);
    assert.equal(code, 0, err);
    assert.match(out, /^Promote staging → prod \([0-9a-f]{7}\)\n/);
    assert.match(out, /\[ \] ~ envs\/prod\/replicas\.yaml .*left out: matches replicas\.yaml/);
    assert.match(out, /Opened pull request #\d+: https:\/\/github\.test\/acme\/gitops\/pull\/\d+\n$/);
    assert.match(err, /… Pushing gitops\/promote-staging-to-prod-[0-9a-f]{7} to origin/);
  });

  it('without a token: pushes the branch and prints the compare page', async () => {
    const remote = repo();
    delete process.env.GITHUB_TOKEN;
    const { code, out, err } = await run(['promote', '--repo', remote.work, '--from', 'staging', '--provider', 'github']);
    assert.equal(code, 0, err);
    assert.match(err, /no pull request will be opened \(there is no GitHub token; sign in to GitHub \(CLI: set GITHUB_TOKEN\)\)/);
    assert.match(out, /Open the pull request at https:\/\/git\.example\.test\/acme\/gitops\/compare\/main\.\.\.gitops\/promote-staging-to-prod-[0-9a-f]{7}\?expand=1/);
  });

  it('an expired token: exit 2, "sign in again", nothing pushed, the token never printed', async () => {
    const remote = repo();
    process.env.GITHUB_TOKEN = 'ghp_expiredtoken0123456789abcdefghijklmn';
    const { code, out, err } = await run(['promote', '--repo', remote.work, '--from', 'staging', '--provider', 'github', '--api-url', github.url]);
    assert.equal(code, 2);
    assert.match(err, /rejected the token \(expired or revoked\).*sign in again/);
    assert.ok(!`${out}${err}`.includes('ghp_expiredtoken0123456789abcdefghijklmn'));
    assert.deepEqual([...remoteBranches(remote).keys()], ['main']);
  });

  it('already in sync: exit 0 and says so', async () => {
    const remote = hostedRepo({ 'gitops.yaml': CONFIG, 'envs/staging/app.yaml': 'a\n', 'envs/prod/app.yaml': 'a\n' });
    const { code, out } = await run(['promote', '--repo', remote.work, '--from', 'staging', '--to', 'prod']);
    assert.equal(code, 0);
    assert.match(out, /Already in sync: staging and prod already hold the same files/);
  });

  it('bad input exits 2 with the next step', async () => {
    const remote = repo();
    const typo = await run(['promote', '--repo', remote.work, '--from', 'stagign']);
    assert.equal(typo.code, 2);
    assert.match(typo.err, /There is no source environment "stagign" — did you mean "staging"\? — use one of: staging, prod/);
    const same = await run(['promote', '--repo', remote.work, '--from', 'prod', '--to', 'prod']);
    assert.equal(same.code, 2);
    assert.match(same.err, /Source and target are both "prod" — pick two different environments/);
    const provider = await run(['promote', '--repo', remote.work, '--from', 'staging', '--provider', 'svn']);
    assert.equal(provider.code, 2);
    assert.match(provider.err, /--provider must be one of github, gitlab, gitea, azure, bitbucket/);
    const missing = await run(['promote', '--repo', remote.work]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /promote needs --from/);
    const notRepo = await run(['promote', '--repo', tempDir(), '--from', 'staging']);
    assert.equal(notRepo.code, 2);
    assert.match(notRepo.err, /is not a Git repository/);
  });
});

describe('gitops-env rollback', () => {
  it('--provider gitlab: opens a merge request labelled rollback that restores the folder', async () => {
    const remote = repo();
    const good = git(remote.work, 'rev-parse', 'HEAD').trim();
    writeFiles(remote.work, { 'envs/prod/app.yaml': 'image: web:broken\n' });
    commitAll(remote.work, 'bad release');
    git(remote.work, 'push', '--quiet', 'origin', 'main');
    process.env.GITLAB_TOKEN = 'glpat-cli-token-0123456789';
    const dry = await run(['rollback', '--repo', remote.work, '--env', 'prod', '--to', good.slice(0, 10), '--dry-run']);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /^Roll back prod to [0-9a-f]{7}\n {2}restores prod \(envs\/prod\) on main to [0-9a-f]{7}/);
    assert.match(dry.out, /bad release/);
    const { code, out, err } = await run(['rollback', '--repo', remote.work, '--env', 'prod', '--to', good, '--json', '--provider', 'gitlab', '--api-url', gitlab.url]);
    assert.equal(code, 0, err);
    const json = JSON.parse(out) as { kind: string; rollbackTo: string; pullRequest: { number: number; url: string } };
    assert.equal(json.kind, 'rollback');
    assert.equal(json.rollbackTo, good);
    const mr = gitlab.mergeRequests.find((m) => m.iid === json.pullRequest.number);
    assert.equal(mr?.source_branch, `gitops/rollback-prod-to-${good.slice(0, 7)}`);
    assert.deepEqual(mr?.labels, ['promotion', 'rollback']);
    assert.equal(git(remote.bare, 'show', `${mr?.source_branch}:envs/prod/app.yaml`), 'image: web:1\n');
  });

  it('a commit outside the history exits 2 and says which commits to pick', async () => {
    const remote = repo();
    const { code, err } = await run(['rollback', '--repo', remote.work, '--env', 'prod', '--to', '0000000000000000000000000000000000000000']);
    assert.equal(code, 2);
    assert.match(err, /is not a commit in this repository — pick a commit from prod's history \(git log origin\/main -- envs\/prod\)/);
    const usage = await run(['rollback', '--repo', remote.work, '--env', 'prod']);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /rollback needs --env NAME and --to COMMIT/);
  });
});
