// The envelope a webview saves with `setState`: which target it shows (so the panel serializer can
// reopen it after a reload) and UI state only, never data. The host validates it too, when VS Code
// hands it back to the serializer, so this stays free of `vscode`, Node and DOM APIs.
import { hasExactKeys, isPlainRecord } from './guards';

export interface SavedState<T, U> {
  version: 1;
  target?: T;
  ui: U;
}

export function isSavedState<T, U>(value: unknown, isTarget: (v: unknown) => v is T, isUi: (v: unknown) => v is U): value is SavedState<T, U> {
  return (
    isPlainRecord(value) &&
    hasExactKeys(value, ['version', 'ui'], ['target']) &&
    value.version === 1 &&
    (value.target === undefined || isTarget(value.target)) &&
    isUi(value.ui)
  );
}
