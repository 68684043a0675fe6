// Optional Problems entries for drift (setting `gitops.drift.problems`, off by default): one
// warning per drifted field and per resource missing in the cluster, an error per field an Invalid
// resource's server or schema refuses, on the declaring line.
import * as vscode from 'vscode';
import { fieldRange, problemRange, type DriftStore } from './driftStore';
import { fieldHint, resourceHint } from './driftText';

export class DriftProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('gitops-drift');
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: DriftStore,
    private readonly enabled: () => boolean,
  ) {
    this.subscription = store.onDidChange(() => this.update());
  }

  update(): void {
    this.collection.clear();
    if (!this.enabled()) return;
    for (const fsPath of this.store.files()) {
      const diagnostics: vscode.Diagnostic[] = [];
      for (const { resource, fields, problems, declares } of this.store.forFile(fsPath)) {
        const at = (line: number): vscode.Range => new vscode.Range(Math.max(line - 1, 0), 0, Math.max(line - 1, 0), 1000);
        for (const field of fields) {
          const range = fieldRange(field);
          if (!range) continue;
          const d = new vscode.Diagnostic(at(range.start.line), `${resource.id.kind} ${resource.id.name}: ${field.path} ${fieldHint(field).replace('⟵ ', '')}`, vscode.DiagnosticSeverity.Warning);
          d.source = 'GitOps drift';
          diagnostics.push(d);
        }
        for (const problem of problems ?? []) {
          const range = problemRange(problem);
          if (!range) continue;
          const d = new vscode.Diagnostic(at(range.start.line), `${resource.id.kind} ${resource.id.name}: invalid: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`, vscode.DiagnosticSeverity.Error);
          d.source = 'GitOps drift';
          diagnostics.push(d);
        }
        const hint = resourceHint(resource);
        if (hint && declares && resource.origin?.range) {
          const d = new vscode.Diagnostic(at(resource.origin.range.start.line), `${resource.id.kind} ${resource.id.name}: ${hint.replace('⟵ ', '')}`, vscode.DiagnosticSeverity.Information);
          d.source = 'GitOps drift';
          diagnostics.push(d);
        }
      }
      if (diagnostics.length) this.collection.set(vscode.Uri.file(fsPath), diagnostics);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
