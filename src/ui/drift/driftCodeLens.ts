// One CodeLens per resource document: "● drifted · 3 fields · Diff · Sync" / "✓ in sync"; in a
// file that only sets values of a resource (an overlay's patch, a kustomization's `images:`),
// on the first line it sets, naming the resource.
import * as vscode from 'vscode';
import { Commands } from '../ids';
import type { DocumentDriftSource } from './documentDrift';
import { fieldRange } from './driftStore';
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
      const firstSet = entry.fields.map((f) => fieldRange(f)?.start.line).filter((l): l is number => l !== undefined).sort((a, b) => a - b)[0];
      const start = entry.declares ? entry.resource.origin?.range?.start.line : firstSet;
      if (!start) continue;
      const line = Math.min(Math.max(start - 1, 0), document.lineCount - 1);
      const range = new vscode.Range(line, 0, line, 0);
      const args = [entry.environmentKey, entry.resource.key];
      const setsOnly = entry.declares ? '' : ` · ${entry.resource.id.kind} ${entry.resource.id.name} (${entry.environmentKey.slice(entry.environmentKey.lastIndexOf('#') + 1)})`;
      const title = `${lensTitle(entry.resource)}${setsOnly}${result.stale ? ` · ${asOfText(result.asOf)}` : ''}`;
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
