// The operator side of every environment at once, for the tree: one OperatorWatcher per cluster
// context (the environments' own, plus any extra, such as an Argo CD management cluster), the
// connection state of each, the mapping of operator objects to environments, and the last-known
// snapshot while a cluster is down. Everything the tree asks is answered from memory
// (`view`, `otherApplications`); only `start`, `retry` and `warnings` talk to clusters, each
// bounded by a timeout.
import type { Environment } from '../../core/model';
import { mapOperatorsToEnvironments, type MappedOperator, type OperatorMapping, type UnmappedOperator } from '../../core/operators/operatorMapping';
import type { OperatorStatus } from '../../core/operators/operatorTypes';
import type { WarningEvent } from '../../core/operators/warningEvents';
import type { ClusterManager } from '../clusterManager';
import type { EnvironmentSnapshot } from '../snapshots/snapshotSchema';
import type { SnapshotStore } from '../snapshots/snapshotStore';
import { ClusterConnections, type ClusterConnection, type ClusterConnectionsOptions } from './clusterConnections';
import { OperatorWatcher, type OperatorWatcherOptions } from './operatorWatcher';

export interface EnvironmentOperatorsOptions {
  environments: readonly Environment[];
  /** The workspace repository's remote URLs (environments without `repo:` live there). */
  localRemoteUrls?: readonly string[];
  /** More contexts to read operator objects from (a management cluster running Argo CD). */
  extraContexts?: readonly string[];
  /** Where last-known snapshots are kept; without it nothing is saved or loaded. */
  snapshots?: SnapshotStore;
  /** Least time between two snapshot writes of one environment; default 10 s. */
  snapshotIntervalMs?: number;
  connections?: ClusterConnectionsOptions;
  /** A connection monitor shared with the other views of these clusters (one state per context); made here when absent. */
  sharedConnections?: ClusterConnections;
  watcher?: OperatorWatcherOptions;
  /** Called when a snapshot cannot be written (the view keeps working). */
  onSnapshotError?: (environment: string, error: Error) => void;
}

/**
 * - `live`: from the watches of a reachable cluster;
 * - `cached`: from this session's watches, the cluster no longer answering (`asOf` = last contact);
 * - `snapshot`: from the last-known snapshot on disk (`asOf` = when it was true);
 * - `none`: nothing known yet.
 */
export type OperatorViewSource = 'live' | 'cached' | 'snapshot' | 'none';

export interface EnvironmentOperatorView {
  environment: string;
  /** The environment's own cluster context. */
  context: string | null;
  connection: ClusterConnection | null;
  source: OperatorViewSource;
  /** ISO time the data was true; null for live data. */
  asOf: string | null;
  operators: MappedOperator[];
  /** Why the data is not live although the cluster answers (a kind's watch failing), with the next step; null otherwise. */
  problem: string | null;
}

export interface EnvironmentOperatorsChange {
  /** The context whose data or connection changed; null for a change of every environment. */
  context: string | null;
  /** Environments whose view may have changed. */
  environments: string[];
}

const REACHABLE = new Set(['connected', 'stale']);

export class EnvironmentOperators {
  readonly connections: ClusterConnections;
  private readonly watchers = new Map<string, OperatorWatcher>();
  private readonly snapshots = new Map<string, EnvironmentSnapshot>();
  private readonly lastWrite = new Map<string, number>();
  private readonly writeTimers = new Map<string, NodeJS.Timeout>();
  private readonly listeners = new Set<(change: EnvironmentOperatorsChange) => void>();
  private readonly subscriptions: Array<{ dispose(): void }> = [];
  private mapping: OperatorMapping | null = null;
  private disposed = false;

  constructor(
    private readonly manager: ClusterManager,
    private readonly options: EnvironmentOperatorsOptions,
  ) {
    this.connections = options.sharedConnections ?? new ClusterConnections(manager, options.connections);
    this.subscriptions.push(
      this.connections.onDidChange((state) => {
        // Back (or reachable for the first time): detect operators and (re)start the watches.
        if (REACHABLE.has(state.status)) void this.watchers.get(state.context)?.start();
        this.fire(state.context);
      }),
    );
  }

  /** Every context watched: the environments' own and the extra ones. */
  contexts(): string[] {
    const contexts = new Set<string>();
    for (const env of this.options.environments) if (env.cluster.context) contexts.add(env.cluster.context);
    for (const context of this.options.extraContexts ?? []) contexts.add(context);
    return [...contexts];
  }

  /** Loads snapshots, then connects to every context and starts its watcher. Never rejects. */
  async start(): Promise<void> {
    const store = this.options.snapshots;
    if (store) {
      await Promise.all(
        this.options.environments.map(async (env) => {
          const snapshot = await store.load(env.name).catch(() => null);
          if (snapshot) this.snapshots.set(env.name, snapshot);
        }),
      );
    }
    await Promise.all(
      this.contexts().map(async (context) => {
        if (this.watchers.has(context)) return;
        const watcher = new OperatorWatcher(this.manager, context, this.options.watcher);
        this.watchers.set(context, watcher);
        this.subscriptions.push(watcher.onDidChange(() => this.fire(context, true)));
        this.connections.track(context);
        await watcher.start();
      }),
    );
    this.fire(null, true);
  }

  watcher(context: string): OperatorWatcher | undefined {
    return this.watchers.get(context);
  }

  private currentMapping(): OperatorMapping {
    if (!this.mapping) {
      const statuses: OperatorStatus[] = [...this.watchers.values()].flatMap((w) => w.statuses());
      this.mapping = mapOperatorsToEnvironments(statuses, this.options.environments, { localRemoteUrls: this.options.localRemoteUrls });
    }
    return this.mapping;
  }

  /** What the tree shows under one environment. */
  view(environment: string): EnvironmentOperatorView {
    const env = this.options.environments.find((e) => e.name === environment);
    const context = env?.cluster.context ?? null;
    const operators = this.currentMapping().byEnvironment.get(environment) ?? [];
    // The contexts this environment's data comes from: its own, and where its operator objects live.
    const contexts = new Set<string>(operators.map((m) => m.status.context).filter((c): c is string => c !== null));
    if (context) contexts.add(context);
    // No cluster of its own and nothing found yet: every watched cluster could hold its operator.
    if (contexts.size === 0) for (const c of this.watchers.keys()) contexts.add(c);
    const connection = context ? (this.connections.get(context) ?? null) : ([...contexts].map((c) => this.connections.get(c)).find((c) => c) ?? null);
    const watchers = [...contexts].map((c) => this.watchers.get(c)).filter((w): w is OperatorWatcher => w !== undefined);
    const reachable = [...contexts].every((c) => REACHABLE.has(this.connections.get(c)?.status ?? ''));
    const everSynced = watchers.length > 0 && watchers.every((w) => w.syncedAt() !== null);
    // A kind whose watch fails while the cluster answers (a 404 or 403 on its list, a lagging
    // watch): its objects are the last ones seen, not live ones.
    const lagging = watchers.map((w) => w.stale()).find((s) => s !== null) ?? null;
    const problem = lagging ? `${lagging.kind}: ${lagging.error?.message ?? 'reconnecting'}${lagging.error?.hint ? ` — ${lagging.error.hint}` : ''}` : null;
    if (everSynced && reachable && !lagging) return { environment, context, connection, source: 'live', asOf: null, operators, problem };
    const snapshot = this.snapshots.get(environment);
    if (everSynced && (operators.length > 0 || !snapshot?.operators)) {
      const lastContact =
        reachable && lagging?.syncedAt !== undefined
          ? lagging.syncedAt
          : Math.min(...[...contexts].map((c) => this.connections.get(c)?.lastConnectedAt ?? watchers.find((w) => w.context === c)?.syncedAt() ?? Date.now()));
      return { environment, context, connection, source: 'cached', asOf: new Date(lastContact).toISOString(), operators, problem };
    }
    if (snapshot?.operators) return { environment, context, connection, source: 'snapshot', asOf: snapshot.operators.asOf, operators: snapshot.operators.data, problem };
    return { environment, context, connection, source: 'none', asOf: null, operators, problem };
  }

  /** Operator objects no environment claims ("Other applications"), with the reason. */
  otherApplications(): UnmappedOperator[] {
    return this.currentMapping().other;
  }

  /** The user's Retry on a cluster: probe now, reconnect its watches, detect operators again. */
  async retry(context: string): Promise<ClusterConnection> {
    const state = await this.connections.retry(context);
    if (REACHABLE.has(state.status)) await this.watchers.get(context)?.start();
    return state;
  }

  /**
   * Recent warning Events for an environment: every warning in its namespace(s) (its own and the
   * destination namespaces of its Applications), and the warnings about its operator objects.
   */
  async warnings(environment: string, limit = 20): Promise<WarningEvent[]> {
    const env = this.options.environments.find((e) => e.name === environment);
    if (!env) return [];
    const operators = this.currentMapping().byEnvironment.get(environment) ?? [];
    const workloadNamespaces = new Set<string>();
    if (env.cluster.namespace) workloadNamespaces.add(env.cluster.namespace);
    for (const m of operators) if (m.status.destination?.namespace) workloadNamespaces.add(m.status.destination.namespace);
    const perContext = new Map<string, Set<string>>();
    const add = (context: string | null, namespace: string | null): void => {
      if (!context || !namespace) return;
      const set = perContext.get(context) ?? new Set<string>();
      set.add(namespace);
      perContext.set(context, set);
    };
    for (const ns of workloadNamespaces) add(env.cluster.context, ns);
    for (const m of operators) add(m.status.context, m.status.ref.namespace);
    const about = new Set(operators.map((m) => `${m.status.ref.kind}/${m.status.ref.namespace ?? ''}/${m.status.ref.name}`));
    const lists = await Promise.all(
      [...perContext].map(async ([context, namespaces]) => {
        const watcher = this.watchers.get(context) ?? new OperatorWatcher(this.manager, context, this.options.watcher);
        const events = await watcher.recentWarnings([...namespaces], limit * 4);
        if (!this.watchers.has(context)) watcher.dispose();
        return events.filter((e) => (context === env.cluster.context && workloadNamespaces.has(e.namespace ?? '')) || about.has(`${e.involvedObject.kind}/${e.involvedObject.namespace ?? e.namespace ?? ''}/${e.involvedObject.name}`));
      }),
    );
    return lists
      .flat()
      .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''))
      .slice(0, limit);
  }

  onDidChange(listener: (change: EnvironmentOperatorsChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(context: string | null, dataChanged = false): void {
    if (this.disposed) return;
    if (dataChanged) this.mapping = null;
    const environments = this.options.environments
      .filter((env) => context === null || env.cluster.context === context || (this.currentMapping().byEnvironment.get(env.name) ?? []).some((m) => m.status.context === context))
      .map((env) => env.name);
    for (const name of environments) this.scheduleSnapshot(name);
    for (const listener of this.listeners) listener({ context, environments });
  }

  /** Saves the live operator view of an environment, at most once per interval. */
  private scheduleSnapshot(environment: string): void {
    if (!this.options.snapshots || this.writeTimers.has(environment)) return;
    const interval = this.options.snapshotIntervalMs ?? 10_000;
    const wait = Math.max(0, (this.lastWrite.get(environment) ?? 0) + interval - Date.now());
    const timer = setTimeout(() => {
      this.writeTimers.delete(environment);
      void this.saveSnapshot(environment);
    }, wait);
    timer.unref?.();
    this.writeTimers.set(environment, timer);
  }

  /** Writes the environment's live operator view now, when it is live; resolves to the snapshot or null. */
  async saveSnapshot(environment: string): Promise<EnvironmentSnapshot | null> {
    const store = this.options.snapshots;
    if (!store || this.disposed) return null;
    const view = this.view(environment);
    if (view.source !== 'live') return null;
    this.lastWrite.set(environment, Date.now());
    try {
      const snapshot = await store.write(environment, {
        context: view.context,
        connection: view.connection ? { status: view.connection.status, reason: view.connection.reason } : null,
        operators: view.operators,
      });
      this.snapshots.set(environment, snapshot);
      return snapshot;
    } catch (error) {
      this.options.onSnapshotError?.(environment, error as Error);
      return null;
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.writeTimers.values()) clearTimeout(timer);
    this.writeTimers.clear();
    for (const s of this.subscriptions) s.dispose();
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
    if (!this.options.sharedConnections) this.connections.dispose();
    this.listeners.clear();
  }
}
