// Explorer badges on drifted (or invalid) manifest files (and, propagated, their folders). A lookup into the
// precomputed DriftStore, never a computation.
import * as vscode from 'vscode';
import type { DriftStore } from './driftStore';

export class DriftFileDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: DriftStore) {
    this.subscription = store.onDidChange(({ files }) => this.changed.fire(files));
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== 'file') return undefined;
    const entries = this.store.forFile(uri.fsPath);
    if (entries.length === 0) return undefined;
    const drifted = entries.filter((e) => e.resource.status === 'Drifted').length;
    const missing = entries.filter((e) => e.resource.status === 'Missing').length;
    const invalid = entries.filter((e) => e.resource.status === 'Invalid' && e.declares).length;
    if (drifted + missing + invalid === 0) return undefined;
    const parts = [invalid ? `${invalid} invalid` : '', drifted ? `${drifted} drifted` : '', missing ? `${missing} missing in cluster` : ''].filter(Boolean);
    // An invalid manifest is an error to fix in Git, not drift: its own badge and colour.
    const decoration = invalid
      ? new vscode.FileDecoration('!', parts.join(', '), new vscode.ThemeColor('editorError.foreground'))
      : new vscode.FileDecoration('D', parts.join(', '), new vscode.ThemeColor('editorWarning.foreground'));
    decoration.propagate = true;
    return decoration;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
