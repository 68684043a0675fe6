// The Environments view: environments in promotion order, what waits to be promoted, the rendered
// resources by kind and the environment's files. Children are computed on expand; the first level
// needs only Git metadata (no rendering, no cluster calls).
import * as vscode from 'vscode';
import { environmentPaths, formatProblem, type CommitInfo, type LocatedProblem, type ResourceId } from '../core/model';
import type { EnvironmentState } from '../git/environmentStates';
import type { RepositoryEnvironments } from '../git/repositoryEnvironments';
import type { RenderedObject } from '../render/renderEnvironment';
import type { ClusterConnection, ClusterConnectionStatus } from '../cluster/operators/clusterConnections';
import type { ClusterStatus } from './clusterStatus';
import type { EnvironmentsModel, FolderStatus } from './environmentsModel';
import { Commands, TREE_REPAINT_MS } from './ids';
import { fileLocationUri, type FileLocation } from './locations';
import type { RenderedResources } from './renderedResources';
import type { DeployedVsHead } from '../core/operators/deployedVsHead';
import type { UnmappedOperator } from '../core/operators/operatorMapping';
import type { OperatorStatus } from '../core/operators/operatorTypes';
import { operatorLabel, type OperatorsController } from './operators/operatorsController';
import type { PromotionRow, PromotionTreeRows } from './promotion/promotionTreeRows';
import { environmentKey, type DriftStore } from './drift/driftStore';
import { asOfText } from './drift/driftText';
import type { DriftStatus } from '../core/drift/driftTypes';
import { relativeTime } from './relativeTime';

export type EnvNode =
  | { type: 'folder'; status: FolderStatus }
  | { type: 'environment'; folderUri: string; data: RepositoryEnvironments; state: EnvironmentState; index: number }
  | { type: 'pending'; parent: EnvNode & { type: 'environment' } }
  | { type: 'commit'; commit: CommitInfo; repoRoot: string }
  | { type: 'more'; label: string }
  | { type: 'resources'; parent: EnvNode & { type: 'environment' } }
  | { type: 'kind'; parent: EnvNode & { type: 'environment' }; kind: string; objects: RenderedObject[] }
  | { type: 'resource'; location: FileLocation; object: RenderedObject; drift?: { status: DriftStatus; fields: unknown[] } }
  | { type: 'files'; parent: EnvNode & { type: 'environment' } }
  | { type: 'file'; location: FileLocation; path: string }
  | { type: 'cluster'; context: string; namespace: string | null; folderUri?: string; environment?: string }
  | { type: 'problem'; problem: LocatedProblem; folderUri: string; data?: RepositoryEnvironments }
  | { type: 'message'; text: string; icon?: string; tooltip?: string }
  | { type: 'operator'; parent: EnvNode & { type: 'environment' }; status: OperatorStatus; source: string; asOf: string | null }
  | { type: 'notDeployed'; parent: EnvNode & { type: 'operator' }; result: DeployedVsHead }
  | { type: 'others'; folderUri: string; apps: UnmappedOperator[] }
  | { type: 'promotion'; row: PromotionRow };

const STATUS_TEXT: Record<DriftStatus, (fields: number) => string> = {
  InSync: () => 'in sync',
  Drifted: (n) => `drifted · ${n} field${n === 1 ? '' : 's'}`,
  Missing: () => 'missing in cluster',
  Extra: () => 'in cluster only',
  Unknown: () => 'unknown',
  Invalid: () => 'invalid in Git',
};

const STATUS_ICON: Record<DriftStatus, vscode.ThemeIcon> = {
  InSync: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  Drifted: new vscode.ThemeIcon('diff-modified', new vscode.ThemeColor('editorWarning.foreground')),
  Missing: new vscode.ThemeIcon('diff-added', new vscode.ThemeColor('editorInfo.foreground')),
  Extra: new vscode.ThemeIcon('diff-removed', new vscode.ThemeColor('editorInfo.foreground')),
  Unknown: new vscode.ThemeIcon('question'),
  Invalid: new vscode.ThemeIcon('error', new vscode.ThemeColor('editorError.foreground')),
};

/** "In sync" / "2 drifted, 1 missing" / "1 drifted (as of 10:42)" for an environment row. */
function driftSummary(entry: { drift?: { counts: Record<DriftStatus, number> }; stale: boolean; asOf?: number; computing: boolean; error?: string }): string {
  if (!entry.drift) return entry.computing ? 'checking drift…' : entry.error ? 'drift unknown' : '';
  const c = entry.drift.counts;
  const parts = [c.Invalid ? `${c.Invalid} invalid` : '', c.Drifted ? `${c.Drifted} drifted` : '', c.Missing ? `${c.Missing} missing` : '', c.Extra ? `${c.Extra} extra` : '', c.Unknown ? `${c.Unknown} unknown` : ''].filter(Boolean);
  const text = parts.length ? parts.join(', ') : 'in sync';
  return entry.stale ? `${text} (${entry.asOf !== undefined ? asOfText(entry.asOf) : 'stale'})` : text;
}

/** Short words for connection states, as the environment row shows them. */
const CLUSTER_STATUS_TEXT: Record<ClusterConnectionStatus | 'checking', string> = {
  connecting: 'checking…',
  connected: 'connected',
  stale: 'stale',
  unreachable: 'unreachable',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  noContext: 'context not in kubeconfig',
  error: 'error',
  checking: 'checking…',
};

const CLUSTER_ICON: Record<ClusterConnectionStatus | 'checking', [string, string | undefined]> = {
  connecting: ['loading~spin', undefined],
  checking: ['loading~spin', undefined],
  connected: ['vm-active', 'testing.iconPassed'],
  stale: ['vm-outline', 'editorWarning.foreground'],
  unreachable: ['vm-outline', 'problemsWarningIcon.foreground'],
  unauthorized: ['lock', 'problemsErrorIcon.foreground'],
  forbidden: ['lock', 'problemsErrorIcon.foreground'],
  noContext: ['error', 'problemsErrorIcon.foreground'],
  error: ['error', 'problemsErrorIcon.foreground'],
};

/** A reason as the row's description shows it: one line, short (the tooltip has all of it). */
function shortReason(reason: string | null): string {
  // "GET /version: ECONNREFUSED (…)": the request is tooltip detail, the failure is the news.
  const line = (reason ?? '').split('\n')[0].trim().replace(/^(?:GET|POST|PUT|PATCH|DELETE) \S+: /, '');
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/**
 * The cluster row of an environment: what state the connection is in and why, in words that say
 * what to do. `dataAsOf`: when the environment's drift shown was last true, if it is not live.
 */
export function clusterRowText(connection: ClusterConnection | undefined, namespace: string | null, dataAsOf?: number, now = Date.now()): { description: string; tooltip: string } {
  const status = connection?.status ?? 'checking';
  let reason = shortReason(connection?.reason ?? null);
  // "unauthorized (Unauthorized)" says nothing twice.
  if (reason.toLowerCase() === status.toLowerCase()) reason = '';
  const asOf = dataAsOf ?? connection?.lastConnectedAt ?? undefined;
  let state: string;
  switch (status) {
    case 'stale':
      state = `stale (${asOf !== undefined ? asOfText(asOf, now) : 'catching up'})`;
      break;
    case 'unreachable':
    case 'forbidden':
    case 'error':
      state = `${status}${reason ? ` (${reason})` : ''}`;
      break;
    case 'unauthorized':
      state = `unauthorized${reason ? ` (${reason})` : ''} — check your kubeconfig credentials`;
      break;
    case 'noContext':
      state = 'context not in kubeconfig';
      break;
    case 'connected':
      state = ['connected', connection?.serverVersion].filter(Boolean).join(' · ');
      break;
    default:
      state = 'checking…';
  }
  const description = [namespace ? `ns ${namespace}` : undefined, state].filter(Boolean).join(' · ');
  const lines: string[] = [];
  if (connection?.server) lines.push(connection.server);
  if (connection?.reason) lines.push(connection.reason);
  if (connection?.hint) lines.push(connection.hint);
  else if (status === 'unauthorized') lines.push('Check your kubeconfig credentials (token, client certificate or exec plugin), then Retry.');
  if (status !== 'connected' && status !== 'connecting' && asOf !== undefined) lines.push(`Showing last-known data ${asOfText(asOf, now)}.`);
  if (connection?.nextRetryAt) lines.push(`Next automatic retry ${new Date(connection.nextRetryAt).toLocaleTimeString()}; Retry to try now.`);
  return { description, tooltip: lines.join('\n') };
}

function kindLabel(id: ResourceId): string {
  return id.kind;
}

export class EnvironmentTreeProvider implements vscode.TreeDataProvider<EnvNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EnvNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly model: EnvironmentsModel,
    private readonly rendered: RenderedResources,
    private readonly clusters: ClusterStatus,
    private readonly drift: DriftStore,
    private readonly operators: OperatorsController,
    private readonly promotion: PromotionTreeRows,
  ) {
    this.subscriptions.push(
      promotion.onDidChange(() => this.refresh()),
      operators.onDidChange(() => this.refresh()),
      drift.onDidChange(() => this.refresh()),
      model.onDidChange(() => this.refresh()),
      rendered.onDidChange(() => this.refresh()),
      clusters.onDidChange(() => this.refresh()),
    );
  }

  private refreshTimer: NodeJS.Timeout | undefined;

  /** Model, drift, operator and PR events arrive in bursts: one repaint per burst, not one per event. */
  refresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire(undefined);
    }, TREE_REPAINT_MS);
  }

  async getChildren(node?: EnvNode): Promise<EnvNode[]> {
    if (!node) {
      await this.model.ensureLoaded();
      const folders = this.model.folders();
      const withContent = folders.filter((f) => f.kind !== 'noGit');
      // One folder: environments at the top level. Several: one root per folder with environments.
      if (folders.length === 1) return this.folderChildren(folders[0]);
      return withContent.map((status) => ({ type: 'folder', status }));
    }
    switch (node.type) {
      case 'folder':
        return this.folderChildren(node.status);
      case 'environment':
        return this.environmentChildren(node);
      case 'pending':
        return this.pendingChildren(node);
      case 'resources':
        return this.resourceKinds(node);
      case 'kind': {
        const report = this.drift.get(environmentKey(node.parent.folderUri, node.parent.state.environment.name))?.drift;
        const byIdentity = new Map(report?.resources.map((r) => [`${r.id.kind}/${r.id.name}`, r]) ?? []);
        return node.objects.map((object) => ({
          type: 'resource',
          object,
          drift: byIdentity.get(`${object.id.kind}/${object.id.name}`),
          location: this.locate(node.parent, object.origin.file, object.origin.range?.start.line),
        }));
      }
      case 'files':
        return this.fileChildren(node);
      case 'operator':
        return this.operatorChildren(node);
      case 'promotion':
        return (await this.promotion.children(node.row)).map((row): EnvNode => ({ type: 'promotion', row }));
      case 'notDeployed':
        return node.result.notDeployed.map((commit) => ({ type: 'commit', commit, repoRoot: node.parent.parent.data.repo.root }));
      case 'others':
        return node.apps.map((app) => ({ type: 'message', text: operatorLabel(app.status), icon: 'circle-outline', tooltip: app.reason }));
      default:
        return [];
    }
  }

  private folderChildren(status: FolderStatus): EnvNode[] {
    if (status.kind === 'noGit') return [];
    const folderUri = status.folder.uri.toString();
    if (status.kind === 'failed') return [{ type: 'problem', folderUri, problem: { severity: 'error', message: status.message } }];
    const { data } = status;
    const problems: EnvNode[] = data.discovery.problems.map((problem) => ({ type: 'problem', problem, folderUri, data }));
    const environments: EnvNode[] = data.states.map((state, index) => ({ type: 'environment', folderUri, data, state, index }));
    const others = this.operators.others(folderUri);
    const tail: EnvNode[] = others.length > 0 ? [{ type: 'others', folderUri, apps: others }] : [];
    return [...problems, ...environments, ...tail];
  }

  private environmentChildren(node: EnvNode & { type: 'environment' }): EnvNode[] {
    const { state } = node;
    const children: EnvNode[] = state.problems.map((problem) => ({ type: 'problem', problem, folderUri: node.folderUri, data: node.data }));
    const operatorView = this.operators.view(node.folderUri, state.environment.name);
    for (const mapped of operatorView?.operators ?? []) {
      children.push({ type: 'operator', parent: node, status: mapped.status, source: operatorView?.source ?? 'live', asOf: operatorView?.asOf ?? null });
    }
    if (state.pending && state.pending.total > 0) children.push({ type: 'pending', parent: node });
    for (const row of this.promotion.environmentRows(node.folderUri, state)) children.push({ type: 'promotion', row });
    if (state.ref) {
      children.push({ type: 'resources', parent: node });
      children.push({ type: 'files', parent: node });
    }
    if (state.environment.cluster.context) {
      children.push({ type: 'cluster', context: state.environment.cluster.context, namespace: state.environment.cluster.namespace, folderUri: node.folderUri, environment: state.environment.name });
    }
    return children;
  }

  private operatorChildren(node: EnvNode & { type: 'operator' }): EnvNode[] {
    const { status } = node;
    const rows: EnvNode[] = [];
    const deployed = this.operators.deployedVsHead(node.parent.folderUri, node.parent.state, status);
    if (deployed) {
      if (deployed.total > 0) rows.push({ type: 'notDeployed', parent: node, result: deployed });
      else rows.push({ type: 'message', text: deployed.message, icon: deployed.status === 'upToDate' ? 'check' : 'info' });
    } else rows.push({ type: 'message', text: status.deployedRevision ? `deployed ${status.deployedRevision}` : 'no deployed revision reported yet', icon: 'git-commit' });
    if (status.lastSyncTime) rows.push({ type: 'message', text: `last sync ${relativeTime(status.lastSyncTime)}`, icon: 'history', tooltip: new Date(status.lastSyncTime).toLocaleString() });
    if (status.lastError) rows.push({ type: 'message', text: status.lastError, icon: 'error', tooltip: status.lastError });
    for (const event of this.operators.warnings(node.parent.folderUri, node.parent.state.environment.name) ?? []) {
      rows.push({
        type: 'message',
        text: `${event.reason}: ${event.involvedObject.kind} ${event.involvedObject.name}`,
        icon: 'warning',
        tooltip: `${event.message}${event.count > 1 ? ` (×${event.count})` : ''}${event.lastSeen ? `\n${new Date(event.lastSeen).toLocaleString()}` : ''}`,
      });
    }
    return rows;
  }

  private pendingChildren(node: EnvNode & { type: 'pending' }): EnvNode[] {
    const pending = node.parent.state.pending;
    if (!pending) return [];
    const rows: EnvNode[] = pending.commits.map((commit) => ({ type: 'commit', commit, repoRoot: node.parent.data.repo.root }));
    if (pending.total > pending.commits.length) rows.push({ type: 'more', label: `… and ${pending.total - pending.commits.length} more` });
    return rows;
  }

  private async renderOf(node: EnvNode & { type: 'environment' }) {
    const repo = await this.model.repositoryFor(node.folderUri, node.state.environment);
    if (!repo) return undefined;
    return { repo, result: await this.rendered.render(repo, node.state) };
  }

  private async resourceKinds(node: EnvNode & { type: 'resources' }): Promise<EnvNode[]> {
    const rendered = await this.renderOf(node.parent);
    if (!rendered) return [];
    const { result } = rendered;
    const rows: EnvNode[] = result.problems.map((problem) => ({ type: 'problem', problem, folderUri: node.parent.folderUri, data: node.parent.data }));
    const byKind = new Map<string, RenderedObject[]>();
    for (const object of result.objects) {
      const label = kindLabel(object.id);
      const list = byKind.get(label) ?? [];
      list.push(object);
      byKind.set(label, list);
    }
    for (const [kind, objects] of [...byKind.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      objects.sort((a, b) => a.id.name.localeCompare(b.id.name));
      rows.push({ type: 'kind', parent: node.parent, kind, objects });
    }
    if (result.objects.length === 0 && result.problems.length === 0) rows.push({ type: 'message', text: 'No Kubernetes objects in this environment', icon: 'info' });
    return rows;
  }

  private async fileChildren(node: EnvNode & { type: 'files' }): Promise<EnvNode[]> {
    const rendered = await this.renderOf(node.parent);
    if (!rendered) return [];
    return [...rendered.result.files].sort().map((path) => ({ type: 'file', path, location: this.locate(node.parent, path) }));
  }

  private locate(env: EnvNode & { type: 'environment' }, file: string, line?: number): FileLocation {
    const repoRoot = env.state.environment.repo ? undefined : env.data.repo.root;
    return {
      repoRoot: repoRoot ?? env.data.repo.root,
      environmentRepo: env.state.environment.repo,
      folderUri: env.folderUri,
      environment: env.state.environment.name,
      ref: env.state.checkedOut ? null : env.state.ref,
      file,
      line,
    };
  }

  getTreeItem(node: EnvNode): vscode.TreeItem {
    switch (node.type) {
      case 'folder': {
        const item = new vscode.TreeItem(node.status.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon('repo');
        item.contextValue = 'workspaceFolder';
        if (node.status.kind === 'ready') item.description = node.status.data.currentBranch ?? 'detached HEAD';
        return item;
      }
      case 'environment':
        return this.environmentItem(node);
      case 'pending': {
        const pending = node.parent.state.pending;
        const item = new vscode.TreeItem(`Pending from ${pending?.from} (${pending?.total ?? 0})`, vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon('git-pull-request-go-to-changes');
        item.tooltip = `Commits in ${pending?.from} that ${node.parent.state.environment.name} does not have yet`;
        item.contextValue = 'pending';
        return item;
      }
      case 'commit': {
        const item = new vscode.TreeItem(node.commit.subject || '(no subject)', vscode.TreeItemCollapsibleState.None);
        item.description = `${node.commit.shortSha} · ${node.commit.authorName} · ${relativeTime(node.commit.date)}`;
        item.iconPath = new vscode.ThemeIcon('git-commit');
        item.tooltip = new vscode.MarkdownString(
          `**${escapeMarkdown(node.commit.subject)}**\n\n${escapeMarkdown(node.commit.authorName)} · ${new Date(node.commit.date).toLocaleString()}\n\n\`${node.commit.sha}\``,
        );
        item.contextValue = 'commit';
        item.command = { command: Commands.openCommit, title: 'Open Commit Changes', arguments: [node] };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.contextValue = 'more';
        return item;
      }
      case 'resources': {
        const item = new vscode.TreeItem('Resources', vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.contextValue = 'resources';
        item.tooltip = 'Objects this environment renders (plain manifests, kustomize or helm)';
        return item;
      }
      case 'kind': {
        const item = new vscode.TreeItem(`${node.kind} (${node.objects.length})`, vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        item.contextValue = 'kind';
        return item;
      }
      case 'resource': {
        const { id, origin } = node.object;
        const item = new vscode.TreeItem(id.name, vscode.TreeItemCollapsibleState.None);
        const status = node.drift?.status;
        item.description = [id.namespace ?? undefined, status ? STATUS_TEXT[status](node.drift?.fields.length ?? 0) : undefined].filter(Boolean).join(' · ') || undefined;
        item.iconPath = status ? STATUS_ICON[status] : new vscode.ThemeIcon('symbol-object');
        item.tooltip = `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}\n${origin.file}${origin.range ? `:${origin.range.start.line}` : ''}`;
        item.contextValue = 'resource';
        item.command = { command: Commands.openResource, title: 'Open Declaring File', arguments: [node.location] };
        return item;
      }
      case 'files': {
        const item = new vscode.TreeItem('Files', vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon('files');
        item.contextValue = 'files';
        return item;
      }
      case 'file': {
        const name = node.path.split('/').pop() ?? node.path;
        const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
        item.description = node.path.includes('/') ? node.path.slice(0, node.path.length - name.length - 1) : undefined;
        item.resourceUri = fileLocationUri(node.location);
        item.tooltip = node.path;
        item.contextValue = 'file';
        item.command = { command: Commands.openEnvironmentFile, title: 'Open File', arguments: [node.location] };
        return item;
      }
      case 'cluster':
        return this.clusterItem(node);
      case 'problem': {
        const item = new vscode.TreeItem(node.problem.message, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.problem.severity === 'error' ? 'error' : 'warning', new vscode.ThemeColor(node.problem.severity === 'error' ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground'));
        item.description = node.problem.location ? `${node.problem.location.file}${node.problem.location.range ? `:${node.problem.location.range.start.line}` : ''}` : undefined;
        item.tooltip = formatProblem(node.problem);
        item.contextValue = 'problem';
        if (node.problem.location && node.data) {
          const location: FileLocation = {
            repoRoot: node.data.repo.root,
            environmentRepo: null,
            folderUri: node.folderUri,
            environment: '',
            ref: null,
            file: node.problem.location.file,
            line: node.problem.location.range?.start.line,
          };
          item.command = { command: Commands.openProblem, title: 'Go to Problem', arguments: [location] };
        }
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
        if (node.tooltip) item.tooltip = node.tooltip;
        return item;
      }
      case 'operator':
        return this.operatorItem(node);
      case 'promotion':
        return this.promotion.treeItem(node.row);
      case 'notDeployed': {
        const item = new vscode.TreeItem(node.result.message, vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon('git-compare', new vscode.ThemeColor('editorWarning.foreground'));
        item.contextValue = 'notDeployed';
        return item;
      }
      case 'others': {
        const item = new vscode.TreeItem(`Other applications (${node.apps.length})`, vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon('folder-library');
        item.tooltip = 'Argo CD / Flux objects in these clusters that deploy other repositories, branches or folders';
        return item;
      }
    }
  }

  private environmentItem(node: EnvNode & { type: 'environment' }): vscode.TreeItem {
    const { state } = node;
    const env = state.environment;
    const item = new vscode.TreeItem(env.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `${node.folderUri}#env:${env.name}`;
    const folders = environmentPaths(env);
    // Several folders (one per application) are summed up; the tooltip lists them.
    const folderText = folders.length > 1 ? `${folders.length} folders` : (folders[0] ?? null);
    const where = env.branch && folderText ? `${env.branch}/${folderText}` : (env.branch ?? folderText ?? 'working tree');
    const description = [where];
    if (state.head) description.push(state.head.shortSha);
    if (state.pending && state.pending.total > 0) description.push(`${state.pending.total} to promote from ${state.pending.from}`);
    if (env.cluster.context) {
      const cluster = this.clusters.get(env.cluster.context);
      this.clusters.ensure(env.cluster.context);
      description.push(`⎈ ${env.cluster.context}${cluster && cluster.status !== 'connected' && cluster.status !== 'connecting' ? ` (${CLUSTER_STATUS_TEXT[cluster.status]})` : ''}`);
    }
    const lead = this.operators.view(node.folderUri, env.name)?.operators[0]?.status;
    if (lead) description.push(`${lead.operator === 'argocd' ? 'Argo CD' : 'Flux'}: ${lead.sync} · ${lead.health.status}`);
    const drift = this.drift.get(environmentKey(node.folderUri, env.name));
    const summary = drift ? driftSummary(drift) : '';
    if (summary) description.push(summary);
    if (state.problems.some((p) => p.severity === 'error')) description.push('⚠');
    item.description = description.join(' · ');
    const hasError = state.problems.some((p) => p.severity === 'error');
    item.iconPath = hasError
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : new vscode.ThemeIcon(env.protected ? 'shield' : 'server-environment');
    const tooltip = new vscode.MarkdownString('', true);
    tooltip.appendMarkdown(`**${escapeMarkdown(env.name)}**${env.protected ? ' · protected' : ''} · step ${node.index + 1} of ${node.data.states.length}\n\n`);
    if (env.repo) tooltip.appendMarkdown(`Repository: \`${escapeMarkdown(env.repo)}\`\n\n`);
    tooltip.appendMarkdown(`${env.branch ? `Branch \`${escapeMarkdown(env.branch)}\`` : 'Current branch'}${folders.length === 1 ? `, folder \`${escapeMarkdown(folders[0])}\`` : folders.length > 1 ? `, folders ${folders.map((f) => `\`${escapeMarkdown(f)}\``).join(', ')}` : ''}${state.ref && state.ref !== env.branch ? ` (read from \`${escapeMarkdown(state.ref)}\`)` : ''}\n\n`);
    if (state.head) tooltip.appendMarkdown(`Head: \`${state.head.shortSha}\` ${escapeMarkdown(state.head.subject)} — ${escapeMarkdown(state.head.authorName)}, ${relativeTime(state.head.date)}\n\n`);
    if (state.pending) tooltip.appendMarkdown(state.pending.total > 0 ? `${state.pending.total} commit(s) waiting in ${escapeMarkdown(state.pending.from)}\n\n` : `Up to date with ${escapeMarkdown(state.pending.from)}\n\n`);
    if (env.cluster.context) {
      const cluster = this.clusters.get(env.cluster.context);
      tooltip.appendMarkdown(`Cluster: \`${escapeMarkdown(env.cluster.context)}\`${env.cluster.namespace ? ` namespace \`${escapeMarkdown(env.cluster.namespace)}\`` : ''} — ${CLUSTER_STATUS_TEXT[cluster?.status ?? 'checking']}\n\n`);
    }
    tooltip.appendMarkdown(`Found by: ${env.source}${env.declaredAt ? ` (${escapeMarkdown(env.declaredAt.file)}${env.declaredAt.range ? `:${env.declaredAt.range.start.line}` : ''})` : ''}`);
    item.tooltip = tooltip;
    const flags = ['environment'];
    if (env.protected) flags.push('protected');
    if (state.pending && state.pending.total > 0) flags.push('pending');
    if (env.cluster.context) flags.push('cluster');
    item.contextValue = flags.join('.');
    return item;
  }

  private operatorItem(node: EnvNode & { type: 'operator' }): vscode.TreeItem {
    const { status } = node;
    const item = new vscode.TreeItem(operatorLabel(status), vscode.TreeItemCollapsibleState.Collapsed);
    const parts: string[] = [status.sync, status.health.status];
    if (status.suspended) parts.push('suspended');
    if (status.pending?.operation) parts.push('sync requested');
    if (node.source !== 'live' && node.asOf) parts.push(`as of ${new Date(node.asOf).toLocaleTimeString()}`);
    item.description = parts.join(' · ');
    const healthy = status.sync === 'Synced' && status.health.status === 'Healthy';
    item.iconPath = new vscode.ThemeIcon(
      status.operator === 'argocd' ? 'octoface' : 'sync',
      new vscode.ThemeColor(healthy ? 'testing.iconPassed' : status.health.status === 'Degraded' ? 'problemsErrorIcon.foreground' : 'editorWarning.foreground'),
    );
    const tooltip = new vscode.MarkdownString('', true);
    tooltip.appendMarkdown(`**${escapeMarkdown(operatorLabel(status))}** (${status.ref.namespace ?? ''}/${status.ref.name})\n\n`);
    tooltip.appendMarkdown(`Sync: ${status.sync} · Health: ${status.health.status}${status.health.message ? ` — ${escapeMarkdown(status.health.message)}` : ''}\n\n`);
    if (status.deployedRevision) tooltip.appendMarkdown(`Deployed: \`${escapeMarkdown(status.deployedRevision)}\`\n\n`);
    if (status.lastSyncTime) tooltip.appendMarkdown(`Last sync: ${new Date(status.lastSyncTime).toLocaleString()}\n\n`);
    if (status.lastError) tooltip.appendMarkdown(`Last error: ${escapeMarkdown(status.lastError)}\n\n`);
    if (node.source !== 'live') tooltip.appendMarkdown(`_${node.source === 'snapshot' ? 'Last-known snapshot' : 'Cluster not answering'}${node.asOf ? `, as of ${new Date(node.asOf).toLocaleString()}` : ''}_`);
    item.tooltip = tooltip;
    item.contextValue = `operator.${status.operator}${status.suspended ? '.suspended' : ''}`;
    return item;
  }

  private clusterItem(node: EnvNode & { type: 'cluster' }): vscode.TreeItem {
    const state = this.clusters.get(node.context);
    this.clusters.ensure(node.context);
    const item = new vscode.TreeItem(`Cluster ${node.context}`, vscode.TreeItemCollapsibleState.None);
    const status = state?.status ?? 'checking';
    const drift = node.folderUri && node.environment ? this.drift.get(environmentKey(node.folderUri, node.environment)) : undefined;
    const text = clusterRowText(state, node.namespace, drift?.stale ? drift.asOf : undefined);
    item.description = text.description;
    item.tooltip = text.tooltip || undefined;
    const [name, color] = CLUSTER_ICON[status];
    item.iconPath = new vscode.ThemeIcon(name, color ? new vscode.ThemeColor(color) : undefined);
    // Retry (inline and in the context menu) takes this node.
    item.contextValue = `cluster.${status}`;
    return item;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
