// Edits image fields in place: only the characters of the changed value are replaced (or one line
// added or removed), so comments, key order, quoting and blank lines of the file stay as they were.
// Positions come from the `yaml` package's node ranges; the text is spliced, never re-serialised.
import { isMap, isScalar, isSeq, parse, type Node as YamlNode, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { parseYamlDocuments } from '../yamlSource';
import { splitPointer } from '../manifest';
import { afterLine, lineStart } from './lineOffsets';

export interface ImageEdit {
  docIndex: number;
  /** JSON pointer of the field (for `add`: where it will be). */
  pointer: string;
  op: 'set' | 'add' | 'remove';
  /** New value for set/add. */
  value?: string;
}

export interface ImageEditResult {
  text: string;
  /** Edits that could not be made in place (the file's shape is unusual); the caller reports them. */
  failed: ImageEdit[];
}

interface Splice {
  start: number;
  end: number;
  insert: string;
  order: number;
}

/** Words a YAML 1.1 reader (kustomize, Helm) turns into booleans or null, so they must be quoted. */
const YAML11_SPECIAL = /^(y|yes|n|no|on|off|true|false|null|~)$/i;

/** The scalar as it should be written: in the style the neighbouring value used, quoted when plain would change its meaning. */
export function formatScalar(value: string, style: Scalar['type'] | undefined): string {
  if (style === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (style === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (value !== '' && !YAML11_SPECIAL.test(value) && !/^[\s]|[\s]$|: | #|^[-?:,[\]{}#&*!|>'"%@`]/.test(value) && !/[\n\r\t]/.test(value)) {
    try {
      // Helm reads values as YAML 1.1 (1_0, 0b101, 2024-01-15 are numbers and dates there), so both must agree.
      if (parse(value) === value && parse(value, { version: '1.1' }) === value) return value;
    } catch {
      // Not valid as a plain scalar: quote it.
    }
  }
  return JSON.stringify(value);
}

function childOf(node: YamlNode | null, token: string): { node: YamlNode | null; pair?: Pair } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === token);
    return pair ? { node: (pair.value as YamlNode | null) ?? null, pair } : undefined;
  }
  if (isSeq(node)) {
    const index = Number(token);
    if (!Number.isInteger(index) || index < 0 || index >= node.items.length) return undefined;
    return { node: node.items[index] as YamlNode };
  }
  return undefined;
}

function locate(root: YamlNode | null, tokens: readonly string[]): { node: YamlNode | null; pair?: Pair } | undefined {
  let current: { node: YamlNode | null; pair?: Pair } | undefined = { node: root };
  for (const token of tokens) {
    current = childOf(current.node, token);
    if (!current) return undefined;
  }
  return current;
}

function valueStyle(map: YAMLMap): Scalar['type'] | undefined {
  for (const pair of map.items) {
    if (isScalar(pair.value) && (pair.value.type === 'QUOTE_DOUBLE' || pair.value.type === 'QUOTE_SINGLE')) return pair.value.type;
  }
  return undefined;
}

function spliceFor(text: string, root: YamlNode | null, edit: ImageEdit, order: number): Splice | null {
  const tokens = splitPointer(edit.pointer);
  if (tokens.length === 0) return null;
  if (edit.op === 'set') {
    const found = locate(root, tokens);
    const node = found?.node;
    if (!isScalar(node) || !node.range || edit.value === undefined) return null;
    if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') return null;
    return { start: node.range[0], end: node.range[1], insert: formatScalar(edit.value, node.type), order };
  }
  const key = tokens[tokens.length - 1];
  const parent = locate(root, tokens.slice(0, -1))?.node ?? null;
  if (!isMap(parent) || !parent.range) return null;
  if (edit.op === 'remove') {
    if (parent.flow) return null;
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    const keyNode = pair?.key as Scalar | undefined;
    const valueNode = pair?.value as YamlNode | null | undefined;
    if (!keyNode?.range || !isScalar(valueNode) || !valueNode.range) return null;
    const start = lineStart(text, keyNode.range[0]);
    // Only a line of its own can go: `- newTag: x` would take the list item's dash with it.
    if (text.slice(start, keyNode.range[0]).trim() !== '') return null;
    if (text.slice(keyNode.range[0], valueNode.range[1]).includes('\n')) return null;
    return { start, end: afterLine(text, valueNode.range[1]), insert: '', order };
  }
  if (edit.value === undefined || parent.items.some((p) => isScalar(p.key) && String(p.key.value) === key)) return null;
  const formatted = formatScalar(edit.value, valueStyle(parent));
  if (parent.flow) {
    const close = text.lastIndexOf('}', parent.range[1]);
    if (close < parent.range[0]) return null;
    return { start: close, end: close, insert: `${parent.items.length ? ', ' : ''}${key}: ${formatted}`, order };
  }
  const first = parent.items[0]?.key as Scalar | undefined;
  const last = parent.items[parent.items.length - 1];
  const lastEnd = (last?.value as YamlNode | null)?.range?.[1] ?? (last?.key as Scalar | undefined)?.range?.[1];
  if (!first?.range || lastEnd === undefined) return null;
  // The mapping's column: the first key's, or that of its `?` when the key is written explicitly.
  const beforeKey = text.slice(lineStart(text, first.range[0]), first.range[0]);
  const explicit = /\?[ \t]+$/.exec(beforeKey);
  const indent = explicit ? explicit.index : beforeKey.length;
  const at = afterLine(text, lastEnd);
  const newlineBefore = at === text.length && !text.endsWith('\n') ? '\n' : '';
  return { start: at, end: at, insert: `${newlineBefore}${' '.repeat(indent)}${key}: ${formatted}\n`, order };
}

/** Applies image edits to one file's text. Edits that cannot be made in place are returned in `failed`. */
export function applyImageEdits(text: string, edits: readonly ImageEdit[]): ImageEditResult {
  if (edits.length === 0) return { text, failed: [] };
  const list = parseYamlDocuments(text);
  const failed: ImageEdit[] = [];
  const splices: Splice[] = [];
  edits.forEach((edit, order) => {
    const doc = list[edit.docIndex];
    const splice = doc && doc.errors.length === 0 ? spliceFor(text, doc.contents as YamlNode | null, edit, order) : null;
    if (splice) splices.push(splice);
    else failed.push(edit);
  });
  // From the end of the file backwards so earlier offsets stay valid; inserts at one spot keep their order.
  splices.sort((a, b) => b.start - a.start || b.order - a.order);
  let out = text;
  for (const splice of splices) out = out.slice(0, splice.start) + splice.insert + out.slice(splice.end);
  return { text: out, failed };
}
