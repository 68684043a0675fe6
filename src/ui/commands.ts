// Command handlers. Each one says what happened and what to do next when it cannot do its job.
import * as vscode from 'vscode';
import { renderGitopsConfig } from '../core/configWriter';
import type { ClusterStatus } from './clusterStatus';
import type { DriftController } from './drift/driftController';
import type { EnvNode, EnvironmentTreeProvider } from './environmentTree';
import type { EnvironmentsModel } from './environmentsModel';
import { Commands, ENVIRONMENTS_VIEW_ID, REF_CONTENT_SCHEME } from './ids';
import { openLocation, type FileLocation } from './locations';
import type { Logger } from './logger';
import type { RenderedResources } from './renderedResources';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  model: EnvironmentsModel;
  tree: EnvironmentTreeProvider;
  view: vscode.TreeView<EnvNode>;
  rendered: RenderedResources;
  clusters: ClusterStatus;
  log: Logger;
  drift: DriftController;
}

function isLocation(value: unknown): value is FileLocation {
  return typeof value === 'object' && value !== null && typeof (value as FileLocation).file === 'string' && typeof (value as FileLocation).repoRoot === 'string';
}

/** Tree context menus pass the node; the row's click command passes its location. */
function locationArg(arg: unknown): FileLocation | undefined {
  if (isLocation(arg)) return arg;
  const node = arg as EnvNode | undefined;
  if (node && (node.type === 'resource' || node.type === 'file')) return node.location;
  return undefined;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { model, log } = deps;
  const open = async (arg: unknown): Promise<void> => {
    const location = locationArg(arg);
    if (!location) return;
    try {
      await openLocation(location);
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot open ${location.file}: ${(error as Error).message}`);
    }
  };

  return [
    vscode.commands.registerCommand(Commands.refresh, async () => {
      deps.rendered.clear();
      deps.drift.reset();
      deps.clusters.reset();
      await vscode.window.withProgress({ location: { viewId: ENVIRONMENTS_VIEW_ID } }, () => model.refreshNow());
      if (deps.view.visible) deps.drift.ensureAll();
    }),
    vscode.commands.registerCommand(Commands.openResource, open),
    vscode.commands.registerCommand(Commands.openEnvironmentFile, open),
    vscode.commands.registerCommand(Commands.openProblem, open),
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
    vscode.commands.registerCommand(Commands.openDocs, async () => {
      const readme = vscode.Uri.joinPath(deps.context.extensionUri, 'README.md');
      await vscode.commands.executeCommand('markdown.showPreview', readme);
    }),
    vscode.commands.registerCommand(Commands.retryCluster, async (node?: EnvNode) => {
      // From a cluster row: probe that context now; the drift services and operator watchers follow its state.
      if (node?.type === 'cluster') {
        const state = await deps.clusters.retry(node.context);
        if (state.status !== 'connected' && state.status !== 'stale') void vscode.window.setStatusBarMessage(`Cluster ${node.context}: still ${state.status}`, 4000);
        return;
      }
      deps.drift.reset();
      deps.clusters.reset();
      deps.drift.ensureAll();
    }),
    vscode.commands.registerCommand(Commands.copyCommitSha, async (node: EnvNode) => {
      if (node?.type !== 'commit') return;
      await vscode.env.clipboard.writeText(node.commit.sha);
      void vscode.window.setStatusBarMessage(`Copied ${node.commit.shortSha}`, 2000);
    }),
    vscode.commands.registerCommand(Commands.openCommit, async (node: EnvNode) => {
      if (node?.type !== 'commit') return;
      await openCommitChanges(deps, node);
    }),
    vscode.commands.registerCommand(Commands.createConfig, () => createConfig(deps)),
    vscode.commands.registerCommand(Commands.revealEnvironment, async (folderUri?: string, name?: string) => {
      await vscode.commands.executeCommand(`${ENVIRONMENTS_VIEW_ID}.focus`);
      if (!folderUri || !name) return;
      const roots = await deps.tree.getChildren();
      const target = roots.find((n) => n.type === 'environment' && n.folderUri === folderUri && n.state.environment.name === name);
      if (target) await deps.view.reveal(target, { select: true, focus: false });
    }),
  ];
}

async function openCommitChanges(deps: CommandDeps, node: EnvNode & { type: 'commit' }): Promise<void> {
  const folder = deps.model.folders().find((f) => f.kind === 'ready' && f.data.repo.root === node.repoRoot);
  if (!folder || folder.kind !== 'ready') return;
  const repo = folder.data.repo;
  const changes = await repo.changedFiles(node.commit.sha);
  if (changes.length === 0) {
    void vscode.window.showInformationMessage(`${node.commit.shortSha} changes no files.`);
    return;
  }
  const uriAt = (ref: string, path: string): vscode.Uri =>
    vscode.Uri.from({
      scheme: REF_CONTENT_SCHEME,
      path: `/${path}`,
      query: new URLSearchParams({ folder: folder.folder.uri.toString(), env: '', ref, missing: 'empty' }).toString(),
    });
  const parent = `${node.commit.sha}^`;
  const resources = changes.map((change) => [
    vscode.Uri.file(`${repo.root}/${change.path}`),
    uriAt(parent, change.oldPath ?? change.path),
    uriAt(node.commit.sha, change.path),
  ]);
  const title = `${node.commit.shortSha} ${node.commit.subject}`;
  try {
    await vscode.commands.executeCommand('vscode.changes', title, resources);
  } catch {
    // Older hosts without the multi-file diff editor: show the first file's diff.
    const [, left, right] = resources[0];
    await vscode.commands.executeCommand('vscode.diff', left, right, `${title} — ${changes[0].path}`);
  }
}

async function createConfig(deps: CommandDeps): Promise<void> {
  await deps.model.ensureLoaded();
  const candidates = deps.model.folders().filter((f) => f.kind === 'ready');
  if (candidates.length === 0) {
    void vscode.window.showWarningMessage('Open a Git repository first: gitops.yaml is written at its root.');
    return;
  }
  let target = candidates[0];
  if (candidates.length > 1) {
    const pick = await vscode.window.showQuickPick(
      candidates.map((c) => ({ label: c.folder.name, description: c.kind === 'ready' ? `${c.data.discovery.environments.length} environments found` : '', target: c })),
      { placeHolder: 'Which repository gets the gitops.yaml?' },
    );
    if (!pick) return;
    target = pick.target;
  }
  if (target.kind !== 'ready') return;
  const { data } = target;
  const uri = vscode.Uri.file(`${data.repo.root}/gitops.yaml`);
  try {
    await vscode.workspace.fs.stat(uri);
    const choice = await vscode.window.showWarningMessage('gitops.yaml already exists; it is left as it is.', 'Open gitops.yaml');
    if (choice) await vscode.window.showTextDocument(uri);
    return;
  } catch {
    // does not exist: write it
  }
  const text = renderGitopsConfig(data.discovery.environments);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  await vscode.window.showTextDocument(uri);
  const found = data.discovery.environments.length;
  void vscode.window.showInformationMessage(
    found > 0
      ? `Wrote gitops.yaml with ${found} environment${found === 1 ? '' : 's'} found by ${data.discovery.source}. Review the clusters, then commit it.`
      : 'Wrote a gitops.yaml template: add your environments, then commit it.',
  );
  await deps.model.refreshNow();
}
