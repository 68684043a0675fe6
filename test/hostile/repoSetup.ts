// Repository set-up steps the hostile cases share: symlinks out of the repository, branches with
// hostile names, fake tool executables. Real `git`, argument arrays only.
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { commitAll, git, writeFiles } from '../integration/helpers/tempGitRepo';
import type { CaseContext } from './corpus';

/** Content that lives outside the repository; it must never show up in any output. */
export const OUTSIDE_MARKER = 'OUTSIDE-THE-REPOSITORY-333';

export function gitCommand(ctx: CaseContext, ...args: string[]): string {
  return git(ctx.root, ...args);
}

export function commit(ctx: CaseContext, message: string): void {
  commitAll(ctx.root, message);
}

export function writeRepoFile(ctx: CaseContext, path: string, content: string | Buffer): void {
  writeFiles(ctx.root, { [path]: content });
  commit(ctx, `add ${path}`);
}

/** Makes a repository file executable and commits the mode change. */
export function chmodExecutable(ctx: CaseContext, path: string): void {
  chmodSync(join(ctx.root, ...path.split('/')), 0o755);
  commit(ctx, `chmod ${path}`);
}

/** A symlink at `path` (repository-relative) to `target`, committed. */
export function linkTo(ctx: CaseContext, target: string, path: string): void {
  const full = join(ctx.root, ...path.split('/'));
  mkdirSync(dirname(full), { recursive: true });
  symlinkSync(target, full);
  commit(ctx, `link ${path}`);
}

/** A symlink at `path` to a manifest outside the repository holding OUTSIDE_MARKER. */
export function symlinkOutside(ctx: CaseContext, path: string): void {
  const target = join(ctx.outside, 'outside-secret.yaml');
  writeFileSync(target, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside\ndata:\n  secret: ${OUTSIDE_MARKER}\n`);
  linkTo(ctx, target, path);
}

export function createBranch(ctx: CaseContext, name: string): void {
  git(ctx.root, 'branch', name);
}

/** Removes the environment folders, leaving the deployment at the root (environments come from branches). */
export function moveFolders(ctx: CaseContext): void {
  rmSync(join(ctx.root, 'envs'), { recursive: true, force: true });
  writeFiles(ctx.root, { 'app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: root\n' });
  commit(ctx, 'environments from branches');
}

/** An executable shell script in the case's outside folder; returns its path. */
export function fakeExecutable(ctx: CaseContext, name: string, body: string): string {
  const path = join(ctx.outside, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}
