// metadata.managedFields as a working list of (manager, operation, subresource) → field set,
// and the Update-operation bookkeeping a real API server does on every non-apply write.

import { badRequest } from './apiStatus';
import { changedFields, fromFieldsV1, isEmptySet, members, pruneToObject, removeMember, toFieldsV1, addMember, type FieldSet } from './fieldSet';
import { deepEqual, isRecord, type KubeObject, type ManagedFieldsEntry } from './kubeObject';
import type { SchemaNode } from './mergeSchema';

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

export function readEntries(managedFields: unknown): ManagerEntry[] {
  if (!Array.isArray(managedFields)) return [];
  const out: ManagerEntry[] = [];
  for (const raw of managedFields) {
    if (!isRecord(raw) || typeof raw.manager !== 'string') continue;
    out.push({
      manager: raw.manager,
      operation: raw.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: typeof raw.apiVersion === 'string' ? raw.apiVersion : '',
      time: typeof raw.time === 'string' ? raw.time : undefined,
      subresource: typeof raw.subresource === 'string' && raw.subresource !== '' ? raw.subresource : undefined,
      set: fromFieldsV1(raw.fieldsV1),
    });
  }
  return out;
}

export function writeEntries(entries: ManagerEntry[]): ManagedFieldsEntry[] {
  return entries
    .filter((entry) => !isEmptySet(entry.set))
    .map((entry) => {
      const out: ManagedFieldsEntry = {
        manager: entry.manager,
        operation: entry.operation,
        apiVersion: entry.apiVersion,
        time: entry.time,
        fieldsType: 'FieldsV1',
        fieldsV1: toFieldsV1(entry.set),
      };
      if (entry.subresource) out.subresource = entry.subresource;
      return out;
    });
}

/** Checks a client-supplied managedFields list (kubectl's client-side → server-side apply upgrade writes one). */
export function validateManagedFields(value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw badRequest('metadata.managedFields must be a list');
  for (const entry of value) {
    if (!isRecord(entry)) throw badRequest('metadata.managedFields entries must be objects');
    if (Object.keys(entry).length === 0) continue;
    if (typeof entry.manager !== 'string') throw badRequest('metadata.managedFields[].manager is required');
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') throw badRequest('metadata.managedFields[].operation must be Apply or Update');
    if (entry.fieldsType !== undefined && entry.fieldsType !== 'FieldsV1') throw badRequest('metadata.managedFields[].fieldsType must be FieldsV1');
  }
}

export interface UpdateTracking {
  previous: KubeObject | undefined;
  next: KubeObject;
  manager: string;
  apiVersion: string;
  subresource?: string;
  schema: SchemaNode;
  skipStatus: boolean;
  now: string;
}

/**
 * Sets next.metadata.managedFields for an Update operation (create, update, non-apply patch):
 * the writer takes ownership of every field it changed, others lose those fields, and fields
 * that no longer exist leave every set. A client that rewrote managedFields itself is obeyed.
 */
export function trackUpdate(input: UpdateTracking): void {
  const { previous, next } = input;
  const before = previous?.metadata.managedFields ?? [];
  const requested: unknown = next.metadata.managedFields;
  if (Array.isArray(requested) && requested.length > 0 && !deepEqual(requested, before)) {
    validateManagedFields(requested);
    // A single empty entry is the documented way to wipe managedFields.
    const kept = requested.filter((entry) => isRecord(entry) && Object.keys(entry).length > 0);
    next.metadata.managedFields = writeEntries(readEntries(kept));
    if (next.metadata.managedFields.length === 0) delete next.metadata.managedFields;
    return;
  }
  const entries = readEntries(before);
  const changed = changedFields(previous, next, input.schema, input.skipStatus);
  const changedMembers = members(changed);
  let own = entries.find((entry) => entry.manager === input.manager && entry.operation === 'Update' && entry.subresource === input.subresource);
  for (const entry of entries) {
    if (entry === own) continue;
    for (const member of changedMembers) removeMember(entry.set, member.path);
  }
  if (changedMembers.length > 0) {
    if (!own) {
      own = { manager: input.manager, operation: 'Update', apiVersion: input.apiVersion, subresource: input.subresource, set: new Map() };
      entries.push(own);
    }
    for (const member of changedMembers) addMember(own.set, member.path);
    own.apiVersion = input.apiVersion;
    own.time = input.now;
  }
  for (const entry of entries) pruneToObject(entry.set, next);
  const written = writeEntries(entries);
  if (written.length > 0) next.metadata.managedFields = written;
  else delete next.metadata.managedFields;
}
