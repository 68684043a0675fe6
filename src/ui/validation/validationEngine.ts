// The editor's validation without the editor: one incremental validator per open document (only
// the edited document of a file is validated again), the hover's field lookup, and the hover text.
// No vscode import, so the unit tests and the bench time the same code the provider runs.
import { IncrementalDocumentValidator, type ManifestDiagnostic } from '../../core/validation/documentValidation';
import type { KustomizeFileRole } from '../../core/validation/kustomizeFileRoles';
import { splitApiVersion } from '../../core/validation/objectValidator';
import { pathText } from '../../core/validation/openApiSchema';
import { describeField, type FieldDescription } from '../../core/validation/schemaLookup';
import { fieldAt } from '../../core/validation/yamlPathAt';
import type { EnvironmentCandidate } from './fileEnvironment';
import type { ValidationCatalogs } from './validationCatalogs';

/** Short enough that problems show within 150 ms of the last keystroke (validation itself takes a few ms). */
export const VALIDATION_DEBOUNCE_MS = 75;

export interface FieldHover {
  field: FieldDescription;
  /** The key under the cursor: 0-based line, columns [start, end). */
  line: number;
  startColumn: number;
  endColumn: number;
  kind: string;
  source: 'cluster' | 'bundled';
  environment: string;
  context: string | null;
}

export class ValidationEngine {
  private readonly documents = new Map<string, IncrementalDocumentValidator>();

  constructor(private readonly catalogs: ValidationCatalogs) {}

  /** Problems of a document's current text, against its environment's catalog; `role`: what a kustomization names the file as. */
  validate(uri: string, text: string, environment: EnvironmentCandidate, role?: KustomizeFileRole): ManifestDiagnostic[] {
    let validator = this.documents.get(uri);
    if (!validator) {
      validator = new IncrementalDocumentValidator();
      this.documents.set(uri, validator);
    }
    return validator.validate(text, this.catalogs.forEnvironment(environment), role).diagnostics;
  }

  forget(uri: string): void {
    this.documents.delete(uri);
  }

  /** The schema of the field whose key is under the cursor (0-based line and character). */
  hover(text: string, line: number, character: number, environment: EnvironmentCandidate): FieldHover | undefined {
    const at = fieldAt(text, line, character);
    if (!at) return undefined;
    const catalog = this.catalogs.forEnvironment(environment);
    const { group, version } = splitApiVersion(at.apiVersion);
    const kind = catalog.catalog.kindSchema(group, version, at.kind);
    if (!kind) return undefined;
    const field = describeField(kind, at.segments, pathText(at.segments), catalog.describe);
    if (!field) return undefined;
    return { field, line: at.line, startColumn: at.startColumn, endColumn: at.endColumn, kind: at.kind, source: catalog.source, environment: environment.name, context: environment.context };
  }
}

/** Hover text (Markdown; the description is escaped by the caller's appendText). */
export function hoverHeading(hover: FieldHover): string {
  const name = hover.field.path.slice(hover.field.path.lastIndexOf('.') + 1);
  return `**${markdownEscaped(name)}** \`${hover.field.type.replace(/`/g, '')}\``;
}

export function hoverSource(hover: FieldHover): string {
  return hover.source === 'cluster' && hover.context ? `${hover.kind} ${hover.field.path} · schema of cluster ${hover.context}` : `${hover.kind} ${hover.field.path} · bundled Kubernetes schema`;
}

/** A key is the user's text: no Markdown of its own reaches the hover. */
function markdownEscaped(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}
