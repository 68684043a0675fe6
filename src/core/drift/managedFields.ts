// Reads `metadata.managedFields` (FieldsV1) to answer "who owns this live field": the manager
// shown next to a drifted field, the `managedFieldsManagers` ignore rule, and the fields a
// server-side applier would remove once Git stops declaring them.
// FieldsV1 keys: `f:<field>` a map field, `k:<json>` a list item by its merge key, `v:<json>` a
// set member, `i:<index>` an atomic list item, `.` the item itself.
import type { KubeObject } from './driftTypes';

export type FieldsNode = Record<string, unknown>;

export interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  time?: string;
  subresource?: string;
  fields: FieldsNode;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entries of a live object's managedFields that carry FieldsV1 (others are skipped). */
export function readManagedFields(live: KubeObject | undefined): ManagedFieldsEntry[] {
  const metadata = live?.metadata;
  if (!isRecord(metadata) || !Array.isArray(metadata.managedFields)) return [];
  const out: ManagedFieldsEntry[] = [];
  for (const entry of metadata.managedFields) {
    if (!isRecord(entry) || typeof entry.manager !== 'string' || !isRecord(entry.fieldsV1)) continue;
    out.push({
      manager: entry.manager,
      operation: typeof entry.operation === 'string' ? entry.operation : '',
      time: typeof entry.time === 'string' ? entry.time : undefined,
      subresource: typeof entry.subresource === 'string' ? entry.subresource : undefined,
      fields: entry.fieldsV1,
    });
  }
  return out;
}

/** True when the node has no children: the manager owns the whole value here (a scalar or an atomic map/list). */
export function isLeafNode(node: FieldsNode): boolean {
  for (const key in node) if (key !== '.') return false;
  return true;
}

export function childForKey(node: FieldsNode, key: string): FieldsNode | undefined {
  const child = node[`f:${key}`];
  return isRecord(child) ? child : undefined;
}

const parsedItemKeys = new WeakMap<FieldsNode, Array<[Record<string, unknown>, FieldsNode]>>();

function itemKeysOf(node: FieldsNode): Array<[Record<string, unknown>, FieldsNode]> {
  let parsed = parsedItemKeys.get(node);
  if (parsed) return parsed;
  parsed = [];
  for (const key in node) {
    if (!key.startsWith('k:')) continue;
    const child = node[key];
    if (!isRecord(child)) continue;
    try {
      const value: unknown = JSON.parse(key.slice(2));
      if (isRecord(value)) parsed.push([value, child]);
    } catch {
      // A malformed key owns nothing we can match; skip it.
    }
  }
  parsedItemKeys.set(node, parsed);
  return parsed;
}

function looselyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Merge keys are numbers in FieldsV1 even where the object holds int-or-string values.
  return (typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string') && String(a) === String(b);
}

/** The node for one live list item: by merge key, by value for sets, by index for atomic lists. */
export function childForItem(node: FieldsNode, item: unknown, index: number): FieldsNode | undefined {
  if (isRecord(item)) {
    for (const [key, child] of itemKeysOf(node)) {
      let match = true;
      for (const name in key) {
        if (!looselyEqual(key[name], item[name] ?? (name === 'protocol' ? 'TCP' : undefined))) {
          match = false;
          break;
        }
      }
      if (match) return child;
    }
  } else {
    const byValue = node[`v:${JSON.stringify(item)}`];
    if (isRecord(byValue)) return byValue;
  }
  const byIndex = node[`i:${index}`];
  return isRecord(byIndex) ? byIndex : undefined;
}

/** A step from a value to its child: a map key, or an index into a live list. */
export type LiveStep = string | number;

/**
 * The entries owning the live value at `path`: those whose FieldsV1 reaches the end of the path,
 * or stops early at a leaf (an atomic value owned whole).
 */
export function ownersAt(entries: readonly ManagedFieldsEntry[], live: unknown, path: readonly LiveStep[]): ManagedFieldsEntry[] {
  const owners: ManagedFieldsEntry[] = [];
  for (const entry of entries) {
    let node: FieldsNode | undefined = entry.fields;
    let value: unknown = live;
    let previous: LiveStep | undefined;
    for (const step of path) {
      if (!node) break;
      if (isLeafNode(node) && node !== entry.fields) {
        // Labels and annotations are granular maps: owning the map (`f:labels: {}`) is not owning its keys.
        if (previous === 'labels' || previous === 'annotations') node = undefined;
        break;
      }
      previous = step;
      if (typeof step === 'number') {
        const item: unknown = Array.isArray(value) ? value[step] : undefined;
        node = childForItem(node, item, step);
        value = item;
      } else {
        node = childForKey(node, step);
        value = isRecord(value) ? value[step] : undefined;
      }
    }
    if (node) owners.push(entry);
  }
  return owners;
}
