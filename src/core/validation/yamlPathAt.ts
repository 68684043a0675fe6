// Which field of which object the cursor is on, for the schema hover: only the document under the
// cursor is parsed (a 5,000-line file costs one document), and the path is given as segments
// (keys and list indexes) from the object's root, with the object's apiVersion and kind.

import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { splitDocuments } from '../documentSplit';

export interface FieldAt {
  apiVersion: string;
  kind: string;
  segments: (string | number)[];
  /** 0-based line and the key's columns [start, end) in that line, for the hover's range. */
  line: number;
  startColumn: number;
  endColumn: number;
}

const MAX_DEPTH = 200;

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * The field whose key is under the cursor (0-based line and character), or undefined when the
 * cursor is on no key (a value, a comment, a list dash) or the document is not an object.
 */
export function fieldAt(text: string, line: number, character: number): FieldAt | undefined {
  const chunk = splitDocuments(text).filter((candidate) => candidate.startLine <= line).pop();
  if (!chunk) return undefined;
  const starts = lineStarts(chunk.text);
  const localLine = line - chunk.startLine;
  if (localLine >= starts.length) return undefined;
  const offset = starts[localLine] + character;
  const doc = parseDocument(chunk.text, { uniqueKeys: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const apiVersion = doc.get('apiVersion');
  const kind = doc.get('kind');
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  const segments: (string | number)[] = [];
  let node: YamlNode | null = doc.contents;
  for (let depth = 0; node && depth < MAX_DEPTH; depth++) {
    if (isMap(node)) {
      let next: YamlNode | null = null;
      // Keys first: a nested value's range ends where the next key starts, so testing values in
      // the same pass would walk into `metadata:` from the first character of the `spec` after it.
      for (const pair of node.items) {
        const key = pair.key as YamlNode | null;
        if (isScalar(key) && key.range && offset >= key.range[0] && offset <= key.range[1]) {
          const start = key.range[0] - starts[localLine];
          if (start < 0) return undefined;
          segments.push(String(key.value));
          return { apiVersion, kind, segments, line, startColumn: start, endColumn: key.range[1] - starts[localLine] };
        }
      }
      for (const pair of node.items) {
        const key = pair.key as YamlNode | null;
        const value = pair.value as YamlNode | null;
        if (value?.range && offset >= value.range[0] && offset <= value.range[1] && isScalar(key)) {
          segments.push(String(key.value));
          next = value;
          break;
        }
      }
      node = next;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => {
        const range = (item as YamlNode | null)?.range;
        return range !== undefined && range !== null && offset >= range[0] && offset <= range[1];
      });
      if (index < 0) return undefined;
      segments.push(index);
      node = node.items[index] as YamlNode | null;
    } else {
      return undefined;
    }
  }
  return undefined;
}
