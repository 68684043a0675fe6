// Typed reads from an unstructured Kubernetes object, for the health rules.
// Argo CD converts the object to its Go type before assessing it; a field of the wrong type makes
// that conversion fail and the health Unknown. These readers do the same: an absent or null field is
// the Go zero value (undefined here), a present field of the wrong type throws FieldTypeError, which
// assessHealth turns into Unknown with the path that was wrong.

export type KubeObject = Record<string, unknown>;

export class FieldTypeError extends Error {}

export function isRecord(value: unknown): value is KubeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

/** The value at `path`, or undefined when it or any parent is absent or null. */
function valueAt(object: KubeObject, path: readonly string[]): unknown {
  let current: unknown = object;
  for (let i = 0; i < path.length; i++) {
    if (current === undefined || current === null) return undefined;
    if (!isRecord(current)) throw new FieldTypeError(`.${path.slice(0, i).join('.')}: expected an object, got ${describe(current)}`);
    current = current[path[i]];
  }
  return current === null ? undefined : current;
}

function wrongType(path: readonly string[], expected: string, value: unknown): FieldTypeError {
  return new FieldTypeError(`.${path.join('.')}: expected ${expected}, got ${describe(value)}`);
}

export function readString(object: KubeObject, ...path: string[]): string | undefined {
  const value = valueAt(object, path);
  if (value === undefined || typeof value === 'string') return value;
  throw wrongType(path, 'a string', value);
}

export function readInteger(object: KubeObject, ...path: string[]): number | undefined {
  const value = valueAt(object, path);
  if (value === undefined || (typeof value === 'number' && Number.isInteger(value))) return value;
  throw wrongType(path, 'an integer', value);
}

export function readBoolean(object: KubeObject, ...path: string[]): boolean | undefined {
  const value = valueAt(object, path);
  if (value === undefined || typeof value === 'boolean') return value;
  throw wrongType(path, 'a boolean', value);
}

export function readRecord(object: KubeObject, ...path: string[]): KubeObject | undefined {
  const value = valueAt(object, path);
  if (value === undefined || isRecord(value)) return value;
  throw wrongType(path, 'an object', value);
}

export function readArray(object: KubeObject, ...path: string[]): unknown[] {
  const value = valueAt(object, path);
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  throw wrongType(path, 'an array', value);
}

/** A list of objects (conditions, container statuses); every item must be an object. */
export function readRecords(object: KubeObject, ...path: string[]): KubeObject[] {
  return readArray(object, ...path).map((item, i) => {
    if (isRecord(item)) return item;
    throw wrongType([...path, String(i)], 'an object', item);
  });
}

/** `status.conditions` as plain strings; the fields every Kubernetes condition shares. */
export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

export function readConditions(object: KubeObject, path: readonly string[] = ['status', 'conditions']): Condition[] {
  return readRecords(object, ...path).map((c) => ({
    type: readString(c, 'type') ?? '',
    status: readString(c, 'status') ?? '',
    reason: readString(c, 'reason') ?? '',
    message: readString(c, 'message') ?? '',
  }));
}

/** `metadata.generation` and `status.observedGeneration`, 0 when absent as in Go. */
export function generations(object: KubeObject): { generation: number; observed: number } {
  return { generation: readInteger(object, 'metadata', 'generation') ?? 0, observed: readInteger(object, 'status', 'observedGeneration') ?? 0 };
}
