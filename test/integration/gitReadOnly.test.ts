// Every read the extension makes must leave the user's checkout exactly as it was: working tree
// files, the index (byte for byte: no stat refresh, no lock) and HEAD.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { GitRepository } from '../../src/git/gitRepository';
import { materializeRef } from '../../src/git/materialize';
import { refView, workingTreeView } from '../../src/git/repoViews';
import { commitAll, fingerprint, git, initRepo, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

after(removeTempDirs);

function dirtyRepository(): string {
  const root = initRepo();
  writeFiles(root, { 'apps/a.yaml': 'a: 1\n', 'apps/b.yaml': 'b: 1\n', 'apps/c.yaml': 'c: 1\n', '.gitignore': 'ignored/\n' });
  commitAll(root, 'init');
  git(root, 'checkout', '--quiet', '-b', 'env/prod');
  writeFiles(root, { 'apps/a.yaml': 'a: 2\n' });
  commitAll(root, 'prod');
  git(root, 'checkout', '--quiet', 'main');
  // Staged, unstaged, untracked and ignored changes.
  writeFiles(root, { 'apps/a.yaml': 'a: staged\n' });
  git(root, 'add', 'apps/a.yaml');
  writeFiles(root, { 'apps/b.yaml': 'b: unstaged\n', 'untracked.yaml': 'u: 1\n', 'ignored/x.yaml': 'i: 1\n' });
  // Same content, new timestamp: exactly what makes `git status` rewrite the index to refresh its stat cache.
  utimesSync(join(root, 'apps', 'c.yaml'), new Date(2030, 0, 1), new Date(2030, 0, 1));
  return root;
}

test('no read through the git adapter changes the working tree, the index or HEAD', async () => {
  const root = dirtyRepository();
  const before = fingerprint(root);
  const repo = await GitRepository.open(root);
  try {
    await repo.currentBranch();
    await repo.branches();
    await repo.resolve('env/prod');
    await repo.headCommit('env/prod');
    await repo.headCommit('HEAD', 'apps');
    await repo.pendingCommits('env/prod', 'main', { paths: ['apps'] });
    await repo.aheadBehind('main', 'env/prod');
    await repo.listFiles('env/prod');
    await repo.treeHash('env/prod', 'apps');
    await repo.readFiles('env/prod', ['apps/a.yaml', 'apps/b.yaml']);
    await repo.readFile('HEAD', 'apps/a.yaml');
    await repo.remotes();
    await repo.changedFiles('env/prod');
    const worktree = workingTreeView(repo);
    for (const path of await worktree.listFiles()) await worktree.readFile(path);
    await worktree.branches();
    const prod = refView(repo, 'env/prod');
    for (const path of await prod.listFiles()) await prod.readFile(path);
    await materializeRef(repo, 'env/prod', tempDir());
  } finally {
    repo.dispose();
  }
  assert.deepEqual(fingerprint(root), before);
});

test('the fingerprint notices an index refresh (so the test above can fail)', () => {
  const root = dirtyRepository();
  const before = fingerprint(root);
  // A plain `git status` takes the optional lock and rewrites the index's stat cache.
  git(root, 'status', '--porcelain');
  assert.notEqual(fingerprint(root).index, before.index);
});
