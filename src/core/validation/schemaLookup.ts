// The schema of one field of a kind, found by its path (`spec.template.spec.containers[0].imagePullPolicy`
// as segments): what the editor's hover shows (type, format, enum, description) and where "did you
// mean" finds the fields a parent declares. Follows `$ref` and the single-element `allOf` wrapper
// Kubernetes puts around a ref to attach a description, with the same hop bound as the validator.

import type { OpenApiSchema } from './openApiSchema';
import type { KindSchema } from './schemaCatalog';
import { goTypeParts } from './schemaValidator';

const MAX_REF_HOPS = 64;
/** Hostile or huge enums: the hover lists this many values and says how many more. */
const MAX_SHOWN_ENUM = 20;

export interface FieldSchema {
  schema: OpenApiSchema;
  /** The `$ref` the field's schema came through (its model name), when it had one. */
  refName?: string;
  /** The field's own description (the wrapper's, else the referenced schema's). */
  description?: string;
  /** The model (`$ref` target name) that declares the field, and the field's name in it. */
  parentModel?: string;
  fieldName?: string;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema behind refs and description wrappers; the first description met is the field's own. */
function resolved(start: OpenApiSchema, kind: KindSchema): FieldSchema | undefined {
  let current = start;
  let refName: string | undefined;
  let description = start.description;
  for (let hops = 0; hops < MAX_REF_HOPS; hops++) {
    if (current.$ref !== undefined) {
      refName = current.$ref;
      const next = kind.resolve(current.$ref);
      if (!next) return undefined;
      current = next;
    } else if (current.allOf && current.allOf.length === 1 && current.type === undefined && current.properties === undefined) {
      current = current.allOf[0];
    } else {
      return { schema: current, refName, description: description ?? current.description };
    }
    description ??= current.description;
  }
  return undefined;
}

/** Kubernetes' embedded object fields every kind has, whatever its schema declares. */
const OBJECT_ROOT_FIELDS: Record<string, OpenApiSchema> = {
  apiVersion: { type: 'string' },
  kind: { type: 'string' },
};

/**
 * The schema at `segments` under the kind's root, or undefined when the path leaves the schema
 * (an unknown field, a value under a field without a structure).
 */
export function schemaAtPath(kind: KindSchema, segments: readonly (string | number)[]): FieldSchema | undefined {
  let at = resolved(kind.root, kind);
  for (let i = 0; i < segments.length && at; i++) {
    const segment = segments[i];
    const schema = at.schema;
    if (typeof segment === 'number') {
      at = schema.items ? resolved(schema.items, kind) : undefined;
      continue;
    }
    const declared = schema.properties?.[segment] ?? (i === 0 ? OBJECT_ROOT_FIELDS[segment] : undefined);
    if (declared) {
      const parentModel = at.refName?.slice(at.refName.lastIndexOf('/') + 1);
      at = resolved(declared, kind);
      if (at) at = { ...at, parentModel, fieldName: segment };
    } else if (isRecord(schema.additionalProperties)) {
      at = resolved(schema.additionalProperties as OpenApiSchema, kind);
    } else {
      return undefined;
    }
  }
  return at;
}

/** The field names an object at `segments` declares (for "did you mean"); empty when it declares none. */
export function declaredFields(kind: KindSchema, segments: readonly (string | number)[]): string[] {
  const found = schemaAtPath(kind, segments);
  const names = Object.keys(found?.schema.properties ?? {});
  return segments.length === 0 ? [...new Set([...names, 'apiVersion', 'kind', 'metadata'])] : names;
}

function modelName(refName: string): string {
  return goTypeParts(refName).name;
}

/** `string`, `integer (int32)`, `[]Container`, `map[string]string`, `int-or-string`, `Quantity`. */
export function schemaTypeText(field: FieldSchema, kind: KindSchema, depth = 0): string {
  const { schema, refName } = field;
  if (schema['x-kubernetes-int-or-string'] || schema.format === 'int-or-string') return 'int-or-string';
  if (schema.format === 'quantity' || (refName && modelName(refName) === 'Quantity')) return 'Quantity (string or number)';
  if (depth > 3) return schema.type ?? 'object';
  switch (schema.type) {
    case 'array': {
      const items = schema.items ? resolved(schema.items, kind) : undefined;
      return `[]${items ? schemaTypeText(items, kind, depth + 1) : 'any'}`;
    }
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return schema.format ? `${schema.type} (${schema.format})` : schema.type;
    default:
      break;
  }
  if (isRecord(schema.additionalProperties)) {
    const values = resolved(schema.additionalProperties as OpenApiSchema, kind);
    return `map[string]${values ? schemaTypeText(values, kind, depth + 1) : 'any'}`;
  }
  if (refName) return modelName(refName);
  if (schema.type === 'object' || schema.properties) return 'object';
  return 'any';
}

/** The allowed values of an enum, bounded: `"Always", "IfNotPresent", "Never"`. */
export function enumText(schema: OpenApiSchema): string | undefined {
  if (!Array.isArray(schema.enum) || schema.enum.length === 0) return undefined;
  const shown = schema.enum.slice(0, MAX_SHOWN_ENUM).map((value) => JSON.stringify(value));
  if (schema.enum.length > MAX_SHOWN_ENUM) shown.push(`… (${schema.enum.length - MAX_SHOWN_ENUM} more)`);
  return shown.join(', ');
}

export interface FieldDescription {
  /** The field's path in field.Path form (`spec.template.spec.containers[0].imagePullPolicy`). */
  path: string;
  type: string;
  format?: string;
  /** Allowed values, when the schema lists them. */
  allowed?: string;
  description?: string;
}

/** A cluster's model name (`io.k8s.api.core.v1.Container`) as the generated models name it (`V1Container`). */
function clientModelName(model: string): string {
  const { pkg, name } = goTypeParts(model);
  return `${pkg.charAt(0).toUpperCase()}${pkg.slice(1)}${name}`;
}

/** Descriptions kept apart from the schemas (the bundled models carry none): model name, field name. */
export type DescriptionSource = (model: string, field: string) => string | undefined;

/** What the hover says about the field at `segments`, or undefined when the schema does not declare it. */
export function describeField(kind: KindSchema, segments: readonly (string | number)[], path: string, descriptions?: DescriptionSource): FieldDescription | undefined {
  const field = schemaAtPath(kind, segments);
  if (!field) return undefined;
  const separate = field.parentModel && field.fieldName && descriptions ? (descriptions(field.parentModel, field.fieldName) ?? descriptions(clientModelName(field.parentModel), field.fieldName)) : undefined;
  const description = (field.description ?? separate)?.trim();
  return {
    path,
    type: schemaTypeText(field, kind),
    format: field.schema.format,
    allowed: enumText(field.schema),
    description: description ? description : undefined,
  };
}
