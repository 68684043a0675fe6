// Entry point of the promotion preview webview. It says `ready`, renders what the host sends
// (after validating it), and sends the user's ticks and the final "Open Pull Request" back. Only
// UI state is persisted (edited text, open diffs, scroll); the plan always comes from the host.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import { h } from '../dom';
import { FILE_PAGE, renderFiles, renderImages } from './changesView';
import { renderCommits } from './commitsView';
import { renderNotices, renderSummary, renderTitle, type Transient } from './headerView';
import { actionOrigin, connectToHost, keepingFocus, SavedView, startSession, type HostChannel } from '../shared/hostSession';
import { isHostMessage, previewTargetKey, type HostToWebview, type PreviewTarget, type PreviewViewModel, type WebviewToHost } from './protocol';
import { PullRequestForm } from './pullRequestForm';
import { renderLive } from './liveView';
import { renderRendered } from './renderedView';
import { renderValues, renderWarnings } from './valuesView';
import { defaultPreviewUiState, isPersistedPreviewState, MAX_EXPANDED, type PersistedPreviewState, type PreviewUiState } from './uiState';

const SAVE_DEBOUNCE_MS = 250;

class PreviewApp {
  private model: PreviewViewModel | undefined;
  private readonly view: SavedView<PreviewTarget, PreviewUiState>;
  private fileLimit = FILE_PAGE;
  private readonly transient: Transient = { busy: '', error: '' };
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  private readonly titleEl = h('div', { class: 'title' });
  private readonly noticesEl = h('div', { class: 'notices' });
  private readonly summaryEl = h('div', { class: 'summary', role: 'group', 'aria-label': 'Summary' });
  private readonly warningsEl = h('section', { class: 'warnings', 'aria-label': 'Warnings', hidden: true });
  private readonly filesEl = h('section', { class: 'files', 'aria-label': 'Files' });
  private readonly valuesEl = h('section', { class: 'values', 'aria-label': 'Values', hidden: true });
  private readonly imagesEl = h('section', { class: 'images', 'aria-label': 'Images', hidden: true });
  private readonly commitsEl = h('section', { class: 'commits', 'aria-label': 'Commits' });
  private readonly renderedEl = h('section', { class: 'rendered', 'aria-label': 'Rendered change' });
  private readonly liveEl = h('section', { class: 'live', 'aria-label': 'Live impact' });
  private readonly bodyEl = h('div', { class: 'content', hidden: true });
  private readonly form: PullRequestForm;

  constructor(
    private readonly host: HostChannel<WebviewToHost, PersistedPreviewState>,
    root: HTMLElement,
  ) {
    this.view = new SavedView(host.loadState(), { defaults: defaultPreviewUiState, key: previewTargetKey, maxExpanded: MAX_EXPANDED });
    const { ui } = this.view;
    this.form = new PullRequestForm({ title: ui.title, body: ui.body }, (text) => {
      this.view.ui = { ...this.view.ui, ...text };
      this.save();
    });
    this.bodyEl.append(this.warningsEl, this.summaryEl, this.filesEl, this.valuesEl, this.imagesEl, this.commitsEl, this.renderedEl, this.liveEl, this.form.element, this.form.actions);
    root.replaceChildren(
      h(
        'header',
        { class: 'top' },
        h('div', { class: 'title-row' }, this.titleEl, h('vscode-button', { secondary: true, 'data-action': 'refresh', title: 'Plan again from the current branches' }, 'Refresh')),
        this.noticesEl,
      ),
      this.bodyEl,
    );
    renderTitle(this.titleEl, undefined);
    renderNotices(this.noticesEl, undefined, { busy: 'Loading the plan…', error: '' });

    document.addEventListener('click', (event) => this.onClick(event));
    document.addEventListener('change', (event) => this.onChange(event));
    window.addEventListener('scroll', () => this.onScroll(), { passive: true });
    startSession(this.host, isHostMessage, (message) => this.handle(message));
  }

  private handle(message: HostToWebview): void {
    switch (message.type) {
      case 'preview':
        this.setModel(message.model);
        break;
      case 'busy':
        this.transient.busy = message.text;
        document.body.classList.toggle('busy', message.text !== '');
        renderNotices(this.noticesEl, this.model, this.transient);
        if (this.model) this.form.update(this.model, this.transient.busy !== '');
        break;
      case 'error':
        this.transient.error = message.message;
        renderNotices(this.noticesEl, this.model, this.transient);
        break;
    }
  }

  private setModel(model: PreviewViewModel): void {
    // Another plan in this panel: the saved edits belong to the old one.
    this.view.show(model.target);
    this.model = model;
    this.transient.error = '';
    const paths = new Set(model.files.map((f) => f.path));
    this.view.pruneExpanded((path) => paths.has(path));
    this.keepingFocus(() => this.renderAll());
    this.view.restoreScroll();
    this.save();
  }

  private readOnly(model: PreviewViewModel): boolean {
    return model.outcome !== null || model.alreadyInSync || (model.executeBlocked?.startsWith('Restricted Mode') ?? false);
  }

  private renderAll(): void {
    const model = this.model;
    renderTitle(this.titleEl, model);
    renderNotices(this.noticesEl, model, this.transient);
    if (!model) return;
    this.bodyEl.hidden = false;
    renderSummary(this.summaryEl, model);
    this.renderChanges();
    renderCommits(this.commitsEl, model);
    renderRendered(this.renderedEl, model);
    this.renderedEl.hidden = model.alreadyInSync;
    renderLive(this.liveEl, model);
    this.liveEl.hidden = model.alreadyInSync;
    this.form.update(model, this.transient.busy !== '');
  }

  private renderChanges(): void {
    const model = this.model;
    if (!model) return;
    const readOnly = this.readOnly(model);
    this.filesEl.hidden = model.alreadyInSync && model.files.length === 0;
    renderWarnings(this.warningsEl, model, readOnly);
    renderFiles(this.filesEl, model, { expanded: this.view.expanded, limit: this.fileLimit, readOnly });
    renderValues(this.valuesEl, model, readOnly);
    renderImages(this.imagesEl, model, readOnly);
  }

  private onChange(event: Event): void {
    const box = event.target instanceof Element ? event.target.closest('vscode-checkbox[data-action]') : null;
    if (!box || !this.model) return;
    const checked = (box as VscodeCheckbox).checked;
    const action = box.getAttribute('data-action');
    if (action === 'toggleFile') {
      const path = box.getAttribute('data-path');
      if (path !== null) this.host.post({ type: 'select', what: 'file', keys: [path], selected: checked });
    } else if (action === 'toggleImage') {
      const id = box.getAttribute('data-id');
      if (id !== null) this.host.post({ type: 'select', what: 'image', keys: [id], selected: checked });
    } else if (action === 'toggleValue') {
      const id = box.getAttribute('data-id');
      if (id !== null) this.host.post({ type: 'select', what: 'value', keys: [id], selected: checked });
    } else if (action === 'allowIdentityChange') {
      this.host.post({ type: 'allowIdentityChange', allowed: checked });
    }
  }

  private onClick(event: MouseEvent): void {
    const origin = actionOrigin(event);
    if (!origin) return;
    const model = this.model;
    switch (origin.dataset.action) {
      case 'refresh':
        this.host.post({ type: 'refresh' });
        return;
      case 'dismissError':
        this.transient.error = '';
        renderNotices(this.noticesEl, model, this.transient);
        return;
      case 'toggleDiff': {
        const path = origin.dataset.path;
        if (path === undefined) return;
        this.view.toggle(path);
        this.keepingFocus(() => this.renderChanges());
        this.save();
        return;
      }
      case 'selectAllFiles':
      case 'selectNoFiles': {
        if (!model) return;
        const selected = origin.dataset.action === 'selectAllFiles';
        const keys = model.files.filter((f) => f.selected !== selected).map((f) => f.path);
        if (keys.length > 0) this.host.post({ type: 'select', what: 'file', keys, selected });
        return;
      }
      case 'showAllFiles':
        this.fileLimit = Number.MAX_SAFE_INTEGER;
        this.renderChanges();
        return;
      case 'resetBody':
        this.form.resetBody();
        return;
      case 'execute':
        if (model && model.executeBlocked === null && this.transient.busy === '') this.host.post({ type: 'execute', ...this.form.values() });
        return;
      case 'openOutcome':
        this.host.post({ type: 'openOutcome' });
        return;
    }
  }

  /** Focus stays on the element with the same action on the same file or image. */
  private keepingFocus(render: () => void): void {
    keepingFocus(render, focusSelector);
  }

  private onScroll(): void {
    this.view.ui = { ...this.view.ui, scrollY: Math.max(0, Math.round(window.scrollY)) };
    this.save();
  }

  private save(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.host.saveState(this.view.snapshot()), SAVE_DEBOUNCE_MS);
  }
}

function focusSelector(active: HTMLElement, action: string): string {
  const selector = `[data-action="${CSS.escape(action)}"]`;
  if (active.dataset.path !== undefined) return `${selector}[data-path="${CSS.escape(active.dataset.path)}"]`;
  if (active.dataset.id !== undefined) return `${selector}[data-id="${CSS.escape(active.dataset.id)}"]`;
  return selector;
}

const root = document.getElementById('app');
if (root) new PreviewApp(connectToHost(isPersistedPreviewState), root);
