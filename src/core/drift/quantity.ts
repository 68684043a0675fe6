// Kubernetes resource quantities ("500m", "1Gi", "1e3") compared by value: the API server stores
// its own canonical spelling (`1000m` comes back as `1`, `1024Mi` as `1Gi`), so Git's spelling
// and the live one only match once both are reduced to the same form.

const NANOS_PER_UNIT = 1_000_000_000n;
const BINARY_SUFFIXES = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL_SUFFIXES = ['k', 'M', 'G', 'T', 'P', 'E'];
const DECIMAL_EXPONENTS: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXPONENTS: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const PATTERN = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;
/** The API server refuses exponents this large; refusing them here keeps BigInt work bounded. */
const MAX_EXPONENT = 40;

/** A quantity in nano-units (the finest precision the API server keeps), or undefined if not a quantity. */
export function parseQuantity(input: string | number): bigint | undefined {
  const text = typeof input === 'number' ? (Number.isFinite(input) ? String(input) : '') : input.trim();
  if (text.length > 64) return undefined;
  const match = PATTERN.exec(text);
  if (!match) return undefined;
  const [, sign, number, exponentPart, suffix] = match;
  const [whole, fraction = ''] = number.split('.');
  let digits = BigInt(`${whole || '0'}${fraction}`);
  let decimalExponent = -fraction.length + 9;
  let binaryExponent = 0;
  if (exponentPart) {
    const exponent = Number(exponentPart.slice(1));
    if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
    decimalExponent += exponent;
  }
  else if (suffix && suffix in BINARY_EXPONENTS) binaryExponent = BINARY_EXPONENTS[suffix];
  else decimalExponent += DECIMAL_EXPONENTS[suffix ?? ''];
  digits <<= BigInt(binaryExponent);
  let nanos: bigint;
  if (decimalExponent >= 0) nanos = digits * 10n ** BigInt(decimalExponent);
  else {
    const divisor = 10n ** BigInt(-decimalExponent);
    // The API server rounds sub-nano precision up, so "0.0000000001" is stored as "1n".
    nanos = digits / divisor + (digits % divisor === 0n ? 0n : 1n);
  }
  return sign === '-' ? -nanos : nanos;
}

/**
 * One spelling per value: the shorter of the largest exact binary and decimal suffix forms, else
 * milli/micro/nano units. Close to the API server's canonical form, and a
 * function of the value alone so equal values always print the same.
 */
export function formatQuantity(nanos: bigint): string {
  const sign = nanos < 0n ? '-' : '';
  const magnitude = nanos < 0n ? -nanos : nanos;
  if (magnitude % NANOS_PER_UNIT === 0n) {
    const units = magnitude / NANOS_PER_UNIT;
    if (units === 0n) return '0';
    let binary = `${units}`;
    for (let i = BINARY_SUFFIXES.length; i >= 1; i--) {
      const base = 1n << BigInt(10 * i);
      if (units % base === 0n) {
        binary = `${units / base}${BINARY_SUFFIXES[i - 1]}`;
        break;
      }
    }
    let decimal = `${units}`;
    for (let i = DECIMAL_SUFFIXES.length; i >= 1; i--) {
      const base = 10n ** BigInt(3 * i);
      if (units % base === 0n) {
        decimal = `${units / base}${DECIMAL_SUFFIXES[i - 1]}`;
        break;
      }
    }
    // The shorter spelling reads better ("1E", not "976562500000000Ki"); binary wins ties ("1Gi").
    return sign + (decimal.length < binary.length ? decimal : binary);
  }
  if (magnitude % 1_000_000n === 0n) return `${sign}${magnitude / 1_000_000n}m`;
  if (magnitude % 1000n === 0n) return `${sign}${magnitude / 1000n}u`;
  return `${sign}${magnitude}n`;
}

const canonicalCache = new Map<string, string>();
const CANONICAL_CACHE_LIMIT = 10_000;

/** The canonical spelling of a quantity, or the input unchanged when it is not one. */
export function canonicalQuantity(value: unknown): unknown {
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  const text = String(value);
  // The same few spellings ("100m", "128Mi") repeat across thousands of objects; BigInt work is not free.
  const cached = canonicalCache.get(text);
  if (cached !== undefined) return cached;
  const nanos = parseQuantity(value);
  if (nanos === undefined) return value;
  const canonical = formatQuantity(nanos);
  if (canonicalCache.size >= CANONICAL_CACHE_LIMIT) canonicalCache.clear();
  canonicalCache.set(text, canonical);
  return canonical;
}
