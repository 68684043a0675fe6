// Temporary git repositories for integration tests: real `git`, deterministic identities and
// dates, and a fingerprint of everything a read-only operation must leave alone.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const created: string[] = [];

/** A fresh temporary folder, removed by removeTempDirs(). */
export function tempDir(prefix = 'gitops-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

let clock = 1_700_000_000;

/** Environment for test git commands: fixed identity, increasing dates, no user or system config. */
export function testGitEnv(): NodeJS.ProcessEnv {
  clock += 60;
  const date = `${clock} +0000`;
  return {
    ...process.env,
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.com',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
}

/** Runs git with an argument array and returns stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: testGitEnv(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

export function initRepo(dir = tempDir()): string {
  git(dir, 'init', '--quiet', '--initial-branch=main');
  return dir;
}

/** Writes files (text or bytes) at repository-relative paths, creating folders. */
export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, ...path.split('/'));
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** Stages everything and commits; returns the new commit id. */
export function commitAll(root: string, message: string): string {
  git(root, 'add', '--all');
  git(root, 'commit', '--quiet', '--allow-empty', '-m', message);
  return git(root, 'rev-parse', 'HEAD').trim();
}

/** Copies a fixture folder into a new repository and commits it. */
export function repoFromFixture(fixtureDir: string, message = 'fixture'): string {
  const root = initRepo();
  cpSync(fixtureDir, root, { recursive: true });
  commitAll(root, message);
  return root;
}

export interface WorkingTreeFingerprint {
  status: string;
  index: string;
  head: string;
  headCommit: string;
}

/** What a read-only operation must not change: status, the index file's bytes, HEAD. */
export function fingerprint(root: string): WorkingTreeFingerprint {
  const gitDir = git(root, 'rev-parse', '--absolute-git-dir').trim();
  // --no-optional-locks: the check itself must not refresh the index it is guarding.
  const status = git(root, '--no-optional-locks', 'status', '--porcelain=v1', '-z', '--untracked-files=all');
  let index: string;
  try {
    index = createHash('sha256').update(readFileSync(join(gitDir, 'index'))).digest('hex');
  } catch {
    index = 'none';
  }
  return { status, index, head: readFileSync(join(gitDir, 'HEAD'), 'utf8'), headCommit: git(root, 'rev-parse', 'HEAD').trim() };
}
