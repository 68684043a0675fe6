// The complexity guard the timing tests rely on (test/support/scaling.ts) must be able to fail:
// a quadratic piece of work is far over the 30× bound for 10× the input, a linear one well under.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeScaling, measureScaling } from '../support/scaling';

const strings = (count: number): string[] => Array.from({ length: count }, (_, i) => `item-${i}`);

test('the scaling guard flags quadratic work: 10× the input takes far more than 30× the time', () => {
  // Every item compared with every other: 100× the work for 10× the items.
  const pairs = (items: string[]): number => {
    let equal = 0;
    for (const a of items) for (const b of items) if (a === b) equal++;
    return equal;
  };
  const scaling = measureScaling(strings, pairs, 300, 3000, 3);
  assert.ok(scaling.ratio > 30, describeScaling(scaling, 300, 3000));
});

test('the scaling guard passes linear work: 10× the input stays under 30× the time', () => {
  // One pass, no allocation: what the guard measures is the work, not the garbage collector.
  const characters = (items: string[]): number => {
    let total = 0;
    for (const item of items) for (let i = 0; i < item.length; i++) total += item.charCodeAt(i);
    return total;
  };
  const scaling = measureScaling(strings, characters, 20_000, 200_000, 3);
  assert.ok(scaling.ratio < 30, describeScaling(scaling, 20_000, 200_000));
});
