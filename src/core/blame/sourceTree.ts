// Any YAML file (a manifest, a kustomization, a JSON 6902 operation list) as a tree of values with
// the source range of every node. The blame engine replays kustomize's layers over these trees, so
// it needs positions for documents parseManifests leaves out (top-level lists, documents without a
// kind). Repeated keys: last wins, as kubectl and kustomize read them.
import { LineCounter, isMap, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';
import type { SourceRange } from '../model';
import { isMergeKey, rangeFromOffsets, resolveAlias, parseYamlDocuments } from '../yamlSource';

export interface SourceNode {
  /** Where a hint belongs: from the key of a mapping entry (or the start of a list item) to the value's end. */
  range: SourceRange;
  /** The value node alone (what an edit replaces); undefined for an empty value. */
  valueRange: SourceRange | undefined;
  /** Entries of a mapping, in order. */
  entries?: Map<string, SourceNode>;
  /** Items of a list. */
  items?: SourceNode[];
  /** Scalar value (undefined for collections). */
  scalar?: unknown;
}

export interface SourceDocument {
  /** 0-based index of the document in its file. */
  index: number;
  root: SourceNode;
}

/** Collections deeper than this are cut (their subtree is blamed on the cut node). */
const MAX_DEPTH = 100;

function build(doc: Document, lines: LineCounter, node: unknown, keyStart: number | undefined, depth: number): SourceNode {
  const value = resolveAlias(doc, node);
  const valueRange = value?.range ? rangeFromOffsets(lines, value.range[0], value.range[1]) : undefined;
  const start = keyStart ?? value?.range?.[0] ?? 0;
  const end = value?.range?.[1] ?? start;
  const out: SourceNode = { range: rangeFromOffsets(lines, start, end), valueRange };
  if (depth > MAX_DEPTH) return out;
  if (isMap(value)) {
    out.entries = new Map();
    for (const pair of value.items) {
      const key = resolveAlias(doc, pair.key);
      if (!isScalar(key)) continue;
      if (isMergeKey(key.value)) {
        // A merge key: the anchored mapping's entries (or those of a list of them, the first one
        // winning), unless the mapping sets them itself.
        const merged = build(doc, lines, pair.value, key.range?.[0], depth + 1);
        for (const source of merged.items ?? [merged]) {
          for (const [k, v] of source.entries ?? []) if (!out.entries.has(k)) out.entries.set(k, v);
        }
        continue;
      }
      const name = String(key.value);
      out.entries.set(name, build(doc, lines, pair.value, key.range?.[0], depth + 1));
    }
  } else if (isSeq(value)) {
    out.items = value.items.map((item) => build(doc, lines, item, undefined, depth + 1));
  } else {
    out.scalar = isScalar(value) ? value.value : null;
  }
  return out;
}

/** Every document of `text` that parses; documents with errors are left out. */
export function parseSourceDocuments(text: string): SourceDocument[] {
  const lines = new LineCounter();
  const documents: SourceDocument[] = [];
  let docs: Document.Parsed[];
  try {
    docs = parseYamlDocuments(text, { lineCounter: lines, merge: true, uniqueKeys: false });
  } catch {
    return [];
  }
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0 || doc.contents === null) return;
    documents.push({ index, root: build(doc, lines, doc.contents as YamlNode, undefined, 0) });
  });
  return documents;
}

/** The node's plain value (what `toJS` would give), rebuilt from the tree. */
export function plainValue(node: SourceNode): unknown {
  if (node.entries) return Object.fromEntries([...node.entries].map(([k, v]) => [k, plainValue(v)]));
  if (node.items) return node.items.map(plainValue);
  return node.scalar;
}

/** A scalar as kustomize compares it (a YAML number or boolean read as its text). */
export function scalarText(node: SourceNode | undefined): string | undefined {
  const value = node?.scalar;
  return value === undefined || value === null ? undefined : String(value);
}

/** The node at an RFC 6901 pointer's tokens, or undefined. */
export function nodeAt(root: SourceNode, tokens: readonly string[]): SourceNode | undefined {
  let current: SourceNode | undefined = root;
  for (const token of tokens) {
    if (!current) return undefined;
    if (current.entries) current = current.entries.get(token);
    else if (current.items) current = /^\d+$/.test(token) ? current.items[Number(token)] : undefined;
    else return undefined;
  }
  return current;
}
