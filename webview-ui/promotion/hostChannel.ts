// Typed access to the API VS Code injects into the preview webview. `acquireVsCodeApi` may be
// called once per page load, so this module calls it once and hands out a narrow wrapper.
import type { WebviewToHost } from './protocol';
import { isPersistedPreviewState, type PersistedPreviewState } from './uiState';

interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

export interface PreviewHostChannel {
  post(message: WebviewToHost): void;
  /** The state saved before a reload or while the panel was hidden, when it is still valid. */
  loadState(): PersistedPreviewState | undefined;
  saveState(state: PersistedPreviewState): void;
}

export function connectToHost(): PreviewHostChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    // Saved by an older build or tampered with: start from defaults instead of half-applying it.
    loadState: () => {
      const state = api.getState();
      return isPersistedPreviewState(state) ? state : undefined;
    },
    saveState: (state) => api.setState(state),
  };
}
