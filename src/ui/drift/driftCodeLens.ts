// One CodeLens per resource document: "● drifted · 3 fields · Diff · Sync" / "✓ in sync".
import * as vscode from 'vscode';
import { Commands } from '../ids';
import type { DocumentDriftSource } from './documentDrift';
import { asOfText, lensTitle } from './driftText';

export class DriftCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(
    private readonly source: DocumentDriftSource,
    private readonly operatorOf: (environmentKey: string) => string | undefined = () => undefined,
  ) {
    this.onDidChangeCodeLenses = (listener, thisArgs, disposables) => source.onDidChange(() => listener.call(thisArgs), undefined, disposables);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const result = this.source.forDocument(document);
    if (!result) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const entry of result.entries) {
      const start = entry.resource.origin?.range?.start.line;
      if (!start) continue;
      const line = Math.min(Math.max(start - 1, 0), document.lineCount - 1);
      const range = new vscode.Range(line, 0, line, 0);
      const args = [entry.environmentKey, entry.resource.key];
      const title = `${lensTitle(entry.resource)}${result.stale ? ` · ${asOfText(result.asOf)}` : ''}`;
      lenses.push(new vscode.CodeLens(range, { title, command: Commands.showDriftReport, arguments: [entry.environmentKey] }));
      if (entry.resource.status === 'Drifted' || entry.resource.status === 'Missing') {
        lenses.push(new vscode.CodeLens(range, { title: 'Diff', command: Commands.showResourceDiff, arguments: args }));
        const operator = this.operatorOf(entry.environmentKey);
        lenses.push(new vscode.CodeLens(range, { title: operator ? `Ask ${operator} to Sync` : 'Sync', command: Commands.syncResource, arguments: args }));
      }
    }
    return lenses;
  }
}
