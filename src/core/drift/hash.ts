// SHA-256 for the drift engine: content hashes for the cache and short hashes of masked Secret
// values. Hashing is computation, not I/O, so node:crypto is allowed here — and only here, so a
// browser build of the core would have one file to swap.
import { createHash } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * JSON with object keys sorted, so two objects that differ only in key order hash the same.
 * `undefined` members are left out, as JSON.stringify does.
 */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : stableStringify(item))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${stableStringify(record[key])}`);
  }
  return `{${parts.join(',')}}`;
}

/** Hash of any JSON value's content (key order ignored). */
export function contentHash(value: unknown): string {
  return sha256Hex(stableStringify(value));
}

/** First 8 hex digits of the salted SHA-256 of a Secret value: "differs", never the value. */
export function shortSecretHash(value: unknown, salt = ''): string {
  const text = typeof value === 'string' ? value : stableStringify(value);
  return sha256Hex(salt === '' ? text : `${salt}\u0000${text}`).slice(0, 8);
}
