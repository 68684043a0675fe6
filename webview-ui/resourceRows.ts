// One row of the report per resource, and its expanded detail: the field-level side-by-side table.
// Rows are plain elements with `data-action` attributes; main.ts handles every click in one
// delegated listener, so a page of 100 rows costs no listeners of its own.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { h, type Child } from './dom';
import { fieldCountLabel, resourceLocation, resourceName, statusHint, STATUS_GLYPH, statusLabel, syncLabel, valueLabel } from './format';
import type { FieldView, ReportViewModel, ResourceView } from './protocol';

/** Fields shown before "Show all N fields": a generated object can differ in thousands of places. */
export const FIELD_PAGE = 200;

export interface RowContext {
  report: ReportViewModel;
  expanded: ReadonlySet<string>;
  /** Resources whose every field is shown (past FIELD_PAGE). */
  allFields: ReadonlySet<string>;
}

export function canSyncResource(report: ReportViewModel, resource: ResourceView): boolean {
  return report.canSync && !report.readOnly && (resource.status === 'Drifted' || resource.status === 'Missing');
}

export function canAcceptLive(report: ReportViewModel, resource: ResourceView): boolean {
  return report.target.kind === 'drift' && !report.readOnly && resource.status === 'Drifted' && resource.file !== undefined;
}

/**
 * The order the two sides are shown in. A change's impact keeps its head in column A (so an added
 * object is "only in A", as Git's side is in a drift report) but reads before → after, like its
 * diff editor (base on the left): there B is shown first.
 */
export function shownSides(report: Pick<ReportViewModel, 'target'>): readonly ['a', 'b'] | readonly ['b', 'a'] {
  return report.target.kind === 'preview' ? (['b', 'a'] as const) : (['a', 'b'] as const);
}

function canDiff(resource: ResourceView): boolean {
  return resource.status !== 'Unknown' && resource.status !== 'Invalid';
}

/** DOM id of a row's detail, for `aria-controls`; keys hold `/`, which ids allow, but not spaces. */
function detailId(resource: ResourceView): string {
  return `detail-${encodeURIComponent(resource.key)}`;
}

export function renderRow(resource: ResourceView, ctx: RowContext): HTMLElement {
  const { report } = ctx;
  const expanded = ctx.expanded.has(resource.key);
  const location = resourceLocation(resource);
  const count = fieldCountLabel(resource);
  return h(
    'div',
    { class: `row status-${resource.status}${expanded ? ' expanded' : ''}`, role: 'listitem', 'data-key': resource.key },
    h(
      'div',
      { class: 'row-head' },
      h(
        'button',
        { class: 'toggle', 'data-action': 'toggle', 'aria-expanded': String(expanded), 'aria-controls': detailId(resource), title: statusHint(resource.status, report.target) },
        h('span', { class: 'chevron', 'aria-hidden': 'true' }, expanded ? '▾' : '▸'),
        h('span', { class: 'glyph', 'aria-hidden': 'true' }, STATUS_GLYPH[resource.status]),
        h('span', { class: 'status' }, statusLabel(resource.status, report.target)),
        h('span', { class: 'kind' }, resource.kind),
        h('span', { class: 'name' }, resourceName(resource)),
        count !== '' && h('span', { class: 'count' }, count),
        resource.approximate && h('span', { class: 'approx', title: 'Compared locally: admission webhooks and server defaults may change the result' }, '≈'),
      ),
      location !== undefined &&
        h('button', { class: 'link location', 'data-action': 'openFile', 'data-line': String(resource.line ?? 1), title: `Open ${location}` }, location),
      h(
        'span',
        { class: 'row-actions' },
        canDiff(resource) && h('button', { class: 'action', 'data-action': 'diff', title: 'Open in the diff editor' }, 'Diff'),
        // Short in the row (the detail and the toolbar say "Ask Argo CD to sync" in full).
        canSyncResource(report, resource) && h('button', { class: 'action', 'data-action': 'sync', 'data-mutating': true, title: syncLabel(report) }, 'Sync'),
      ),
    ),
    expanded && renderDetail(resource, ctx),
  );
}

function detailSummary(resource: ResourceView, report: ReportViewModel): Child {
  switch (resource.status) {
    case 'Unknown':
      return h('p', { class: 'reason' }, resource.reason ?? 'Could not be compared.');
    case 'Invalid':
      return h('p', { class: 'reason' }, resource.reason ?? 'The API server would refuse it.');
    case 'Drifted':
      return null;
    default: {
      const ignored = resource.ignored > 0 ? ` ${resource.ignored} difference${resource.ignored === 1 ? '' : 's'} ignored by rules.` : '';
      return h('p', { class: 'summary' }, `${statusHint(resource.status, report.target)}.${ignored}`);
    }
  }
}

function renderDetail(resource: ResourceView, ctx: RowContext): HTMLElement {
  const { report } = ctx;
  return h(
    'div',
    { class: 'detail', id: detailId(resource) },
    detailSummary(resource, report),
    resource.fields.length > 0 && renderFieldTable(resource, ctx),
    h(
      'div',
      { class: 'detail-actions' },
      canDiff(resource) && h('vscode-button', { secondary: true, 'data-action': 'diff' }, 'Open diff'),
      resource.file !== undefined && h('vscode-button', { secondary: true, 'data-action': 'openFile', 'data-line': String(resource.line ?? 1) }, 'Open file'),
      canSyncResource(report, resource) && h('vscode-button', { 'data-action': 'sync', 'data-mutating': true }, syncLabel(report)),
    ),
  );
}

function renderFieldTable(resource: ResourceView, ctx: RowContext): HTMLElement {
  const { report } = ctx;
  const accept = canAcceptLive(report, resource);
  const all = ctx.allFields.has(resource.key) || resource.fields.length <= FIELD_PAGE;
  const fields = all ? resource.fields : resource.fields.slice(0, FIELD_PAGE);
  const table = h(
    'table',
    { class: 'fields' },
    h('caption', { class: 'visually-hidden' }, `Differing fields of ${resource.kind} ${resourceName(resource)}`),
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, 'Path'), ...shownSides(report).map((side) => h('th', { scope: 'col' }, report.columns[side])), accept && h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions'))),
    ),
    h('tbody', {}, ...fields.map((field) => renderFieldRow(field, resource, report, accept))),
  );
  if (all) return table;
  return h(
    'div',
    {},
    table,
    h('button', { class: 'link more-fields', 'data-action': 'allFields' }, `Show all ${resource.fields.length} fields`),
  );
}

function renderFieldRow(field: FieldView, resource: ResourceView, report: ReportViewModel, accept: boolean): HTMLElement {
  const cell = (side: 'a' | 'b'): HTMLElement => {
    const value = valueLabel(field[side], report.columns[side]);
    return h('td', { class: `cell side-${side} ${value.style}` }, value.text);
  };
  const who = [field.manager && `by ${field.manager}`, field.changedAt].filter(Boolean).join(' · ');
  // The line that sets the value: in an overlay's file when blame names one, else in the resource's file.
  const file = field.file ?? resource.file;
  const path =
    file !== undefined && field.line !== undefined
      ? h('button', { class: 'link path', 'data-action': 'openFile', 'data-line': String(field.line), ...(field.file !== undefined ? { 'data-file': field.file } : {}), title: `Open ${file}:${field.line}` }, field.path)
      : h('span', { class: 'path' }, field.path);
  return h(
    'tr',
    { class: `change-${field.change}` },
    h('td', { class: 'path-cell' }, path, who !== '' && h('div', { class: 'who' }, `changed ${who}`)),
    ...shownSides(report).map(cell),
    accept &&
      h(
        'td',
        { class: 'field-actions' },
        // Only a node Git declares can be edited in place: a field only live has no line to write.
        field.change === 'changed' &&
          h('vscode-button', { secondary: true, 'data-action': 'acceptLive', 'data-pointer': field.pointer, 'data-mutating': true, title: `Write the ${report.columns.b.toLowerCase()} value into ${resource.file ?? 'the file'}` }, 'Accept live'),
        field.change === 'notInLive' &&
          h('vscode-button', { secondary: true, 'data-action': 'acceptLive', 'data-pointer': field.pointer, 'data-mutating': true, title: `The cluster does not have it: remove it from ${resource.file ?? 'the file'}` }, 'Remove from file'),
      ),
  );
}
