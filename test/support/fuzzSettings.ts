// Settings for every fast-check property: a fixed number of runs and a fixed seed, so every
// machine — a loaded 2-core CI box included — runs exactly the same cases. (A time limit would let a
// slow machine silently run fewer.) fast-check prints the seed and the path of a failing case, and
// FUZZ_SEED=<n> replays it or explores other inputs locally.
import type { Parameters } from 'fast-check';

/** The seed all properties run with: FUZZ_SEED when set (an integer), else the file's fixed default. */
export function fuzzSeed(defaultSeed: number): number {
  const fromEnv = process.env.FUZZ_SEED;
  if (fromEnv === undefined || fromEnv === '') return defaultSeed;
  const seed = Number(fromEnv);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${JSON.stringify(fromEnv)}`);
  return seed;
}

/** `numRuns` cases, no time limit, the seed from `fuzzSeed`. */
export function fuzzRuns<T>(numRuns: number, defaultSeed: number): Parameters<T> {
  return { seed: fuzzSeed(defaultSeed), numRuns };
}
