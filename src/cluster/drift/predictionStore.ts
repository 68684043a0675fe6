// Server-side dry-run predictions of one environment. A prediction is reused while the desired
// content and the live content (apart from status) are unchanged, so only objects that changed on
// either side are dry-run again. Failures the same inputs would repeat are remembered too;
// transient ones are tried again next run. After the cluster refuses dry-runs, the environment
// is compared locally for a while before server mode is tried again.
import type { DesiredResource, DriftMode, InvalidVerdict, KubeObject } from '../../core/drift/driftTypes';
import { serverVerdict } from '../../core/drift/invalidObjects';
import type { ClusterError } from '../clusterError';
import type { ApplyTarget } from './applyRequest';
import { liveSignature } from './liveSignature';
import { DEFAULT_DRY_RUN_CONCURRENCY, DryRunQueue, runServerDryRuns, type DryRunBatchResult } from './serverDryRun';

export interface PredictionOptions {
  concurrency?: number;
  timeoutMs?: number;
  backoffMs?: number;
  /** After a refusal, compare locally this long before trying server mode again; default 5 min. */
  retryServerAfterMs?: number;
  /**
   * false: no prediction is kept for a later round (a one-shot run has none), so no signature of
   * the live object is computed either (hashing a live object costs more than comparing it).
   */
  remember?: boolean;
}

export interface PredictionRound {
  /** The mode the comparison runs in: local after a refusal. */
  mode: DriftMode;
  predictedLive: Map<string, KubeObject>;
  /** Keys whose dry-run failed, with the reason (they become Unknown). */
  unknown: Map<string, string>;
  /** Keys whose dry-run the cluster refused as a bad object (400/422): they become Invalid. */
  invalid: Map<string, InvalidVerdict>;
  /** Keys dry-run in this round. */
  dryRuns: string[];
  fallbackReason?: string;
  /** Some dry-runs failed in a way that ends by itself (a 5xx, a timeout, a conflicting write): run again later. */
  retryLater?: boolean;
  /**
   * Keys whose dry-run could not reach the cluster (no connection), with the reason: they
   * are compared locally against the cached live object rather than turned Unknown, and the
   * report says it is stale until the cluster answers again.
   */
  stale?: Map<string, string>;
}

/** A round fed one object at a time (PredictionStore.start). */
export interface PredictionStream {
  /** Hands over an object (skipped when it does not exist live); its dry-run starts now. */
  add(key: string, resource: DesiredResource): void;
  /** No more objects: resolves when every dry-run answered. */
  finish(): Promise<PredictionRound>;
}

interface Prediction {
  signature: string;
  predicted?: KubeObject;
  failure?: string;
  invalid?: InvalidVerdict;
}

/** A 400 or 422 answer is about the object, not the cluster: the same object is refused again, so it is Invalid. */
function refusedObject(object: KubeObject, error: ClusterError): InvalidVerdict | undefined {
  if (error.code !== 'invalid' || (error.status !== 400 && error.status !== 422)) return undefined;
  // The message reads `dry-run <key>: 422 <the server's message>`: keep the server's words.
  return serverVerdict(typeof object.kind === 'string' ? object.kind : '', error.message.replace(/^.*? (?:400|422) /, ''), error.causes ?? []);
}

export class PredictionStore {
  private readonly predictions = new Map<string, Prediction>();
  private fallback: { reason: string; until: number } | undefined;
  /** Dry-runs sent since the store was made. */
  sent = 0;

  constructor(private readonly options: PredictionOptions) {}

  forget(key: string): void {
    this.predictions.delete(key);
  }

  clear(): void {
    this.predictions.clear();
  }

  private keep(key: string, prediction: Prediction): void {
    if (this.options.remember !== false) this.predictions.set(key, prediction);
  }

  /** Predictions for every desired object that exists live (Missing ones need none), dry-running only what changed. */
  predict(target: () => ApplyTarget, desired: ReadonlyMap<string, DesiredResource>, live: ReadonlyMap<string, KubeObject>, defaultNamespace: string, signal?: AbortSignal): Promise<PredictionRound> {
    const round = this.start(target, live, defaultNamespace, signal);
    for (const [key, resource] of desired) round.add(key, resource);
    return round.finish();
  }

  /**
   * The same, for objects handed over one at a time: each one's dry-run is sent when it is added,
   * so the cluster answers the first while the caller is still finding the rest. finish() once.
   */
  start(target: () => ApplyTarget, live: ReadonlyMap<string, KubeObject>, defaultNamespace: string, signal?: AbortSignal): PredictionStream {
    if (this.fallback && Date.now() >= this.fallback.until) this.fallback = undefined;
    const round: PredictionRound = { mode: 'server', predictedLive: new Map(), unknown: new Map(), invalid: new Map(), dryRuns: [] };
    const fallback = this.fallback;
    if (fallback) return { add: () => undefined, finish: () => Promise.resolve({ ...round, mode: 'local', fallbackReason: fallback.reason }) };
    const desired = new Map<string, DesiredResource>();
    const signatures = new Map<string, string>();
    const queue = new DryRunQueue();
    let running: Promise<DryRunBatchResult> | undefined;
    const add = (key: string, resource: DesiredResource): void => {
      const object = live.get(key);
      if (!object || queue.isClosed) return;
      desired.set(key, resource);
      const signature = this.options.remember === false ? '' : `${resource.contentHash ?? ''}|${liveSignature(object)}`;
      const known = this.predictions.get(key);
      if (known && known.signature === signature) {
        if (known.predicted) round.predictedLive.set(key, known.predicted);
        else if (known.invalid) round.invalid.set(key, known.invalid);
        else if (known.failure) round.unknown.set(key, known.failure);
        return;
      }
      signatures.set(key, signature);
      queue.push({ key, object: resource.object });
      // The batch starts with the first request (none at all: no target is even asked for).
      running ??= runServerDryRuns(target(), queue, {
        defaultNamespace,
        concurrency: this.options.concurrency ?? DEFAULT_DRY_RUN_CONCURRENCY,
        timeoutMs: this.options.timeoutMs,
        backoffMs: this.options.backoffMs,
        signal,
      });
      // Settled here too: a cancelled batch must not go unhandled before finish() awaits it.
      running.catch(() => undefined);
    };
    const finish = async (): Promise<PredictionRound> => {
      queue.close();
      if (!running) return round;
      return this.settle(await running, round, desired, signatures);
    };
    return { add, finish };
  }

  private settle(result: DryRunBatchResult, round: PredictionRound, desired: ReadonlyMap<string, DesiredResource>, signatures: ReadonlyMap<string, string>): PredictionRound {
    this.sent += result.outcomes.size;
    if (result.refused) {
      this.fallback = { reason: result.refused, until: Date.now() + (this.options.retryServerAfterMs ?? 5 * 60_000) };
      return { mode: 'local', predictedLive: new Map(), unknown: new Map(), invalid: new Map(), dryRuns: [], fallbackReason: result.refused };
    }
    for (const [key, outcome] of result.outcomes) {
      round.dryRuns.push(key);
      const signature = signatures.get(key) ?? '';
      if (outcome.ok) {
        this.keep(key, { signature, predicted: outcome.predicted });
        round.predictedLive.set(key, outcome.predicted);
        continue;
      }
      const invalid = refusedObject(desired.get(key)?.object ?? {}, outcome.error);
      if (invalid) {
        this.keep(key, { signature, invalid });
        round.invalid.set(key, invalid);
      } else {
        // A 409 is another writer's change racing ours: the next try sees the new object.
        if (outcome.error.transient || outcome.error.code === 'conflict') {
          round.retryLater = true;
          this.predictions.delete(key);
          // The cluster is away (no connection): what the cache last saw is still compared
          // (locally), as the rest of a stale report is, instead of dropping a known drift to
          // Unknown. A dry-run that hangs on a cluster that answers lists stays Unknown.
          if (outcome.error.code === 'unreachable') (round.stale ??= new Map()).set(key, outcome.reason);
          else round.unknown.set(key, outcome.reason);
        } else {
          round.unknown.set(key, outcome.reason);
          this.keep(key, { signature, failure: outcome.reason });
        }
      }
    }
    return round;
  }
}
