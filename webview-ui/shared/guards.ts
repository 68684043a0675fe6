// Small runtime type checks for data that crosses the webview boundary. Messages are structured
// clones (or JSON), so a valid message is a tree of plain objects, arrays and primitives; anything
// else — a class instance, a getter, an own `__proto__` key from JSON.parse — is rejected.

export type PlainRecord = Record<string, unknown>;

/** Keys that could re-point a prototype if a consumer ever merged the object into another. */
const POLLUTING_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isPlainRecord(value: unknown): value is PlainRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * True when every own key of `value` is one of `required` or `optional`, every required key is
 * present, and no key could pollute a prototype. Symbol keys fail (they never come from a message).
 */
export function hasExactKeys(value: PlainRecord, required: readonly string[], optional: readonly string[] = []): boolean {
  // Counted in one pass (a report validates this for each of 10,000 rows): every own string key
  // must be allowed, and the required ones found must be all of them (the lists hold no duplicates).
  if (Object.getOwnPropertySymbols(value).length > 0) return false;
  let found = 0;
  for (const key of Object.getOwnPropertyNames(value)) {
    if (POLLUTING_KEYS.has(key)) return false;
    if (required.includes(key)) found++;
    else if (!optional.includes(key)) return false;
  }
  return found === required.length;
}

export function isBoundedString(value: unknown, max: number, min = 0): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

export function isIntInRange(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** An optional member: absent (or `undefined`, which JSON drops anyway) or passing `check`. */
export function optional(record: PlainRecord, key: string, check: (value: unknown) => boolean): boolean {
  return record[key] === undefined || check(record[key]);
}

export function isArrayOf<T>(value: unknown, max: number, check: (item: unknown) => item is T): value is T[] {
  return Array.isArray(value) && value.length <= max && value.every((item) => check(item));
}

/** A `Record<K, number>` with exactly the keys `keys`, each a non-negative integer. */
export function isCountRecord(value: unknown, keys: readonly string[]): boolean {
  return isPlainRecord(value) && hasExactKeys(value, keys) && keys.every((key) => isIntInRange(value[key], 0, Number.MAX_SAFE_INTEGER));
}

export function isBool(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

/** A path or URI: not empty, no NUL (a file API would cut the name short there). */
export function isPathText(value: unknown, max: number): value is string {
  return isBoundedString(value, max, 1) && !value.includes('\u0000');
}
