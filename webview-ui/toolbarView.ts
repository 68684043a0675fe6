// Search, filters and bulk actions. The controls are created once and only their options and values
// change afterwards: re-creating a text field on every keystroke would steal the user's focus.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { h, replaceChildren } from './dom';
import { statusLabel, syncLabel } from './format';
import { REPORT_STATUSES, type ReportViewModel } from './protocol';
import { CLUSTER_SCOPED, type Facet, type ReportIndex } from './resourceFilter';
import { isStatusFilter, type UiState } from './uiState';

export interface ToolbarEvents {
  search(text: string): void;
  filter(change: Partial<Pick<UiState, 'status' | 'kind' | 'namespace'>>): void;
  compare(from: string, to: string): void;
}

interface Choice {
  value: string;
  label: string;
}

/** Waits this long after the last keystroke before filtering: typing stays smooth on 1,000 rows. */
const SEARCH_DEBOUNCE_MS = 120;

export class Toolbar {
  readonly element: HTMLElement;
  private readonly search: VscodeTextfield;
  private readonly status: VscodeSingleSelect;
  private readonly kind: VscodeSingleSelect;
  private readonly namespace: VscodeSingleSelect;
  private readonly compareA: VscodeSingleSelect;
  private readonly compareB: VscodeSingleSelect;
  /** "Compare with…" (or A vs B): placed by the caller, in the title row. */
  readonly compareBox: HTMLElement;
  private readonly syncButton: HTMLElement;
  /** Option lists last rendered per select, so an unchanged list is not rebuilt. */
  private readonly rendered = new WeakMap<VscodeSingleSelect, string>();
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private report: ReportViewModel | undefined;

  constructor(private readonly events: ToolbarEvents) {
    this.search = h('vscode-textfield', { type: 'search', placeholder: 'Search kind, name, field, value', label: 'Search resources', class: 'search' });
    this.status = h('vscode-single-select', { label: 'Status' });
    this.kind = h('vscode-single-select', { label: 'Kind' });
    this.namespace = h('vscode-single-select', { label: 'Namespace' });
    this.compareA = h('vscode-single-select', { label: 'Compare environment A' });
    this.compareB = h('vscode-single-select', { label: 'Compare environment B' });
    this.compareBox = h('span', { class: 'compare' });
    this.syncButton = h('vscode-button', { 'data-action': 'syncShown', 'data-mutating': true, hidden: true });
    this.element = h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Filters and actions' },
      this.search,
      this.status,
      this.kind,
      this.namespace,
      h('vscode-button', { secondary: true, 'data-action': 'expandAll' }, 'Expand all'),
      h('vscode-button', { secondary: true, 'data-action': 'collapseAll' }, 'Collapse all'),
      this.syncButton,
    );

    this.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.events.search(this.search.value), SEARCH_DEBOUNCE_MS);
    });
    this.status.addEventListener('change', () => {
      if (isStatusFilter(this.status.value)) this.events.filter({ status: this.status.value });
    });
    this.kind.addEventListener('change', () => this.events.filter({ kind: this.kind.value }));
    this.namespace.addEventListener('change', () => this.events.filter({ namespace: this.namespace.value }));
    this.compareA.addEventListener('change', () => this.requestCompare());
    this.compareB.addEventListener('change', () => this.requestCompare());
  }

  update(report: ReportViewModel, index: ReportIndex, ui: UiState, syncable: number): void {
    this.report = report;
    if (this.search.value !== ui.search) this.search.value = ui.search;
    const changed = report.resources.length - report.counts.InSync;
    this.setChoices(
      this.status,
      [
        { value: 'changed', label: `${report.target.kind === 'drift' ? 'Not in sync' : report.target.kind === 'preview' ? 'Changed' : 'Not the same'} (${changed})` },
        { value: 'all', label: `All statuses (${report.resources.length})` },
        ...REPORT_STATUSES.map((s) => ({ value: s, label: `${statusLabel(s, report.target)} (${report.counts[s]})` })),
      ],
      ui.status,
    );
    this.setChoices(this.kind, [{ value: '', label: 'All kinds' }, ...facetChoices(index.kinds, ui.kind, (v) => v, '')], ui.kind);
    // Live objects without a namespace are cluster-scoped; in Git (a comparison or a change
    // preview) an object may just leave its namespace to the environment.
    const none = report.target.kind === 'drift' ? '(cluster-scoped)' : '(no namespace)';
    this.setChoices(this.namespace, [{ value: '', label: 'All namespaces' }, ...facetChoices(index.namespaces, ui.namespace, namespaceFilterValue, none)], ui.namespace);
    this.updateSync(report, syncable);
    this.updateCompare(report);
  }

  private updateSync(report: ReportViewModel, syncable: number): void {
    const show = report.canSync && !report.readOnly && syncable > 0;
    this.syncButton.hidden = !show;
    if (show) this.syncButton.textContent = `${syncLabel(report)}: ${syncable} shown`;
  }

  private updateCompare(report: ReportViewModel): void {
    const envs = report.environments.map((e) => ({ value: e, label: e }));
    if (report.target.kind === 'drift') {
      const others = envs.filter((e) => e.value !== (report.target.kind === 'drift' ? report.target.environment : ''));
      if (others.length === 0) {
        replaceChildren(this.compareBox);
        return;
      }
      this.setChoices(this.compareB, [{ value: '', label: 'Compare with…' }, ...others], '');
      if (this.compareBox.firstChild !== this.compareB || this.compareBox.childNodes.length !== 1) replaceChildren(this.compareBox, this.compareB);
      return;
    }
    if (report.target.kind === 'preview') {
      // A change's impact has nothing to pick: its base and head come from the pull request or branch.
      replaceChildren(this.compareBox);
      return;
    }
    this.setChoices(this.compareA, envs, report.target.from);
    this.setChoices(this.compareB, envs, report.target.to);
    if (this.compareBox.childNodes.length !== 3) replaceChildren(this.compareBox, this.compareA, h('span', { class: 'versus' }, 'vs'), this.compareB);
  }

  private requestCompare(): void {
    const report = this.report;
    if (!report) return;
    const { target } = report;
    if (target.kind === 'preview') return;
    const from = target.kind === 'drift' ? target.environment : this.compareA.value;
    const to = this.compareB.value;
    if (to === '' || from === to) return;
    if (target.kind === 'drift') this.compareB.value = '';
    else if (from === target.from && to === target.to) return;
    this.events.compare(from, to);
  }

  private setChoices(select: VscodeSingleSelect, choices: readonly Choice[], value: string): void {
    const signature = choices.map((c) => `${c.value}\u0000${c.label}`).join('\u0001');
    if (this.rendered.get(select) !== signature) {
      this.rendered.set(select, signature);
      replaceChildren(select, ...choices.map((c) => h('vscode-option', { value: c.value }, c.label)));
    }
    if (select.value !== value) select.value = value;
  }
}

/** Filter value of a namespace facet: cluster-scoped objects ('' namespace) get their own value. */
function namespaceFilterValue(namespace: string): string {
  return namespace === '' ? CLUSTER_SCOPED : namespace;
}

function facetLabel(filterValue: string, none: string): string {
  return filterValue === CLUSTER_SCOPED ? none : filterValue;
}

/**
 * One choice per facet, labelled with its count. A value that the saved UI state selects but the
 * report no longer has stays listed (with 0), so the select shows what actually filters the list.
 */
function facetChoices(facets: readonly Facet[], selected: string, toFilterValue: (facet: string) => string, none: string): Choice[] {
  const list = facets.map((f) => {
    const value = toFilterValue(f.value);
    return { value, label: `${facetLabel(value, none)} (${f.count})` };
  });
  if (selected !== '' && !list.some((c) => c.value === selected)) list.push({ value: selected, label: `${facetLabel(selected, none)} (0)` });
  return list;
}
