// Argo CD and Flux as the tree shows them: per workspace folder one EnvironmentOperators (one
// watcher per cluster context), the deployed-vs-head comparison per operator object, recent
// warning Events, last-known snapshots in workspace storage (ClusterStatus's store per folder), the
// connection state shared through ClusterStatus, and the actions (sync, refresh,
// reconcile, suspend/resume) with confirmations. Started when the view is visible; Restricted
// Mode reads no cluster.
import * as vscode from 'vscode';
import type { EnvironmentOperators, EnvironmentOperatorView } from '../../cluster/clusterModule';
import type { UnmappedOperator } from '../../core/operators/operatorMapping';
import { compareDeployedToHead, type DeployedVsHead } from '../../core/operators/deployedVsHead';
import type { OperatorStatus } from '../../core/operators/operatorTypes';
import type { WarningEvent } from '../../core/operators/warningEvents';
import type { EnvironmentState } from '../../git/environmentStates';
import { loadClusterModule } from '../clusterLoader';
import type { ClusterStatus } from '../clusterStatus';
import type { EnvironmentsModel } from '../environmentsModel';
import type { Logger } from '../logger';

interface FolderOperators {
  signature: string;
  operators: EnvironmentOperators;
  subscription: { dispose(): void };
}

export function operatorLabel(status: OperatorStatus): string {
  return status.operator === 'argocd' ? `Argo CD ${status.ref.name}` : `Flux ${status.ref.kind} ${status.ref.name}`;
}

export class OperatorsController implements vscode.Disposable {
  private readonly folders = new Map<string, FolderOperators>();
  private readonly deployed = new Map<string, DeployedVsHead>();
  private readonly deployedPending = new Set<string>();
  private readonly warningCache = new Map<string, { at: number; events: WarningEvent[] }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly model: EnvironmentsModel,
    private readonly clusters: ClusterStatus,
    private readonly log: Logger,
  ) {
    this.subscriptions.push(model.onDidChange(() => this.sync()));
  }

  /** Creates, replaces or drops each folder's watchers to match the current environments. */
  sync(): void {
    if (!vscode.workspace.isTrusted) return;
    for (const status of this.model.folders()) {
      if (status.kind !== 'ready') continue;
      const key = status.folder.uri.toString();
      const environments = status.data.discovery.environments.filter((e) => e.cluster.context);
      const signature = environments.map((e) => `${e.name}@${e.cluster.context}/${e.branch ?? ''}/${e.path ?? ''}`).join('|');
      const existing = this.folders.get(key);
      if (existing?.signature === signature) continue;
      if (existing) {
        existing.subscription.dispose();
        existing.operators.dispose();
        this.folders.delete(key);
      }
      if (environments.length === 0) continue;
      try {
        const module = loadClusterModule();
        // The folder's one snapshot store (drift writes its section of the same files).
        const snapshots = this.clusters.snapshots(key);
        void status.data.repo.remotes().then(async (remotes) => {
          const operators = new module.EnvironmentOperators(this.clusters.clusters(), {
            environments,
            localRemoteUrls: remotes.map((r) => r.fetchUrl),
            snapshots,
            // One connection state per context, shared with the tree and the drift services.
            sharedConnections: this.clusters.connections(),
            onSnapshotError: (env, error) => this.log.warn(`snapshot of ${env} not written: ${error.message}`),
          });
          const subscription = operators.onDidChange(() => this.changed.fire());
          this.folders.set(key, { signature, operators, subscription });
          await operators.start();
          this.changed.fire();
        });
      } catch (error) {
        this.log.error('operators: cannot start', error);
      }
    }
  }

  private operatorsFor(folderUri: string): EnvironmentOperators | undefined {
    return this.folders.get(folderUri)?.operators;
  }

  view(folderUri: string, environment: string): EnvironmentOperatorView | undefined {
    return this.operatorsFor(folderUri)?.view(environment);
  }

  others(folderUri: string): UnmappedOperator[] {
    return this.operatorsFor(folderUri)?.otherApplications() ?? [];
  }

  /** The operator that manages an environment, if any (its sync status leads; sync goes through it). */
  managing(folderUri: string, environment: string): OperatorStatus | undefined {
    return this.view(folderUri, environment)?.operators[0]?.status;
  }

  /** Deployed revision vs branch head, computed once per (deployed sha, head sha); undefined while pending. */
  deployedVsHead(folderUri: string, state: EnvironmentState, status: OperatorStatus): DeployedVsHead | undefined {
    const key = `${folderUri}|${state.environment.name}|${status.ref.name}|${status.deployedRevision ?? ''}|${state.head?.sha ?? ''}`;
    const known = this.deployed.get(key);
    if (known || this.deployedPending.has(key)) return known;
    this.deployedPending.add(key);
    void (async () => {
      try {
        const repo = await this.model.repositoryFor(folderUri, state.environment);
        if (!repo) return;
        const result = await compareDeployedToHead(repo, { environment: state.environment, ref: state.ref }, status.deployedRevision, { limit: 20 });
        this.deployed.set(key, result);
        this.changed.fire();
      } catch (error) {
        this.log.warn(`deployed vs head for ${state.environment.name}: ${(error as Error).message}`);
      } finally {
        this.deployedPending.delete(key);
      }
    })();
    return undefined;
  }

  /** Recent warning Events of the environment's namespaces (cached for 30 s). */
  warnings(folderUri: string, environment: string): WarningEvent[] | undefined {
    const key = `${folderUri}|${environment}`;
    const cached = this.warningCache.get(key);
    if (cached && Date.now() - cached.at < 30_000) return cached.events;
    const operators = this.operatorsFor(folderUri);
    if (!operators) return undefined;
    this.warningCache.set(key, { at: Date.now(), events: cached?.events ?? [] });
    void operators.warnings(environment, 10).then(
      (events) => {
        this.warningCache.set(key, { at: Date.now(), events });
        if (events.length !== (cached?.events.length ?? 0)) this.changed.fire();
      },
      () => undefined,
    );
    return cached?.events;
  }

  /** Probes the context now (shared state), then restarts its operator watchers where it answers. */
  retry(context: string): void {
    for (const { operators } of this.folders.values()) void operators.retry(context);
  }

  /** Runs one operator action after a confirmation (the name typed for protected environments). */
  async act(
    folderUri: string,
    environment: string,
    status: OperatorStatus,
    action: 'sync' | 'syncPrune' | 'syncDryRun' | 'refresh' | 'hardRefresh' | 'reconcile' | 'suspend' | 'resume',
  ): Promise<void> {
    const found = this.model.findState(folderUri, environment);
    const env = found?.state.environment;
    const context = status.context ?? env?.cluster.context;
    if (!env || !context) return;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Operator actions are off in Restricted Mode.');
      return;
    }
    const what: Record<typeof action, string> = {
      sync: `Ask Argo CD to sync ${status.ref.name}`,
      syncPrune: `Ask Argo CD to sync ${status.ref.name} and prune resources no longer in Git`,
      syncDryRun: `Ask Argo CD for a dry-run sync of ${status.ref.name}`,
      refresh: `Ask Argo CD to refresh ${status.ref.name}`,
      hardRefresh: `Ask Argo CD to hard-refresh ${status.ref.name} (regenerates manifests)`,
      reconcile: `Ask Flux to reconcile ${status.ref.kind} ${status.ref.name} now`,
      suspend: `Suspend Flux ${status.ref.kind} ${status.ref.name} (it stops reconciling)`,
      resume: `Resume Flux ${status.ref.kind} ${status.ref.name}`,
    };
    const writes = action !== 'refresh' && action !== 'syncDryRun';
    if (writes && env.protected) {
      const typed = await vscode.window.showInputBox({
        title: what[action],
        prompt: `${env.name} is protected. Type "${env.name}" to continue.`,
        validateInput: (v) => (v === env.name ? undefined : `Type ${env.name} to confirm`),
        ignoreFocusOut: true,
      });
      if (typed !== env.name) return;
    } else if (writes) {
      const choice = await vscode.window.showWarningMessage(`${what[action]}?`, { modal: true, detail: `Cluster ${context}, environment ${env.name}.` }, 'Continue');
      if (choice !== 'Continue') return;
    }
    const module = loadClusterModule();
    const client = this.clusters.clusters().client(context);
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${what[action]}…` }, async () => {
        switch (action) {
          case 'sync':
            return module.argoSync(client, status.ref);
          case 'syncPrune':
            return module.argoSync(client, status.ref, { prune: true });
          case 'syncDryRun':
            return module.argoSync(client, status.ref, { dryRun: true });
          case 'refresh':
            return module.argoRefresh(client, status.ref, false);
          case 'hardRefresh':
            return module.argoRefresh(client, status.ref, true);
          case 'reconcile':
            return module.fluxReconcile(client, status.ref, { withSource: true });
          case 'suspend':
            return module.fluxSetSuspended(client, status.ref, true);
          case 'resume':
            return module.fluxSetSuspended(client, status.ref, false);
        }
      });
      this.log.info(`${what[action]}: requested`);
      void vscode.window.setStatusBarMessage(`${what[action]}: requested`, 4000);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`${what[action]} failed: ${message}`);
    }
  }

  dispose(): void {
    for (const { operators, subscription } of this.folders.values()) {
      subscription.dispose();
      operators.dispose();
    }
    this.folders.clear();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
