// The live side of one environment's drift: which kinds the cluster serves (and whether they are
// namespaced), and the SHARED list+watch caches of ClusterManager for exactly the kinds and
// namespaces the environment needs. Subscribes to them (never disposes them: other views share
// them), waits a bounded time for first lists, and says how fresh what they hold is.
import type { KubeObject as DriftObject, UnavailableKind } from '../../core/drift/driftTypes';
import type { GroupVersionKind } from '../../core/model';
import { ClusterError, toClusterError } from '../clusterError';
import type { ClusterManager } from '../clusterManager';
import type { CacheChange, CacheState, LiveCache } from '../liveCache';

/** `transient`: the cluster could not answer (retry later), as opposed to not serving the kind. */
export type KindInfo = { namespaced: boolean } | { unavailable: string; transient: boolean };

/** How current the live side is. `live`: every cache follows its watch; `stale`: some lost it and show the last state; `unavailable`: nothing was ever listed. */
export type FreshnessState = 'live' | 'stale' | 'unavailable';

export interface DriftFreshness {
  state: FreshnessState;
  /** Results reflect the cluster as of this time (ms since epoch); undefined when nothing was listed. */
  asOf: number | undefined;
  /** One line per kind and namespace that is stale or could not be listed. */
  problems: string[];
}

export interface LiveSnapshot {
  live: DriftObject[];
  unavailable: UnavailableKind[];
  freshness: DriftFreshness;
}

export interface LiveSourceEvents {
  onChange(source: TrackedCache, change: CacheChange): void;
  onState(source: TrackedCache, state: CacheState): void;
}

export interface TrackedCache {
  gvk: GroupVersionKind;
  namespace: string | null;
  cache: LiveCache;
  /** When the cache last went stale (its objects are the cluster as of then). */
  staleSince?: number;
  subscriptions: Array<{ dispose(): void }>;
}

export function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

function cacheKey(gvk: GroupVersionKind, namespace: string | null): string {
  return `${gvkKey(gvk)}/${namespace ?? '*'}`;
}

function timeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ClusterError('timeout', `${what}: no answer in ${Math.round(ms / 100) / 10} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Resolves when the cache has listed, has failed, or `ms` passed — never later. */
function settled(cache: LiveCache, ms: number): Promise<void> {
  if (cache.state !== 'syncing') {
    void cache.start();
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const subscription = cache.onDidChangeState(done);
    cache.start().then(done, done);
  });
}

export class LiveSources {
  private kinds = new Map<string, KindInfo>();
  private readonly tracked = new Map<string, TrackedCache>();
  private inUse = new Set<string>();

  constructor(
    private readonly manager: ClusterManager,
    private readonly context: string,
    private readonly events: LiveSourceEvents,
    private readonly timeoutMs: number,
  ) {}

  /** Asks discovery about each kind (cached per cluster by ApiDiscovery); a kind that fails is unavailable with the reason. */
  async resolveKinds(gvks: readonly GroupVersionKind[]): Promise<void> {
    const resolved = new Map<string, KindInfo>();
    await Promise.all(
      gvks.map(async (gvk) => {
        try {
          const info = await timeout(this.manager.discovery(this.context).resolve(gvk), this.timeoutMs, `discovery of ${gvk.kind}`);
          resolved.set(gvkKey(gvk), { namespaced: info.namespaced });
        } catch (raw) {
          const error = toClusterError(raw, `discovery of ${gvk.kind}`);
          const notServed = error.code === 'notFound';
          resolved.set(gvkKey(gvk), { unavailable: notServed ? error.message : `${error.message}${error.hint ? ` — ${error.hint}` : ''}`, transient: !notServed });
        }
      }),
    );
    this.kinds = resolved;
  }

  /** True when some kind could not be resolved because the cluster did not answer well: worth asking again later. */
  hasTransientFailures(): boolean {
    for (const info of this.kinds.values()) if ('unavailable' in info && info.transient) return true;
    return false;
  }

  kind(gvk: GroupVersionKind): KindInfo | undefined {
    return this.kinds.get(gvkKey(gvk));
  }

  /** Makes sure a cache runs for each (kind, namespace), waits (bounded) for first lists, and drops subscriptions no longer needed. */
  async ensure(needed: ReadonlyArray<{ gvk: GroupVersionKind; namespace: string | null }>): Promise<void> {
    const keys = new Set<string>();
    const waits: Array<Promise<void>> = [];
    for (const { gvk, namespace } of needed) {
      const key = cacheKey(gvk, namespace);
      if (keys.has(key)) continue;
      keys.add(key);
      let source = this.tracked.get(key);
      if (!source) {
        const cache = this.manager.cache(this.context, gvk, namespace);
        const created: TrackedCache = { gvk, namespace, cache, subscriptions: [] };
        if (cache.state === 'stale') created.staleSince = Date.now();
        created.subscriptions.push(
          cache.onDidChange((change) => this.events.onChange(created, change)),
          cache.onDidChangeState((state) => {
            if (state === 'stale') created.staleSince ??= Date.now();
            else if (state === 'synced') created.staleSince = undefined;
            this.events.onState(created, state);
          }),
        );
        this.tracked.set(key, created);
        source = created;
      }
      waits.push(settled(source.cache, this.timeoutMs));
    }
    for (const [key, source] of this.tracked) {
      if (keys.has(key)) continue;
      for (const subscription of source.subscriptions) subscription.dispose();
      this.tracked.delete(key);
    }
    this.inUse = keys;
    await Promise.all(waits);
  }

  /** What the caches hold now, which kinds cannot be known, and how fresh it all is. */
  snapshot(): LiveSnapshot {
    return this.survey(true);
  }

  /** The snapshot without the objects: which kinds cannot be known and how fresh the caches are (no copying of lists). */
  status(): Omit<LiveSnapshot, 'live'> {
    const { unavailable, freshness } = this.survey(false);
    return { unavailable, freshness };
  }

  /**
   * The live object of a desired one placed in the cluster's terms, from the cache that serves its
   * kind and namespace; `undefined` when that cache has no such object, `null` when no cache in use
   * serves it (the caller must ensure one: a full run).
   */
  liveObject(gvk: GroupVersionKind, namespace: string | null, name: string): DriftObject | undefined | null {
    const source = this.tracked.get(cacheKey(gvk, namespace));
    if (!source || !this.inUse.has(cacheKey(gvk, namespace))) return null;
    if (source.cache.syncedAt === undefined) return null;
    return source.cache.get(namespace, name);
  }

  private survey(withObjects: boolean): LiveSnapshot {
    const live: DriftObject[] = [];
    const unavailable: UnavailableKind[] = [];
    const problems: string[] = [];
    const now = Date.now();
    let asOf: number | undefined;
    let listed = 0;
    let stale = false;
    for (const [key, info] of this.kinds) {
      if (!('unavailable' in info)) continue;
      const [group, , kind] = key.split('/');
      unavailable.push({ group, kind, reason: info.unavailable });
    }
    for (const key of this.inUse) {
      const source = this.tracked.get(key);
      if (!source) continue;
      const { cache, gvk, namespace } = source;
      const where = `${gvk.kind}${namespace ? ` in ${namespace}` : ''}`;
      if (cache.syncedAt === undefined) {
        const reason = cache.lastError ? `cannot list ${where}: ${cache.lastError.message}${cache.lastError.hint ? ` — ${cache.lastError.hint}` : ''}` : `no list of ${where} yet (waited ${Math.round(this.timeoutMs / 1000)} s)`;
        unavailable.push({ group: gvk.group, kind: gvk.kind, namespace: namespace ?? undefined, reason });
        problems.push(reason);
        continue;
      }
      listed++;
      if (withObjects) for (const object of cache.list()) live.push(object);
      if (cache.state === 'synced') {
        asOf = Math.min(asOf ?? now, now);
      } else {
        stale = true;
        const since = source.staleSince ?? cache.syncedAt;
        asOf = Math.min(asOf ?? since, since);
        const why = cache.lastError ? `${cache.lastError.message}${cache.lastError.hint ? ` — ${cache.lastError.hint}` : ''}` : 'reconnecting';
        problems.push(`${where}: showing the cluster as of ${new Date(since).toISOString()} (${why})`);
      }
    }
    const state: FreshnessState = listed === 0 && (this.inUse.size > 0 || unavailable.length > 0) ? 'unavailable' : stale || problems.length > 0 ? 'stale' : 'live';
    return { live, unavailable, freshness: { state, asOf, problems } };
  }

  dispose(): void {
    for (const source of this.tracked.values()) for (const subscription of source.subscriptions) subscription.dispose();
    this.tracked.clear();
    this.inUse.clear();
  }
}
