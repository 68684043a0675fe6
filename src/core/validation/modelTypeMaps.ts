// Built-in Kubernetes schemas from the model classes that @kubernetes/client-node generates from
// the official OpenAPI document (each class keeps an `attributeTypeMap`: JSON name, type and format
// of every field). That is the complete field set of every built-in type, so unknown fields,
// types, formats, int-or-string and date-times are checked from the generated source, never from
// hand-typed schemas. The generator drops `required` and `enum`; the API server enforces those for
// built-in kinds in its own Go validation, which apiServerRules.ts reproduces.

import type { OpenApiSchema } from './openApiSchema';

export interface ModelAttribute {
  baseName: string;
  type: string;
  format: string;
}

export interface ModelClass {
  readonly attributeTypeMap?: readonly ModelAttribute[];
}

export type ModelClasses = Readonly<Record<string, unknown>>;

export const MODEL_REF_PREFIX = '#/components/schemas/';

/**
 * The one thing the generator loses that validation needs: it flattens
 * io.k8s.apimachinery.pkg.api.resource.Quantity (a string or a number in JSON) to `string`. These
 * are the fields the official document types as Quantity (directly or as map values), by model.
 */
const QUANTITY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  V1ResourceRequirements: ['limits', 'requests'],
  V1VolumeResourceRequirements: ['limits', 'requests'],
  V1EmptyDirVolumeSource: ['sizeLimit'],
  V1ResourceQuotaSpec: ['hard'],
  V1ResourceQuotaStatus: ['hard', 'used'],
  V1LimitRangeItem: ['default', 'defaultRequest', 'max', 'maxLimitRequestRatio', 'min'],
  V1NodeStatus: ['allocatable', 'capacity'],
  V1PersistentVolumeSpec: ['capacity'],
  V1PersistentVolumeClaimStatus: ['allocatedResources', 'capacity'],
  V1ContainerStatus: ['allocatedResources'],
  V1PodSpec: ['overhead'],
  V1Overhead: ['podFixed'],
  V1CSIStorageCapacity: ['capacity', 'maximumVolumeSize'],
  V2MetricTarget: ['averageValue', 'value'],
  V2MetricValueStatus: ['averageValue', 'value'],
};

const quantitySchema: OpenApiSchema = { type: 'string', format: 'quantity' };

function asQuantity(schema: OpenApiSchema): OpenApiSchema {
  if (schema.type === 'object' && typeof schema.additionalProperties === 'object') return { type: 'object', additionalProperties: quantitySchema };
  return quantitySchema;
}

function attributeMap(candidate: unknown): readonly ModelAttribute[] | undefined {
  if (typeof candidate !== 'function') return undefined;
  const map = (candidate as ModelClass).attributeTypeMap;
  return Array.isArray(map) ? (map as readonly ModelAttribute[]) : undefined;
}

const mapType = /^\{ \[key: string\]: (.*); \}$/;
const arrayType = /^Array<(.*)>$/;

function typeSchema(type: string, format: string, models: ModelClasses): OpenApiSchema {
  const array = arrayType.exec(type);
  if (array) return { type: 'array', items: typeSchema(array[1], format, models) };
  const map = mapType.exec(type);
  if (map) return { type: 'object', additionalProperties: typeSchema(map[1], format, models) };
  switch (type) {
    case 'string':
      return format === '' ? { type: 'string' } : { type: 'string', format };
    case 'number':
      if (format === 'int32' || format === 'int64') return { type: 'integer', format };
      return { type: 'number', format: format === '' ? 'double' : format };
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
      return { type: 'string', format: format === '' ? 'date-time' : format };
    case 'IntOrString':
      return { 'x-kubernetes-int-or-string': true };
    case 'any':
    case 'object':
      return {};
    default:
      if (attributeMap(models[type])) return { $ref: `${MODEL_REF_PREFIX}${type}` };
      // A model the generator emitted without fields (e.g. a micro-time): its format says the JSON type.
      return format.startsWith('date-time') ? { type: 'string', format: 'date-time' } : {};
  }
}

/** The schema of one model class, or undefined when `name` is not a model. */
export function modelSchema(name: string, models: ModelClasses): OpenApiSchema | undefined {
  const attributes = attributeMap(models[name]);
  if (!attributes) return undefined;
  const properties: Record<string, OpenApiSchema> = {};
  const quantities = QUANTITY_FIELDS[name] ?? [];
  for (const attribute of attributes) {
    const schema = typeSchema(attribute.type, attribute.format, models);
    properties[attribute.baseName] = quantities.includes(attribute.baseName) ? asQuantity(schema) : schema;
  }
  return { type: 'object', properties };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The model class of a kind: the generator names it `<Version><Kind>` (V1Deployment), or
 * `<Group><Version><Kind>` when two groups share a kind name (CoreV1Event, EventsV1Event).
 */
export function modelNameOfKind(group: string, version: string, kind: string, models: ModelClasses): string | undefined {
  return modelNameCandidates(group, version, kind).find((candidate) => attributeMap(models[candidate]) !== undefined);
}

/** The model names a kind may have, most specific first (shared with the generated schema asset's catalog). */
export function modelNameCandidates(group: string, version: string, kind: string): string[] {
  const groupPrefix = group === '' ? 'Core' : group.split('.').map(capitalized)[0];
  const versionPart = capitalized(version);
  return [`${groupPrefix}${versionPart}${kind}`, `${versionPart}${kind}`];
}

/** Every model schema, converted once per catalog and kept (a few thousand small objects). */
export class ModelSchemaCatalog {
  private readonly cache = new Map<string, OpenApiSchema | null>();

  constructor(private readonly models: ModelClasses) {}

  schema(name: string): OpenApiSchema | undefined {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const converted = modelSchema(name, this.models);
    this.cache.set(name, converted ?? null);
    return converted;
  }

  resolve = (ref: string): OpenApiSchema | undefined => {
    return ref.startsWith(MODEL_REF_PREFIX) ? this.schema(ref.slice(MODEL_REF_PREFIX.length)) : undefined;
  };

  kindModel(group: string, version: string, kind: string): string | undefined {
    return modelNameOfKind(group, version, kind, this.models);
  }

  /** The names of every model reachable from `root` (for serving one group-version's components). */
  reachable(root: string): string[] {
    const seen = new Set<string>();
    const pending = [root];
    while (pending.length > 0) {
      const name = pending.pop() as string;
      if (seen.has(name)) continue;
      const schema = this.schema(name);
      if (!schema) continue;
      seen.add(name);
      collectRefs(schema, pending);
    }
    return [...seen];
  }
}

function collectRefs(schema: OpenApiSchema, into: string[]): void {
  if (schema.$ref?.startsWith(MODEL_REF_PREFIX)) into.push(schema.$ref.slice(MODEL_REF_PREFIX.length));
  for (const child of Object.values(schema.properties ?? {})) collectRefs(child, into);
  if (schema.items) collectRefs(schema.items, into);
  if (typeof schema.additionalProperties === 'object') collectRefs(schema.additionalProperties, into);
}
