// Problems found in gitops.yaml and discovered manifests, as diagnostics on their files.
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { EnvironmentsModel } from './environmentsModel';

export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('gitops');
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: EnvironmentsModel) {
    this.subscription = model.onDidChange(() => this.update());
  }

  update(): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const folder of this.model.folders()) {
      if (folder.kind !== 'ready') continue;
      for (const problem of folder.data.discovery.problems) {
        if (!problem.location) continue;
        const path = join(folder.data.repo.root, ...problem.location.file.split('/'));
        const start = problem.location.range?.start ?? { line: 1, column: 1 };
        const end = problem.location.range?.end ?? start;
        const range = new vscode.Range(start.line - 1, start.column - 1, end.line - 1, Math.max(end.column - 1, start.column));
        const message = problem.hint ? `${problem.message} — ${problem.hint}` : problem.message;
        const diagnostic = new vscode.Diagnostic(range, message, problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
        diagnostic.source = 'GitOps';
        const list = byFile.get(path) ?? [];
        list.push(diagnostic);
        byFile.set(path, list);
      }
    }
    this.collection.clear();
    for (const [path, diagnostics] of byFile) this.collection.set(vscode.Uri.file(path), diagnostics);
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
