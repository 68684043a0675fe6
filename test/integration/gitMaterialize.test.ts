// materializeRef: the tree at a ref written to a folder of its own, reused while the tree is unchanged.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { GitError } from '../../src/git/gitError';
import { GitRepository } from '../../src/git/gitRepository';
import { materializeRef } from '../../src/git/materialize';
import { commitAll, fingerprint, initRepo, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

after(removeTempDirs);

test('writes the files, modes and inner symlinks of the ref; not the working tree', async () => {
  const root = initRepo();
  writeFiles(root, {
    'apps/base/kustomization.yaml': 'resources: [web.yaml]\n',
    'apps/base/web.yaml': 'kind: Deployment\n',
    'with space/ünï.yaml': 'u: 1\n',
    'tools/run.sh': '#!/bin/sh\necho hi\n',
    // Export rules apply to `git archive`; a render must still see these files as committed.
    '.gitattributes': 'apps/base/web.yaml export-ignore\nsubst.yaml export-subst\n',
    'subst.yaml': 'v: $Format:%H$\n',
  });
  chmodSync(join(root, 'tools/run.sh'), 0o755);
  symlinkSync('base/web.yaml', join(root, 'apps', 'link.yaml'));
  symlinkSync('/etc/passwd', join(root, 'apps', 'escape.yaml'));
  commitAll(root, 'tree');
  writeFiles(root, { 'apps/base/web.yaml': 'kind: Dirty\n', 'untracked.yaml': 'x: 1\n' });
  const before = fingerprint(root);
  const repo = await GitRepository.open(root);
  try {
    const cache = tempDir();
    const dir = await materializeRef(repo, 'main', cache);
    assert.equal(dir, join(cache, (await repo.treeHash('main')) as string));
    assert.equal(readFileSync(join(dir, 'apps/base/web.yaml'), 'utf8'), 'kind: Deployment\n');
    assert.equal(readFileSync(join(dir, 'with space/ünï.yaml'), 'utf8'), 'u: 1\n');
    assert.equal(readFileSync(join(dir, 'subst.yaml'), 'utf8'), 'v: $Format:%H$\n');
    assert.equal(existsSync(join(dir, 'untracked.yaml')), false);
    assert.ok(statSync(join(dir, 'tools/run.sh')).mode & 0o100, 'executable bit kept');
    assert.equal(statSync(join(dir, 'apps/base/web.yaml')).mode & 0o111, 0);
    assert.equal(readlinkSync(join(dir, 'apps/link.yaml')), 'base/web.yaml');
    assert.equal(existsSync(join(dir, 'apps/escape.yaml')), false, 'a symlink leaving the tree is not written');
    assert.deepEqual(readdirSync(cache), [readdirSync(cache)[0]], 'no scratch folders left behind');
  } finally {
    repo.dispose();
  }
  assert.deepEqual(fingerprint(root), before);
});

test('an unchanged tree reuses its folder; a new commit gets a new one; concurrent calls share', async () => {
  const root = initRepo();
  writeFiles(root, { 'a.yaml': 'a: 1\n' });
  commitAll(root, 'one');
  const repo = await GitRepository.open(root);
  try {
    const cache = tempDir();
    const [first, again] = await Promise.all([materializeRef(repo, 'main', cache), materializeRef(repo, 'HEAD', cache)]);
    assert.equal(first, again);
    const inode = lstatSync(join(first, 'a.yaml')).ino;
    // An empty commit keeps the tree: same folder, untouched files.
    commitAll(root, 'empty');
    const reused = await materializeRef(repo, 'main', cache);
    assert.equal(reused, first);
    assert.equal(lstatSync(join(reused, 'a.yaml')).ino, inode);
    writeFiles(root, { 'a.yaml': 'a: 2\n' });
    commitAll(root, 'two');
    const next = await materializeRef(repo, 'main', cache);
    assert.notEqual(next, first);
    assert.equal(readFileSync(join(next, 'a.yaml'), 'utf8'), 'a: 2\n');
    assert.equal(readFileSync(join(first, 'a.yaml'), 'utf8'), 'a: 1\n');
  } finally {
    repo.dispose();
  }
});

test('a missing ref throws unknownRef', async () => {
  const root = initRepo();
  writeFiles(root, { 'a.yaml': 'a: 1\n' });
  commitAll(root, 'one');
  const repo = await GitRepository.open(root);
  try {
    await assert.rejects(materializeRef(repo, 'nope', tempDir()), (error: unknown) => error instanceof GitError && error.code === 'unknownRef');
  } finally {
    repo.dispose();
  }
});
