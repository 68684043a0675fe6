// Field sets in the FieldsV1 shape used by managedFields: a tree whose keys are `f:<field>`,
// `k:<item key JSON>` (item of a keyed list), `v:<value JSON>` (member of a set list) and `.`
// (the node itself is owned, used when it also has owned children). A node with no children is
// an owned leaf. Server-side apply and update tracking both build on these operations.

import { deepEqual, isRecord } from './kubeObject';
import {
  childSchema,
  isAtomicMap,
  keyToken,
  keyedList,
  listItemKey,
  setList,
  type SchemaNode,
} from './mergeSchema';

export type FieldSet = Map<string, FieldSet>;

export type FieldPath = string[];

export interface FieldMember {
  path: FieldPath;
  /** true when the member is a leaf value (compared by value); false for an owned map/list item node. */
  leaf: boolean;
}

// Fields the API server never tracks ownership of (structured-merge-diff's strip set).
const strippedRoot = new Set(['apiVersion', 'kind']);
const strippedMetadata = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'selfLink',
  'managedFields',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
]);

function isStripped(path: FieldPath, key: string): boolean {
  if (path.length === 0) return strippedRoot.has(key);
  return path.length === 1 && path[0] === 'f:metadata' && strippedMetadata.has(key);
}

function ensureChild(node: FieldSet, token: string): FieldSet {
  let child = node.get(token);
  if (!child) {
    child = new Map();
    node.set(token, child);
  } else if (child.size === 0) {
    // An owned leaf that gains children keeps its own membership through `.`.
    child.set('.', new Map());
  }
  return child;
}

/** Marks `path` as owned. */
export function addMember(set: FieldSet, path: FieldPath): void {
  let node = set;
  for (let i = 0; i < path.length - 1; i++) node = ensureChild(node, path[i]);
  const last = path[path.length - 1];
  const existing = node.get(last);
  if (!existing) node.set(last, new Map());
  else if (existing.size > 0 && !existing.has('.')) existing.set('.', new Map());
}

function collapse(node: FieldSet): void {
  if (node.size === 1 && node.has('.')) node.delete('.');
}

/** Drops ownership of `path` (children stay owned); empty ancestors disappear. */
export function removeMember(set: FieldSet, path: FieldPath): void {
  const trail: FieldSet[] = [set];
  let node: FieldSet | undefined = set;
  for (const token of path) {
    node = node.get(token);
    if (!node) return;
    trail.push(node);
  }
  if (node.size > 0 && !(node.size === 1 && node.has('.'))) {
    node.delete('.');
    return;
  }
  for (let i = path.length - 1; i >= 0; i--) {
    const parent = trail[i];
    parent.delete(path[i]);
    if (parent.size > 0 || i === 0) {
      collapse(parent);
      return;
    }
  }
}

export function hasMember(set: FieldSet, path: FieldPath): boolean {
  let node: FieldSet | undefined = set;
  for (const token of path) {
    node = node.get(token);
    if (!node) return false;
  }
  return node !== set && (node.size === 0 || node.has('.'));
}

/** True when `path` or anything below it is owned. */
export function hasMemberAtOrBelow(set: FieldSet, path: FieldPath): boolean {
  let node: FieldSet | undefined = set;
  for (const token of path) {
    node = node.get(token);
    if (!node) return false;
  }
  return true;
}

export function members(set: FieldSet): FieldMember[] {
  const out: FieldMember[] = [];
  const walk = (node: FieldSet, path: FieldPath): void => {
    for (const [token, child] of node) {
      if (token === '.') continue;
      const childPath = [...path, token];
      if (child.size === 0) out.push({ path: childPath, leaf: true });
      else {
        if (child.has('.')) out.push({ path: childPath, leaf: false });
        walk(child, childPath);
      }
    }
  };
  walk(set, []);
  return out;
}

export function isEmptySet(set: FieldSet): boolean {
  return set.size === 0;
}

export function cloneSet(set: FieldSet): FieldSet {
  const out: FieldSet = new Map();
  for (const [token, child] of set) out.set(token, cloneSet(child));
  return out;
}

export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const token of [...set.keys()].sort(compareTokens)) out[token] = toFieldsV1(set.get(token) ?? new Map());
  return out;
}

// The real server writes `.` first, then tokens in byte order.
function compareTokens(a: string, b: string): number {
  if (a === '.') return -1;
  if (b === '.') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function fromFieldsV1(value: unknown): FieldSet {
  const out: FieldSet = new Map();
  if (!isRecord(value)) return out;
  for (const [token, child] of Object.entries(value)) out.set(token, fromFieldsV1(child));
  return out;
}

function addSubtree(set: FieldSet, path: FieldPath, value: unknown, schema: SchemaNode | undefined, markNode: boolean): void {
  const sub = fieldSetOfValue(value, schema, path);
  if (sub.size === 0) {
    addMember(set, path);
    return;
  }
  let node = set;
  for (const token of path) node = ensureChild(node, token);
  if (markNode) node.set('.', new Map());
  mergeInto(node, sub);
}

function mergeInto(target: FieldSet, source: FieldSet): void {
  for (const [token, child] of source) {
    const existing = target.get(token);
    if (!existing) target.set(token, cloneSet(child));
    else if (child.size === 0) {
      if (existing.size > 0) existing.set('.', new Map());
    } else {
      if (existing.size === 0) existing.set('.', new Map());
      mergeInto(existing, child);
    }
  }
}

/**
 * Fields set by `value` (relative to `path`, used only to strip server-owned metadata at the root).
 * Maps contribute their members, keyed lists their items (each owning `.`), set lists their
 * values; atomic values and empty maps are leaves, returned as an empty set for the caller to mark.
 */
export function fieldSetOfValue(value: unknown, schema: SchemaNode | undefined, path: FieldPath = []): FieldSet {
  const set: FieldSet = new Map();
  if (isRecord(value) && !isAtomicMap(schema)) {
    for (const [key, item] of Object.entries(value)) {
      if (item === null || item === undefined || isStripped(path, key)) continue;
      const token = `f:${key}`;
      const sub = fieldSetOfValue(item, childSchema(schema, key), [...path, token]);
      set.set(token, sub);
    }
    return set;
  }
  const list = keyedList(schema);
  if (Array.isArray(value) && list) {
    for (const item of value) {
      const key = listItemKey(list, item);
      if (!key) return new Map(); // unkeyable item: the list is owned as a whole
      const sub = fieldSetOfValue(item, list.items, []);
      sub.set('.', new Map());
      set.set(keyToken(key), sub);
    }
    return set;
  }
  if (Array.isArray(value) && setList(schema)) {
    for (const item of value) set.set(`v:${JSON.stringify(item)}`, new Map());
    return set;
  }
  return set;
}

/** The full field set of an object, without server-owned metadata. */
export function fieldSetOfObject(object: Record<string, unknown>, schema: SchemaNode, skipStatus: boolean): FieldSet {
  const set = fieldSetOfValue(object, schema, []);
  // metadata itself is stripped: with only server-owned members left it must not become a leaf.
  if (set.get('f:metadata')?.size === 0) set.delete('f:metadata');
  if (skipStatus) set.delete('f:status');
  return set;
}

// Upstream marks a newly created map with `.` when it is a Go map or pointer, not for embedded
// structs; without Go types, the common always-present structs are named here.
const embeddedStructs = new Set(['f:spec', 'f:status', 'f:metadata', 'f:template', 'f:strategy', 'f:updateStrategy', 'f:jobTemplate', 'f:roleRef']);

function structLike(path: FieldPath): boolean {
  return embeddedStructs.has(path[path.length - 1]);
}

/**
 * Fields that `next` sets differently from `previous`: what an Update operation's manager comes
 * to own. New maps and list items own their node (`.`) as well as their members.
 */
export function changedFields(previous: unknown, next: unknown, schema: SchemaNode | undefined, skipStatus: boolean): FieldSet {
  const out: FieldSet = new Map();
  const walk = (prev: unknown, value: unknown, nodeSchema: SchemaNode | undefined, path: FieldPath): void => {
    if (isRecord(value) && !isAtomicMap(nodeSchema)) {
      if (!isRecord(prev)) {
        // The root and metadata are never owned as nodes (both are in the strip set).
        if (path.length === 0 || (path.length === 1 && path[0] === 'f:metadata')) walkMembers({}, value, nodeSchema, path);
        else addSubtree(out, path, value, nodeSchema, Object.keys(value).length > 0 && !structLike(path));
        return;
      }
      walkMembers(prev, value, nodeSchema, path);
      return;
    }
    const list = keyedList(nodeSchema);
    if (Array.isArray(value) && list && Array.isArray(prev) && value.every((item) => listItemKey(list, item))) {
      for (const item of value) {
        const key = listItemKey(list, item) ?? {};
        const token = keyToken(key);
        const before = prev.find((candidate) => deepEqual(listItemKey(list, candidate), key));
        if (before === undefined) addSubtree(out, [...path, token], item, list.items, true);
        else walk(before, item, list.items, [...path, token]);
      }
      return;
    }
    if (Array.isArray(value) && setList(nodeSchema) && Array.isArray(prev)) {
      for (const item of value) if (!prev.some((candidate) => deepEqual(candidate, item))) addMember(out, [...path, `v:${JSON.stringify(item)}`]);
      return;
    }
    if (!deepEqual(prev, value)) addMember(out, path);
  };
  const walkMembers = (prev: Record<string, unknown>, value: Record<string, unknown>, nodeSchema: SchemaNode | undefined, path: FieldPath): void => {
    for (const [key, item] of Object.entries(value)) {
      if (item === null || item === undefined || isStripped(path, key)) continue;
      if (skipStatus && path.length === 0 && key === 'status') continue;
      walk(prev[key], item, childSchema(nodeSchema, key), [...path, `f:${key}`]);
    }
  };
  walk(previous, next, schema, []);
  return out;
}

/** Removes members whose field no longer exists in `object`. */
export function pruneToObject(set: FieldSet, object: unknown): void {
  for (const member of members(set)) {
    if (valueAtPath(object, member.path) === undefined) removeMember(set, member.path);
  }
}

function parseToken(token: string): { kind: 'f' | 'k' | 'v' | 'i'; name: string; json?: unknown } {
  const kind = token.slice(0, 1);
  const rest = token.slice(2);
  if (kind === 'f') return { kind: 'f', name: rest };
  if (kind === 'k' || kind === 'v') {
    let json: unknown;
    try {
      json = JSON.parse(rest);
    } catch {
      json = undefined;
    }
    return { kind, name: rest, json };
  }
  return { kind: 'i', name: rest };
}

// Paths carry no schema, so the one key default the built-in schemas use (ports' protocol TCP)
// is applied here as well; otherwise a port item written without protocol would never match.
function itemMatchesKey(item: unknown, key: unknown): boolean {
  if (!isRecord(item) || !isRecord(key)) return false;
  for (const [name, expected] of Object.entries(key)) {
    const actual = item[name] ?? (name === 'protocol' ? 'TCP' : undefined);
    if (!deepEqual(actual, expected)) return false;
  }
  return true;
}

/** The value at a field path, or undefined when any step is missing. */
export function valueAtPath(object: unknown, path: FieldPath): unknown {
  let current: unknown = object;
  for (const token of path) {
    const step = parseToken(token);
    if (step.kind === 'f') {
      if (!isRecord(current)) return undefined;
      current = current[step.name];
    } else if (step.kind === 'k') {
      if (!Array.isArray(current)) return undefined;
      current = current.find((item) => itemMatchesKey(item, step.json));
    } else if (step.kind === 'v') {
      if (!Array.isArray(current)) return undefined;
      const wanted = step.json;
      current = current.some((item) => deepEqual(item, wanted)) ? wanted : undefined;
    } else {
      if (!Array.isArray(current)) return undefined;
      current = current[Number(step.name)];
    }
    if (current === undefined || current === null) return undefined;
  }
  return current;
}

/** Deletes the field at `path` from `object` (in place); returns whether something was removed. */
export function removeAtPath(object: unknown, path: FieldPath): boolean {
  if (path.length === 0) return false;
  const parent = valueAtPath(object, path.slice(0, -1));
  const step = parseToken(path[path.length - 1]);
  if (step.kind === 'f' && isRecord(parent) && step.name in parent) {
    delete parent[step.name];
    return true;
  }
  if (Array.isArray(parent)) {
    const index =
      step.kind === 'k'
        ? parent.findIndex((item) => itemMatchesKey(item, step.json))
        : step.kind === 'v'
          ? parent.findIndex((item) => deepEqual(item, step.json))
          : Number(step.name);
    if (index >= 0 && index < parent.length) {
      parent.splice(index, 1);
      return true;
    }
  }
  return false;
}

/** `.spec.template.spec.containers[name="web"].image`, the way conflict messages spell paths. */
export function pathToString(path: FieldPath): string {
  let out = '';
  for (const token of path) {
    const step = parseToken(token);
    if (step.kind === 'f') out += `.${step.name}`;
    else if (step.kind === 'k' && isRecord(step.json)) {
      out += `[${Object.entries(step.json)
        .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
        .join(',')}]`;
    } else if (step.kind === 'v') out += `[=${step.name}]`;
    else out += `[${step.name}]`;
  }
  return out;
}
