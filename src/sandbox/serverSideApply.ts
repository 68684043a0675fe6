// Server-side apply (PATCH application/apply-patch+yaml): merges the applied configuration into
// the live object, tracks what each field manager owns, removes fields a manager stopped
// applying (when nobody else owns them), and refuses with 409 when another manager owns a field
// the configuration would change, unless forced.

import { ApiError } from './apiStatus';
import {
  fieldSetOfObject,
  hasMember,
  hasMemberAtOrBelow,
  members,
  pathToString,
  removeAtPath,
  removeMember,
  valueAtPath,
  type FieldPath,
} from './fieldSet';
import { deepClone, deepEqual, isKubeObject, isRecord, type KubeObject } from './kubeObject';
import { readEntries, writeEntries, type ManagerEntry } from './managedFieldsEntries';
import { childSchema, isAtomicMap, keyedList, listItemKey, setList, type SchemaNode } from './mergeSchema';

export interface ApplyRequest {
  /** The stored object, or undefined when the apply creates it. */
  live: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  /** apiVersion of the request, recorded in the manager's entry. */
  apiVersion: string;
  schema: SchemaNode;
  /** Main resource of a kind with a status subresource: status is neither applied nor owned. */
  skipStatus: boolean;
  now: string;
  /** For conflict messages. */
  resource: { group: string; plural: string };
  /** Conflicts on these paths are resolved as if forced (see lastAppliedAnnotation.ts). */
  conflictAllowed?: (path: FieldPath) => boolean;
}

interface Conflict {
  path: FieldPath;
  entry: ManagerEntry;
}

export function mergeApplied(live: unknown, applied: unknown, schema: SchemaNode | undefined): unknown {
  if (isRecord(applied) && !isAtomicMap(schema)) {
    const base: Record<string, unknown> = isRecord(live) ? { ...live } : {};
    for (const [key, value] of Object.entries(applied)) {
      if (value === null || value === undefined) continue;
      base[key] = mergeApplied(base[key], value, childSchema(schema, key));
    }
    return base;
  }
  const list = keyedList(schema);
  if (Array.isArray(applied) && list && applied.every((item) => listItemKey(list, item))) {
    const base: unknown[] = Array.isArray(live) ? live.slice() : [];
    for (const item of applied) {
      const key = listItemKey(list, item);
      const index = base.findIndex((candidate) => deepEqual(listItemKey(list, candidate), key));
      if (index >= 0) base[index] = mergeApplied(base[index], item, list.items);
      else base.push(deepClone(item));
    }
    return base;
  }
  if (Array.isArray(applied) && setList(schema)) {
    const base: unknown[] = Array.isArray(live) ? live.slice() : [];
    for (const item of applied) if (!base.some((candidate) => deepEqual(candidate, item))) base.push(deepClone(item));
    return base;
  }
  return deepClone(applied);
}

function conflictMessage(conflicts: Conflict[]): string {
  const byManager = new Map<string, string[]>();
  for (const conflict of conflicts) {
    const label = managerLabel(conflict.entry);
    byManager.set(label, [...(byManager.get(label) ?? []), pathToString(conflict.path)]);
  }
  const count = conflicts.length;
  const parts = [...byManager].map(([label, paths]) =>
    paths.length === 1 ? `conflict with ${label}: ${paths[0]}` : `conflicts with ${label}:\n${paths.map((path) => `- ${path}`).join('\n')}`,
  );
  return `Apply failed with ${count} conflict${count === 1 ? '' : 's'}: ${parts.join('\n')}`;
}

function managerLabel(entry: ManagerEntry): string {
  const subresource = entry.subresource ? ` with subresource "${entry.subresource}"` : '';
  return entry.operation === 'Update' ? `"${entry.manager}"${subresource} using ${entry.apiVersion}` : `"${entry.manager}"${subresource}`;
}

// After a field is removed, containers it leaves empty are removed too (the typed objects of a
// real server drop empty omitempty maps), unless someone owns the container itself.
function pruneEmptyParents(object: unknown, path: FieldPath, entries: ManagerEntry[]): void {
  for (let depth = path.length - 1; depth > 0; depth--) {
    const parentPath = path.slice(0, depth);
    const value = valueAtPath(object, parentPath);
    const empty = (isRecord(value) && Object.keys(value).length === 0) || (Array.isArray(value) && value.length === 0);
    if (!empty || entries.some((entry) => hasMember(entry.set, parentPath))) return;
    removeAtPath(object, parentPath);
  }
}

/** Returns the merged object with managedFields updated; throws a 409 Status on unforced conflicts. */
export function serverSideApply(request: ApplyRequest): KubeObject {
  const { live, manager, schema } = request;
  const applied = deepClone(request.applied);
  if (request.skipStatus) delete applied.status;
  const entries = readEntries(live?.metadata.managedFields);
  const appliedSet = fieldSetOfObject(applied, schema, request.skipStatus);
  const appliedMembers = members(appliedSet);

  const base: KubeObject = live
    ? deepClone(live)
    : { apiVersion: applied.apiVersion, kind: applied.kind, metadata: { name: applied.metadata.name, namespace: applied.metadata.namespace } };
  const mergedValue = mergeApplied(base, applied, schema);
  // Merging two objects with metadata always yields one; the check keeps the types honest.
  if (!isKubeObject(mergedValue)) throw new ApiError(500, 'InternalError', 'server-side apply produced a non-object');
  const merged = mergedValue;

  const own = entries.find((entry) => entry.manager === manager && entry.operation === 'Apply');
  // Managers are identified by name, operation and subresource: `kubectl scale` (an Update by
  // "kubectl") conflicts with `kubectl apply --server-side` (an Apply by "kubectl").
  const others = entries.filter((entry) => entry !== own);
  const conflicts: Conflict[] = [];
  for (const member of appliedMembers) {
    for (const entry of others) {
      if (!hasMember(entry.set, member.path)) continue;
      const before = valueAtPath(base, member.path);
      const after = valueAtPath(merged, member.path);
      const differs = member.leaf ? !deepEqual(before, after) : (before === undefined) !== (after === undefined);
      if (differs) conflicts.push({ path: member.path, entry });
    }
  }
  const blocking = conflicts.filter((conflict) => !request.conflictAllowed?.(conflict.path));
  if (blocking.length > 0 && !request.force) {
    throw new ApiError(409, 'Conflict', conflictMessage(blocking), {
      name: applied.metadata.name,
      group: request.resource.group,
      kind: request.resource.plural,
      causes: blocking.map((conflict) => ({
        reason: 'FieldManagerConflict',
        message: `conflict with ${managerLabel(conflict.entry)}`,
        field: pathToString(conflict.path),
      })),
    });
  }
  for (const conflict of conflicts) removeMember(conflict.entry.set, conflict.path);

  // Fields this manager applied before and no longer applies are removed unless someone else owns them.
  if (own) {
    const dropped = members(own.set)
      .filter((member) => !hasMember(appliedSet, member.path))
      .sort((a, b) => b.path.length - a.path.length);
    for (const member of dropped) {
      if (others.some((entry) => hasMemberAtOrBelow(entry.set, member.path))) continue;
      if (!member.leaf && hasMemberAtOrBelow(appliedSet, member.path)) continue;
      if (removeAtPath(merged, member.path)) pruneEmptyParents(merged, member.path, [...others, { ...own, set: appliedSet }]);
    }
    own.set = appliedSet;
    own.apiVersion = request.apiVersion;
    own.time = request.now;
  } else {
    entries.push({ manager, operation: 'Apply', apiVersion: request.apiVersion, time: request.now, set: appliedSet });
  }
  const written = writeEntries(entries);
  if (written.length > 0) merged.metadata.managedFields = written;
  else delete merged.metadata.managedFields;
  return merged;
}
