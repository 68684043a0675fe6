// The "Preview Impact" command: on a pull request row of the Environments view (its base and head,
// fetched when the clone lacks the head), or from the command palette on any local branch against
// a branch it would merge into. The computation and the report are PreviewImpact's.
import * as vscode from 'vscode';
import { isGitRef } from '../../../webview-ui/protocol';
import type { BranchInfo } from '../../core/model';
import { resolveChangeRefs } from '../../git/preview/changeRefs';
import type { GitRepository } from '../../git/gitRepository';
import type { EnvironmentsModel } from '../environmentsModel';
import { Commands } from '../ids';
import type { Logger } from '../logger';
import { promotionRowOf } from '../promotion/promotionTreeRows';
import type { PreviewImpact } from './previewImpact';

export interface PreviewImpactCommandDeps {
  impact: PreviewImpact;
  model: EnvironmentsModel;
  log: Logger;
}

/** The ref as the report protocol takes it: its name when that is a plain ref, else its commit. */
async function safeRef(repo: GitRepository, ref: string): Promise<string> {
  if (isGitRef(ref)) return ref;
  const sha = await repo.resolve(ref);
  if (!sha) throw new Error(`${ref} does not resolve`);
  return sha;
}

/** Base choices for a branch: the environments' branches first (where changes go), then every other branch. */
export function baseChoices(branches: readonly BranchInfo[], head: BranchInfo, environmentBranches: readonly string[]): string[] {
  const label = (b: BranchInfo): string => (b.remote ? `${b.remote}/${b.name}` : b.name);
  const others = branches.filter((b) => b.ref !== head.ref && !(b.remote !== null && b.name === 'HEAD'));
  const first = others.filter((b) => environmentBranches.includes(b.name) || b.name === 'main' || b.name === 'master');
  return [...new Set([...first.map(label), ...others.map(label)])];
}

async function pickFolder(model: EnvironmentsModel): Promise<string | undefined> {
  const ready = model.folders().filter((s) => s.kind === 'ready');
  if (ready.length <= 1) return ready[0]?.folder.uri.toString();
  const picked = await vscode.window.showQuickPick(
    ready.map((s) => ({ label: s.folder.name, uri: s.folder.uri.toString() })),
    { placeHolder: 'Which repository?' },
  );
  return picked?.uri;
}

/** Palette: a local branch, then the branch it would merge into. */
async function pickBranchChange(deps: PreviewImpactCommandDeps): Promise<{ folderUri: string; base: string; head: string } | undefined> {
  const folderUri = await pickFolder(deps.model);
  if (!folderUri) {
    void vscode.window.showInformationMessage('Preview Impact needs a GitOps repository with its environments loaded.');
    return undefined;
  }
  const repo = deps.impact.repositoryOf(folderUri);
  if (!repo) return undefined;
  const branches = await repo.branches();
  const local = branches.filter((b) => b.remote === null);
  const head = await vscode.window.showQuickPick(
    local.map((b) => ({ label: b.name, description: b.sha.slice(0, 8), branch: b })),
    { placeHolder: 'Preview the impact of which branch?' },
  );
  if (!head) return undefined;
  const environmentBranches = deps.model
    .allStates()
    .filter((s) => s.folder.uri.toString() === folderUri)
    .map((s) => s.state.environment.branch)
    .filter((b): b is string => typeof b === 'string');
  const base = await vscode.window.showQuickPick(baseChoices(branches, head.branch, environmentBranches), { placeHolder: `Compared with which branch (where ${head.label} would be merged)?` });
  if (!base) return undefined;
  return { folderUri, base: await safeRef(repo, base), head: await safeRef(repo, head.label) };
}

export function registerPreviewImpact(deps: PreviewImpactCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.previewImpact, async (arg?: unknown) => {
      try {
        const row = promotionRowOf(arg);
        if (row?.type === 'pullRequest') {
          const repo = deps.impact.repositoryOf(row.folderUri);
          if (!repo) throw new Error('The repository of this pull request is not loaded');
          const { info } = row.pull;
          const refs = await resolveChangeRefs(repo, { base: info.base, head: info.head, headSha: info.headSha, number: info.number, fetchRef: row.pull.fetchRef });
          await deps.impact.open(row.folderUri, await safeRef(repo, refs.base), await safeRef(repo, refs.head));
          return;
        }
        const change = await pickBranchChange(deps);
        if (change) await deps.impact.open(change.folderUri, change.base, change.head);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        deps.log.error(`Preview Impact: ${message}`);
        void vscode.window.showErrorMessage(`Preview Impact: ${message}`);
      }
    }),
  ];
}
