// Restores drift report panels after a window reload. VS Code hands back the panel and the state
// the webview last saved (target + UI state only); the panel then asks for fresh data via `ready`.
import * as vscode from 'vscode';
import { DRIFT_REPORT_VIEW_TYPE, type DriftReportPanels } from './driftReportPanel';

export class DriftReportSerializer implements vscode.WebviewPanelSerializer<unknown> {
  constructor(private readonly panels: DriftReportPanels) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.panels.revive(panel, state);
  }
}

/** Registers the serializer; call it in `activate()` (the `onWebviewPanel:` event activates us for it). */
export function registerDriftReportSerializer(panels: DriftReportPanels): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(DRIFT_REPORT_VIEW_TYPE, new DriftReportSerializer(panels));
}
