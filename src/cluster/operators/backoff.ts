// Exponential backoff with jitter for reconnecting to many clusters: after a shared outage (VPN
// drop) the retries spread out instead of arriving together.

export interface BackoffOptions {
  minMs?: number;
  maxMs?: number;
  random?: () => number;
}

/**
 * Delay before retry number `attempt` (0-based): min·2^attempt capped at max, then a random point
 * in its upper half, so no delay shrinks below half the exponential step.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const min = options.minMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const random = options.random ?? Math.random;
  const exponential = Math.min(max, min * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
