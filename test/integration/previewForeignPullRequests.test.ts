// Someone else's pull requests — not opened by a promotion, other titles and branches — listed by
// the host (the GitHub test server, checked against GitHub's OpenAPI description), placed under
// the environments whose sources they change, and previewable: a branch on our remote, a fork's
// head reachable only through the host's `refs/pull/N/head`, a change to a base shared by two
// environments, and one that touches no environment (listed by the host, placed nowhere).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GitRepository } from '../../src/git/gitRepository';
import { resolveChangeRefs } from '../../src/git/preview/changeRefs';
import { previewChange, touchedEnvironments } from '../../src/git/preview/changePreview';
import { selectPullRequestProvider } from '../../src/hosts/providerFactory';
import type { PullRequestProvider } from '../../src/hosts/pullRequestProvider';
import { staticTokenSource } from '../../src/hosts/tokenSource';
import { environmentsOfForeignPullRequest, isOurPullRequest } from '../../src/ui/promotion/foreignPullRequests';
import { GitHubTestServer } from './helpers/hostServers/githubServer';
import { hostedRepo, type PromotionRepo } from './helpers/hostServers/promotionRepos';
import { commitAll, git, removeTempDirs, writeFiles } from './helpers/tempGitRepo';

const CONFIG = 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: dev\n    path: envs/dev\n  - name: staging\n    path: envs/staging\n  - name: prod\n    path: envs/prod\n';
const cm = (name: string, value: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;
const overlay = (env: string): string => `namespace: ${env}\nresources:\n  - ../../base\n  - app.yaml\n`;

let server: GitHubTestServer;
before(async () => {
  server = await GitHubTestServer.start({ owner: 'acme', repo: 'gitops', token: 'good-token' });
});
after(async () => {
  assert.deepEqual(server.violations, []);
  await server.close();
  removeTempDirs();
});

async function provider(): Promise<PullRequestProvider> {
  const selected = await selectPullRequestProvider({ remoteUrl: 'https://git.example.test/acme/gitops.git', overrides: { kind: 'github', apiUrl: server.url }, tokenSource: staticTokenSource('good-token') });
  assert.ok(selected.provider, selected.reason ?? '');
  return selected.provider;
}

/** dev and staging overlay a shared base; prod is plain. */
function shop(): PromotionRepo {
  return hostedRepo({
    'gitops.yaml': CONFIG,
    'base/kustomization.yaml': 'resources:\n  - shared.yaml\n',
    'base/shared.yaml': cm('shared', 'one'),
    'envs/dev/kustomization.yaml': overlay('dev'),
    'envs/dev/app.yaml': cm('app', 'dev'),
    'envs/staging/kustomization.yaml': overlay('staging'),
    'envs/staging/app.yaml': cm('app', 'staging'),
    'envs/prod/app.yaml': cm('app', 'prod'),
    'docs/README.md': '# shop\n',
  });
}

/** A colleague's commit on `branch` (from main), pushed to `ref` of the remote; returns its sha. */
function theirCommit(remote: PromotionRepo, branch: string, files: Record<string, string>, ref: string): string {
  git(remote.work, 'switch', '--quiet', '-c', branch, 'main');
  writeFiles(remote.work, files);
  const sha = commitAll(remote.work, `their change on ${branch}`);
  git(remote.work, 'push', '--quiet', 'origin', `HEAD:${ref}`);
  git(remote.work, 'switch', '--quiet', 'main');
  // Our clone never saw it: drop the local branch, as a fresh clone would not have it.
  git(remote.work, 'branch', '--quiet', '-D', branch);
  return sha;
}

function open(head: string, base: string, title: string, headSha: string): number {
  const number = server.pulls.length + 1;
  server.pulls.push({ number, title, body: 'Fixes the thing.', head, base, state: 'open', merged: false, draft: false, labels: [], reviewers: [], headSha });
  return number;
}

const ENVIRONMENTS = [
  { name: 'dev', branch: null },
  { name: 'staging', branch: null },
  { name: 'prod', branch: null },
];

describe('someone else’s pull requests in the Environments view', () => {
  it('are listed by the host, placed under the environments they change, and previewable', async () => {
    const remote = shop();
    const prodFix = theirCommit(remote, 'fix-prod-value', { 'envs/prod/app.yaml': cm('app', 'prod-fixed') }, 'refs/heads/fix-prod-value');
    const baseBump = theirCommit(remote, 'bump-shared', { 'base/shared.yaml': cm('shared', 'two') }, 'refs/heads/bump-shared');
    const docs = theirCommit(remote, 'docs-only', { 'docs/README.md': '# shop, documented\n' }, 'refs/heads/docs-only');
    // A fork's branch: not on our remote, only as the host's pull request ref.
    const forkNumber = server.pulls.length + 4;
    const fork = theirCommit(remote, 'patch-1', { 'envs/dev/app.yaml': cm('app', 'dev-from-fork') }, `refs/pull/${forkNumber}/head`);
    const numbers = [open('fix-prod-value', 'main', 'Fix prod value', prodFix), open('bump-shared', 'main', 'Bump the shared value', baseBump), open('docs-only', 'main', 'Docs', docs), open('patch-1', 'main', 'From a fork', fork)];
    assert.equal(numbers[3], forkNumber);

    const host = await provider();
    const listed = await host.listOpen('');
    const mine = listed.filter((pull) => numbers.includes(pull.number));
    assert.deepEqual(mine.map((p) => p.number).sort(), [...numbers].sort(), 'every open pull request is listed, whoever opened it');
    assert.ok(mine.every((pull) => !isOurPullRequest(pull)));
    assert.deepEqual(await host.listOpen('gitops/'), [], 'none of them is a promotion of ours');

    const repo = await GitRepository.open(remote.work);
    try {
      const placed = new Map<number, string[]>();
      for (const pull of mine) placed.set(pull.number, await environmentsOfForeignPullRequest({ repo, pull, environments: ENVIRONMENTS, fetchRef: host.headFetchRef?.(pull.number) ?? null }));
      assert.deepEqual(placed.get(numbers[0]), ['prod']);
      assert.deepEqual(placed.get(numbers[1]), ['dev', 'staging'], 'a shared base reaches both overlays, not prod');
      assert.deepEqual(placed.get(numbers[2]), [], 'docs change no environment');
      assert.deepEqual(placed.get(numbers[3]), ['dev'], 'the fork’s head came through refs/pull/N/head');

      // Preview Impact on the colleague's row: the same refs, the report of prod.
      const pull = mine.find((p) => p.number === numbers[0]);
      assert.ok(pull);
      const refs = await resolveChangeRefs(repo, { base: pull.base, head: pull.head, headSha: pull.headSha, number: pull.number, fetchRef: host.headFetchRef?.(pull.number) ?? null });
      const { renderAt } = await import('../../src/cli/environmentRender');
      const preview = await previewChange(repo, { base: refs.base, head: refs.head, render: (environment, commit) => renderAt({ envRepo: repo, environment }, commit) });
      assert.deepEqual(preview.environments.map((e) => e.name), ['prod']);
      assert.deepEqual(preview.environments[0].objects.map((o) => `${o.change} ${o.kind} ${o.name} ${o.fields.map((f) => `${f.path}: ${String(f.before)} → ${String(f.after)}`).join()}`), ['modified ConfigMap app data.value: prod → prod-fixed']);
      // touchedEnvironments says what previewChange reports, without rendering.
      assert.deepEqual(await touchedEnvironments(repo, refs.base, refs.head), ['prod']);
    } finally {
      repo.dispose();
    }
  });

  it('branch per environment: a pull request into an environment’s branch goes under it without reading Git', async () => {
    const remote = shop();
    const repo = await GitRepository.open(remote.work);
    try {
      const environments = [
        { name: 'staging', branch: 'staging' },
        { name: 'prod', branch: 'prod' },
      ];
      // No such head anywhere: placement by base must not need it.
      assert.deepEqual(await environmentsOfForeignPullRequest({ repo, pull: { number: 99, base: 'prod', head: 'nowhere', headSha: null }, environments, fetchRef: null }), ['prod']);
      assert.deepEqual(await environmentsOfForeignPullRequest({ repo, pull: { number: 98, base: 'feature-x', head: 'nowhere', headSha: null }, environments, fetchRef: null }), []);
      await assert.rejects(environmentsOfForeignPullRequest({ repo, pull: { number: 97, base: 'main', head: 'nowhere', headSha: null }, environments: ENVIRONMENTS, fetchRef: null }), /cannot be fetched/);
    } finally {
      repo.dispose();
    }
  });
});
