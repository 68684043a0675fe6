// Brings a desired or live object to the form the comparison needs, so that what the API server
// adds, reorders or respells is not reported as drift. Returns a fresh object; the input is not
// touched (it may be shared by other views).
import { utf8ToBase64 } from './base64';
import type { KubeObject } from './driftTypes';
import { canonicalQuantity } from './quantity';

/** The annotation we put on objects we apply, to find them again. */
export const TRACKING_ANNOTATION = 'gitops-environments/tracking-id';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Written by the API server, never by Git. */
const SERVER_METADATA = new Set(['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds']);
const DROPPED_ANNOTATIONS = new Set([LAST_APPLIED_ANNOTATION, TRACKING_ANNOTATION]);

/** Fields the API accepts as a number or as a numeric string (int-or-string, or loosely typed YAML). */
const INT_OR_STRING = new Set(['targetPort', 'port', 'containerPort', 'hostPort', 'nodePort', 'replicas', 'maxSurge', 'maxUnavailable', 'minAvailable', 'partition']);
/** Maps whose values are all quantities, by their key (and the key of what holds them, when it matters). */
const QUANTITY_MAPS = new Set(['requests', 'limits', 'hard', 'capacity', 'allocatable', 'overhead', 'max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']);
const QUANTITY_MAP_PARENTS: Record<string, ReadonlySet<string>> = {
  requests: new Set(['resources']),
  limits: new Set(['resources']),
  hard: new Set(['spec', 'status']),
  capacity: new Set(['spec', 'status']),
  allocatable: new Set(['status']),
  overhead: new Set(['spec']),
  // LimitRange items sit in the `limits` list.
  max: new Set(['limits']),
  min: new Set(['limits']),
  default: new Set(['limits']),
  defaultRequest: new Set(['limits']),
  maxLimitRequestRatio: new Set(['limits']),
};
const QUANTITY_LEAVES = new Set(['sizeLimit', 'divisor']);

export interface NormalizeOptions {
  compareStatus?: boolean;
  ignoreAggregatedRoles?: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets a member; a `__proto__` key (valid in YAML and JSON) stays data instead of replacing the prototype. */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function numericString(value: unknown): unknown {
  return typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
}

/**
 * Whether `value` holds a string where normalization reads a number (`replicas: "3"` compares
 * equal to the live 3, while the API server refuses a string in an integer field). Everything else
 * normalization reconciles — nulls, quantity spellings, the default port protocol, stringData — is
 * a spelling the server accepts too, so an object without such a string that compares equal to its
 * live object holds only what the server already accepted.
 */
export function hasNumericStringField(value: unknown, key = ''): boolean {
  if (Array.isArray(value)) {
    for (const item of value) if (hasNumericStringField(item, key)) return true;
    return false;
  }
  if (!isRecord(value)) return INT_OR_STRING.has(key) && numericString(value) !== value;
  for (const k in value) if (hasNumericStringField(value[k], k)) return true;
  return false;
}

/**
 * Deep copy applying the rules that hold anywhere in an object: null members are absent (Git's
 * `field: null` and the server's omitted field mean the same), quantities and int-or-string
 * fields are reduced to one spelling, and ports get the TCP protocol the server defaults.
 */
function clean(value: unknown, key: string, parentKey: string): unknown {
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = clean(value[i], key, parentKey);
    if (key === 'ports') {
      for (const item of out) {
        if (isRecord(item) && item.protocol === undefined && (item.containerPort !== undefined || item.port !== undefined)) item.protocol = 'TCP';
      }
    }
    return out;
  }
  if (!isRecord(value)) {
    if (INT_OR_STRING.has(key)) return numericString(value);
    if (QUANTITY_LEAVES.has(key)) return canonicalQuantity(value);
    return value;
  }
  const quantities = QUANTITY_MAPS.has(key) && QUANTITY_MAP_PARENTS[key]?.has(parentKey) === true;
  const out: Record<string, unknown> = {};
  for (const k in value) {
    const v = value[k];
    if (v === null || v === undefined) continue;
    put(out, k, quantities && !isRecord(v) && !Array.isArray(v) ? canonicalQuantity(v) : clean(v, k, key));
  }
  return out;
}

/** Copies metadata without what the server writes (never copying managedFields, the bulk of a live object). */
function normalizeMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in metadata) {
    // Namespace is identity, not content: matching already compared it, and Git may leave it to the environment.
    if (SERVER_METADATA.has(key) || key === 'namespace') continue;
    const value = metadata[key];
    if (value === null || value === undefined) continue;
    if (key === 'annotations' && isRecord(value)) {
      const annotations: Record<string, unknown> = {};
      let any = false;
      for (const name in value) {
        if (DROPPED_ANNOTATIONS.has(name) || value[name] === null || value[name] === undefined) continue;
        put(annotations, name, value[name]);
        any = true;
      }
      if (any) out.annotations = annotations;
      continue;
    }
    put(out, key, clean(value, key, 'metadata'));
  }
  return out;
}

/**
 * `stringData` is write-only: the server merges it into `data` as base64 (stringData winning), and
 * an empty value reads back as null (Go's nil bytes). Runs before the null-dropping copy.
 */
export function secretSource(object: KubeObject): KubeObject {
  if (!isRecord(object.data) && !isRecord(object.stringData)) return object;
  const data: Record<string, unknown> = {};
  if (isRecord(object.data)) for (const [k, v] of Object.entries(object.data)) put(data, k, v === null || v === undefined ? '' : v);
  if (isRecord(object.stringData)) {
    for (const [k, v] of Object.entries(object.stringData)) put(data, k, utf8ToBase64(v === null || v === undefined ? '' : String(v)));
  }
  const out: KubeObject = { ...object, data };
  delete out.stringData;
  return out;
}

function compareText(a: unknown, b: unknown): number {
  const x = JSON.stringify(a) ?? '';
  const y = JSON.stringify(b) ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The endpoints controller and kubectl reorder subsets, their addresses and ports; order means nothing there. */
function normalizeEndpoints(object: Record<string, unknown>): void {
  if (!Array.isArray(object.subsets)) return;
  for (const subset of object.subsets) {
    if (!isRecord(subset)) continue;
    for (const key of ['addresses', 'notReadyAddresses', 'ports']) {
      const list = subset[key];
      if (Array.isArray(list)) list.sort(compareText);
    }
  }
  object.subsets.sort(compareText);
}

/**
 * The server stores `rules: []` as null; the null is dropped with the other nulls and the
 * comparison treats an empty list as equal to an absent one, while `rules: []` against live rules
 * is still drift (applying it would empty them).
 */
function normalizeRole(object: Record<string, unknown>, options: NormalizeOptions): void {
  // With an aggregationRule the controller writes `rules` from other roles; Git cannot own them.
  if (object.kind === 'ClusterRole' && options.ignoreAggregatedRoles && isRecord(object.aggregationRule)) delete object.rules;
}

/** Normalizes one side of a comparison. Both sides go through the same rules. */
export function normalizeObject(object: KubeObject, options: NormalizeOptions = {}): KubeObject {
  const source = object.kind === 'Secret' ? secretSource(object) : object;
  const out: Record<string, unknown> = {};
  for (const key in source) {
    // The same object read through another API version is the same object.
    if (key === 'apiVersion') continue;
    // Status is the controllers' report, not Git's; skipping it here also spares copying it.
    if (key === 'status' && !options.compareStatus) continue;
    const value = source[key];
    if (value === null || value === undefined) continue;
    put(out, key, key === 'metadata' && isRecord(value) ? normalizeMetadata(value) : clean(value, key, ''));
  }
  switch (out.kind) {
    case 'Endpoints':
      normalizeEndpoints(out);
      break;
    case 'Role':
    case 'ClusterRole':
      normalizeRole(out, options);
      break;
  }
  return out;
}
