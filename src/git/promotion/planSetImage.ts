// Gathers a set-image plan from Git: the environment's folders (one per application, or the whole
// branch) at the head of its branch, the image references there that name the image, and the
// edited texts. The plan is a promotion plan in the image layout whose "source" is the edited
// text, so it is printed, checked for downgrades and executed (temporary worktree, push, pull
// request) exactly as an image promotion is. Read-only: nothing is checked out or written.
import type { HostOverrides } from '../../core/hostKind';
import type { PromotionConfig } from '../../core/config';
import { environmentPaths, type Environment } from '../../core/model';
import { buildPromotionPlan, type ImageFileInput } from '../../core/promotion/buildPlan';
import { environmentsSharingFolder } from '../../core/promotion/environmentFiles';
import { resolveRollbackEnvironment } from '../../core/promotion/environmentPair';
import { shortSha } from '../../core/promotion/promotionNames';
import type { PlanSide, PromotionPlan } from '../../core/promotion/promotionTypes';
import { fileDiff, summarizeFiles } from '../../core/promotion/planFileDiffs';
import { PromotionError } from '../../core/promotion/promotionError';
import { DEFAULT_MAX_BODY_CHARS, renderPullRequestBody } from '../../core/promotion/prBody';
import {
  addedKustomizeEntry,
  filesUseImage,
  ImageNotUsedError,
  imagesUsed,
  imageVersionLabel,
  isKustomizationFile,
  kustomizationIncludes,
  planEnvironmentFolderEdits,
  setImageBranchName,
  setImageTitle,
  type RequestedImage,
  type SetImageFile,
} from '../../core/promotion/setImagePlan';
import type { GitRepository } from '../gitRepository';
import { listFolder, readBlobTexts } from './promotionGit';
import { remoteHost } from './remoteHost';
import { resolveSide, sideContext } from './resolveSides';

export interface SetImageRequest {
  environments: readonly Environment[];
  environment: string;
  image: RequestedImage;
  promotion?: PromotionConfig;
  hostOverrides?: HostOverrides;
  maxBodyChars?: number;
}

const YAML_FILE = /(\.ya?ml|(^|\/)Kustomization)$/;

function within(folder: string, path: string): boolean {
  return folder === '' || path === folder || path.startsWith(`${folder}/`);
}

export async function planSetImage(repo: GitRepository, request: SetImageRequest): Promise<PromotionPlan> {
  const environment = resolveRollbackEnvironment(request.environments, request.environment);
  const image = request.image;
  const target = await resolveSide(repo, environment, 'target', await sideContext(repo));
  const folders = environmentPaths(environment);
  const roots = folders.length ? folders : [''];
  const [listings, host] = await Promise.all([Promise.all(roots.map((folder) => listFolder(repo, target.commit, folder))), remoteHost(repo, target.remote, request.hostOverrides)]);
  const yaml = listings.map((files) => files.filter((f) => YAML_FILE.test(f.path)));
  const texts = await readBlobTexts(repo, yaml.flat().map((f) => f.blob));
  const byFolder = roots.map((folder, i) => ({
    folder,
    files: yaml[i].flatMap((f): Array<SetImageFile & { blob: string; mode: string }> => {
      const text = texts.get(f.blob);
      return text === undefined || !within(folder, f.path) ? [] : [{ path: f.path, text, blob: f.blob, mode: f.mode }];
    }),
  }));

  const imageFiles: ImageFileInput[] = [];
  const notes: string[] = [];
  /** Files whose plan starts from a text with a new `images:` item: their diff is redone from the real text. */
  const addedEntries = new Map<string, { original: string; after: string }>();
  const baseFiles: SetImageFile[] = [];
  let matched = 0;
  for (const { folder, files: all } of byFolder) {
    // A folder other environments read too (one chart, a values file per environment): only this
    // environment's own files and the shared ones are candidates, and the shared ones only to refuse.
    const others = environmentsSharingFolder(request.environments, environment, folder);
    const edits = planEnvironmentFolderEdits(all, image, others.length ? { environment: environment.name, others, folder } : null);
    const files = all.filter((f) => edits.considered.some((c) => c.path === f.path));
    notes.push(...edits.notes);
    matched += edits.matches.length;
    const kustomization = edits.matches.length === 0 && others.length === 0 ? files.find((f) => isKustomizationFile(f.path) && f.path.slice(0, f.path.lastIndexOf('/') + 1) === (folder ? `${folder}/` : '')) : undefined;
    if (kustomization) {
      const included = await includedFiles(repo, target.commit, kustomization, folder);
      baseFiles.push(...included.files);
      if (filesUseImage(included.files, image)) {
        const added = addedKustomizeEntry(kustomization, image);
        if (!added) {
          throw new PromotionError('failed', `${kustomization.path}: its images: list cannot be extended in place`, `add "- name: ${image.name}" with newTag/digest to it by hand`);
        }
        matched += 1;
        notes.push(`${kustomization.path}: added an images: entry for ${image.name} (the image comes from ${included.from.join(', ')}, which this kustomization includes)`);
        addedEntries.set(kustomization.path, { original: kustomization.text, after: added.after });
        imageFiles.push({ sourcePath: kustomization.path, targetPath: kustomization.path, sourceText: added.after, targetText: added.withEntry, targetBlob: kustomization.blob, targetMode: kustomization.mode });
        continue;
      }
    }
    if (edits.via === 'kustomize') notes.push(`${folder || '/'}: the kustomize images: entry is set (${edits.matches.map((m) => `${m.file}:${m.line}`).join(', ')}); it applies to every container using ${image.name}`);
    else if (edits.via === 'fields') notes.push(`${folder || '/'}: ${edits.matches.length} image field(s) naming ${image.name} are set in place`);
    for (const e of edits.edited) {
      const file = files.find((f) => f.path === e.path);
      if (!file) continue;
      imageFiles.push({ sourcePath: e.path, targetPath: e.path, sourceText: e.after, targetText: e.before, targetBlob: file.blob, targetMode: file.mode });
    }
  }
  if (matched === 0) throw new ImageNotUsedError(environment.name, image.name, imagesUsed([...byFolder.flatMap((f) => f.files), ...baseFiles]));

  const folder = roots.length === 1 ? roots[0] : '';
  const tree = folder ? await repo.treeHash(target.commit, folder) : null;
  const targetSide: PlanSide = { environment: environment.name, ref: target.ref, commit: target.commit, shortCommit: shortSha(target.commit), branch: target.branch, folder, tree, remote: target.remote };
  if (environment.valuesFiles) targetSide.valuesFiles = environment.valuesFiles;
  // The "source" is the same commit with the edits on top; its tree is unknown (null) so the plan
  // is never taken for "already the same files".
  const sourceSide: PlanSide = { ...targetSide, ref: image.reference, tree: null };
  if (target.unpushed > 0) notes.push(`${target.unpushed} local commit(s) on ${target.branch} are not on ${target.ref} and are not part of this change`);
  const plan = buildPromotionPlan({
    kind: 'promotion',
    layout: 'image',
    source: sourceSide,
    target: targetSide,
    commits: [],
    commitTotal: 0,
    imageFiles,
    labels: request.promotion?.labels,
    reviewers: request.promotion?.reviewers,
    host: { kind: host.host.kind, webUrl: host.host.webUrl },
    notes,
    maxBodyChars: request.maxBodyChars,
    targetProtected: environment.protected,
  });
  // The added entry's file: its diff against the text really committed, not the starting point.
  const files = plan.files.map((file) => {
    const added = addedEntries.get(file.path);
    if (!added) return file;
    const { diff: _diff, diffTruncated: _cut, binary: _binary, insertions: _ins, deletions: _del, ...draft } = file;
    return fileDiff(draft, added.original, added.after);
  });
  const alreadyInSync = plan.images.length === 0;
  const next: PromotionPlan = {
    ...plan,
    files,
    diff: summarizeFiles(files),
    headBranch: setImageBranchName(environment.name, image),
    title: setImageTitle(environment.name, image),
    alreadyInSync,
    syncReason: alreadyInSync ? `${environment.name} already uses ${image.name} at ${imageVersionLabel(image)}; there is nothing to change` : null,
  };
  // The promotion's body, with its first sentence saying what this change is.
  const body = renderPullRequestBody(next, request.maxBodyChars ?? DEFAULT_MAX_BODY_CHARS);
  return { ...next, body: body.replace(/^Promotes \*\*.*$/m, () => `Sets image \`${image.reference}\` in **${environment.name}** (requested by the application's build).`) };
}

/** Most kustomizations followed through their includes: a base of a base of a base is plenty. */
const MAX_INCLUDES = 20;

/**
 * The YAML files a folder's kustomization brings in from outside the folder (bases, components,
 * single resource files), following their own kustomizations, at `commit`.
 */
async function includedFiles(repo: GitRepository, commit: string, kustomization: SetImageFile, folder: string): Promise<{ files: SetImageFile[]; from: string[] }> {
  const queue = kustomizationIncludes(kustomization.text, kustomization.path).filter((p) => !within(folder, p));
  const from = [...queue];
  const seen = new Set<string>(queue);
  const files: SetImageFile[] = [];
  const read = new Set<string>();
  while (queue.length && seen.size <= MAX_INCLUDES) {
    const path = queue.shift() as string;
    const listing = (await listFolder(repo, commit, path)).filter((f) => YAML_FILE.test(f.path) && !read.has(f.path) && !within(folder, f.path));
    const texts = await readBlobTexts(repo, listing.map((f) => f.blob));
    for (const entry of listing) {
      const text = texts.get(entry.blob);
      if (text === undefined) continue;
      read.add(entry.path);
      files.push({ path: entry.path, text });
      if (!isKustomizationFile(entry.path)) continue;
      for (const next of kustomizationIncludes(text, entry.path)) {
        if (seen.has(next) || within(folder, next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return { files, from };
}
