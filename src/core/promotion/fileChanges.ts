// Which files a promotion or rollback changes in the target, decided from tree listings (blob ids
// and modes) alone: no file is read to find out what differs.
import { firstMatchingGlob } from './globMatch';
import type { FileAction, PlannedFileChange } from './promotionTypes';

export interface TreeFile {
  /** Repository-relative POSIX path. */
  path: string;
  blob: string;
  mode: string;
}

/** A file change before its diff is known. */
export type FileChangeDraft = Omit<PlannedFileChange, 'diff' | 'diffTruncated' | 'binary' | 'insertions' | 'deletions'>;

/** Path relative to `folder` ('' = root); null when the path is not inside it. */
export function relativeTo(folder: string, path: string): string | null {
  if (folder === '') return path;
  return path.startsWith(`${folder}/`) ? path.slice(folder.length + 1) : null;
}

export function joinFolder(folder: string, relative: string): string {
  return folder === '' ? relative : `${folder}/${relative}`;
}

/** `relative path → file` for the files under `folder`, leaving out files under `skip` (a nested environment folder). */
function byRelativePath(files: readonly TreeFile[], folder: string, skip: string | null): Map<string, TreeFile> {
  const map = new Map<string, TreeFile>();
  for (const file of files) {
    if (skip !== null && skip !== '' && relativeTo(skip, file.path) !== null) continue;
    const rel = relativeTo(folder, file.path);
    if (rel !== null) map.set(rel, file);
  }
  return map;
}

export interface FolderChangesInput {
  sourceFiles: readonly TreeFile[];
  targetFiles: readonly TreeFile[];
  sourceFolder: string;
  targetFolder: string;
  /** `promotion.exclude` globs; empty for rollbacks (a rollback restores everything). */
  exclude: readonly string[];
  /** Tick deletions by default (rollbacks); promotions delete target-only files only when ticked. */
  selectDeletions: boolean;
}

function draft(path: string, sourcePath: string | null, action: FileAction, before: TreeFile | undefined, after: TreeFile | undefined, excludedBy: string | null, selected: boolean): FileChangeDraft {
  return {
    path,
    sourcePath,
    action,
    excluded: excludedBy !== null,
    excludedBy,
    selected,
    beforeBlob: before?.blob ?? null,
    afterBlob: after?.blob ?? null,
    mode: after?.mode ?? null,
  };
}

/**
 * Folder per environment (and rollbacks): every file whose blob or mode differs between the source
 * folder and the target folder, matched by path relative to each folder. Sorted by path.
 */
export function planFolderChanges(input: FolderChangesInput): FileChangeDraft[] {
  const { sourceFolder, targetFolder } = input;
  // When one folder holds the other (root vs envs/dev), the inner one is not part of the outer environment.
  const source = byRelativePath(input.sourceFiles, sourceFolder, relativeTo(sourceFolder, targetFolder) !== null && sourceFolder !== targetFolder ? targetFolder : null);
  const target = byRelativePath(input.targetFiles, targetFolder, relativeTo(targetFolder, sourceFolder) !== null && sourceFolder !== targetFolder ? sourceFolder : null);
  const changes: FileChangeDraft[] = [];
  for (const [rel, after] of source) {
    const before = target.get(rel);
    if (before && before.blob === after.blob && before.mode === after.mode) continue;
    const path = joinFolder(targetFolder, rel);
    const excludedBy = firstMatchingGlob(input.exclude, [rel, path, after.path]);
    changes.push(draft(path, after.path, before ? 'modify' : 'add', before, after, excludedBy, excludedBy === null));
  }
  for (const [rel, before] of target) {
    if (source.has(rel)) continue;
    const excludedBy = firstMatchingGlob(input.exclude, [rel, before.path]);
    changes.push(draft(before.path, null, 'delete', before, undefined, excludedBy, excludedBy === null && input.selectDeletions));
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface BranchChangesInput {
  /** Paths the source changed since the merge base (`git diff-tree -r --no-renames <base> <source>`). */
  changedPaths: readonly string[];
  sourceFiles: readonly TreeFile[];
  targetFiles: readonly TreeFile[];
  /** The environments' shared folder, for matching excludes relative to it. */
  folder: string;
  exclude: readonly string[];
}

/**
 * Branch per environment: what merging the source brings, relative to the target's current files.
 * A path the source changed that the target already has identically is left out.
 */
export function planBranchChanges(input: BranchChangesInput): FileChangeDraft[] {
  const source = new Map(input.sourceFiles.map((f) => [f.path, f]));
  const target = new Map(input.targetFiles.map((f) => [f.path, f]));
  const changes: FileChangeDraft[] = [];
  for (const path of new Set(input.changedPaths)) {
    const after = source.get(path);
    const before = target.get(path);
    if (!after && !before) continue;
    if (after && before && after.blob === before.blob && after.mode === before.mode) continue;
    const rel = relativeTo(input.folder, path);
    const excludedBy = firstMatchingGlob(input.exclude, rel === null ? [path] : [rel, path]);
    const action: FileAction = !after ? 'delete' : before ? 'modify' : 'add';
    changes.push(draft(path, after ? path : null, action, before, after, excludedBy, excludedBy === null));
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
