// The fault matrix: which (fault × feature) cells have a test, what each test concluded, and the
// Markdown table printed after the run (and written into README.md on request). A cell without a
// test prints "—": it does not apply (a watch fault cannot hit a promotion), never "pass".
import { readFileSync, writeFileSync } from 'node:fs';
import { it } from 'node:test';

export const FEATURES = ['live cache/watch', 'drift report', 'operator status', 'environments view data', 'promotion', 'rollback'] as const;
export type Feature = (typeof FEATURES)[number];

export const FAULTS = [
  '401 Unauthorized',
  '403 Forbidden',
  '404 Not Found',
  '409 Conflict',
  '410 Gone on watch',
  '429 with Retry-After',
  '500 Internal Server Error',
  '503 Service Unavailable',
  '10 s latency',
  'connection reset',
  'watch stops sending',
  'cluster goes away and comes back',
  'kubeconfig exec plugin fails',
  'locked index',
  'detached HEAD',
  'shallow clone',
  'missing remote',
  'rejected push',
  'conflict',
  'expired token',
  'host API 5xx',
] as const;
export type Fault = (typeof FAULTS)[number];

type Outcome = 'pass' | 'FAIL' | 'not run';

const results = new Map<string, Outcome>();
const key = (fault: Fault, feature: Feature): string => `${fault}\u0000${feature}`;

/**
 * Registers one cell's test. Its outcome lands in the matrix: pass when the body resolves, FAIL
 * (and the test fails) when it throws.
 */
export function cell(fault: Fault, feature: Feature, body: () => Promise<void>, options: { timeout?: number } = {}): void {
  results.set(key(fault, feature), 'not run');
  it(`${fault} × ${feature}`, { timeout: options.timeout ?? 30_000 }, async () => {
    try {
      await body();
      results.set(key(fault, feature), 'pass');
    } catch (error) {
      results.set(key(fault, feature), 'FAIL');
      throw error;
    }
  });
}

/** Rows = faults, columns = features; cells pass / FAIL / not run, or — where no test applies. */
export function matrixMarkdown(): string {
  const lines = [`| fault | ${FEATURES.join(' | ')} |`, `|---|${FEATURES.map(() => ':-:').join('|')}|`];
  for (const fault of FAULTS) lines.push(`| ${fault} | ${FEATURES.map((feature) => results.get(key(fault, feature)) ?? '—').join(' | ')} |`);
  return lines.join('\n');
}

export function matrixCounts(): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { pass: 0, FAIL: 0, 'not run': 0 };
  for (const outcome of results.values()) counts[outcome]++;
  return counts;
}

const START = '<!-- faults:start -->';
const END = '<!-- faults:end -->';

/** Replaces the text between the README's fault markers; throws when the markers are missing. */
export function writeMatrixIntoReadme(readmePath: string, table: string): void {
  const text = readFileSync(readmePath, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${readmePath} has no ${START} … ${END} markers`);
  writeFileSync(readmePath, `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`);
}
