/**
 * Runs `step` on each item, yielding to the event loop whenever a slice of `sliceMs` is used up:
 * answers to requests already sent are read, and queued requests go out, while a long local loop
 * runs. A slice always finishes the step it started.
 */
export async function inTimeSlices<T>(items: Iterable<T>, sliceMs: number, step: (item: T) => void): Promise<void> {
  let sliceStart = performance.now();
  for (const item of items) {
    step(item);
    if (performance.now() - sliceStart < sliceMs) continue;
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  }
}

/** Consecutive runs of `size` items (the last one shorter). */
export function* chunksOf<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let from = 0; from < items.length; from += size) yield items.slice(from, from + size);
}
