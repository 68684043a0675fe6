// Source positions and plain-language type names for nodes of the `yaml` package, shared by the
// readers that report problems on the exact line (gitops.yaml). Kept apart from manifest.ts so the
// config reader can walk nodes itself: it needs the position of every key, not only of values.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node as YamlNode } from 'yaml';
import type { SourceRange } from './model';

/** 1-based range from two offsets; an empty or inverted span collapses onto `start`. */
export function rangeFromOffsets(lines: LineCounter, start: number, end: number): SourceRange {
  const a = lines.linePos(start);
  const b = lines.linePos(Math.max(start, end));
  return { start: { line: a.line, column: a.col }, end: { line: b.line, column: b.col } };
}

/** Range of a node's value (not its trailing comment or line break); undefined for synthetic nodes. */
export function rangeOfNode(lines: LineCounter, node: YamlNode | null | undefined): SourceRange | undefined {
  const range = node?.range;
  return range ? rangeFromOffsets(lines, range[0], range[1]) : undefined;
}

/**
 * Follows an alias to its anchored node once. Readers walk a fixed shape, so they never expand
 * aliases recursively and an alias bomb costs nothing.
 */
export function resolveAlias(doc: Document, node: unknown): YamlNode | null {
  if (isAlias(node)) return (node.resolve(doc) as YamlNode | undefined) ?? null;
  return (node as YamlNode | null | undefined) ?? null;
}

/** What a user would call the node's type, for messages like "must be a list, not a mapping". */
export function describeNode(node: YamlNode | null): string {
  if (node === null) return 'empty';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null || value === undefined) return 'empty';
    if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    if (typeof value === 'boolean') return `the boolean ${String(value)}`;
    if (typeof value === 'number' || typeof value === 'bigint') return `the number ${String(value)}`;
  }
  return 'an unsupported value';
}
