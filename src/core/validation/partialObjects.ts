// Documents that are not complete Kubernetes objects, as `gitops-env validate` meets them:
// kustomize strategic-merge patches (checked for the types and names of the fields they set, never
// for required fields, which the object they patch provides) and documents of a plain manifest
// file that are no object at all (no apiVersion or kind, a bare list or value), which kubectl would
// refuse to apply and drift cannot compare.

import { splitDocuments } from '../documentSplit';
import type { ParsedManifest } from '../manifest';
import type { SourcePosition } from '../model';
import { lastIndexAtMost } from '../sortedIndex';
import { splitApiVersion, validateKubernetesObject, type ObjectValidation } from './objectValidator';
import type { SchemaCatalog } from './schemaCatalog';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** API groups of tool configuration (kustomizations, KRM function configs, gitops.yaml): not cluster objects. */
const TOOL_GROUPS = new Set(['kustomize.config.k8s.io', 'config.kubernetes.io', 'gitops-environments']);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Whether a document is meant as a cluster object: it names its apiVersion and kind (a missing
 * name is then the validator's to report, as the API server does) and is no tool configuration.
 */
export function isObjectDocument(object: Json): boolean {
  const apiVersion = text(object.apiVersion);
  return apiVersion !== '' && text(object.kind) !== '' && !TOOL_GROUPS.has(splitApiVersion(apiVersion).group);
}

/**
 * A strategic-merge patch as the schema should see it: `$patch`, `$setElementOrder/…`,
 * `$retainKeys`, `$deleteFromPrimitiveList/…` directives and `key: null` deletions dropped (they are
 * instructions to kustomize, not values). List items stay at their indexes so problems keep their paths.
 */
export function withoutPatchDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPatchDirectives);
  if (!isRecord(value)) return value;
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('$') || item === null) continue;
    out[key] = withoutPatchDirectives(item);
  }
  return out;
}

/** A patch against the schema of its kind: wrong types, unknown fields and bad values, but no "Required value" and none of the server's whole-object rules. */
export function validatePatchObject(object: Json, catalog: SchemaCatalog): ObjectValidation {
  const result = validateKubernetesObject(withoutPatchDirectives(object) as Json, catalog, { unknownFields: 'Strict', schemaOnly: true });
  return { ...result, invalid: result.invalid.filter((problem) => problem.reason !== 'FieldValueRequired') };
}

export interface NotAnObject {
  position: SourcePosition;
  message: string;
}

const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?$/;
const EMPTY_VALUE = /^(?:null|Null|NULL|~)?[ \t]*(?:#.*)?$/;

function missingTypeMeta(object: Json): string {
  const missing = [text(object.apiVersion) === '' ? 'no apiVersion' : '', text(object.kind) === '' ? 'no kind' : ''].filter(Boolean);
  return `not a Kubernetes object: ${missing.join(', ')}`;
}

/**
 * The documents of a plain manifest file that are no Kubernetes object, each at its first line:
 * mappings without apiVersion or kind, and documents that are a list or a single value (the parser
 * gives no manifest for those, so they are found as document chunks nothing was read from).
 * Empty documents and documents that failed to parse (already reported) are not repeated here.
 */
export function notObjectDocuments(source: string, manifests: readonly ParsedManifest[], problemLines: readonly number[]): NotAnObject[] {
  const out: NotAnObject[] = [];
  for (const manifest of manifests) {
    if (manifest.id !== null || isObjectDocument(manifest.object)) continue;
    if (TOOL_GROUPS.has(splitApiVersion(text(manifest.object.apiVersion)).group)) continue;
    out.push({ position: manifest.kindRange.start, message: missingTypeMeta(manifest.object) });
  }
  const chunks = splitDocuments(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source);
  const starts = chunks.map((chunk) => chunk.startLine + 1);
  // 1-based lines read from: manifests and parse problems, by the chunk they fall in.
  const read = new Set<number>();
  const chunkOf = (line: number): number => lastIndexAtMost(starts, line);
  for (const manifest of manifests) read.add(chunkOf(manifest.range.start.line));
  for (const line of problemLines) read.add(chunkOf(line));
  chunks.forEach((chunk, index) => {
    if (read.has(index)) return;
    const lines = chunk.text.split(/\r\n|\r|\n/);
    for (const [offset, raw] of lines.entries()) {
      // The document marker may carry the document's first value (`--- [a, b]`).
      const line = raw.replace(/^(?:---|\.\.\.)(?=[ \t]|$)/, '');
      if (raw.startsWith('%') || BLANK_OR_COMMENT.test(line)) continue;
      if (EMPTY_VALUE.test(line.trim())) return;
      const sequence = /^[ \t]*(?:-(?:[ \t]|$)|\[)/.test(line);
      out.push({
        position: { line: chunk.startLine + offset + 1, column: 1 },
        message: `not a Kubernetes object: ${sequence ? 'a YAML list' : 'a single value'}, not a mapping with apiVersion and kind`,
      });
      return;
    }
  });
  return out.sort((a, b) => a.position.line - b.position.line);
}
