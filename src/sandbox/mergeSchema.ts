// The structural facts that merging needs: which lists are keyed (and by what), which are sets,
// which structs are atomic. Server-side apply (field ownership) and strategic merge patch both
// read it. Anything not described falls back to the Kubernetes defaults for an unknown schema:
// objects merge key by key, lists are atomic.

import { isRecord } from './kubeObject';

export interface MapSchema {
  type: 'map';
  /** Known members (struct fields). */
  fields?: Record<string, SchemaNode>;
  /** Schema for members not in `fields` (map values such as labels). */
  values?: SchemaNode;
  /** Replaced as a whole (x-kubernetes-map-type: atomic, e.g. LabelSelector). */
  atomic?: boolean;
}

export interface ListSchema {
  type: 'list';
  listType: 'atomic' | 'set' | 'map';
  /** Server-side apply keys for `listType: map` (x-kubernetes-list-map-keys). */
  keys?: string[];
  /** Values used for key fields left out of an item (the schema default, e.g. protocol TCP). */
  keyDefaults?: Record<string, string | number>;
  /** Strategic merge patch key (patchMergeKey); may differ from `keys`, e.g. ports merge on port only. */
  mergeKey?: string;
  items?: SchemaNode;
}

export interface ScalarSchema {
  type: 'scalar';
}

export type SchemaNode = MapSchema | ListSchema | ScalarSchema;

const unknownSchema: MapSchema = { type: 'map' };

/** The schema of member `key` of a map schema (or the unknown-schema default). */
export function childSchema(schema: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (!schema || schema.type !== 'map') return undefined;
  return schema.fields?.[key] ?? schema.values;
}

export function itemSchema(schema: SchemaNode | undefined): SchemaNode | undefined {
  return schema && schema.type === 'list' ? schema.items : undefined;
}

export function isAtomicMap(schema: SchemaNode | undefined): boolean {
  return schema !== undefined && schema.type === 'map' && schema.atomic === true;
}

export function keyedList(schema: SchemaNode | undefined): ListSchema | undefined {
  return schema && schema.type === 'list' && schema.listType === 'map' && schema.keys && schema.keys.length > 0 ? schema : undefined;
}

export function setList(schema: SchemaNode | undefined): boolean {
  return schema !== undefined && schema.type === 'list' && schema.listType === 'set';
}

/** The key object identifying a keyed-list item; undefined when the item lacks a key with no default. */
export function listItemKey(list: ListSchema, item: unknown): Record<string, unknown> | undefined {
  if (!isRecord(item) || !list.keys) return undefined;
  const key: Record<string, unknown> = {};
  for (const name of list.keys) {
    const value = item[name] ?? list.keyDefaults?.[name];
    if (value === undefined) return undefined;
    key[name] = value;
  }
  return key;
}

/** FieldsV1 spells item keys as JSON with sorted member names: `k:{"containerPort":80,"protocol":"TCP"}`. */
export function keyToken(key: Record<string, unknown>): string {
  const sorted: Record<string, unknown> = {};
  for (const name of Object.keys(key).sort()) sorted[name] = key[name];
  return `k:${JSON.stringify(sorted)}`;
}

export function fallbackSchema(schema: SchemaNode | undefined): SchemaNode {
  return schema ?? unknownSchema;
}
