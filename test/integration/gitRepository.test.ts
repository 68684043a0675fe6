// GitRepository against real git repositories in temp folders: refs, commits, trees, contents,
// remotes, error codes — and that no read changes the user's working tree, index or HEAD.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { GitError } from '../../src/git/gitError';
import { GitRepository } from '../../src/git/gitRepository';
import { commitAll, git, initRepo, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

/** How many git processes `work` starts: a shim first on PATH logs each run, then runs the real git. */
async function countingGitRuns(work: () => Promise<unknown>): Promise<number> {
  const realGit = process.env.PATH?.split(delimiter).map((dir) => join(dir, 'git')).find((file) => existsSync(file));
  assert.ok(realGit, 'git on PATH');
  const shimDir = tempDir('gitops-git-count-');
  const log = join(shimDir, 'runs.log');
  writeFileSync(log, '');
  writeFileSync(join(shimDir, 'git'), `#!/bin/sh\necho run >> '${log}'\nexec '${realGit}' "$@"\n`);
  chmodSync(join(shimDir, 'git'), 0o755);
  const savedPath = process.env.PATH;
  process.env.PATH = `${shimDir}${delimiter}${savedPath ?? ''}`;
  try {
    await work();
  } finally {
    process.env.PATH = savedPath;
  }
  return readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
}

const binary = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0, 0x80, 0x81]);

after(removeTempDirs);

describe('GitRepository.open', () => {
  test('resolves the top level from a subfolder', async () => {
    const root = initRepo();
    writeFiles(root, { 'a/b/c.yaml': 'x: 1\n' });
    commitAll(root, 'init');
    const repo = await GitRepository.open(join(root, 'a', 'b'));
    assert.equal(repo.root, realpathSync(root));
    assert.equal(repo.bare, false);
  });

  test('outside a repository throws GitError notARepository', async () => {
    const dir = tempDir();
    await assert.rejects(GitRepository.open(dir), (error: unknown) => error instanceof GitError && error.code === 'notARepository');
  });

  test('a folder that does not exist is notARepository, not gitMissing', async () => {
    await assert.rejects(GitRepository.open(join(tempDir(), 'nope')), (error: unknown) => error instanceof GitError && error.code === 'notARepository');
  });

  test('a working tree is opened with one git process; from inside .git it is refused as before', async () => {
    const root = initRepo();
    writeFiles(root, { 'a.yaml': 'x: 1\n' });
    commitAll(root, 'init');
    const runs = await countingGitRuns(async () => {
      const repo = await GitRepository.open(root);
      assert.equal(repo.root, realpathSync(root));
      assert.equal(repo.gitDir, realpathSync(join(root, '.git')));
      assert.equal(repo.bare, false);
    });
    assert.equal(runs, 1);
    await assert.rejects(GitRepository.open(join(root, '.git')), (error: unknown) => error instanceof GitError);
  });

  test('opens a bare repository with its git dir as root', async () => {
    const bare = tempDir();
    git(bare, 'init', '--quiet', '--bare');
    const repo = await GitRepository.open(bare);
    assert.equal(repo.bare, true);
    assert.equal(repo.root, realpathSync(bare));
  });

  test('a repository without commits answers with nulls and empty lists', async () => {
    const repo = await GitRepository.open(initRepo());
    try {
      assert.equal(await repo.currentBranch(), 'main');
      assert.equal(await repo.headCommit('HEAD'), null);
      assert.equal(await repo.resolve('HEAD'), null);
      assert.deepEqual(await repo.branches(), []);
      assert.equal(await repo.treeHash('HEAD'), null);
    } finally {
      repo.dispose();
    }
  });

  test('git missing from PATH is gitMissing', async () => {
    const root = initRepo();
    const saved = process.env.PATH;
    process.env.PATH = tempDir();
    try {
      await assert.rejects(GitRepository.open(root), (error: unknown) => error instanceof GitError && error.code === 'gitMissing');
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('refs and commits', () => {
  let root: string;
  let repo: GitRepository;
  let base: string;
  let tricky: string;

  before(async () => {
    root = initRepo();
    writeFiles(root, { 'apps/dev/web.yaml': 'kind: Deployment\n', 'docs/readme.md': 'hi\n' });
    base = commitAll(root, 'base');
    git(root, 'branch', 'env/prod');
    git(root, 'checkout', '--quiet', '-b', 'env/staging');
    writeFiles(root, { 'apps/dev/web.yaml': 'kind: Deployment\nspec: {}\n' });
    commitAll(root, 'staging: apps change');
    writeFiles(root, { 'docs/readme.md': 'docs\n' });
    commitAll(root, 'staging: docs only');
    writeFiles(root, { 'apps/dev/svc.yaml': 'kind: Service\n' });
    tricky = commitAll(root, 'feat | pipes\tand tabs: ünïcødé ✓ %s %x00');
    git(root, 'checkout', '--quiet', 'env/prod');
    writeFiles(root, { 'apps/prod-only.yaml': 'kind: ConfigMap\n' });
    commitAll(root, 'prod hotfix');
    git(root, 'checkout', '--quiet', 'main');
    repo = await GitRepository.open(root);
  });

  after(() => repo.dispose());

  test('currentBranch names the checked-out branch and is null when detached', async () => {
    assert.equal(await repo.currentBranch(), 'main');
    git(root, 'checkout', '--quiet', '--detach', 'HEAD');
    try {
      assert.equal(await repo.currentBranch(), null);
    } finally {
      git(root, 'checkout', '--quiet', 'main');
    }
  });

  test('resolve returns the commit id or null', async () => {
    assert.equal(await repo.resolve('env/staging'), tricky);
    assert.equal(await repo.resolve('main'), base);
    assert.equal(await repo.resolve('no/such/branch'), null);
  });

  test('a ref that looks like an option is refused, never passed to git', async () => {
    await assert.rejects(repo.resolve('--output=/tmp/x'), (error: unknown) => error instanceof GitError && error.code === 'unknownRef');
  });

  test('headCommit parses subjects with pipes, tabs, unicode and format escapes', async () => {
    const head = await repo.headCommit('env/staging');
    assert.ok(head);
    assert.equal(head.sha, tricky);
    assert.equal(head.shortSha, tricky.slice(0, head.shortSha.length));
    assert.equal(head.subject, 'feat | pipes\tand tabs: ünïcødé ✓ %s %x00');
    assert.equal(head.authorName, 'Test Author');
    assert.equal(head.authorEmail, 'author@example.com');
    assert.match(head.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    assert.equal(await repo.headCommit('missing-branch'), null);
  });

  test('headCommit with a path gives the last commit that changed it', async () => {
    const head = await repo.headCommit('env/staging', 'docs');
    assert.equal(head?.subject, 'staging: docs only');
  });

  test('branches lists local and remote-tracking branches, without remote HEAD', async () => {
    const remote = tempDir();
    git(remote, 'init', '--quiet', '--bare');
    git(root, 'remote', 'add', 'origin', remote);
    git(root, 'push', '--quiet', 'origin', 'main', 'env/staging');
    git(root, 'remote', 'add', 'team/mirror', remote);
    git(root, 'fetch', '--quiet', 'origin');
    git(root, 'fetch', '--quiet', 'team/mirror');
    git(root, 'remote', 'set-head', 'origin', 'main');
    try {
      const branches = await repo.branches();
      const names = branches.map((b) => `${b.remote ?? '-'} ${b.name} ${b.ref}`).sort();
      assert.deepEqual(names, [
        '- env/prod refs/heads/env/prod',
        '- env/staging refs/heads/env/staging',
        '- main refs/heads/main',
        'origin env/staging refs/remotes/origin/env/staging',
        'origin main refs/remotes/origin/main',
        'team/mirror env/staging refs/remotes/team/mirror/env/staging',
        'team/mirror main refs/remotes/team/mirror/main',
      ]);
      assert.equal(branches.find((b) => b.ref === 'refs/heads/env/staging')?.sha, tricky);
    } finally {
      git(root, 'remote', 'remove', 'origin');
      git(root, 'remote', 'remove', 'team/mirror');
    }
  });

  test('pendingCommits lists toRef..fromRef newest first, limited to paths, with an exact total', async () => {
    const all = await repo.pendingCommits('env/staging', 'env/prod');
    assert.deepEqual(
      all.commits.map((c) => c.subject),
      ['feat | pipes\tand tabs: ünïcødé ✓ %s %x00', 'staging: docs only', 'staging: apps change'],
    );
    assert.equal(all.total, 3);
    const apps = await repo.pendingCommits('env/staging', 'env/prod', { paths: ['apps'] });
    assert.deepEqual(
      apps.commits.map((c) => c.subject),
      ['feat | pipes\tand tabs: ünïcødé ✓ %s %x00', 'staging: apps change'],
    );
    const limited = await repo.pendingCommits('env/staging', 'env/prod', { limit: 1 });
    assert.equal(limited.commits.length, 1);
    assert.equal(limited.total, 3);
    const reverse = await repo.pendingCommits('env/prod', 'env/staging');
    assert.deepEqual(reverse.commits.map((c) => c.subject), ['prod hotfix']);
    const none = await repo.pendingCommits('env/prod', 'env/prod');
    assert.deepEqual(none, { commits: [], total: 0 });
    const history = await repo.pendingCommits('env/staging', null, { paths: ['docs'] });
    assert.deepEqual(history.commits.map((c) => c.subject), ['staging: docs only', 'base']);
  });

  test('pendingCommits treats paths literally (no glob magic)', async () => {
    const result = await repo.pendingCommits('env/staging', 'env/prod', { paths: ['app*'] });
    assert.equal(result.total, 0);
  });

  test('pendingCommits on a missing ref throws unknownRef', async () => {
    await assert.rejects(repo.pendingCommits('env/staging', 'nope'), (error: unknown) => error instanceof GitError && error.code === 'unknownRef');
  });

  test('aheadBehind counts both sides', async () => {
    assert.deepEqual(await repo.aheadBehind('env/staging', 'env/prod'), { ahead: 3, behind: 1 });
    assert.deepEqual(await repo.aheadBehind('env/prod', 'env/staging'), { ahead: 1, behind: 3 });
    assert.deepEqual(await repo.aheadBehind('main', 'main'), { ahead: 0, behind: 0 });
  });

  test('changedFiles lists a commit’s changes with renames', async () => {
    git(root, 'checkout', '--quiet', '-b', 'renames', 'env/staging');
    git(root, 'mv', 'apps/dev/svc.yaml', 'apps/dev/service.yaml');
    writeFiles(root, { 'new file.yaml': 'a: 1\n' });
    const sha = commitAll(root, 'rename');
    git(root, 'checkout', '--quiet', 'main');
    const changes = await repo.changedFiles(sha);
    assert.deepEqual(
      changes.sort((a, b) => a.path.localeCompare(b.path)),
      [
        { status: 'R', path: 'apps/dev/service.yaml', oldPath: 'apps/dev/svc.yaml' },
        { status: 'A', path: 'new file.yaml' },
      ],
    );
  });
});

describe('trees and file contents at refs', () => {
  let root: string;
  let repo: GitRepository;
  const files: Record<string, string | Buffer> = {
    'plain.yaml': 'kind: ConfigMap\n',
    'with space/and more spaces.yaml': 'a: 1\n',
    'ünïcødé/ファイル.yaml': 'name: 日本\n',
    'bin/blob.bin': binary,
    'deep/a/b/c/d.json': '{"k": "v"}\n',
    'weird/pipe|tab\tname.yaml': 'x: y\n',
    'weird/line\nbreak.yaml': 'z: 1\n',
  };

  before(async () => {
    root = initRepo();
    writeFiles(root, files);
    commitAll(root, 'files');
    git(root, 'tag', 'v1');
    writeFiles(root, { 'plain.yaml': 'kind: Secret\n' });
    commitAll(root, 'second');
    repo = await GitRepository.open(root);
  });

  after(() => repo.dispose());

  test('listFiles returns every path verbatim', async () => {
    assert.deepEqual((await repo.listFiles('v1')).sort(), Object.keys(files).sort());
    assert.deepEqual(await repo.listFiles('v1', 'with space'), ['with space/and more spaces.yaml']);
    assert.deepEqual(await repo.listFiles('v1', 'deep/a/'), ['deep/a/b/c/d.json']);
    assert.deepEqual(await repo.listFiles('v1', 'nope'), []);
  });

  test('listFiles on a missing ref throws unknownRef', async () => {
    await assert.rejects(repo.listFiles('no-such-ref'), (error: unknown) => error instanceof GitError && error.code === 'unknownRef');
  });

  test('readFile returns text at the ref, not the working tree', async () => {
    assert.equal(await repo.readFile('v1', 'plain.yaml'), 'kind: ConfigMap\n');
    assert.equal(await repo.readFile('HEAD', 'plain.yaml'), 'kind: Secret\n');
    assert.equal(await repo.readFile('v1', 'ünïcødé/ファイル.yaml'), 'name: 日本\n');
    assert.equal(await repo.readFile('v1', 'missing.yaml'), undefined);
    assert.equal(await repo.readFile('v1', 'deep'), undefined, 'a folder is not a file');
    assert.equal(await repo.readFile('nope', 'plain.yaml'), undefined);
  });

  test('readFilesBytes returns exact bytes for binary, spaced, unicode and newline paths', async () => {
    const paths = [...Object.keys(files), 'not/there.yaml'];
    const contents = await repo.readFilesBytes('v1', paths);
    for (const [path, expected] of Object.entries(files)) {
      assert.deepEqual(contents.get(path), Buffer.isBuffer(expected) ? expected : Buffer.from(expected), path);
    }
    assert.equal(contents.get('not/there.yaml'), undefined);
    assert.equal(contents.size, paths.length);
    const text = await repo.readFiles('v1', ['plain.yaml']);
    assert.equal(text.get('plain.yaml'), 'kind: ConfigMap\n');
  });

  test('treeHash changes with content and is null for missing refs or paths', async () => {
    const v1 = await repo.treeHash('v1');
    const head = await repo.treeHash('HEAD');
    assert.match(v1 ?? '', /^[0-9a-f]{40}$/);
    assert.notEqual(v1, head);
    assert.equal(await repo.treeHash('v1', 'deep'), await repo.treeHash('HEAD', 'deep'));
    assert.equal(await repo.treeHash('v1', 'nope'), null);
    assert.equal(await repo.treeHash('nope'), null);
  });

  test('remotes strips credentials from URLs', async () => {
    git(root, 'remote', 'add', 'origin', 'https://user:s3cret@git.example.com/org/repo.git');
    git(root, 'remote', 'add', 'ssh', 'git@github.com:org/repo.git');
    git(root, 'remote', 'set-url', '--push', 'ssh', 'ssh://git@github.com/org/push.git');
    try {
      const remotes = await repo.remotes();
      assert.deepEqual(remotes.sort((a, b) => a.name.localeCompare(b.name)), [
        { name: 'origin', fetchUrl: 'https://git.example.com/org/repo.git', pushUrl: 'https://git.example.com/org/repo.git' },
        { name: 'ssh', fetchUrl: 'git@github.com:org/repo.git', pushUrl: 'ssh://git@github.com/org/push.git' },
      ]);
      assert.equal(await repo.remoteUrl(), 'https://git.example.com/org/repo.git');
      assert.equal(await repo.remoteUrl('nope'), null);
      // Kept while the config file is unchanged (no process), read again after any change to it.
      assert.equal(await countingGitRuns(() => repo.remotes()), 0);
      git(root, 'remote', 'set-url', 'origin', 'https://git.example.com/org/moved.git');
      assert.equal(await repo.remoteUrl(), 'https://git.example.com/org/moved.git');
      git(root, 'remote', 'add', 'third', 'https://git.example.com/org/third.git');
      assert.deepEqual((await repo.remotes()).map((r) => r.name).sort(), ['origin', 'ssh', 'third']);
      git(root, 'remote', 'remove', 'third');
      // A caller changing what it was given does not change what the next caller gets.
      (await repo.remotes())[0].fetchUrl = 'changed';
      assert.ok((await repo.remotes()).every((r) => r.fetchUrl !== 'changed'));
    } finally {
      git(root, 'remote', 'remove', 'origin');
      git(root, 'remote', 'remove', 'ssh');
    }
  });
});

describe('state read from files (no process per call)', () => {
  test('configuration values follow changes of the config file; subsection case is kept, names are not', async () => {
    const root = initRepo();
    writeFiles(root, { 'a.yaml': 'a: 1\n' });
    commitAll(root, 'init');
    const repo = await GitRepository.open(root);
    try {
      assert.equal(await repo.configValue('branch.Feature-X.remote'), null);
      git(root, 'config', 'branch.Feature-X.remote', 'upstream');
      git(root, 'remote', 'add', 'upstream', 'https://example.com/a/b.git');
      assert.equal(await repo.configValue('branch.Feature-X.remote'), 'upstream');
      assert.equal(await repo.configValue('BRANCH.Feature-X.REMOTE'), 'upstream');
      assert.equal(await repo.configValue('branch.feature-x.remote'), null);
      assert.deepEqual(await repo.remoteNamesConfigured(), ['upstream']);
      git(root, 'remote', 'remove', 'upstream');
      assert.deepEqual(await repo.remoteNamesConfigured(), []);
    } finally {
      repo.dispose();
    }
  });

  test('the current branch and detached HEAD, in a repository and in a linked worktree', async () => {
    const root = initRepo();
    writeFiles(root, { 'a.yaml': 'a: 1\n' });
    commitAll(root, 'init');
    const repo = await GitRepository.open(root);
    git(root, 'checkout', '--quiet', '-b', 'feature/x');
    assert.equal(await repo.currentBranch(), 'feature/x');
    git(root, 'checkout', '--quiet', '--detach');
    assert.equal(await repo.currentBranch(), null);
    const linked = join(tempDir(), 'wt');
    git(root, 'worktree', 'add', '--quiet', '-b', 'other', linked);
    const worktree = await GitRepository.open(linked);
    assert.equal(await worktree.currentBranch(), 'other');
    assert.equal(await worktree.isShallow(), false);
    assert.equal(await worktree.configValue('core.bare'), 'false');
    repo.dispose();
    worktree.dispose();
  });

  test('a shallow clone is shallow, also from a linked worktree', async () => {
    const origin = initRepo();
    for (let i = 0; i < 3; i++) {
      writeFiles(origin, { 'a.yaml': `a: ${i}\n` });
      commitAll(origin, `c${i}`);
    }
    const clone = join(tempDir(), 'clone');
    git(tempDir(), 'clone', '--quiet', '--depth', '1', `file://${origin}`, clone);
    const repo = await GitRepository.open(clone);
    assert.equal(await repo.isShallow(), true);
    const linked = join(tempDir(), 'wt');
    git(clone, 'worktree', 'add', '--quiet', '-b', 'side', linked);
    const worktree = await GitRepository.open(linked);
    assert.equal(await worktree.isShallow(), true);
    repo.dispose();
    worktree.dispose();
  });
});
