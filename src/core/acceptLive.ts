// "Accept live value into file": the smallest text edit that puts a live value at one node of a
// manifest, leaving comments, key order and the rest of the formatting untouched.
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

/**
 * The edit that replaces the value Git declares at `pointer` with `live`. Undefined when Git does
 * not declare that exact node (nothing to replace in place) or the value is masked (a Secret).
 */
export function acceptLiveEdit(manifest: ParsedManifest, pointer: string, live: unknown): TextEdit | undefined {
  if (typeof live === 'object' && live !== null && (live as { masked?: unknown }).masked === true) return undefined;
  const range = manifest.valueRangeOf(pointer);
  if (!range) return undefined;
  const text = inlineYaml(live);
  if (text.includes('\n')) return undefined;
  return { range, newText: text };
}
