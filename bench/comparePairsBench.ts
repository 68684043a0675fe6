// The drift comparison alone (src/core, no I/O): 2,000 realistic Deployment pairs — defaults,
// status, managedFields and the last-applied annotation on the live side, 200 of them drifted —
// normalized and compared. Its budget (200 ms) used to be asserted loosely in a unit test; the
// test now guards linear growth and the verdicts, and the time is measured here against the target.
import { buildDeploymentPairs, compareDeploymentPairs } from '../test/support/deploymentPairs';
import { median, type BenchRow } from './benchTable';

export const COMPARE_PAIRS = 2000;
export const COMPARE_PAIRS_BUDGET_MS = 200;

/** Timings of `runs` comparisons of the same 2,000 pairs, after warming the JIT on other pairs. */
export function measureComparePairs(runs = 9): number[] {
  const pairs = buildDeploymentPairs(COMPARE_PAIRS);
  compareDeploymentPairs(buildDeploymentPairs(200));
  const result = compareDeploymentPairs(pairs);
  if (result.counts.InSync !== 1800 || result.counts.Drifted !== 200) throw new Error(`unexpected verdicts: ${JSON.stringify(result.counts)}`);
  const timings: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    compareDeploymentPairs(pairs);
    timings.push(performance.now() - started);
  }
  return timings;
}

export function comparePairsRow(timings: number[]): BenchRow {
  const measured = median(timings);
  return {
    figure: `Compare ${COMPARE_PAIRS.toLocaleString('en-US')} Deployment pairs (normalize + compare, core only, 200 drifted)`,
    target: `≤ ${COMPARE_PAIRS_BUDGET_MS} ms`,
    measured,
    unit: 'ms',
    pass: measured <= COMPARE_PAIRS_BUDGET_MS,
  };
}
