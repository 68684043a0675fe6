// Connection state of every environment's cluster at once, each probed with its own client (never
// the kubeconfig's current context): connected, stale (reachable but a watch is catching up),
// unreachable, unauthorized (credentials or exec plugin refused), with the reason and a hint.
// Failures are retried with jittered exponential backoff; a success after a failure tells every
// cache of that cluster to reconnect now (they resume from their last resourceVersion, or re-list
// on 410). Every method answers from memory or within the probe timeout: nothing waits on a
// cluster that is down.
import { ClusterError } from '../clusterError';
import type { ClusterManager, ConnectionState } from '../clusterManager';
import type { CacheState, LiveCache } from '../liveCache';
import { backoffDelay } from './backoff';

export type ClusterConnectionStatus = 'connecting' | 'connected' | 'stale' | 'unreachable' | 'unauthorized' | 'forbidden' | 'noContext' | 'error';

export interface ClusterConnection {
  context: string;
  status: ClusterConnectionStatus;
  /** What happened, for the tooltip ("connect ECONNREFUSED…", "exec plugin: token expired"). */
  reason: string | null;
  /** What to do about it. */
  hint: string | null;
  server: string | null;
  serverVersion: string | null;
  /** When the state was last checked (ms since epoch). */
  checkedAt: number;
  /** Last time the cluster answered (ms); data shown while it is down is "as of" this. */
  lastConnectedAt: number | null;
  /** Failed probes in a row. */
  attempt: number;
  /** When the next automatic probe runs (ms); null when none is planned. */
  nextRetryAt: number | null;
}

export interface ClusterConnectionsOptions {
  /** Per probe; default 3000 ms. */
  probeTimeoutMs?: number;
  /** Probe interval while connected; default 60 s. */
  healthIntervalMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
}

interface Tracked {
  state: ClusterConnection;
  timer: NodeJS.Timeout | undefined;
  probing: Promise<ClusterConnection> | undefined;
  cacheSubscriptions: Map<LiveCache, { dispose(): void }>;
}

export class ClusterConnections {
  private readonly tracked = new Map<string, Tracked>();
  private readonly listeners = new Set<(state: ClusterConnection) => void>();
  private readonly createSubscription: { dispose(): void };
  private disposed = false;

  constructor(
    private readonly manager: ClusterManager,
    private readonly options: ClusterConnectionsOptions = {},
  ) {
    this.createSubscription = manager.onDidCreateCache((context, cache) => {
      const entry = this.tracked.get(context);
      if (entry) this.followCache(context, entry, cache);
    });
  }

  /** Starts watching a context's connection (probing it now); returns its current state. */
  track(context: string): ClusterConnection {
    let entry = this.tracked.get(context);
    if (!entry) {
      entry = {
        state: { context, status: 'connecting', reason: null, hint: null, server: null, serverVersion: null, checkedAt: Date.now(), lastConnectedAt: null, attempt: 0, nextRetryAt: null },
        timer: undefined,
        probing: undefined,
        cacheSubscriptions: new Map(),
      };
      this.tracked.set(context, entry);
      for (const cache of this.manager.caches(context)) this.followCache(context, entry, cache);
      void this.probe(context);
    }
    return entry.state;
  }

  untrack(context: string): void {
    const entry = this.tracked.get(context);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    for (const s of entry.cacheSubscriptions.values()) s.dispose();
    this.tracked.delete(context);
  }

  get(context: string): ClusterConnection | undefined {
    return this.tracked.get(context)?.state;
  }

  all(): ClusterConnection[] {
    return [...this.tracked.values()].map((e) => e.state);
  }

  onDidChange(listener: (state: ClusterConnection) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The user's "Retry": forget the backoff, probe now, and reconnect the caches if it answers. */
  retry(context: string): Promise<ClusterConnection> {
    const entry = this.tracked.get(context);
    if (entry) entry.state = { ...entry.state, attempt: 0 };
    else this.track(context);
    // Shares a probe already running (track() starts one).
    return this.probe(context, true);
  }

  private followCache(context: string, entry: Tracked, cache: LiveCache): void {
    if (entry.cacheSubscriptions.has(cache)) return;
    entry.cacheSubscriptions.set(
      cache,
      cache.onDidChangeState((state: CacheState) => {
        const current = this.tracked.get(context);
        if (!current) return;
        // A watch that broke is the earliest sign of an outage: check the cluster now.
        if (state === 'stale' && (current.state.status === 'connected' || current.state.status === 'connecting')) void this.probe(context);
        // Already stale: keep the reason current (the latest failure says most), or clear it once caught up.
        else if (current.state.status === 'stale') this.settle(context, current);
      }),
    );
  }

  /** One probe per context at a time; concurrent callers share it. */
  private probe(context: string, reconnectCaches = false): Promise<ClusterConnection> {
    const entry = this.tracked.get(context);
    if (!entry) return Promise.reject(new ClusterError('config', `Context "${context}" is not tracked`));
    entry.probing ??= this.manager
      .probe(context, this.options.probeTimeoutMs ?? 3000)
      .then((result) => this.record(context, result, reconnectCaches))
      .finally(() => {
        const current = this.tracked.get(context);
        if (current) current.probing = undefined;
      });
    return entry.probing;
  }

  private record(context: string, result: ConnectionState, reconnectCaches: boolean): ClusterConnection {
    const entry = this.tracked.get(context);
    if (!entry || this.disposed) return untrackedState(result);
    const previous = entry.state;
    const now = Date.now();
    if (result.status === 'connected') {
      const wasDown = previous.status !== 'connected' && previous.status !== 'stale' && previous.status !== 'connecting';
      entry.state = { ...previous, status: 'connected', reason: null, hint: null, server: result.server ?? previous.server, serverVersion: result.serverVersion ?? null, checkedAt: now, lastConnectedAt: now, attempt: 0, nextRetryAt: null };
      // Back after an outage: skip the caches' own backoff so data is fresh at once.
      if (wasDown || reconnectCaches) for (const cache of this.manager.caches(context)) cache.retryNow();
      // Compared with the state before this probe, so listeners hear connecting/unreachable → connected.
      this.settle(context, entry, previous);
      this.schedule(context, entry, this.options.healthIntervalMs ?? 60_000);
      return entry.state;
    }
    const status: ClusterConnectionStatus = result.status;
    const attempt = previous.attempt + 1;
    // Only network faults end by themselves; refused credentials are retried slowly (a login elsewhere fixes them).
    const delay = status === 'noContext' ? null : status === 'unreachable' ? backoffDelay(attempt - 1, this.backoffOptions()) : (this.options.maxBackoffMs ?? 60_000);
    entry.state = {
      ...previous,
      status,
      reason: result.message ?? null,
      hint: result.hint ?? null,
      server: result.server ?? previous.server,
      checkedAt: now,
      attempt,
      nextRetryAt: delay === null ? null : now + delay,
    };
    if (delay !== null) this.schedule(context, entry, delay);
    this.fire(entry.state, previous);
    return entry.state;
  }

  /** Connected, or stale while a cache of the cluster is catching up. */
  private settle(context: string, entry: Tracked, previous: ClusterConnection = entry.state): void {
    if (entry.state.status !== 'connected' && entry.state.status !== 'stale') return;
    // A kind the account may not list (403) or the cluster does not serve (404) is not "catching up".
    const lagging = this.manager.caches(context).find((c) => c.state === 'stale' && c.lastError?.code !== 'forbidden' && c.lastError?.code !== 'notFound');
    entry.state = lagging
      ? { ...previous, status: 'stale', reason: lagging.lastError?.message ?? `watch of ${lagging.gvk.kind} is reconnecting`, hint: 'Data may be out of date until the watch catches up.' }
      : { ...previous, status: 'connected', reason: null, hint: null };
    this.fire(entry.state, previous);
  }

  private schedule(context: string, entry: Tracked, delay: number): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (this.tracked.get(context) === entry) void this.probe(context);
    }, delay);
    entry.timer.unref?.();
  }

  private backoffOptions(): { minMs?: number; maxMs?: number; random?: () => number } {
    return { minMs: this.options.minBackoffMs, maxMs: this.options.maxBackoffMs, random: this.options.random };
  }

  private fire(state: ClusterConnection, previous: ClusterConnection): void {
    if (state.status === previous.status && state.reason === previous.reason) return;
    for (const listener of this.listeners) listener(state);
  }

  dispose(): void {
    this.disposed = true;
    this.createSubscription.dispose();
    for (const context of [...this.tracked.keys()]) this.untrack(context);
    this.listeners.clear();
  }
}

/** A probe answered after the context was untracked (or everything disposed): report it as is. */
function untrackedState(result: ConnectionState): ClusterConnection {
  return {
    context: result.context,
    status: result.status,
    reason: result.message ?? null,
    hint: result.hint ?? null,
    server: result.server ?? null,
    serverVersion: result.serverVersion ?? null,
    checkedAt: result.checkedAt,
    lastConnectedAt: result.status === 'connected' ? result.checkedAt : null,
    attempt: 0,
    nextRetryAt: null,
  };
}
