// The strategic-merge patch an environment's own overlay needs to set one field: used by Accept
// Live when the line that sets the value sits in a file other environments use too (a base, a
// component). The patch names list items by merge key (never by index), is merged into the
// overlay's accept-live patch file when that exists, and is listed under the overlay's `patches:`.
import { isMap, isSeq, parseAllDocuments, stringify } from 'yaml';
import type { TextEdit } from '../acceptLive';
import { itemIdentity } from './mergeKeys';
import { parseSourceDocuments, scalarText } from './sourceTree';

/** The file (next to the overlay's kustomization) that collects accepted live values. */
export const ACCEPT_LIVE_PATCH = 'accept-live-patch.yaml';

export type PathStep = { key: string } | { item: Record<string, string | number> } | { index: number };

const NUMERIC_KEYS = /port$|Port$|^weight$/;

/** `spec.template.spec.containers[name=web].env[name=A].value` → steps; undefined when it cannot be read. */
export function readablePathSteps(path: string): PathStep[] | undefined {
  const steps: PathStep[] = [];
  const pattern = /\.?([A-Za-z_][A-Za-z0-9_-]*)|\[("(?:[^"\\]|\\.)*")\]|\[([^\]]*)\]/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(path)) !== null) {
    consumed = pattern.lastIndex;
    if (match[1] !== undefined) steps.push({ key: match[1] });
    else if (match[2] !== undefined) steps.push({ key: JSON.parse(match[2]) as string });
    else {
      const label = match[3];
      if (/^\d+$/.test(label)) steps.push({ index: Number(label) });
      else if (/^[^=,]+=[^,]*(,[^=,]+=[^,]*)*$/.test(label)) {
        const item: Record<string, string | number> = {};
        for (const pair of label.split(',')) {
          const [key, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
          item[key] = NUMERIC_KEYS.test(key) && /^\d+$/.test(value) ? Number(value) : value;
        }
        steps.push({ item });
      } else return undefined;
    }
    if (consumed === path.length) break;
  }
  return consumed === path.length ? steps : undefined;
}

export interface PatchSubject {
  apiVersion: string;
  kind: string;
  /** The name the overlay's kustomization sees (before its own namePrefix/nameSuffix). */
  name: string;
}

/** The patch document that sets `value` at `steps`, or the reason it cannot be written as a patch. */
export function patchFor(subject: PatchSubject, steps: readonly PathStep[], value: unknown): Record<string, unknown> | string {
  const first = steps[0];
  const second = steps[1];
  if (first && 'key' in first && first.key === 'metadata' && second && 'key' in second && (second.key === 'name' || second.key === 'namespace')) {
    return 'the name and namespace identify the object; a patch cannot set them';
  }
  const root: Record<string, unknown> = { apiVersion: subject.apiVersion, kind: subject.kind, metadata: { name: subject.name } };
  let current: Record<string, unknown> = root;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (!('key' in step)) return 'the path does not start with a field name';
    const next = steps[i + 1];
    if (!next) {
      current[step.key] = value;
      return root;
    }
    if ('index' in next) return `the field is inside ${step.key}, a list without a merge key: a patch would replace the whole list`;
    if ('item' in next) {
      if (i + 1 === steps.length - 1) return 'the value is a whole list item; accept its fields one by one';
      const item: Record<string, unknown> = { ...next.item };
      current[step.key] = [item];
      current = item;
      i++;
      continue;
    }
    const existing = current[step.key];
    const child: Record<string, unknown> = isRecord(existing) ? existing : {};
    current[step.key] = child;
    current = child;
  }
  return 'the path is empty';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Strategic merge of two patch documents (lists by merge key), `next` winning. */
function mergePatches(previous: unknown, next: unknown, field?: string): unknown {
  if (isRecord(previous) && isRecord(next)) {
    const out: Record<string, unknown> = { ...previous };
    for (const [key, value] of Object.entries(next)) out[key] = key in previous ? mergePatches(previous[key], value, key) : value;
    return out;
  }
  if (Array.isArray(previous) && Array.isArray(next)) {
    const out = [...previous];
    for (const item of next) {
      const identity = itemIdentity(field, item);
      const at = identity === undefined ? -1 : out.findIndex((existing) => itemIdentity(field, existing) === identity);
      if (at >= 0) out[at] = mergePatches(out[at], item);
      else out.push(item);
    }
    return out;
  }
  return next;
}

/** The accept-live patch file's new text: `document` merged into the document for the same object, or added. */
export function mergeIntoPatchFile(existing: string | undefined, document: Record<string, unknown>): string {
  const documents = existing === undefined ? [] : parseAllDocuments(existing).flatMap((doc) => (Array.isArray(doc) ? [] : [doc.toJS() as unknown]));
  const sameObject = (candidate: unknown): boolean =>
    isRecord(candidate) &&
    candidate.kind === document.kind &&
    isRecord(candidate.metadata) &&
    isRecord(document.metadata) &&
    candidate.metadata.name === document.metadata.name;
  const at = documents.findIndex(sameObject);
  if (at >= 0) documents[at] = mergePatches(documents[at], document);
  else documents.push(document);
  return documents.filter((d) => d !== null && d !== undefined).map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

/** The overlay's namePrefix and nameSuffix, read from its kustomization. */
export function overlayAffixes(kustomization: string): { prefix: string; suffix: string } {
  const root = parseSourceDocuments(kustomization)[0]?.root;
  return { prefix: scalarText(root?.entries?.get('namePrefix')) ?? '', suffix: scalarText(root?.entries?.get('nameSuffix')) ?? '' };
}

/**
 * The edit that lists `patchFile` (relative to the kustomization) under `patches:`; undefined when
 * it is listed already; a string when the kustomization's `patches:` cannot be extended in place.
 */
export function listPatchEdit(kustomization: string, patchFile: string): TextEdit | undefined | string {
  const document = parseAllDocuments(kustomization)[0];
  const contents = document && !Array.isArray(document) ? document.contents : null;
  const root = parseSourceDocuments(kustomization)[0]?.root;
  const patches = root?.entries?.get('patches');
  const entry = `- path: ${patchFile}`;
  if (!patches) {
    const lines = kustomization.split('\n');
    const endsWithBreak = kustomization.endsWith('\n') || kustomization === '';
    const position = endsWithBreak ? { line: Math.max(lines.length, 1), column: 1 } : { line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
    return { range: { start: position, end: position }, newText: `${endsWithBreak ? '' : '\n'}patches:\n  ${entry}\n` };
  }
  if ((patches.items ?? []).some((item) => scalarText(item.entries?.get('path')) === patchFile)) return undefined;
  const items = patches.items ?? [];
  const seq = isMap(contents) ? contents.get('patches', true) : undefined;
  if (items.length === 0 || !isSeq(seq) || seq.flow) return '`patches:` is not a block list';
  const lastItem = items[items.length - 1];
  const indent = Math.max(lastItem.range.start.column - 3, 0);
  const end = lastItem.range.end;
  const line = end.column === 1 ? end.line : end.line + 1;
  const lines = kustomization.split('\n');
  // Past the last line: the text does not end with a line break (a last line that is empty means it does).
  if (line > lines.length) {
    const position = { line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
    return { range: { start: position, end: position }, newText: `\n${' '.repeat(indent)}${entry}` };
  }
  return { range: { start: { line, column: 1 }, end: { line, column: 1 } }, newText: `${' '.repeat(indent)}${entry}\n` };
}
