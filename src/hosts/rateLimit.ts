// When a host says "too many requests", how long to wait before the one retry we allow. Hosts
// say it differently: Retry-After (seconds or an HTTP date; GitLab, Azure DevOps, GitHub's
// secondary limits), X-RateLimit-Reset (epoch seconds; GitHub, Gitea), RateLimit-Reset (epoch
// seconds on GitLab), with X-RateLimit-Remaining: 0 marking a primary-limit 403.

export type HeaderLookup = (name: string) => string | null | undefined;

export interface RateLimitSignal {
  /** Milliseconds until the limit resets (0 when the header says "now" or the past). */
  waitMs: number;
  /** When it resets, for messages. */
  resetAt: Date;
}

/** Epoch seconds or a delta: values below ~2001 as epoch seconds are deltas (GitLab sends both forms). */
function parseReset(value: string, now: number): number | null {
  const n = Number(value.trim());
  if (!Number.isFinite(n)) return null;
  return n > 1e9 ? n * 1000 : now + n * 1000;
}

function parseRetryAfter(value: string, now: number): number | null {
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return now + Math.max(0, seconds) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : date;
}

/**
 * The rate-limit signal in a 403/429 response, or null when the response is not about a rate
 * limit (a plain 403 is a permissions problem and must not be retried).
 */
export function rateLimitSignal(status: number, header: HeaderLookup, now = Date.now()): RateLimitSignal | null {
  if (status !== 403 && status !== 429) return null;
  const retryAfter = header('retry-after');
  const remaining = header('x-ratelimit-remaining') ?? header('ratelimit-remaining');
  const reset = header('x-ratelimit-reset') ?? header('ratelimit-reset');
  let at: number | null = null;
  if (retryAfter) at = parseRetryAfter(retryAfter, now);
  else if (reset && (status === 429 || remaining === '0')) at = parseReset(reset, now);
  else if (status === 429) at = now + 1000;
  if (at === null) return null;
  return { waitMs: Math.max(0, at - now), resetAt: new Date(at) };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('cancelled'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
