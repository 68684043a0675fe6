// Binary search over ascending numbers (line start offsets, first lines of documents).

/** Index of the last element at most `value`; 0 when none is (the first element stands for the start). */
export function lastIndexAtMost(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
