// The long-lived `git cat-file --batch` reader: exact bytes, order under concurrent load,
// large blobs, missing objects, and recovery when the process dies.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CatFileBatch } from '../../src/git/catFileBatch';
import { GitError } from '../../src/git/gitError';
import { commitAll, git, initRepo, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

after(removeTempDirs);

describe('CatFileBatch', () => {
  let root: string;
  const files = new Map<string, Buffer>();
  const big = randomBytes(12 * 1024 * 1024);

  before(() => {
    root = initRepo();
    const content: Record<string, Buffer> = {};
    for (let i = 0; i < 200; i++) {
      // Random bytes include LF and NUL, which would break a line-based or text-based parser.
      const bytes = Buffer.concat([Buffer.from(`file ${i}\n`), randomBytes(i * 37)]);
      files.set(`data/f${i}.bin`, bytes);
      content[`data/f${i}.bin`] = bytes;
    }
    content['big.bin'] = big;
    content['empty.txt'] = Buffer.alloc(0);
    writeFiles(root, content);
    commitAll(root, 'data');
  });

  test('1,000 concurrent reads come back complete and in the right place', async () => {
    const batch = new CatFileBatch(root);
    try {
      const paths = [...files.keys()];
      const specs = Array.from({ length: 1000 }, (_, i) => paths[(i * 7) % paths.length]);
      const results = await Promise.all(specs.map((path) => batch.read(`HEAD:${path}`)));
      results.forEach((content, i) => assert.deepEqual(content, files.get(specs[i]), specs[i]));
    } finally {
      batch.dispose();
    }
  });

  test('a large blob between small ones is read exactly', async () => {
    const batch = new CatFileBatch(root);
    try {
      const [a, b, c, empty] = await Promise.all([
        batch.read('HEAD:data/f1.bin'),
        batch.read('HEAD:big.bin'),
        batch.read('HEAD:data/f2.bin'),
        batch.read('HEAD:empty.txt'),
      ]);
      assert.deepEqual(a, files.get('data/f1.bin'));
      assert.equal(b?.length, big.length);
      assert.ok(b?.equals(big));
      assert.deepEqual(c, files.get('data/f2.bin'));
      assert.deepEqual(empty, Buffer.alloc(0));
    } finally {
      batch.dispose();
    }
  });

  test('missing objects are undefined and do not desynchronise later answers', async () => {
    const batch = new CatFileBatch(root);
    try {
      const results = await Promise.all([
        batch.read('HEAD:nope.txt'),
        batch.read('HEAD:data/f3.bin'),
        batch.read('0000000000000000000000000000000000000000'),
        batch.read('no-such-ref:data/f3.bin'),
        batch.read('HEAD:data/f4.bin'),
      ]);
      assert.deepEqual(results, [undefined, files.get('data/f3.bin'), undefined, undefined, files.get('data/f4.bin')]);
      const tree = await batch.readObject('HEAD:data');
      assert.equal(tree?.type, 'tree');
    } finally {
      batch.dispose();
    }
  });

  test('the process is restarted when it dies, and reads in flight are re-sent', async () => {
    const batch = new CatFileBatch(root);
    try {
      assert.deepEqual(await batch.read('HEAD:data/f5.bin'), files.get('data/f5.bin'));
      const first = batch.processId;
      assert.ok(first);
      const reads = Array.from({ length: 300 }, (_, i) => batch.read(`HEAD:data/f${i % 200}.bin`));
      process.kill(first, 'SIGKILL');
      const results = await Promise.all(reads);
      results.forEach((content, i) => assert.deepEqual(content, files.get(`data/f${i % 200}.bin`)));
      assert.deepEqual(await batch.read('HEAD:data/f6.bin'), files.get('data/f6.bin'));
      assert.notEqual(batch.processId, first);
    } finally {
      batch.dispose();
    }
  });

  test('stops when idle and starts again on the next read', async () => {
    const batch = new CatFileBatch(root, { idleTimeoutMs: 50 });
    try {
      await batch.read('HEAD:data/f7.bin');
      assert.ok(batch.processId);
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(batch.processId, undefined);
      assert.deepEqual(await batch.read('HEAD:data/f8.bin'), files.get('data/f8.bin'));
    } finally {
      batch.dispose();
    }
  });

  test('after dispose, reads reject and pending reads are rejected', async () => {
    const batch = new CatFileBatch(root);
    const pending = batch.read('HEAD:big.bin');
    batch.dispose();
    await assert.rejects(pending, GitError);
    await assert.rejects(batch.read('HEAD:data/f1.bin'), GitError);
  });

  test('outside a repository reads fail with notARepository instead of hanging', async () => {
    const batch = new CatFileBatch(tempDir());
    try {
      await assert.rejects(batch.read('HEAD:x'), (error: unknown) => error instanceof GitError && error.code === 'notARepository');
    } finally {
      batch.dispose();
    }
  });

  test('a path holding a line break is read through the slow path', async () => {
    const repo = initRepo();
    writeFiles(repo, { 'odd\nname.yaml': 'odd: true\n' });
    commitAll(repo, 'odd');
    assert.equal(git(repo, 'ls-files', '-z').split('\0')[0], 'odd\nname.yaml');
    const batch = new CatFileBatch(repo);
    try {
      assert.equal((await batch.read('HEAD:odd\nname.yaml'))?.toString('utf8'), 'odd: true\n');
      assert.equal(await batch.read('HEAD:odd\nmissing.yaml'), undefined);
    } finally {
      batch.dispose();
    }
  });
});
