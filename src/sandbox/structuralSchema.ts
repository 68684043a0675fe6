// What a CRD's openAPIV3Schema means for merging custom resources: the list/map merge structure
// from the x-kubernetes-* extensions. (Defaults, pruning and validation of custom resources go
// through the shared validator: objectValidation.ts.)

import { isRecord } from './kubeObject';
import type { MapSchema, SchemaNode } from './mergeSchema';
import { objectMetaSchema } from './builtinMergeSchemas';

type Json = Record<string, unknown>;

function properties(schema: Json): Json | undefined {
  return isRecord(schema.properties) ? schema.properties : undefined;
}

export function mergeSchemaFromOpenApi(schema: unknown): SchemaNode | undefined {
  if (!isRecord(schema)) return undefined;
  if (schema.type === 'array') {
    const listType = schema['x-kubernetes-list-type'];
    const keys = Array.isArray(schema['x-kubernetes-list-map-keys']) ? schema['x-kubernetes-list-map-keys'].filter((key): key is string => typeof key === 'string') : [];
    const items = mergeSchemaFromOpenApi(schema.items);
    if (listType === 'map' && keys.length > 0) return { type: 'list', listType: 'map', keys, mergeKey: keys[0], items };
    if (listType === 'set') return { type: 'list', listType: 'set' };
    return { type: 'list', listType: 'atomic', items };
  }
  const props = properties(schema);
  if (schema.type === 'object' || props) {
    const out: MapSchema = { type: 'map' };
    if (schema['x-kubernetes-map-type'] === 'atomic') out.atomic = true;
    if (props) {
      out.fields = {};
      for (const [name, child] of Object.entries(props)) {
        const converted = mergeSchemaFromOpenApi(child);
        if (converted) out.fields[name] = converted;
      }
    }
    const additional = mergeSchemaFromOpenApi(schema.additionalProperties);
    if (additional) out.values = additional;
    return out;
  }
  return undefined;
}

/** The merge schema of a custom resource: its spec/status structure plus ObjectMeta's. */
export function customResourceMergeSchema(openApiSchema: unknown): MapSchema {
  const converted = mergeSchemaFromOpenApi(openApiSchema);
  const fields = converted && converted.type === 'map' ? { ...converted.fields } : {};
  fields.metadata = objectMetaSchema;
  return { type: 'map', fields };
}
