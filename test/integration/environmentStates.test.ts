// Environment states on real repositories: heads, pending commits per layout, remote-only branches,
// missing branches as located problems, and nothing of the user's touched.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { GitRepository } from '../../src/git/gitRepository';
import { loadRepositoryEnvironments } from '../../src/git/repositoryEnvironments';
import { commitAll, fingerprint, git, initRepo, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

after(removeTempDirs);

const config = (envs: string): string => `apiVersion: gitops-environments/v1\nenvironments:\n${envs}`;

test('branch per environment: heads and commits waiting from the previous branch', async () => {
  const repo = initRepo();
  writeFiles(repo, {
    'gitops.yaml': config('  - name: dev\n    branch: dev\n    path: deploy\n  - name: staging\n    branch: staging\n    path: deploy\n  - name: prod\n    branch: prod\n    path: deploy\n'),
    'deploy/app.yaml': 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: a\ndata:\n  v: "1"\n',
  });
  commitAll(repo, 'base');
  git(repo, 'branch', 'prod');
  writeFiles(repo, { 'deploy/app.yaml': 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: a\ndata:\n  v: "2"\n' });
  commitAll(repo, 'v2');
  writeFiles(repo, { 'README.md': 'not a manifest\n' });
  commitAll(repo, 'docs only');
  git(repo, 'branch', 'staging');
  git(repo, 'checkout', '-q', '-b', 'dev');
  writeFiles(repo, { 'deploy/app.yaml': 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: a\ndata:\n  v: "3"\n' });
  commitAll(repo, 'v3');
  const before = fingerprint(repo);

  const r = await GitRepository.open(repo);
  try {
    const { states, discovery, currentBranch } = await loadRepositoryEnvironments(r);
    assert.equal(discovery.source, 'config');
    assert.equal(currentBranch, 'dev');
    assert.deepEqual(states.map((s) => s.environment.name), ['dev', 'staging', 'prod']);
    assert.equal(states[0].checkedOut, true);
    assert.equal(states[1].checkedOut, false);
    assert.equal(states[0].pending, null);
    assert.equal(states[1].pending?.total, 1);
    assert.deepEqual(states[1].pending?.commits.map((c) => c.subject), ['v3']);
    // Limited to the environment folder: the docs-only commit is not waiting.
    assert.equal(states[2].pending?.total, 1);
    assert.deepEqual(states[2].pending?.commits.map((c) => c.subject), ['v2']);
    assert.equal(states[2].head?.subject, 'base');
  } finally {
    r.dispose();
  }
  assert.deepEqual(fingerprint(repo), before);
});

test('a branch that exists only on the remote is read from the remote-tracking ref', async () => {
  const origin = initRepo();
  writeFiles(origin, { 'envs/x.yaml': 'a: 1\n' });
  commitAll(origin, 'one');
  git(origin, 'branch', 'prod');
  const clone = tempDir();
  git(clone, 'clone', '--quiet', origin, '.');
  writeFiles(clone, { 'gitops.yaml': config('  - name: dev\n    branch: main\n  - name: prod\n    branch: prod\n  - name: qa\n    branch: does-not-exist\n') });
  const r = await GitRepository.open(clone);
  try {
    const { states } = await loadRepositoryEnvironments(r);
    const prod = states.find((s) => s.environment.name === 'prod');
    assert.equal(prod?.ref, 'origin/prod');
    assert.equal(prod?.head?.subject, 'one');
    const qa = states.find((s) => s.environment.name === 'qa');
    assert.equal(qa?.ref, null);
    assert.match(qa?.problems[0]?.message ?? '', /does-not-exist/);
    assert.equal(qa?.problems[0]?.location?.file, 'gitops.yaml');
    assert.ok((qa?.problems[0]?.location?.range?.start.line ?? 0) >= 6);
  } finally {
    r.dispose();
  }
});

test('folder per environment: nothing pending when both folders hold the same tree', async () => {
  const repo = initRepo();
  const app = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
  writeFiles(repo, { 'envs/dev/app.yaml': app, 'envs/prod/app.yaml': app });
  commitAll(repo, 'same');
  let r = await GitRepository.open(repo);
  try {
    const { states, discovery } = await loadRepositoryEnvironments(r);
    assert.equal(discovery.source, 'folders');
    assert.equal(states[1].pending?.total, 0);
  } finally {
    r.dispose();
  }
  writeFiles(repo, { 'envs/dev/app.yaml': `${app}data:\n  x: "1"\n` });
  commitAll(repo, 'dev change 1');
  writeFiles(repo, { 'envs/dev/app.yaml': `${app}data:\n  x: "2"\n` });
  commitAll(repo, 'dev change 2');
  r = await GitRepository.open(repo);
  try {
    const { states } = await loadRepositoryEnvironments(r);
    assert.equal(states[1].pending?.total, 2);
    assert.deepEqual(states[1].pending?.commits.map((c) => c.subject), ['dev change 2', 'dev change 1']);
    assert.equal(states[1].head?.subject, 'same');
  } finally {
    r.dispose();
  }
});
