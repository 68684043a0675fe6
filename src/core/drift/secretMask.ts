// Secret values never leave the engine: a drifted field of a Secret that holds (or contains)
// `data`/`stringData` carries a short hash instead of the value, so no view, log or CLI output
// can print it, yet two different values still show two different hashes.
import type { MaskedValue } from './driftTypes';
import { shortSecretHash } from './hash';

const SECRET_FIELDS = new Set(['data', 'stringData']);

/**
 * True when the value at `tokens` in a Secret is or contains secret material: anything under
 * `data`/`stringData`, and the whole object or any ancestor of those.
 */
export function holdsSecretValue(kind: string | undefined, tokens: ReadonlyArray<string | number>): boolean {
  if (kind !== 'Secret') return false;
  return tokens.length === 0 || SECRET_FIELDS.has(String(tokens[0]));
}

export function maskValue(value: unknown, salt: string | undefined): MaskedValue | undefined {
  return value === undefined ? undefined : { masked: true, hash: shortSecretHash(value, salt) };
}

export function isMaskedValue(value: unknown): value is MaskedValue {
  return typeof value === 'object' && value !== null && (value as { masked?: unknown }).masked === true;
}
