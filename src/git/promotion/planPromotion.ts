// Gathers what a promotion plan needs from Git — both sides' commits, folder listings, the merge
// base and changed paths, the texts of the files that differ — and hands it to the core planner.
// Read-only: nothing is checked out, fetched or written.
import type { HostOverrides } from '../../core/hostKind';
import type { Environment } from '../../core/model';
import type { PromotionConfig } from '../../core/config';
import { buildPromotionPlan, type ImageFileInput, type PlanSelection } from '../../core/promotion/buildPlan';
import { chooseLayout, resolvePromotionPair } from '../../core/promotion/environmentPair';
import { planBranchChanges, planFolderChanges, relativeTo, joinFolder, type FileChangeDraft, type TreeFile } from '../../core/promotion/fileChanges';
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
  return { environment: side.environment.name, ref: side.ref, commit: side.commit, shortCommit: shortSha(side.commit), branch: side.branch, folder: side.folder, tree, remote: side.remote };
}

async function treeOf(repo: GitRepository, side: ResolvedSide): Promise<string | null> {
  return repo.treeHash(side.commit, side.folder === '' ? undefined : side.folder);
}

/** Builds the promotion plan. Throws PromotionError for rule violations (same environment, missing branch or folder). */
export async function planPromotion(repo: GitRepository, request: PromotionRequest): Promise<PromotionPlan> {
  const pair = resolvePromotionPair(request.environments, request.from, request.to);
  const layout = chooseLayout(pair.source, pair.target, request.imagesOnly === true);
  const context = await sideContext(repo);
  const [source, target] = await Promise.all([resolveSide(repo, pair.source, 'source', context), resolveSide(repo, pair.target, 'target', context)]);
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
  const notes: string[] = [];
  // The files come from trees and are exact; the commit list stops at the shallow boundary.
  if (shallow) notes.push('This clone is shallow: the list of commits may be incomplete (the file changes are exact); run git fetch --unshallow for the full list');
  for (const side of [source, target]) {
    if (side.unpushed > 0) notes.push(`${side.unpushed} local commit(s) on ${side.branch} are not on ${side.ref} and are not part of this plan; push them first to include them`);
  }
  if (!target.onRemote && target.remote) notes.push(`${target.branch} is not on ${target.remote} yet; push it first, or the pull request has no base`);
  if (target.folder && !targetTree && layout !== 'branch') notes.push(`Folder ${target.folder} does not exist yet on ${target.ref}; every file is added`);
  const limit = request.commitLimit ?? 50;
  const exclude = request.promotion?.exclude ?? [];
  const sameContent = sourceTree !== null && sourceTree === targetTree;

  let files: FileChangeDraft[] = [];
  let imageFiles: ImageFileInput[] = [];
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
      repo.pendingCommits(source.commit, target.commit, { paths: source.folder ? [source.folder] : undefined, limit }),
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
    targetOnlyCommits = base === null || base === target.commit ? 0 : (await repo.pendingCommits(target.commit, source.commit, { paths: source.folder ? [source.folder] : undefined, limit: 0 })).total;
    if (source.folder) {
      const all = await repo.pendingCommits(source.commit, target.commit, { limit: 0 });
      if (all.total > pending.total) notes.push(`${all.total - pending.total} more commit(s) on ${source.branch} touch files outside ${source.folder}; the merge brings them too`);
    }
    if (!base) notes.push(`${source.branch} and ${target.branch} share no history; the merge joins them`);
  } else if (!sameContent) {
    const [sourceFiles, targetFiles, pending] = await Promise.all([listFolder(repo, source.commit, source.folder), listFolder(repo, target.commit, target.folder), pendingForFolders(repo, source, target, limit)]);
    commits = pending.commits;
    commitTotal = pending.total;
    if (layout === 'folder') {
      files = planFolderChanges({ sourceFiles, targetFiles, sourceFolder: source.folder, targetFolder: target.folder, exclude, selectDeletions: false });
      if (request.fieldLevel !== false) history = await valueHistory(repo, files, source.commit, target.commit);
    } else {
      imageFiles = await imagePairs(repo, sourceFiles, targetFiles, source.folder, target.folder);
    }
  }
  if (files.length) {
    blobs = await readBlobTexts(repo, files.flatMap((f) => [f.beforeBlob, f.afterBlob].filter((b): b is string => b !== null)));
  }
  return buildPromotionPlan({
    kind: 'promotion',
    layout,
    source: planSide(source, sourceTree),
    target: planSide(target, targetTree),
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

/** Folder layouts: the source folder's commits not yet reflected in the target folder. */
async function pendingForFolders(repo: GitRepository, source: ResolvedSide, target: ResolvedSide, limit: number): Promise<{ commits: PromotionPlan['commits']; total: number }> {
  const paths = source.folder ? [source.folder] : undefined;
  if (source.commit !== target.commit) return repo.pendingCommits(source.commit, target.commit, { paths, limit });
  // One branch: the source folder's changes since the target folder last changed.
  const lastHere = await repo.headCommit(target.commit, target.folder || undefined);
  return repo.pendingCommits(source.commit, lastHere ? lastHere.sha : null, { paths, limit });
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
