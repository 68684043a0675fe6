// RemoteRepoCache: one bare clone per URL, refreshed by fetch, shared by concurrent callers,
// failures not remembered, and credentials kept out of argv, logs and messages.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { GitError } from '../../src/git/gitError';
import { RemoteRepoCache } from '../../src/git/remoteRepoCache';
import { commitAll, git, initRepo, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

after(removeTempDirs);

/** A bare "remote" with branches main and env/prod, plus a working clone to push from. */
function remoteWithClone(): { bare: string; work: string } {
  const bare = tempDir();
  git(bare, 'init', '--quiet', '--bare', '--initial-branch=main');
  const work = initRepo();
  writeFiles(work, { 'apps/prod/web.yaml': 'replicas: 1\n' });
  commitAll(work, 'one');
  git(work, 'branch', 'env/prod');
  git(work, 'remote', 'add', 'origin', bare);
  git(work, 'push', '--quiet', 'origin', 'main', 'env/prod');
  return { bare, work };
}

/** Puts a `git` on PATH that logs its arguments before running the real one (`prelude` runs first). */
function loggingGit(prelude = ''): { log: string; restore: () => void } {
  const bin = tempDir();
  const log = join(bin, 'argv.log');
  const realGit = (process.env.PATH ?? '').split(':').map((dir) => join(dir, 'git')).find((path) => existsSync(path));
  assert.ok(realGit, 'git on PATH');
  const script = join(bin, 'git');
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\n${prelude}\nexec '${realGit}' "$@"\n`);
  chmodSync(script, 0o755);
  const saved = process.env.PATH;
  process.env.PATH = `${bin}:${saved}`;
  return { log, restore: () => (process.env.PATH = saved) };
}

test('clones once per URL, reads branches and files, and refresh fetches new and deleted branches', async () => {
  const { bare, work } = remoteWithClone();
  const cache = new RemoteRepoCache(tempDir());
  try {
    const url = `file://${bare}`;
    const repo = await cache.get(url);
    assert.equal(repo.bare, true);
    assert.equal(repo.root, cache.directoryFor(url));
    assert.deepEqual((await repo.branches()).map((b) => b.name).sort(), ['env/prod', 'main']);
    assert.equal(await repo.readFile('env/prod', 'apps/prod/web.yaml'), 'replicas: 1\n');
    assert.equal(await cache.get(url), repo, 'the second get reuses the clone');

    writeFiles(work, { 'apps/prod/web.yaml': 'replicas: 3\n' });
    const next = commitAll(work, 'two');
    git(work, 'push', '--quiet', 'origin', 'HEAD:env/prod');
    git(work, 'push', '--quiet', 'origin', 'main:env/temp');
    await cache.refresh(url);
    assert.equal(await repo.resolve('env/prod'), next);
    assert.equal(await repo.readFile('env/prod', 'apps/prod/web.yaml'), 'replicas: 3\n');
    git(work, 'push', '--quiet', 'origin', ':env/temp');
    await cache.refresh(url);
    assert.equal(await repo.resolve('env/temp'), null, 'fetch --prune removed the deleted branch');
  } finally {
    cache.dispose();
  }
});

test('a plain path URL clones too (partial clone ignored locally)', async () => {
  const { bare } = remoteWithClone();
  const cache = new RemoteRepoCache(tempDir());
  try {
    const repo = await cache.get(bare);
    assert.equal(await repo.readFile('main', 'apps/prod/web.yaml'), 'replicas: 1\n');
  } finally {
    cache.dispose();
  }
});

test('concurrent get and refresh calls share one clone and one fetch', async () => {
  const { bare } = remoteWithClone();
  const cache = new RemoteRepoCache(tempDir());
  const spy = loggingGit();
  try {
    const url = `file://${bare}`;
    const first = cache.get(url);
    const second = cache.get(url);
    assert.equal(first, second);
    await first;
    const clones = readFileSync(spy.log, 'utf8').split('\n').filter((line) => line.startsWith('clone'));
    assert.equal(clones.length, 1);
    await Promise.all([cache.refresh(url), cache.refresh(url), cache.refresh(url)]);
    const fetches = readFileSync(spy.log, 'utf8').split('\n').filter((line) => line.startsWith('fetch'));
    assert.equal(fetches.length, 1);
  } finally {
    spy.restore();
    cache.dispose();
  }
});

test('a git without partial clone support falls back to a plain bare clone', async () => {
  const { bare } = remoteWithClone();
  const cache = new RemoteRepoCache(tempDir());
  // What git older than 2.19 says about --filter.
  const spy = loggingGit(`case "$*" in *--filter*) echo "error: unknown option \\\`filter=blob:none'" >&2; exit 129;; esac`);
  try {
    const repo = await cache.get(`file://${bare}`);
    assert.equal(await repo.readFile('main', 'apps/prod/web.yaml'), 'replicas: 1\n');
    const clones = readFileSync(spy.log, 'utf8').split('\n').filter((line) => line.startsWith('clone'));
    assert.deepEqual(clones.map((line) => line.includes('--filter')), [true, false]);
  } finally {
    spy.restore();
    cache.dispose();
  }
});

test('a failed clone is not remembered: the next get tries again', async () => {
  const parent = tempDir();
  const missing = join(parent, 'later.git');
  const cache = new RemoteRepoCache(tempDir());
  try {
    await assert.rejects(cache.get(missing), GitError);
    git(parent, 'init', '--quiet', '--bare', 'later.git');
    const repo = await cache.get(missing);
    assert.equal(repo.bare, true);
  } finally {
    cache.dispose();
  }
});

test('unsafe URLs are refused before any process starts', async () => {
  const cache = new RemoteRepoCache(tempDir());
  for (const url of ['ext::sh -c touch% /tmp/pwned', '--upload-pack=touch /tmp/pwned', 'fd::17']) {
    await assert.rejects(cache.get(url), GitError, url);
    await assert.rejects(cache.refresh(url), GitError, url);
  }
});

test('credentials in a URL reach the server but never argv or error messages', async () => {
  const authorizations: string[] = [];
  const server = createServer((request, response) => {
    const auth = request.headers.authorization;
    if (!auth) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test"' }).end();
      return;
    }
    authorizations.push(Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString('utf8'));
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const spy = loggingGit();
  const cache = new RemoteRepoCache(tempDir(), { timeoutMs: 20_000 });
  try {
    const error = await cache.get(`http://deployer:s3cret-token@127.0.0.1:${port}/org/repo.git`).then(
      () => assert.fail('clone should fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof GitError);
    assert.doesNotMatch(`${error.message} ${error.details.stderr ?? ''}`, /s3cret/);
    assert.match(error.message, /127\.0\.0\.1/);
    assert.ok(authorizations.includes('deployer:s3cret-token'), `server saw ${JSON.stringify(authorizations)}`);
    const argv = readFileSync(spy.log, 'utf8');
    assert.match(argv, /clone/);
    assert.doesNotMatch(argv, /s3cret/);
  } finally {
    spy.restore();
    cache.dispose();
    server.close();
  }
});

test('clone and fetch work when the user environment names an editor and a pager', async () => {
  const saved = { EDITOR: process.env.EDITOR, VISUAL: process.env.VISUAL, PAGER: process.env.PAGER, GIT_PAGER: process.env.GIT_PAGER };
  Object.assign(process.env, { EDITOR: 'vim', VISUAL: 'vim', PAGER: 'less', GIT_PAGER: 'less' });
  try {
    const origin = initRepo();
    writeFiles(origin, { 'envs/dev/a.yaml': 'a: 1\n' });
    commitAll(origin, 'one');
    const cache = new RemoteRepoCache(tempDir('gitops-cache-'));
    const repo = await cache.get(`file://${origin}`);
    assert.deepEqual(await repo.listFiles('main'), ['envs/dev/a.yaml']);
    await cache.refresh(`file://${origin}`);
    cache.dispose();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
});
