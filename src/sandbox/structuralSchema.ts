// What a CRD's openAPIV3Schema means for stored custom resources: defaults (`default`), pruning of
// undeclared fields (reported as errors under fieldValidation=Strict, as warnings under Warn),
// and the list/map merge structure from the x-kubernetes-* extensions.

import { deepClone, isRecord } from './kubeObject';
import type { MapSchema, SchemaNode } from './mergeSchema';
import { objectMetaSchema } from './builtinMergeSchemas';

type Json = Record<string, unknown>;

function preservesUnknown(schema: Json): boolean {
  return schema['x-kubernetes-preserve-unknown-fields'] === true;
}

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

/**
 * Applies schema defaults and removes undeclared fields in place; returns the removed paths.
 * apiVersion, kind and metadata at the root (and in embedded resources) are always kept.
 */
export function defaultAndPrune(value: unknown, schema: unknown, path = '', root = true): string[] {
  const unknown: string[] = [];
  const walk = (current: unknown, node: unknown, at: string, isRoot: boolean): void => {
    if (!isRecord(node)) return;
    if (Array.isArray(current)) {
      current.forEach((item, index) => walk(item, node.items, `${at}[${index}]`, false));
      return;
    }
    if (!isRecord(current)) return;
    const props = properties(node);
    const embedded = isRoot || node['x-kubernetes-embedded-resource'] === true;
    if (props) {
      for (const [name, child] of Object.entries(props)) {
        if (current[name] === undefined && isRecord(child) && child.default !== undefined) current[name] = deepClone(child.default);
      }
    }
    for (const key of Object.keys(current)) {
      const childPath = at === '' ? key : `${at}.${key}`;
      if (embedded && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
      const declared = props?.[key];
      if (declared !== undefined) {
        walk(current[key], declared, childPath, false);
        continue;
      }
      if (isRecord(node.additionalProperties)) {
        walk(current[key], node.additionalProperties, childPath, false);
        continue;
      }
      if (node.additionalProperties === true || preservesUnknown(node)) continue;
      unknown.push(childPath);
      delete current[key];
    }
  };
  walk(value, schema, path, root);
  return unknown;
}
