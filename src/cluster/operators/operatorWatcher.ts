// Argo CD and Flux objects of one cluster context, read from the SHARED list+watch caches of the
// ClusterManager (one per kind, all namespaces), so the tree, the drift report and this watcher
// never open a second watch on the same kind. Kinds the cluster does not serve get no cache at all.
// Warning Events come from shared per-namespace Event caches, started when first asked for.
import type { GroupVersionKind } from '../../core/model';
import { readOperatorStatuses } from '../../core/operators/operatorStatus';
import type { ObjectPointer, OperatorStatus } from '../../core/operators/operatorTypes';
import { recentWarningEvents, type WarningEvent } from '../../core/operators/warningEvents';
import { ClusterError, toClusterError } from '../clusterError';
import type { ClusterManager } from '../clusterManager';
import type { KubeObject, LiveCache } from '../liveCache';
import { detectOperatorKinds, type DetectedOperatorKinds } from './operatorDiscovery';

export interface OperatorWatcherOptions {
  /** How often to look again for operator CRDs installed (or removed) since; default 5 minutes. */
  redetectMs?: number;
  /** Timeout of the detection requests and of waiting for an Event cache's first list; default 5 s. */
  requestTimeoutMs?: number;
  /** Changes within this window are reported together; default 25 ms. */
  debounceMs?: number;
}

export interface OperatorWatcherChange {
  context: string;
  /** Operator objects added, changed or removed; empty when only Events changed or after a re-list. */
  objects: ObjectPointer[];
  /** True after a re-list or a detection change: anything may have changed. */
  all: boolean;
  /** Warning Events of a watched namespace changed. */
  events: boolean;
}

interface Disposable {
  dispose(): void;
}

const EVENT_GVK: GroupVersionKind = { group: '', version: 'v1', kind: 'Event' };

function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

export class OperatorWatcher {
  private detected: DetectedOperatorKinds | null = null;
  private error: ClusterError | null = null;
  private readonly watched = new Map<string, { cache: LiveCache; subscription: Disposable }>();
  private readonly eventCaches = new Map<string, { cache: LiveCache; subscription: Disposable }>();
  private readonly listeners = new Set<(change: OperatorWatcherChange) => void>();
  private memo: OperatorStatus[] | null = null;
  private starting: Promise<void> | undefined;
  private redetectTimer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private pending: OperatorWatcherChange | null = null;
  private disposed = false;

  constructor(
    private readonly manager: ClusterManager,
    readonly context: string,
    private readonly options: OperatorWatcherOptions = {},
  ) {}

  /** What the cluster serves; null until a detection succeeded. */
  get detection(): DetectedOperatorKinds | null {
    return this.detected;
  }

  /** Why the last detection failed (cluster unreachable, credentials refused); null after a success. */
  get detectionError(): ClusterError | null {
    return this.error;
  }

  /**
   * Detects the operator kinds and starts their caches; resolves once each first list has
   * succeeded or failed. Never rejects: a failure is kept in `detectionError` (the connection
   * monitor reports it). Calls while one runs share it; call again after a reconnect.
   */
  start(): Promise<void> {
    this.starting ??= this.run().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async run(): Promise<void> {
    if (this.disposed) return;
    try {
      const detected = await detectOperatorKinds(this.manager.client(this.context), this.manager.discovery(this.context), this.options.requestTimeoutMs ?? 5000);
      // Disposed meanwhile (and the manager perhaps too): starting caches now would leak them.
      if (this.disposed) return;
      this.error = null;
      this.applyDetection(detected);
    } catch (error) {
      this.error = toClusterError(error, `detect operators in ${this.context}`);
    }
    if (this.disposed) return;
    this.scheduleRedetect();
    await Promise.allSettled([...this.watched.values()].map((w) => w.cache.start()));
  }

  private applyDetection(detected: DetectedOperatorKinds): void {
    const before = new Set(this.watched.keys());
    const wanted = [...detected.kinds, ...detected.helperKinds];
    for (const gvk of wanted) {
      const key = gvkKey(gvk);
      before.delete(key);
      if (this.watched.has(key)) continue;
      const cache = this.manager.cache(this.context, gvk, null);
      const subscription = cache.onDidChange((change) => {
        const object = change.object;
        this.changed(object ? [refOf(object)] : [], change.type === 'RESYNC', false);
      });
      this.watched.set(key, { cache, subscription });
    }
    // A CRD removed since: stop listening (the shared cache itself belongs to the manager).
    for (const key of before) {
      this.watched.get(key)?.subscription.dispose();
      this.watched.delete(key);
    }
    const changedKinds = this.detected === null || before.size > 0 || wanted.length !== this.detected.kinds.length + this.detected.helperKinds.length;
    this.detected = detected;
    if (changedKinds) this.changed([], true, false);
  }

  private scheduleRedetect(): void {
    if (this.disposed) return;
    if (this.redetectTimer) clearTimeout(this.redetectTimer);
    this.redetectTimer = setTimeout(() => void this.start(), this.options.redetectMs ?? 300_000);
    this.redetectTimer.unref?.();
  }

  private changed(objects: ObjectPointer[], all: boolean, events: boolean): void {
    if (this.disposed) return;
    if (!events) this.memo = null;
    const pending = (this.pending ??= { context: this.context, objects: [], all: false, events: false });
    pending.objects.push(...objects);
    pending.all ||= all;
    pending.events ||= events;
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      const change = this.pending;
      this.pending = null;
      if (change) for (const listener of this.listeners) listener(change);
    }, this.options.debounceMs ?? 25);
  }

  onDidChange(listener: (change: OperatorWatcherChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The operator objects (and the helper objects they refer to) as last seen. */
  objects(): KubeObject[] {
    return [...this.watched.values()].flatMap((w) => w.cache.list());
  }

  /** Status of every Argo CD and Flux object of the cluster, as last seen. Synchronous: never waits on the cluster. */
  statuses(): OperatorStatus[] {
    this.memo ??= readOperatorStatuses(this.objects(), this.context);
    return this.memo;
  }

  /** The first watched kind whose cache lost the cluster (its objects are as of `syncedAt`), or null. */
  stale(): { kind: string; error: ClusterError | undefined; syncedAt: number | undefined } | null {
    for (const { cache } of this.watched.values()) if (cache.state === 'stale') return { kind: cache.gvk.kind, error: cache.lastError, syncedAt: cache.syncedAt };
    return null;
  }

  /** When every watched kind last matched the cluster (ms), or null when one never did. */
  syncedAt(): number | null {
    let oldest: number | null = null;
    for (const { cache } of this.watched.values()) {
      if (cache.syncedAt === undefined) return null;
      oldest = oldest === null ? cache.syncedAt : Math.min(oldest, cache.syncedAt);
    }
    return oldest;
  }

  /**
   * Recent warning Events of `namespaces`, newest first. Starts a shared Event cache per namespace
   * on first call and waits at most the request timeout for its first list; never throws (a
   * cluster that cannot be reached gives what was seen before, or nothing).
   */
  async recentWarnings(namespaces: readonly string[], limit = 20): Promise<WarningEvent[]> {
    if (this.disposed) return [];
    const caches = namespaces.map((namespace) => this.eventCache(namespace));
    const timeout = this.options.requestTimeoutMs ?? 5000;
    await Promise.all(
      caches.map((cache) => {
        if (cache.state === 'synced') return undefined;
        let timer: NodeJS.Timeout | undefined;
        return Promise.race([cache.start().catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeout)))]).finally(() => clearTimeout(timer));
      }),
    );
    return recentWarningEvents(
      caches.flatMap((cache) => cache.list()),
      { namespaces, limit },
    );
  }

  private eventCache(namespace: string): LiveCache {
    let entry = this.eventCaches.get(namespace);
    if (!entry) {
      const cache = this.manager.cache(this.context, EVENT_GVK, namespace);
      const subscription = cache.onDidChange((change) => {
        if (!change.object || change.object.type === 'Warning') this.changed([], false, true);
      });
      entry = { cache, subscription };
      this.eventCaches.set(namespace, entry);
    }
    return entry.cache;
  }

  /** Stops listening; the caches are the manager's and stay for other views. */
  dispose(): void {
    this.disposed = true;
    if (this.redetectTimer) clearTimeout(this.redetectTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const w of [...this.watched.values(), ...this.eventCaches.values()]) w.subscription.dispose();
    this.watched.clear();
    this.eventCaches.clear();
    this.listeners.clear();
  }
}

function refOf(object: KubeObject): ObjectPointer {
  return { kind: object.kind ?? '', namespace: object.metadata.namespace ?? null, name: object.metadata.name };
}
