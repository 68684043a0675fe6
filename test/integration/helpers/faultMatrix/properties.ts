// The five properties every cell checks, as small reusable assertions: answers within a bound,
// a message naming the cause and the next step, waiting (bounded) for recovery, and a snapshot of
// everything of the user's in a repository (files, status, branches, HEAD, index, stash, locks).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Commands and status queries answer within this (issue 6: "within 1 s"). */
export const RESPONSIVE_MS = 1000;

export interface Settled<T> {
  value?: T;
  error?: unknown;
  ms: number;
}

/** Runs `call` and fails unless it settles (resolves or rejects) within `ms`. */
export async function answersWithin<T>(what: string, call: () => Promise<T> | T, ms = RESPONSIVE_MS): Promise<Settled<T>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    const outcome = await Promise.race([
      Promise.resolve()
        .then(call)
        .then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        ),
      deadline,
    ]);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < ms, `${what} took ${Math.round(elapsed)} ms`);
    return { ...outcome, ms: elapsed };
  } finally {
    clearTimeout(timer);
  }
}

/** Polls until `read` returns something truthy; fails after `timeoutMs` with `what` and the last detail. */
export async function until<T>(what: string, read: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 5000, detail?: () => string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? `; ${detail()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** (b): the text the user sees names what happened and what to do. */
export function assertTells(text: string, cause: RegExp, action: RegExp, where: string): void {
  assert.match(text, cause, `${where} does not say what happened: ${JSON.stringify(text)}`);
  assert.match(text, action, `${where} does not say what to do: ${JSON.stringify(text)}`);
}

export function errorText(error: unknown): string {
  if (error && typeof error === 'object' && 'describe' in error && typeof (error as { describe: unknown }).describe === 'function') {
    return (error as { describe(): string }).describe();
  }
  const hint = error && typeof error === 'object' && 'hint' in error ? String((error as { hint: unknown }).hint) : '';
  return `${error instanceof Error ? error.message : String(error)}${hint ? ` — ${hint}` : ''}`;
}

function git(cwd: string, args: string[]): string {
  // --no-optional-locks: looking must not refresh the index being guarded (nor trip over a lock).
  return execFileSync('git', ['--no-optional-locks', ...args], { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' } });
}

function tryGit(cwd: string, args: string[]): string {
  try {
    return git(cwd, args);
  } catch (error) {
    return `! ${(error as Error).message.split('\n')[0]}`;
  }
}

function hashTree(root: string, dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    if (dir === root && name === '.git') continue;
    const full = join(dir, name);
    const stat = statSync(full);
    if (stat.isDirectory()) hashTree(root, full, out);
    else out.push(`${relative(root, full)} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`);
  }
}

export interface UserRepoSnapshot {
  files: string;
  status: string;
  branches: string;
  head: string;
  index: string;
  stash: string;
  /** Lock files and an unfinished merge belong to the user (or their other git process) too. */
  markers: string;
}

/** (e): everything of the user's in a checkout. */
export function snapshotUserRepo(work: string): UserRepoSnapshot {
  const gitDir = git(work, ['rev-parse', '--absolute-git-dir']).trim();
  const files: string[] = [];
  hashTree(work, work, files);
  return {
    files: files.join('\n'),
    status: git(work, ['status', '--porcelain=v1', '-z', '--untracked-files=all']),
    branches: git(work, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads']),
    head: `${readFileSync(join(gitDir, 'HEAD'), 'utf8').trim()} ${tryGit(work, ['rev-parse', 'HEAD']).trim()}`,
    index: createHash('sha256').update(git(work, ['ls-files', '-s'])).digest('hex'),
    stash: git(work, ['stash', 'list', '--format=%H %s']),
    markers: ['index.lock', 'MERGE_HEAD', 'shallow']
      .filter((name) => existsSync(join(gitDir, name)))
      .map((name) => `${name}:${createHash('sha256').update(readFileSync(join(gitDir, name))).digest('hex')}`)
      .join(','),
  };
}

export function assertUserRepoUnchanged(work: string, before: UserRepoSnapshot): void {
  assert.deepEqual(snapshotUserRepo(work), before, 'something of the user’s changed');
}
