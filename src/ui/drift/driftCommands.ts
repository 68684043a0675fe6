// Drift commands: report, comparison, diff, sync (resource or environment), accept live value.
import * as vscode from 'vscode';
import type { EnvNode } from '../environmentTree';
import type { EnvironmentsModel } from '../environmentsModel';
import { Commands } from '../ids';
import type { DriftReportPanels } from '../webview/driftReportPanel';
import { RESTRICTED_SYNC_MESSAGE, type DriftActions } from './driftActions';
import { environmentKey, type DriftStore } from './driftStore';

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a command body and turns a failure into a message instead of a silent rejection. */
function guarded<A extends unknown[]>(body: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await body(...args);
    } catch (error) {
      void vscode.window.showErrorMessage(errorMessage(error));
    }
  };
}

async function pickEnvironment(model: EnvironmentsModel, placeHolder: string, withCluster: boolean): Promise<{ folderUri: string; name: string } | undefined> {
  await model.ensureLoaded();
  const items = model
    .allStates()
    .filter(({ state }) => !withCluster || state.environment.cluster.context)
    .map(({ folder, state }) => ({
      label: state.environment.name,
      description: [state.environment.branch ?? state.environment.path ?? '', state.environment.cluster.context ? `⎈ ${state.environment.cluster.context}` : ''].filter(Boolean).join(' · '),
      detail: model.folders().length > 1 ? folder.name : undefined,
      folderUri: folder.uri.toString(),
    }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage(withCluster ? 'No environment names a cluster context: add `cluster:` to gitops.yaml.' : 'No environments found.');
    return undefined;
  }
  const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder });
  return pick ? { folderUri: pick.folderUri, name: pick.label } : undefined;
}

/** The environment a command was invoked on: a tree node, an environment key, or a pick. */
async function environmentArg(model: EnvironmentsModel, arg: unknown, placeHolder: string): Promise<{ folderUri: string; name: string } | undefined> {
  const node = arg as EnvNode | undefined;
  if (node && typeof node === 'object' && node.type === 'environment') return { folderUri: node.folderUri, name: node.state.environment.name };
  if (typeof arg === 'string' && arg.includes('#')) {
    const hash = arg.lastIndexOf('#');
    return { folderUri: arg.slice(0, hash), name: arg.slice(hash + 1) };
  }
  return pickEnvironment(model, placeHolder, true);
}

export function registerDriftCommands(model: EnvironmentsModel, store: DriftStore, actions: DriftActions, panels: DriftReportPanels): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      Commands.showDriftReport,
      guarded(async (arg?: unknown) => {
        const env = await environmentArg(model, arg, 'Drift report of which environment?');
        if (env) panels.show({ kind: 'drift', environment: env.name, folder: env.folderUri });
      }),
    ),
    vscode.commands.registerCommand(
      Commands.compareEnvironments,
      guarded(async (arg?: unknown) => {
        await model.ensureLoaded();
        const node = arg as EnvNode | undefined;
        let from: { folderUri: string; name: string } | undefined;
        if (node && typeof node === 'object' && node.type === 'environment') from = { folderUri: node.folderUri, name: node.state.environment.name };
        from ??= await pickEnvironment(model, 'Compare which environment…', false);
        if (!from) return;
        const others = model.allStates().filter(({ folder, state }) => folder.uri.toString() === from.folderUri && state.environment.name !== from.name);
        const to = await vscode.window.showQuickPick(
          others.map(({ state }) => ({ label: state.environment.name, description: state.environment.branch ?? state.environment.path ?? '' })),
          { placeHolder: `…with which environment? (${from.name} is column A)` },
        );
        if (to) panels.show({ kind: 'compare', from: from.name, to: to.label, folder: from.folderUri });
      }),
    ),
    vscode.commands.registerCommand(Commands.showResourceDiff, guarded((envKey: string, key: string) => actions.showDiff(envKey, key))),
    vscode.commands.registerCommand(Commands.syncResource, guarded((envKey: string, key: string) => actions.syncResources(envKey, [key]))),
    vscode.commands.registerCommand(
      Commands.syncEnvironment,
      guarded(async (arg?: unknown) => {
        // Said first, not after a pick that leads to "drift not computed yet" (it never is in Restricted Mode).
        if (!vscode.workspace.isTrusted) {
          void vscode.window.showWarningMessage(RESTRICTED_SYNC_MESSAGE);
          return;
        }
        const env = await environmentArg(model, arg, 'Sync which environment to its cluster?');
        if (!env) return;
        const key = environmentKey(env.folderUri, env.name);
        const drift = store.get(key)?.drift;
        const keys = drift?.resources.filter((r) => r.status === 'Drifted' || r.status === 'Missing').map((r) => r.key) ?? [];
        if (keys.length === 0) {
          void vscode.window.showInformationMessage(drift ? `${env.name} is in sync with its cluster.` : `Drift of ${env.name} is not computed yet; open its drift report first.`);
          return;
        }
        await actions.syncResources(key, keys);
      }),
    ),
    vscode.commands.registerCommand(
      Commands.acceptLive,
      guarded((envKey: string, key: string, pointer: string, documentUri?: string) => actions.acceptLiveValue(envKey, key, pointer, documentUri)),
    ),
  ];
}
