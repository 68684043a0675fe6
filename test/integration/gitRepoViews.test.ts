// RepoView over the working tree (what is on disk, as git sees it) and over a ref (one snapshot).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitError } from '../../src/git/gitError';
import { GitRepository } from '../../src/git/gitRepository';
import { refView, workingTreeView } from '../../src/git/repoViews';
import { commitAll, git, initRepo, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

after(removeTempDirs);

test('workingTreeView lists tracked and untracked files, not ignored or deleted ones, and reads the disk', async () => {
  const root = initRepo();
  writeFiles(root, { '.gitignore': 'secret/\n*.log\n', 'apps/web.yaml': 'a: 1\n', 'apps/gone.yaml': 'g: 1\n' });
  commitAll(root, 'init');
  writeFiles(root, { 'apps/web.yaml': 'a: edited\n', 'apps/new file.yaml': 'n: 1\n', 'secret/key.yaml': 'k: 1\n', 'debug.log': 'x\n' });
  rmSync(join(root, 'apps', 'gone.yaml'));
  const repo = await GitRepository.open(root);
  try {
    const view = workingTreeView(repo);
    assert.deepEqual(await view.listFiles(), ['.gitignore', 'apps/new file.yaml', 'apps/web.yaml']);
    assert.equal(await view.readFile('apps/web.yaml'), 'a: edited\n');
    assert.equal(await view.readFile('apps/gone.yaml'), undefined);
    assert.equal(await view.readFile('../outside.yaml'), undefined);
    assert.deepEqual((await view.branches()).map((b) => b.name), ['main']);
  } finally {
    repo.dispose();
  }
});

test('workingTreeView does not follow a symlink out of the repository', async () => {
  const root = initRepo();
  const outside = join(tempDir(), 'secret.yaml');
  writeFileSync(outside, 'password: hunter2\n');
  writeFiles(root, { 'apps/real.yaml': 'r: 1\n' });
  symlinkSync(outside, join(root, 'apps', 'leak.yaml'));
  symlinkSync('real.yaml', join(root, 'apps', 'alias.yaml'));
  commitAll(root, 'links');
  const repo = await GitRepository.open(root);
  try {
    const view = workingTreeView(repo);
    assert.equal(await view.readFile('apps/leak.yaml'), undefined);
    assert.equal(await view.readFile('apps/alias.yaml'), 'r: 1\n');
  } finally {
    repo.dispose();
  }
});

test('workingTreeView refuses a bare repository', async () => {
  const bare = tempDir();
  git(bare, 'init', '--quiet', '--bare');
  const repo = await GitRepository.open(bare);
  assert.throws(() => workingTreeView(repo), (error: unknown) => error instanceof GitError && error.code === 'notARepository');
});

test('refView reads one snapshot of the ref even when the branch moves', async () => {
  const root = initRepo();
  writeFiles(root, { 'env/a.yaml': 'v: 1\n', 'env/b.yaml': 'v: 1\n' });
  commitAll(root, 'one');
  const repo = await GitRepository.open(root);
  try {
    const view = refView(repo, 'main');
    assert.deepEqual(await view.listFiles(), ['env/a.yaml', 'env/b.yaml']);
    writeFiles(root, { 'env/a.yaml': 'v: 2\n', 'env/c.yaml': 'v: 2\n' });
    commitAll(root, 'two');
    // Same view: still the first commit's tree.
    assert.equal(await view.readFile('env/a.yaml'), 'v: 1\n');
    assert.deepEqual(await view.listFiles(), ['env/a.yaml', 'env/b.yaml']);
    // A new view sees the new commit; the working tree is not read.
    writeFiles(root, { 'env/a.yaml': 'v: dirty\n' });
    const fresh = refView(repo, 'main');
    assert.equal(await fresh.readFile('env/a.yaml'), 'v: 2\n');
    assert.deepEqual(await fresh.listFiles(), ['env/a.yaml', 'env/b.yaml', 'env/c.yaml']);
    assert.equal(await fresh.readFile('env/missing.yaml'), undefined);
  } finally {
    repo.dispose();
  }
});

test('refView of a missing ref fails with unknownRef, and works once the ref exists', async () => {
  const root = initRepo();
  writeFiles(root, { 'a.yaml': 'a: 1\n' });
  commitAll(root, 'one');
  const repo = await GitRepository.open(root);
  try {
    const view = refView(repo, 'later');
    await assert.rejects(view.listFiles(), (error: unknown) => error instanceof GitError && error.code === 'unknownRef');
    git(root, 'branch', 'later');
    // The failure was not cached.
    assert.deepEqual(await view.listFiles(), ['a.yaml']);
  } finally {
    repo.dispose();
  }
});

test('refView reads listed files by blob id and answers every path as a read by path would', async () => {
  const root = initRepo();
  const files: Record<string, string> = {
    'top.yaml': 'top: 1\n',
    'env/a b/with space.yaml': 'space: 1\n',
    'env/ü/ünïcode.yaml': 'u: ü\n',
    'env/deep/er/still/x.yaml': 'x: 1\n',
    'env/same-1.yaml': 'same: 1\n',
    'env/same-2.yaml': 'same: 1\n',
    'env/empty.yaml': '',
  };
  for (let i = 0; i < 40; i++) files[`env/many/app-${i}.yaml`] = `i: ${i}\n`;
  writeFiles(root, files);
  symlinkSync('top.yaml', join(root, 'env', 'link.yaml'));
  commitAll(root, 'one');
  const repo = await GitRepository.open(root);
  try {
    const byBlob: string[] = [];
    const byPath: string[] = [];
    const readBlob = repo.readBlob.bind(repo);
    const readObjectAt = repo.readObjectAt.bind(repo);
    repo.readBlob = (sha: string) => (byBlob.push(sha), readBlob(sha));
    repo.readObjectAt = (tree: string, path: string) => (byPath.push(path), readObjectAt(tree, path));
    const view = refView(repo, 'main');
    // Before the listing is known, a read goes by path.
    assert.equal(await view.readFile('top.yaml'), 'top: 1\n');
    assert.deepEqual(byPath, ['top.yaml']);
    const listed = await view.listFiles();
    assert.deepEqual([...listed].sort(), [...Object.keys(files), 'env/link.yaml'].sort());
    byPath.length = 0;
    for (const path of listed) {
      const expected = git(root, 'cat-file', 'blob', `main:${path}`);
      assert.equal(await view.readFile(path), expected, path);
    }
    // Every listed file went by its blob id, none by path.
    assert.equal(byBlob.length, listed.length);
    assert.deepEqual(byPath, []);
    // Paths outside the listing answer as before: a folder and a missing file are undefined, a
    // path spelled with `./` is the same file.
    assert.equal(await view.readFile('env'), undefined);
    assert.equal(await view.readFile('env/missing.yaml'), undefined);
    assert.equal(await view.readFile('./top.yaml'), 'top: 1\n');
    assert.equal(await view.readFile('env/link.yaml'), 'top.yaml');
  } finally {
    repo.dispose();
  }
});
