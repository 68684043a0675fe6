// Composition root: builds services lazily, registers UI, returns a small API. Activation does no
// Git or cluster work; the first tree expansion or command does.
import * as vscode from 'vscode';
import { RemoteRepoCache } from './git/remoteRepoCache';
import { ClusterStatus } from './ui/clusterStatus';
import { registerCommands } from './ui/commands';
import { ConfigDiagnostics } from './ui/configDiagnostics';
import { EnvironmentStatusBar } from './ui/environmentStatusBar';
import { EnvironmentTreeProvider } from './ui/environmentTree';
import { EnvironmentsModel } from './ui/environmentsModel';
import { ContextKeys, ENVIRONMENTS_VIEW_ID, REF_CONTENT_SCHEME, Settings } from './ui/ids';
import { createLogger } from './ui/logger';
import { RefContentProvider } from './ui/refContentProvider';
import { RenderedResources } from './ui/renderedResources';
import { DocumentDrift } from './ui/drift/documentDrift';
import { DriftActions, DriftDocuments, DRIFT_DOCUMENT_SCHEME } from './ui/drift/driftActions';
import { DriftCodeLensProvider } from './ui/drift/driftCodeLens';
import { registerDriftCommands } from './ui/drift/driftCommands';
import { DriftController } from './ui/drift/driftController';
import { DriftDecorations } from './ui/drift/driftDecorations';
import { DriftFileDecorations } from './ui/drift/driftFileDecorations';
import { DriftHoverProvider } from './ui/drift/driftHover';
import { DriftProblems } from './ui/drift/driftProblems';
import { DriftStore } from './ui/drift/driftStore';
import { DriftReportPanels } from './ui/webview/driftReportPanel';
import { registerOperatorCommands } from './ui/operators/operatorCommands';
import { OperatorsController } from './ui/operators/operatorsController';
import { registerDriftReportSerializer } from './ui/webview/driftReportSerializer';
import { createPromotionServices, registerPromotion } from './ui/promotion/registerPromotion';
import { PreviewImpact } from './ui/preview/previewImpact';
import { registerPreviewImpact } from './ui/preview/registerPreviewImpact';
import { registerManifestValidation } from './ui/validation/manifestValidation';
import type { DriftMode } from './core/drift/driftTypes';
import { environmentPaths } from './core/model';

export interface GitopsEnvironmentsApi {
  /** Environments per workspace folder, in promotion order (loads them if needed). */
  environments(): Promise<Array<{ folder: string; name: string; branch: string | null; path: string | null; pending: number | null; head: string | null }>>;
  refresh(): Promise<void>;
  /** Milliseconds spent in activate(). */
  activationMs: number;
}

function setting<T>(key: string, fallback: T): T {
  return vscode.workspace.getConfiguration(Settings.section).get<T>(key, fallback);
}

export function activate(context: vscode.ExtensionContext): GitopsEnvironmentsApi {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('GitOps Environments', { log: true });
  const log = createLogger(channel);
  context.subscriptions.push(channel);

  let remoteCache: RemoteRepoCache | undefined;
  const getRemoteCache = (): RemoteRepoCache | undefined => {
    remoteCache ??= new RemoteRepoCache(vscode.Uri.joinPath(context.globalStorageUri, 'repos').fsPath);
    return remoteCache;
  };

  const model = new EnvironmentsModel(log.child('model'), { pendingLimit: () => setting(Settings.pendingCommitLimit, 50) }, getRemoteCache);
  const rendered = new RenderedResources(log.child('render'), vscode.Uri.joinPath(context.globalStorageUri, 'render').fsPath, () => setting(Settings.renderTimeoutSeconds, 30));
  // One connection state per cluster context and one snapshot store per folder, shared by every view.
  const clusters = new ClusterStatus(
    log.child('cluster'),
    () => setting<string>(Settings.kubeconfig, '') || undefined,
    () => setting(Settings.clusterStatus, true),
    context.storageUri?.fsPath,
  );
  const driftStore = new DriftStore();
  const operators = new OperatorsController(model, clusters, log.child('operators'));
  const promotion = createPromotionServices({ context, model, log: log.child('promotion') });
  const tree = new EnvironmentTreeProvider(model, rendered, clusters, driftStore, operators, promotion.rows);
  const view = vscode.window.createTreeView(ENVIRONMENTS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(model, rendered, clusters, driftStore, operators, tree, view, ...registerOperatorCommands(operators));

  // Drift: one service per environment with a cluster, started when something needs it.
  const driftController = new DriftController(model, rendered, clusters, driftStore, log.child('drift'), {
    mode: () => setting<DriftMode | undefined>(Settings.driftMode, undefined),
    enabled: () => setting(Settings.driftEnabled, true),
  });
  const documentDrift = new DocumentDrift(driftStore, (envKey, file, text) => driftController.updateFile(envKey, file, text));
  const driftDocuments = new DriftDocuments();
  const driftActions = new DriftActions(model, rendered, clusters, driftStore, driftController, driftDocuments, log.child('drift'), operators);
  const reports = new DriftReportPanels({ extensionUri: context.extensionUri, actions: driftActions, log: log.child('report') });
  // A change's impact (a pull request, a branch) opens in the same report panels.
  const previewImpact = new PreviewImpact({ model, rendered, documents: driftDocuments, log: log.child('preview'), show: (target) => reports.show(target) });
  driftActions.setPreviewSource(previewImpact);
  const operatorOf = (envKey: string): string | undefined => {
    const hash = envKey.lastIndexOf('#');
    const status = operators.managing(envKey.slice(0, hash), envKey.slice(hash + 1));
    return status ? (status.operator === 'argocd' ? 'Argo CD' : 'Flux') : undefined;
  };
  const manifestSelector: vscode.DocumentSelector = [
    { scheme: 'file', language: 'yaml' },
    { scheme: 'file', pattern: '**/*.{yaml,yml}' },
  ];
  context.subscriptions.push(
    driftController,
    documentDrift,
    reports,
    registerDriftReportSerializer(reports),
    new DriftProblems(driftStore, () => setting(Settings.driftProblems, false)),
    new DriftDecorations(documentDrift, vscode.Uri.joinPath(context.extensionUri, 'media', 'drift.svg')),
    vscode.languages.registerHoverProvider(manifestSelector, new DriftHoverProvider(documentDrift, operatorOf)),
    vscode.languages.registerCodeLensProvider(manifestSelector, new DriftCodeLensProvider(documentDrift, operatorOf)),
    vscode.window.registerFileDecorationProvider(new DriftFileDecorations(driftStore)),
    vscode.workspace.registerTextDocumentContentProvider(DRIFT_DOCUMENT_SCHEME, driftDocuments),
    ...registerDriftCommands(model, driftStore, driftActions, reports),
    ...registerPreviewImpact({ impact: previewImpact, model, log: log.child('preview') }),
    // Open reports follow the drift they show.
    driftStore.onDidChange(() => {
      for (const target of reports.targets()) {
        if (target.kind !== 'drift') continue;
        void driftActions.refresh(target).then(
          (vm) => reports.update(target, vm),
          () => undefined,
        );
      }
    }),
    // The tree is visible: compute drift of every environment with a cluster.
    view.onDidChangeVisibility((e) => {
      if (e.visible)
        void model.ensureLoaded().then(() => {
          driftController.ensureAll();
          operators.sync();
        });
    }),
    model.onDidChange(() => {
      if (view.visible) {
        driftController.ensureAll();
        operators.sync();
      }
    }),
    // A manifest opens: make sure its environment's drift is known.
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor && /\.(ya?ml)$/i.test(editor.document.uri.path)) void model.ensureLoaded().then(() => driftController.ensureAll());
    }),
  );

  void vscode.commands.executeCommand('setContext', ContextKeys.workspaceState, 'loading');
  context.subscriptions.push(
    model.onDidChange(() => {
      const folders = model.folders();
      const ready = folders.filter((f) => f.kind === 'ready');
      const anyEnvironments = ready.some((f) => f.kind === 'ready' && f.data.states.length > 0);
      const anyProblems = ready.some((f) => f.kind === 'ready' && f.data.discovery.problems.length > 0);
      const state = ready.length === 0 && folders.every((f) => f.kind === 'noGit') ? 'noGit' : anyEnvironments || anyProblems ? 'ready' : 'noEnvironments';
      void vscode.commands.executeCommand('setContext', ContextKeys.workspaceState, state);
      void vscode.commands.executeCommand('setContext', ContextKeys.canCreateConfig, ready.some((f) => f.kind === 'ready' && f.data.discovery.source !== 'config'));
    }),
  );

  // Diagnostics, status bar and the ref content provider are cheap to construct; they react to the model.
  context.subscriptions.push(
    new ConfigDiagnostics(model),
    new EnvironmentStatusBar(model, driftStore),
    vscode.workspace.registerTextDocumentContentProvider(REF_CONTENT_SCHEME, new RefContentProvider(model)),
    ...registerCommands({ context, model, tree, view, rendered, clusters, log, drift: driftController }),
  );
  context.subscriptions.push(...registerManifestValidation({ model, log: log.child('validation'), kubeconfig: () => setting<string>(Settings.kubeconfig, '') || undefined }));
  context.subscriptions.push(...registerPromotion({ context, model, log: log.child('promotion'), view, drift: driftStore, services: promotion }));

  // Ref moves, checkouts and edits to manifests or gitops.yaml: reload, debounced.
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const gitWatcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.git/{HEAD,packed-refs,refs/**}'));
    const manifestWatcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*.{yaml,yml,json}'));
    const onGit = (): void => model.requestRefresh();
    const onManifest = (uri: vscode.Uri): void => {
      if (uri.path.includes('/node_modules/') || uri.path.includes('/.git/')) return;
      rendered.invalidateWorkingTree();
      model.requestRefresh(800);
    };
    context.subscriptions.push(
      gitWatcher,
      manifestWatcher,
      gitWatcher.onDidChange(onGit),
      gitWatcher.onDidCreate(onGit),
      gitWatcher.onDidDelete(onGit),
      manifestWatcher.onDidChange(onManifest),
      manifestWatcher.onDidCreate(onManifest),
      manifestWatcher.onDidDelete(onManifest),
    );
  }
  context.subscriptions.push(
    vscode.workspace.onDidChangeWorkspaceFolders(() => model.requestRefresh(0)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      rendered.clear();
      tree.refresh();
      driftController.ensureAll();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${Settings.section}.${Settings.kubeconfig}`)) {
        driftController.reset();
        clusters.reset();
      }
      if (event.affectsConfiguration(`${Settings.section}.drift`)) driftController.reset();
      if (event.affectsConfiguration(Settings.section)) model.requestRefresh(0);
    }),
  );

  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return {
    activationMs,
    refresh: () => model.refreshNow(),
    async environments() {
      await model.ensureLoaded();
      return model.allStates().map(({ folder, state }) => ({
        folder: folder.uri.fsPath,
        name: state.environment.name,
        branch: state.environment.branch,
        path: state.environment.path,
        paths: environmentPaths(state.environment),
        pending: state.pending ? state.pending.total : null,
        head: state.head?.sha ?? null,
      }));
    },
  };
}

export function deactivate(): void {
  // Every resource is in context.subscriptions and disposed by VS Code.
}
