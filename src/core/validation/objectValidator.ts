// One entry point for "would the API server accept this object?", shared by the sandbox (on every
// create, update, patch and apply) and `gitops-env validate`: the schema of its kind, then the
// server's own rules, then (on update) the immutable fields. Problems come back grouped the way
// the server reports them: decode failures (400), unknown fields (per fieldValidation), and the
// causes of a 422 Invalid.

import { apiServerRuleProblems } from './apiServerRules';
import { immutableFieldProblems } from './immutableFields';
import type { FieldProblem, UnknownFieldMode } from './openApiSchema';
import type { SchemaCatalog } from './schemaCatalog';
import { validateAgainstSchema } from './schemaValidator';

type Json = Record<string, unknown>;

export interface ObjectValidationOptions {
  unknownFields: UnknownFieldMode;
  /** Drop unknown fields from the object (the server does under Warn and Ignore). */
  prune?: boolean;
  /** Fill CRD schema defaults into the object. */
  applyDefaults?: boolean;
  /** The stored object, for updates: immutable fields are checked against it. */
  previous?: Json;
  /** Run only the schema (the sandbox runs the server rules after its own defaulting). */
  schemaOnly?: boolean;
}

export interface ObjectValidation {
  decodeErrors: FieldProblem[];
  unknownFields: FieldProblem[];
  invalid: FieldProblem[];
  /** False when no catalog knows the kind: nothing but the name and labels was checked. */
  schemaFound: boolean;
  /** The schema walk ran out of its step budget (a hostile schema); results are partial. */
  exhausted: boolean;
}

export function splitApiVersion(apiVersion: unknown): { group: string; version: string } {
  const text = typeof apiVersion === 'string' ? apiVersion : '';
  const slash = text.indexOf('/');
  return slash < 0 ? { group: '', version: text } : { group: text.slice(0, slash), version: text.slice(slash + 1) };
}

/** Validates one decoded object; mutates it only when `prune` or `applyDefaults` ask to. */
export function validateKubernetesObject(object: Json, catalog: SchemaCatalog, options: ObjectValidationOptions): ObjectValidation {
  const { group, version } = splitApiVersion(object.apiVersion);
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const found = catalog.kindSchema(group, version, kind);
  const result: ObjectValidation = { decodeErrors: [], unknownFields: [], invalid: [], schemaFound: found !== undefined, exhausted: false };
  if (found) {
    const schemaResult = validateAgainstSchema(object, found.root, {
      resolve: found.resolve,
      unknownFields: options.unknownFields,
      style: found.style,
      prune: options.prune,
      applyDefaults: options.applyDefaults,
    });
    result.decodeErrors.push(...schemaResult.decodeErrors);
    result.unknownFields.push(...schemaResult.unknownFields);
    result.invalid.push(...schemaResult.invalid);
    result.exhausted = schemaResult.exhausted;
  }
  if (options.schemaOnly) return result;
  // A server stops at the first decode failure; a linter reports everything it can, so the rules
  // still run (they read only values of the right type).
  result.invalid.push(...serverRuleProblems(object, group, kind, found?.builtin ?? false, result.decodeErrors));
  if (options.previous) result.invalid.push(...immutableFieldProblems(options.previous, object, group, kind));
  result.invalid = withoutRepeats(result.invalid);
  return result;
}

/** A cluster's schema carries `required` for built-in kinds too, which the Go rules also report: one cause each. */
function withoutRepeats(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The API server's own rules; for custom resources only the metadata rules apply. */
export function serverRuleProblems(object: Json, group: string, kind: string, builtin: boolean, decodeErrors: FieldProblem[]): FieldProblem[] {
  const rules = apiServerRuleProblems(object, group, kind, builtin);
  decodeErrors.push(...rules.decodeErrors);
  return rules.invalid;
}
