// What the preview webview persists with `setState`: which plan it shows (so the panel serializer
// can plan it again after a reload) and UI state only — the user's edits to the pull request text,
// which diffs are open, the scroll position. Never plan data: the host plans afresh after `ready`.
// The host validates this too (the serializer reads it).
import { hasExactKeys, isArrayOf, isBoundedString, isIntInRange, isPlainRecord } from '../shared/guards';
import { isSavedState, type SavedState } from '../shared/savedState';
import { isPreviewTarget, LIMITS, type PreviewTarget } from './protocol';

export interface PreviewUiState {
  /** The title as the user edited it; null = the generated title. */
  title: string | null;
  /** The description as the user edited it; null = the generated one (which follows the ticks). */
  body: string | null;
  /** Files whose diff is open. */
  expanded: string[];
  scrollY: number;
}

export type PersistedPreviewState = SavedState<PreviewTarget, PreviewUiState>;

/** Bounds what a corrupted state can make the page hold. */
export const MAX_EXPANDED = 500;

export function defaultPreviewUiState(): PreviewUiState {
  return { title: null, body: null, expanded: [], scrollY: 0 };
}

export function isPreviewUiState(value: unknown): value is PreviewUiState {
  return (
    isPlainRecord(value) &&
    hasExactKeys(value, ['title', 'body', 'expanded', 'scrollY']) &&
    (value.title === null || isBoundedString(value.title, LIMITS.title)) &&
    (value.body === null || isBoundedString(value.body, LIMITS.body)) &&
    isArrayOf(value.expanded, MAX_EXPANDED, (v): v is string => isBoundedString(v, LIMITS.path, 1)) &&
    isIntInRange(value.scrollY, 0, 10_000_000)
  );
}

export function isPersistedPreviewState(value: unknown): value is PersistedPreviewState {
  return isSavedState(value, isPreviewTarget, isPreviewUiState);
}
