// What "GitOps: Promote…" and "Roll Back…" act on: the environment node or history row the
// command was run on, or the source → target pair the user picks (with what is waiting in each).
import * as vscode from 'vscode';
import type { EnvironmentState } from '../../git/environmentStates';
import type { EnvironmentsModel } from '../environmentsModel';
import type { PreviewTarget } from '../../../webview-ui/promotion/protocol';
import { defaultPair, pairInto, promotionPairs, type LadderEnvironment, type PairChoice } from './pairChoices';
import { promotionRowOf } from './promotionTreeRows';

/** The environment an Environments-tree node stands for (the tree passes its node to context-menu commands). */
export function environmentArg(arg: unknown): { folderUri: string; name: string } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const node = arg as { type?: unknown; folderUri?: unknown; state?: { environment?: { name?: unknown } } };
  if (node.type !== 'environment' || typeof node.folderUri !== 'string') return undefined;
  const name = node.state?.environment?.name;
  return typeof name === 'string' ? { folderUri: node.folderUri, name } : undefined;
}

function ladder(states: readonly EnvironmentState[]): LadderEnvironment[] {
  return states.map((s) => ({
    name: s.environment.name,
    order: s.environment.order,
    pending: s.pending ? { from: s.pending.from, total: s.pending.total } : null,
    protected: s.environment.protected,
  }));
}

interface PairItem extends vscode.QuickPickItem {
  target?: PreviewTarget;
}

/**
 * The promotion to plan. From an environment node: into it from the one before (a first
 * environment: out of it, picked). Otherwise every forward pair of every loaded folder, the
 * usual next step preselected. Undefined when the user cancelled or there is nothing to promote.
 */
export async function pickPromotion(model: EnvironmentsModel, arg: unknown): Promise<PreviewTarget | undefined> {
  await model.ensureLoaded();
  const from = environmentArg(arg);
  const folders = model.folders().filter((f) => f.kind === 'ready');
  if (from) {
    const status = folders.find((f) => f.folder.uri.toString() === from.folderUri);
    if (status?.kind === 'ready') {
      const pair = pairInto(ladder(status.data.states), from.name);
      if (pair) return { kind: 'promotion', folder: from.folderUri, ...pair };
    }
  }
  const items: PairItem[] = [];
  let active: PairItem | undefined;
  for (const status of folders) {
    if (status.kind !== 'ready') continue;
    const folderUri = status.folder.uri.toString();
    if (from && from.folderUri !== folderUri) continue;
    let choices: PairChoice[] = promotionPairs(ladder(status.data.states));
    if (from) choices = choices.filter((c) => c.from === from.name);
    if (choices.length === 0) continue;
    if (folders.length > 1) items.push({ label: status.folder.name, kind: vscode.QuickPickItemKind.Separator });
    const preferred = defaultPair(choices, from ? { from: from.name } : {});
    for (const choice of choices) {
      const item: PairItem = { label: choice.label, description: choice.description, target: { kind: 'promotion', folder: folderUri, from: choice.from, to: choice.to } };
      items.push(item);
      if (choice === preferred && !active) active = item;
    }
  }
  if (!items.some((i) => i.target)) {
    void vscode.window.showInformationMessage('Nothing to promote: a promotion needs a repository with at least two environments.');
    return undefined;
  }
  const quickPick = vscode.window.createQuickPick<PairItem>();
  quickPick.title = 'GitOps: Promote';
  quickPick.placeholder = 'Promote from → to (pending commits shown for neighbouring environments)';
  quickPick.items = items;
  if (active) quickPick.activeItems = [active];
  const picked = await new Promise<PairItem | undefined>((resolve) => {
    quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0] ?? quickPick.activeItems[0]));
    quickPick.onDidHide(() => resolve(undefined));
    quickPick.show();
  });
  quickPick.dispose();
  return picked?.target;
}

/** The rollback a History row stands for; undefined for the current commit or anything else. */
export function rollbackTarget(arg: unknown): PreviewTarget | undefined {
  const row = promotionRowOf(arg);
  if (row?.type !== 'historyCommit') return undefined;
  if (row.current) {
    void vscode.window.showInformationMessage(`${row.environment} is at ${row.commit.shortSha} already: there is nothing to roll back.`);
    return undefined;
  }
  return { kind: 'rollback', folder: row.folderUri, environment: row.environment, commit: row.commit.sha };
}
