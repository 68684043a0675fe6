// "Accept live value into file": the smallest text edit that puts a live value at one node of a
// manifest, leaving comments, key order and the rest of the formatting untouched. A block mapping
// or list is written back as a block at the same indentation; a field the cluster does not have is
// removed with its lines.
import { stringify } from 'yaml';
import type { ParsedManifest } from './manifest';
import type { SourceRange } from './model';

export interface TextEdit {
  range: SourceRange;
  newText: string;
}

/** A scalar as YAML writes it inline (strings quoted only when they would read as something else). */
export function inlineYaml(value: unknown): string {
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
    return stringify(value, { lineWidth: 0 }).trimEnd();
  }
  // Maps and lists become flow collections: valid YAML in any block position, one node wide.
  return JSON.stringify(value);
}

function lineOf(lines: readonly string[], line: number): string {
  return lines[line - 1] ?? '';
}

/** The node spans whole lines from `range.start` and is a block collection (not `{…}`/`[…]`). */
function isBlockCollection(lines: readonly string[], range: SourceRange): boolean {
  if (range.end.line <= range.start.line) return false;
  const first = lineOf(lines, range.start.line).slice(range.start.column - 1);
  return !first.startsWith('{') && !first.startsWith('[') && !first.startsWith('|') && !first.startsWith('>');
}

/** A mapping or list written as a block, its later lines indented to the node's column. */
function blockYaml(value: object, column: number): string | undefined {
  const text = stringify(value, { lineWidth: 0 }).trimEnd();
  if (text === '{}' || text === '[]') return text;
  const indent = ' '.repeat(column - 1);
  return text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : indent + line))
    .join('\n');
}

/**
 * Removes the mapping entry or list item Git declares at `pointer`, with its lines, when it stands
 * on lines of its own (a key that starts a `- ` item is not removed alone: the item would break).
 */
function removalEdit(manifest: ParsedManifest, pointer: string, lines: readonly string[]): TextEdit | undefined {
  const range = manifest.rangeOf(pointer);
  const exact = manifest.valueRangeOf(pointer);
  if (!exact) return undefined;
  const isItem = /\/\d+$/.test(pointer);
  const prefix = lineOf(lines, range.start.line).slice(0, range.start.column - 1);
  if (!(isItem ? /^\s*-\s+$/.test(prefix) : /^\s*$/.test(prefix))) return undefined;
  // A block collection's range ends at the start of the line after it.
  const endsAtLineStart = range.end.column === 1 && range.end.line > range.start.line;
  const lastLine = endsAtLineStart ? range.end.line - 1 : range.end.line;
  const rest = endsAtLineStart ? '' : lineOf(lines, range.end.line).slice(range.end.column - 1);
  if (!/^\s*(#.*)?$/.test(rest)) return undefined;
  return { range: { start: { line: range.start.line, column: 1 }, end: { line: lastLine + 1, column: 1 } }, newText: '' };
}

/**
 * The edit that puts the live value at `pointer` (or, with `live` undefined, removes Git's field
 * there). Undefined when Git does not declare that exact node (nothing to replace in place) or the
 * value is masked (a Secret). `text` is the manifest's file: with it, block collections keep their
 * block form and removals take whole lines; without it only inline replacements are made.
 */
export function acceptLiveEdit(manifest: ParsedManifest, pointer: string, live: unknown, text?: string): TextEdit | undefined {
  if (typeof live === 'object' && live !== null && (live as { masked?: unknown }).masked === true) return undefined;
  const lines = text?.split(/\r\n|\r|\n/);
  if (live === undefined) return lines ? removalEdit(manifest, pointer, lines) : undefined;
  const range = manifest.valueRangeOf(pointer);
  if (!range) return undefined;
  if (lines && typeof live === 'object' && live !== null && isBlockCollection(lines, range)) {
    const block = blockYaml(live, range.start.column);
    if (block !== undefined) return { range, newText: block };
  }
  const inline = inlineYaml(live);
  if (inline.includes('\n')) return undefined;
  return { range, newText: inline };
}
