// Drift of one environment against its cluster, kept current. Desired objects come from the caller
// (a render, or an editor buffer through updateFile); live objects from ClusterManager's shared
// list+watch caches (one per kind and namespace the environment needs); in `server` mode each
// object is also dry-run applied. Results are cached by (desired content hash, live
// resourceVersion) and dry-run predictions by (desired content hash, live content apart from
// status), so a watch event or an edited manifest recomputes only the resources it touched.
// Cluster faults become per-resource `Unknown` with the reason; nothing waits without a timeout.
import { chunksOf, inTimeSlices } from './timeSlices';
import { DriftCache } from '../../core/drift/driftCache';
import { compareEnvironment, countStatuses, objectId, trackedBy } from '../../core/drift/compare';
import type { CompareOptions, DesiredResource, DriftMode, EnvironmentCompareOptions, EnvironmentDrift, InvalidVerdict, KubeObject, ResourceDrift } from '../../core/drift/driftTypes';
import { schemaVerdict } from '../../core/drift/invalidObjects';
import { hasNumericStringField } from '../../core/drift/normalize';
import type { SchemaCatalog } from '../../core/validation/schemaCatalog';
import type { IgnoreRule } from '../../core/drift/ignoreRules';
import { parseLabelSelector, type LabelMatcher } from '../../core/drift/labelSelector';
import { IncrementalManifestParser } from '../../core/manifestChunks';
import { resourceKey, type GroupVersionKind } from '../../core/model';
import type { RenderedObject } from '../../render/renderEnvironment';
import { ClusterError, toClusterError } from '../clusterError';
import type { ClusterManager } from '../clusterManager';
import { gvkOf, type ApplyTarget } from './applyRequest';
import { builtinCatalog } from './invalidDesired';
import { replaceDeclaredIn, toDesiredResources, withContentHash, type SourceReader } from './desiredResources';
import { LiveSources, type DriftFreshness, type TrackedCache } from './liveSources';
import { PredictionStore, type PredictionRound } from './predictionStore';
import { RunQueue, type RunJob, type RunRequest } from './runQueue';
import { previewSync, syncResource, type SyncPreview, type SyncResult } from './syncResource';
import { TrackingDriftCache } from './trackingDriftCache';
import { APPLYSET_PART_OF_LABEL, keepMembership } from '../../core/sync/applySet';

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
  /** Live objects Argo CD's tracking annotation gives to this application, and not in Git, are `Extra`. */
  extraTrackingApp?: string;
  compare?: Pick<CompareOptions, 'compareStatus' | 'ignoreAggregatedRoles' | 'applyManagers' | 'ignoreMutationWebhook' | 'secretHashSalt'>;
  /** Dry-runs in flight; default 8. */
  concurrency?: number;
  /**
   * Server mode dry-runs only the objects a local comparison finds different (default). An object
   * Git's version of which the live one already holds (every declared field equal, no field an
   * applier of Git owns missing from Git) is left unchanged by a server-side apply, so its
   * prediction is the live object itself; true dry-runs every object anyway (a mutating webhook
   * that changes objects on every apply is the one thing the default cannot see).
   */
  dryRunAll?: boolean;
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
  /** First wait before asking discovery again after it failed (doubles up to 60 s); default 5 s. */
  discoveryRetryMs?: number;
  /**
   * Schemas Git's objects are checked against before any comparison (a refused object is `Invalid`
   * and never dry-run): default the bundled built-in kinds; give the cluster's cached catalog when
   * the caller has one (never fetched here: this is the hot path); false checks nothing locally.
   */
  schemaCatalog?: SchemaCatalog | false;
  /**
   * Computed once and disposed (the CLI): no result cache and no content hashes, which only pay
   * off when the service computes again after a change (hashing 10,000 objects costs more than
   * comparing them once).
   */
  oneShot?: boolean;
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
  /**
   * How much of the environment this run looked at: `all` (every object placed, listed and
   * compared, most from the cache) or `patch` (only the run's keys, the rest of the last report kept).
   */
  scope: 'all' | 'patch';
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function labelsOf(object: KubeObject): Record<string, string> | undefined {
  const metadata = isRecord(object.metadata) ? object.metadata : undefined;
  return isRecord(metadata?.labels) ? (metadata.labels as Record<string, string>) : undefined;
}

function describe(error: ClusterError): string {
  return `${error.message}${error.hint ? ` — ${error.hint}` : ''}`;
}

/** The namespace an object's manifest names, if any (an empty one names none, as for kubectl). */
function declaredNamespace(object: KubeObject): string | undefined {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  return typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
}

export class EnvironmentDriftService {
  /** One incremental parser per edited file (updateFile). */
  private readonly editParsers = new Map<string, IncrementalManifestParser>();
  private readonly options: EnvironmentDriftServiceOptions;
  private readonly sources: LiveSources;
  private readonly driftCache = new TrackingDriftCache();
  /** Local verdicts that decide which objects server mode dry-runs (kept apart: one entry per key per cache). */
  private readonly screenCache = new DriftCache();
  private readonly predictions: PredictionStore;
  private readonly queue: RunQueue<DriftChangeCause, EnvironmentDriftReport>;
  private readonly listeners = new Set<(event: DriftChangeEvent) => void>();
  /** Desired resources as given; `placed` holds each with its namespace filled in for namespaced kinds. */
  private desired: DesiredResource[] = [];
  private readonly placed = new WeakMap<DesiredResource, DesiredResource>();
  /** Per placed resource, the last copy made to carry the live ApplySet label (and that label). */
  private readonly members = new WeakMap<DesiredResource, { label: unknown; resource: DesiredResource }>();
  /** Placed desired resources of the last run, by key (sync, preview and watch filtering use them). */
  private placedByKey = new Map<string, DesiredResource>();
  /** Each desired resource's key as of the last full run's kinds (a full run sets every one). */
  private readonly keys = new WeakMap<DesiredResource, string>();
  private readonly defaultNamespace: string;
  /** Kind/namespace pairs prefetch() started a list for. */
  private readonly prefetched = new Set<string>();
  private readonly selector: LabelMatcher | undefined;
  private last: EnvironmentDriftReport | undefined;
  private debounce: { timer: NodeJS.Timeout; keys: Set<string>; causes: Set<DriftChangeCause> } | undefined;
  private discoveryRetry: { timer?: NodeJS.Timeout; delay: number } = { delay: 0 };
  private disposed = false;

  constructor(options: EnvironmentDriftServiceOptions) {
    this.options = options;
    this.defaultNamespace = options.defaultNamespace ?? this.contextNamespace() ?? 'default';
    let selector: LabelMatcher | undefined;
    try {
      selector = options.extraSelector !== undefined ? parseLabelSelector(options.extraSelector) : undefined;
    } catch {
      // compareEnvironment reports a bad selector as a problem; here it only filters watch events.
    }
    this.selector = selector;
    this.predictions = new PredictionStore({
      concurrency: options.concurrency,
      timeoutMs: options.requestTimeoutMs,
      backoffMs: options.retryBackoffMs,
      retryServerAfterMs: options.retryServerAfterMs,
      remember: options.oneShot !== true,
    });
    this.queue = new RunQueue(
      (job) => this.run(job),
      (job, report) => this.fire({ keys: job.all ? [...report.byKey.keys()] : [...job.keys], causes: [...job.causes], report }),
    );
    this.sources = new LiveSources(
      options.manager,
      options.context,
      { onChange: (source, change) => this.onLiveChange(source, change.type, change.object), onState: (source) => this.schedule(this.keysOf(source), 'connection') },
      options.listTimeoutMs ?? 10_000,
    );
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

  /** Results compared afresh so far, served from the cache, and dry-runs sent, since the service was made. */
  stats(): { compared: number; cacheHits: number; dryRuns: number } {
    const stats = this.driftCache.stats();
    return { compared: stats.misses, cacheHits: stats.hits, dryRuns: this.predictions.sent };
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
    this.desired = this.options.oneShot ? [...resources] : resources.map(withContentHash);
  }

  /**
   * An edited manifest (the editor's text): its documents replace the desired objects declared in
   * that file, then only what changed is compared again. Resolves with the new report; the change
   * event names the keys whose desired content changed. For a file that is input to a kustomize
   * or helm build, nothing is replaced (render again and call setRendered).
   */
  updateFile(file: string, text: string, signal?: AbortSignal): Promise<EnvironmentDriftReport> {
    // One incremental parser per edited file: a keystroke re-parses only the document it touched.
    let parser = this.editParsers.get(file);
    if (!parser) {
      parser = new IncrementalManifestParser(file);
      this.editParsers.set(file, parser);
    }
    const incremental = parser;
    const replaced = replaceDeclaredIn(this.desired, file, text, (resource) => this.keyOf(resource), (source) => incremental.parse(source));
    if (!replaced) return this.compute(signal);
    this.desired = replaced.desired;
    return this.enqueue({ keys: replaced.changed, all: false, invalidate: false, causes: ['desired'], signal });
  }

  /** Computes the report; unchanged resources come from the cache. Concurrent calls share one run. */
  compute(signal?: AbortSignal): Promise<EnvironmentDriftReport> {
    return this.enqueue({ keys: [], all: true, invalidate: false, causes: ['compute'], signal });
  }

  /** Forgets cached results (and dry-run predictions) of `keys` — all when omitted — and computes again. */
  recompute(keys?: readonly string[], signal?: AbortSignal): Promise<EnvironmentDriftReport> {
    return this.enqueue({ keys: keys ?? [], all: keys === undefined, invalidate: true, causes: ['recompute'], signal });
  }

  /** Applies Git's objects for `keys` (server-side apply, our field manager, force), then recomputes them. */
  async sync(keys: readonly string[], signal?: AbortSignal): Promise<SyncOutcome[]> {
    const outcomes = await this.eachDesired(keys, 'apply', (object) => syncResource(this.target(), object, this.syncOptions(signal)));
    const synced = outcomes.filter((o) => o.ok).map((o) => o.key);
    if (synced.length > 0 && this.last) await this.enqueue({ keys: synced, all: false, invalidate: true, causes: ['sync'], signal });
    return outcomes;
  }

  /** What sync would change for `keys` (a dry-run diffed against live), for a confirmation dialog. */
  previewSync(keys: readonly string[], signal?: AbortSignal): Promise<PreviewOutcome[]> {
    return this.eachDesired(keys, 'preview', (object) => previewSync(this.target(), object, this.syncOptions(signal)));
  }

  /**
   * Runs `action` on Git's object for each key in turn; a key Git does not have, an object the
   * schema refuses, or a cluster error is that key's failed outcome. Cancellation stops them all.
   */
  private async eachDesired<T extends { key: string }>(keys: readonly string[], verb: string, action: (object: KubeObject) => Promise<T>): Promise<Array<({ ok: true } & T) | { ok: false; key: string; reason: string; code?: string }>> {
    const outcomes: Array<({ ok: true } & T) | { ok: false; key: string; reason: string; code?: string }> = [];
    for (const key of keys) {
      const resource = this.desiredFor(key);
      if (!resource) {
        outcomes.push({ ok: false, key, reason: 'not in Git: nothing to apply' });
        continue;
      }
      const refused = this.invalidReason(key);
      if (refused) {
        outcomes.push({ ok: false, key, reason: refused, code: 'invalid' });
        continue;
      }
      try {
        outcomes.push({ ok: true, ...(await action(resource.object)) });
      } catch (raw) {
        const error = toClusterError(raw, `${verb} ${key}`);
        if (error.code === 'cancelled') throw error;
        outcomes.push({ ok: false, key, reason: describe(error), code: error.code });
      }
    }
    return outcomes;
  }

  /** Why Git's object for `key` cannot be applied, when the last report found it Invalid. */
  private invalidReason(key: string): string | undefined {
    const resource = this.last?.byKey.get(key);
    if (resource?.status !== 'Invalid') return undefined;
    return `invalid in Git, not applied: ${resource.reason ?? 'the API server refuses it'}`;
  }

  /** Git's objects the schema refuses among `keys` (default all), added to `verdicts` (each object checked once: verdicts are remembered per object). */
  private schemaVerdicts(keys: Iterable<string> = this.placedByKey.keys(), verdicts = new Map<string, InvalidVerdict>()): Map<string, InvalidVerdict> {
    if (this.options.schemaCatalog === false) return verdicts;
    const catalog = this.options.schemaCatalog ?? builtinCatalog();
    for (const key of keys) {
      const resource = this.placedByKey.get(key);
      const verdict = resource && schemaVerdict(resource.object, catalog);
      if (verdict) verdicts.set(key, verdict);
    }
    return verdicts;
  }

  /**
   * Of the objects an apply would leave unchanged, those that may still be refused: live holds what
   * the server accepted, so only a value the comparison equated with a different spelling
   * (`replicas: "3"`), or a field an ignore rule hid, can make Git's version invalid. Checking only
   * those was a tenth of a CLI drift run at 1,000 objects.
   */
  private mayHideInvalid(unchanged: ReadonlyMap<string, KubeObject>): string[] {
    const hiding = (this.options.ignoreRules?.length ?? 0) > 0 || this.options.compare?.ignoreAggregatedRoles === true;
    const keys: string[] = [];
    for (const key of unchanged.keys()) {
      const resource = this.placedByKey.get(key);
      if (hiding || !resource || hasNumericStringField(resource.object)) keys.push(key);
    }
    return keys;
  }

  /**
   * The same, for objects no dry-run waits on, checked while the dry-runs are in flight: the
   * cluster works on them meanwhile, so this work costs no time. Yields every few milliseconds so
   * answers are read and the next requests sent.
   */
  private async schemaVerdictsMeanwhile(keys: readonly string[], verdicts: Map<string, InvalidVerdict>): Promise<void> {
    await inTimeSlices(keys, 4, (key) => this.schemaVerdicts([key], verdicts));
  }

  /** Stops listening to the caches (which stay: ClusterManager shares them) and cancels timers. */
  dispose(): void {
    this.disposed = true;
    if (this.debounce) clearTimeout(this.debounce.timer);
    if (this.discoveryRetry.timer) clearTimeout(this.discoveryRetry.timer);
    this.sources.dispose();
    this.listeners.clear();
  }

  private enqueue(request: RunRequest<DriftChangeCause>): Promise<EnvironmentDriftReport> {
    if (this.disposed) return Promise.reject(new ClusterError('cancelled', 'the drift service was disposed'));
    return this.queue.enqueue(request);
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

  private target(): ApplyTarget {
    return { client: this.options.manager.client(this.options.context), discovery: this.options.manager.discovery(this.options.context) };
  }

  private syncOptions(signal?: AbortSignal): { defaultNamespace: string; timeoutMs?: number; signal?: AbortSignal; secretHashSalt?: string } {
    return { defaultNamespace: this.defaultNamespace, timeoutMs: this.options.requestTimeoutMs, signal, secretHashSalt: this.options.compare?.secretHashSalt };
  }

  /**
   * Starts listing the live objects of `object`'s kind, in the namespace it would be placed in, in
   * the shared cache, for a caller still reading Git (the CLI): the cluster lists while the rest of
   * the manifests are parsed, and compute() finds the list done. Best effort: a failure here is
   * met again, and reported, by compute().
   */
  prefetch(object: KubeObject): void {
    let gvk: GroupVersionKind;
    try {
      gvk = gvkOf(object);
    } catch {
      return;
    }
    const namespace = declaredNamespace(object) ?? this.defaultNamespace;
    const key = `${gvk.group}/${gvk.version}/${gvk.kind}/${namespace}`;
    if (this.prefetched.has(key)) return;
    this.prefetched.add(key);
    const { manager, context } = this.options;
    manager
      .discovery(context)
      .resolve(gvk)
      .then((info) => manager.cache(context, gvk, info.namespaced ? namespace : null).start())
      .catch(() => undefined);
  }

  // --- desired objects placed in the cluster's terms ---

  /** The object as the cluster keys it: namespace filled in for namespaced kinds, dropped for cluster-scoped ones (as kubectl does). */
  private place(resource: DesiredResource, namespaced: boolean): DesiredResource {
    let placed = this.placed.get(resource);
    if (placed) return placed;
    const metadata = isRecord(resource.object.metadata) ? resource.object.metadata : {};
    const namespace = declaredNamespace(resource.object);
    if (namespaced && namespace === undefined) placed = { ...resource, object: { ...resource.object, metadata: { ...metadata, namespace: this.defaultNamespace } } };
    else if (!namespaced && namespace !== undefined) {
      const { namespace: _dropped, ...rest } = metadata;
      placed = { ...resource, object: { ...resource.object, metadata: rest } };
    } else placed = resource;
    this.placed.set(resource, placed);
    return placed;
  }

  /** Placed when the kind is known (served), else as it is; undefined gvk when the object has no apiVersion/kind. */
  private placeKnown(resource: DesiredResource): { resource: DesiredResource; gvk?: GroupVersionKind; namespaced?: boolean } {
    let gvk: GroupVersionKind;
    try {
      gvk = gvkOf(resource.object);
    } catch {
      return { resource };
    }
    const info = this.sources.kind(gvk);
    if (!info || 'unavailable' in info) return { resource, gvk };
    return { resource: this.place(resource, info.namespaced), gvk, namespaced: info.namespaced };
  }

  /**
   * Git's object with the live object's ApplySet membership label (`gitops-env sync` adds it; Git
   * does not have it). Every comparison, dry-run and single-object apply then sends it back: an
   * apply under our field manager keeps the label instead of dropping it, and the bookkeeping is
   * never drift, in server and local mode alike.
   */
  private withLiveMembership(resource: DesiredResource, liveByKey: ReadonlyMap<string, KubeObject>): DesiredResource {
    const live = liveByKey.get(resourceKey(objectId(resource.object)));
    const object = keepMembership(resource.object, live);
    if (object === resource.object) return resource;
    const label = (object.metadata as { labels?: Record<string, unknown> }).labels?.[APPLYSET_PART_OF_LABEL];
    const known = this.members.get(resource);
    if (known && known.label === label) return known.resource;
    const member = { ...resource, object };
    this.members.set(resource, { label, resource: member });
    return member;
  }

  /** The key a desired resource has in reports. */
  private keyOf(resource: DesiredResource): string {
    return this.keys.get(resource) ?? resourceKey(objectId(this.placeKnown(resource).resource.object));
  }

  private desiredFor(key: string): DesiredResource | undefined {
    return this.placedByKey.get(key) ?? this.desired.find((resource) => this.keyOf(resource) === key);
  }

  // --- live events ---

  private keysOf(source: TrackedCache): string[] {
    const keys: string[] = [];
    for (const [key, resource] of this.placedByKey) {
      const id = objectId(resource.object);
      if (id.group === source.gvk.group && id.kind === source.gvk.kind && (source.namespace === null || id.namespace === source.namespace)) keys.push(key);
    }
    return keys;
  }

  /** A cache event concerns this environment when Git has the object, the last report had it, or it may be Extra. */
  private onLiveChange(source: TrackedCache, type: string, object: KubeObject | undefined): void {
    if (type === 'RESYNC') return this.schedule(this.keysOf(source), 'live');
    if (!object) return;
    const key = resourceKey(objectId(object));
    const tracked = this.options.extraTrackingApp !== undefined && trackedBy(object, this.options.extraTrackingApp);
    if (this.placedByKey.has(key) || this.last?.byKey.has(key) || this.selector?.(labelsOf(object)) || tracked) this.schedule([key], 'live');
  }

  /** Gathers events for `debounceMs`, then runs once for all of them. */
  private schedule(keys: readonly string[], cause: DriftChangeCause): void {
    if (this.disposed || this.options.autoRecompute === false || !this.last) return;
    if (!this.debounce) {
      const timer = setTimeout(() => {
        const pending = this.debounce;
        this.debounce = undefined;
        if (pending) this.enqueue({ keys: [...pending.keys], all: false, invalidate: false, causes: [...pending.causes] }).catch(() => undefined);
      }, this.options.debounceMs ?? 50);
      this.debounce = { timer, keys: new Set(), causes: new Set() };
    }
    for (const key of keys) this.debounce.keys.add(key);
    this.debounce.causes.add(cause);
  }

  /**
   * Kinds discovery could not resolve (cluster unreachable, 401, 5xx) have no cache whose own retry
   * would bring them back, and dry-runs that failed transiently have no event that would run them
   * again, so the service runs again later by itself, backing off.
   */
  private retryLater(transientDryRuns: boolean): void {
    if (!transientDryRuns && !this.sources.hasTransientFailures()) {
      this.discoveryRetry.delay = 0;
      return;
    }
    if (this.discoveryRetry.timer || this.options.autoRecompute === false || this.disposed) return;
    const first = this.options.discoveryRetryMs ?? 5000;
    this.discoveryRetry.delay = this.discoveryRetry.delay === 0 ? first : Math.min(this.discoveryRetry.delay * 2, 60_000);
    this.discoveryRetry.timer = setTimeout(() => {
      this.discoveryRetry.timer = undefined;
      this.enqueue({ keys: [], all: true, invalidate: false, causes: ['connection'] }).catch(() => undefined);
    }, this.discoveryRetry.delay);
  }

  // --- one run ---

  /** The options of a report's comparison: the service's rules, with one round's predictions and verdicts. */
  private reportOptions(round: PredictionRound, liveUnavailable: EnvironmentCompareOptions['liveUnavailable'], invalid: ReadonlyMap<string, InvalidVerdict>, cache: DriftCache | undefined): EnvironmentCompareOptions {
    return {
      ...this.options.compare,
      mode: round.mode,
      ignoreRules: this.options.ignoreRules,
      extraSelector: this.options.extraSelector,
      extraTrackingApp: this.options.extraTrackingApp,
      defaultNamespace: this.defaultNamespace,
      predictedLive: round.predictedLive,
      liveUnavailable,
      invalid,
      cache,
    };
  }

  /**
   * Sorts every placed object into those an apply would leave unchanged (returned, with their live
   * objects) and the rest, each handed to `candidate` as soon as it is known (all of them with
   * dryRunAll). Compares a few objects at a time and yields between slices, so dry-runs already
   * handed over are sent and their answers read meanwhile.
   */
  private async screenForDryRun(liveByKey: ReadonlyMap<string, KubeObject>, candidate: (key: string, member: DesiredResource) => void): Promise<Map<string, KubeObject>> {
    const entries = [...this.placedByKey];
    if (this.options.dryRunAll === true) {
      for (const [key, member] of entries) candidate(key, member);
      return new Map();
    }
    const unchanged = new Map<string, KubeObject>();
    // 16 objects per local comparison: its fixed cost is shared, and a slice stays near 2 ms.
    await inTimeSlices(chunksOf(entries, 16), 2, (chunk) => {
      const found = this.unchangedByApply(new Map(chunk), liveByKey);
      for (const [key, member] of chunk) {
        const live = found.get(key);
        if (live) unchanged.set(key, live);
        else candidate(key, member);
      }
    });
    return unchanged;
  }

  /**
   * Live objects a server-side apply of Git would leave unchanged: the local comparison (the same
   * normalization, ignore rules, and ownership of fields by appliers of Git) finds them in sync.
   */
  private unchangedByApply(placed: ReadonlyMap<string, DesiredResource>, liveByKey: ReadonlyMap<string, KubeObject>): Map<string, KubeObject> {
    const present = [...placed].filter(([key]) => liveByKey.has(key));
    const unchanged = new Map<string, KubeObject>();
    if (present.length === 0) return unchanged;
    const local = compareEnvironment(
      present.map(([, resource]) => resource),
      present.map(([key]) => liveByKey.get(key) as KubeObject),
      { ...this.options.compare, mode: 'local', ignoreRules: this.options.ignoreRules, defaultNamespace: this.defaultNamespace, cache: this.options.oneShot ? undefined : this.screenCache },
    );
    for (const resource of local.resources) {
      const live = liveByKey.get(resource.key);
      if (resource.status === 'InSync' && live) unchanged.set(resource.key, live);
    }
    return unchanged;
  }

  /**
   * A run for a few keys whose objects stay the same set (an edited value, a watch event on an
   * object Git has): only those are placed, looked up, dry-run and compared, and the last report
   * is patched, so an edit costs the same at 10,000 objects as at 10. Undefined when a full run is
   * needed: a key added or gone, an object that is (or may become) Extra, a kind or namespace no
   * cache serves yet, or a comparison mode that changed.
   */
  private async runIncremental(job: RunJob<DriftChangeCause>): Promise<EnvironmentDriftReport | undefined> {
    const last = this.last;
    if (!last || job.all || job.invalidateAll || job.keys.size === 0 || job.keys.size > INCREMENTAL_MAX_KEYS || this.options.oneShot) return undefined;
    if (this.desired.length !== this.placedByKey.size || last.requestedMode !== this.mode) return undefined;
    const changed = new Map<string, { placed: DesiredResource; source: DesiredResource; gvk: GroupVersionKind; namespaced: boolean }>();
    for (const resource of this.desired) {
      const key = this.keys.get(resource) ?? this.keyOf(resource);
      if (!this.placedByKey.has(key)) return undefined;
      if (!job.keys.has(key)) continue;
      const placed = this.placeKnown(resource);
      if (!placed.gvk || placed.namespaced === undefined || changed.has(key)) return undefined;
      changed.set(key, { placed: placed.resource, source: resource, gvk: placed.gvk, namespaced: placed.namespaced });
    }
    if (changed.size !== job.keys.size) return undefined;
    const liveByKey = new Map<string, KubeObject>();
    for (const [key, entry] of changed) {
      if (last.byKey.get(key)?.status === 'Extra') return undefined;
      const id = objectId(entry.placed.object);
      const live = this.sources.liveObject(entry.gvk, entry.namespaced ? id.namespace : null, id.name);
      if (live === null) return undefined;
      if (live) liveByKey.set(key, live);
    }
    const status = this.sources.status();
    const members: DesiredResource[] = [];
    for (const [key, entry] of changed) {
      const member = this.withLiveMembership(entry.placed, liveByKey);
      members.push(member);
      this.placedByKey.set(key, member);
      this.keys.set(entry.source, key);
    }
    const keys = [...changed.keys()];
    let invalid = this.schemaVerdicts(keys);
    let round: PredictionRound = { mode: 'local', predictedLive: new Map<string, KubeObject>(), unknown: new Map<string, string>(), invalid: new Map(), dryRuns: [] };
    if (this.mode === 'server') {
      const unchanged = this.options.dryRunAll === true ? new Map<string, KubeObject>() : this.unchangedByApply(this.placedByKey, liveByKey);
      const toPredict = new Map(members.map((member, i) => [keys[i], member] as const).filter(([key]) => !unchanged.has(key) && !invalid.has(key)));
      round = await this.predictions.predict(() => this.target(), toPredict, liveByKey, this.defaultNamespace, job.signal);
      if (round.mode === 'server') for (const [key, live] of unchanged) round.predictedLive.set(key, live);
      invalid = new Map([...invalid, ...round.invalid]);
    }
    if (round.mode !== last.drift.mode) return undefined;
    this.driftCache.takeMissed();
    const patch = compareEnvironment(members, [...liveByKey.values()], this.reportOptions(round, status.unavailable, invalid, this.driftCache));
    if (round.unknown.size > 0) markUnknown(patch, round.unknown);
    const byKey = new Map(last.byKey);
    for (const resource of patch.resources) {
      if (!byKey.has(resource.key)) return undefined;
      byKey.set(resource.key, resource);
    }
    const resources = last.drift.resources.map((resource) => byKey.get(resource.key) ?? resource);
    const drift: EnvironmentDrift = {
      ...last.drift,
      approximate: resources.some((resource) => resource.approximate) || (last.drift.mode === 'local' && resources.length === 0),
      resources,
      counts: countStatuses(resources),
    };
    const report: EnvironmentDriftReport = {
      drift,
      byKey,
      requestedMode: last.requestedMode,
      freshness: withStalePredictions(status.freshness, round.stale),
      computedAt: Date.now(),
      recomputed: this.driftCache.takeMissed(),
      dryRuns: round.dryRuns,
      scope: 'patch',
    };
    if (last.fallbackReason) report.fallbackReason = last.fallbackReason;
    this.last = report;
    this.retryLater(round.retryLater === true);
    return report;
  }

  private async run(job: RunJob<DriftChangeCause>): Promise<EnvironmentDriftReport> {
    if (job.invalidateAll) {
      this.driftCache.clear();
      this.predictions.clear();
    }
    for (const key of job.invalidated) {
      this.driftCache.invalidate(key);
      this.predictions.forget(key);
    }
    const patched = await this.runIncremental(job);
    if (patched) return patched;
    const desired = this.desired;
    const gvks = new Map<string, GroupVersionKind>();
    for (const resource of desired) {
      try {
        const gvk = gvkOf(resource.object);
        gvks.set(`${gvk.group}/${gvk.version}/${gvk.kind}`, gvk);
      } catch {
        // No apiVersion or kind: nothing to list; the core reports what it can.
      }
    }
    await this.sources.resolveKinds([...gvks.values()]);
    const placed = desired.map((resource) => this.placeKnown(resource));
    await this.sources.ensure(
      placed.filter((p) => p.gvk && p.namespaced !== undefined).map((p) => ({ gvk: p.gvk as GroupVersionKind, namespace: p.namespaced ? objectId(p.resource.object).namespace : null })),
    );
    if (job.signal?.aborted) throw new ClusterError('cancelled', 'drift computation cancelled');
    const snapshot = this.sources.snapshot();
    const liveByKey = new Map(snapshot.live.map((object) => [resourceKey(objectId(object)), object]));
    const members = placed.map((p) => this.withLiveMembership(p.resource, liveByKey));
    this.placedByKey = new Map();
    for (let i = 0; i < members.length; i++) {
      const key = resourceKey(objectId(members[i].object));
      this.placedByKey.set(key, members[i]);
      this.keys.set(desired[i], key);
    }

    const requested = this.mode;
    let invalid: Map<string, InvalidVerdict>;
    let round: PredictionRound = { mode: 'local', predictedLive: new Map<string, KubeObject>(), unknown: new Map<string, string>(), invalid: new Map(), dryRuns: [] };
    if (requested === 'server') {
      const verdicts = new Map<string, InvalidVerdict>();
      invalid = verdicts;
      const stream = this.predictions.start(() => this.target(), liveByKey, this.defaultNamespace, job.signal);
      let unchanged: Map<string, KubeObject>;
      try {
        // Each object the local comparison finds different is dry-run at once, so the cluster
        // answers while the rest are compared. An object the schema refuses would be refused by
        // the dry-run too (stopping at its first problem): it is checked first and not sent.
        unchanged = await this.screenForDryRun(liveByKey, (key, member) => {
          this.schemaVerdicts([key], verdicts);
          if (!verdicts.has(key)) stream.add(key, member);
        });
        await this.schemaVerdictsMeanwhile(this.mayHideInvalid(unchanged), verdicts);
      } catch (error) {
        stream.finish().catch(() => undefined);
        throw error;
      }
      round = await stream.finish();
      // What an apply would leave as it is, the cluster would hold as it is.
      if (round.mode === 'server') for (const [key, live] of unchanged) round.predictedLive.set(key, live);
      for (const [key, verdict] of round.invalid) invalid.set(key, verdict);
    } else {
      invalid = this.schemaVerdicts();
    }

    this.driftCache.takeMissed();
    const drift = compareEnvironment(members, snapshot.live, this.reportOptions(round, snapshot.unavailable, invalid, this.options.oneShot ? undefined : this.driftCache));
    const recomputed = this.options.oneShot ? drift.resources.map((resource) => resource.key) : this.driftCache.takeMissed();
    if (round.unknown.size > 0) markUnknown(drift, round.unknown);
    const report: EnvironmentDriftReport = {
      drift,
      byKey: new Map(drift.resources.map((resource) => [resource.key, resource])),
      requestedMode: requested,
      freshness: withStalePredictions(snapshot.freshness, round.stale),
      computedAt: Date.now(),
      recomputed,
      dryRuns: round.dryRuns,
      scope: 'all',
    };
    if (round.fallbackReason) report.fallbackReason = round.fallbackReason;
    this.last = report;
    this.retryLater(round.retryLater === true);
    return report;
  }
}

/** More keys than this in one run: a full run (patching stops paying off, and a burst is rare). */
const INCREMENTAL_MAX_KEYS = 256;

/** Objects compared locally because their dry-run could not reach the cluster make the report stale. */
function withStalePredictions(freshness: DriftFreshness, stale: ReadonlyMap<string, string> | undefined): DriftFreshness {
  if (!stale || stale.size === 0) return freshness;
  const [first] = stale.values();
  const more = stale.size > 1 ? ` (and ${stale.size - 1} more)` : '';
  return { state: freshness.state === 'unavailable' ? 'unavailable' : 'stale', asOf: freshness.asOf, problems: [...freshness.problems, `compared without the server (dry-run failed: ${first}${more})`] };
}

/** Resources whose dry-run failed: `Unknown` with the reason, whatever the local comparison said. */
function markUnknown(drift: EnvironmentDrift, unknown: ReadonlyMap<string, string>): void {
  drift.resources = drift.resources.map((resource) => {
    const reason = unknown.get(resource.key);
    if (reason === undefined || resource.status === 'Missing' || resource.status === 'Unknown' || resource.status === 'Invalid') return resource;
    return { ...resource, status: 'Unknown', fields: [], reason, ignored: 0 };
  });
  drift.counts = countStatuses(drift.resources);
}
