// Drift of one environment against its cluster, kept current. Desired objects come from the caller
// (a render, or an editor buffer through updateFile); live objects from ClusterManager's shared
// list+watch caches (one per kind and namespace the environment needs); in `server` mode each
// object is also dry-run applied. Results are cached by (desired content hash, live
// resourceVersion), dry-run predictions too, so a watch event or an edited manifest recomputes
// only the resources it touched. Cluster faults become per-resource `Unknown` with the reason;
// nothing waits without a timeout.
import { compareEnvironment, objectId } from '../../core/drift/compare';
import type { CompareOptions, DesiredResource, DriftMode, DriftStatus, EnvironmentDrift, KubeObject, ResourceDrift } from '../../core/drift/driftTypes';
import type { IgnoreRule } from '../../core/drift/ignoreRules';
import { parseLabelSelector, type LabelMatcher } from '../../core/drift/labelSelector';
import { parseManifests } from '../../core/manifest';
import { resourceKey } from '../../core/model';
import type { RenderedObject } from '../../render/renderEnvironment';
import { ClusterError, toClusterError } from '../clusterError';
import type { ClusterManager } from '../clusterManager';
import { gvkOf, type ApplyTarget } from './applyRequest';
import { toDesiredResources, withContentHash, type SourceReader } from './desiredResources';
import { TrackingDriftCache } from './trackingDriftCache';
import { LiveSources, type DriftFreshness, type TrackedCache } from './liveSources';
import { DEFAULT_DRY_RUN_CONCURRENCY, runServerDryRuns, type DryRunRequest } from './serverDryRun';
import { previewSync, syncResource, type SyncPreview, type SyncResult } from './syncResource';

export type { DriftFreshness, FreshnessState } from './liveSources';

export interface EnvironmentDriftServiceOptions {
  manager: ClusterManager;
  /** kubeconfig context of the environment's cluster. */
  context: string;
  /** For namespaced objects that declare none; default: the context's namespace, else `default`. */
  defaultNamespace?: string | null;
  /** Default `server`. */
  mode?: DriftMode;
  ignoreRules?: readonly IgnoreRule[];
  /** Live objects of the desired kinds matching it, and not in Git, are `Extra`. */
  extraSelector?: string;
  compare?: Pick<CompareOptions, 'compareStatus' | 'ignoreAggregatedRoles' | 'applyManagers' | 'ignoreMutationWebhook' | 'secretHashSalt'>;
  /** Dry-runs in flight; default 8. */
  concurrency?: number;
  /** Per dry-run or apply request; default 10 s. */
  requestTimeoutMs?: number;
  /** Longest wait for discovery and a first list; default 10 s. Later the cache keeps trying in the background. */
  listTimeoutMs?: number;
  /** Watch events are gathered this long before one recompute; default 50 ms. */
  debounceMs?: number;
  /** Recompute by itself on watch events and connection changes (after the first compute); default true. */
  autoRecompute?: boolean;
  /** Reads repository files, so kustomize/helm objects get ranges in their base file. */
  readSource?: SourceReader;
  /** After a refused dry-run, compare locally this long before trying server mode again; default 5 min. */
  retryServerAfterMs?: number;
  /** Base of the dry-run retry backoff; default 200 ms. */
  retryBackoffMs?: number;
}

export interface EnvironmentDriftReport {
  /** The core's result: per-resource verdicts and fields, counts, problems. */
  drift: EnvironmentDrift;
  /** Lookup by `resourceKey` (the key every view shares). */
  byKey: ReadonlyMap<string, ResourceDrift>;
  requestedMode: DriftMode;
  /** Set when server mode fell back to local for the environment (then `drift.mode` is local and results approximate). */
  fallbackReason?: string;
  freshness: DriftFreshness;
  computedAt: number;
  /** Keys compared afresh in this run (the rest came from the cache). */
  recomputed: string[];
  /** Keys dry-run in this run. */
  dryRuns: string[];
}

export type DriftChangeCause = 'compute' | 'recompute' | 'live' | 'desired' | 'connection' | 'sync';

export interface DriftChangeEvent {
  /** Resources the change concerns (all of them for compute and recompute without keys). */
  keys: string[];
  causes: DriftChangeCause[];
  report: EnvironmentDriftReport;
}

export type SyncOutcome = ({ ok: true } & SyncResult) | { ok: false; key: string; reason: string; code?: string };
export type PreviewOutcome = ({ ok: true } & SyncPreview) | { ok: false; key: string; reason: string; code?: string };

interface Job {
  keys: Set<string>;
  all: boolean;
  /** Keys whose cached results and predictions are forgotten first. */
  invalidated: Set<string>;
  invalidateAll: boolean;
  causes: Set<DriftChangeCause>;
  signal?: AbortSignal;
  promise: Promise<EnvironmentDriftReport>;
  resolve(report: EnvironmentDriftReport): void;
  reject(error: unknown): void;
}

interface Prediction {
  signature: string;
  predicted?: KubeObject;
  /** A failure that retrying the same inputs would repeat (invalid object, kind gone...). */
  failure?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function liveVersion(object: KubeObject): string {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  return typeof metadata.resourceVersion === 'string' ? metadata.resourceVersion : '';
}

function labelsOf(object: KubeObject): Record<string, string> | undefined {
  const metadata = isRecord(object.metadata) ? object.metadata : undefined;
  return isRecord(metadata?.labels) ? (metadata.labels as Record<string, string>) : undefined;
}

export class EnvironmentDriftService {
  private readonly options: EnvironmentDriftServiceOptions;
  private readonly sources: LiveSources;
  private readonly driftCache = new TrackingDriftCache();
  private readonly predictions = new Map<string, Prediction>();
  private readonly listeners = new Set<(event: DriftChangeEvent) => void>();
  /** Desired resources as given, and as placed (namespace filled in for namespaced kinds). */
  private desired: DesiredResource[] = [];
  private readonly placed = new WeakMap<DesiredResource, DesiredResource>();
  /** Placed desired resources of the last run, by key (sync and preview use them). */
  private placedByKey = new Map<string, DesiredResource>();
  private readonly defaultNamespace: string;
  private selector: LabelMatcher | undefined;
  private fallback: { reason: string; until: number } | undefined;
  private last: EnvironmentDriftReport | undefined;
  private next: Job | undefined;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private pending: { keys: Set<string>; causes: Set<DriftChangeCause> } | undefined;
  private disposed = false;
  private dryRunCount = 0;

  constructor(options: EnvironmentDriftServiceOptions) {
    this.options = options;
    this.defaultNamespace = options.defaultNamespace ?? this.contextNamespace() ?? 'default';
    try {
      this.selector = options.extraSelector !== undefined ? parseLabelSelector(options.extraSelector) : undefined;
    } catch {
      // compareEnvironment reports a bad selector as a problem; here it only filters watch events.
      this.selector = undefined;
    }
    const listTimeout = options.listTimeoutMs ?? 10_000;
    this.sources = new LiveSources(options.manager, options.context, { onChange: (source, change) => this.onLiveChange(source, change.type, change.object), onState: (source) => this.onConnection(source) }, listTimeout);
  }

  private contextNamespace(): string | null {
    try {
      return this.options.manager.contextNamespace(this.options.context);
    } catch {
      return null;
    }
  }

  get mode(): DriftMode {
    return this.options.mode ?? 'server';
  }

  /** The last report, if any run finished. */
  get current(): EnvironmentDriftReport | undefined {
    return this.last;
  }

  /** How current the live side is right now (cheap: reads cache states). */
  freshness(): DriftFreshness {
    return this.sources.snapshot().freshness;
  }

  /** Results compared so far, and dry-runs sent, since the service was made. */
  stats(): { compared: number; cacheHits: number; dryRuns: number } {
    const stats = this.driftCache.stats();
    return { compared: stats.misses, cacheHits: stats.hits, dryRuns: this.dryRunCount };
  }

  onDidChange(listener: (event: DriftChangeEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Replaces the desired objects with a render's. Does not compute: call compute(). */
  async setRendered(objects: readonly RenderedObject[]): Promise<void> {
    this.setDesired(await toDesiredResources(objects, this.options.readSource));
  }

  /** Replaces the desired objects. Does not compute: call compute(). */
  setDesired(resources: readonly DesiredResource[]): void {
    this.desired = resources.map(withContentHash);
  }

  /**
   * An edited manifest (the editor's text): its documents replace the desired objects declared in
   * that file, then only what changed is compared again. Resolves with the new report; the change
   * event names the keys whose desired content changed.
   */
  async updateFile(file: string, text: string, signal?: AbortSignal): Promise<EnvironmentDriftReport> {
    const before = new Map<string, string | undefined>();
    for (const resource of this.desired) if (resource.manifest?.file === file) before.set(resourceKey(objectId(resource.object)), resource.contentHash);
    const fresh = parseManifests(text, file)
      .manifests.filter((manifest) => manifest.id !== null)
      .map((manifest) => withContentHash({ object: manifest.object, manifest }));
    const next: DesiredResource[] = [];
    let inserted = false;
    for (const resource of this.desired) {
      if (resource.manifest?.file !== file) next.push(resource);
      else if (!inserted) {
        next.push(...fresh);
        inserted = true;
      }
    }
    if (!inserted) next.push(...fresh);
    this.desired = next;
    const changed = new Set<string>();
    for (const resource of fresh) {
      const key = resourceKey(objectId(resource.object));
      if (before.get(key) !== resource.contentHash) changed.add(key);
      before.delete(key);
    }
    for (const key of before.keys()) changed.add(key);
    return this.enqueue({ keys: [...changed], all: false, invalidate: false, causes: ['desired'], signal });
  }

  /** Computes the report; unchanged resources come from the cache. Concurrent calls share one run. */
  compute(signal?: AbortSignal): Promise<EnvironmentDriftReport> {
    return this.enqueue({ keys: [], all: true, invalidate: false, causes: ['compute'], signal });
  }

  /** Forgets cached results (and dry-run predictions) of `keys` — all when omitted — and computes again. */
  recompute(keys?: readonly string[], signal?: AbortSignal): Promise<EnvironmentDriftReport> {
    return this.enqueue({ keys: keys ?? [], all: keys === undefined, invalidate: true, causes: ['recompute'], signal });
  }

  private target(): ApplyTarget {
    return { client: this.options.manager.client(this.options.context), discovery: this.options.manager.discovery(this.options.context) };
  }

  private syncOptions(signal?: AbortSignal): { defaultNamespace: string; timeoutMs?: number; signal?: AbortSignal; secretHashSalt?: string } {
    return { defaultNamespace: this.defaultNamespace, timeoutMs: this.options.requestTimeoutMs, signal, secretHashSalt: this.options.compare?.secretHashSalt };
  }

  private desiredFor(key: string): DesiredResource | undefined {
    return this.placedByKey.get(key) ?? this.desired.find((resource) => resourceKey(objectId(resource.object)) === key);
  }

  /** Applies Git's objects for `keys` (server-side apply, our field manager, force), then recomputes them. */
  async sync(keys: readonly string[], signal?: AbortSignal): Promise<SyncOutcome[]> {
    const outcomes: SyncOutcome[] = [];
    for (const key of keys) {
      const resource = this.desiredFor(key);
      if (!resource) {
        outcomes.push({ ok: false, key, reason: 'not in Git: nothing to apply' });
        continue;
      }
      try {
        outcomes.push({ ok: true, ...(await syncResource(this.target(), resource.object, this.syncOptions(signal))) });
      } catch (raw) {
        const error = toClusterError(raw, `apply ${key}`);
        if (error.code === 'cancelled') throw error;
        outcomes.push({ ok: false, key, reason: `${error.message}${error.hint ? ` — ${error.hint}` : ''}`, code: error.code });
      }
    }
    const synced = outcomes.filter((o) => o.ok).map((o) => o.key);
    if (synced.length > 0 && this.last) await this.enqueue({ keys: synced, all: false, invalidate: true, causes: ['sync'], signal });
    return outcomes;
  }

  /** What sync would change for `keys` (a dry-run diffed against live), for a confirmation dialog. */
  async previewSync(keys: readonly string[], signal?: AbortSignal): Promise<PreviewOutcome[]> {
    const outcomes: PreviewOutcome[] = [];
    for (const key of keys) {
      const resource = this.desiredFor(key);
      if (!resource) {
        outcomes.push({ ok: false, key, reason: 'not in Git: nothing to apply' });
        continue;
      }
      try {
        outcomes.push({ ok: true, ...(await previewSync(this.target(), resource.object, this.syncOptions(signal))) });
      } catch (raw) {
        const error = toClusterError(raw, `preview ${key}`);
        if (error.code === 'cancelled') throw error;
        outcomes.push({ ok: false, key, reason: `${error.message}${error.hint ? ` — ${error.hint}` : ''}`, code: error.code });
      }
    }
    return outcomes;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.sources.dispose();
    this.listeners.clear();
  }

  // --- scheduling: one run at a time; requests made meanwhile merge into the next run ---

  private enqueue(request: { keys: readonly string[]; all: boolean; invalidate: boolean; causes: readonly DriftChangeCause[]; signal?: AbortSignal }): Promise<EnvironmentDriftReport> {
    if (this.disposed) return Promise.reject(new ClusterError('cancelled', 'the drift service was disposed'));
    let job = this.next;
    if (!job) {
      let resolve!: (report: EnvironmentDriftReport) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<EnvironmentDriftReport>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      job = { keys: new Set(), invalidated: new Set(), all: false, invalidateAll: false, causes: new Set(), signal: request.signal, promise, resolve, reject };
      this.next = job;
    }
    for (const key of request.keys) {
      job.keys.add(key);
      if (request.invalidate) job.invalidated.add(key);
    }
    job.all ||= request.all;
    job.invalidateAll ||= request.invalidate && request.all;
    for (const cause of request.causes) job.causes.add(cause);
    if (!this.running) void this.drain();
    return job.promise;
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.next) {
      const job = this.next;
      this.next = undefined;
      try {
        const report = await this.run(job);
        job.resolve(report);
        this.fire({ keys: job.all ? [...report.byKey.keys()] : [...job.keys], causes: [...job.causes], report });
      } catch (error) {
        job.reject(error);
      }
    }
    this.running = false;
  }

  private fire(event: DriftChangeEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A failing listener must not stop the others or the service.
      }
    }
  }

  // --- live events ---

  private relevant(object: KubeObject | undefined): string | undefined {
    if (!object) return undefined;
    const key = resourceKey(objectId(object));
    if (this.placedByKey.has(key) || this.last?.byKey.has(key)) return key;
    return this.selector?.(labelsOf(object)) ? key : undefined;
  }

  private keysOf(source: TrackedCache): string[] {
    const keys: string[] = [];
    for (const [key, resource] of this.placedByKey) {
      const id = objectId(resource.object);
      if (id.group === source.gvk.group && id.kind === source.gvk.kind && (source.namespace === null || id.namespace === source.namespace)) keys.push(key);
    }
    return keys;
  }

  private onLiveChange(source: TrackedCache, type: string, object: KubeObject | undefined): void {
    if (type === 'RESYNC') this.schedule(this.keysOf(source), 'live');
    else {
      const key = this.relevant(object);
      if (key) this.schedule([key], 'live');
    }
  }

  private onConnection(source: TrackedCache): void {
    this.schedule(this.keysOf(source), 'connection');
  }

  /** Gathers live events for `debounceMs`, then runs once for all of them. */
  private schedule(keys: readonly string[], cause: DriftChangeCause): void {
    if (this.disposed || this.options.autoRecompute === false || !this.last) return;
    this.pending ??= { keys: new Set(), causes: new Set() };
    for (const key of keys) this.pending.keys.add(key);
    this.pending.causes.add(cause);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const pending = this.pending;
      this.pending = undefined;
      if (!pending) return;
      this.enqueue({ keys: [...pending.keys], all: false, invalidate: false, causes: [...pending.causes] }).catch(() => undefined);
    }, this.options.debounceMs ?? 50);
  }

  // --- one run ---

  private place(resource: DesiredResource, namespaced: boolean): DesiredResource {
    let placed = this.placed.get(resource);
    if (placed) return placed;
    const metadata = isRecord(resource.object.metadata) ? resource.object.metadata : {};
    const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
    if (namespaced && namespace === undefined) placed = { ...resource, object: { ...resource.object, metadata: { ...metadata, namespace: this.defaultNamespace } } };
    else if (!namespaced && namespace !== undefined) {
      // kubectl ignores a namespace on a cluster-scoped object; so does the API server.
      const { namespace: _ignored, ...rest } = metadata;
      placed = { ...resource, object: { ...resource.object, metadata: rest } };
    } else placed = resource;
    this.placed.set(resource, placed);
    return placed;
  }

  private async run(job: Job): Promise<EnvironmentDriftReport> {
    const signal = job.signal;
    if (job.invalidateAll) {
      this.driftCache.clear();
      this.predictions.clear();
    }
    for (const key of job.invalidated) {
      this.driftCache.invalidate(key);
      this.predictions.delete(key);
    }
    const desired = this.desired;
    const gvks = new Map<string, { group: string; version: string; kind: string }>();
    for (const resource of desired) {
      try {
        const gvk = gvkOf(resource.object);
        gvks.set(`${gvk.group}/${gvk.version}/${gvk.kind}`, gvk);
      } catch {
        // No apiVersion/kind: the core reports it as it can; nothing to list.
      }
    }
    await this.sources.resolveKinds([...gvks.values()]);
    const placed: DesiredResource[] = [];
    const needed: Array<{ gvk: { group: string; version: string; kind: string }; namespace: string | null }> = [];
    for (const resource of desired) {
      let gvk;
      try {
        gvk = gvkOf(resource.object);
      } catch {
        placed.push(resource);
        continue;
      }
      const info = this.sources.kind(gvk);
      if (!info || 'unavailable' in info) {
        placed.push(resource);
        continue;
      }
      const one = this.place(resource, info.namespaced);
      placed.push(one);
      needed.push({ gvk, namespace: info.namespaced ? objectId(one.object).namespace : null });
    }
    await this.sources.ensure(needed);
    if (signal?.aborted) throw new ClusterError('cancelled', 'drift computation cancelled');
    const snapshot = this.sources.snapshot();
    this.placedByKey = new Map(placed.map((resource) => [resourceKey(objectId(resource.object)), resource]));

    const requested = this.mode;
    if (this.fallback && Date.now() >= this.fallback.until) this.fallback = undefined;
    const predictedLive = new Map<string, KubeObject>();
    const unknown = new Map<string, string>();
    const dryRuns: string[] = [];
    if (requested === 'server' && !this.fallback) {
      const liveByKey = new Map<string, KubeObject>();
      for (const object of snapshot.live) liveByKey.set(resourceKey(objectId(object)), object);
      const requests: DryRunRequest[] = [];
      const signatures = new Map<string, string>();
      for (const [key, resource] of this.placedByKey) {
        const live = liveByKey.get(key);
        // Missing objects need no prediction: they are Missing whatever the server would do.
        if (!live) continue;
        const signature = `${resource.contentHash ?? ''}|${liveVersion(live)}`;
        const known = this.predictions.get(key);
        if (known?.signature === signature) {
          if (known.predicted) predictedLive.set(key, known.predicted);
          else if (known.failure) unknown.set(key, known.failure);
          continue;
        }
        signatures.set(key, signature);
        requests.push({ key, object: resource.object });
      }
      if (requests.length > 0) {
        const result = await runServerDryRuns(this.target(), requests, {
          defaultNamespace: this.defaultNamespace,
          concurrency: this.options.concurrency ?? DEFAULT_DRY_RUN_CONCURRENCY,
          timeoutMs: this.options.requestTimeoutMs,
          signal,
          backoffMs: this.options.retryBackoffMs,
        });
        this.dryRunCount += result.outcomes.size;
        if (result.refused) {
          this.fallback = { reason: result.refused, until: Date.now() + (this.options.retryServerAfterMs ?? 5 * 60_000) };
        } else {
          for (const [key, outcome] of result.outcomes) {
            dryRuns.push(key);
            const signature = signatures.get(key) ?? '';
            if (outcome.ok) {
              this.predictions.set(key, { signature, predicted: outcome.predicted });
              predictedLive.set(key, outcome.predicted);
            } else {
              unknown.set(key, outcome.reason);
              // Transient faults are tried again next run; the rest would fail the same way.
              if (!outcome.error.transient) this.predictions.set(key, { signature, failure: outcome.reason });
              else this.predictions.delete(key);
            }
          }
        }
      }
    }
    const mode: DriftMode = requested === 'server' && !this.fallback ? 'server' : 'local';
    if (mode === 'local') unknown.clear();

    this.driftCache.takeMissed();
    const drift = compareEnvironment(placed, snapshot.live, {
      ...this.options.compare,
      mode,
      ignoreRules: this.options.ignoreRules,
      extraSelector: this.options.extraSelector,
      defaultNamespace: this.defaultNamespace,
      predictedLive,
      liveUnavailable: snapshot.unavailable,
      cache: this.driftCache,
    });
    const recomputed = this.driftCache.takeMissed();
    if (unknown.size > 0) markUnknown(drift, unknown);
    const report: EnvironmentDriftReport = {
      drift,
      byKey: new Map(drift.resources.map((resource) => [resource.key, resource])),
      requestedMode: requested,
      freshness: snapshot.freshness,
      computedAt: Date.now(),
      recomputed,
      dryRuns,
    };
    if (mode === 'local' && requested === 'server' && this.fallback) report.fallbackReason = this.fallback.reason;
    this.last = report;
    return report;
  }
}

/** Resources whose dry-run failed: `Unknown` with the reason, whatever the local comparison said. */
function markUnknown(drift: EnvironmentDrift, unknown: ReadonlyMap<string, string>): void {
  drift.resources = drift.resources.map((resource) => {
    const reason = unknown.get(resource.key);
    if (reason === undefined || resource.status === 'Missing' || resource.status === 'Unknown') return resource;
    return { ...resource, status: 'Unknown', fields: [], reason, ignored: 0 };
  });
  const counts: Record<DriftStatus, number> = { InSync: 0, Drifted: 0, Missing: 0, Extra: 0, Unknown: 0 };
  for (const resource of drift.resources) counts[resource.status]++;
  drift.counts = counts;
}
