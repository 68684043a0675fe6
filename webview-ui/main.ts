// Entry point of the drift report webview. It says `ready`, renders what the host sends (after
// validating it), and sends user actions back. Only UI state is persisted: the data always comes
// fresh from the host, which recomputes or replays it after `ready`.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { h } from './dom';
import { renderCounts, renderNotices, renderTitle, type Transient } from './headerView';
import { renderList, renderLoading } from './listView';
import { isHostMessage, targetKey, type HostToWebview, type ReportTarget, type ReportViewModel, type ResourceView, type WebviewToHost } from './protocol';
import { filterRows, indexReport, syncableKeys, type ReportIndex } from './resourceFilter';
import { renderRow, type RowContext } from './resourceRows';
import { Toolbar } from './toolbarView';
import { actionOrigin, connectToHost, keepingFocus, SavedView, startSession, type HostChannel } from './shared/hostSession';
import { defaultUiState, isPersistedState, isStatusFilter, MAX_EXPANDED, PAGE_SIZE, type PersistedState, type UiState } from './uiState';

const SCROLL_SAVE_MS = 200;

class ReportApp {
  private report: ReportViewModel | undefined;
  private index: ReportIndex | undefined;
  private byKey = new Map<string, ResourceView>();
  private filtered: ResourceView[] = [];
  private readonly view: SavedView<ReportTarget, UiState>;
  private readonly allFields = new Set<string>();
  private readonly transient: Transient = { busy: '', error: '' };
  private scrollTimer: ReturnType<typeof setTimeout> | undefined;

  private readonly titleEl = h('div', { class: 'title' });
  private readonly noticesEl = h('div', { class: 'notices' });
  private readonly countsEl = h('div', { class: 'counts', role: 'group', 'aria-label': 'Counts by status' });
  private readonly listEl = h('div', { class: 'list', role: 'list', 'aria-label': 'Resources' });
  private readonly footerEl = h('div', { class: 'footer' });
  private readonly toolbar: Toolbar;

  constructor(
    private readonly host: HostChannel<WebviewToHost, PersistedState>,
    root: HTMLElement,
  ) {
    this.view = new SavedView(host.loadState(), { defaults: defaultUiState, key: targetKey, maxExpanded: MAX_EXPANDED });
    this.toolbar = new Toolbar({
      search: (text) => this.setFilter({ search: text }),
      filter: (change) => this.setFilter(change),
      compare: (from, to) => this.host.post({ type: 'requestCompare', from, to }),
    });
    root.replaceChildren(
      h(
        'header',
        { class: 'top' },
        h('div', { class: 'title-row' }, this.titleEl, this.toolbar.compareBox, h('vscode-button', { secondary: true, 'data-action': 'refresh', title: 'Compute the report again' }, 'Refresh')),
        this.noticesEl,
      ),
      h('div', { class: 'filter-bar' }, this.countsEl, this.toolbar.element),
      this.listEl,
      this.footerEl,
    );
    renderTitle(this.titleEl, undefined);
    renderLoading(this.listEl, this.footerEl);

    document.addEventListener('click', (event) => this.onClick(event));
    window.addEventListener('scroll', () => this.onScroll(), { passive: true });
    startSession(this.host, isHostMessage, (message) => this.handle(message));
  }

  private handle(message: HostToWebview): void {
    switch (message.type) {
      case 'report':
        this.setReport(message.report);
        break;
      case 'busy':
        this.transient.busy = message.text;
        document.body.classList.toggle('busy', message.text !== '');
        renderNotices(this.noticesEl, this.report, this.transient);
        break;
      case 'error':
        this.transient.error = message.message;
        this.transient.busy = '';
        document.body.classList.remove('busy');
        renderNotices(this.noticesEl, this.report, this.transient);
        break;
    }
  }

  private setReport(report: ReportViewModel): void {
    // Another report in this panel: the saved filters belong to the old one.
    this.view.show(report.target);
    this.report = report;
    this.byKey = new Map(report.resources.map((r) => [r.key, r]));
    this.view.pruneExpanded((key) => this.byKey.has(key));
    this.index = indexReport(report.resources);
    this.filtered = filterRows(this.index, this.view.ui);
    this.keepingFocus(() => this.renderAll());
    this.view.restoreScroll();
    this.save();
  }

  private rowContext(report: ReportViewModel): RowContext {
    return { report, expanded: this.view.expanded, allFields: this.allFields };
  }

  private renderAll(): void {
    renderTitle(this.titleEl, this.report);
    renderNotices(this.noticesEl, this.report, this.transient);
    this.renderFiltered();
  }

  /** Everything that depends on the filters: counts (pressed chip), toolbar, list. */
  private renderFiltered(): void {
    const { report, index } = this;
    if (!report || !index) return;
    const { ui } = this.view;
    renderCounts(this.countsEl, report, ui.status);
    this.toolbar.update(report, index, ui, syncableKeys(this.filtered).length);
    renderList(this.listEl, this.footerEl, this.filtered, ui, this.rowContext(report));
  }

  private setFilter(change: Partial<Pick<UiState, 'status' | 'kind' | 'namespace' | 'search'>>): void {
    this.view.ui = { ...this.view.ui, ...change, limit: PAGE_SIZE, scrollY: 0 };
    if (this.index) this.filtered = filterRows(this.index, this.view.ui);
    this.keepingFocus(() => this.renderFiltered());
    window.scrollTo(0, 0);
    this.save();
  }

  private onClick(event: MouseEvent): void {
    const origin = actionOrigin(event);
    if (!origin) return;
    // One write at a time: the host refuses a second one anyway, this spares a confusing error.
    if (origin.hasAttribute('data-mutating') && this.transient.busy !== '') return;
    const key = origin.closest('[data-key]')?.getAttribute('data-key') ?? undefined;
    this.act(origin.dataset.action ?? '', origin, key === undefined ? undefined : this.byKey.get(key));
  }

  private act(action: string, origin: HTMLElement, resource: ResourceView | undefined): void {
    switch (action) {
      case 'toggle':
        if (resource) this.toggle(resource);
        return;
      case 'allFields':
        if (resource) {
          this.allFields.add(resource.key);
          this.rerenderRow(resource);
        }
        return;
      case 'openFile': {
        const line = Number(origin.dataset.line ?? '1');
        const file = origin.dataset.file ?? resource?.file;
        if (file !== undefined) this.host.post({ type: 'openFile', file, line: Number.isInteger(line) && line > 0 ? line : 1 });
        return;
      }
      case 'diff':
        if (resource) this.host.post({ type: 'openDiff', key: resource.key });
        return;
      case 'sync':
        if (resource) this.host.post({ type: 'sync', keys: [resource.key] });
        return;
      case 'syncShown': {
        const keys = syncableKeys(this.filtered);
        if (keys.length > 0) this.host.post({ type: 'sync', keys });
        return;
      }
      case 'acceptLive': {
        const pointer = origin.dataset.pointer;
        if (resource && pointer !== undefined) this.host.post({ type: 'acceptLive', key: resource.key, pointer });
        return;
      }
      case 'refresh':
        this.host.post({ type: 'refresh' });
        return;
      case 'dismissError':
        this.transient.error = '';
        renderNotices(this.noticesEl, this.report, this.transient);
        return;
      default:
        this.actOnList(action, origin);
    }
  }

  /** Actions that change which rows are shown or expanded. */
  private actOnList(action: string, origin: HTMLElement): void {
    switch (action) {
      case 'status': {
        const status = origin.dataset.status;
        // Pressing the active chip again goes back to the default view.
        if (isStatusFilter(status)) this.setFilter({ status: this.view.ui.status === status ? 'changed' : status });
        return;
      }
      case 'showInSync':
        this.setFilter({ status: 'all' });
        return;
      case 'clearFilters':
        this.setFilter({ status: 'all', kind: '', namespace: '', search: '' });
        return;
      case 'expandAll':
        for (const row of this.filtered.slice(0, MAX_EXPANDED)) this.view.expanded.add(row.key);
        this.keepingFocus(() => this.renderFiltered());
        this.save();
        return;
      case 'collapseAll':
        this.view.expanded.clear();
        this.keepingFocus(() => this.renderFiltered());
        this.save();
        return;
      case 'showMore':
      case 'showAll':
        this.view.ui = { ...this.view.ui, limit: action === 'showAll' ? this.filtered.length : this.view.ui.limit + PAGE_SIZE };
        this.keepingFocus(() => this.renderFiltered());
        this.save();
        return;
    }
  }

  private toggle(resource: ResourceView): void {
    this.view.toggle(resource.key);
    this.rerenderRow(resource);
    this.save();
  }

  private rerenderRow(resource: ResourceView): void {
    if (!this.report) return;
    const old = [...this.listEl.children].find((el) => el.getAttribute('data-key') === resource.key);
    if (!old) return;
    this.keepingFocus(() => old.replaceWith(renderRow(resource, this.rowContext(this.report as ReportViewModel))));
  }

  /** Focus stays on the element with the same action, row, status chip or field. */
  private keepingFocus(render: () => void): void {
    keepingFocus(render, focusSelector);
  }

  private onScroll(): void {
    clearTimeout(this.scrollTimer);
    this.scrollTimer = setTimeout(() => {
      this.view.ui = { ...this.view.ui, scrollY: Math.max(0, Math.round(window.scrollY)) };
      this.save();
    }, SCROLL_SAVE_MS);
  }

  private save(): void {
    this.host.saveState(this.view.snapshot());
  }
}

function attributeSelector(name: string, value: string | null | undefined): string {
  return value === null || value === undefined ? '' : `[${name}="${CSS.escape(value)}"]`;
}

function focusSelector(active: HTMLElement, action: string): string {
  const row = active.closest('[data-key]');
  const inRow = row ? `[data-key="${CSS.escape(row.getAttribute('data-key') ?? '')}"] ` : '';
  return `${inRow}[data-action="${CSS.escape(action)}"]${attributeSelector('data-status', active.dataset.status)}${attributeSelector('data-pointer', active.dataset.pointer)}`;
}

const root = document.getElementById('app');
if (root) new ReportApp(connectToHost(isPersistedState), root);
