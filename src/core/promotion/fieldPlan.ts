// Folder promotions value by value: a YAML file present on both sides is not copied; its
// differing values are listed, classified (identity / own / flows) and only the ticked ones are
// written into the target's text in place. An object (document) only one side has is one value
// of its own: appended to the file, or taken out of it. A file that cannot be handled this way
// (not YAML, a parse error, a value that cannot be edited in place, a Secret) stays a whole-file
// change.
import { MAX_EDITED_MANIFEST_BYTES } from '../manifest';
import { relativeTo } from './fileChanges';
import { namesSide, pairWords, withoutSideWords, type PairWords } from './environmentWords';
import { classifyValue, targetMovedOn, type HistoryEvidence, type KeepRule } from './valueClasses';
import { diffYamlFiles, parseYamlFile, scalarValues, wholeDocument, type ParsedYamlFile, type WholeDocument } from './valueDiff';
import { applyValueEdits, type ValueEdit } from './valueEdits';
import type { PlanSide, ValueChange } from './promotionTypes';

const YAML_PATH = /(\.ya?ml|(^|\/)Kustomization)$/;

export function isYamlPath(path: string): boolean {
  return YAML_PATH.test(path);
}

/** Texts of earlier versions of a file (newest first), the evidence of what flowed. */
export interface FileHistory {
  /** Source path → texts of the file in the source's history. */
  source: ReadonlyMap<string, readonly string[]>;
  /** Target path → texts of the file in the target's history. */
  target: ReadonlyMap<string, readonly string[]>;
}

export interface FieldContext {
  /** Parses a text once per plan (the newest history version is usually the current text). */
  parse: (text: string) => ParsedYamlFile | null;
  words: PairWords;
  neutral: (value: string) => string;
  keep: readonly KeepRule[];
  history: FileHistory | null;
  targetFolder: string;
}

export function fieldContext(source: PlanSide, target: PlanSide, keep: readonly KeepRule[], history: FileHistory | null): FieldContext {
  const words = pairWords({ name: source.environment, folder: source.folder }, { name: target.environment, folder: target.folder });
  const cache = new Map<string, ParsedYamlFile | null>();
  const parse = (text: string): ParsedYamlFile | null => {
    let parsed = cache.get(text);
    if (parsed === undefined) {
      parsed = text.length > MAX_EDITED_MANIFEST_BYTES ? null : parseYamlFile(text);
      cache.set(text, parsed);
    }
    return parsed;
  };
  return { parse, words, neutral: (value) => withoutSideWords(value, words), keep, history, targetFolder: target.folder };
}

function evidence(texts: readonly string[] | undefined, context: FieldContext): Map<string, Set<string>> {
  const merged = new Map<string, Set<string>>();
  const neutral = context.neutral;
  for (const text of texts ?? []) {
    const parsed = context.parse(text);
    if (!parsed) continue;
    for (const [place, values] of scalarValues(parsed, neutral)) {
      let set = merged.get(place);
      if (!set) merged.set(place, (set = new Set()));
      for (const value of values) set.add(value);
    }
  }
  return merged;
}

export function editFor(change: Pick<ValueChange, 'docIndex' | 'pointer' | 'op' | 'yaml'>): ValueEdit {
  return { docIndex: change.docIndex, pointer: change.pointer, op: change.op, yaml: change.yaml ?? undefined };
}

export interface FieldFileInput {
  targetPath: string;
  sourcePath: string;
  sourceText: string;
  targetText: string;
  excludedBy: string | null;
}

export interface FieldFileResult {
  values: ValueChange[];
  /** Values (not identity) the target once had as the source's value and then changed. */
  targetAhead: ValueChange[];
}

/** The file's differing values, classified; null when the file must stay a whole-file change. */
export function planFieldFile(input: FieldFileInput, context: FieldContext): FieldFileResult | null {
  if (input.sourceText.length > MAX_EDITED_MANIFEST_BYTES || input.targetText.length > MAX_EDITED_MANIFEST_BYTES) return null;
  const source = context.parse(input.sourceText);
  const target = context.parse(input.targetText);
  if (!source || !target) return null;
  const diff = diffYamlFiles(source, target, context.neutral);
  // Documents without a counterpart are whole objects added or removed; one that is not an
  // object (a second document of a values file) leaves the file a whole-file change.
  const added = diff.unpairedSource.map((i) => wholeDocument(source, i, context.neutral));
  const removed = diff.unpairedTarget.map((i) => ({ index: i, document: wholeDocument(target, i, context.neutral) }));
  if (added.some((d) => d === null) || removed.some((d) => d.document === null)) return null;
  const history: HistoryEvidence | null = context.history
    ? { source: evidence(context.history.source.get(input.sourcePath), context), target: evidence(context.history.target.get(input.targetPath), context) }
    : null;
  const relative = relativeTo(context.targetFolder, input.targetPath) ?? input.targetPath;
  const values: ValueChange[] = [];
  const targetAhead: ValueChange[] = [];
  const seen = new Map<string, number>();
  for (const d of diff.differences) {
    const classifyInput = {
      diff: d,
      files: [relative, input.targetPath],
      words: context.words,
      keep: context.keep,
      excludedBy: input.excludedBy,
      history,
      sourceDocKey: d.docKey.startsWith('#') ? `#${d.sourceDocIndex}` : d.docKey,
    };
    const { class: valueClass, reason } = classifyValue(classifyInput);
    const base = `${input.targetPath}#${d.docKey} ${d.path}${d.op === 'set' ? '' : ` ${d.op}`}`;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    const change: ValueChange = {
      id: count === 0 ? base : `${base} ${count}`,
      file: input.targetPath,
      sourceFile: input.sourcePath,
      docIndex: d.docIndex,
      pointer: d.pointer,
      path: d.path,
      line: d.line,
      op: d.op,
      from: d.from,
      to: d.to,
      yaml: d.toYaml,
      class: valueClass,
      reason,
      selected: valueClass === 'flows',
    };
    values.push(change);
    if ((valueClass === 'flows' || reason.startsWith('never flowed')) && targetMovedOn(classifyInput)) targetAhead.push(change);
  }
  const lastLine = target.lines.linePos(input.targetText.length).line;
  added.forEach((document, n) => {
    if (document) values.push(wholeObjectChange(input, context, { document, op: 'add', docIndex: target.docs.length + n, line: lastLine, history }));
  });
  for (const { index, document } of removed) {
    if (document) values.push(wholeObjectChange(input, context, { document, op: 'remove', docIndex: index, line: document.line, history }));
  }
  // Every value must be writable in place, or the file is promoted as a whole (and says so).
  if (applyValueEdits(input.targetText, values.map(editFor), target.docs).failed.length > 0) return null;
  return { values, targetAhead };
}

interface WholeObject {
  document: WholeDocument;
  op: 'add' | 'remove';
  docIndex: number;
  line: number;
  history: HistoryEvidence | null;
}

/**
 * An object only one side's file has, as one value. Added by the source: it flows, unless its
 * text names the source environment (then it is the source's own and is left unticked: copied,
 * it would carry the source's identity). Only in the target: taken out when the source's file
 * once had it (the source removed it), else the target's own.
 */
function wholeObjectChange(input: FieldFileInput, context: FieldContext, change: WholeObject): ValueChange {
  const { document, op } = change;
  const path = `${document.kind} ${document.name}`.trim();
  let valueClass: ValueChange['class'];
  let reason: string;
  if (input.excludedBy !== null) [valueClass, reason] = ['own', `file matches promotion.exclude ${input.excludedBy}`];
  else if (op === 'add') {
    [valueClass, reason] = namesSide(document.text, context.words.source)
      ? ['identity', `new object naming ${[...context.words.source.words].join('/') || 'the source'}`]
      : ['flows', 'new object in the source'];
  } else {
    const flowed = change.history !== null && [...change.history.source.keys()].some((place) => place.startsWith(`${document.key} `));
    [valueClass, reason] = flowed ? ['flows', 'the source removed it'] : ['own', 'only in the target'];
  }
  return {
    id: `${input.targetPath}#${document.key} (object) ${op}`,
    file: input.targetPath,
    sourceFile: input.sourcePath,
    docIndex: change.docIndex,
    pointer: '',
    path,
    line: change.line,
    op,
    from: op === 'remove' ? '(whole object)' : null,
    to: op === 'add' ? '(whole object)' : null,
    yaml: op === 'add' ? document.text : null,
    class: valueClass,
    reason,
    selected: valueClass === 'flows',
  };
}

/** The target's text with the selected values written; `failed` lists values that could not be. */
export function applyValueChanges(targetText: string, values: readonly ValueChange[], parsed?: ParsedYamlFile | null): { text: string; failed: ValueChange[] } {
  const selected = values.filter((v) => v.selected);
  const edits = selected.map(editFor);
  const result = applyValueEdits(targetText, edits, parsed && parsed.text === targetText ? parsed.docs : undefined);
  const failed = new Set(result.failed);
  return { text: result.text, failed: selected.filter((_, i) => failed.has(edits[i])) };
}
