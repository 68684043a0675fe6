// The state behind one preview panel: the plan with the user's ticks, where the rendered
// comparison stands, and what happened when it ran. Pure (no `vscode`, no Git): the panel feeds it
// messages and the results of async work, and reads view models back, so every selection rule is
// tested in plain Node.
import { reselectPlan, withPullRequestText, withRenderedDiff, type PlanSelection } from '../../core/promotion/buildPlan';
import type { PromotionPlan } from '../../core/promotion/promotionTypes';
import type { RenderedDiff } from '../../core/promotion/renderedDiff';
import { maskSecrets } from '../../core/secrets';
import type { OutcomeView, PreviewTarget, PreviewViewModel, SelectTarget } from '../../../webview-ui/promotion/protocol';
import type { EnvironmentPreview } from '../../core/preview/previewReport';
import { buildPreviewViewModel, type LiveState, type RenderState } from './previewViewModel';

export interface SessionOptions {
  hostName: string;
  /** Rendering is off for this window (Restricted Mode, setting): the reason to show. */
  renderOffReason: string | null;
  /** Running the plan is off for this window: the reason to show. */
  readOnlyReason: string | null;
  /**
   * Why the cluster is not asked what applying the rendered target would change (Restricted
   * Mode); null: asked once the render is ready. Absent: this window has no live check.
   */
  liveOffReason?: string | null;
}

export class PreviewSession {
  private current: PromotionPlan;
  private renderState: RenderState;
  private liveState: LiveState | undefined;
  /** Bumped whenever the plan changes: a rendering started for an older plan is dropped. */
  private generation = 0;
  private result: OutcomeView | null = null;

  constructor(
    readonly target: PreviewTarget,
    plan: PromotionPlan,
    private readonly options: SessionOptions,
  ) {
    // A plan may arrive already rendered (the CLI path); the preview renders it itself.
    this.current = { ...plan, rendered: null };
    this.renderState = this.initialRenderState();
    this.liveState = this.initialLiveState();
  }

  get plan(): PromotionPlan {
    return this.current;
  }

  get renderGeneration(): number {
    return this.generation;
  }

  get outcome(): OutcomeView | null {
    return this.result;
  }

  /** True when a rendering should start now (for `renderGeneration`). */
  get needsRender(): boolean {
    return this.renderState.state === 'pending';
  }

  /** True when the live impact should be asked for now (for `renderGeneration`): the render is ready, the cluster not yet asked. */
  get needsLive(): boolean {
    return this.liveState?.state === 'pending' && this.renderState.state === 'ready';
  }

  /** The rendered comparison the live check starts from; null until it is ready. */
  get renderedDiff(): RenderedDiff | null {
    return this.renderState.state === 'ready' ? this.renderState.diff : null;
  }

  private initialLiveState(): LiveState | undefined {
    const reason = this.options.liveOffReason;
    if (reason === undefined) return undefined;
    if (reason !== null) return { state: 'off', reason };
    if (this.renderState.state === 'off') return { state: 'off', reason: 'Nothing is rendered, so the cluster is not asked' };
    return { state: 'pending' };
  }

  private initialRenderState(): RenderState {
    if (this.options.renderOffReason) return { state: 'off', reason: this.options.renderOffReason };
    if (this.current.alreadyInSync) return { state: 'off', reason: 'Nothing changes, so nothing is rendered' };
    if (!this.current.files.some((f) => f.selected)) return { state: 'off', reason: 'No file is selected' };
    return { state: 'pending' };
  }

  /**
   * Ticks or unticks files or image changes. Keys the plan does not have are ignored (the panel's
   * policy refuses such messages before they get here). Returns true when the plan changed.
   */
  select(what: SelectTarget, keys: readonly string[], selected: boolean): boolean {
    if (this.result) return false;
    const plan = this.current;
    const wanted = new Set(keys);
    const selection: PlanSelection = {};
    if (what === 'file') {
      const files: Record<string, boolean> = {};
      for (const file of plan.files) if (wanted.has(file.path) && file.selected !== selected) files[file.path] = selected;
      if (Object.keys(files).length === 0) return false;
      selection.files = files;
    } else if (what === 'value') {
      const values: Record<string, boolean> = {};
      for (const value of plan.values) if (wanted.has(value.id) && value.selected !== selected) values[value.id] = selected;
      if (Object.keys(values).length === 0) return false;
      selection.values = values;
    } else {
      const images: Record<string, boolean> = {};
      for (const image of plan.images) if (wanted.has(image.id) && image.selected !== selected) images[image.id] = selected;
      if (Object.keys(images).length === 0) return false;
      selection.images = images;
    }
    // The rendered comparison belongs to the old ticks: drop it from the plan (and the body) now.
    this.current = reselectPlan({ ...plan, rendered: null }, selection);
    this.generation += 1;
    this.renderState = this.initialRenderState();
    this.liveState = this.initialLiveState();
    return true;
  }

  /**
   * The explicit "Allow identity change" tick. The rendering stays (the ticks did not change);
   * only the warnings' outcome and the body do. Returns true when the plan changed.
   */
  allowIdentityChange(allowed: boolean): boolean {
    if (this.result || this.current.allowIdentityChange === allowed) return false;
    this.current = reselectPlan(this.current, { allowIdentityChange: allowed });
    return true;
  }

  /** A rendering finished; ignored when the plan changed meanwhile. Returns true when applied. */
  rendered(generation: number, outcome: { diff: RenderedDiff } | { error: string }): boolean {
    if (generation !== this.generation || this.renderState.state !== 'pending') return false;
    if ('diff' in outcome) {
      this.current = withRenderedDiff(this.current, outcome.diff);
      this.renderState = { state: 'ready', diff: outcome.diff };
    } else {
      this.renderState = { state: 'failed', reason: outcome.error };
      if (this.liveState?.state === 'pending') this.liveState = { state: 'off', reason: 'The render failed, so the cluster is not asked' };
    }
    return true;
  }

  /**
   * The live check finished (what the cluster said, or why it could not be asked); ignored when
   * the plan changed meanwhile. Returns true when applied.
   */
  checkedLive(generation: number, outcome: { cluster: EnvironmentPreview['cluster'] } | { error: string }): boolean {
    if (generation !== this.generation || this.liveState?.state !== 'pending') return false;
    this.liveState = 'cluster' in outcome ? { state: 'done', cluster: outcome.cluster } : { state: 'done', cluster: { status: 'unreachable', objects: [], message: outcome.error } };
    return true;
  }

  /** The plan to run, with the title and description from the preview (secrets masked). */
  planToRun(text: { title: string; body: string }): PromotionPlan {
    return withPullRequestText(this.current, { title: maskSecrets(text.title), body: maskSecrets(text.body) });
  }

  finished(outcome: OutcomeView): void {
    this.result = outcome;
  }

  viewModel(): PreviewViewModel {
    return buildPreviewViewModel({
      target: this.target,
      plan: this.current,
      rendered: this.renderState,
      hostName: this.options.hostName,
      readOnlyReason: this.options.readOnlyReason,
      outcome: this.result,
      live: this.liveState,
    });
  }
}
