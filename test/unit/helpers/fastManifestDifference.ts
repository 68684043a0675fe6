// What the fast manifest reader must agree with: every observable part of parseManifests' result
// compared with what the `yaml` package gives (fastManifest.test.ts, fastManifestAgreement.test.ts).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { escapePointerToken, type ManifestParseResult } from '../../../src/core/manifest';

export const ROOT = join(__dirname, '..', '..', '..');
/** Fixed seed (FUZZ_SEED overrides it) and fixed run counts below: every machine runs the same cases. */
export const SEED = 20_261_126;

export function yamlFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === '.git') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/i.test(entry)) out.push(path);
  }
  return out;
}

function pointers(value: unknown, base = ''): string[] {
  const out = [base];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...pointers(item, `${base}/${i}`)));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) out.push(...pointers(item, `${base}/${escapePointerToken(key)}`));
  return out;
}

/** Every observable part of two readings, or the first difference. */
export function difference(fast: ManifestParseResult, reference: ManifestParseResult): string | undefined {
  if (!isDeepStrictEqual(fast.problems, reference.problems)) return `problems ${JSON.stringify(fast.problems)} vs ${JSON.stringify(reference.problems)}`;
  if (fast.manifests.length !== reference.manifests.length) return `${fast.manifests.length} manifests vs ${reference.manifests.length}`;
  for (let i = 0; i < fast.manifests.length; i++) {
    const a = fast.manifests[i];
    const b = reference.manifests[i];
    if (a.docIndex !== b.docIndex) return `document ${i}: index ${a.docIndex} vs ${b.docIndex}`;
    // Key order counts (hashes and YAML written back follow it): compare the JSON text too.
    if (!isDeepStrictEqual(a.object, b.object) || JSON.stringify(a.object) !== JSON.stringify(b.object)) return `document ${i}: ${JSON.stringify(a.object)} vs ${JSON.stringify(b.object)}`;
    if (!isDeepStrictEqual(a.id, b.id)) return `document ${i}: id`;
    if (!isDeepStrictEqual(a.range, b.range)) return `document ${i}: range ${JSON.stringify(a.range)} vs ${JSON.stringify(b.range)}`;
    if (!isDeepStrictEqual(a.kindRange, b.kindRange)) return `document ${i}: kindRange ${JSON.stringify(a.kindRange)} vs ${JSON.stringify(b.kindRange)}`;
    for (const pointer of [...pointers(a.object), '/no/such/field']) {
      if (!isDeepStrictEqual(a.rangeOf(pointer), b.rangeOf(pointer))) return `document ${i}: rangeOf(${pointer})`;
      if (!isDeepStrictEqual(a.valueRangeOf(pointer), b.valueRangeOf(pointer))) return `document ${i}: valueRangeOf(${pointer})`;
      // Paths that stop short (through a scalar, a missing key) and index spellings Number() reads.
      for (const beyond of [`${pointer}/zz`, `${pointer}/01`, `${pointer}/-0`]) {
        if (!isDeepStrictEqual(a.rangeOf(beyond), b.rangeOf(beyond))) return `document ${i}: rangeOf(${beyond}) ${JSON.stringify(a.rangeOf(beyond))} vs ${JSON.stringify(b.rangeOf(beyond))}`;
      }
    }
  }
  return undefined;
}
