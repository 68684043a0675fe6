// What a change does to an environment's rendered objects: added, removed and modified objects,
// and for a modified one every field that differs, with readable paths
// (`spec.template.spec.containers[name=web].image`, the drift engine's spelling). Secret values are
// replaced by short hashes before anything leaves this module.
import { objectId } from '../drift/compare';
import type { KubeObject } from '../drift/driftTypes';
import { maskValue } from '../drift/secretMask';
import { resourceKey } from '../model';

export type ObjectChange = 'added' | 'modified' | 'removed';

export interface FieldChange {
  path: string;
  /** Value before (null when the field did not exist); a Secret value is `{ masked, hash }`. */
  before: unknown;
  after: unknown;
}

export interface ObjectChangeReport {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  change: ObjectChange;
  fields: FieldChange[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function segment(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
}

function join(path: string, key: string): string {
  const part = segment(key);
  return path === '' ? part : part.startsWith('[') ? `${path}${part}` : `${path}.${part}`;
}

/** Lists whose items all have a distinct string `name` are matched by name, as kubectl merges them. */
function namedItems(list: readonly unknown[]): Map<string, unknown> | null {
  const out = new Map<string, unknown>();
  for (const item of list) {
    if (!isRecord(item) || typeof item.name !== 'string' || out.has(item.name)) return null;
    out.set(item.name, item);
  }
  return out;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => equal(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!equal(a[key], b[key])) return false;
    return true;
  }
  return false;
}

function walk(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
  if (equal(before, after)) return;
  if (isRecord(before) && isRecord(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) walk(before[key], after[key], join(path, key), out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const left = namedItems(before);
    const right = namedItems(after);
    if (left && right) {
      for (const name of new Set([...left.keys(), ...right.keys()])) walk(left.get(name), right.get(name), `${path}[name=${name}]`, out);
      return;
    }
    if (before.length === after.length) {
      before.forEach((item, i) => walk(item, after[i], `${path}[${i}]`, out));
      return;
    }
  }
  out.push({ path, before: before === undefined ? null : before, after: after === undefined ? null : after });
}

const SECRET_FIELDS = /^(data|stringData)(\.|\[|$)/;

/** The fields that differ between two versions of one object; Secret values masked. */
export function fieldChanges(before: KubeObject, after: KubeObject, salt?: string): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, '', out);
  if (before.kind !== 'Secret' && after.kind !== 'Secret') return out;
  return out.map((field) => {
    const secretValue = SECRET_FIELDS.test(field.path) || field.path === '';
    if (!secretValue) return field;
    return { path: field.path, before: field.before === null ? null : maskValue(field.before, salt), after: field.after === null ? null : maskValue(field.after, salt) };
  });
}

function describeObject(object: KubeObject, change: ObjectChange, fields: FieldChange[]): ObjectChangeReport {
  const id = objectId(object);
  return { apiVersion: String(object.apiVersion ?? ''), kind: id.kind, namespace: id.namespace, name: id.name, change, fields };
}

/** Objects of `before` and `after` matched by identity (group, kind, namespace, name); unchanged ones left out. */
export function diffObjectSets(before: readonly KubeObject[], after: readonly KubeObject[], salt?: string): ObjectChangeReport[] {
  const beforeByKey = new Map(before.map((object) => [resourceKey(objectId(object)), object] as const));
  const afterKeys = new Set<string>();
  const out: ObjectChangeReport[] = [];
  for (const object of after) {
    const key = resourceKey(objectId(object));
    afterKeys.add(key);
    const previous = beforeByKey.get(key);
    if (!previous) out.push(describeObject(object, 'added', []));
    else {
      const fields = fieldChanges(previous, object, salt);
      if (fields.length > 0) out.push(describeObject(object, 'modified', fields));
    }
  }
  for (const [key, object] of beforeByKey) if (!afterKeys.has(key)) out.push(describeObject(object, 'removed', []));
  const order: Record<ObjectChange, number> = { added: 0, modified: 1, removed: 2 };
  return out.sort((a, b) => order[a.change] - order[b.change] || a.kind.localeCompare(b.kind) || (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name));
}
