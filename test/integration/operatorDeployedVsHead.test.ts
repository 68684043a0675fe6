// The revision an operator deployed against the environment's branch head, on a real git
// repository: commits not yet deployed (only those touching the environment's folder), up to date,
// a deployed commit the clone does not have, one not on the branch, and no commit at all.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Environment } from '../../src/core/model';
import { compareDeployedToHead } from '../../src/core/operators/deployedVsHead';
import { loadEnvironmentStates } from '../../src/git/environmentStates';
import { GitRepository } from '../../src/git/gitRepository';
import { commitAll, git, initRepo, removeTempDirs, writeFiles } from './helpers/tempGitRepo';

function env(name: string, order: number, path: string | null, branch: string | null = 'main'): Environment {
  return { name, order, repo: null, branch, path, cluster: { context: null, namespace: null }, protected: false, source: 'config' };
}

describe('deployed revision vs branch head', () => {
  let root: string;
  let repo: GitRepository;
  const sha: Record<string, string> = {};

  before(async () => {
    root = initRepo();
    writeFiles(root, { 'envs/dev/app.yaml': 'replicas: 1\n', 'envs/prod/app.yaml': 'replicas: 1\n' });
    sha.c1 = commitAll(root, 'initial environments');
    writeFiles(root, { 'envs/dev/app.yaml': 'replicas: 2\n' });
    sha.c2 = commitAll(root, 'dev: two replicas');
    writeFiles(root, { 'envs/prod/app.yaml': 'replicas: 3\n' });
    sha.c3 = commitAll(root, 'prod: three replicas');
    writeFiles(root, { 'envs/dev/app.yaml': 'replicas: 4\n' });
    sha.c4 = commitAll(root, 'dev: four replicas');
    git(root, 'checkout', '--quiet', '-b', 'experiment', sha.c2);
    writeFiles(root, { 'envs/dev/app.yaml': 'replicas: 9\n' });
    sha.side = commitAll(root, 'experiment only');
    git(root, 'checkout', '--quiet', 'main');
    repo = await GitRepository.open(root);
  });

  after(() => {
    repo?.dispose();
    removeTempDirs();
  });

  it('lists the commits touching the environment folder that are not deployed, newest first', async () => {
    const result = await compareDeployedToHead(repo, { environment: env('dev', 0, 'envs/dev'), ref: 'main' }, sha.c1);
    assert.equal(result.status, 'behind');
    assert.equal(result.deployed, sha.c1.slice(0, 7));
    assert.equal(result.head, sha.c4.slice(0, 7));
    assert.deepEqual(
      result.notDeployed.map((c) => c.subject),
      ['dev: four replicas', 'dev: two replicas'],
    );
    assert.equal(result.total, 2);
    assert.equal(result.message, `deployed ${sha.c1.slice(0, 7)}, branch at ${sha.c4.slice(0, 7)}: 2 commits not yet deployed`);
  });

  it('reads the Flux form of a revision, and counts a single commit in the singular', async () => {
    const result = await compareDeployedToHead(repo, { environment: env('dev', 0, 'envs/dev'), ref: 'main' }, `main@sha1:${sha.c3}`);
    assert.equal(result.status, 'behind');
    assert.equal(result.message, `deployed ${sha.c3.slice(0, 7)}, branch at ${sha.c4.slice(0, 7)}: 1 commit not yet deployed`);
  });

  it('is up to date at the head, and when later commits do not touch the folder', async () => {
    const atHead = await compareDeployedToHead(repo, { environment: env('dev', 0, 'envs/dev'), ref: 'main' }, sha.c4);
    assert.equal(atHead.status, 'upToDate');
    assert.deepEqual(atHead.notDeployed, []);
    const prod = await compareDeployedToHead(repo, { environment: env('prod', 1, 'envs/prod'), ref: 'main' }, sha.c3);
    assert.equal(prod.status, 'upToDate');
    assert.match(prod.message, /up to date \(no change to envs\/prod since\)/);
  });

  it('a commit missing from the local clone is said so, not treated as an error', async () => {
    const missing = 'f'.repeat(40);
    const result = await compareDeployedToHead(repo, { environment: env('dev', 0, 'envs/dev'), ref: 'main' }, missing);
    assert.equal(result.status, 'unknownRevision');
    assert.equal(result.message, `deployed fffffff, which is not in the local history (fetch to compare); branch at ${sha.c4.slice(0, 7)}`);
  });

  it('a deployed commit that is not on the branch is diverged, with what the branch has that it lacks', async () => {
    const result = await compareDeployedToHead(repo, { environment: env('dev', 0, 'envs/dev'), ref: 'main' }, sha.side);
    assert.equal(result.status, 'diverged');
    assert.deepEqual(result.notDeployed.map((c) => c.subject), ['dev: four replicas']);
    assert.match(result.message, /not in the history of main \(1 commit only there\)/);
  });

  it('no commit reported (a chart version, nothing yet) and an unresolvable branch', async () => {
    const chart = await compareDeployedToHead(repo, { environment: env('dev', 0, 'envs/dev'), ref: 'main' }, '6.5.4');
    assert.equal(chart.status, 'noDeployedRevision');
    assert.equal(chart.message, `deployed 6.5.4, which names no commit; branch at ${sha.c4.slice(0, 7)}`);
    const nothing = await compareDeployedToHead(repo, { environment: env('dev', 0, 'envs/dev'), ref: 'main' }, null);
    assert.equal(nothing.message, `no deployed revision reported yet; branch at ${sha.c4.slice(0, 7)}`);
    const noBranch = await compareDeployedToHead(repo, { environment: env('dev', 0, 'envs/dev', 'gone'), ref: null }, sha.c1);
    assert.equal(noBranch.status, 'noHead');
  });

  it('takes the environment states the git adapter computes as they are, and honours the limit', async () => {
    const [dev] = await loadEnvironmentStates(repo, [env('dev', 0, 'envs/dev')]);
    const result = await compareDeployedToHead(repo, dev, sha.c1, { limit: 1 });
    assert.equal(result.notDeployed.length, 1);
    assert.equal(result.total, 2);
  });
});
