// Inline drift hints: after-line text (`⟵ live: 5`), a gutter mark and an overview-ruler mark on
// each drifted line; missing resources on their `kind:` line. Stale results are drawn greyed with
// "as of 10:42". Reads the precomputed DriftStore (or the live-edit results of the document).
import * as vscode from 'vscode';
import type { DriftField } from '../../core/drift/driftTypes';
import type { DocumentDriftSource } from './documentDrift';
import { fieldRange, problemRange } from './driftStore';
import { asOfText, fieldHint, problemHint, resourceHint } from './driftText';

function rangeToVscode(range: { start: { line: number; column: number } }, document: vscode.TextDocument): vscode.Range {
  const line = Math.min(Math.max(range.start.line - 1, 0), document.lineCount - 1);
  const end = document.lineAt(line).range.end;
  return new vscode.Range(line, 0, line, end.character);
}

export class DriftDecorations implements vscode.Disposable {
  private readonly drifted: vscode.TextEditorDecorationType;
  private readonly stale: vscode.TextEditorDecorationType;
  private readonly resource: vscode.TextEditorDecorationType;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly source: DocumentDriftSource,
    gutterIcon: vscode.Uri,
  ) {
    const after = { margin: '0 0 0 2em', fontStyle: 'italic' } as const;
    this.drifted = vscode.window.createTextEditorDecorationType({
      after: { ...after, color: new vscode.ThemeColor('editorWarning.foreground') },
      gutterIconPath: gutterIcon,
      gutterIconSize: '70%',
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.warningForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
      isWholeLine: true,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.stale = vscode.window.createTextEditorDecorationType({
      after: { ...after, color: new vscode.ThemeColor('disabledForeground') },
      overviewRulerColor: new vscode.ThemeColor('disabledForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
      isWholeLine: true,
    });
    this.resource = vscode.window.createTextEditorDecorationType({
      after: { ...after, color: new vscode.ThemeColor('editorInfo.foreground') },
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.infoForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
      isWholeLine: true,
    });
    this.subscriptions.push(
      this.drifted,
      this.stale,
      this.resource,
      vscode.window.onDidChangeVisibleTextEditors(() => this.updateVisible()),
      source.onDidChange((uris) => this.updateVisible(uris)),
    );
  }

  updateVisible(only?: readonly vscode.Uri[]): void {
    const wanted = only ? new Set(only.map((u) => u.toString())) : undefined;
    for (const editor of vscode.window.visibleTextEditors) {
      if (wanted && !wanted.has(editor.document.uri.toString())) continue;
      this.update(editor);
    }
  }

  private update(editor: vscode.TextEditor): void {
    const result = this.source.forDocument(editor.document);
    const drifted: vscode.DecorationOptions[] = [];
    const resources: vscode.DecorationOptions[] = [];
    if (result) {
      const suffix = result.stale ? ` (${asOfText(result.asOf)})` : '';
      const seenLines = new Set<number>();
      const add = (field: DriftField): void => {
        const at = fieldRange(field);
        if (!at) return;
        const range = rangeToVscode(at, editor.document);
        // Several fields under one nearest ancestor share a line: one hint per line, the first wins.
        if (seenLines.has(range.start.line)) return;
        seenLines.add(range.start.line);
        drifted.push({ range, renderOptions: { after: { contentText: `${fieldHint(field)}${suffix}` } } });
      };
      for (const entry of result.entries) {
        entry.fields.forEach(add);
        for (const problem of entry.problems ?? []) {
          const at = problemRange(problem);
          if (!at) continue;
          const range = rangeToVscode(at, editor.document);
          if (seenLines.has(range.start.line)) continue;
          seenLines.add(range.start.line);
          drifted.push({ range, renderOptions: { after: { contentText: `${problemHint(problem.message)}${suffix}` } } });
        }
        const hint = resourceHint(entry.resource);
        if (hint && entry.declares && entry.resource.origin?.range) {
          resources.push({ range: rangeToVscode(entry.resource.origin.range, editor.document), renderOptions: { after: { contentText: `${hint}${suffix}` } } });
        }
      }
      if (result.stale) {
        editor.setDecorations(this.drifted, []);
        editor.setDecorations(this.stale, [...drifted, ...resources]);
        editor.setDecorations(this.resource, []);
        return;
      }
    }
    editor.setDecorations(this.stale, []);
    editor.setDecorations(this.drifted, drifted);
    editor.setDecorations(this.resource, resources);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
