// One list+watch cache per (cluster, kind, namespace), shared by every view. Lists in pages, then
// watches from the list's resourceVersion; on a dropped stream it resumes from the last version
// seen, on 410 Gone it lists again, and on faults it backs off with jitter. While it cannot reach
// the cluster it keeps the last objects and says it is stale rather than pretending to be empty.
import type { GroupVersionKind } from '../core/model';
import { collectionPath, type ApiDiscovery } from './apiDiscovery';
import { ClusterError } from './clusterError';
import type { KubeClient, WatchHandle } from './kubeClient';

export type CacheState = 'syncing' | 'synced' | 'stale';

export interface CacheChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'RESYNC';
  /** Absent for RESYNC (everything may have changed). */
  object?: KubeObject;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; [key: string]: unknown };
  [key: string]: unknown;
}

interface ListResponse {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

export interface LiveCacheOptions {
  pageSize?: number;
  /** Backoff bounds for reconnects. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  watchIdleTimeoutMs?: number;
  random?: () => number;
  /**
   * false: the first complete list is the answer and no watch follows (a one-shot command such as
   * the CLI's drift, where opening a watch per kind cost a connection and a round trip each).
   */
  watch?: boolean;
}

function objectKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

export class LiveCache {
  private readonly objects = new Map<string, KubeObject>();
  private readonly listeners = new Set<(change: CacheChange) => void>();
  private readonly stateListeners = new Set<(state: CacheState, error?: ClusterError) => void>();
  private resourceVersion: string | undefined;
  private watchHandle: WatchHandle | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  /** 410s with no watch event or normal stream end in between. */
  private goneInARow = 0;
  private disposed = false;
  private firstSync: Promise<void> | undefined;
  private resolveFirstSync: (() => void) | undefined;
  private rejectFirstSync: ((error: ClusterError) => void) | undefined;
  state: CacheState = 'syncing';
  lastError: ClusterError | undefined;
  /** When the cache last matched the cluster (ms since epoch). */
  syncedAt: number | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly discovery: ApiDiscovery,
    readonly gvk: GroupVersionKind,
    readonly namespace: string | null,
    private readonly options: LiveCacheOptions = {},
  ) {}

  /** Starts (once) and resolves after the first complete list; rejects if that first list fails. */
  start(): Promise<void> {
    if (!this.firstSync) {
      this.firstSync = new Promise<void>((resolve, reject) => {
        this.resolveFirstSync = resolve;
        this.rejectFirstSync = reject;
      });
      // Let callers that only watch state (not the first sync) skip handling rejections.
      this.firstSync.catch(() => undefined);
      void this.run();
    }
    return this.firstSync;
  }

  list(): KubeObject[] {
    return [...this.objects.values()];
  }

  get(namespace: string | null, name: string): KubeObject | undefined {
    return this.objects.get(`${namespace ?? ''}/${name}`);
  }

  onDidChange(listener: (change: CacheChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  onDidChangeState(listener: (state: CacheState, error?: ClusterError) => void): { dispose(): void } {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  }

  /** Skips the current backoff wait and reconnects now. */
  retryNow(): void {
    if (this.disposed || this.state === 'synced') return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.attempt = 0;
    void this.run();
  }

  dispose(): void {
    this.disposed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.watchHandle?.abort();
    this.listeners.clear();
    this.stateListeners.clear();
  }

  private setState(state: CacheState, error?: ClusterError): void {
    this.state = state;
    this.lastError = error;
    if (state === 'synced') this.syncedAt = Date.now();
    for (const l of this.stateListeners) l(state, error);
  }

  private emit(change: CacheChange): void {
    for (const l of this.listeners) l(change);
  }

  private async listAll(): Promise<void> {
    const info = await this.discovery.resolve(this.gvk);
    const path = collectionPath(info, this.namespace);
    const fresh = new Map<string, KubeObject>();
    let continueToken: string | undefined;
    let version: string | undefined;
    do {
      const page = await this.client.request<ListResponse>('GET', path, {
        query: { limit: this.options.pageSize ?? 500, continue: continueToken },
        // Pages, and the lists of other kinds that follow, reuse connections: a TLS handshake per
        // page was a tenth of a CLI run at 10,000 objects.
        keepAlive: true,
      });
      const apiVersion = this.gvk.group ? `${this.gvk.group}/${this.gvk.version}` : this.gvk.version;
      for (const item of page.items ?? []) {
        // List items omit apiVersion/kind; restore them so consumers see whole objects.
        item.apiVersion ??= apiVersion;
        item.kind ??= this.gvk.kind;
        fresh.set(objectKey(item), item);
      }
      continueToken = page.metadata?.continue || undefined;
      version = page.metadata?.resourceVersion;
    } while (continueToken);
    this.objects.clear();
    for (const [k, v] of fresh) this.objects.set(k, v);
    this.resourceVersion = version;
    this.emit({ type: 'RESYNC' });
  }

  private async run(): Promise<void> {
    if (this.disposed) return;
    try {
      if (this.resourceVersion === undefined) await this.listAll();
      // Disposed while the list was in flight: opening a watch now would leak it.
      if (this.disposed) return;
      if (this.options.watch === false) {
        this.attempt = 0;
        this.setState('synced');
        this.resolveFirstSync?.();
        return;
      }
      const info = await this.discovery.resolve(this.gvk);
      const apiVersion = this.gvk.group ? `${this.gvk.group}/${this.gvk.version}` : this.gvk.version;
      this.watchHandle = await this.client.watch(
        collectionPath(info, this.namespace),
        { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 300 },
        (event) => {
          const object = event.object as KubeObject;
          if (!object?.metadata) return;
          this.goneInARow = 0;
          if (object.metadata.resourceVersion) this.resourceVersion = object.metadata.resourceVersion;
          if (event.type === 'BOOKMARK') return;
          object.apiVersion ??= apiVersion;
          object.kind ??= this.gvk.kind;
          if (event.type === 'ERROR') return;
          if (event.type === 'DELETED') this.objects.delete(objectKey(object));
          else this.objects.set(objectKey(object), object);
          this.emit({ type: event.type, object });
        },
        this.options.watchIdleTimeoutMs,
      );
      if (this.disposed) {
        this.watchHandle.abort();
        return;
      }
      // Synced only once the server accepted the watch: a request it never answers is not "live".
      await this.watchHandle.opened;
      if (this.disposed) return;
      this.attempt = 0;
      this.setState('synced');
      this.resolveFirstSync?.();
      await this.watchHandle.done;
      // A normal end (server timeout): resume at once from the last version.
      this.goneInARow = 0;
      if (!this.disposed) void this.run();
    } catch (raw) {
      if (this.disposed) return;
      const error = raw instanceof ClusterError ? raw : new ClusterError('unreachable', String(raw));
      if (error.code === 'gone') {
        // Our resourceVersion is too old: list again from scratch, no wait — once. A watch that
        // answers 410 again right after a fresh list (a lagging watch cache) would otherwise make
        // a list-watch loop at full speed: back off and say so instead.
        this.resourceVersion = undefined;
        this.goneInARow += 1;
        if (this.goneInARow === 1) {
          void this.run();
          return;
        }
      }
      this.setState('stale', error);
      this.rejectFirstSync?.(error);
      this.rejectFirstSync = undefined;
      this.scheduleRetry(error);
    }
  }

  private scheduleRetry(error: ClusterError): void {
    const min = this.options.minBackoffMs ?? 500;
    const max = this.options.maxBackoffMs ?? 30_000;
    const random = this.options.random ?? Math.random;
    const exponential = Math.min(max, min * 2 ** this.attempt);
    // Full jitter spreads reconnects of many caches after a shared outage.
    let delay = Math.round(exponential / 2 + (random() * exponential) / 2);
    if (error.retryAfterSeconds !== undefined) delay = Math.max(delay, error.retryAfterSeconds * 1000);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.run();
    }, delay);
  }
}
