// A temporary `git worktree` for building a promotion commit away from the user's checkout: the
// user's working tree, index, HEAD, stash and branches are never touched (HEAD in the worktree is
// detached, so no local branch is created either). Local hooks are switched off inside it: they
// expect the user's checkout and its installed tools; the remote's hooks and branch protection
// still apply to the push. Removed (and pruned) by `remove()`, which never throws.
//
// Commands that talk to a remote run from the user's repository root instead (runRemote): git
// resolves a remote whose URL is a local relative path (`../shop.git`, `mirror/shop.git`) against
// the current directory of the git process — for the user, the top-level of their checkout, where
// git itself changes to before a push. From the temporary directory the same URL names another
// place. Running git there, pointed at the worktree, reproduces git's own rule for every URL form
// (pushurl, insteadOf) without rewriting URLs or touching the user's config.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit, type GitRunOptions, type GitRunResult } from '../gitProcess';
import type { GitRepository } from '../gitRepository';

export interface TempWorktree {
  /** The worktree's directory. */
  dir: string;
  /** A private scratch directory beside it (commit message files, the askpass helper). */
  scratch: string;
  /** Environment for every git process in the worktree (hooks off, literal pathspecs). */
  env: Record<string, string>;
  /** The worktree environment with more `-c` settings and variables (the askpass helper for a push). */
  networkEnv(config: ReadonlyArray<readonly [string, string]>, extra: Readonly<Record<string, string>>): Record<string, string>;
  run(args: readonly string[], options?: GitRunOptions): Promise<GitRunResult>;
  /** Runs a command on this worktree with the user's repository root as git's current directory (push, fetch). */
  runRemote(args: readonly string[], options?: GitRunOptions): Promise<GitRunResult>;
  remove(): Promise<void>;
}

/** Adds `-c key=value` settings through GIT_CONFIG_* variables, after any the user's environment already sets. */
export function gitConfigEnv(pairs: ReadonlyArray<readonly [string, string]>, base: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
  const existing = Number.parseInt(base.GIT_CONFIG_COUNT ?? '0', 10) || 0;
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(existing + pairs.length) };
  pairs.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${existing + i}`] = key;
    env[`GIT_CONFIG_VALUE_${existing + i}`] = value;
  });
  return env;
}

export async function createTempWorktree(repo: GitRepository, commit: string, options: { parentDir?: string; signal?: AbortSignal } = {}): Promise<TempWorktree> {
  const base = await mkdtemp(join(options.parentDir ?? tmpdir(), 'gitops-promote-'));
  const dir = join(base, 'worktree');
  const scratch = join(base, 'scratch');
  const hooks = join(scratch, 'no-hooks');
  await mkdir(hooks, { recursive: true });
  const config: Array<readonly [string, string]> = [
    ['core.hooksPath', hooks],
    // Our commits are machine-made; an editor must never open.
    ['core.editor', 'true'],
  ];
  const env: Record<string, string> = {
    ...gitConfigEnv(config),
    GIT_EDITOR: 'true',
    // Paths from trees are literal names, never globs, in every command we run.
    GIT_LITERAL_PATHSPECS: '1',
  };
  const networkEnv = (more: ReadonlyArray<readonly [string, string]>, extra: Readonly<Record<string, string>>): Record<string, string> => ({
    ...env,
    ...gitConfigEnv([...config, ...more]),
    ...extra,
  });
  let removed = false;
  const remove = async (): Promise<void> => {
    if (removed) return;
    removed = true;
    await runGit(repo.root, ['worktree', 'remove', '--force', dir], { env, okExitCodes: [0, 128] }).catch(() => undefined);
    await rm(base, { recursive: true, force: true }).catch(() => undefined);
    await runGit(repo.root, ['worktree', 'prune'], { env, okExitCodes: [0, 128] }).catch(() => undefined);
  };
  let gitDir: string;
  try {
    await runGit(repo.root, ['worktree', 'add', '--detach', '--quiet', dir, commit], { env, signal: options.signal, timeoutMs: 300_000 });
    // git's answer, not a parse of `<dir>/.git`: newer git may write that pointer as a relative path.
    gitDir = (await runGit(dir, ['rev-parse', '--absolute-git-dir'], { env, signal: options.signal })).stdout.toString('utf8').trim();
  } catch (error) {
    await remove();
    throw error;
  }
  // With GIT_DIR and GIT_WORK_TREE given and a current directory outside the work tree, git stays
  // in that directory (it changes into the work tree only from inside it); the worktree is a fresh
  // temporary directory, so the repository root is never inside it.
  const location = { GIT_DIR: gitDir, GIT_WORK_TREE: dir };
  return {
    dir,
    scratch,
    env,
    networkEnv,
    run: (args, runOptions = {}) => runGit(dir, args, { ...runOptions, env: { ...env, ...(runOptions.env ?? {}) } }),
    runRemote: (args, runOptions = {}) => runGit(repo.root, args, { ...runOptions, env: { ...env, ...(runOptions.env ?? {}), ...location } }),
    remove,
  };
}
