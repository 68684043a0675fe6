// Host side of the promotion preview webview: one panel per plan (a promotion between two
// environments, or a rollback to a commit), revealed when already open. The panel moves data and
// keeps the session; planning, rendering and running are the injected actions. Every incoming
// message passes the protocol validator and the preview policy before anything runs.
import * as vscode from 'vscode';
import type { PromotionPlan } from '../../core/promotion/promotionTypes';
import type { RenderedDiff } from '../../core/promotion/renderedDiff';
import { maskSecrets } from '../../core/secrets';
import type { ExecutionResult } from '../../git/promotion/executePlan';
import {
  isPreviewViewModel,
  isWebviewMessage,
  previewTargetKey,
  type HostToWebview,
  type OutcomeView,
  type PreviewTarget,
  type PreviewViewModel,
  type WebviewToHost,
} from '../../../webview-ui/promotion/protocol';
import { isPersistedPreviewState } from '../../../webview-ui/promotion/uiState';
import type { Logger } from '../logger';
import { createNonce, renderWebviewHtml } from '../webview/webviewHtml';
import type { PlannedPreview } from './previewPlanner';
import { previewRefusal } from './previewPolicy';
import { PreviewSession, type SessionOptions } from './previewSession';

/** `viewType` of the panel; package.json has the activation event `onWebviewPanel:gitops.promotionPreview`. */
export const PROMOTION_PREVIEW_VIEW_TYPE = 'gitops.promotionPreview';

/** Waits this long after the last tick before rendering again: ticking five files renders once. */
const RENDER_DEBOUNCE_MS = 300;

export interface PromotionPanelActions {
  plan(target: PreviewTarget): Promise<PlannedPreview>;
  sessionOptions(planned: PlannedPreview): SessionOptions;
  /** The target before/after the plan's selected changes (only called when the session asks for it). */
  render(planned: PlannedPreview, plan: PromotionPlan, signal: AbortSignal): Promise<RenderedDiff>;
  /** Runs the plan; undefined when the user backed out; throws when it failed. */
  execute(planned: PlannedPreview, plan: PromotionPlan): Promise<ExecutionResult | undefined>;
  /** Tells the user about a failure (notification with the next step). */
  failed(planned: PlannedPreview | undefined, error: unknown): void;
  describe(error: unknown): string;
  openExternal(url: string): void;
}

export interface PromotionPanelsOptions {
  extensionUri: vscode.Uri;
  actions: PromotionPanelActions;
  log: Logger;
}

export function previewTitle(target: PreviewTarget): string {
  return target.kind === 'promotion' ? `Promote ${target.from} → ${target.to}` : `Roll back ${target.environment}`;
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  // Only the built bundles may load: not the workspace, not the rest of the extension.
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

function outcomeOf(result: ExecutionResult): OutcomeView {
  return {
    action: result.pullRequestAction,
    number: result.pullRequest?.number ?? null,
    url: result.pullRequest?.url ?? result.compareUrl,
    headBranch: result.headBranch,
    remote: result.remote,
    warnings: result.warnings.map((w) => maskSecrets(w)),
  };
}

/** One open preview. Created through `PromotionPanels`. */
export class PromotionPanel implements vscode.Disposable {
  private planned: PlannedPreview | undefined;
  private session: PreviewSession | undefined;
  private sent: PreviewViewModel | undefined;
  /** The webview said `ready` at least once (see DriftReportPanel: hidden webviews are torn down and say it again). */
  private ready = false;
  private busyText = '';
  private loading: Promise<void> | undefined;
  private running = false;
  private renderTimer: ReturnType<typeof setTimeout> | undefined;
  private renderAbort: AbortController | undefined;
  private disposed = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;

  constructor(
    readonly target: PreviewTarget,
    readonly panel: vscode.WebviewPanel,
    private readonly options: PromotionPanelsOptions,
  ) {
    const { webview } = panel;
    webview.options = webviewOptions(options.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(options.extensionUri, 'media', 'gitops.svg');
    panel.title = previewTitle(target);
    const dist = vscode.Uri.joinPath(options.extensionUri, 'dist');
    webview.html = renderWebviewHtml({
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'promotion.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'promotion.css')).toString(),
      cspSource: webview.cspSource,
      nonce: createNonce(),
      title: previewTitle(target),
    });
    this.subscriptions.push(
      webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidDispose(() => this.cleanUp()),
    );
  }

  /** Shows a plan made elsewhere (the command planned it under a progress notification). */
  show(planned: PlannedPreview): void {
    if (this.running) return;
    this.planned = planned;
    this.session = new PreviewSession(this.target, planned.plan, this.options.actions.sessionOptions(planned));
    this.publish();
    this.scheduleRender(0);
  }

  reveal(column?: vscode.ViewColumn): void {
    this.panel.reveal(column);
  }

  /** Plans again (a refresh already running absorbs this one). Never rejects. */
  refresh(): Promise<void> {
    if (!this.loading) {
      const run = this.load();
      this.loading = run;
      void run.finally(() => {
        if (this.loading === run) this.loading = undefined;
      });
    }
    return this.loading;
  }

  private async load(): Promise<void> {
    this.setBusy('Planning…');
    try {
      const planned = await this.options.actions.plan(this.target);
      if (!this.disposed) this.show(planned);
    } catch (error) {
      this.fail(error);
    } finally {
      this.setBusy('');
    }
  }

  dispose(): void {
    this.panel.dispose();
  }

  private cleanUp(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.renderTimer);
    this.renderAbort?.abort();
    this.disposedEmitter.fire();
    for (const s of this.subscriptions) s.dispose();
    this.disposedEmitter.dispose();
  }

  private publish(): void {
    if (!this.session) return;
    const model = this.session.viewModel();
    if (!isPreviewViewModel(model)) {
      // The webview would drop it anyway; say so here, where the cause can be found.
      this.options.log.error(`preview ${previewTitle(this.target)}: the view model does not match the protocol`);
      this.post({ type: 'error', message: 'The preview could not be shown: its data is malformed (see the GitOps log).' });
      return;
    }
    this.sent = model;
    this.post({ type: 'preview', model });
  }

  private post(message: HostToWebview): void {
    if (!this.ready || this.disposed) return;
    void this.panel.webview.postMessage(message).then(undefined, (error: unknown) => this.options.log.debug(`preview: post failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  private setBusy(text: string): void {
    this.busyText = text;
    this.post({ type: 'busy', text });
  }

  private fail(error: unknown): void {
    const message = this.options.actions.describe(error);
    this.options.log.warn(`preview ${previewTitle(this.target)}: ${message}`);
    this.post({ type: 'error', message: message.slice(0, 4000) });
  }

  private scheduleRender(delayMs = RENDER_DEBOUNCE_MS): void {
    clearTimeout(this.renderTimer);
    this.renderAbort?.abort();
    this.renderAbort = undefined;
    if (!this.session?.needsRender) return;
    this.renderTimer = setTimeout(() => void this.renderNow(), delayMs);
  }

  private async renderNow(): Promise<void> {
    const { session, planned } = this;
    if (!session || !planned || !session.needsRender) return;
    const generation = session.renderGeneration;
    const controller = new AbortController();
    this.renderAbort = controller;
    let outcome: { diff: RenderedDiff } | { error: string };
    try {
      outcome = { diff: await this.options.actions.render(planned, session.plan, controller.signal) };
    } catch (error) {
      if (controller.signal.aborted) return;
      outcome = { error: this.options.actions.describe(error) };
    }
    if (this.disposed || controller.signal.aborted || session !== this.session) return;
    if (session.rendered(generation, outcome)) this.publish();
  }

  private receive(message: unknown): void {
    if (!isWebviewMessage(message)) {
      const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
      this.options.log.debug(`preview: dropped a malformed message${typeof type === 'string' ? ` (${type.slice(0, 40)})` : ''}`);
      return;
    }
    const why = previewRefusal(message, this.sent, this.running);
    if (why !== undefined) {
      this.options.log.debug(`preview: refused ${why}`);
      return;
    }
    void this.dispatch(message);
  }

  private async dispatch(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.sent) this.post({ type: 'preview', model: this.sent });
        if (this.busyText !== '') this.post({ type: 'busy', text: this.busyText });
        if (!this.session && !this.loading) await this.refresh();
        return;
      case 'refresh':
        return this.refresh();
      case 'select':
        if (this.session?.select(message.what, message.keys, message.selected)) {
          this.publish();
          this.scheduleRender();
        }
        return;
      case 'execute':
        return this.execute(message.title, message.body);
      case 'openOutcome': {
        const url = this.session?.outcome?.url;
        if (url) this.options.actions.openExternal(url);
        return;
      }
    }
  }

  private async execute(title: string, body: string): Promise<void> {
    const { session, planned } = this;
    if (!session || !planned || this.running) return;
    this.running = true;
    this.setBusy(`Opening the pull request into ${session.plan.target.branch}…`);
    try {
      const result = await this.options.actions.execute(planned, session.planToRun({ title, body }));
      if (result && !this.disposed) {
        session.finished(outcomeOf(result));
        this.publish();
      }
    } catch (error) {
      this.fail(error);
      this.options.actions.failed(planned, error);
    } finally {
      this.running = false;
      this.setBusy('');
    }
  }
}

/** Every open preview panel, keyed by target. */
export class PromotionPanels implements vscode.Disposable {
  private readonly panels = new Map<string, PromotionPanel>();

  constructor(private readonly options: PromotionPanelsOptions) {}

  /** Opens the preview of `planned` (or reveals the open one for its target and shows the new plan). */
  show(planned: PlannedPreview): PromotionPanel {
    const key = previewTargetKey(planned.target);
    let panel = this.panels.get(key);
    if (panel) {
      panel.reveal();
    } else {
      const webviewPanel = vscode.window.createWebviewPanel(PROMOTION_PREVIEW_VIEW_TYPE, previewTitle(planned.target), vscode.ViewColumn.Active, {
        ...webviewOptions(this.options.extensionUri),
        enableFindWidget: true,
      });
      panel = this.adopt(planned.target, webviewPanel);
    }
    panel.show(planned);
    return panel;
  }

  /** Takes over a panel VS Code restored after a reload; it plans again once its page is ready. */
  revive(webviewPanel: vscode.WebviewPanel, state: unknown): void {
    const target = isPersistedPreviewState(state) ? state.target : undefined;
    if (!target) {
      this.options.log.debug('preview: closing a restored panel without a valid saved state');
      webviewPanel.dispose();
      return;
    }
    const open = this.panels.get(previewTargetKey(target));
    if (open) {
      webviewPanel.dispose();
      open.reveal();
      return;
    }
    this.adopt(target, webviewPanel);
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }

  private adopt(target: PreviewTarget, webviewPanel: vscode.WebviewPanel): PromotionPanel {
    const key = previewTargetKey(target);
    const panel = new PromotionPanel(target, webviewPanel, this.options);
    this.panels.set(key, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
    return panel;
  }
}

/** Restores previews after a window reload (the `onWebviewPanel:` activation event brings us up for it). */
export function registerPromotionPanelSerializer(panels: PromotionPanels): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(PROMOTION_PREVIEW_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      panels.revive(panel, state);
    },
  });
}
