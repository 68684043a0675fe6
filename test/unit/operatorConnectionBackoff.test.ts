// Reconnect delays for many clusters: exponential, capped, and jittered within the upper half of
// each step, so clusters that went down together do not retry together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../../src/cluster/operators/backoff';

test('the delay doubles per attempt up to the cap, between half and all of the step', () => {
  const low = (attempt: number): number => backoffDelay(attempt, { minMs: 1000, maxMs: 60_000, random: () => 0 });
  const high = (attempt: number): number => backoffDelay(attempt, { minMs: 1000, maxMs: 60_000, random: () => 1 });
  assert.deepEqual([0, 1, 2, 3].map(high), [1000, 2000, 4000, 8000]);
  assert.deepEqual([0, 1, 2, 3].map(low), [500, 1000, 2000, 4000]);
  assert.equal(high(10), 60_000);
  assert.equal(high(1000), 60_000, 'no overflow on a long outage');
  assert.equal(low(10), 30_000);
});

test('jitter spreads the retries of clusters that failed together', () => {
  let seed = 7;
  const random = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const delays = Array.from({ length: 50 }, () => backoffDelay(4, { minMs: 1000, maxMs: 60_000, random }));
  assert.ok(new Set(delays).size > 40, 'the delays differ');
  assert.ok(delays.every((d) => d >= 8000 && d <= 16_000));
});
