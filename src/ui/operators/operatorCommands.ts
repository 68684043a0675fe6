// Commands on operator rows: ask Argo CD to sync or refresh, ask Flux to reconcile, suspend or resume.
import * as vscode from 'vscode';
import type { EnvNode } from '../environmentTree';
import { Commands } from '../ids';
import type { OperatorsController } from './operatorsController';

type OperatorNode = EnvNode & { type: 'operator' };

function isOperatorNode(value: unknown): value is OperatorNode {
  return typeof value === 'object' && value !== null && (value as EnvNode).type === 'operator';
}

export function registerOperatorCommands(operators: OperatorsController): vscode.Disposable[] {
  const on =
    (action: Parameters<OperatorsController['act']>[3]) =>
    async (node: unknown): Promise<void> => {
      if (!isOperatorNode(node)) {
        void vscode.window.showInformationMessage('Run this from an Argo CD or Flux row in the Environments view.');
        return;
      }
      await operators.act(node.parent.folderUri, node.parent.state.environment.name, node.status, action);
    };
  return [
    vscode.commands.registerCommand(Commands.argoSync, async (node: unknown) => {
      if (!isOperatorNode(node)) return on('sync')(node);
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'Sync', description: 'apply what Git declares', action: 'sync' as const },
          { label: 'Sync and prune', description: 'also delete resources no longer in Git', action: 'syncPrune' as const },
          { label: 'Dry run', description: 'let Argo CD report what a sync would do', action: 'syncDryRun' as const },
        ],
        { placeHolder: `Ask Argo CD to sync ${node.status.ref.name}` },
      );
      if (pick) await on(pick.action)(node);
    }),
    vscode.commands.registerCommand(Commands.argoRefresh, on('refresh')),
    vscode.commands.registerCommand(Commands.argoHardRefresh, on('hardRefresh')),
    vscode.commands.registerCommand(Commands.fluxReconcile, on('reconcile')),
    vscode.commands.registerCommand(Commands.fluxSuspend, on('suspend')),
    vscode.commands.registerCommand(Commands.fluxResume, on('resume')),
  ];
}
