// Restores drift report panels after a window reload. VS Code hands back the panel and the state
// the webview last saved (target + UI state only); the panel then asks for fresh data via `ready`.
import type * as vscode from 'vscode';
import { DRIFT_REPORT_VIEW_TYPE, type DriftReportPanels } from './driftReportPanel';
import { registerPanelSerializer } from './panelHost';

/** Registers the serializer; call it in `activate()` (the `onWebviewPanel:` event activates us for it). */
export function registerDriftReportSerializer(panels: DriftReportPanels): vscode.Disposable {
  return registerPanelSerializer(DRIFT_REPORT_VIEW_TYPE, panels);
}
