// Image mode: which image names, tags and digests differ between the source's files and the
// target's, and the in-place edits that bring the target's values to the source's. Everything
// else in the target's files (replicas, resources, per-environment settings) stays untouched.
import { MAX_EDITED_MANIFEST_BYTES } from '../manifest';
import { applyImageEdits, type ImageEdit } from './imageEdits';
import { scanImages, type ImageHolder, type ImageRef } from './imageRefs';
import type { ImageChange } from './promotionTypes';

export interface ImageFilePair {
  sourcePath: string;
  targetPath: string;
  sourceText: string;
  targetText: string;
}

function change(pair: ImageFilePair, key: string, fields: Omit<ImageChange, 'id' | 'file' | 'sourceFile' | 'selected'>): ImageChange {
  return { id: `${pair.targetPath}#${key}`, file: pair.targetPath, sourceFile: pair.sourcePath, selected: true, ...fields };
}

function holderChanges(pair: ImageFilePair, source: ImageHolder, target: ImageHolder): ImageChange[] {
  const out: ImageChange[] = [];
  for (const field of target.allowed) {
    const s: ImageRef | undefined = source.fields[field];
    const t: ImageRef | undefined = target.fields[field];
    if (!s && !t) continue;
    if (s && t && s.value === t.value) continue;
    out.push(
      change(pair, `${target.key}:${field}`, {
        pointer: t ? t.pointer : `${target.pointer}/${field}`,
        docIndex: target.docIndex,
        line: t ? t.line : target.line,
        kind: target.kind,
        field,
        name: target.name,
        from: t ? t.value : null,
        to: s ? s.value : null,
      }),
    );
  }
  return out;
}

/** Image differences between corresponding files. `notes` names images found on one side only. */
export function planImageChanges(pairs: readonly ImageFilePair[]): { changes: ImageChange[]; notes: string[] } {
  const changes: ImageChange[] = [];
  const notes: string[] = [];
  for (const pair of pairs) {
    // A larger file would take the YAML parser many seconds.
    if (pair.sourceText.length > MAX_EDITED_MANIFEST_BYTES || pair.targetText.length > MAX_EDITED_MANIFEST_BYTES) {
      notes.push(`${pair.sourcePath}: over ${MAX_EDITED_MANIFEST_BYTES / 1048576} MB; its images are not compared, change them by hand`);
      continue;
    }
    const source = scanImages(pair.sourceText, pair.sourcePath);
    const target = scanImages(pair.targetText, pair.targetPath);
    const targetRefs = new Map(target.refs.map((r) => [r.key, r]));
    for (const s of source.refs) {
      const t = targetRefs.get(s.key);
      if (!t) {
        notes.push(`${pair.sourcePath}:${s.line}: image ${s.name} has no counterpart in ${pair.targetPath}; it is not promoted`);
        continue;
      }
      if (t.value === s.value) continue;
      changes.push(change(pair, t.key, { pointer: t.pointer, docIndex: t.docIndex, line: t.line, kind: t.kind, field: t.field, name: t.name, from: t.value, to: s.value }));
    }
    const targetHolders = new Map(target.holders.map((h) => [h.key, h]));
    for (const s of source.holders) {
      const t = targetHolders.get(s.key);
      if (!t) {
        notes.push(`${pair.sourcePath}:${s.line}: image ${s.name} has no counterpart in ${pair.targetPath}; it is not promoted`);
        continue;
      }
      changes.push(...holderChanges(pair, s, t));
    }
  }
  return { changes, notes };
}

/** The edit that performs one change. */
export function imageEditFor(change: ImageChange): ImageEdit {
  if (change.from === null) return { docIndex: change.docIndex, pointer: change.pointer, op: 'add', value: change.to ?? '' };
  if (change.to === null) return { docIndex: change.docIndex, pointer: change.pointer, op: 'remove' };
  return { docIndex: change.docIndex, pointer: change.pointer, op: 'set', value: change.to };
}

/**
 * The target file's new text with the selected changes applied. `failed` lists the changes that
 * could not be made in place.
 */
export function applyImageChanges(targetText: string, changes: readonly ImageChange[]): { text: string; failed: ImageChange[] } {
  const selected = changes.filter((c) => c.selected);
  const edits = selected.map(imageEditFor);
  const result = applyImageEdits(targetText, edits);
  const failedEdits = new Set(result.failed);
  return { text: result.text, failed: selected.filter((_, i) => failedEdits.has(edits[i])) };
}
