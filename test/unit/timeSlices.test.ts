import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunksOf, inTimeSlices } from '../../src/cluster/drift/timeSlices';

/** Busy-waits `ms` (a step that takes time, as a local comparison does). */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

describe('time slices', () => {
  it('runs every step once, in order', async () => {
    const seen: number[] = [];
    await inTimeSlices([0, 1, 2, 3, 4], 1, (n) => seen.push(n));
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
  });

  it('lets the event loop run between slices, not within one', async () => {
    // Steps of 3 ms with 2 ms slices: a yield after each step, so a callback queued first runs after step 0.
    const order: string[] = [];
    setImmediate(() => order.push('loop'));
    await inTimeSlices([0, 1, 2], 2, (n) => {
      spin(3);
      order.push(`step ${n}`);
    });
    assert.deepEqual(order.slice(0, 2), ['step 0', 'loop']);
    // Fast steps within one long slice: nothing else runs until the loop ends.
    const quick: string[] = [];
    setImmediate(() => quick.push('loop'));
    await inTimeSlices([0, 1, 2], 10_000, (n) => quick.push(`step ${n}`));
    assert.deepEqual(quick, ['step 0', 'step 1', 'step 2']);
  });

  it('cuts a list into chunks that cover it exactly', () => {
    for (let length = 0; length <= 40; length++) {
      const items = Array.from({ length }, (_, i) => i);
      for (const size of [1, 3, 16, 50]) {
        const chunks = [...chunksOf(items, size)];
        assert.deepEqual(chunks.flat(), items);
        assert.ok(chunks.every((c, i) => c.length === (i < chunks.length - 1 ? size : c.length) && c.length > 0 && c.length <= size));
        assert.equal(chunks.length, Math.ceil(length / size));
      }
    }
  });
});
