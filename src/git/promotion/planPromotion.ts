// Gathers what a promotion plan needs from Git — both sides' commits, folder listings, the merge
// base and changed paths, the texts of the files that differ — and hands it to the core planner.
// Read-only: nothing is checked out, fetched or written.
import type { HostOverrides } from '../../core/hostKind';
import { environmentPaths, type Environment } from '../../core/model';
import type { PromotionConfig } from '../../core/config';
import { buildPromotionPlan, type ImageFileInput, type PlanSelection } from '../../core/promotion/buildPlan';
import { chooseLayout, resolvePromotionPair } from '../../core/promotion/environmentPair';
import { pairWords, withoutSideWords } from '../../core/promotion/environmentWords';
import { planBranchChanges, planFolderChanges, relativeTo, joinFolder, type FileChangeDraft, type TreeFile } from '../../core/promotion/fileChanges';
import { environmentFileRole, environmentsSharingFolder } from '../../core/promotion/environmentFiles';
import { firstMatchingGlob } from '../../core/promotion/globMatch';
import { PromotionError } from '../../core/promotion/promotionError';
import { shortSha } from '../../core/promotion/promotionNames';
import type { PlanSide, PromotionPlan } from '../../core/promotion/promotionTypes';
import type { GitRepository } from '../gitRepository';
import { isYamlPath, type FileHistory } from '../../core/promotion/fieldPlan';
import { changedPaths, fileHistoryBlobs, listFolder, mergeBase, promotionChain, readBlobTexts } from './promotionGit';
import { remoteHost } from './remoteHost';
import { resolveSide, sideContext, type ResolvedSide } from './resolveSides';

export interface PromotionRequest {
  environments: readonly Environment[];
  /** Source environment; default: the one before `to`. */
  from?: string;
  /** Target environment; default: the one after `from`. */
  to?: string;
  /** Image mode: only image names, tags and digests are changed in the target's files. */
  imagesOnly?: boolean;
  /** gitops.yaml `promotion` (exclude globs, labels, reviewers). */
  promotion?: PromotionConfig;
  /** gitops.yaml `hosts` or CLI flags, for commit links. */
  hostOverrides?: HostOverrides;
  /** The target's drift state in a sentence, for the PR body. */
  driftState?: string | null;
  /** Ticks from the preview. */
  selection?: PlanSelection;
  /** Folder promotions compare YAML files value by value (default); false copies whole files as before. */
  fieldLevel?: boolean;
  /** Commits listed by name; default 50. */
  commitLimit?: number;
  maxBodyChars?: number;
}

const YAML_FILE = /(\.ya?ml|\/Kustomization|^Kustomization)$/;

function planSide(side: ResolvedSide, tree: string | null): PlanSide {
  const planned: PlanSide = { environment: side.environment.name, ref: side.ref, commit: side.commit, shortCommit: shortSha(side.commit), branch: side.branch, folder: side.folder, tree, remote: side.remote };
  const folders = environmentPaths(side.environment);
  if (folders.length > 1) planned.folders = folders;
  if (side.environment.valuesFiles) planned.valuesFiles = side.environment.valuesFiles;
  return planned;
}

async function treeOf(repo: GitRepository, side: ResolvedSide): Promise<string | null> {
  return repo.treeHash(side.commit, side.folder === '' ? undefined : side.folder);
}

/** Builds the promotion plan. Throws PromotionError for rule violations (same environment, missing branch or folder). */
export async function planPromotion(repo: GitRepository, request: PromotionRequest): Promise<PromotionPlan> {
  const pair = resolvePromotionPair(request.environments, request.from, request.to);
  const context = await sideContext(repo);
  const [source, target] = await Promise.all([resolveSide(repo, pair.source, 'source', context), resolveSide(repo, pair.target, 'target', context)]);
  const sharedFolder = readsSameFolder(pair.source, pair.target) && !request.imagesOnly ? await ownFilePairs(repo, request.environments, source, pair.target) : null;
  let layout = sharedFolder ? 'folder' : chooseLayout(pair.source, pair.target, request.imagesOnly === true);
  // A branch per environment, each branch holding every environment's folder (the environment is
  // branch X with folder envs/X): the promotion is the difference of the two branches, often a
  // file of the shared base, merged into the target's branch — not a copy of one folder into the
  // other, which would carry the source's identity and miss the base.
  const everyFolderOnEveryBranch = (layout === 'folder' || layout === 'image') && source.branch !== target.branch && (await holdsBothFolders(repo, source, target));
  if (everyFolderOnEveryBranch && layout === 'folder') layout = 'branch';
  const branchScope = everyFolderOnEveryBranch ? '' : source.folder;
  const [sourceTree, targetTree, host, chain, shallow] = await Promise.all([
    treeOf(repo, source),
    treeOf(repo, target),
    remoteHost(repo, target.remote, request.hostOverrides),
    promotionChain(repo, source.commit, source.environment.name),
    repo.isShallow(),
  ]);
  if (source.folder && !sourceTree) {
    throw new PromotionError('sourceMissing', `Folder ${source.folder} of ${source.environment.name} does not exist at ${source.ref} (${shortSha(source.commit)})`, 'fix `path:` in gitops.yaml, or push the folder first');
  }
  const severalFolders = environmentPaths(source.environment).length > 1 || environmentPaths(target.environment).length > 1;
  const notes: string[] = [];
  // The files come from trees and are exact; the commit list stops at the shallow boundary.
  if (shallow) notes.push('This clone is shallow: the list of commits may be incomplete (the file changes are exact); run git fetch --unshallow for the full list');
  // Both sides on one branch (folders): its unpushed commits are said once.
  for (const side of source.ref === target.ref ? [source] : [source, target]) {
    if (side.unpushed > 0) notes.push(`${side.unpushed} local commit(s) on ${side.branch} are not on ${side.ref} and are not part of this plan; push them first to include them`);
  }
  if (!target.onRemote && target.remote) notes.push(`${target.branch} is not on ${target.remote} yet; push it first, or the pull request has no base`);
  if (target.folder && !targetTree && layout !== 'branch') notes.push(`Folder ${target.folder} does not exist yet on ${target.ref}; every file is added`);
  const limit = request.commitLimit ?? 50;
  const exclude = request.promotion?.exclude ?? [];

  let files: FileChangeDraft[] = [];
  const imageFiles: ImageFileInput[] = [];
  let blobs = new Map<string, string>();
  let commits: PromotionPlan['commits'] = [];
  let commitTotal = 0;
  let history: FileHistory | null = null;
  let targetOnlyCommits = 0;
  let mergeBaseTexts: Map<string, string> | undefined;

  if (layout === 'branch') {
    const base = await mergeBase(repo, source.commit, target.commit);
    const [paths, sourceFiles, targetFiles, pending] = await Promise.all([
      base === source.commit ? Promise.resolve([]) : changedPaths(repo, base, source.commit),
      listFolder(repo, source.commit, ''),
      listFolder(repo, target.commit, ''),
      repo.pendingCommits(source.commit, target.commit, { paths: branchScope ? [branchScope] : undefined, limit }),
    ]);
    files = planBranchChanges({ changedPaths: paths, sourceFiles, targetFiles, folder: source.folder, exclude });
    commits = pending.commits;
    commitTotal = pending.total;
    // What the merge changes in YAML files, from the merge base: the downgrade checks read it.
    if (base) {
      const yaml = files.filter((f) => f.action === 'modify' && isYamlPath(f.path)).map((f) => f.path);
      const texts = yaml.length ? await repo.readFiles(base, yaml) : new Map<string, string | undefined>();
      mergeBaseTexts = new Map([...texts].filter((e): e is [string, string] => e[1] !== undefined));
    }
    // The target's own commits the source lacks (touching the environment): the target is ahead there.
    targetOnlyCommits = base === null || base === target.commit ? 0 : (await repo.pendingCommits(target.commit, source.commit, { paths: branchScope ? [branchScope] : undefined, limit: 0 })).total;
    if (branchScope) {
      const all = await repo.pendingCommits(source.commit, target.commit, { limit: 0 });
      if (all.total > pending.total) notes.push(`${all.total - pending.total} more commit(s) on ${source.branch} touch files outside ${source.folder}; the merge brings them too`);
    }
    if (!base) notes.push(`${source.branch} and ${target.branch} share no history; the merge joins them`);
  } else if (sharedFolder) {
    // One folder read by both (a chart with a values file per environment): the source's own
    // files into the target's own counterparts, value by value; the shared files are the same.
    for (const note of sharedFolder.notes) notes.push(note);
    if (sharedFolder.pairs.length > 0) {
      const pending = await repo.pendingCommits(source.commit, await lastCommitOf(repo, target.commit, sharedFolder.pairs.map((p) => p.target.path)), { paths: sharedFolder.pairs.map((p) => p.source.path), limit });
      commits = pending.commits;
      commitTotal = pending.total;
    }
    files = sharedFolder.pairs.map((p) => ownFileDraft(p.source, p.target, exclude, source.folder));
    if (files.length > 0 && request.fieldLevel !== false) history = await valueHistory(repo, files, source.commit, target.commit);
  } else {
    // An environment made of several folders (one per application) is promoted folder by folder:
    // each of the source's folders into the target's folder of the same application.
    const pairs = await changedFolderPairs(repo, source, target, notes);
    if (pairs.length > 0) {
      const pending = await pendingForFolders(repo, source, target, pairs, limit);
      commits = pending.commits;
      commitTotal = pending.total;
    }
    for (const pair of pairs) {
      const [sourceFiles, targetFiles] = await Promise.all([listFolder(repo, source.commit, pair.source), listFolder(repo, target.commit, pair.target)]);
      if (layout === 'folder') files.push(...planFolderChanges({ sourceFiles, targetFiles, sourceFolder: pair.source, targetFolder: pair.target, exclude, selectDeletions: false }));
      else imageFiles.push(...(await imagePairs(repo, sourceFiles, targetFiles, pair.source, pair.target)));
    }
    // Images of a branch per environment also live in the files every environment shares (base/):
    // the same file on both branches, outside every environment's folder.
    if (layout === 'image' && everyFolderOnEveryBranch) imageFiles.push(...(await sharedImagePairs(repo, source, target, request.environments)));
    if (layout === 'folder' && files.length > 0 && request.fieldLevel !== false) history = await valueHistory(repo, files, source.commit, target.commit);
  }
  if (files.length) {
    blobs = await readBlobTexts(repo, files.flatMap((f) => [f.beforeBlob, f.afterBlob].filter((b): b is string => b !== null)));
  }
  return buildPromotionPlan({
    kind: 'promotion',
    layout,
    // The tree of one folder does not stand for an environment of several, nor for one whose
    // folder another environment reads too.
    source: planSide(source, severalFolders || sharedFolder ? null : sourceTree),
    target: planSide(target, severalFolders || sharedFolder ? null : targetTree),
    commits,
    commitTotal,
    files,
    blobs,
    imageFiles,
    labels: request.promotion?.labels,
    reviewers: request.promotion?.reviewers,
    host: { kind: host.host.kind, webUrl: host.host.webUrl },
    driftState: request.driftState,
    chain,
    notes,
    selection: request.selection,
    maxBodyChars: request.maxBodyChars,
    targetProtected: pair.target.protected,
    keep: request.promotion?.keep,
    history,
    targetOnlyCommits,
    mergeBaseTexts,
    fieldLevel: request.fieldLevel,
  });
}

/** Earlier versions of the YAML files that differ on both sides: what each side's file once held. */
async function valueHistory(repo: GitRepository, files: readonly FileChangeDraft[], sourceCommit: string, targetCommit: string): Promise<FileHistory> {
  const pairs = files.filter((f) => f.action === 'modify' && f.sourcePath !== null && isYamlPath(f.path));
  const sourcePaths = pairs.map((f) => f.sourcePath as string);
  const targetPaths = pairs.map((f) => f.path);
  // Folders on one branch share one history walk.
  const [sourceBlobs, targetBlobs] =
    sourceCommit === targetCommit
      ? await fileHistoryBlobs(repo, sourceCommit, [...sourcePaths, ...targetPaths]).then((all) => [all, all] as const)
      : await Promise.all([fileHistoryBlobs(repo, sourceCommit, sourcePaths), fileHistoryBlobs(repo, targetCommit, targetPaths)]);
  // The newest version is the current one, whose text the plan reads anyway.
  const current = new Set(pairs.flatMap((f) => [f.beforeBlob, f.afterBlob]));
  const wanted = (blobs: string[] | undefined): string[] => (blobs ?? []).filter((b) => !current.has(b));
  const texts = await readBlobTexts(repo, [...sourcePaths.flatMap((p) => wanted(sourceBlobs.get(p))), ...targetPaths.flatMap((p) => wanted(targetBlobs.get(p)))]);
  const resolve = (paths: readonly string[], byPath: ReadonlyMap<string, string[]>): Map<string, string[]> =>
    new Map(paths.map((path) => [path, wanted(byPath.get(path)).map((b) => texts.get(b)).filter((t): t is string => t !== undefined)]));
  return { source: resolve(sourcePaths, sourceBlobs), target: resolve(targetPaths, targetBlobs) };
}

/** Source and target read one folder of one branch (each may still have files of its own in it). */
function readsSameFolder(source: Environment, target: Environment): boolean {
  const [s, t] = [environmentPaths(source), environmentPaths(target)];
  return (source.branch ?? null) === (target.branch ?? null) && (source.repo ?? null) === (target.repo ?? null) && s.length <= 1 && t.length <= 1 && (s[0] ?? '') === (t[0] ?? '');
}

interface OwnFilePairs {
  /** The source's own file, and the target's own file of the same name once the environments' names are taken out. */
  pairs: Array<{ source: TreeFile; target: TreeFile }>;
  notes: string[];
}

/**
 * A folder both environments read, with files of their own (`values-staging.yaml`,
 * `values-prod.yaml`; see environmentFiles.ts): the source's own files paired with the target's.
 * Null when either has none (the folder is simply shared: nothing can be promoted within it).
 */
async function ownFilePairs(repo: GitRepository, environments: readonly Environment[], sourceSide: ResolvedSide, target: Environment): Promise<OwnFilePairs | null> {
  const source = sourceSide.environment;
  const folder = source.path ?? '';
  const files = await listFolder(repo, sourceSide.commit, folder);
  const own = (env: Environment): TreeFile[] => {
    const sharers = environmentsSharingFolder(environments, env, folder);
    return sharers.length === 0 ? [] : files.filter((f) => environmentFileRole(env.name, sharers, folder, f.path).role === 'own');
  };
  const [sourceOwn, targetOwn] = [own(source), own(target)];
  if (sourceOwn.length === 0 || targetOwn.length === 0) return null;
  const words = pairWords({ name: source.name, folder }, { name: target.name, folder });
  const byNeutral = new Map(targetOwn.map((f) => [withoutSideWords(f.path, words), f]));
  const notes: string[] = [];
  const pairs: OwnFilePairs['pairs'] = [];
  for (const file of sourceOwn) {
    const counterpart = byNeutral.get(withoutSideWords(file.path, words));
    if (counterpart) pairs.push({ source: file, target: counterpart });
    else notes.push(`${file.path} is ${source.name}'s own and ${target.name} has no file of that name; it is not promoted`);
  }
  return { pairs: pairs.filter((p) => p.target.blob !== p.source.blob), notes };
}

/** The source's own file into the target's own file: a modification compared value by value. */
function ownFileDraft(source: TreeFile, target: TreeFile, exclude: readonly string[], folder: string): FileChangeDraft {
  const rel = relativeTo(folder, target.path) ?? target.path;
  const excludedBy = firstMatchingGlob(exclude, [rel, target.path]);
  return { path: target.path, sourcePath: source.path, action: 'modify', excluded: excludedBy !== null, excludedBy, selected: excludedBy === null, beforeBlob: target.blob, afterBlob: source.blob, mode: source.mode };
}

/** The newest commit touching any of `paths` at `commit` (null when none does). */
async function lastCommitOf(repo: GitRepository, commit: string, paths: readonly string[]): Promise<string | null> {
  const lasts = await Promise.all(paths.map((path) => repo.headCommit(commit, path)));
  const shas = lasts.filter((l): l is NonNullable<typeof l> => l !== null && l !== undefined).map((l) => l.sha);
  return shas.length === 0 ? null : endOfLine(repo, shas, 'newest');
}

/** Whether each side's branch also holds the other side's folder (every branch holds every environment). */
async function holdsBothFolders(repo: GitRepository, source: ResolvedSide, target: ResolvedSide): Promise<boolean> {
  if (!source.folder || !target.folder) return false;
  const [targetFolderOnSource, sourceFolderOnTarget] = await Promise.all([repo.treeHash(source.commit, target.folder), repo.treeHash(target.commit, source.folder)]);
  return targetFolderOnSource !== null && sourceFolderOnTarget !== null;
}

interface FolderPair {
  source: string;
  target: string;
}

/**
 * The source's folders paired with the target's (`apps/web/overlays/staging` with
 * `apps/web/overlays/prod`: the same path once both environments' words are taken out), the pairs
 * whose contents differ. One folder each: that pair. A source folder without a counterpart is
 * named in a note (its application is new to the target's environment; add its folder first).
 */
async function changedFolderPairs(repo: GitRepository, source: ResolvedSide, target: ResolvedSide, notes: string[]): Promise<FolderPair[]> {
  const sourceFolders = environmentPaths(source.environment);
  const targetFolders = environmentPaths(target.environment);
  let pairs: FolderPair[];
  if (sourceFolders.length <= 1 && targetFolders.length <= 1) pairs = [{ source: source.folder, target: target.folder }];
  else {
    const words = pairWords({ name: source.environment.name, folder: source.folder }, { name: target.environment.name, folder: target.folder });
    const byNeutral = new Map(targetFolders.map((folder) => [withoutSideWords(folder, words), folder]));
    pairs = [];
    for (const folder of sourceFolders) {
      const counterpart = byNeutral.get(withoutSideWords(folder, words));
      if (counterpart !== undefined) pairs.push({ source: folder, target: counterpart });
      else notes.push(`${folder} has no counterpart among ${target.environment.name}'s folders (${targetFolders.join(', ')}); it is not promoted — add the application's folder to ${target.environment.name} first`);
    }
  }
  const trees = await Promise.all(pairs.map((pair) => Promise.all([repo.treeHash(source.commit, pair.source || undefined), repo.treeHash(target.commit, pair.target || undefined)])));
  return pairs.filter((_, i) => trees[i][0] === null || trees[i][0] !== trees[i][1]);
}

/** Folder layouts: the source folders' commits not yet reflected in their target folders. */
async function pendingForFolders(repo: GitRepository, source: ResolvedSide, target: ResolvedSide, pairs: readonly FolderPair[], limit: number): Promise<{ commits: PromotionPlan['commits']; total: number }> {
  const paths = pairs.some((pair) => pair.source === '') ? undefined : pairs.map((pair) => pair.source);
  if (source.commit !== target.commit) return repo.pendingCommits(source.commit, target.commit, { paths, limit });
  // One branch: the source folders' changes since their target folder last changed (the earliest
  // of those, when there are several, so no folder's pending change is left out).
  const lasts = await Promise.all(pairs.map((pair) => repo.headCommit(target.commit, pair.target || undefined)));
  if (lasts.some((last) => !last)) return repo.pendingCommits(source.commit, null, { paths, limit });
  const since = await endOfLine(repo, lasts.map((last) => (last as { sha: string }).sha), 'oldest');
  return repo.pendingCommits(source.commit, since, { paths, limit });
}

/** Of commits on one line of history, the oldest (every other descends from it) or the newest. */
async function endOfLine(repo: GitRepository, shas: readonly string[], end: 'oldest' | 'newest'): Promise<string> {
  let found = shas[0];
  for (const sha of shas.slice(1)) {
    if (sha === found) continue;
    const base = await mergeBase(repo, sha, found);
    if ((end === 'oldest' && base === sha) || (end === 'newest' && base === found)) found = sha;
  }
  return found;
}

/** Files outside every environment's folder that differ between the two branches, paired by path, for image mode. */
async function sharedImagePairs(repo: GitRepository, source: ResolvedSide, target: ResolvedSide, environments: readonly Environment[]): Promise<ImageFileInput[]> {
  const envFolders = environments.flatMap((e) => environmentPaths(e)).filter((f) => f !== '');
  const outside = (file: TreeFile): boolean => !envFolders.some((folder) => relativeTo(folder, file.path) !== null);
  const [sourceFiles, targetFiles] = await Promise.all([listFolder(repo, source.commit, ''), listFolder(repo, target.commit, '')]);
  if (sourceFiles.length === 0 || targetFiles.length === 0) return [];
  return imagePairs(repo, sourceFiles.filter(outside), targetFiles.filter(outside), '', '');
}

/** Image mode compares YAML files present in both folders whose contents differ. */
async function imagePairs(repo: GitRepository, sourceFiles: TreeFile[], targetFiles: TreeFile[], sourceFolder: string, targetFolder: string): Promise<ImageFileInput[]> {
  const targets = new Map<string, TreeFile>();
  for (const file of targetFiles) {
    const rel = relativeTo(targetFolder, file.path);
    if (rel !== null) targets.set(rel, file);
  }
  const pairs: Array<{ source: TreeFile; target: TreeFile }> = [];
  for (const file of sourceFiles) {
    const rel = relativeTo(sourceFolder, file.path);
    if (rel === null || !YAML_FILE.test(rel)) continue;
    const target = targets.get(rel);
    if (target && target.blob !== file.blob && target.path === joinFolder(targetFolder, rel)) pairs.push({ source: file, target });
  }
  const texts = await readBlobTexts(repo, pairs.flatMap((p) => [p.source.blob, p.target.blob]));
  return pairs.flatMap((p) => {
    const sourceText = texts.get(p.source.blob);
    const targetText = texts.get(p.target.blob);
    if (sourceText === undefined || targetText === undefined) return [];
    return [{ sourcePath: p.source.path, targetPath: p.target.path, sourceText, targetText, targetBlob: p.target.blob, targetMode: p.target.mode }];
  });
}
