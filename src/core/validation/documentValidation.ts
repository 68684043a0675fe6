// Validation of an open manifest while it is edited (the editor's diagnostics): the text is cut at
// its document markers, and each document's problems are remembered by the document's text, so a
// keystroke re-validates only the document it touched. Problems are the validator's (schema, the
// API server's rules), each placed on the line of the offending key — for a missing field, of its
// parent — with "did you mean" for unknown fields. YAML syntax errors are left to the YAML tooling.
// A file's kustomize role (found by the caller) decides what its documents are held to: a patch
// only for what it sets (kustomize merges it into an object that has the required fields), a
// configuration or generator input not at all (it is no cluster object), as `gitops-env validate`.

import { splitDocuments } from '../documentSplit';
import { closestMatch } from '../didYouMean';
import { escapePointerToken, parseManifests, type ParsedManifest } from '../manifest';
import type { KustomizeFileRole } from './kustomizeFileRoles';
import { splitApiVersion, validateKubernetesObject, type ObjectValidation } from './objectValidator';
import type { FieldProblem } from './openApiSchema';
import { isObjectDocument, validatePatchObject } from './partialObjects';
import { CustomResourceCatalog, stackedCatalog, type SchemaCatalog } from './schemaCatalog';
import { declaredFields } from './schemaLookup';

/** Larger texts are not validated as you type (the CLI still does). */
export const MAX_VALIDATED_TEXT = 8 * 1024 * 1024;

export interface ManifestDiagnostic {
  /** 1-based line and column of the offending key (or of the parent of a missing field). */
  line: number;
  column: number;
  /** 1-based end column on the same line; undefined: to the end of the line. */
  endColumn?: number;
  message: string;
  /** field.Path form, as kubectl prints it. */
  path: string;
  reason: FieldProblem['reason'];
  kind: string;
  name: string;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((segment) => `/${escapePointerToken(String(segment))}`).join('');
}

function withSuggestion(problem: FieldProblem, object: Json, catalog: SchemaCatalog): string {
  const name = problem.segments[problem.segments.length - 1];
  if (typeof name !== 'string') return problem.message;
  const { group, version } = splitApiVersion(object.apiVersion);
  const kind = catalog.kindSchema(group, version, typeof object.kind === 'string' ? object.kind : '');
  if (!kind) return problem.message;
  const suggestion = closestMatch(name, declaredFields(kind, problem.segments.slice(0, -1)));
  return suggestion && suggestion !== name ? `${problem.message}; did you mean "${suggestion}"?` : problem.message;
}

function locate(manifest: ParsedManifest, problem: FieldProblem, message: string): ManifestDiagnostic {
  // A missing field is reported where its parent is declared (as `gitops-env validate` does).
  const segments = problem.reason === 'FieldValueRequired' ? problem.segments.slice(0, -1) : problem.segments;
  const range = segments.length === 0 ? manifest.kindRange : manifest.rangeOf(pointerOf(segments));
  const metadata = isRecord(manifest.object.metadata) ? manifest.object.metadata : {};
  return {
    line: range.start.line,
    column: range.start.column,
    endColumn: range.end.line === range.start.line ? range.end.column : undefined,
    message,
    path: problem.path,
    reason: problem.reason,
    kind: typeof manifest.object.kind === 'string' ? manifest.object.kind : '',
    name: typeof metadata.name === 'string' ? metadata.name : '',
  };
}

/** Every problem of one parsed object, located; nothing for a kind no catalog knows beyond its metadata rules. */
export function manifestDiagnostics(manifest: ParsedManifest, catalog: SchemaCatalog): ManifestDiagnostic[] {
  const object = structuredClone(manifest.object);
  return located(manifest, validateKubernetesObject(object, catalog, { unknownFields: 'Strict' }), catalog);
}

/** The problems of a kustomize patch: wrong types, unknown fields and bad values it sets, never a missing field. */
export function patchDiagnostics(manifest: ParsedManifest, catalog: SchemaCatalog): ManifestDiagnostic[] {
  return located(manifest, validatePatchObject(manifest.object, catalog), catalog);
}

function located(manifest: ParsedManifest, result: ObjectValidation, catalog: SchemaCatalog): ManifestDiagnostic[] {
  const out: ManifestDiagnostic[] = [];
  for (const problem of result.decodeErrors) out.push(locate(manifest, problem, problem.path ? `${problem.path}: ${problem.message}` : problem.message));
  for (const problem of result.unknownFields) out.push(locate(manifest, problem, withSuggestion(problem, manifest.object, catalog)));
  for (const problem of result.invalid) out.push(locate(manifest, problem, problem.path ? `${problem.path}: ${problem.message}` : problem.message));
  if (result.exhausted) out.push(locate(manifest, { path: '', segments: [], reason: 'FieldValueInvalid', message: '' }, 'validation stopped: the schema is too large or recursive to check in time'));
  return out;
}

/** Every problem of a text (one file), documents not remembered: for callers that validate once. */
export function textDiagnostics(text: string, catalog: SchemaCatalog, role?: KustomizeFileRole): ManifestDiagnostic[] {
  return new IncrementalDocumentValidator().validate(text, { catalog, key: '' }, role).diagnostics;
}

/** The problems of the documents of one YAML chunk, as its file's role asks. */
function chunkDiagnostics(chunk: string, catalog: SchemaCatalog, role: KustomizeFileRole | undefined): ManifestDiagnostic[] {
  const manifests = parseManifests(chunk, '', { fileChecks: false, byDocument: false }).manifests;
  // A patch chosen by a `target` may leave out its name: its apiVersion and kind still give it a schema.
  if (role === 'patch') return manifests.filter((manifest) => manifest.id !== null || isObjectDocument(manifest.object)).flatMap((manifest) => patchDiagnostics(manifest, catalog));
  return manifests.filter((manifest) => manifest.id !== null).flatMap((manifest) => manifestDiagnostics(manifest, catalog));
}

const CRD_KIND = /^kind:[ \t]*["']?CustomResourceDefinition["']?[ \t]*(#.*)?$/m;

function isCrd(object: Json): boolean {
  return object.kind === 'CustomResourceDefinition' && typeof object.apiVersion === 'string' && object.apiVersion.startsWith('apiextensions.k8s.io/');
}

export interface BaseCatalog {
  catalog: SchemaCatalog;
  /** Changes whenever the catalog's answers may change (results remembered under another key are dropped). */
  key: string;
}

interface ChunkResult {
  /** Lines relative to the chunk's first line (0-based offset added back when placed). */
  diagnostics: ManifestDiagnostic[];
}

/** One open document's validator: remembers each document's problems by its text and catalog. */
export class IncrementalDocumentValidator {
  private cache = new Map<string, ChunkResult>();
  private cacheKey: string | undefined;
  private crdTexts = '';
  private crdCatalog: CustomResourceCatalog | undefined;

  /**
   * `validated`: how many documents were (re-)validated rather than remembered. `role`: what a
   * kustomization names the file as; undefined for a file none names (an ordinary manifest).
   */
  validate(text: string, base: BaseCatalog, role?: KustomizeFileRole): { diagnostics: ManifestDiagnostic[]; validated: number } {
    // Configuration and generator inputs hold no cluster object, whatever they look like.
    if (text.length > MAX_VALIDATED_TEXT || role === 'config' || role === 'data') return { diagnostics: [], validated: 0 };
    const chunks = splitDocuments(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    // CRDs declared in this very file define its custom resources (as the CLI reads them).
    const crdChunks = chunks.filter((chunk) => CRD_KIND.test(chunk.text));
    const crdTexts = crdChunks.map((chunk) => chunk.text).join('\u0000');
    if (crdTexts !== this.crdTexts) {
      this.crdTexts = crdTexts;
      this.crdCatalog = undefined;
      if (crdTexts !== '') {
        const own = new CustomResourceCatalog();
        for (const chunk of crdChunks) for (const manifest of parseManifests(chunk.text, '', { fileChecks: false, byDocument: false }).manifests) if (isCrd(manifest.object)) own.add(manifest.object);
        this.crdCatalog = own.size > 0 ? own : undefined;
      }
    }
    const catalog = this.crdCatalog ? stackedCatalog([this.crdCatalog, base.catalog]) : base.catalog;
    const key = `${base.key}\u0000${crdTexts}\u0000${role ?? ''}`;
    if (key !== this.cacheKey) {
      this.cache = new Map();
      this.cacheKey = key;
    }
    const next = new Map<string, ChunkResult>();
    const diagnostics: ManifestDiagnostic[] = [];
    let validated = 0;
    for (const chunk of chunks) {
      let result = next.get(chunk.text) ?? this.cache.get(chunk.text);
      if (!result) {
        validated++;
        result = { diagnostics: chunkDiagnostics(chunk.text, catalog, role) };
      }
      next.set(chunk.text, result);
      for (const diagnostic of result.diagnostics) diagnostics.push(chunk.startLine === 0 ? diagnostic : { ...diagnostic, line: diagnostic.line + chunk.startLine });
    }
    // Only the documents of the current text are kept: memory follows the file, not its history.
    this.cache = next;
    return { diagnostics, validated };
  }
}
