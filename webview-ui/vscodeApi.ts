// Typed access to the API VS Code injects into webviews. `acquireVsCodeApi` may be called once per
// page load, so this module calls it once and hands out a narrow wrapper.
import type { WebviewToHost } from './protocol';
import { isPersistedState, type PersistedState } from './uiState';

interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeWebviewApi;
}

export interface HostChannel {
  post(message: WebviewToHost): void;
  /** The state saved before a reload or while the panel was hidden, when it is still valid. */
  loadState(): PersistedState | undefined;
  saveState(state: PersistedState): void;
}

export function connectToHost(): HostChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    loadState: () => {
      const state = api.getState();
      // Saved by an older build or tampered with: start from defaults instead of half-applying it.
      return isPersistedState(state) ? state : undefined;
    },
    saveState: (state) => api.setState(state),
  };
}
