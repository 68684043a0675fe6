// The sandbox's admission of an object, through the shared validator (src/core/validation): the
// schema of its kind before defaulting (wrong types fail decoding with 400, unknown fields per
// fieldValidation), then, after defaulting, the API server's own rules and immutable fields
// (422 Invalid with one cause per field) — the responses a 1.32 API server sends.

import { apiServerRuleProblems } from '../core/validation/apiServerRules';
import { immutableFieldProblems } from '../core/validation/immutableFields';
import type { FieldProblem, UnknownFieldMode } from '../core/validation/openApiSchema';
import type { SchemaCatalog } from '../core/validation/schemaCatalog';
import { validateAgainstSchema } from '../core/validation/schemaValidator';
import { badRequest, invalid, type StatusCause } from './apiStatus';
import { bundledCatalog } from './bundledSchemas';
import { isRecord, type KubeObject } from './kubeObject';
import type { ResourceType } from './resourceType';

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

function causesOf(problems: readonly FieldProblem[]): StatusCause[] {
  return problems.map((problem) => ({ reason: problem.reason, message: problem.message, field: problem.path }));
}

/** The decoder's failure as the server words it: `Deployment in version "v1" cannot be handled as a Deployment: …`. */
function decodeFailure(type: ResourceType, message: string): Error {
  return badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: ${message}`);
}

function catalogFor(type: ResourceType): SchemaCatalog | undefined {
  if (!type.custom) return bundledCatalog();
  const root = type.openApiSchema;
  if (!root) return undefined;
  return { kindSchema: () => ({ root, resolve: () => undefined, style: 'structural', builtin: false }) };
}

/**
 * Checks an incoming object against its kind's schema. Unknown fields: Strict refuses (400),
 * Warn adds `unknown field "…"` warnings and drops them, Ignore drops them. CRD defaults are filled in.
 */
export function admitBySchema(object: KubeObject, type: ResourceType, mode: UnknownFieldMode, warnings: string[]): void {
  const found = catalogFor(type)?.kindSchema(type.group, type.version, type.kind);
  if (!found) return;
  const result = validateAgainstSchema(object, found.root, {
    resolve: found.resolve,
    unknownFields: mode,
    style: found.style,
    prune: mode !== 'Strict',
    applyDefaults: type.custom,
  });
  if (result.decodeErrors.length > 0) throw decodeFailure(type, result.decodeErrors[0].message);
  if (result.unknownFields.length > 0) {
    const messages = result.unknownFields.map((problem) => problem.message);
    if (mode === 'Strict') throw decodeFailure(type, `strict decoding error: ${messages.join(', ')}`);
    if (mode === 'Warn') warnings.push(...messages);
  }
  if (result.invalid.length > 0) throw invalid(type, object.metadata.name ?? '', causesOf(result.invalid));
}

function secretDataProblems(object: KubeObject): string | undefined {
  if (!isRecord(object.data)) return undefined;
  for (const value of Object.values(object.data)) {
    if (typeof value === 'string' && !base64.test(value)) return 'illegal base64 data at input byte 0';
  }
  return undefined;
}

/** The API server's own rules after defaulting, and (on update) its immutable fields: throws 400 or 422. */
export function validateObject(object: KubeObject, type: ResourceType, previous?: KubeObject): void {
  if (type.group === '' && type.kind === 'Secret') {
    const problem = secretDataProblems(object);
    if (problem) throw decodeFailure(type, problem);
  }
  const rules = apiServerRuleProblems(object as unknown as Record<string, unknown>, type.group, type.kind, !type.custom);
  if (rules.decodeErrors.length > 0) throw decodeFailure(type, rules.decodeErrors[0].message);
  const problems = [...rules.invalid];
  if (previous) problems.push(...immutableFieldProblems(previous as unknown as Record<string, unknown>, object as unknown as Record<string, unknown>, type.group, type.kind));
  if (problems.length > 0) throw invalid(type, object.metadata.name ?? '', causesOf(problems));
}
