// One client, discovery cache and set of live caches per kubeconfig context, each created on first
// use. Never touches the kubeconfig's current context: every context gets its own connection.
import type { GroupVersionKind } from '../core/model';
import { ApiDiscovery } from './apiDiscovery';
import { ClusterError } from './clusterError';
import { KubeClient } from './kubeClient';
import { loadKubeconfig, type KubeconfigSource, type LoadedKubeconfig } from './kubeconfigLoader';
import { LiveCache, type LiveCacheOptions } from './liveCache';

export type ConnectionStatus = 'connected' | 'unreachable' | 'unauthorized' | 'forbidden' | 'noContext' | 'error';

export interface ConnectionState {
  status: ConnectionStatus;
  context: string;
  server?: string;
  serverVersion?: string;
  message?: string;
  hint?: string;
  checkedAt: number;
}

interface ClusterEntry {
  client: KubeClient;
  discovery: ApiDiscovery;
  caches: Map<string, LiveCache>;
}

export function stateFromError(context: string, error: unknown, server?: string): ConnectionState {
  const e = error instanceof ClusterError ? error : new ClusterError('unreachable', String(error));
  const status: ConnectionStatus =
    e.code === 'config' ? 'noContext' : e.code === 'unauthorized' ? 'unauthorized' : e.code === 'forbidden' ? 'forbidden' : e.transient || e.code === 'cancelled' ? 'unreachable' : 'error';
  return { status, context, server, message: e.message, hint: e.hint, checkedAt: Date.now() };
}

export class ClusterManager {
  private loaded: LoadedKubeconfig | undefined;
  private readonly entries = new Map<string, ClusterEntry>();
  private readonly cacheListeners = new Set<(context: string, cache: LiveCache) => void>();

  constructor(
    private readonly source: KubeconfigSource,
    private readonly cacheOptions: LiveCacheOptions = {},
  ) {}

  private kubeconfig(): LoadedKubeconfig {
    this.loaded ??= loadKubeconfig(this.source);
    return this.loaded;
  }

  contexts(): string[] {
    return this.kubeconfig().contexts;
  }

  /** The kubeconfig's current context (what kubectl uses without --context); null when unset. */
  currentContext(): string | null {
    return this.kubeconfig().currentContext;
  }

  /** The namespace a context names (kubectl's default for namespaced objects); null when it names none. */
  contextNamespace(context: string): string | null {
    return this.kubeconfig().forContext(context).namespace;
  }

  private entry(context: string): ClusterEntry {
    let entry = this.entries.get(context);
    if (!entry) {
      const client = new KubeClient(this.kubeconfig().forContext(context), context);
      entry = { client, discovery: new ApiDiscovery(client), caches: new Map() };
      this.entries.set(context, entry);
    }
    return entry;
  }

  client(context: string): KubeClient {
    return this.entry(context).client;
  }

  discovery(context: string): ApiDiscovery {
    return this.entry(context).discovery;
  }

  /** The shared cache for one kind in one namespace (null = all namespaces / cluster scope). */
  cache(context: string, gvk: GroupVersionKind, namespace: string | null): LiveCache {
    const entry = this.entry(context);
    const key = `${gvk.group}/${gvk.version}/${gvk.kind}/${namespace ?? '*'}`;
    let cache = entry.caches.get(key);
    if (!cache) {
      cache = new LiveCache(entry.client, entry.discovery, gvk, namespace, this.cacheOptions);
      entry.caches.set(key, cache);
      for (const listener of this.cacheListeners) listener(context, cache);
    }
    return cache;
  }

  /** Every cache made so far for one context (a connection monitor retries them and reads their state). */
  caches(context: string): LiveCache[] {
    return [...(this.entries.get(context)?.caches.values() ?? [])];
  }

  /** Fires when a cache is made, so a per-cluster monitor can follow caches other views create later. */
  onDidCreateCache(listener: (context: string, cache: LiveCache) => void): { dispose(): void } {
    this.cacheListeners.add(listener);
    return { dispose: () => this.cacheListeners.delete(listener) };
  }

  /** Asks the API server for its version: the cheapest call that proves reachability and credentials. */
  async probe(context: string, timeoutMs = 5000): Promise<ConnectionState> {
    let server: string | undefined;
    try {
      const client = this.client(context);
      server = client.serverUrl;
      const version = await client.request<{ gitVersion?: string }>('GET', '/version', { timeoutMs });
      // /version is often readable anonymously; a namespaced read proves the credentials work.
      await client.request('GET', '/api/v1/namespaces', { query: { limit: 1 }, timeoutMs }).catch((error: unknown) => {
        if (error instanceof ClusterError && error.code === 'forbidden') return undefined; // reachable, RBAC narrower
        throw error;
      });
      return { status: 'connected', context, server, serverVersion: version?.gitVersion, checkedAt: Date.now() };
    } catch (error) {
      return stateFromError(context, error, server);
    }
  }

  /** Forgets clients and caches (kubeconfig setting changed, or the file was edited). */
  reset(): void {
    this.dispose();
    this.loaded = undefined;
  }

  dispose(): void {
    for (const entry of this.entries.values()) for (const cache of entry.caches.values()) cache.dispose();
    this.entries.clear();
  }
}
