// Gathers a rollback plan: the environment's folder (or whole branch) as it was at an earlier
// commit of its history, compared with its state now. Executed like a folder promotion whose
// source is that commit: the tree is restored in one new commit (no `git revert` sequence, so
// merges and conflicting reverts cannot stop it), and the commits it undoes are listed.
import type { HostOverrides } from '../../core/hostKind';
import type { PromotionConfig } from '../../core/config';
import { environmentPaths, type Environment } from '../../core/model';
import { buildPromotionPlan, type PlanSelection } from '../../core/promotion/buildPlan';
import { environmentFileRole, environmentsSharingFolder } from '../../core/promotion/environmentFiles';
import { resolveRollbackEnvironment } from '../../core/promotion/environmentPair';
import { planFolderChanges, relativeTo, type TreeFile } from '../../core/promotion/fileChanges';
import { PromotionError } from '../../core/promotion/promotionError';
import { shortSha } from '../../core/promotion/promotionNames';
import type { PromotionPlan } from '../../core/promotion/promotionTypes';
import { GitError } from '../gitError';
import type { GitRepository } from '../gitRepository';
import { isAncestor, listFolder, readBlobTexts } from './promotionGit';
import { remoteHost } from './remoteHost';
import { resolveSide, sideContext } from './resolveSides';

export interface RollbackRequest {
  environments: readonly Environment[];
  /** The environment to roll back. */
  environment: string;
  /** Commit (sha, short sha or ref) whose state the environment returns to. */
  to: string;
  /** Labels and reviewers come from gitops.yaml `promotion`; `rollback` is always added. */
  promotion?: PromotionConfig;
  hostOverrides?: HostOverrides;
  driftState?: string | null;
  selection?: PlanSelection;
  commitLimit?: number;
  maxBodyChars?: number;
}

async function resolveCommit(repo: GitRepository, ref: string): Promise<string | null> {
  try {
    return await repo.resolve(ref);
  } catch (error) {
    if (error instanceof GitError && error.code === 'unknownRef') return null;
    throw error;
  }
}

export async function planRollback(repo: GitRepository, request: RollbackRequest): Promise<PromotionPlan> {
  const environment = resolveRollbackEnvironment(request.environments, request.environment);
  const target = await resolveSide(repo, environment, 'target', await sideContext(repo));
  const commit = await resolveCommit(repo, request.to);
  if (!commit) {
    // In a shallow clone the commit may well exist, beyond the boundary.
    const fetch = (await repo.isShallow()) ? 'or, as this clone is shallow, fetch its history first (git fetch --unshallow)' : 'or fetch first';
    throw new PromotionError('unknownCommit', `"${request.to}" is not a commit in this repository`, `pick a commit from ${environment.name}'s history (git log ${target.ref}${target.folder ? ` -- ${target.folder}` : ''}), ${fetch}`);
  }
  if (!(await isAncestor(repo, commit, target.commit))) {
    throw new PromotionError('unknownCommit', `${shortSha(commit)} is not in the history of ${environment.name} (${target.ref})`, `pick a commit listed by git log ${target.ref}${target.folder ? ` -- ${target.folder}` : ''}`);
  }
  const folder = target.folder;
  // A branch of its own that holds every environment's folder (envs/<name>/ over a shared base/):
  // the environment reads its folder and the branch's shared files, so a rollback restores both —
  // the whole branch but the other environments' folders.
  const otherFolders = await otherFoldersOnOwnBranch(repo, request.environments, environment, target.commit);
  const scope = otherFolders ? '' : folder;
  const [pastTree, currentTree, host] = await Promise.all([
    repo.treeHash(commit, scope || undefined),
    repo.treeHash(target.commit, scope || undefined),
    remoteHost(repo, target.remote, request.hostOverrides),
  ]);
  // The folder at that commit: the tree just read, unless the scope is the whole branch.
  if (folder && !(scope === folder ? pastTree : await repo.treeHash(commit, folder))) {
    throw new PromotionError('unknownCommit', `Folder ${folder} of ${environment.name} did not exist at ${shortSha(commit)}`, 'pick a later commit');
  }
  const sameTree = pastTree === currentTree;
  // A folder other environments read too (one chart, a values file per environment): rolling back
  // prod restores prod's own files and the shared ones, never staging's values file.
  const others = otherFolders ? [] : environmentsSharingFolder(request.environments, environment, folder);
  const [pastFiles, currentFiles] = await Promise.all([
    sameTree ? Promise.resolve([]) : listFolder(repo, commit, scope),
    sameTree ? Promise.resolve([]) : listFolder(repo, target.commit, scope),
  ]);
  const othersFiles = new Set<string>();
  const keep = (file: TreeFile): boolean => {
    const other = otherFolders
      ? otherFolders.some((other) => relativeTo(other, file.path) !== null)
      : others.length > 0 && environmentFileRole(environment.name, others, folder, file.path).role === 'other';
    if (other) othersFiles.add(file.path);
    return !other;
  };
  const [pastKept, currentKept] = [pastFiles.filter(keep), currentFiles.filter(keep)];
  const paths = commitPaths(scope, (others.length || otherFolders) && !sameTree ? [...pastKept, ...currentKept] : null, othersFiles);
  // No own or shared file at all: an empty pathspec list would mean "every commit".
  const pending = paths?.length === 0 ? { commits: [], total: 0 } : await repo.pendingCommits(target.commit, commit, { paths, limit: request.commitLimit ?? 50 });
  // A rollback restores everything, pinned files included: the state of that commit is the point.
  const files = sameTree ? [] : planFolderChanges({ sourceFiles: pastKept, targetFiles: currentKept, sourceFolder: scope, targetFolder: scope, exclude: [], selectDeletions: true });
  const blobs = await readBlobTexts(repo, files.flatMap((f) => [f.beforeBlob, f.afterBlob].filter((b): b is string => b !== null)));
  const changedElsewhere = sameTree ? [] : changedOthersFiles(pastFiles, currentFiles, othersFiles);
  const notes = changedElsewhere.length ? [`${changedElsewhere.join(', ')} changed since ${shortSha(commit)} but belong${changedElsewhere.length === 1 ? 's' : ''} to other environments ${otherFolders ? `(their folders on ${target.branch})` : `reading ${folder}`}; a rollback of ${environment.name} leaves ${changedElsewhere.length === 1 ? 'it' : 'them'} alone`] : [];
  const plan = buildPromotionPlan({
    kind: 'rollback',
    layout: environment.branch && !folder ? 'branch' : 'folder',
    source: { environment: environment.name, ref: commit, commit, shortCommit: shortSha(commit), branch: target.branch, folder, tree: otherFolders ? null : pastTree, remote: target.remote, ...valuesOf(environment) },
    target: { environment: environment.name, ref: target.ref, commit: target.commit, shortCommit: shortSha(target.commit), branch: target.branch, folder, tree: otherFolders ? null : currentTree, remote: target.remote, ...valuesOf(environment) },
    commits: pending.commits,
    commitTotal: pending.total,
    files,
    blobs,
    labels: request.promotion?.labels,
    reviewers: request.promotion?.reviewers,
    host: { kind: host.host.kind, webUrl: host.host.webUrl },
    driftState: request.driftState,
    selection: request.selection,
    maxBodyChars: request.maxBodyChars,
    targetProtected: environment.protected,
    notes,
  });
  if (!plan.alreadyInSync || changedElsewhere.length === 0) return plan;
  // The trees differ, but only in other environments' files: the environment is already there.
  return { ...plan, syncReason: `${environment.name} is already at its state of ${shortSha(commit)}: the commits since then changed only other environments' files (${changedElsewhere.join(', ')}); there is nothing to roll back` };
}

/** The environment's own Helm values files, for rendering the plan (PlanSide.valuesFiles). */
function valuesOf(environment: Environment): { valuesFiles?: string[] } {
  return environment.valuesFiles ? { valuesFiles: environment.valuesFiles } : {};
}

/**
 * The other environments' folders on `environment`'s branch, when that branch is its own (no other
 * environment reads it) and holds them (layout: a branch per environment, each with every
 * environment's folder); null otherwise.
 */
async function otherFoldersOnOwnBranch(repo: GitRepository, environments: readonly Environment[], environment: Environment, commit: string): Promise<string[] | null> {
  if (!environment.branch || !environment.path || environment.repo !== null) return null;
  const others = environments.filter((e) => e.name !== environment.name && e.repo === null);
  if (others.some((e) => e.branch === environment.branch)) return null;
  const folders = others.flatMap((e) => environmentPaths(e)).filter((f) => f !== '' && f !== environment.path);
  const present = await Promise.all(folders.map(async (f) => ((await repo.treeHash(commit, f)) !== null ? f : null)));
  const found = present.filter((f): f is string => f !== null);
  return found.length > 0 ? found : null;
}

/**
 * Pathspecs for the commits a rollback undoes: the folder, or — in a folder other environments
 * share — the environment's own and shared entries, so commits that touched only another
 * environment's values file are not listed. A top-level entry of the folder holding none of the
 * other environments' files is given whole (templates/), so a file added and removed since the
 * commit still counts.
 */
function commitPaths(folder: string, kept: readonly TreeFile[] | null, othersFiles: ReadonlySet<string>): string[] | undefined {
  if (kept === null) return folder ? [folder] : undefined;
  const prefix = folder ? `${folder}/` : '';
  const topOf = (path: string): string => {
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    return slash < 0 ? path : `${prefix}${rest.slice(0, slash)}`;
  };
  const mixed = new Set([...othersFiles].map(topOf));
  const paths = new Set<string>();
  for (const file of kept) {
    const top = topOf(file.path);
    paths.add(mixed.has(top) ? file.path : top);
  }
  return [...paths].sort();
}

/** Other environments' files that differ between the two listings, sorted. */
function changedOthersFiles(past: readonly TreeFile[], current: readonly TreeFile[], othersFiles: ReadonlySet<string>): string[] {
  const before = new Map(past.map((f) => [f.path, `${f.mode} ${f.blob}`]));
  const after = new Map(current.map((f) => [f.path, `${f.mode} ${f.blob}`]));
  return [...othersFiles].filter((p) => before.get(p) !== after.get(p)).sort();
}
