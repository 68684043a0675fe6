// What the webview persists with `setState`: which report it shows (so the panel serializer can
// reopen it after a reload) and UI state only — filters, search, expanded rows, scroll. Never report
// data: the host sends fresh data after `ready`. The host validates this too (the serializer reads it).
import { hasExactKeys, isArrayOf, isBoundedString, isIntInRange, isPlainRecord } from './shared/guards';
import { isSavedState, type SavedState } from './shared/savedState';
import { isReportTarget, LIMITS, REPORT_STATUSES, type ReportStatus, type ReportTarget } from './protocol';

/** `changed`: every status but InSync, the default, because a healthy report is mostly InSync rows. */
export type StatusFilter = 'all' | 'changed' | ReportStatus;

export interface UiState {
  status: StatusFilter;
  /** '' = every kind / namespace. */
  kind: string;
  namespace: string;
  search: string;
  /** Keys of expanded resources. */
  expanded: string[];
  /** How many filtered rows are rendered (grows by a page with "Show more"). */
  limit: number;
  scrollY: number;
}

export type PersistedState = SavedState<ReportTarget, UiState>;

export const PAGE_SIZE = 100;
/** Enough for any real report; bounds what a corrupted state can make us hold. */
export const MAX_EXPANDED = 5000;

export function defaultUiState(): UiState {
  return { status: 'changed', kind: '', namespace: '', search: '', expanded: [], limit: PAGE_SIZE, scrollY: 0 };
}

export function isStatusFilter(value: unknown): value is StatusFilter {
  return value === 'all' || value === 'changed' || REPORT_STATUSES.includes(value as ReportStatus);
}

export function isUiState(value: unknown): value is UiState {
  return (
    isPlainRecord(value) &&
    hasExactKeys(value, ['status', 'kind', 'namespace', 'search', 'expanded', 'limit', 'scrollY']) &&
    isStatusFilter(value.status) &&
    isBoundedString(value.kind, LIMITS.name) &&
    isBoundedString(value.namespace, LIMITS.name) &&
    isBoundedString(value.search, LIMITS.text) &&
    isArrayOf(value.expanded, MAX_EXPANDED, (k: unknown): k is string => isBoundedString(k, LIMITS.key, 1)) &&
    isIntInRange(value.limit, 1, LIMITS.resources) &&
    isIntInRange(value.scrollY, 0, 100_000_000)
  );
}

export function isPersistedState(value: unknown): value is PersistedState {
  return isSavedState(value, isReportTarget, isUiState);
}
