// Host side shared by every webview panel of the extension (the drift report, the promotion
// preview). A panel is locked down (scripts on, command URIs off, only dist/ loadable, a CSP with a
// fresh nonce) and loads one bundle. Every incoming message passes the protocol validator and the
// panel's policy before anything runs; anything else is dropped and logged briefly at debug level.
// Nothing is posted before the page says `ready`, and every `ready` replays what the page shows:
// without retainContextWhenHidden a hidden webview is torn down and says `ready` again when shown.
import * as vscode from 'vscode';
import { maskSecrets } from '../../core/secrets';
import type { HostStatus, ReadyMessage } from '../../../webview-ui/shared/messages';
import type { Logger } from '../logger';
import { createNonce, renderWebviewHtml } from './webviewHtml';

/** Only the built bundles may load: not the workspace, not the rest of the extension. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

export function errorText(error: unknown): string {
  return maskSecrets(error instanceof Error ? error.message : String(error));
}

export interface PanelHostOptions {
  extensionUri: vscode.Uri;
  log: Logger;
}

interface PanelSetup<In> extends PanelHostOptions {
  /** The protocol validator: the page is untrusted input. */
  isMessage(value: unknown): value is In;
  /** Names the panel in log lines (`drift report`, `preview`). */
  logName: string;
  /** The page loads dist/<bundle>.js and dist/<bundle>.css. */
  bundle: string;
  title: string;
}

/** One open panel: the page, the handshake and the message loop. Subclasses say what the messages do. */
export abstract class PanelHost<In extends { type: string }, Out extends { type: string }> implements vscode.Disposable {
  private ready = false;
  private busyText = '';
  private pending: Promise<void> | undefined;
  private isDisposed = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;
  protected readonly log: Logger;
  private readonly logName: string;
  private readonly isMessage: (value: unknown) => value is In;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    setup: PanelSetup<In>,
  ) {
    this.log = setup.log;
    this.logName = setup.logName;
    this.isMessage = setup.isMessage;
    const { webview } = panel;
    webview.options = webviewOptions(setup.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(setup.extensionUri, 'media', 'gitops.svg');
    panel.title = setup.title;
    const dist = vscode.Uri.joinPath(setup.extensionUri, 'dist');
    webview.html = renderWebviewHtml({
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, `${setup.bundle}.js`)).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, `${setup.bundle}.css`)).toString(),
      cspSource: webview.cspSource,
      nonce: createNonce(),
      title: setup.title,
    });
    this.subscriptions.push(
      webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidDispose(() => this.cleanUp()),
    );
  }

  /** Why a well-formed message is refused given what the panel last sent, or undefined to act on it. */
  protected abstract refusal(message: In): string | undefined;
  /** The page said `ready` (again): post what it shows. The busy text follows, then `dispatch` sees `ready` too. */
  protected abstract replay(): void;
  protected abstract dispatch(message: In): Promise<void>;
  /** Called once when the panel closes, before `onDidDispose` fires. */
  protected disposing(): void {}

  protected get disposed(): boolean {
    return this.isDisposed;
  }

  /** A run started by `once` has not settled yet. */
  protected get loading(): boolean {
    return this.pending !== undefined;
  }

  reveal(column?: vscode.ViewColumn): void {
    this.panel.reveal(column);
  }

  dispose(): void {
    this.panel.dispose();
  }

  /** Starts `run` unless one is still running, whose promise the caller then shares. */
  protected once(run: () => Promise<void>): Promise<void> {
    if (!this.pending) {
      const started = run();
      this.pending = started;
      // Cleared when settled, even if `run` finished synchronously: nothing settled is reused.
      void started.finally(() => {
        if (this.pending === started) this.pending = undefined;
      });
    }
    return this.pending;
  }

  protected post(message: Out | HostStatus): void {
    if (!this.ready || this.isDisposed) return;
    void this.panel.webview.postMessage(message).then(undefined, (error: unknown) => this.log.debug(`${this.logName}: post failed: ${errorText(error)}`));
  }

  /** Long work running (`text`), or finished (''); replayed on every `ready`. */
  protected setBusy(text: string): void {
    this.busyText = text;
    this.post({ type: 'busy', text });
  }

  private receive(message: unknown): void {
    if (!this.isMessage(message)) {
      const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
      this.log.debug(`${this.logName}: dropped a malformed message${typeof type === 'string' ? ` (${type.slice(0, 40)})` : ''}`);
      return;
    }
    const why = this.refusal(message);
    if (why !== undefined) {
      this.log.debug(`${this.logName}: refused ${why}`);
      return;
    }
    if (isReady(message)) {
      this.ready = true;
      this.replay();
      if (this.busyText !== '') this.post({ type: 'busy', text: this.busyText });
    }
    void this.dispatch(message);
  }

  private cleanUp(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.disposing();
    this.disposedEmitter.fire();
    for (const s of this.subscriptions) s.dispose();
    this.disposedEmitter.dispose();
  }
}

function isReady(message: { type: string }): message is ReadyMessage {
  return message.type === 'ready';
}

/** What the registry needs of a panel. */
interface OpenPanel<T> extends vscode.Disposable {
  readonly target: T;
  readonly onDidDispose: vscode.Event<void>;
  reveal(column?: vscode.ViewColumn): void;
}

interface RegistrySetup<T> extends PanelHostOptions {
  viewType: string;
  /** Names the panel in log lines. */
  logName: string;
  /** Tells targets apart: one panel per key. */
  key(target: T): string;
  title(target: T): string;
  /** The target the page saved, when the state passes the same validator the page uses. */
  savedTarget(state: unknown): T | undefined;
}

/** Every open panel of one view type, at most one per target; restores panels after a reload. */
export abstract class PanelRegistry<T, P extends OpenPanel<T>> implements vscode.Disposable {
  private readonly panels = new Map<string, P>();

  protected constructor(private readonly setup: RegistrySetup<T>) {}

  protected abstract create(target: T, panel: vscode.WebviewPanel): P;

  get(target: T): P | undefined {
    return this.panels.get(this.setup.key(target));
  }

  protected all(): P[] {
    return [...this.panels.values()];
  }

  /** The open panel for `target`, revealed, or a new one. */
  protected open(target: T, column?: vscode.ViewColumn): P {
    const open = this.get(target);
    if (open) {
      // Without a column it is revealed where it is, not dragged to the active group.
      open.reveal(column);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(this.setup.viewType, this.setup.title(target), column ?? vscode.ViewColumn.Active, {
      ...webviewOptions(this.setup.extensionUri),
      enableFindWidget: true,
    });
    return this.adopt(target, panel);
  }

  /** Takes over a panel VS Code restored after a reload; `state` is what the page last saved. */
  revive(webviewPanel: vscode.WebviewPanel, state: unknown): void {
    const target = this.setup.savedTarget(state);
    if (!target) {
      this.setup.log.debug(`${this.setup.logName}: closing a restored panel without a valid saved state`);
      webviewPanel.dispose();
      return;
    }
    const open = this.get(target);
    if (open) {
      webviewPanel.dispose();
      open.reveal();
      return;
    }
    this.adopt(target, webviewPanel);
  }

  dispose(): void {
    for (const panel of this.all()) panel.dispose();
    this.panels.clear();
  }

  private adopt(target: T, webviewPanel: vscode.WebviewPanel): P {
    const key = this.setup.key(target);
    const panel = this.create(target, webviewPanel);
    this.panels.set(key, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
    return panel;
  }
}

/** Restores the registry's panels after a window reload (an `onWebviewPanel:` activation event brings us up for it). */
export function registerPanelSerializer(viewType: string, registry: { revive(panel: vscode.WebviewPanel, state: unknown): void }): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      registry.revive(panel, state);
    },
  });
}
