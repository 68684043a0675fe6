// Connection state of every environment's cluster, checked when the Environments view is visible
// and retried with backoff while a cluster is down. The kubeconfig's current context is never used
// or changed: each environment names its own context.
import * as vscode from 'vscode';
import type { ClusterManager, ConnectionState } from '../cluster/clusterModule';
import { loadClusterModule } from './clusterLoader';
import type { Logger } from './logger';

export class ClusterStatus implements vscode.Disposable {
  private manager: ClusterManager | undefined;
  private readonly states = new Map<string, ConnectionState>();
  private readonly inFlight = new Map<string, Promise<ConnectionState>>();
  private readonly retries = new Map<string, { timer: NodeJS.Timeout; attempt: number }>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the context whose state changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly log: Logger,
    private readonly kubeconfigPath: () => string | undefined,
    private readonly enabled: () => boolean,
  ) {}

  /** The cluster manager, created (and the cluster bundle loaded) on first call. */
  clusters(): ClusterManager {
    if (!this.manager) {
      const { ClusterManager } = loadClusterModule();
      this.manager = new ClusterManager({ path: this.kubeconfigPath() || null });
    }
    return this.manager;
  }

  get(context: string): ConnectionState | undefined {
    return this.states.get(context);
  }

  /** Starts a check unless one is known or running; the tree calls this while rendering nodes. */
  ensure(context: string): void {
    if (!this.enabled() || this.states.has(context) || this.inFlight.has(context)) return;
    void this.check(context);
  }

  check(context: string): Promise<ConnectionState> {
    let pending = this.inFlight.get(context);
    if (pending) return pending;
    pending = (async () => {
      let state: ConnectionState;
      try {
        state = await this.clusters().probe(context);
      } catch (error) {
        const { stateFromError } = loadClusterModule();
        state = stateFromError(context, error);
      }
      const before = this.states.get(context);
      this.states.set(context, state);
      if (before?.status !== state.status) this.log.info(`cluster ${context}: ${state.status}${state.message ? ` — ${state.message}` : ''}`);
      this.scheduleRetry(context, state);
      this.changed.fire(context);
      return state;
    })().finally(() => this.inFlight.delete(context));
    this.inFlight.set(context, pending);
    return pending;
  }

  private scheduleRetry(context: string, state: ConnectionState): void {
    const previous = this.retries.get(context);
    if (previous) clearTimeout(previous.timer);
    if (state.status !== 'unreachable') {
      this.retries.delete(context);
      return;
    }
    const attempt = (previous?.attempt ?? 0) + 1;
    const base = Math.min(60_000, 2000 * 2 ** Math.min(attempt, 5));
    const delay = Math.round(base / 2 + (Math.random() * base) / 2);
    const timer = setTimeout(() => void this.check(context), delay);
    this.retries.set(context, { timer, attempt });
  }

  /** Forgets everything (kubeconfig setting changed, or the user asked to retry). */
  reset(): void {
    for (const r of this.retries.values()) clearTimeout(r.timer);
    this.retries.clear();
    this.states.clear();
    this.manager?.reset();
    this.changed.fire('*');
  }

  dispose(): void {
    for (const r of this.retries.values()) clearTimeout(r.timer);
    this.manager?.dispose();
    this.changed.dispose();
  }
}
