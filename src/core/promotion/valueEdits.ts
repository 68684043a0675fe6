// Writes promoted values into the target's YAML in place: a changed scalar is replaced character
// for character, an added key or list item is one new line (a mapping or list in flow style), a
// removed one loses its lines. Everything else in the file — comments, key order, quoting, blank
// lines, the environment's own values — stays byte for byte. Positions come from the `yaml`
// package's node ranges; the text is spliced, never re-serialised.
import { isMap, isScalar, isSeq, type Document, type Node as YamlNode, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { splitPointer } from '../manifest';
import { parseYamlDocuments } from '../yamlSource';
import { afterLine, lineStart } from './lineOffsets';

export interface ValueEdit {
  docIndex: number;
  /**
   * JSON pointer in the target; for a list item added, ends with `-`. The empty pointer is the
   * whole document: `add` appends `yaml` (an object's block text) as a new document at the end,
   * `remove` takes document `docIndex` out with its `---` line.
   */
  pointer: string;
  op: 'set' | 'add' | 'remove';
  /** YAML text of the new value as the source writes it (a scalar with its quotes, or flow YAML); for set and add. */
  yaml?: string;
}

interface Splice {
  start: number;
  end: number;
  insert: string;
  order: number;
  /** An insert into an empty flow collection: a second one at the same spot needs a `, ` first. */
  intoEmptyFlow?: boolean;
  /** Nesting of the edited place: at one spot, inserts into inner blocks go before outer ones. */
  depth?: number;
  /** An edit of a flow collection's items: where it closes, how many items it had, and whether this removes one. */
  flow?: { close: number; items: number; removal: boolean };
}

function locate(root: YamlNode | null, tokens: readonly string[]): YamlNode | null | undefined {
  let node: YamlNode | null = root;
  for (const token of tokens) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === token);
      if (!pair) return undefined;
      node = (pair.value as YamlNode | null) ?? null;
    } else if (isSeq(node)) {
      const index = Number(token);
      if (!Number.isInteger(index) || index < 0 || index >= node.items.length) return undefined;
      node = node.items[index] as YamlNode;
    } else return undefined;
  }
  return node;
}

/** End of a node's own text, without the line break and comments a block collection's range carries. */
function contentEnd(text: string, node: YamlNode): number {
  const range = node.range as [number, number, number];
  let end = range[1];
  while (end > range[0] && /\s/.test(text[end - 1])) end--;
  return end;
}

function isBlockScalar(node: YamlNode | null | undefined): boolean {
  return isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
}

/**
 * An empty value (`key:`, `key:   # note`, `key: &anchor`, `key: !!null`): the parser gives it a
 * zero-width null scalar where a value would start. The new value goes there, with the blank YAML
 * needs before it (and before a comment right after it); a tag written for the empty value goes,
 * since it would apply to the new one.
 */
function emptyValueSplice(text: string, node: Scalar, yaml: string, order: number): Splice {
  const at = (node.range as [number, number, number])[0];
  let start = at;
  if (node.tag) {
    const tag = /!\S*[ \t]*$/.exec(text.slice(lineStart(text, at), at));
    if (tag) start = at - tag[0].length;
  }
  const before = start > 0 && !/\s/.test(text[start - 1]) ? ' ' : '';
  const after = text[at] === '#' ? ' ' : '';
  return { start, end: at, insert: `${before}${yaml}${after}`, order };
}

function setSplice(text: string, root: YamlNode | null, tokens: string[], yaml: string, order: number): Splice | null {
  const node = locate(root, tokens);
  if (node === undefined) return null;
  if (node === null) {
    // A key without any value node (`? a`, `{a, b: 1}`): only `key:` on its own gets the value
    // after its colon; anything else is left for a person (the next `:` may be another key's).
    const parent = locate(root, tokens.slice(0, -1));
    if (!isMap(parent)) return null;
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === tokens[tokens.length - 1]);
    const key = pair?.key as Scalar | undefined;
    if (!key?.range) return null;
    const colon = /^[ \t]*:/.exec(text.slice(key.range[1]));
    if (!colon) return null;
    const at = key.range[1] + colon[0].length;
    return { start: at, end: at, insert: ` ${yaml}`, order };
  }
  if (isScalar(node) && node.value === null && node.range && node.range[0] === node.range[1]) return emptyValueSplice(text, node, yaml, order);
  if (!node.range || isBlockScalar(node)) return null;
  return { start: node.range[0], end: contentEnd(text, node), insert: yaml, order };
}

/** Where a flow collection closes (its own bracket, not an enclosing one's). */
function flowClose(text: string, node: YAMLMap | YAMLSeq, bracket: '}' | ']'): number {
  const end = contentEnd(text, node) - 1;
  return end >= (node.range as [number, number, number])[0] && text[end] === bracket ? end : -1;
}

function addToMap(text: string, map: YAMLMap, key: string, yaml: string, order: number): Splice | null {
  if (!map.range || map.items.some((p) => isScalar(p.key) && String(p.key.value) === key)) return null;
  if (map.flow) {
    const close = flowClose(text, map, '}');
    if (close < 0) return null;
    return { start: close, end: close, insert: `${map.items.length ? ', ' : ''}${key}: ${yaml}`, order, intoEmptyFlow: map.items.length === 0, flow: { close, items: map.items.length, removal: false } };
  }
  const first = map.items[0]?.key as Scalar | undefined;
  const last = map.items[map.items.length - 1];
  const lastNode = ((last?.value as YamlNode | null) ?? (last?.key as YamlNode | undefined)) as YamlNode | undefined;
  if (!first?.range || !lastNode?.range) return null;
  const indent = first.range[0] - lineStart(text, first.range[0]);
  // A key that shares its line with a list dash (`- name: x`) is indented by the dash's width.
  const at = afterLine(text, contentEnd(text, lastNode));
  const newlineBefore = at === text.length && !text.endsWith('\n') ? '\n' : '';
  return { start: at, end: at, insert: `${newlineBefore}${' '.repeat(indent)}${key}: ${yaml}\n`, order };
}

function addToSeq(text: string, seq: YAMLSeq, yaml: string, order: number): Splice | null {
  if (!seq.range) return null;
  if (seq.flow) {
    const close = flowClose(text, seq, ']');
    if (close < 0) return null;
    return { start: close, end: close, insert: `${seq.items.length ? ', ' : ''}${yaml}`, order, intoEmptyFlow: seq.items.length === 0, flow: { close, items: seq.items.length, removal: false } };
  }
  const first = seq.items[0] as YamlNode | undefined;
  const last = seq.items[seq.items.length - 1] as YamlNode | undefined;
  if (!first?.range || !last?.range) return null;
  const start = lineStart(text, first.range[0]);
  const dash = text.slice(start, first.range[0]).indexOf('-');
  if (dash < 0) return null;
  const at = afterLine(text, contentEnd(text, last));
  const newlineBefore = at === text.length && !text.endsWith('\n') ? '\n' : '';
  return { start: at, end: at, insert: `${newlineBefore}${' '.repeat(dash)}- ${yaml}\n`, order };
}

function removeFromMap(text: string, map: YAMLMap, key: string, order: number): Splice | null {
  if (map.flow) return null;
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  const keyNode = pair?.key as Scalar | undefined;
  if (!keyNode?.range) return null;
  const start = lineStart(text, keyNode.range[0]);
  // Only a key on a line of its own can go: `- key: x` would take the list item's dash with it.
  if (text.slice(start, keyNode.range[0]).trim() !== '') return null;
  const value = (pair?.value as YamlNode | null) ?? null;
  const end = value?.range ? contentEnd(text, value) : keyNode.range[1];
  return { start, end: afterLine(text, end), insert: '', order };
}

function removeFromSeq(text: string, seq: YAMLSeq, index: number, order: number): Splice | null {
  const item = seq.items[index] as YamlNode | undefined;
  if (!item?.range) return null;
  if (seq.flow) {
    const flow = { close: flowClose(text, seq, ']'), items: seq.items.length, removal: true };
    const after = text.slice(item.range[1]).match(/^\s*,\s*/);
    if (after) return { start: item.range[0], end: item.range[1] + after[0].length, insert: '', order, flow };
    const before = text.slice(0, item.range[0]).match(/,\s*$/);
    if (before) return { start: item.range[0] - before[0].length, end: item.range[1], insert: '', order, flow };
    return { start: item.range[0], end: item.range[1], insert: '', order, flow };
  }
  const start = lineStart(text, item.range[0]);
  if (!/^\s*-\s*$/.test(text.slice(start, item.range[0]))) return null;
  return { start, end: afterLine(text, contentEnd(text, item)), insert: '', order };
}

function spliceFor(text: string, root: YamlNode | null, edit: ValueEdit, order: number): Splice | null {
  const tokens = splitPointer(edit.pointer);
  if (tokens.length === 0) return null;
  if (edit.op === 'set') return edit.yaml === undefined ? null : setSplice(text, root, tokens, edit.yaml, order);
  const last = tokens[tokens.length - 1];
  const parent = locate(root, tokens.slice(0, -1));
  if (edit.op === 'add') {
    if (edit.yaml === undefined || edit.yaml.includes('\n')) return null;
    if (isSeq(parent) && last === '-') return addToSeq(text, parent, edit.yaml, order);
    if (isMap(parent)) return addToMap(text, parent, last, edit.yaml, order);
    return null;
  }
  if (isMap(parent)) return removeFromMap(text, parent, last, order);
  if (isSeq(parent) && /^\d+$/.test(last)) return removeFromSeq(text, parent, Number(last), order);
  return null;
}

/** Where a document starts: its `---` line, or the file's start for a first document without one. */
function documentStart(text: string, docs: readonly Document.Parsed[], index: number): number {
  const contents = docs[index].contents as YamlNode | null;
  const at = contents?.range ? contents.range[0] : (docs[index].range?.[0] ?? 0);
  const from = index === 0 ? 0 : lineStart(text, (docs[index - 1].range as [number, number, number])[1]);
  const marker = /^---(?:[ \t].*)?$/m;
  const slice = text.slice(from, at);
  const found = marker.exec(slice);
  return found ? from + found.index : index === 0 ? 0 : lineStart(text, at);
}

/** A whole document appended (`add`) or taken out with its `---` line (`remove`). */
function documentSplice(text: string, docs: readonly Document.Parsed[], edit: ValueEdit, order: number): Splice | null {
  if (edit.op === 'add') {
    if (edit.yaml === undefined || edit.yaml.trim() === '' || edit.docIndex < docs.length) return null;
    const separator = text === '' || text.endsWith('\n') ? '' : '\n';
    return { start: text.length, end: text.length, insert: `${separator}---\n${edit.yaml.replace(/\n*$/, '')}\n`, order };
  }
  if (edit.op !== 'remove' || edit.docIndex >= docs.length || docs[edit.docIndex].errors.length > 0) return null;
  const start = documentStart(text, docs, edit.docIndex);
  const end = edit.docIndex + 1 < docs.length ? documentStart(text, docs, edit.docIndex + 1) : text.length;
  // The first document without a marker: the next one's `---` would lead the file; harmless.
  return { start, end, insert: '', order };
}

/** Applies the edits to one file. Edits that cannot be made in place come back in `failed`; the others are made. */
export function applyValueEdits(text: string, edits: readonly ValueEdit[], parsed?: readonly Document.Parsed[]): { text: string; failed: ValueEdit[] } {
  if (edits.length === 0) return { text, failed: [] };
  // Documents parsed from this exact text may be passed in: parsing is most of the cost.
  const docs = parsed ?? parseYamlDocuments(text);
  const failed: ValueEdit[] = [];
  const splices: Splice[] = [];
  edits.forEach((edit, order) => {
    const doc = docs[edit.docIndex];
    const splice =
      edit.pointer === '' ? documentSplice(text, docs, edit, order) : doc && doc.errors.length === 0 ? spliceFor(text, (doc.contents as YamlNode | null) ?? null, edit, order) : null;
    if (splice) splices.push({ ...splice, depth: splitPointer(edit.pointer).length });
    else failed.push(edit);
  });
  // Overlapping splices (an edit inside a value another edit replaces) cannot both be made.
  splices.sort((a, b) => a.start - b.start || (b.depth ?? 0) - (a.depth ?? 0) || a.order - b.order);
  const kept: Splice[] = [];
  for (const splice of splices) {
    const previous = kept[kept.length - 1];
    if (previous && splice.start < previous.end) {
      failed.push(edits[splice.order]);
      continue;
    }
    if (previous && splice.intoEmptyFlow && previous.intoEmptyFlow && previous.start === splice.start) splice.insert = `, ${splice.insert}`;
    kept.push(splice);
  }
  // A flow collection whose every item is removed: the first item added there starts the list
  // (`[c]` → `[a, b]`, not `[, a, b]`).
  for (const splice of kept) {
    const flow = splice.flow;
    if (!flow || flow.removal || flow.items === 0 || !splice.insert.startsWith(', ')) continue;
    const removed = kept.filter((other) => other.flow?.removal && other.flow.close === flow.close).length;
    const firstAdd = kept.find((other) => other.flow && !other.flow.removal && other.flow.close === flow.close);
    if (removed === flow.items && firstAdd === splice) splice.insert = splice.insert.slice(2);
  }
  let out = text;
  for (const splice of [...kept].reverse()) out = out.slice(0, splice.start) + splice.insert + out.slice(splice.end);
  // The net under every rule above: text that no longer parses is never written; the edits are
  // left for a person instead.
  if (out !== text && parseYamlDocuments(out).some((doc) => doc.errors.length > 0)) return { text, failed: [...edits] };
  return { text: out, failed };
}
