// Assembles the plan from what the git layer gathered: file changes with their diffs, image
// edits, the summary, the names and the PR text. `reselectPlan` recomputes everything that
// depends on the ticks, so the preview can tick and untick files without going back to Git.
import type { CommitInfo, HostKind } from '../model';
import { applyImageChanges, planImageChanges, type ImageFilePair } from './imageChanges';
import { looksBinary, unifiedDiff } from './lineDiff';
import { promotionBranchName, promotionTitle, rollbackBranchName, rollbackTitle } from './promotionNames';
import { DEFAULT_MAX_BODY_CHARS, renderPullRequestBody } from './prBody';
import type { FileChangeDraft } from './fileChanges';
import type { RenderedDiff } from './renderedDiff';
import type { ChainLink, DiffSummary, ImageChange, PlanKind, PlanSide, PlannedFileChange, PromotionLayout, PromotionPlan } from './promotionTypes';

/** Per-file diff text kept in the plan; the PR body trims the total further. */
const MAX_FILE_DIFF_CHARS = 100_000;
const MAX_PLAN_DIFF_CHARS = 1_000_000;
/**
 * `kind: Secret` anywhere in a file: a plain manifest, an item of a `kind: List`, JSON, YAML flow
 * style. A false positive only hides a diff; a miss shows Secret values.
 */
const SECRET_KIND = /(?:^|[\s{,])["']?kind["']?\s*:\s*["']?Secret["']?\s*(?:[,}#]|$)/m;
/** A kustomization generating Secrets holds their `literals`. */
const SECRET_GENERATOR = /^\s*["']?secretGenerator["']?\s*:/m;

function holdsSecrets(text: string | null): boolean {
  return text !== null && (SECRET_KIND.test(text) || SECRET_GENERATOR.test(text));
}

export interface PlanSelection {
  /** Target path → ticked. */
  files?: Readonly<Record<string, boolean>>;
  /** Image change id → ticked. */
  images?: Readonly<Record<string, boolean>>;
}

export interface ImageFileInput extends ImageFilePair {
  /** Blob id and mode of the target file (the file is edited, not replaced). */
  targetBlob: string;
  targetMode: string;
}

export interface PlanInput {
  kind: PlanKind;
  layout: PromotionLayout;
  source: PlanSide;
  target: PlanSide;
  commits: CommitInfo[];
  commitTotal: number;
  /** Folder and branch layouts, rollbacks. */
  files?: FileChangeDraft[];
  /** Text of the blobs `files` name; a blob missing here is shown as binary. */
  blobs?: ReadonlyMap<string, string>;
  /** Image layout: the corresponding files of both sides. */
  imageFiles?: ImageFileInput[];
  labels?: readonly string[];
  reviewers?: readonly string[];
  host: { kind: HostKind; webUrl: string | null };
  driftState?: string | null;
  chain?: ChainLink[];
  notes?: string[];
  selection?: PlanSelection;
  maxBodyChars?: number;
  /** The target environment is protected (gitops.yaml `protected: true`). */
  targetProtected?: boolean;
}

function withDiff(draft: FileChangeDraft, blobs: ReadonlyMap<string, string>): PlannedFileChange {
  const before = draft.beforeBlob === null ? null : blobs.get(draft.beforeBlob);
  const after = draft.afterBlob === null ? null : blobs.get(draft.afterBlob);
  if (before === undefined || after === undefined || (before !== null && looksBinary(before)) || (after !== null && looksBinary(after))) {
    return { ...draft, diff: '', diffTruncated: false, binary: true, insertions: 0, deletions: 0 };
  }
  return fileDiff(draft, before, after);
}

function fileDiff(draft: FileChangeDraft, before: string | null, after: string | null): PlannedFileChange {
  const result = unifiedDiff(draft.path, before, after, { maxChars: MAX_FILE_DIFF_CHARS });
  // Secret manifests keep their counts but never show their lines, in the preview or the PR body.
  const secret = holdsSecrets(before) || holdsSecrets(after);
  const text = secret ? `--- a/${draft.path}\n+++ b/${draft.path}\n(Secret manifest: ${result.insertions + result.deletions} changed lines not shown)\n` : result.text;
  return { ...draft, diff: text, diffTruncated: result.truncated, binary: false, insertions: result.insertions, deletions: result.deletions };
}

function summarize(files: readonly PlannedFileChange[]): DiffSummary {
  const selected = files.filter((f) => f.selected);
  let text = '';
  let truncated = false;
  for (const file of selected) {
    const piece = file.binary ? `Binary file ${file.path} ${file.action === 'add' ? 'added' : file.action === 'delete' ? 'deleted' : 'changed'}\n` : file.diff;
    if (text.length + piece.length > MAX_PLAN_DIFF_CHARS) {
      truncated = true;
      break;
    }
    text += piece;
    truncated ||= file.diffTruncated;
  }
  return {
    files: selected.length,
    insertions: selected.reduce((n, f) => n + f.insertions, 0),
    deletions: selected.reduce((n, f) => n + f.deletions, 0),
    text,
    truncated,
  };
}

/** Image layout: one `modify` per edited file, its diff from the selected edits. */
function imageFileChanges(images: readonly ImageChange[], targets: ReadonlyArray<{ path: string; text: string; blob: string; mode: string; sourcePath: string }>, notes: string[]): PlannedFileChange[] {
  const files: PlannedFileChange[] = [];
  for (const target of targets) {
    const mine = images.filter((i) => i.file === target.path);
    if (mine.length === 0) continue;
    const { text, failed } = applyImageChanges(target.text, mine);
    for (const image of failed) notes.push(`${image.file}:${image.line}: cannot edit ${image.field} of ${image.name} in place; change it by hand`);
    const draft: FileChangeDraft = {
      path: target.path,
      sourcePath: target.sourcePath,
      action: 'modify',
      excluded: false,
      excludedBy: null,
      selected: mine.some((i) => i.selected),
      beforeBlob: target.blob,
      afterBlob: null,
      mode: target.mode,
    };
    files.push(fileDiff(draft, target.text, text));
  }
  return files;
}

function syncReason(plan: Pick<PromotionPlan, 'kind' | 'layout' | 'from' | 'to' | 'source' | 'target' | 'files' | 'images' | 'commits' | 'commitTotal'>): string | null {
  const { from, to } = plan;
  if (plan.kind === 'rollback') {
    return plan.files.length === 0 ? `${to} already matches ${plan.source.shortCommit}; there is nothing to roll back` : null;
  }
  if (plan.layout !== 'branch' && plan.source.tree !== null && plan.source.tree === plan.target.tree) {
    return `${from} and ${to} already hold the same files (tree ${plan.source.tree.slice(0, 7)}); there is nothing to promote`;
  }
  if (plan.layout === 'image') return plan.images.length === 0 ? `${to} already uses the same images as ${from}; there is nothing to promote` : null;
  if (plan.layout === 'branch') {
    return plan.files.length === 0 && plan.commitTotal === 0 ? `${to} already contains every commit of ${from}; there is nothing to promote` : null;
  }
  return plan.files.length === 0 ? `${from} and ${to} hold the same files; there is nothing to promote` : null;
}

/** Builds the plan. Pure and synchronous: the benchmark's 10 × 300 files stay well under a second. */
export function buildPromotionPlan(input: PlanInput): PromotionPlan {
  const notes = [...(input.notes ?? [])];
  let files: PlannedFileChange[];
  let images: ImageChange[] = [];
  let imageTargets: PromotionPlan['imageTargets'] = [];
  if (input.layout === 'image') {
    const pairs = input.imageFiles ?? [];
    const planned = planImageChanges(pairs);
    images = planned.changes.map((c) => ({ ...c, selected: input.selection?.images?.[c.id] ?? c.selected }));
    notes.push(...planned.notes);
    const withChanges = pairs.filter((p) => images.some((i) => i.file === p.targetPath));
    imageTargets = withChanges.map((p) => ({ path: p.targetPath, text: p.targetText }));
    files = imageFileChanges(
      images,
      withChanges.map((p) => ({ path: p.targetPath, text: p.targetText, blob: p.targetBlob, mode: p.targetMode, sourcePath: p.sourcePath })),
      notes,
    );
  } else {
    const blobs = input.blobs ?? new Map<string, string>();
    files = (input.files ?? []).map((draft) => withDiff({ ...draft, selected: input.selection?.files?.[draft.path] ?? draft.selected }, blobs));
  }
  const rollback = input.kind === 'rollback';
  const base = {
    version: 1 as const,
    kind: input.kind,
    from: input.source.environment,
    to: input.target.environment,
    layout: input.layout,
    source: input.source,
    target: input.target,
    commits: input.commits,
    commitTotal: input.commitTotal,
    files,
    images,
    imageTargets,
    notes,
    headBranch: rollback ? rollbackBranchName(input.target.environment, input.source.commit) : promotionBranchName(input.source.environment, input.target.environment, input.source.commit),
    title: rollback ? rollbackTitle(input.target.environment, input.source.commit) : promotionTitle(input.source.environment, input.target.environment, input.source.commit),
    labels: [...(input.labels ?? []), ...(rollback && !(input.labels ?? []).includes('rollback') ? ['rollback'] : [])],
    reviewers: [...(input.reviewers ?? [])],
    chain: input.chain ?? [],
    rollbackTo: rollback ? input.source.commit : null,
    host: input.host,
    driftState: input.driftState ?? null,
    rendered: null,
    targetProtected: input.targetProtected === true,
  };
  const reason = syncReason(base);
  const plan: PromotionPlan = { ...base, diff: summarize(files), alreadyInSync: reason !== null, syncReason: reason, body: '' };
  plan.body = renderPullRequestBody(plan, input.maxBodyChars ?? DEFAULT_MAX_BODY_CHARS);
  return plan;
}

/**
 * The plan with new ticks (from the preview): file and image selections, diff summary and body
 * recomputed. In image mode, ticking a file ticks all of its images.
 */
export function reselectPlan(plan: PromotionPlan, selection: PlanSelection, maxBodyChars = DEFAULT_MAX_BODY_CHARS): PromotionPlan {
  let files: PlannedFileChange[];
  let images = plan.images;
  const notes = plan.notes.filter((n) => !n.includes('in place; change it by hand'));
  if (plan.layout === 'image') {
    images = plan.images.map((image) => ({ ...image, selected: selection.images?.[image.id] ?? selection.files?.[image.file] ?? image.selected }));
    files = imageFileChanges(
      images,
      plan.imageTargets.map((t) => {
        const old = plan.files.find((f) => f.path === t.path);
        return { ...t, blob: old?.beforeBlob ?? '', mode: old?.mode ?? '100644', sourcePath: old?.sourcePath ?? t.path };
      }),
      notes,
    );
  } else {
    files = plan.files.map((file) => ({ ...file, selected: selection.files?.[file.path] ?? file.selected }));
  }
  const next: PromotionPlan = { ...plan, files, images, notes, diff: summarize(files) };
  next.body = renderPullRequestBody(next, maxBodyChars);
  return next;
}

/** The plan with the rendered before → after comparison of the target (renderPlanChange) added to it and to its body. */
export function withRenderedDiff(plan: PromotionPlan, rendered: RenderedDiff, maxBodyChars = DEFAULT_MAX_BODY_CHARS): PromotionPlan {
  const next: PromotionPlan = { ...plan, rendered };
  next.body = renderPullRequestBody(next, maxBodyChars);
  return next;
}

/** Overrides the title or body the user edited in the preview (kept verbatim, secrets masked by the caller). */
export function withPullRequestText(plan: PromotionPlan, text: { title?: string; body?: string }): PromotionPlan {
  return { ...plan, title: text.title?.trim() || plan.title, body: text.body ?? plan.body };
}
