// Server-side apply dry-runs for many objects: what the cluster would hold after applying Git.
// Bounded concurrency, cancellable, and one object's failure never fails the others. When the
// cluster refuses dry-runs as such (RBAC forbids the patch, a webhook without dry-run support),
// the batch stops and says so, so the environment can fall back to a local comparison.
import type { KubeObject } from '../../core/drift/driftTypes';
import { ClusterError, toClusterError } from '../clusterError';
import { applyObject, type ApplyTarget } from './applyRequest';

export const DEFAULT_DRY_RUN_CONCURRENCY = 8;

export interface DryRunRequest {
  /** `resourceKey` of the object: how outcomes are reported. */
  key: string;
  object: KubeObject;
}

export type DryRunOutcome = { ok: true; predicted: KubeObject } | { ok: false; error: ClusterError; reason: string };

export interface DryRunBatchResult {
  /** One per request that ran (all of them, unless the batch was refused). */
  outcomes: Map<string, DryRunOutcome>;
  /** Set when the cluster refuses dry-runs: compare locally instead (results are then approximate). */
  refused?: string;
}

export interface DryRunOptions {
  defaultNamespace: string;
  concurrency?: number;
  /** Per request. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Extra attempts after a 429, 5xx or connection fault; default 2. Timeouts are not retried (they would multiply the wait). */
  retries?: number;
  /**
   * After this many objects in a row failed with a transient fault (after retries), the rest are
   * not tried and get the same reason: a cluster that is down should not cost a timeout per object.
   */
  failFastAfter?: number;
  fieldManager?: string;
  /** Base of the retry backoff; tests make it short. */
  backoffMs?: number;
}

/** Why the cluster will not do dry-runs for us, or undefined when the error is about this one object. */
export function dryRunRefusal(error: ClusterError): string | undefined {
  if (error.code === 'forbidden') return `the cluster forbids server-side dry-runs (${error.message})`;
  // The API server's words when a webhook with side effects is called with dryRun.
  if (/does not support dry.?run/i.test(error.message)) return `an admission webhook rejects dry-runs (${error.message})`;
  return undefined;
}

/** One line for a per-resource Unknown: what failed and what to do. */
export function dryRunFailureReason(error: ClusterError): string {
  const hint = error.hint ? ` ${error.hint}` : '';
  return `server-side dry-run failed (${error.code}): ${error.message.replace(/\.$/, '')}.${hint}`;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ClusterError('cancelled', 'dry-run cancelled'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new ClusterError('cancelled', 'dry-run cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const RETRIED = new Set(['tooManyRequests', 'serverError', 'unreachable']);

async function dryRunOne(target: ApplyTarget, request: DryRunRequest, options: DryRunOptions): Promise<DryRunOutcome> {
  const retries = options.retries ?? 2;
  const base = options.backoffMs ?? 200;
  for (let attempt = 0; ; attempt++) {
    try {
      const predicted = await applyObject(target, request.object, {
        dryRun: true,
        defaultNamespace: options.defaultNamespace,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        fieldManager: options.fieldManager,
      });
      return { ok: true, predicted };
    } catch (raw) {
      const error = toClusterError(raw, `dry-run ${request.key}`);
      if (error.code === 'cancelled' || options.signal?.aborted) throw new ClusterError('cancelled', 'dry-run cancelled');
      if (attempt >= retries || !RETRIED.has(error.code)) return { ok: false, error, reason: dryRunFailureReason(error) };
      // Retry-After wins when the server gives one, capped so one object cannot stall the batch.
      const wait = error.retryAfterSeconds !== undefined ? Math.min(error.retryAfterSeconds * 1000, 5000) : base * 2 ** attempt;
      await sleep(Math.round(wait / 2 + (Math.random() * wait) / 2), options.signal);
    }
  }
}

/**
 * Requests that arrive while the batch runs: a caller still deciding what to dry-run (comparing
 * objects locally) hands each over as soon as it is known, so the cluster works on the first ones
 * while the caller finds the next. The batch ends once the queue is closed and drained.
 */
export class DryRunQueue {
  readonly requests: DryRunRequest[] = [];
  private closed = false;
  private waiting: Array<() => void> = [];

  push(request: DryRunRequest): void {
    if (this.closed) throw new Error('dry-run queue already closed');
    this.requests.push(request);
    this.wake();
  }

  /** No more requests will come. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves at the next push or close. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}

/** Runs every dry-run with at most `concurrency` in flight (of a queue: until it is closed and drained). Rejects only when cancelled. */
export async function runServerDryRuns(target: ApplyTarget, source: readonly DryRunRequest[] | DryRunQueue, options: DryRunOptions): Promise<DryRunBatchResult> {
  const queue = source instanceof DryRunQueue ? source : undefined;
  const requests = queue ? queue.requests : (source as readonly DryRunRequest[]);
  const outcomes = new Map<string, DryRunOutcome>();
  const result: DryRunBatchResult = { outcomes };
  // A whole wave of in-flight requests failing alike means the cluster, not the objects, is the problem.
  const failFastAfter = options.failFastAfter ?? Math.max(options.concurrency ?? DEFAULT_DRY_RUN_CONCURRENCY, 2);
  let transientInARow = 0;
  let giveUp: ClusterError | undefined;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (result.refused === undefined) {
      if (options.signal?.aborted) throw new ClusterError('cancelled', 'dry-run cancelled');
      if (next >= requests.length) {
        if (!queue || queue.isClosed) return;
        await queue.changed();
        continue;
      }
      const request = requests[next++];
      if (giveUp) {
        outcomes.set(request.key, { ok: false, error: giveUp, reason: `not tried: earlier dry-runs failed the same way — ${dryRunFailureReason(giveUp)}` });
        continue;
      }
      const outcome = await dryRunOne(target, request, options);
      if (outcome.ok) {
        transientInARow = 0;
      } else {
        const refusal = dryRunRefusal(outcome.error);
        if (refusal) {
          result.refused ??= refusal;
          return;
        }
        transientInARow = outcome.error.transient ? transientInARow + 1 : 0;
        if (transientInARow >= failFastAfter) giveUp = outcome.error;
      }
      outcomes.set(request.key, outcome);
    }
  };
  const width = Math.max(1, Math.min(options.concurrency ?? DEFAULT_DRY_RUN_CONCURRENCY, queue ? Infinity : requests.length));
  await Promise.all(Array.from({ length: width }, worker));
  return result;
}
