// Applies a plan inside the temporary worktree and commits it.
// - Folder layout and rollbacks: the selected files are written into the target folder straight
//   from their blobs (`update-index --cacheinfo`), so modes and symlinks are exact and no file is
//   re-encoded; ticked deletions are `git rm`.
// - Image layout: the target files are edited in place (only the image values change).
// - Branch layout: `git merge --no-ff` of the source commit. Merging (not cherry-picking) keeps the
//   promoted commits' identities, so after the pull request merges the target contains them and
//   the next plan's `target..source` is empty. Files the user left out are reset to the target's
//   version before the merge commit; conflicts only in such files are resolved that way too.
import { writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { fieldLevelText } from '../../core/promotion/fieldLevelFiles';
import { applyImageChanges } from '../../core/promotion/imageChanges';
import { PromotionError } from '../../core/promotion/promotionError';
import { commitMessage, TRAILER_PROMOTED_FROM, TRAILER_PROMOTED_TO, TRAILER_ROLLBACK_TO, TRAILER_SOURCE_COMMIT } from '../../core/promotion/promotionNames';
import type { PlannedFileChange, PromotionPlan } from '../../core/promotion/promotionTypes';
import { setImageReference, TRAILER_SET_IMAGE } from '../../core/promotion/setImagePlan';
import { summarizeStderr } from '../gitError';
import type { TempWorktree } from './tempWorktree';

/** Paths per git invocation: far below any argument-length limit. */
const CHUNK = 200;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

function insideWorktree(worktree: TempWorktree, path: string): string {
  const full = join(worktree.dir, ...path.split('/'));
  const rel = relative(worktree.dir, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || path.split('/').some((p) => p === '.git')) {
    throw new PromotionError('failed', `Refusing to write outside the worktree: ${path}`, 'the repository holds an unusual path; promote this file by hand');
  }
  return full;
}

async function removePaths(worktree: TempWorktree, paths: readonly string[], signal?: AbortSignal): Promise<void> {
  for (const part of chunks(paths)) await worktree.run(['rm', '-q', '-f', '--ignore-unmatch', '--', ...part], { signal });
}

/** Stages blobs at paths and writes them to the worktree files. */
async function stageBlobs(worktree: TempWorktree, entries: ReadonlyArray<{ path: string; blob: string; mode: string }>, signal?: AbortSignal): Promise<void> {
  for (const part of chunks(entries)) {
    await worktree.run(['update-index', '--add', ...part.flatMap((e) => ['--cacheinfo', `${e.mode},${e.blob},${e.path}`])], { signal });
    // Keeps the worktree equal to the index, which a later rebase requires.
    await worktree.run(['checkout', '--', ...part.map((e) => e.path)], { signal });
  }
}

async function applyFiles(worktree: TempWorktree, files: readonly PlannedFileChange[], signal?: AbortSignal): Promise<void> {
  const selected = files.filter((f) => f.selected && !f.fieldLevel);
  await removePaths(worktree, selected.filter((f) => f.action === 'delete').map((f) => f.path), signal);
  await stageBlobs(
    worktree,
    selected.filter((f) => f.action !== 'delete' && f.afterBlob !== null && f.mode !== null).map((f) => ({ path: f.path, blob: f.afterBlob as string, mode: f.mode as string })),
    signal,
  );
}

/** Writes a computed text at `path` and stages exactly those bytes. */
async function stageText(worktree: TempWorktree, path: string, text: string, mode: string | null, signal?: AbortSignal): Promise<void> {
  await writeFile(insideWorktree(worktree, path), text);
  // Hashed without filters: the bytes we computed are the bytes committed, whatever autocrlf says.
  const blob = (await worktree.run(['hash-object', '-w', '--no-filters', '--', path], { signal })).stdout.toString('utf8').trim();
  await worktree.run(['update-index', '--add', '--cacheinfo', `${mode ?? '100644'},${blob},${path}`], { signal });
}

/** Field-level files: the target's text with only the ticked values written. */
async function applyValues(worktree: TempWorktree, plan: PromotionPlan, signal?: AbortSignal): Promise<void> {
  for (const file of plan.files.filter((f) => f.selected && f.fieldLevel)) {
    const text = fieldLevelText(plan, file.path);
    if (text !== null) await stageText(worktree, file.path, text, file.mode, signal);
  }
}

async function applyImages(worktree: TempWorktree, plan: PromotionPlan, signal?: AbortSignal): Promise<void> {
  for (const file of plan.files.filter((f) => f.selected)) {
    const target = plan.imageTargets.find((t) => t.path === file.path);
    if (!target) continue;
    const { text } = applyImageChanges(target.text, plan.images.filter((i) => i.file === file.path));
    await stageText(worktree, file.path, text, file.mode, signal);
  }
}

/** Gives unselected files the target's version again (the merge brought the source's). */
async function keepTargetVersions(worktree: TempWorktree, plan: PromotionPlan, paths: readonly string[], signal?: AbortSignal): Promise<void> {
  const byPath = new Map(plan.files.map((f) => [f.path, f]));
  const inTarget = paths.filter((p) => byPath.get(p)?.beforeBlob);
  const notInTarget = paths.filter((p) => !byPath.get(p)?.beforeBlob);
  for (const part of chunks(inTarget)) await worktree.run(['checkout', plan.target.commit, '--', ...part], { signal });
  await removePaths(worktree, notInTarget, signal);
}

async function applyMerge(worktree: TempWorktree, plan: PromotionPlan, signal?: AbortSignal): Promise<void> {
  const merge = await worktree.run(['merge', '--no-ff', '--no-commit', '--no-edit', '--quiet', plan.source.commit], { signal, okExitCodes: [0, 1, 128] });
  const unselected = plan.files.filter((f) => !f.selected).map((f) => f.path);
  if (merge.exitCode !== 0) {
    const conflicted = (await worktree.run(['diff', '--name-only', '-z', '--diff-filter=U'], { signal })).stdout.toString('utf8').split('\0').filter(Boolean);
    if (conflicted.length === 0) {
      throw new PromotionError('failed', `git merge of ${plan.from} into ${plan.to} failed: ${summarizeStderr(merge.stderr) || merge.stdout.toString('utf8').trim()}`, 'nothing was pushed; merge the branches by hand to see why');
    }
    const left = new Set(unselected);
    const blocking = conflicted.filter((p) => !left.has(p));
    if (blocking.length) {
      throw new PromotionError(
        'conflict',
        `Merging ${plan.source.branch} into ${plan.target.branch} stops on conflicts in ${blocking.slice(0, 5).join(', ')}${blocking.length > 5 ? ` and ${blocking.length - 5} more` : ''}`,
        `nothing was pushed; untick ${blocking.length === 1 ? 'that file' : 'those files'} to keep ${plan.to}'s version, or merge ${plan.source.branch} into ${plan.target.branch} by hand and resolve the conflict`,
      );
    }
  }
  await keepTargetVersions(worktree, plan, unselected, signal);
}

export function planCommitMessage(plan: PromotionPlan): string {
  const selected = plan.files.filter((f) => f.selected);
  if (plan.kind === 'rollback') {
    return commitMessage({
      title: plan.title,
      // The environment's files, not necessarily the whole folder: a chart folder other
      // environments read keeps their values files, a branch of every environment their folders.
      summary: [`Restores ${plan.to}'s files ${plan.target.folder ? `in ${plan.target.folder}` : `on branch ${plan.target.branch}`} to their state at ${plan.source.commit}`, `(${selected.length} file(s); undoes ${plan.commitTotal} commit(s)).`],
      trailers: [[TRAILER_ROLLBACK_TO, plan.source.commit]],
    });
  }
  const setImage = setImageReference(plan);
  if (setImage) {
    return commitMessage({
      title: plan.title,
      summary: [`Sets ${plan.images.filter((i) => i.selected).length} image reference(s) in ${selected.length} file(s) of ${plan.to} (${plan.target.branch} ${plan.target.shortCommit}) to ${setImage}.`],
      trailers: [[TRAILER_SET_IMAGE, setImage]],
    });
  }
  const what = plan.layout === 'image' ? `${plan.images.filter((i) => i.selected).length} image reference(s) in ${selected.length} file(s)` : `${selected.length} file(s)`;
  return commitMessage({
    title: plan.title,
    summary: [`Promotes ${what} from ${plan.from} (${plan.source.ref} ${plan.source.shortCommit}) to ${plan.to}.`],
    trailers: [
      [TRAILER_PROMOTED_FROM, plan.from],
      [TRAILER_PROMOTED_TO, plan.to],
      [TRAILER_SOURCE_COMMIT, plan.source.commit],
    ],
  });
}

/** Applies the plan to the worktree (checked out at the target commit) and commits. Returns the new commit id. */
export async function applyAndCommit(worktree: TempWorktree, plan: PromotionPlan, signal?: AbortSignal, beforeCommit?: () => void): Promise<string> {
  if (plan.kind === 'promotion' && plan.layout === 'branch') await applyMerge(worktree, plan, signal);
  else if (plan.layout === 'image' && plan.kind === 'promotion') await applyImages(worktree, plan, signal);
  else {
    await applyFiles(worktree, plan.files, signal);
    await applyValues(worktree, plan, signal);
  }

  const staged = (await worktree.run(['diff', '--cached', '--quiet'], { signal, okExitCodes: [0, 1] })).exitCode === 1;
  const merging = (await worktree.run(['rev-parse', '-q', '--verify', 'MERGE_HEAD'], { signal, okExitCodes: [0, 1] })).exitCode === 0;
  if (!staged && !merging) {
    throw new PromotionError('nothingToPromote', `Nothing to ${plan.kind === 'rollback' ? 'roll back' : 'promote'}: the selected changes are already in ${plan.to}`, 'tick other files, or nothing needs doing');
  }
  beforeCommit?.();
  if (signal?.aborted) throw new PromotionError('cancelled', 'Cancelled; nothing was pushed');
  const messageFile = join(worktree.scratch, 'COMMIT_MSG');
  await writeFile(messageFile, planCommitMessage(plan));
  const commit = await worktree.run(['commit', '--quiet', '--no-verify', '--cleanup=whitespace', '-F', messageFile], { signal, okExitCodes: [0, 1, 128] });
  if (commit.exitCode !== 0) {
    if (/tell me who you are|empty ident|unable to auto-detect email/i.test(commit.stderr)) {
      throw new PromotionError('failed', 'Git does not know who you are, so it cannot commit', 'run git config --global user.name "Your Name" and git config --global user.email you@example.com');
    }
    throw new PromotionError('failed', `git commit failed: ${summarizeStderr(commit.stderr) || 'no reason given'}`, 'nothing was pushed');
  }
  return (await worktree.run(['rev-parse', 'HEAD'], { signal })).stdout.toString('utf8').trim();
}
