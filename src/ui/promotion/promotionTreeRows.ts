// The rows promotion adds under each environment of the Environments view: its open (and just
// merged or closed) promotion and rollback pull requests and anyone else's that change it, and a "History" group of recent commits
// that offers "Roll Back Environment to This Commit". Independent of the tree provider: the tree
// wraps each row in a node of its own (`{ type: 'promotion', row }`), asks `children(row)` on
// expand and `treeItem(row)` to draw it, and refreshes on `onDidChange`.
import * as vscode from 'vscode';
import type { CommitInfo } from '../../core/model';
import type { EnvironmentState } from '../../git/environmentStates';
import { Commands } from '../ids';
import { relativeTime } from '../relativeTime';
import type { EnvironmentHistory } from './environmentHistory';
import { pullRequestDescription, pullRequestLook, checksText, type PullRequestLook } from './pullRequestMatching';
import type { PullRequestsService, TrackedPullRequest } from './pullRequestsService';

export type PromotionRow =
  | { type: 'history'; folderUri: string; environment: string }
  | { type: 'historyCommit'; folderUri: string; environment: string; repoRoot: string; commit: CommitInfo; current: boolean }
  | { type: 'pullRequest'; folderUri: string; environment: string; pull: TrackedPullRequest }
  | { type: 'note'; text: string; icon?: string };

const ROW_TYPES = new Set(['history', 'historyCommit', 'pullRequest', 'note']);

function isRow(value: unknown): value is PromotionRow {
  return typeof value === 'object' && value !== null && ROW_TYPES.has(String((value as { type?: unknown }).type)) && 'folderUri' in value;
}

/** The row a command received: the row itself, or the tree's node wrapping it (`{ row }`). */
export function promotionRowOf(arg: unknown): PromotionRow | undefined {
  if (isRow(arg)) return arg;
  const inner = typeof arg === 'object' && arg !== null ? (arg as { row?: unknown }).row : undefined;
  return isRow(inner) ? inner : undefined;
}

const LOOK_ICON: Record<PullRequestLook, [string, string]> = {
  open: ['git-pull-request', 'charts.green'],
  draft: ['git-pull-request-draft', 'descriptionForeground'],
  merged: ['git-merge', 'charts.purple'],
  closed: ['git-pull-request-closed', 'charts.red'],
};

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export class PromotionTreeRows implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Pull requests changed: the tree redraws (environment rows ask for their rows again). */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly pullRequests: PullRequestsService,
    private readonly history: EnvironmentHistory,
  ) {
    this.subscriptions.push(pullRequests.onDidChange(() => this.changed.fire()));
  }

  /** Redraw (the history limit changed). */
  refresh(): void {
    this.changed.fire();
  }

  /** Rows right under an environment: its pull requests, then "History" (when its commits can be read). */
  environmentRows(folderUri: string, state: EnvironmentState): PromotionRow[] {
    const environment = state.environment.name;
    const rows: PromotionRow[] = this.pullRequests.forEnvironment(folderUri, environment).map((pull) => ({ type: 'pullRequest', folderUri, environment, pull }));
    if (state.ref && !state.environment.repo) rows.push({ type: 'history', folderUri, environment });
    return rows;
  }

  async children(row: PromotionRow): Promise<PromotionRow[]> {
    if (row.type !== 'history') return [];
    const page = await this.history.page(row.folderUri, row.environment);
    if (!page) return [{ type: 'note', text: 'No history: the environment has no branch to read', icon: 'info' }];
    const rows: PromotionRow[] = page.commits.map((commit, index) => ({
      type: 'historyCommit',
      folderUri: row.folderUri,
      environment: row.environment,
      repoRoot: page.repoRoot,
      commit,
      // The newest commit is the environment's state now: rolling back to it changes nothing.
      current: index === 0,
    }));
    if (page.total > page.commits.length) rows.push({ type: 'note', text: `… and ${page.total - page.commits.length} older commits` });
    if (rows.length === 0) rows.push({ type: 'note', text: 'No commits', icon: 'info' });
    return rows;
  }

  treeItem(row: PromotionRow): vscode.TreeItem {
    switch (row.type) {
      case 'history': {
        const item = new vscode.TreeItem('History', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${row.folderUri}#env:${row.environment}#history`;
        item.iconPath = new vscode.ThemeIcon('history');
        item.tooltip = `Recent commits of ${row.environment}; right-click one to roll ${row.environment} back to it`;
        item.contextValue = 'history';
        return item;
      }
      case 'historyCommit':
        return this.commitItem(row);
      case 'pullRequest':
        return this.pullRequestItem(row);
      case 'note': {
        const item = new vscode.TreeItem(row.text, vscode.TreeItemCollapsibleState.None);
        if (row.icon) item.iconPath = new vscode.ThemeIcon(row.icon);
        item.contextValue = 'note';
        return item;
      }
    }
  }

  private commitItem(row: PromotionRow & { type: 'historyCommit' }): vscode.TreeItem {
    const { commit } = row;
    const item = new vscode.TreeItem(commit.subject || '(no subject)', vscode.TreeItemCollapsibleState.None);
    item.id = `${row.folderUri}#env:${row.environment}#history:${commit.sha}`;
    item.description = [commit.shortSha, commit.authorName, relativeTime(commit.date), row.current ? 'current' : ''].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(row.current ? 'git-commit' : 'circle-outline');
    item.tooltip = new vscode.MarkdownString(
      `**${escapeMarkdown(commit.subject)}**\n\n${escapeMarkdown(commit.authorName)} · ${new Date(commit.date).toLocaleString()}\n\n\`${commit.sha}\`${row.current ? `\n\n${escapeMarkdown(row.environment)} is at this commit now.` : `\n\nRight-click → Roll Back Environment to This Commit`}`,
    );
    item.contextValue = row.current ? 'historyCommit.current' : 'historyCommit';
    // The same node shape the tree's pending commits use, so "Open Commit Changes" works as is.
    item.command = { command: Commands.openCommit, title: 'Open Commit Changes', arguments: [{ type: 'commit', commit, repoRoot: row.repoRoot }] };
    return item;
  }

  private pullRequestItem(row: PromotionRow & { type: 'pullRequest' }): vscode.TreeItem {
    const { info, checks, kind } = row.pull;
    const look = pullRequestLook(info);
    const item = new vscode.TreeItem(info.title || `${kind === 'rollback' ? 'Rollback' : 'Promotion'} #${info.number}`, vscode.TreeItemCollapsibleState.None);
    item.id = `${row.folderUri}#env:${row.environment}#pr:${info.number}`;
    item.description = pullRequestDescription(info, checks);
    const [icon, color] = LOOK_ICON[look];
    item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    const checksLine = checksText(checks);
    item.tooltip = new vscode.MarkdownString(
      [
        `**${escapeMarkdown(info.title)}** (#${info.number}, ${look})`,
        `\`${escapeMarkdown(info.head)}\` → \`${escapeMarkdown(info.base)}\``,
        checksLine ? `Checks: ${checksLine}` : '',
        row.pull.ours ? '' : `Not opened by a promotion: listed because it changes ${row.pull.environments.map(escapeMarkdown).join(', ')}`,
        'Click to open it in the browser',
        look === 'open' || look === 'draft' ? 'Right-click → Preview Impact: what it changes in each environment it touches' : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
    item.contextValue = `pullRequest.${look}`;
    item.command = { command: Commands.openPullRequest, title: 'Open Pull Request', arguments: [row] };
    return item;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
