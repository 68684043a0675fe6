// Names the environment the user is working in: the one whose branch is checked out, or whose
// folder holds the active editor's file. Clicking it reveals the environment in the tree.
import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { environmentPaths } from '../core/model';
import type { EnvironmentsModel } from './environmentsModel';
import { environmentKey, type DriftStore } from './drift/driftStore';
import { asOfText } from './drift/driftText';
import { Commands } from './ids';

export class EnvironmentStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gitops.environment', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly model: EnvironmentsModel,
    private readonly drift: DriftStore,
  ) {
    this.item.name = 'GitOps Environment';
    this.subscriptions = [model.onDidChange(() => this.update()), drift.onDidChange(() => this.update()), vscode.window.onDidChangeActiveTextEditor(() => this.update())];
  }

  update(): void {
    const active = vscode.window.activeTextEditor?.document.uri;
    const candidates = this.model.allStates().filter(({ state }) => state.checkedOut);
    let match = candidates.find(({ state, data }) => {
      const folders = environmentPaths(state.environment);
      if (!active || active.scheme !== 'file' || folders.length === 0) return false;
      const rel = relative(data.repo.root, active.fsPath).split(sep).join('/');
      return folders.some((folder) => rel === folder || rel.startsWith(`${folder}/`));
    });
    // Branch per environment: the checked-out branch names the environment, whatever file is open.
    match ??= candidates.find(({ state, data }) => state.environment.branch !== null && state.environment.branch === data.currentBranch);
    if (!match) {
      this.item.hide();
      return;
    }
    const env = match.state.environment;
    const drift = this.drift.get(environmentKey(match.folder.uri.toString(), env.name));
    const counts = drift?.drift?.counts;
    const off = counts ? counts.Drifted + counts.Missing : 0;
    // Invalid objects are errors in Git, not drift: never a check mark while there are some.
    const invalid = counts?.Invalid ?? 0;
    const driftText = !counts ? '' : invalid > 0 ? ` $(error) ${invalid} invalid` : off > 0 ? ` $(warning) ${off} drifted` : ' $(check)';
    // Stale results (cluster unreachable, or a snapshot from an earlier session) say when they were true.
    this.item.text = `$(server-environment) ${env.name}${driftText}${drift?.stale ? ` (${asOfText(drift.asOf)})` : ''}`;
    this.item.backgroundColor = invalid > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : off > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.tooltip = `GitOps environment ${env.name}${env.protected ? ' (protected)' : ''}${env.cluster.context ? ` · cluster ${env.cluster.context}` : ''}${counts ? ` · ${counts.Drifted} drifted, ${counts.Missing} missing` : ''} — click to show it`;
    this.item.command = { command: Commands.revealEnvironment, title: 'Reveal Environment', arguments: [match.folder.uri.toString(), env.name] };
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
