// The page's side of a webview session, shared by both webviews: typed access to the API VS Code
// injects, the `ready` handshake, and the UI state restored from `getState` and saved back.
// `acquireVsCodeApi` may be called once per page load, so `connectToHost` is called once per page.
import type { ReadyMessage } from './messages';
import type { SavedState } from './savedState';

interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

export interface HostChannel<Out, State> {
  post(message: Out): void;
  /** The state saved before a reload or while the panel was hidden, when it is still valid. */
  loadState(): State | undefined;
  saveState(state: State): void;
}

export function connectToHost<Out, State>(isState: (value: unknown) => value is State): HostChannel<Out, State> {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    loadState: () => {
      const state = api.getState();
      // Saved by an older build or tampered with: start from defaults instead of half-applying it.
      return isState(state) ? state : undefined;
    },
    saveState: (state) => api.setState(state),
  };
}

/**
 * Hands every valid message from the host to `handle` (a malformed one is dropped with a console
 * warning), then says `ready`. Call it last in set-up: the host posts nothing before `ready`, which
 * would otherwise race the listener.
 */
export function startSession<In>(host: { post(message: ReadyMessage): void }, isHostMessage: (value: unknown) => value is In, handle: (message: In) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (!isHostMessage(data)) {
      console.warn('[gitops] dropped a malformed message from the extension');
      return;
    }
    handle(data);
  });
  host.post({ type: 'ready' });
}

/** UI state with expandable rows and a scroll position. */
export interface ListUiState {
  expanded: string[];
  scrollY: number;
}

export interface SavedViewSpec<T, U> {
  defaults(): U;
  key(target: T): string;
  /** Bounds what a corrupted state can make the page hold. */
  maxExpanded: number;
}

/** What the page shows (`target`), its UI state, and the rows expanded: restored once, saved on change. */
export class SavedView<T, U extends ListUiState> {
  target: T | undefined;
  ui: U;
  readonly expanded: Set<string>;
  private scrollRestored = false;

  constructor(
    saved: SavedState<T, U> | undefined,
    private readonly spec: SavedViewSpec<T, U>,
  ) {
    this.ui = saved?.ui ?? spec.defaults();
    this.target = saved?.target;
    this.expanded = new Set(this.ui.expanded);
  }

  /** Data for `target` arrived. Another target in this panel: what was saved belongs to the old one. */
  show(target: T): void {
    if (this.target && this.spec.key(this.target) !== this.spec.key(target)) {
      this.ui = this.spec.defaults();
      this.expanded.clear();
    }
    this.target = target;
  }

  /** Keeps only the expanded rows `exists` still knows. */
  pruneExpanded(exists: (key: string) => boolean): void {
    for (const key of [...this.expanded]) if (!exists(key)) this.expanded.delete(key);
  }

  /** Opens or closes a row; no more than `maxExpanded` are open. */
  toggle(key: string): void {
    if (this.expanded.has(key)) this.expanded.delete(key);
    else if (this.expanded.size < this.spec.maxExpanded) this.expanded.add(key);
  }

  /** Once, after the first data: back to the saved scroll position. */
  restoreScroll(): void {
    if (this.scrollRestored) return;
    this.scrollRestored = true;
    const y = this.ui.scrollY;
    // After the components' first render (a frame later), when the rows have their real height.
    requestAnimationFrame(() => requestAnimationFrame(() => window.scrollTo(0, y)));
  }

  snapshot(): SavedState<T, U> {
    return { version: 1, target: this.target, ui: { ...this.ui, expanded: [...this.expanded].slice(0, this.spec.maxExpanded) } };
  }
}

/** The element with a `data-action` a click landed in, unless it is disabled. */
export function actionOrigin(event: Event): HTMLElement | undefined {
  const origin = event.target instanceof Element ? event.target.closest('[data-action]') : null;
  return origin instanceof HTMLElement && !origin.hasAttribute('disabled') ? origin : undefined;
}

/**
 * Re-rendering replaces elements; this puts the focus back on the element that plays the same part
 * (`selectorFor` says which) so keyboard users do not lose their place.
 */
export function keepingFocus(render: () => void, selectorFor: (active: HTMLElement, action: string) => string): void {
  const active = document.activeElement;
  const action = active instanceof HTMLElement ? active.dataset.action : undefined;
  const selector = action === undefined ? undefined : selectorFor(active as HTMLElement, action);
  render();
  if (selector === undefined) return;
  const target = document.querySelector(selector);
  if (target instanceof HTMLElement && target !== document.activeElement) target.focus();
}
