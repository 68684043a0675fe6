// Assembles the plan from what the git layer gathered: file changes with their diffs, image
// edits, the summary, the names and the PR text. `reselectPlan` recomputes everything that
// depends on the ticks, so the preview can tick and untick files without going back to Git.
import type { CommitInfo, HostKind } from '../model';
import { applyImageChanges, planImageChanges, type ImageFilePair } from './imageChanges';
import { promotionBranchName, promotionTitle, rollbackBranchName, rollbackTitle } from './promotionNames';
import { DEFAULT_MAX_BODY_CHARS, renderPullRequestBody } from './prBody';
import type { FileChangeDraft } from './fileChanges';
import type { RenderedDiff } from './renderedDiff';
import { fieldContext, type FileHistory } from './fieldPlan';
import { fieldFileChange, fieldLevelFiles, mergedValues } from './fieldLevelFiles';
import { fileDiff, summarizeFiles, withDiff } from './planFileDiffs';
import { planWarnings } from './safetyChecks';
import { parseKeepRules } from './valueClasses';
import type { ChainLink, ImageChange, PlanKind, PlanSide, PlanWarning, PlannedFileChange, PromotionLayout, PromotionPlan, ValueChange } from './promotionTypes';

export interface PlanSelection {
  /** Target path → ticked. */
  files?: Readonly<Record<string, boolean>>;
  /** Image change id → ticked. */
  images?: Readonly<Record<string, boolean>>;
  /** Value change id → ticked (field-level files). */
  values?: Readonly<Record<string, boolean>>;
  /** The user allows an identity change (the preview's tick, `--allow-identity-change`). */
  allowIdentityChange?: boolean;
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
  /** gitops.yaml `promotion.keep`: values never promoted (`spec.replicas`, `**\/app.yaml#data.MODE`). */
  keep?: readonly string[];
  /** Earlier versions of the files that differ, as evidence of what flowed; null/absent = no evidence. */
  history?: FileHistory | null;
  /** Branch layout: commits on the target the source lacks. */
  targetOnlyCommits?: number;
  /** Branch layout: texts at the merge base of the YAML files the merge changes (path → text). */
  mergeBaseTexts?: ReadonlyMap<string, string>;
  /** Folder promotions compare YAML files value by value (default true). */
  fieldLevel?: boolean;
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
  if (plan.layout === 'folder' && plan.files.length === 0) return `${from} and ${to} hold the same values; there is nothing to promote`;
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
  let values: ValueChange[] = [];
  let valueTargets: PromotionPlan['valueTargets'] = [];
  let aheadValues: string[] = [];
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
  } else if (input.layout === 'folder' && input.kind === 'promotion' && input.fieldLevel !== false) {
    const context = fieldContext(input.source, input.target, parseKeepRules(input.keep ?? []), input.history ?? null);
    const planned = fieldLevelFiles(input.files ?? [], input.blobs ?? new Map<string, string>(), context, input.selection, notes);
    ({ files, values, valueTargets, aheadValues } = planned);
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
    values,
    valueTargets,
    warnings: [] as PlanWarning[],
    allowIdentityChange: input.selection?.allowIdentityChange ?? false,
    checks: { aheadValues, targetOnlyCommits: input.targetOnlyCommits ?? 0, mergedValues: input.layout === 'branch' && input.kind === 'promotion' ? mergedValues(input) : [] },
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
  const plan: PromotionPlan = { ...base, diff: summarizeFiles(files), alreadyInSync: reason !== null, syncReason: reason, body: '' };
  plan.warnings = planWarnings(plan);
  plan.body = renderPullRequestBody(plan, input.maxBodyChars ?? DEFAULT_MAX_BODY_CHARS);
  return plan;
}

/**
 * The plan with new ticks (from the preview): file, image and value selections, the identity
 * change allowance, diff summary, warnings and body recomputed. Ticking a file ticks all of its
 * images (image mode) or values (field-level files); a value's own tick wins over its file's.
 */
export function reselectPlan(plan: PromotionPlan, selection: PlanSelection, maxBodyChars = DEFAULT_MAX_BODY_CHARS): PromotionPlan {
  let files: PlannedFileChange[];
  let images = plan.images;
  let values = plan.values;
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
    values = plan.values.map((value) => ({ ...value, selected: selection.values?.[value.id] ?? selection.files?.[value.file] ?? value.selected }));
    files = plan.files.map((file) => {
      const target = file.fieldLevel ? plan.valueTargets.find((t) => t.path === file.path) : undefined;
      if (!target) return { ...file, selected: selection.files?.[file.path] ?? file.selected };
      const { diff: _diff, diffTruncated: _cut, binary: _binary, insertions: _ins, deletions: _del, ...draft } = file;
      return fieldFileChange(draft, target.text, values.filter((v) => v.file === file.path), notes);
    });
  }
  const next: PromotionPlan = { ...plan, files, images, values, notes, allowIdentityChange: selection.allowIdentityChange ?? plan.allowIdentityChange, diff: summarizeFiles(files) };
  next.warnings = planWarnings(next);
  next.body = renderPullRequestBody(next, maxBodyChars);
  return next;
}

/** The plan with the rendered before → after comparison of the target (renderPlanChange) added to it and to its body. */
export function withRenderedDiff(plan: PromotionPlan, rendered: RenderedDiff, maxBodyChars = DEFAULT_MAX_BODY_CHARS): PromotionPlan {
  const next: PromotionPlan = { ...plan, rendered };
  next.warnings = planWarnings(next);
  next.body = renderPullRequestBody(next, maxBodyChars);
  return next;
}

/** Overrides the title or body the user edited in the preview (kept verbatim, secrets masked by the caller). */
export function withPullRequestText(plan: PromotionPlan, text: { title?: string; body?: string }): PromotionPlan {
  return { ...plan, title: text.title?.trim() || plan.title, body: text.body ?? plan.body };
}
