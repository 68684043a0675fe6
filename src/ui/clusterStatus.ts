// Connection state of every environment's cluster: ONE ClusterConnections monitor for the window
// (connected, stale, unreachable, unauthorized… with the reason, a hint, and retries with jittered
// backoff), shared by the tree, the drift services and the operator watchers, so each context has
// one state and one Retry. Probing starts when the Environments view shows a cluster. The
// kubeconfig's current context is never used or changed: each environment names its own context.
// Also hands out the one snapshot store per workspace folder (operator and drift sections of a
// snapshot file must go through the same store, or their writes would overwrite each other).
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ClusterConnection, ClusterConnections, ClusterManager } from '../cluster/clusterModule';
import type { ClusterConnectionsOptions } from '../cluster/operators/clusterConnections';
import { SnapshotStore } from '../cluster/snapshots/snapshotStore';
import { loadClusterModule } from './clusterLoader';
import type { Logger } from './logger';

/** States in which the cluster answers (live data can be read). */
export function isReachable(connection: Pick<ClusterConnection, 'status'> | undefined): boolean {
  return connection?.status === 'connected' || connection?.status === 'stale';
}

export class ClusterStatus implements vscode.Disposable {
  private manager: ClusterManager | undefined;
  private monitor: { connections: ClusterConnections; subscription: { dispose(): void } } | undefined;
  private readonly stores = new Map<string, SnapshotStore>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the context whose state changed ('*' after a reset). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly log: Logger,
    private readonly kubeconfigPath: () => string | undefined,
    private readonly enabled: () => boolean,
    /** The extension's workspace storage folder; without it no snapshot is kept. */
    private readonly storageDir?: string,
    private readonly connectionOptions?: ClusterConnectionsOptions,
  ) {}

  /** The cluster manager, created (and the cluster bundle loaded) on first call. */
  clusters(): ClusterManager {
    if (!this.manager) {
      const { ClusterManager } = loadClusterModule();
      this.manager = new ClusterManager({ path: this.kubeconfigPath() || null });
    }
    return this.manager;
  }

  /** The shared connection monitor (EnvironmentOperators use it instead of one of their own). */
  connections(): ClusterConnections {
    if (!this.monitor) {
      const { ClusterConnections } = loadClusterModule();
      const connections = new ClusterConnections(this.clusters(), this.connectionOptions);
      const previous = new Map<string, string>();
      const subscription = connections.onDidChange((state) => {
        if (previous.get(state.context) !== state.status) this.log.info(`cluster ${state.context}: ${state.status}${state.reason ? ` — ${state.reason}` : ''}`);
        previous.set(state.context, state.status);
        this.changed.fire(state.context);
      });
      this.monitor = { connections, subscription };
    }
    return this.monitor.connections;
  }

  get(context: string): ClusterConnection | undefined {
    return this.monitor?.connections.get(context);
  }

  /** Starts following a context unless it is followed already; the tree calls this while rendering nodes. */
  ensure(context: string): void {
    if (!this.enabled() || this.get(context)) return;
    this.connections().track(context);
  }

  /** The user's Retry: forget the backoff, probe now, reconnect the context's watches if it answers. */
  async retry(context: string): Promise<ClusterConnection> {
    const state = await this.connections().retry(context);
    this.changed.fire(context);
    return state;
  }

  /** The last-known snapshots of one workspace folder's environments; undefined without workspace storage. */
  snapshots(folderUri: string): SnapshotStore | undefined {
    if (!this.storageDir) return undefined;
    let store = this.stores.get(folderUri);
    if (!store) {
      store = new SnapshotStore(join(this.storageDir, 'snapshots', Buffer.from(folderUri).toString('base64url').slice(-48)));
      this.stores.set(folderUri, store);
    }
    return store;
  }

  /** Forgets every connection state, client and cache (kubeconfig setting changed, or Refresh). */
  reset(): void {
    const connections = this.monitor?.connections;
    for (const state of connections?.all() ?? []) connections?.untrack(state.context);
    this.manager?.reset();
    this.changed.fire('*');
  }

  dispose(): void {
    this.monitor?.subscription.dispose();
    this.monitor?.connections.dispose();
    this.manager?.dispose();
    this.changed.dispose();
  }
}
