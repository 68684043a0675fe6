// The per-file diffs of a plan and their summary: what the preview, the CLI and the PR body show.
// Secret manifests keep their line counts but never show their lines.
import type { FileChangeDraft } from './fileChanges';
import { looksBinary, unifiedDiff } from './lineDiff';
import type { DiffSummary, PlannedFileChange } from './promotionTypes';

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

export function holdsSecrets(text: string | null): boolean {
  return text !== null && (SECRET_KIND.test(text) || SECRET_GENERATOR.test(text));
}

export function withDiff(draft: FileChangeDraft, blobs: ReadonlyMap<string, string>): PlannedFileChange {
  const before = draft.beforeBlob === null ? null : blobs.get(draft.beforeBlob);
  const after = draft.afterBlob === null ? null : blobs.get(draft.afterBlob);
  if (before === undefined || after === undefined || (before !== null && looksBinary(before)) || (after !== null && looksBinary(after))) {
    return { ...draft, diff: '', diffTruncated: false, binary: true, insertions: 0, deletions: 0 };
  }
  return fileDiff(draft, before, after);
}

export function fileDiff(draft: FileChangeDraft, before: string | null, after: string | null): PlannedFileChange {
  const result = unifiedDiff(draft.path, before, after, { maxChars: MAX_FILE_DIFF_CHARS });
  // Secret manifests keep their counts but never show their lines, in the preview or the PR body.
  const secret = holdsSecrets(before) || holdsSecrets(after);
  const text = secret ? `--- a/${draft.path}\n+++ b/${draft.path}\n(Secret manifest: ${result.insertions + result.deletions} changed lines not shown)\n` : result.text;
  return { ...draft, diff: text, diffTruncated: result.truncated, binary: false, insertions: result.insertions, deletions: result.deletions };
}

export function summarizeFiles(files: readonly PlannedFileChange[]): DiffSummary {
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
