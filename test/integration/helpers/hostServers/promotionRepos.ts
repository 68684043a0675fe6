// Repositories for promotion tests: a bare "remote" and a clone whose origin looks like a hosted
// repository (`https://git.example.test/acme/gitops.git`, rewritten by `insteadOf` to the bare
// folder), so owner and repository come from the URL while pushes land on disk. Plus a fingerprint
// of everything of the user's a promotion must leave alone.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitAll, fingerprint, git, initRepo, tempDir, writeFiles, type WorkingTreeFingerprint } from '../tempGitRepo';

export const REMOTE_URL = 'https://git.example.test/acme/gitops.git';

export interface PromotionRepo {
  bare: string;
  work: string;
}

/** A bare remote and a clone with `files` committed on main and pushed; origin's URL looks hosted. */
export function hostedRepo(files: Record<string, string>, remoteUrl = REMOTE_URL): PromotionRepo {
  const bare = tempDir('gitops-remote-');
  git(bare, 'init', '--bare', '--quiet', '--initial-branch=main');
  const work = initRepo();
  git(work, 'config', 'user.name', 'Promo Tester');
  git(work, 'config', 'user.email', 'promo@example.com');
  writeFiles(work, files);
  commitAll(work, 'initial environments');
  git(work, 'remote', 'add', 'origin', remoteUrl);
  git(work, 'config', `url.${bare}.insteadOf`, remoteUrl);
  git(work, 'push', '--quiet', '-u', 'origin', 'main');
  return { bare, work };
}

/** Creates branches at the current commit and pushes them (branch-per-environment repositories). */
export function pushBranches(repo: PromotionRepo, branches: string[]): void {
  for (const branch of branches) {
    git(repo.work, 'branch', '--quiet', branch);
    git(repo.work, 'push', '--quiet', '-u', 'origin', branch);
  }
}

/** Commits files on a branch (checked out temporarily) and pushes it; returns the commit. */
export function commitOn(repo: PromotionRepo, branch: string, files: Record<string, string>, message: string, options: { push?: boolean } = {}): string {
  const current = git(repo.work, 'symbolic-ref', '--short', 'HEAD').trim();
  git(repo.work, 'checkout', '--quiet', branch);
  writeFiles(repo.work, files);
  const sha = commitAll(repo.work, message);
  if (options.push !== false) git(repo.work, 'push', '--quiet', 'origin', branch);
  git(repo.work, 'checkout', '--quiet', current);
  return sha;
}

/** Remote branches as `name → sha`. */
export function remoteBranches(repo: PromotionRepo): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of git(repo.bare, 'for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/heads').split('\n')) {
    const [name, sha] = line.split(' ');
    if (name) out.set(name, sha);
  }
  return out;
}

/** The file's content at a ref of the bare remote, or undefined. */
export function remoteFile(repo: PromotionRepo, ref: string, path: string): string | undefined {
  try {
    return git(repo.bare, 'show', `${ref}:${path}`);
  } catch {
    return undefined;
  }
}

export interface UserStateFingerprint extends WorkingTreeFingerprint {
  stash: string;
  localBranches: string;
  worktrees: string;
  config: string;
  fetchHead: string;
  /** Bytes of every file in the working tree that git status reports (uncommitted work). */
  dirtyFiles: string;
}

/** Everything of the user's that a promotion must not change, byte for byte. */
export function userState(work: string): UserStateFingerprint {
  const gitDir = git(work, 'rev-parse', '--absolute-git-dir').trim();
  const base = fingerprint(work);
  const dirty = base.status
    .split('\0')
    .filter(Boolean)
    .map((entry) => entry.slice(3))
    .filter((path) => existsSync(join(work, path)))
    .map((path) => `${path}=${readFileSync(join(work, path), 'utf8')}`)
    .join('\n');
  return {
    ...base,
    stash: git(work, 'stash', 'list', '--format=%H %s'),
    localBranches: git(work, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'),
    worktrees: git(work, 'worktree', 'list', '--porcelain'),
    config: readFileSync(join(gitDir, 'config'), 'utf8'),
    fetchHead: existsSync(join(gitDir, 'FETCH_HEAD')) ? readFileSync(join(gitDir, 'FETCH_HEAD'), 'utf8') : 'none',
    dirtyFiles: dirty,
  };
}

/** Leaves the clone in a busy state: another branch checked out, a staged edit, an unstaged edit, an untracked file, a stash entry. */
export function makeUserBusy(work: string, file: string): void {
  writeFileSync(join(work, file), 'stashed edit\n');
  git(work, 'stash', 'push', '--quiet', '-m', 'my stash');
  git(work, 'checkout', '--quiet', '-b', 'my-feature');
  writeFileSync(join(work, file), 'staged edit\n');
  git(work, 'add', file);
  writeFileSync(join(work, file), 'unstaged edit on top\n');
  writeFileSync(join(work, 'notes.txt'), 'untracked\n');
}

/** A pre-receive hook in the bare remote that refuses pushes to matching branches, like branch protection. */
export function rejectPushes(repo: PromotionRepo, message: string): void {
  const hooks = join(repo.bare, 'hooks');
  mkdirSync(hooks, { recursive: true });
  const hook = join(hooks, 'pre-receive');
  writeFileSync(hook, `#!/bin/sh\necho "${message}" >&2\nexit 1\n`);
  chmodSync(hook, 0o755);
}

/** Entries left in a directory (to prove temporary worktrees are gone). */
export function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
