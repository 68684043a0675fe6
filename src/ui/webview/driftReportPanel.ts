// Host side of the drift report webview: one WebviewPanel per report target (an environment, or two
// environments compared), revealed when already open. The panel only moves data: what to compute
// and how to act (diff, open, sync, accept) is the injected `DriftReportActions`. Every incoming
// message passes the protocol validator and the message policy before anything runs.
import type * as vscode from 'vscode';
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
import { refusal } from './messagePolicy';
import { errorText, PanelHost, PanelRegistry, type PanelHostOptions } from './panelHost';

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

export interface DriftReportPanelsOptions extends PanelHostOptions {
  actions: DriftReportActions;
}

/** A ref as a title shows it: a commit by its first 8 characters, a branch by its name. */
function shortRef(ref: string): string {
  return /^[0-9a-f]{40}$/.test(ref) ? ref.slice(0, 8) : ref;
}

export function panelTitle(target: ReportTarget): string {
  switch (target.kind) {
    case 'drift':
      return `Drift: ${target.environment}`;
    case 'compare':
      return `${target.from} ↔ ${target.to}`;
    case 'preview':
      return `Impact on ${target.environment}: ${shortRef(target.base)} ← ${shortRef(target.head)}`;
  }
}

/** One open report. Created through `DriftReportPanels`. */
export class DriftReportPanel extends PanelHost<WebviewToHost, HostToWebview> {
  private report: ReportViewModel | undefined;
  private writing = false;

  constructor(
    readonly target: ReportTarget,
    panel: vscode.WebviewPanel,
    private readonly options: DriftReportPanelsOptions,
    private readonly openCompare: (from: string, to: string) => void,
  ) {
    super(panel, { ...options, logName: 'drift report', bundle: 'webview', isMessage: isWebviewMessage, title: panelTitle(target) });
  }

  /** Shows new data (posted now if the webview is up, else when it says `ready`). */
  update(report: ReportViewModel): void {
    if (targetKey(report.target) !== targetKey(this.target)) {
      this.log.warn(`drift report ${panelTitle(this.target)}: ignored a report for ${panelTitle(report.target)}`);
      return;
    }
    if (!isReportViewModel(report)) {
      // The webview would drop it anyway; say so here, where the cause can be found.
      this.log.error(`drift report ${panelTitle(this.target)}: the view model does not match the protocol`);
      this.post({ type: 'error', message: 'The report could not be shown: its data is malformed (see the GitOps log).' });
      return;
    }
    this.report = report;
    this.post({ type: 'report', report });
  }

  /** Computes the report again (a refresh already running absorbs this one). */
  refresh(): Promise<void> {
    return this.once(() => this.load());
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

  private fail(what: string, error: unknown): void {
    const message = `${what}: ${errorText(error)}`;
    this.log.error(`drift report ${panelTitle(this.target)}: ${message}`);
    this.post({ type: 'error', message });
  }

  protected refusal(message: WebviewToHost): string | undefined {
    return refusal(message, this.report);
  }

  protected replay(): void {
    if (this.report) this.post({ type: 'report', report: this.report });
  }

  protected async dispatch(message: WebviewToHost): Promise<void> {
    const { actions } = this.options;
    switch (message.type) {
      case 'ready':
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
export class DriftReportPanels extends PanelRegistry<ReportTarget, DriftReportPanel> {
  constructor(private readonly options: DriftReportPanelsOptions) {
    super({
      ...options,
      viewType: DRIFT_REPORT_VIEW_TYPE,
      logName: 'drift report',
      key: targetKey,
      title: panelTitle,
      savedTarget: (state) => (isPersistedState(state) ? state.target : undefined),
    });
  }

  /** Opens the report for `target`, or reveals it when already open. */
  show(target: ReportTarget, column?: vscode.ViewColumn): DriftReportPanel {
    return this.open(target, column);
  }

  /** Sends new data to the panel showing `target`. False when none is open. */
  update(target: ReportTarget, report: ReportViewModel): boolean {
    const panel = this.get(target);
    panel?.update(report);
    return panel !== undefined;
  }

  /** Every open target (for pushing fresh data after a drift recomputation). */
  targets(): ReportTarget[] {
    return this.all().map((p) => p.target);
  }

  protected create(target: ReportTarget, panel: vscode.WebviewPanel): DriftReportPanel {
    // A comparison opened from a report stays in that report's workspace folder.
    const openCompare = (from: string, to: string) => this.show(target.folder === undefined ? { kind: 'compare', from, to } : { kind: 'compare', from, to, folder: target.folder });
    return new DriftReportPanel(target, panel, this.options, openCompare);
  }
}
