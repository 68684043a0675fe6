// Host side of the drift report webview: one WebviewPanel per report target (an environment, or two
// environments compared), revealed when already open. The panel only moves data: what to compute
// and how to act (diff, open, sync, accept) is the injected `DriftReportActions`. Every incoming
// message passes the protocol validator and the message policy before anything runs.
import * as vscode from 'vscode';
import { maskSecrets } from '../../core/secrets';
import {
  isReportViewModel,
  isWebviewMessage,
  targetKey,
  type HostToWebview,
  type ReportTarget,
  type ReportViewModel,
  type WebviewToHost,
} from '../../../webview-ui/protocol';
import { isPersistedState } from '../../../webview-ui/uiState';
import type { Logger } from '../logger';
import { refusal } from './messagePolicy';
import { createNonce, renderWebviewHtml } from './webviewHtml';

/** `viewType` of the panel; package.json needs the activation event `onWebviewPanel:gitops.driftReport`. */
export const DRIFT_REPORT_VIEW_TYPE = 'gitops.driftReport';

/** What the report needs from the rest of the extension. Each call names the report it comes from. */
export interface DriftReportActions {
  /** Compute the report. Called when a panel first opens (or reopens after a reload) and on Refresh. */
  refresh(target: ReportTarget): Promise<ReportViewModel>;
  /** Open the native diff editor on the normalized objects of resource `key`. */
  openDiff(target: ReportTarget, key: string): Promise<void>;
  /** Open a repository-relative file at a 1-based line. The file is one the report names. */
  openFile(target: ReportTarget, file: string, line: number): Promise<void>;
  /** Sync these resources (all Drifted or Missing in the report); preview and confirmation are yours. */
  sync(target: ReportTarget, keys: readonly string[]): Promise<void>;
  /** Write the live value at `pointer` of resource `key` into its manifest (a drift target only). */
  acceptLive(target: ReportTarget, key: string, pointer: string): Promise<void>;
}

export interface DriftReportPanelsOptions {
  extensionUri: vscode.Uri;
  actions: DriftReportActions;
  log: Logger;
}

export function panelTitle(target: ReportTarget): string {
  return target.kind === 'drift' ? `Drift: ${target.environment}` : `${target.from} ↔ ${target.to}`;
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  // Only the built bundles may load: not the workspace, not the rest of the extension.
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

function errorText(error: unknown): string {
  return maskSecrets(error instanceof Error ? error.message : String(error));
}

/** One open report. Created through `DriftReportPanels`. */
export class DriftReportPanel implements vscode.Disposable {
  private report: ReportViewModel | undefined;
  /**
   * The webview has said `ready` at least once. Without retainContextWhenHidden a hidden webview is
   * torn down and what is posted meanwhile is lost; its page says `ready` again when shown, and
   * every `ready` gets the latest report and progress again.
   */
  private ready = false;
  private busyText = '';
  private loading: Promise<void> | undefined;
  private writing = false;
  private disposed = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;

  constructor(
    readonly target: ReportTarget,
    readonly panel: vscode.WebviewPanel,
    private readonly options: DriftReportPanelsOptions,
    private readonly openCompare: (from: string, to: string) => void,
  ) {
    const { webview } = panel;
    webview.options = webviewOptions(options.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(options.extensionUri, 'media', 'gitops.svg');
    panel.title = panelTitle(target);
    const dist = vscode.Uri.joinPath(options.extensionUri, 'dist');
    webview.html = renderWebviewHtml({
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      cspSource: webview.cspSource,
      nonce: createNonce(),
      title: panelTitle(target),
    });
    this.subscriptions.push(
      webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidDispose(() => this.cleanUp()),
    );
  }

  /** Shows new data (posted now if the webview is up, else when it says `ready`). */
  update(report: ReportViewModel): void {
    if (targetKey(report.target) !== targetKey(this.target)) {
      this.options.log.warn(`drift report ${panelTitle(this.target)}: ignored a report for ${panelTitle(report.target)}`);
      return;
    }
    if (!isReportViewModel(report)) {
      // The webview would drop it anyway; say so here, where the cause can be found.
      this.options.log.error(`drift report ${panelTitle(this.target)}: the view model does not match the protocol`);
      this.post({ type: 'error', message: 'The report could not be shown: its data is malformed (see the GitOps log).' });
      return;
    }
    this.report = report;
    this.post({ type: 'report', report });
  }

  reveal(column?: vscode.ViewColumn): void {
    this.panel.reveal(column);
  }

  /** Computes the report again (a refresh already running absorbs this one). */
  refresh(): Promise<void> {
    if (!this.loading) {
      const run = this.load();
      this.loading = run;
      // Cleared when settled, even if `load` finished synchronously: nothing settled is reused.
      void run.finally(() => {
        if (this.loading === run) this.loading = undefined;
      });
    }
    return this.loading;
  }

  /** Never rejects: a failure is shown in the panel and logged. */
  private async load(): Promise<void> {
    this.setBusy('Computing the report…');
    try {
      const report = await this.options.actions.refresh(this.target);
      if (!this.disposed) this.update(report);
    } catch (error) {
      this.fail('Could not compute the report', error);
    } finally {
      this.setBusy('');
    }
  }

  dispose(): void {
    this.panel.dispose();
  }

  private cleanUp(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposedEmitter.fire();
    for (const s of this.subscriptions) s.dispose();
    this.disposedEmitter.dispose();
  }

  private post(message: HostToWebview): void {
    if (!this.ready || this.disposed) return;
    void this.panel.webview.postMessage(message).then(undefined, (error: unknown) => this.options.log.debug(`drift report: post failed: ${errorText(error)}`));
  }

  private setBusy(text: string): void {
    this.busyText = text;
    this.post({ type: 'busy', text });
  }

  private fail(what: string, error: unknown): void {
    const message = `${what}: ${errorText(error)}`;
    this.options.log.error(`drift report ${panelTitle(this.target)}: ${message}`);
    this.post({ type: 'error', message });
  }

  private receive(message: unknown): void {
    if (!isWebviewMessage(message)) {
      const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
      this.options.log.debug(`drift report: dropped a malformed message${typeof type === 'string' ? ` (${type.slice(0, 40)})` : ''}`);
      return;
    }
    const why = refusal(message, this.report);
    if (why !== undefined) {
      this.options.log.debug(`drift report: refused ${why}`);
      return;
    }
    void this.dispatch(message);
  }

  private async dispatch(message: WebviewToHost): Promise<void> {
    const { actions } = this.options;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.report) this.post({ type: 'report', report: this.report });
        if (this.busyText !== '') this.post({ type: 'busy', text: this.busyText });
        if (!this.report && !this.loading) await this.refresh();
        return;
      case 'refresh':
        return this.refresh();
      case 'openDiff':
        return this.run('Could not open the diff', () => actions.openDiff(this.target, message.key));
      case 'openFile':
        return this.run('Could not open the file', () => actions.openFile(this.target, message.file, message.line));
      case 'sync':
        return this.write(message.keys.length === 1 ? 'Syncing…' : `Syncing ${message.keys.length} resources…`, 'Sync failed', () => actions.sync(this.target, message.keys));
      case 'acceptLive':
        return this.write('Writing the live value into the file…', 'Could not accept the live value', () => actions.acceptLive(this.target, message.key, message.pointer));
      case 'requestCompare':
        this.openCompare(message.from, message.to);
        return;
    }
  }

  private async run(what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.fail(what, error);
    }
  }

  /** Writes run one at a time per panel; the webview greys its write buttons while one runs. */
  private async write(busy: string, what: string, action: () => Promise<void>): Promise<void> {
    if (this.writing) {
      this.post({ type: 'error', message: 'Another sync or edit from this report is still running.' });
      return;
    }
    this.writing = true;
    this.setBusy(busy);
    try {
      await action();
    } catch (error) {
      this.fail(what, error);
    } finally {
      this.writing = false;
      this.setBusy('');
    }
  }
}

/** Every open report panel, keyed by target. The extension creates one and disposes it on deactivate. */
export class DriftReportPanels implements vscode.Disposable {
  private readonly panels = new Map<string, DriftReportPanel>();

  constructor(private readonly options: DriftReportPanelsOptions) {}

  /** Opens the report for `target`, or reveals it when already open. */
  show(target: ReportTarget, column?: vscode.ViewColumn): DriftReportPanel {
    const open = this.panels.get(targetKey(target));
    if (open) {
      // Without a column it is revealed where it is, not dragged to the active group.
      open.reveal(column);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(DRIFT_REPORT_VIEW_TYPE, panelTitle(target), column ?? vscode.ViewColumn.Active, {
      ...webviewOptions(this.options.extensionUri),
      enableFindWidget: true,
    });
    return this.adopt(target, panel);
  }

  get(target: ReportTarget): DriftReportPanel | undefined {
    return this.panels.get(targetKey(target));
  }

  /** Sends new data to the panel showing `target`. False when none is open. */
  update(target: ReportTarget, report: ReportViewModel): boolean {
    const panel = this.panels.get(targetKey(target));
    panel?.update(report);
    return panel !== undefined;
  }

  /** Every open target (for pushing fresh data after a drift recomputation). */
  targets(): ReportTarget[] {
    return [...this.panels.values()].map((p) => p.target);
  }

  /** Takes over a panel VS Code restored after a reload; `state` is what the webview last saved. */
  revive(panel: vscode.WebviewPanel, state: unknown): void {
    const target = reviveTarget(state);
    if (!target) {
      this.options.log.debug('drift report: closing a restored panel without a valid saved state');
      panel.dispose();
      return;
    }
    const open = this.panels.get(targetKey(target));
    if (open) {
      panel.dispose();
      open.reveal();
      return;
    }
    this.adopt(target, panel);
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }

  private adopt(target: ReportTarget, webviewPanel: vscode.WebviewPanel): DriftReportPanel {
    const key = targetKey(target);
    // A comparison opened from a report stays in that report's workspace folder.
    const openCompare = (from: string, to: string) => this.show(target.folder === undefined ? { kind: 'compare', from, to } : { kind: 'compare', from, to, folder: target.folder });
    const panel = new DriftReportPanel(target, webviewPanel, this.options, openCompare);
    this.panels.set(key, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
    return panel;
  }
}

/** The target the webview saved; only state that passes the same validator the webview uses counts. */
function reviveTarget(state: unknown): ReportTarget | undefined {
  return isPersistedState(state) ? state.target : undefined;
}
