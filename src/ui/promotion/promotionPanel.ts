// Host side of the promotion preview webview: one panel per plan (a promotion between two
// environments, or a rollback to a commit), revealed when already open. The panel moves data and
// keeps the session; planning, rendering and running are the injected actions. Every incoming
// message passes the protocol validator and the preview policy before anything runs.
import type * as vscode from 'vscode';
import type { EnvironmentPreview } from '../../core/preview/previewReport';
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
import { PanelHost, PanelRegistry, registerPanelSerializer, type PanelHostOptions } from '../webview/panelHost';
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
  /**
   * What applying the rendered target (`diff`, the render just shown) would change in its cluster:
   * the server dry-run, loaded lazily with the cluster bundle. Only called when the session asks
   * for it (render ready, live check on). Never needs to throw: unreachable is a result.
   */
  liveImpact?(planned: PlannedPreview, plan: PromotionPlan, diff: RenderedDiff, signal: AbortSignal): Promise<EnvironmentPreview['cluster']>;
  /** Runs the plan; undefined when the user backed out; throws when it failed. */
  execute(planned: PlannedPreview, plan: PromotionPlan): Promise<ExecutionResult | undefined>;
  /** Tells the user about a failure (notification with the next step). */
  failed(planned: PlannedPreview | undefined, error: unknown): void;
  describe(error: unknown): string;
  openExternal(url: string): void;
}

export interface PromotionPanelsOptions extends PanelHostOptions {
  actions: PromotionPanelActions;
}

export function previewTitle(target: PreviewTarget): string {
  return target.kind === 'promotion' ? `Promote ${target.from} → ${target.to}` : `Roll back ${target.environment}`;
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
export class PromotionPanel extends PanelHost<WebviewToHost, HostToWebview> {
  private planned: PlannedPreview | undefined;
  private session: PreviewSession | undefined;
  private sent: PreviewViewModel | undefined;
  private running = false;
  private renderTimer: ReturnType<typeof setTimeout> | undefined;
  private renderAbort: AbortController | undefined;

  constructor(
    readonly target: PreviewTarget,
    panel: vscode.WebviewPanel,
    private readonly options: PromotionPanelsOptions,
  ) {
    super(panel, { ...options, logName: 'preview', bundle: 'promotion', isMessage: isWebviewMessage, title: previewTitle(target) });
  }

  /** Shows a plan made elsewhere (the command planned it under a progress notification). */
  show(planned: PlannedPreview): void {
    if (this.running) return;
    this.planned = planned;
    this.session = new PreviewSession(this.target, planned.plan, this.options.actions.sessionOptions(planned));
    this.publish();
    this.scheduleRender(0);
  }

  /** Plans again (a refresh already running absorbs this one). Never rejects. */
  refresh(): Promise<void> {
    return this.once(() => this.load());
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

  protected override disposing(): void {
    clearTimeout(this.renderTimer);
    this.renderAbort?.abort();
  }

  private publish(): void {
    if (!this.session) return;
    const model = this.session.viewModel();
    if (!isPreviewViewModel(model)) {
      // The webview would drop it anyway; say so here, where the cause can be found.
      this.log.error(`preview ${previewTitle(this.target)}: the view model does not match the protocol`);
      this.post({ type: 'error', message: 'The preview could not be shown: its data is malformed (see the GitOps log).' });
      return;
    }
    this.sent = model;
    this.post({ type: 'preview', model });
  }

  private fail(error: unknown): void {
    const message = this.options.actions.describe(error);
    this.log.warn(`preview ${previewTitle(this.target)}: ${message}`);
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
    await this.checkLive(session, planned, generation, controller);
  }

  /** The live impact of the render just shown, under the same abort as the render (a new tick drops both). */
  private async checkLive(session: PreviewSession, planned: PlannedPreview, generation: number, controller: AbortController): Promise<void> {
    const { liveImpact } = this.options.actions;
    const diff = session.renderedDiff;
    if (!liveImpact || !session.needsLive || !diff) return;
    let outcome: { cluster: EnvironmentPreview['cluster'] } | { error: string };
    try {
      outcome = { cluster: await liveImpact(planned, session.plan, diff, controller.signal) };
    } catch (error) {
      if (controller.signal.aborted) return;
      outcome = { error: this.options.actions.describe(error) };
    }
    if (this.disposed || controller.signal.aborted || session !== this.session) return;
    if (session.checkedLive(generation, outcome)) this.publish();
  }

  protected refusal(message: WebviewToHost): string | undefined {
    return previewRefusal(message, this.sent, this.running);
  }

  protected replay(): void {
    if (this.sent) this.post({ type: 'preview', model: this.sent });
  }

  protected async dispatch(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
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
      case 'allowIdentityChange':
        if (this.session?.allowIdentityChange(message.allowed)) this.publish();
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
export class PromotionPanels extends PanelRegistry<PreviewTarget, PromotionPanel> {
  constructor(private readonly options: PromotionPanelsOptions) {
    super({
      ...options,
      viewType: PROMOTION_PREVIEW_VIEW_TYPE,
      logName: 'preview',
      key: previewTargetKey,
      title: previewTitle,
      // A restored panel plans again once its page is ready.
      savedTarget: (state) => (isPersistedPreviewState(state) ? state.target : undefined),
    });
  }

  /** Opens the preview of `planned` (or reveals the open one for its target and shows the new plan). */
  show(planned: PlannedPreview): PromotionPanel {
    const panel = this.open(planned.target);
    panel.show(planned);
    return panel;
  }

  protected create(target: PreviewTarget, panel: vscode.WebviewPanel): PromotionPanel {
    return new PromotionPanel(target, panel, this.options);
  }
}

/** Restores previews after a window reload (the `onWebviewPanel:` activation event brings us up for it). */
export function registerPromotionPanelSerializer(panels: PromotionPanels): vscode.Disposable {
  return registerPanelSerializer(PROMOTION_PREVIEW_VIEW_TYPE, panels);
}
