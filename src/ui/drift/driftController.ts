// Keeps one drift service per environment that names a cluster, fed by the environment's render,
// and publishes every report into the DriftStore. Services start when a view needs them (tree
// visible, a manifest opened), never at activation. Restricted Mode: no cluster access at all.
import * as vscode from 'vscode';
import type { EnvironmentDriftReport, EnvironmentDriftService, PreviewOutcome, SyncOutcome } from '../../cluster/drift/environmentDriftService';
import type { DriftMode } from '../../core/drift/driftTypes';
import type { EnvironmentState } from '../../git/environmentStates';
import { refView, workingTreeView } from '../../git/repoViews';
import { loadClusterModule } from '../clusterLoader';
import type { ClusterStatus } from '../clusterStatus';
import type { EnvironmentsModel } from '../environmentsModel';
import type { Logger } from '../logger';
import type { RenderedResources } from '../renderedResources';
import { environmentKey, type DriftStore } from './driftStore';

interface ServiceEntry {
  service: EnvironmentDriftService;
  /** What the service was built for: a new head commit or config means a new render. */
  signature: string;
  subscription: { dispose(): void };
  computing: Promise<void> | undefined;
}

export class DriftController implements vscode.Disposable {
  private readonly services = new Map<string, ServiceEntry>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly model: EnvironmentsModel,
    private readonly rendered: RenderedResources,
    private readonly clusters: ClusterStatus,
    private readonly store: DriftStore,
    private readonly log: Logger,
    private readonly settings: { mode(): DriftMode | undefined; enabled(): boolean },
  ) {
    this.subscriptions.push(
      // New commits or config: recompute the environments that already have a service.
      model.onDidChange(() => {
        for (const key of this.services.keys()) void this.ensure(key);
      }),
      rendered.onDidChange(() => {
        for (const key of this.services.keys()) void this.ensure(key, true);
      }),
    );
  }

  /** Environments whose drift can be computed here. */
  candidates(): Array<{ key: string; folderUri: string; state: EnvironmentState }> {
    if (!vscode.workspace.isTrusted || !this.settings.enabled()) return [];
    return this.model
      .allStates()
      .filter(({ state }) => state.environment.cluster.context && state.ref)
      .map(({ folder, state }) => ({ key: environmentKey(folder.uri.toString(), state.environment.name), folderUri: folder.uri.toString(), state }));
  }

  /** Computes every candidate environment (the tree is visible). */
  ensureAll(): void {
    for (const c of this.candidates()) void this.ensure(c.key);
  }

  service(key: string): EnvironmentDriftService | undefined {
    return this.services.get(key)?.service;
  }

  /** Builds (or refreshes) the environment's service and computes its drift; errors land in the store. */
  ensure(key: string, desiredChanged = false): Promise<void> {
    const candidate = this.candidates().find((c) => c.key === key);
    if (!candidate) return Promise.resolve();
    const { state, folderUri } = candidate;
    const env = state.environment;
    const context = env.cluster.context as string;
    const mode = this.settings.mode() ?? 'server';
    const signature = `${context}|${env.cluster.namespace ?? ''}|${state.head?.sha ?? ''}|${state.checkedOut}|${mode}`;
    let entry = this.services.get(key);
    if (entry && entry.signature === signature && !desiredChanged) return entry.computing ?? Promise.resolve();
    if (entry && entry.signature !== signature) {
      entry.subscription.dispose();
      entry.service.dispose();
      this.services.delete(key);
      entry = undefined;
    }
    const previous = this.store.get(key);
    this.store.set({
      key,
      folderUri,
      environment: env.name,
      repoRoot: previous?.repoRoot ?? '',
      checkedOut: state.checkedOut,
      drift: previous?.drift,
      asOf: previous?.asOf,
      stale: previous?.stale ?? false,
      computing: true,
    });
    const computing = (async () => {
      const repo = await this.model.repositoryFor(folderUri, env);
      if (!repo) return;
      const view = state.checkedOut ? workingTreeView(repo) : refView(repo, state.ref as string);
      let current = entry;
      if (!current) {
        const { EnvironmentDriftService: Service, loadEnvironmentDriftRules } = loadClusterModule();
        const rules = await loadEnvironmentDriftRules(view, env);
        const service = new Service({
          manager: this.clusters.clusters(),
          context,
          defaultNamespace: env.cluster.namespace,
          // gitops.yaml `drift.mode` is the repository's choice; the setting is the user's default.
          mode: rules.mode ?? mode,
          ignoreRules: rules.ignoreRules,
          extraSelector: rules.extraSelector,
          readSource: (path) => view.readFile(path),
        });
        const subscription = service.onDidChange((event) => this.publish(key, folderUri, repo.root, state, event.report));
        current = { service, signature, subscription, computing: undefined };
        this.services.set(key, current);
      }
      const result = await this.rendered.render(repo, state);
      await current.service.setRendered(result.objects);
      const started = Date.now();
      const report = await current.service.compute();
      this.log.info(`${env.name}: drift ${report.drift.counts.Drifted} drifted, ${report.drift.counts.Missing} missing, ${report.drift.counts.Extra} extra (${report.drift.mode}${report.fallbackReason ? `, ${report.fallbackReason}` : ''}) in ${Date.now() - started} ms`);
      this.publish(key, folderUri, repo.root, state, report);
    })()
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.log.error(`${env.name}: drift failed`, error);
        const last = this.store.get(key);
        if (last) this.store.set({ ...last, computing: false, error: message, stale: true });
      })
      .finally(() => {
        const e = this.services.get(key);
        if (e) e.computing = undefined;
      });
    if (entry) entry.computing = computing;
    return computing;
  }

  private publish(key: string, folderUri: string, repoRoot: string, state: EnvironmentState, report: EnvironmentDriftReport): void {
    this.store.set({
      key,
      folderUri,
      environment: state.environment.name,
      repoRoot,
      checkedOut: state.checkedOut,
      drift: report.drift,
      asOf: report.freshness.asOf ?? report.computedAt,
      stale: report.freshness.state !== 'live',
      computing: false,
      error: report.fallbackReason,
    });
  }

  /** An edited manifest of a checked-out environment: only its resources are compared again. */
  async updateFile(key: string, file: string, text: string): Promise<void> {
    const entry = this.services.get(key);
    if (!entry) return;
    await entry.service.updateFile(file, text);
  }

  async previewSync(key: string, resourceKeys: readonly string[]): Promise<PreviewOutcome[]> {
    await this.ensure(key);
    const entry = this.services.get(key);
    if (!entry) throw new Error('This environment has no cluster to sync to');
    return entry.service.previewSync(resourceKeys);
  }

  async sync(key: string, resourceKeys: readonly string[]): Promise<SyncOutcome[]> {
    const entry = this.services.get(key);
    if (!entry) throw new Error('This environment has no cluster to sync to');
    return entry.service.sync(resourceKeys);
  }

  /** Forgets every service (kubeconfig changed, trust changed, Refresh). */
  reset(): void {
    for (const entry of this.services.values()) {
      entry.subscription.dispose();
      entry.service.dispose();
    }
    this.services.clear();
  }

  dispose(): void {
    this.reset();
    for (const s of this.subscriptions) s.dispose();
  }
}
