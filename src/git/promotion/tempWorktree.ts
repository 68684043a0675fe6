// A temporary `git worktree` for building a promotion commit away from the user's checkout: the
// user's working tree, index, HEAD, stash and branches are never touched (HEAD in the worktree is
// detached, so no local branch is created either). Local hooks are switched off inside it: they
// expect the user's checkout and its installed tools; the remote's hooks and branch protection
// still apply to the push. Removed (and pruned) by `remove()`, which never throws.
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
  try {
    await runGit(repo.root, ['worktree', 'add', '--detach', '--quiet', dir, commit], { env, signal: options.signal, timeoutMs: 300_000 });
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    dir,
    scratch,
    env,
    networkEnv,
    run: (args, runOptions = {}) => runGit(dir, args, { ...runOptions, env: { ...env, ...(runOptions.env ?? {}) } }),
    remove,
  };
}
