// The resource list: one page of filtered rows, the empty states and the "show more" footer. Only
// `limit` rows exist in the DOM (a page of 100 by default), which keeps a 1,000-resource report
// as light as a 100-resource one until the user asks for more.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { h, replaceChildren } from './dom';
import type { ReportViewModel, ResourceView } from './protocol';
import { pageRows } from './resourceFilter';
import { renderRow, type RowContext } from './resourceRows';
import { PAGE_SIZE, type UiState } from './uiState';

export function renderLoading(list: HTMLElement, footer: HTMLElement): void {
  replaceChildren(list, h('div', { class: 'empty', role: 'status' }, h('vscode-progress-bar', { indeterminate: true, 'aria-label': 'Loading' }), h('p', {}, 'Computing the report…')));
  replaceChildren(footer);
}

function emptyState(report: ReportViewModel, ui: UiState): HTMLElement {
  if (report.resources.length === 0) return h('div', { class: 'empty' }, h('p', {}, 'No resources.'));
  const filtersOnlyHideInSync = ui.status === 'changed' && ui.kind === '' && ui.namespace === '' && ui.search === '';
  if (filtersOnlyHideInSync) {
    const { target } = report;
    const message =
      target.kind === 'drift' ? 'Every resource matches Git' : target.kind === 'preview' ? `The change leaves every resource of ${target.environment} as it is` : `Every resource is the same in ${target.from} and ${target.to}`;
    return h('div', { class: 'empty' }, h('p', {}, `${message} (${report.resources.length}).`), h('vscode-button', { secondary: true, 'data-action': 'showInSync' }, 'Show all resources'));
  }
  return h('div', { class: 'empty' }, h('p', {}, 'No resources match the filters.'), h('vscode-button', { secondary: true, 'data-action': 'clearFilters' }, 'Clear filters'));
}

export function renderList(list: HTMLElement, footer: HTMLElement, rows: readonly ResourceView[], ui: UiState, ctx: RowContext): void {
  if (rows.length === 0) {
    replaceChildren(list, emptyState(ctx.report, ui));
    replaceChildren(footer);
    return;
  }
  const page = pageRows(rows, ui.limit);
  replaceChildren(list, ...page.shown.map((row) => renderRow(row, ctx)));
  renderFooter(footer, page.shown.length, rows.length);
}

export function renderFooter(footer: HTMLElement, shown: number, total: number): void {
  const remaining = total - shown;
  replaceChildren(
    footer,
    h('span', { class: 'shown', role: 'status' }, `Showing ${shown} of ${total}`),
    remaining > 0 && h('vscode-button', { secondary: true, 'data-action': 'showMore' }, `Show ${Math.min(PAGE_SIZE, remaining)} more`),
    remaining > PAGE_SIZE && h('vscode-button', { secondary: true, 'data-action': 'showAll' }, `Show all ${total}`),
  );
}
