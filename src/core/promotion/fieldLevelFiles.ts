// Folder promotions value by value, assembled into file changes: YAML files present on both sides
// become value lists whose ticked values are written into the target's text; everything else stays
// a whole-file change. Also the merge's image and chart values for branch promotions' checks.
import type { FileChangeDraft } from './fileChanges';
import { applyValueChanges, fieldContext, isYamlPath, planFieldFile, type FieldContext } from './fieldPlan';
import { looksBinary } from './lineDiff';
import { fileDiff, holdsSecrets, withDiff } from './planFileDiffs';
import type { PlanSide, PlannedFileChange, PromotionPlan, ValueChange } from './promotionTypes';

/** Ticks that apply to field-level files: a value's own tick wins over its file's. */
export interface FieldSelection {
  files?: Readonly<Record<string, boolean>>;
  values?: Readonly<Record<string, boolean>>;
}

export interface MergedValuesInput {
  source: PlanSide;
  target: PlanSide;
  files?: readonly FileChangeDraft[];
  blobs?: ReadonlyMap<string, string>;
  mergeBaseTexts?: ReadonlyMap<string, string>;
}

export interface FieldFiles {
  files: PlannedFileChange[];
  values: ValueChange[];
  valueTargets: Array<{ path: string; text: string }>;
  aheadValues: string[];
}

/** The selected values written into one target text, as a file change with its diff. */
export function fieldFileChange(draft: FileChangeDraft, targetText: string, values: readonly ValueChange[], notes: string[], parse?: FieldContext['parse']): PlannedFileChange {
  const selected = values.some((v) => v.selected);
  // An unticked file shows what ticking it would bring, as whole-file changes do.
  const { text, failed } = applyValueChanges(targetText, selected ? values : values.map((v) => ({ ...v, selected: true })), parse?.(targetText));
  if (selected) for (const value of failed) notes.push(`${value.file}:${value.line}: cannot write ${value.path} in place; change it by hand`);
  return fileDiff({ ...draft, fieldLevel: true, selected }, targetText, text);
}

/**
 * Folder promotions: YAML files on both sides become value lists; the rest stay whole-file
 * changes. A file whose values all agree (only comments or layout differ) is left alone.
 */
export function fieldLevelFiles(drafts: readonly FileChangeDraft[], blobs: ReadonlyMap<string, string>, context: FieldContext, selection: FieldSelection | undefined, notes: string[]): FieldFiles {
  const out: FieldFiles = { files: [], values: [], valueTargets: [], aheadValues: [] };
  let layoutOnly = 0;
  for (const draft of drafts) {
    const before = draft.beforeBlob === null ? undefined : blobs.get(draft.beforeBlob);
    const after = draft.afterBlob === null ? undefined : blobs.get(draft.afterBlob);
    const eligible = draft.action === 'modify' && draft.sourcePath !== null && isYamlPath(draft.path) && before !== undefined && after !== undefined && !looksBinary(before) && !looksBinary(after) && !holdsSecrets(before) && !holdsSecrets(after);
    const planned = eligible ? planFieldFile({ targetPath: draft.path, sourcePath: draft.sourcePath as string, sourceText: after as string, targetText: before as string, excludedBy: draft.excludedBy }, context) : null;
    if (!planned) {
      if (eligible) notes.push(`${draft.path}: not compared value by value (a whole object is added or removed, or a value cannot be written in place); the whole file is shown`);
      out.files.push(withDiff({ ...draft, selected: selection?.files?.[draft.path] ?? draft.selected }, blobs));
      continue;
    }
    if (planned.values.length === 0) {
      layoutOnly++;
      continue;
    }
    const values = planned.values.map((v) => ({ ...v, selected: selection?.values?.[v.id] ?? selection?.files?.[v.file] ?? v.selected }));
    out.values.push(...values);
    out.aheadValues.push(...planned.targetAhead.map((v) => v.id));
    out.valueTargets.push({ path: draft.path, text: before as string });
    out.files.push(fieldFileChange(draft, before as string, values, notes, context.parse));
  }
  if (layoutOnly > 0) notes.push(`${layoutOnly} YAML file(s) differ only in comments or layout, not in values; they are left as they are`);
  return out;
}

/**
 * Branch layout: what the merge brings to image tags and chart versions (merge base → source),
 * so a source that went back to an older version is caught like in folder promotions.
 */
export function mergedValues(input: MergedValuesInput): ValueChange[] {
  const bases = input.mergeBaseTexts;
  const blobs = input.blobs;
  if (!bases || !blobs) return [];
  const context = fieldContext(input.source, input.target, [], null);
  const out: ValueChange[] = [];
  for (const draft of input.files ?? []) {
    const base = bases.get(draft.path);
    const after = draft.afterBlob === null ? undefined : blobs.get(draft.afterBlob);
    if (draft.action !== 'modify' || base === undefined || after === undefined || !isYamlPath(draft.path)) continue;
    const planned = planFieldFile({ targetPath: draft.path, sourcePath: draft.path, sourceText: after, targetText: base, excludedBy: null }, context);
    if (planned) out.push(...planned.values.filter((v) => v.reason === 'image' || v.reason === 'chart version'));
  }
  return out;
}

/** The new text of a field-level file: its target text with the plan's selected values written; null for other files. */
export function fieldLevelText(plan: Pick<PromotionPlan, 'valueTargets' | 'values'>, path: string): string | null {
  const target = plan.valueTargets.find((t) => t.path === path);
  return target ? applyValueChanges(target.text, plan.values.filter((v) => v.file === path)).text : null;
}
