// The subset of OpenAPI v3 schemas Kubernetes publishes (built-in definitions and CRDs'
// openAPIV3Schema), and the problems a validation reports. Paths are written the way the API
// server's field.Path prints them (`spec.template.spec.containers[0].image`, `metadata.labels[app]`)
// because users compare them with kubectl's messages.

export interface OpenApiSchema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  items?: OpenApiSchema;
  enum?: unknown[];
  required?: string[];
  $ref?: string;
  allOf?: OpenApiSchema[];
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

/** Finds the schema a `$ref` names (`#/components/schemas/<name>` or `#/definitions/<name>`). */
export type SchemaResolver = (ref: string) => OpenApiSchema | undefined;

/**
 * The API server's reasons (field.ErrorType) plus the two failures that happen while decoding,
 * before validation: a value of the wrong JSON type and a field no schema declares.
 */
export type ProblemReason =
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTypeInvalid'
  | 'FieldValueUnknown';

export interface FieldProblem {
  /** field.Path form: `spec.replicas`, `spec.template.spec.containers[0].ports[1].containerPort`. */
  path: string;
  /** Path segments (keys and indexes) to locate the problem in a source file. */
  segments: (string | number)[];
  reason: ProblemReason;
  /** The text after `<path>: `, as a 1.32 API server prints it (for unknown fields: the whole text). */
  message: string;
}

/** What the API server does with fields no schema declares (the `fieldValidation` query parameter). */
export type UnknownFieldMode = 'Strict' | 'Warn' | 'Ignore';

export function pathText(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}
