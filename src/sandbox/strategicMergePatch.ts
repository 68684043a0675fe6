// Strategic merge patch (application/strategic-merge-patch+json), as `kubectl apply` (client-side),
// `kubectl patch` and `kubectl edit` send it: lists with a patch merge key (containers by name,
// ports by containerPort, ...) merge item by item, primitive merge lists (finalizers) are sets,
// other lists replace. Directives: $patch (replace/delete/merge), $retainKeys,
// $setElementOrder/<list>, $deleteFromPrimitiveList/<list>.

import { badRequest } from './apiStatus';
import { deepClone, deepEqual, isRecord } from './kubeObject';
import { childSchema, type ListSchema, type SchemaNode } from './mergeSchema';

const setOrderPrefix = '$setElementOrder/';
const deletePrimitivePrefix = '$deleteFromPrimitiveList/';

function mergeKeyOf(schema: SchemaNode | undefined): string | undefined {
  return schema && schema.type === 'list' && schema.listType === 'map' ? (schema.mergeKey ?? schema.keys?.[0]) : undefined;
}

function isPrimitiveMergeList(schema: SchemaNode | undefined): boolean {
  return schema !== undefined && schema.type === 'list' && schema.listType === 'set';
}

/** Drops directive members from a value that is stored as is (a new list item or replaced map). */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('$')) continue;
    if (item === null) continue;
    out[key] = stripDirectives(item);
  }
  return out;
}

function mergeKeyedList(original: unknown, patch: unknown[], list: ListSchema, mergeKey: string): unknown[] {
  if (patch.some((item) => isRecord(item) && item.$patch === 'replace')) {
    return patch.filter((item) => !(isRecord(item) && item.$patch === 'replace')).map(stripDirectives);
  }
  const out: unknown[] = Array.isArray(original) ? original.slice() : [];
  for (const item of patch) {
    if (!isRecord(item) || item[mergeKey] === undefined) {
      throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
    }
    const index = out.findIndex((candidate) => isRecord(candidate) && deepEqual(candidate[mergeKey], item[mergeKey]));
    if (item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    if (index >= 0) out[index] = mergeMap(out[index], item, list.items);
    else out.push(stripDirectives(item));
  }
  return out;
}

function orderBy(list: unknown, order: unknown, mergeKey: string | undefined): unknown {
  if (!Array.isArray(list) || !Array.isArray(order)) return list;
  const rank = (item: unknown): number =>
    order.findIndex((wanted) =>
      mergeKey !== undefined && isRecord(item) && isRecord(wanted) ? deepEqual(item[mergeKey], wanted[mergeKey]) : deepEqual(item, wanted),
    );
  const listed = list.filter((item) => rank(item) >= 0).sort((a, b) => rank(a) - rank(b));
  const unlisted = list.filter((item) => rank(item) < 0);
  return [...listed, ...unlisted];
}

function mergeMap(original: unknown, patch: Record<string, unknown>, schema: SchemaNode | undefined): unknown {
  if (patch.$patch === 'replace') return stripDirectives(patch);
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, unknown> = isRecord(original) ? { ...original } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(setOrderPrefix)) continue;
    if (key.startsWith(deletePrimitivePrefix)) {
      const field = key.slice(deletePrimitivePrefix.length);
      const current = out[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        const kept = current.filter((item) => !value.some((gone) => deepEqual(gone, item)));
        if (kept.length > 0) out[field] = kept;
        else delete out[field];
      }
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const fieldSchema = childSchema(schema, key);
    const mergeKey = mergeKeyOf(fieldSchema);
    if (Array.isArray(value)) {
      if (mergeKey !== undefined && fieldSchema?.type === 'list') out[key] = mergeKeyedList(out[key], value, fieldSchema, mergeKey);
      else if (isPrimitiveMergeList(fieldSchema)) {
        const existing = out[key];
        const current: unknown[] = Array.isArray(existing) ? existing.slice() : [];
        for (const item of value) if (!current.some((existing) => deepEqual(existing, item))) current.push(item);
        out[key] = current;
      } else out[key] = stripDirectives(value);
    } else if (isRecord(value)) {
      const merged = mergeMap(out[key], value, fieldSchema);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else {
      out[key] = deepClone(value);
    }
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(setOrderPrefix)) continue;
    const field = key.slice(setOrderPrefix.length);
    if (out[field] !== undefined) out[field] = orderBy(out[field], order, mergeKeyOf(childSchema(schema, field)));
  }
  const retainKeys = patch.$retainKeys;
  if (Array.isArray(retainKeys)) {
    for (const key of Object.keys(out)) if (!retainKeys.includes(key)) delete out[key];
  }
  return out;
}

export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: SchemaNode): unknown {
  if (!isRecord(patch)) throw badRequest('strategic merge patch must be a JSON object');
  return mergeMap(original, patch, schema) ?? {};
}
