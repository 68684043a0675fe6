// Keeps one drift service per environment that names a cluster, fed by the environment's render,
// and publishes every report into the DriftStore. Services start when a view needs them (tree
// visible, a manifest opened), never at activation. Restricted Mode: no cluster access at all.
//
// Last-known snapshots: live reports are written (debounced) to the workspace folder's snapshot
// store. When an environment's drift is first needed and its cluster is not known to answer, the
// snapshot is shown — stale, "as of" when it was true — minus every entry whose desired object
// changed since (compared by hash against the fresh render). It stays until live results arrive;
// when the cluster comes back the services compute at once and live results replace it.
import * as vscode from 'vscode';
import type { EnvironmentDriftReport, EnvironmentDriftService, PreviewOutcome, SyncOutcome } from '../../cluster/drift/environmentDriftService';
import { DesiredHashes, filesNeedingTextHash, restoreDriftSnapshot, toDriftSnapshot } from '../../cluster/snapshots/driftSnapshot';
import { DriftSnapshotWriter } from '../../cluster/snapshots/driftSnapshotWriter';
import type { DriftSnapshotSection } from '../../cluster/snapshots/snapshotSchema';
import type { SnapshotStore } from '../../cluster/snapshots/snapshotStore';
import type { DriftMode } from '../../core/drift/driftTypes';
import { sha256Hex } from '../../core/drift/hash';
import type { RepoView } from '../../core/repoView';
import type { EnvironmentState } from '../../git/environmentStates';
import { refView, workingTreeView } from '../../git/repoViews';
import type { RenderedObject } from '../../render/renderEnvironment';
import { loadClusterModule } from '../clusterLoader';
import { isReachable, type ClusterStatus } from '../clusterStatus';
import type { EnvironmentsModel } from '../environmentsModel';
import type { Logger } from '../logger';
import type { RenderedResources } from '../renderedResources';
import { environmentKey, type DriftStore } from './driftStore';

interface ServiceEntry {
  service: EnvironmentDriftService;
  context: string;
  /** What the service was built for: a new head commit or config means a new render. */
  signature: string;
  subscription: { dispose(): void };
  computing: Promise<void> | undefined;
}

/** What the latest render of an environment says about its desired objects, for snapshots. */
interface RenderInfo {
  /**
   * The render's hashes, built on first use (a snapshot restored or written), never before the first
   * report: hashing 10,000 objects takes a few hundred milliseconds of the one thread.
   */
  hashes: () => Promise<DesiredHashes>;
  /** Set once `hashes()` resolved: the snapshot writer asks for them synchronously. */
  resolved?: DesiredHashes;
  /** Files whose unsaved editor text the service compares: their results are not written. */
  edited: Set<string>;
  /** Time the first compute after this render took; undefined until it finished (nothing is written before). */
  durationMs: number | undefined;
  /** computedAt of that first report: earlier reports compared the previous render. */
  since: number | undefined;
}

export interface DriftControllerOptions {
  /** Least time between two snapshot writes of one environment; default 2 s. */
  snapshotDelayMs?: number;
}

export class DriftController implements vscode.Disposable {
  private readonly services = new Map<string, ServiceEntry>();
  private readonly renders = new Map<string, RenderInfo>();
  /** The snapshot's drift section per environment key, read once per session (then kept current by our writes). */
  private readonly sections = new Map<string, Promise<DriftSnapshotSection | null>>();
  private readonly writer: DriftSnapshotWriter;
  /** Snapshot writes waiting for their render's hashes. */
  private readonly hashing = new Set<Promise<void>>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly model: EnvironmentsModel,
    private readonly rendered: RenderedResources,
    private readonly clusters: ClusterStatus,
    private readonly store: DriftStore,
    private readonly log: Logger,
    private readonly settings: { mode(): DriftMode | undefined; enabled(): boolean },
    options: DriftControllerOptions = {},
  ) {
    this.writer = new DriftSnapshotWriter({
      delayMs: options.snapshotDelayMs,
      onError: (environment, error) => this.log.warn(`${environment}: snapshot not written: ${error.message}`),
    });
    this.subscriptions.push(
      // New commits or config: recompute the environments that already have a service.
      model.onDidChange(() => {
        for (const key of this.services.keys()) void this.ensure(key);
      }),
      rendered.onDidChange(() => {
        for (const key of this.services.keys()) void this.ensure(key, true);
      }),
      clusters.onDidChange((context) => this.onConnection(context)),
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
    // The drift services and the tree share one connection state per context.
    this.clusters.ensure(context);
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
      fromSnapshot: previous?.fromSnapshot,
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
          extraTrackingApp: rules.extraTrackingApp,
          readSource: (path) => view.readFile(path),
        });
        const subscription = service.onDidChange((event) => this.publish(key, folderUri, repo.root, state, event.report));
        current = { service, context, signature, subscription, computing: undefined };
        this.services.set(key, current);
      }
      const result = await this.rendered.render(repo, state);
      const render: RenderInfo = { hashes: once(() => desiredHashes(result.objects, view)), edited: new Set(), durationMs: undefined, since: undefined };
      this.renders.set(key, render);
      await this.showSnapshot(key, folderUri, repo.root, state, render.hashes);
      await current.service.setRendered(result.objects);
      const started = Date.now();
      const report = await current.service.compute();
      render.durationMs = Date.now() - started;
      render.since = report.computedAt;
      this.log.info(`${env.name}: drift ${report.drift.counts.Invalid} invalid, ${report.drift.counts.Drifted} drifted, ${report.drift.counts.Missing} missing, ${report.drift.counts.Extra} extra (${report.drift.mode}${report.fallbackReason ? `, ${report.fallbackReason}` : ''}) in ${render.durationMs} ms`);
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

  /**
   * Shows the last-known snapshot while nothing better is known: no live results yet and the
   * cluster not known to answer (or a snapshot already shown, to check it against a new render).
   */
  private async showSnapshot(key: string, folderUri: string, repoRoot: string, state: EnvironmentState, renderHashes: () => Promise<DesiredHashes>): Promise<void> {
    const shown = this.store.get(key);
    if (shown?.drift && !shown.fromSnapshot) return;
    const env = state.environment;
    if (!shown?.fromSnapshot && isReachable(this.clusters.get(env.cluster.context as string))) return;
    const snapshots = this.clusters.snapshots(folderUri);
    if (!snapshots) return;
    let section = this.sections.get(key);
    if (!section) {
      section = snapshots.loadDetailed(env.name).then(({ snapshot, problem }) => {
        if (problem) this.log.warn(`${env.name}: last-known snapshot not used: ${problem}`);
        return snapshot?.drift ?? null;
      });
      this.sections.set(key, section);
    }
    const stored = await section;
    const hashes = stored ? await renderHashes() : undefined;
    const now = this.store.get(key);
    // Live results arrived while the file was read: they win.
    if (!stored || !hashes || (now?.drift && !now.fromSnapshot)) return;
    const restored = restoreDriftSnapshot(stored, hashes);
    if (restored && restored.dropped > 0) this.log.info(`${env.name}: ${restored.dropped} snapshot entr${restored.dropped === 1 ? 'y' : 'ies'} dropped: the manifests changed since`);
    if (!restored) {
      if (stored.data.resources.length > 0) this.log.info(`${env.name}: last-known snapshot not used: every manifest in it changed since`);
      if (now?.fromSnapshot) this.store.set({ ...now, drift: undefined, asOf: undefined, stale: false, fromSnapshot: false });
      return;
    }
    this.store.set({
      key,
      folderUri,
      environment: env.name,
      repoRoot,
      checkedOut: state.checkedOut,
      drift: restored.drift,
      asOf: Date.parse(stored.asOf),
      stale: true,
      fromSnapshot: true,
      computing: now?.computing ?? false,
    });
  }

  private publish(key: string, folderUri: string, repoRoot: string, state: EnvironmentState, report: EnvironmentDriftReport): void {
    const shown = this.store.get(key);
    if (report.freshness.state === 'unavailable' && shown?.fromSnapshot && shown.drift) {
      // Nothing could be listed: the last-known snapshot says more than a list of "unknown".
      this.store.set({ ...shown, computing: false, error: report.freshness.problems[0] ?? report.fallbackReason });
      return;
    }
    this.store.set({
      key,
      folderUri,
      environment: state.environment.name,
      repoRoot,
      checkedOut: state.checkedOut,
      drift: report.drift,
      asOf: report.freshness.asOf ?? report.computedAt,
      stale: report.freshness.state !== 'live',
      fromSnapshot: false,
      computing: false,
      error: report.fallbackReason,
    });
    if (report.freshness.state === 'live') this.scheduleSnapshot(key, folderUri, state, report);
  }

  /** Writes the environment's live results, debounced; built from the latest report when the write happens. */
  private scheduleSnapshot(key: string, folderUri: string, state: EnvironmentState, report: EnvironmentDriftReport): void {
    const snapshots = this.clusters.snapshots(folderUri);
    const render = this.renders.get(key);
    if (!snapshots || !render) return;
    // What is on disk is about to be this report: a later restore in this session reads it from here.
    this.sections.delete(key);
    // The hashes are built on a later turn, so the report reaches the views first; the write is
    // scheduled once they exist (flushSnapshots waits for them).
    const hashed = nextTurn()
      .then(() => render.hashes())
      .then(
        (hashes) => {
          render.resolved = hashes;
          this.scheduleWrite(key, snapshots, state, report);
        },
        (error: unknown) => this.log.warn(`${state.environment.name}: snapshot not written: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => this.hashing.delete(hashed));
    this.hashing.add(hashed);
  }

  private scheduleWrite(key: string, snapshots: SnapshotStore, state: EnvironmentState, report: EnvironmentDriftReport): void {
    this.writer.schedule({
      store: snapshots,
      environment: state.environment.name,
      context: state.environment.cluster.context,
      asOf: new Date(report.freshness.asOf ?? report.computedAt),
      update: () => {
        const render = this.renders.get(key);
        const latest = this.services.get(key)?.service.current;
        // Only results of the latest render (hashes must describe what was compared), and only live ones.
        if (!render?.resolved || render.since === undefined || !latest || latest.computedAt < render.since || latest.freshness.state !== 'live') return undefined;
        const payload = toDriftSnapshot(latest.drift, render.resolved, { excludeFiles: render.edited });
        return { ...payload, durationMs: render.durationMs ?? null, ...(latest.fallbackReason ? { fallbackReason: latest.fallbackReason } : {}) };
      },
    });
  }

  /** A cluster answers again: compute its environments now rather than at the next backoff step. */
  private onConnection(context: string): void {
    if (context === '*') return;
    if (!isReachable(this.clusters.get(context))) return;
    for (const [key, entry] of this.services) {
      if (entry.context !== context || !this.store.get(key)?.stale || entry.computing) continue;
      // The service publishes through its change event.
      void entry.service.compute().catch((error: unknown) => this.log.warn(`${context}: drift after reconnect failed: ${(error as Error).message}`));
    }
  }

  /** An edited manifest of a checked-out environment: only its resources are compared again. */
  async updateFile(key: string, file: string, text: string): Promise<void> {
    const entry = this.services.get(key);
    if (!entry) return;
    this.renders.get(key)?.edited.add(file);
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

  /** Writes pending snapshots now (tests, and before the window goes away). */
  async flushSnapshots(): Promise<void> {
    await Promise.all([...this.hashing]);
    return this.writer.flush();
  }

  /** Forgets every service (kubeconfig changed, trust changed, Refresh). */
  reset(): void {
    for (const entry of this.services.values()) {
      entry.subscription.dispose();
      entry.service.dispose();
    }
    this.services.clear();
    this.renders.clear();
  }

  dispose(): void {
    // Pending snapshot writes go out; the host may not wait for them. (A write still waiting for
    // its render's hashes is dropped: the next session computes the drift again anyway.)
    void this.writer.dispose();
    this.reset();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Hashes of the desired objects as rendered; kustomize/helm objects also hash the text of their source files. */
async function desiredHashes(objects: readonly RenderedObject[], view: RepoView): Promise<DesiredHashes> {
  const texts = new Map<string, string>();
  await Promise.all(
    filesNeedingTextHash(objects).map(async (file) => {
      const text = await view.readFile(file).catch(() => undefined);
      if (text !== undefined) texts.set(file, sha256Hex(text));
    }),
  );
  return new DesiredHashes(objects, texts);
}

/** `make()` on the first call; the same promise on every later one. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/** Resolves after the current turn and its pending I/O callbacks: work queued here never delays what was already due. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
