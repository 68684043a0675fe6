// The difference of two YAML files value by value: both files' documents are paired (Kubernetes
// objects by kind and name once the environments' words are taken out of the name, other
// documents by position), then walked together. Mappings pair by key; lists of mappings pair by a
// merge key (`name`, `key`, `mountPath`…) like a strategic merge patch; lists of scalars pair by
// value (a `components:` list is a set); anything else by index. Each difference carries the
// target's JSON pointer and line (where an in-place edit goes) and a path that names the same
// place in every environment and every version of the file (for history evidence).
import { LineCounter, isMap, isScalar, isSeq, type Document, type Node as YamlNode, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { escapePointerToken } from '../manifest';
import { parseYamlDocuments } from '../yamlSource';
import { scalarText } from './imageRefs';

export type ValueOp = 'set' | 'add' | 'remove';

export interface ValueDifference {
  docIndex: number;
  /** Index of the paired document in the source file. */
  sourceDocIndex: number;
  /** Document pairing key (`Deployment/<env>-web`, `#0`). */
  docKey: string;
  /** JSON pointer in the target: of the value (set, remove) or of where it goes (add: `/seq/-` for a list item). */
  pointer: string;
  /** Keys from the document root, list items named by merge key (`spec.template.spec.containers[name=app].image`). */
  path: string;
  /** The last key (`image`), or the merge-key item's name for a whole list item. */
  key: string;
  /** Names of the mappings above the value, from the root (`['spec', 'template', …]`), list items as `[]`. */
  keys: string[];
  op: ValueOp;
  /** Target's value as written (scalars) or as flow YAML (mappings, lists); null for add. */
  from: string | null;
  /** Source's value likewise; null for remove. */
  to: string | null;
  /** Source's value as YAML to write into the target (a scalar with its quotes, collections in flow style); null for remove. */
  toYaml: string | null;
  /** The value is a mapping or list, not a scalar. */
  structured: boolean;
  /** 1-based line in the target (for add: the line of the parent). */
  line: number;
  /** The environment-variable style item this value sits in (`{name: STAGE, value: …}` → `STAGE`). */
  itemName: string | null;
}

export interface ParsedYamlFile {
  text: string;
  docs: Document.Parsed[];
  lines: LineCounter;
}

/** Merge keys of list items, in the order a strategic merge patch would pick them. */
const MERGE_KEYS = ['name', 'key', 'mountPath', 'containerPort', 'port', 'ip', 'path', 'id', 'type', 'repoURL'];
/** A file this deep or this large is compared as a whole file instead. */
const MAX_DEPTH = 64;

export function parseYamlFile(text: string): ParsedYamlFile | null {
  const lines = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseYamlDocuments(text, { lineCounter: lines });
  } catch {
    return null;
  }
  if (docs.some((d) => d.errors.length > 0)) return null;
  return { text, docs, lines };
}

function mapGet(map: YAMLMap, key: string): YamlNode | null | undefined {
  for (const pair of map.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return (pair.value as YamlNode | null) ?? null;
  }
  return undefined;
}

function scalarString(node: YamlNode | null | undefined): string | null {
  return isScalar(node) && node.value !== null && node.value !== undefined && typeof node.value !== 'object' ? String(node.value) : null;
}

/** `kind/name` of a Kubernetes object with the environments' words made neutral by `neutral`; null for other documents. */
function objectKey(doc: Document.Parsed, neutral: (value: string) => string): string | null {
  const root = doc.contents as YamlNode | null;
  if (!isMap(root)) return null;
  const kind = scalarString(mapGet(root, 'kind'));
  if (kind === null) return null;
  const metadata = mapGet(root, 'metadata');
  const name = isMap(metadata) ? scalarString(mapGet(metadata, 'name')) : null;
  return `${kind}/${name === null ? '' : neutral(name)}`;
}

function pairDocuments(source: ParsedYamlFile, target: ParsedYamlFile, neutral: (value: string) => string): Array<{ s: number; t: number; key: string }> {
  const sourceKeys = source.docs.map((d) => objectKey(d, neutral));
  const targetKeys = target.docs.map((d) => objectKey(d, neutral));
  const pairs: Array<{ s: number; t: number; key: string }> = [];
  const usedSource = new Set<number>();
  targetKeys.forEach((key, t) => {
    if (key === null) return;
    const s = sourceKeys.findIndex((k, i) => k === key && !usedSource.has(i));
    if (s >= 0) {
      usedSource.add(s);
      pairs.push({ s, t, key });
    }
  });
  // Documents that are not objects (values files, a bare kustomization) pair by position.
  targetKeys.forEach((key, t) => {
    if (key !== null || pairs.some((p) => p.t === t)) return;
    if (t < source.docs.length && !usedSource.has(t) && sourceKeys[t] === null) {
      usedSource.add(t);
      pairs.push({ s: t, t, key: `#${t}` });
    }
  });
  return pairs.sort((a, b) => a.t - b.t);
}

/** A document of a file as a whole object: its pairing key, kind and name, first line and text. */
export interface WholeDocument {
  /** The pairing key (`Service/<neutral name>`), as history places start with it. */
  key: string;
  kind: string;
  name: string;
  line: number;
  /** The object's own text (its root mapping), without the `---` marker and trailing comments. */
  text: string;
}

/** The document at `index` when it is a Kubernetes object (a mapping with a kind); null otherwise. */
export function wholeDocument(file: ParsedYamlFile, index: number, neutral: (value: string) => string): WholeDocument | null {
  const doc = file.docs[index];
  const root = (doc?.contents as YamlNode | null | undefined) ?? null;
  const key = doc ? objectKey(doc, neutral) : null;
  if (!root || !isMap(root) || key === null || !root.range) return null;
  const metadata = mapGet(root, 'metadata');
  const name = (isMap(metadata) ? scalarString(mapGet(metadata, 'name')) : null) ?? '';
  const range = root.range as [number, number, number];
  return { key, kind: scalarString(mapGet(root, 'kind')) ?? '', name, line: lineOf(file, root, 1), text: file.text.slice(range[0], range[1]).trimEnd() };
}

/** Compact text of a value: scalars as written, collections as one-line flow YAML. */
export function nodeText(text: string, node: YamlNode | null): string {
  if (node === null) return '';
  if (isScalar(node)) return scalarText(text, node);
  if (isMap(node)) return `{${node.items.map((p) => `${isScalar(p.key) ? scalarText(text, p.key) : '?'}: ${nodeText(text, (p.value as YamlNode | null) ?? null)}`).join(', ')}}`;
  if (isSeq(node)) return `[${node.items.map((i) => nodeText(text, i as YamlNode)).join(', ')}]`;
  return '';
}

/** A value as YAML that fits on one line: scalars as the source wrote them, collections in flow style. */
export function flowYaml(text: string, node: YamlNode | null): string {
  if (node === null) return 'null';
  if (isScalar(node)) {
    const raw = node.range ? text.slice(node.range[0], node.range[1]).trim() : '';
    const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
    // Flow context ends a plain scalar at `,` `[` `]` `{` `}`: such values are written quoted.
    if (block || raw === '' || raw.includes('\n') || (node.type === 'PLAIN' && /[,[\]{}]|: /.test(raw))) return JSON.stringify(node.value === null || node.value === undefined ? null : String(node.value));
    return raw;
  }
  if (isMap(node)) return `{${node.items.map((p) => `${isScalar(p.key) ? flowYaml(text, p.key) : '?'}: ${flowYaml(text, (p.value as YamlNode | null) ?? null)}`).join(', ')}}`;
  if (isSeq(node)) return `[${node.items.map((i) => flowYaml(text, i as YamlNode)).join(', ')}]`;
  return 'null';
}

function mergeKeyOf(seq: YAMLSeq): string | null {
  if (seq.items.length === 0 || !seq.items.every((i) => isMap(i))) return null;
  for (const key of MERGE_KEYS) {
    const values = seq.items.map((i) => scalarString(mapGet(i as YAMLMap, key)));
    if (values.every((v) => v !== null) && new Set(values).size === values.length) return key;
  }
  return null;
}

interface Walk {
  source: ParsedYamlFile;
  target: ParsedYamlFile;
  docIndex: number;
  sourceDocIndex: number;
  docKey: string;
  out: ValueDifference[];
  neutral: (value: string) => string;
}

interface Place {
  pointer: string[];
  path: string;
  keys: string[];
  key: string;
  itemName: string | null;
  /** Line of the nearest target node (for adds). */
  line: number;
}

function lineOf(file: ParsedYamlFile, node: YamlNode | null | undefined, fallback: number): number {
  return node?.range ? file.lines.linePos(node.range[0]).line : fallback;
}

function pointerText(tokens: readonly string[]): string {
  return tokens.length ? `/${tokens.map(escapePointerToken).join('/')}` : '';
}

function push(walk: Walk, place: Place, op: ValueOp, s: YamlNode | null, t: YamlNode | null, line: number): void {
  const structured = (s !== null && !isScalar(s)) || (t !== null && !isScalar(t));
  walk.out.push({
    docIndex: walk.docIndex,
    sourceDocIndex: walk.sourceDocIndex,
    docKey: walk.docKey,
    pointer: pointerText(place.pointer),
    path: place.path,
    key: place.key,
    keys: place.keys,
    op,
    from: op === 'add' ? null : nodeText(walk.target.text, t),
    to: op === 'remove' ? null : nodeText(walk.source.text, s),
    toYaml: op === 'remove' ? null : flowYaml(walk.source.text, s),
    structured,
    line,
    itemName: place.itemName,
  });
}

function child(place: Place, token: string, pathPart: string, key: string, line: number, itemName = place.itemName): Place {
  return {
    pointer: [...place.pointer, token],
    path: place.path === '' ? pathPart : pathPart.startsWith('[') ? `${place.path}${pathPart}` : `${place.path}.${pathPart}`,
    keys: [...place.keys, key],
    key,
    itemName,
    line,
  };
}

function walkNodes(walk: Walk, s: YamlNode | null, t: YamlNode | null, place: Place, depth: number): void {
  if (depth > MAX_DEPTH) return;
  // The source emptied a collection: one value (`[]`, `{}`), not a removal per entry (which
  // would leave `key:` with nothing, a null).
  if (((isMap(s) && isMap(t)) || (isSeq(s) && isSeq(t))) && s.items.length === 0 && t.items.length > 0) {
    push(walk, place, 'set', s, t, lineOf(walk.target, t, place.line));
    return;
  }
  if (isMap(s) && isMap(t)) {
    const itemName = scalarString(mapGet(t, 'name')) ?? place.itemName;
    for (const pair of s.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const sv = (pair.value as YamlNode | null) ?? null;
      const tv = mapGet(t, key);
      if (tv === undefined) {
        push(walk, child(place, key, key, key, lineOf(walk.target, t, place.line), itemName), 'add', sv, null, lineOf(walk.target, t, place.line));
      } else {
        walkNodes(walk, sv, tv, child(place, key, key, key, lineOf(walk.target, tv, place.line), itemName), depth + 1);
      }
    }
    for (const pair of t.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      if (mapGet(s, key) !== undefined) continue;
      const tv = (pair.value as YamlNode | null) ?? null;
      const line = lineOf(walk.target, pair.key as Scalar, place.line);
      push(walk, child(place, key, key, key, line, itemName), 'remove', null, tv, line);
    }
    return;
  }
  if (isSeq(s) && isSeq(t)) {
    walkSequences(walk, s, t, place, depth);
    return;
  }
  if (isScalar(s) && isScalar(t)) {
    if (scalarText(walk.source.text, s) !== scalarText(walk.target.text, t)) push(walk, place, 'set', s, t, lineOf(walk.target, t, place.line));
    return;
  }
  // Different shapes (or null on one side): the whole value is replaced — also when the texts read
  // alike (`[1]` against the string "[1]", `{}` against '{}': a real change of type for Helm).
  if (shapeOf(s) !== shapeOf(t) || nodeText(walk.source.text, s) !== nodeText(walk.target.text, t)) push(walk, place, 'set', s, t, lineOf(walk.target, t, place.line));
}

/** A value's kind for the shape check; a key without a value and an explicit null are both null. */
function shapeOf(node: unknown): 'null' | 'scalar' | 'map' | 'seq' | 'other' {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return 'null';
  return isScalar(node) ? 'scalar' : isMap(node) ? 'map' : isSeq(node) ? 'seq' : 'other';
}

function walkSequences(walk: Walk, s: YAMLSeq, t: YAMLSeq, place: Place, depth: number): void {
  const sourceKey = mergeKeyOf(s);
  const mergeKey = sourceKey !== null && sourceKey === mergeKeyOf(t) ? sourceKey : null;
  const listKey = place.key;
  if (mergeKey !== null) {
    const targetIndex = new Map(t.items.map((item, i) => [scalarString(mapGet(item as YAMLMap, mergeKey)) as string, i]));
    const seen = new Set<string>();
    for (const item of s.items) {
      const name = scalarString(mapGet(item as YAMLMap, mergeKey)) as string;
      seen.add(name);
      const ti = targetIndex.get(name);
      if (ti === undefined) {
        const at = child(place, '-', `[${mergeKey}=${name}]`, listKey, lineOf(walk.target, t, place.line), name);
        push(walk, { ...at, key: name }, 'add', item as YamlNode, null, at.line);
      } else {
        const tv = t.items[ti] as YamlNode;
        walkNodes(walk, item as YamlNode, tv, child(place, String(ti), `[${mergeKey}=${name}]`, '[]', lineOf(walk.target, tv, place.line), name), depth + 1);
      }
    }
    t.items.forEach((item, ti) => {
      const name = scalarString(mapGet(item as YAMLMap, mergeKey)) as string;
      if (seen.has(name)) return;
      const line = lineOf(walk.target, item as YamlNode, place.line);
      push(walk, { ...child(place, String(ti), `[${mergeKey}=${name}]`, listKey, line, name), key: name }, 'remove', null, item as YamlNode, line);
    });
    return;
  }
  const allScalars = s.items.every((i) => isScalar(i)) && t.items.every((i) => isScalar(i));
  if (allScalars && s.items.length === t.items.length) {
    // Same length: position by position, so `[shop.example.com]` → `[shop.staging.example.com]`
    // is one value that changed (and reads as identity), not an unrelated add and remove.
    const moved = s.items.some((item, i) => scalarText(walk.source.text, item as Scalar) !== scalarText(walk.target.text, t.items[i] as Scalar));
    const sameSet = new Set(s.items.map((i) => scalarText(walk.source.text, i as Scalar))).size === new Set([...s.items.map((i) => scalarText(walk.source.text, i as Scalar)), ...t.items.map((i) => scalarText(walk.target.text, i as Scalar))]).size;
    if (moved && !sameSet) {
      s.items.forEach((item, i) => {
        const tv = t.items[i] as Scalar;
        if (scalarText(walk.source.text, item as Scalar) === scalarText(walk.target.text, tv)) return;
        const line = lineOf(walk.target, tv, place.line);
        push(walk, child(place, String(i), `[${i}]`, listKey, line), 'set', item as YamlNode, tv, line);
      });
      return;
    }
    if (!moved) return;
  }
  if (allScalars) {
    const sourceValues = s.items.map((i) => scalarText(walk.source.text, i as Scalar));
    const targetValues = t.items.map((i) => scalarText(walk.target.text, i as Scalar));
    const inTarget = new Set(targetValues);
    const inSource = new Set(sourceValues);
    for (const [i, value] of sourceValues.entries()) {
      if (inTarget.has(value)) continue;
      const at = child(place, '-', `[${walk.neutral(value)}]`, listKey, lineOf(walk.target, t, place.line));
      push(walk, at, 'add', s.items[i] as YamlNode, null, at.line);
    }
    targetValues.forEach((value, ti) => {
      if (inSource.has(value)) return;
      const line = lineOf(walk.target, t.items[ti] as YamlNode, place.line);
      push(walk, child(place, String(ti), `[${walk.neutral(value)}]`, listKey, line), 'remove', null, t.items[ti] as YamlNode, line);
    });
    return;
  }
  // Lists without a merge key pair by position.
  const common = Math.min(s.items.length, t.items.length);
  for (let i = 0; i < common; i++) {
    const tv = t.items[i] as YamlNode;
    walkNodes(walk, s.items[i] as YamlNode, tv, child(place, String(i), `[${i}]`, '[]', lineOf(walk.target, tv, place.line)), depth + 1);
  }
  for (let i = common; i < s.items.length; i++) {
    const at = child(place, '-', `[${i}]`, listKey, lineOf(walk.target, t, place.line));
    push(walk, at, 'add', s.items[i] as YamlNode, null, at.line);
  }
  for (let i = t.items.length - 1; i >= common; i--) {
    const line = lineOf(walk.target, t.items[i] as YamlNode, place.line);
    push(walk, child(place, String(i), `[${i}]`, listKey, line), 'remove', null, t.items[i] as YamlNode, line);
  }
}

export interface FileValueDiff {
  differences: ValueDifference[];
  /** Documents of one side without a counterpart (an object added or removed as a whole). */
  unpairedSource: number[];
  unpairedTarget: number[];
}

/** Value differences between two parsed files. `neutral` takes the environments' words out of a name. */
export function diffYamlFiles(source: ParsedYamlFile, target: ParsedYamlFile, neutral: (value: string) => string): FileValueDiff {
  const pairs = pairDocuments(source, target, neutral);
  const out: ValueDifference[] = [];
  for (const { s, t, key } of pairs) {
    const walk: Walk = { source, target, docIndex: t, sourceDocIndex: s, docKey: key, out, neutral };
    const root = (target.docs[t].contents as YamlNode | null) ?? null;
    walkNodes(walk, (source.docs[s].contents as YamlNode | null) ?? null, root, { pointer: [], path: '', keys: [], key: '', itemName: null, line: lineOf(target, root, 1) }, 0);
  }
  return {
    differences: out,
    unpairedSource: source.docs.map((_, i) => i).filter((i) => !pairs.some((p) => p.s === i)),
    unpairedTarget: target.docs.map((_, i) => i).filter((i) => !pairs.some((p) => p.t === i)),
  };
}

/**
 * Every scalar of a file by its environment-neutral place (`docKey path`) → its values. History
 * evidence compares a target's value with every value the source's file ever held at that place.
 */
export function scalarValues(file: ParsedYamlFile, neutral: (value: string) => string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (place: string, value: string): void => {
    let set = out.get(place);
    if (!set) out.set(place, (set = new Set()));
    set.add(value);
  };
  file.docs.forEach((doc, index) => {
    const docKey = objectKey(doc, neutral) ?? `#${index}`;
    const visit = (node: YamlNode | null, path: string, depth: number): void => {
      if (depth > MAX_DEPTH || node === null) return;
      if (isScalar(node)) add(`${docKey} ${path}`, scalarText(file.text, node));
      else if (isMap(node)) {
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          const key = String(pair.key.value);
          visit((pair.value as YamlNode | null) ?? null, path === '' ? key : `${path}.${key}`, depth + 1);
        }
      } else if (isSeq(node)) {
        const mergeKey = mergeKeyOf(node);
        node.items.forEach((item, i) => {
          if (mergeKey !== null) {
            const name = scalarString(mapGet(item as YAMLMap, mergeKey)) as string;
            visit(item as YamlNode, `${path}[${mergeKey}=${name}]`, depth + 1);
            add(`${docKey} ${path}[${mergeKey}=${name}]`, nodeText(file.text, item as YamlNode));
          } else if (isScalar(item)) {
            const value = scalarText(file.text, item);
            add(`${docKey} ${path}[${neutral(value)}]`, value);
            add(`${docKey} ${path}[${i}]`, value);
          } else visit(item as YamlNode, `${path}[${i}]`, depth + 1);
        });
      }
    };
    visit((doc.contents as YamlNode | null) ?? null, '', 0);
  });
  return out;
}
