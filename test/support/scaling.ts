// Complexity guards for tests. Timing claims ("2,000 pairs in 200 ms") belong to the bench
// (bench/run.ts prints them against their targets); a test only guards the shape of the cost: the
// same work on 10× the input, timed in the same process a moment apart, must not take more than
// a bound well above 10×. A loaded machine slows both sizes alike, so the ratio holds where an
// absolute millisecond bound would flake, while a quadratic regression (100×) still fails.

/** The fastest of `runs` timings of `work`, in milliseconds (the least disturbed by other load). */
export function bestOf(runs: number, work: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

export interface ScalingMeasure {
  smallMs: number;
  largeMs: number;
  /** largeMs / smallMs. */
  ratio: number;
}

/**
 * Times `work(small)` and `work(large)` (each input built once by `prepare`, warmed once) and
 * returns the per-call times with their ratio. The small input is timed as `large / small` calls
 * in a row, divided back: a single sub-millisecond call would measure the timer and the cache more
 * than the work. Sizes alternate, best of `runs` each, so a burst of load hits both alike.
 */
export function measureScaling<T>(prepare: (size: number) => T, work: (input: T) => unknown, small: number, large: number, runs = 5): ScalingMeasure {
  const smallInput = prepare(small);
  const largeInput = prepare(large);
  const repeat = Math.max(1, Math.round(large / small));
  work(smallInput);
  work(largeInput);
  let smallMs = Number.POSITIVE_INFINITY;
  let largeMs = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run++) {
    smallMs = Math.min(smallMs, bestOf(1, () => {
      for (let i = 0; i < repeat; i++) work(smallInput);
    }) / repeat);
    largeMs = Math.min(largeMs, bestOf(1, () => work(largeInput)));
  }
  // A timer cannot resolve below ~0.001 ms; never divide by zero.
  return { smallMs, largeMs, ratio: largeMs / Math.max(smallMs, 0.001) };
}

/** "10× the input (400 → 4,000) took 11.2× the time (10.5 ms → 117.6 ms)": for assertion messages. */
export function describeScaling(m: ScalingMeasure, small: number, large: number): string {
  return `${large / small}× the input (${small} → ${large}) took ${m.ratio.toFixed(1)}× the time (${m.smallMs.toFixed(1)} ms → ${m.largeMs.toFixed(1)} ms)`;
}
