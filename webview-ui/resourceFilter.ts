// Filtering, search and paging of report rows. Pure, so it runs in plain Node tests; the webview
// calls it on every filter change and keystroke, so the per-resource work (lower-casing, joining
// the searchable text) happens once per report in `indexReport`, not once per keystroke.
import { REPORT_STATUSES, type ResourceView } from './protocol';
import type { StatusFilter } from './uiState';

export interface Facet {
  value: string;
  count: number;
}

export interface ReportIndex {
  /** Rows sorted by status (drifted first, in sync last), Git order within a status. */
  rows: ResourceView[];
  /** Lower-cased searchable text, parallel to `rows`. */
  haystacks: string[];
  kinds: Facet[];
  namespaces: Facet[];
}

/**
 * Namespace filter value for cluster-scoped objects ('' already means "every namespace"). Not a
 * valid namespace name (DNS labels start with a letter or digit), so it cannot collide.
 */
export const CLUSTER_SCOPED = '-';

export interface RowFilter {
  status: StatusFilter;
  kind: string;
  namespace: string;
  search: string;
}

/** Longest piece of one field value that search looks at: enough for an image tag or a host name. */
const SEARCHABLE_VALUE_CHARS = 200;

function haystackOf(resource: ResourceView): string {
  const parts = [resource.kind, `${resource.namespace}/${resource.name}`, resource.group, resource.status, resource.file ?? '', resource.reason ?? ''];
  for (const field of resource.fields) {
    parts.push(field.path);
    // Masked values carry no text, so a Secret's value can never be found by guessing it here.
    for (const side of [field.a, field.b]) if (side.kind === 'text') parts.push(side.text.slice(0, SEARCHABLE_VALUE_CHARS));
  }
  return parts.join('\n').toLowerCase();
}

function facets(values: Iterable<string>): Facet[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => ({ value, count })).sort((x, y) => x.value.localeCompare(y.value));
}

export function indexReport(resources: readonly ResourceView[]): ReportIndex {
  const rank = new Map(REPORT_STATUSES.map((status, i) => [status, i]));
  const rows = resources
    .map((resource, order) => ({ resource, order }))
    .sort((x, y) => (rank.get(x.resource.status) ?? 0) - (rank.get(y.resource.status) ?? 0) || x.order - y.order)
    .map((entry) => entry.resource);
  return {
    rows,
    haystacks: rows.map(haystackOf),
    kinds: facets(rows.map((r) => r.kind)),
    namespaces: facets(rows.map((r) => r.namespace)),
  };
}

export function matchesStatus(status: ResourceView['status'], filter: StatusFilter): boolean {
  return filter === 'all' || (filter === 'changed' ? status !== 'InSync' : status === filter);
}

/** Whitespace-separated terms, lower-cased; a row matches when it contains every term. */
export function searchTerms(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter((term) => term !== '');
}

export function filterRows(index: ReportIndex, filter: RowFilter): ResourceView[] {
  const terms = searchTerms(filter.search);
  const out: ResourceView[] = [];
  for (let i = 0; i < index.rows.length; i++) {
    const row = index.rows[i];
    if (!matchesStatus(row.status, filter.status)) continue;
    if (filter.kind !== '' && row.kind !== filter.kind) continue;
    if (filter.namespace !== '' && row.namespace !== (filter.namespace === CLUSTER_SCOPED ? '' : filter.namespace)) continue;
    if (terms.length > 0) {
      const haystack = index.haystacks[i];
      if (!terms.every((term) => haystack.includes(term))) continue;
    }
    out.push(row);
  }
  return out;
}

export interface Page<T> {
  shown: T[];
  /** Rows left out after `shown`. */
  remaining: number;
}

export function pageRows<T>(rows: readonly T[], limit: number): Page<T> {
  const n = Math.max(0, Math.min(rows.length, Math.floor(limit)));
  return { shown: rows.slice(0, n), remaining: rows.length - n };
}

/** Keys a "Sync shown" button may send: only what applying Git can fix (not Extra, not Unknown). */
export function syncableKeys(rows: readonly ResourceView[]): string[] {
  return rows.filter((r) => r.status === 'Drifted' || r.status === 'Missing').map((r) => r.key);
}
