// Promotion and rollback in the editor: the commands ("Promote…", "Roll Back Environment to This
// Commit", host sign-in and sign-out, pull request refresh and open), the preview panels and
// their serializer, and the services behind the tree rows (pull requests, history). Everything is
// built on first use except the cheap objects; activation does no Git and no network work.
import * as vscode from 'vscode';
import { renderPlanChange } from '../../git/promotion/renderPlanChange';
import type { DriftStore } from '../drift/driftStore';
import { environmentKey } from '../drift/driftStore';
import type { EnvNode } from '../environmentTree';
import type { EnvironmentsModel } from '../environmentsModel';
import { Commands, ENVIRONMENTS_VIEW_ID, Settings } from '../ids';
import type { Logger } from '../logger';
import type { PreviewTarget } from '../../../webview-ui/promotion/protocol';
import { driftSentence } from './driftSentence';
import { EnvironmentHistory } from './environmentHistory';
import { signInToHost, signOutOfHost } from './hostSignIn';
import { HostTokens } from './hostTokens';
import { describeFailure, runPlan, showFailure, type ExecutionDeps } from './planExecution';
import { planPreview, type PlannedPreview } from './previewPlanner';
import { PromotionPanels, registerPromotionPanelSerializer } from './promotionPanel';
import { promotionLiveImpact, RenderedAfter } from './promotionLiveImpact';
import { loadClusterModule } from '../clusterLoader';
import { pickPromotion, rollbackTarget } from './promotionPicks';
import { PromotionTreeRows, promotionRowOf } from './promotionTreeRows';
import { PullRequestsService } from './pullRequestsService';

function setting<T>(key: string, fallback: T): T {
  return vscode.workspace.getConfiguration(Settings.section).get<T>(key, fallback);
}

/** The services behind the tree rows; build them before the tree when the tree shows the rows. */
export interface PromotionServices {
  tokens: HostTokens;
  pullRequests: PullRequestsService;
  history: EnvironmentHistory;
  rows: PromotionTreeRows;
}

export function createPromotionServices(deps: { context: vscode.ExtensionContext; model: EnvironmentsModel; log: Logger }): PromotionServices {
  const tokens = new HostTokens(deps.context.secrets, deps.context.globalState, deps.log.child('hosts'));
  const pullRequests = new PullRequestsService({
    model: deps.model,
    tokens,
    log: deps.log.child('pullRequests'),
    refreshMinutes: () => setting(Settings.promotionPullRequestRefreshMinutes, 5),
  });
  const history = new EnvironmentHistory(deps.model, () => setting(Settings.promotionHistoryLimit, 20));
  return { tokens, pullRequests, history, rows: new PromotionTreeRows(pullRequests, history) };
}

export interface PromotionDeps {
  context: vscode.ExtensionContext;
  model: EnvironmentsModel;
  log: Logger;
  /** The Environments view: pull requests refresh on a timer while it is visible. */
  view: vscode.TreeView<EnvNode>;
  /** The target's drift goes into the preview and the pull request body when given. */
  drift?: DriftStore;
  /** Shared with the tree (see createPromotionServices); created here when absent. Disposed with the returned disposables. */
  services?: PromotionServices;
}

const RESTRICTED_RENDER = 'Restricted Mode: kustomize and helm do not run in an untrusted workspace';
const RESTRICTED_LIVE = 'Restricted Mode: trust this workspace to ask the cluster what applying would change';
const RESTRICTED_RUN = 'Restricted Mode: trust this workspace to push the branch and open the pull request';

export function registerPromotion(deps: PromotionDeps): vscode.Disposable[] {
  const { context, model, log } = deps;
  const services = deps.services ?? createPromotionServices(deps);
  const { tokens, pullRequests, history, rows } = services;

  const signIn = (preset: Parameters<typeof signInToHost>[3] = {}) => signInToHost(tokens, model, log.child('hosts'), preset);
  const execution: ExecutionDeps = { tokens, log, signIn };
  const driftState = (folderUri: string, environment: string): string | null => driftSentence(environment, deps.drift?.get(environmentKey(folderUri, environment)));

  const afterRun = (planned: PlannedPreview): void => {
    // The push added a remote branch and maybe a pull request: the tree and its rows follow.
    model.requestRefresh(0);
    void pullRequests.refresh(planned.target.folder);
  };

  const renderedAfter = new RenderedAfter();
  const panels = new PromotionPanels({
    extensionUri: context.extensionUri,
    log: log.child('preview'),
    actions: {
      plan: (target) => planPreview({ model, log, driftState }, target),
      sessionOptions: (planned) => ({
        hostName: planned.hostName,
        renderOffReason: !vscode.workspace.isTrusted ? RESTRICTED_RENDER : setting(Settings.promotionRenderPreview, true) ? null : 'Rendering is turned off (gitops.promotion.renderPreview)',
        readOnlyReason: vscode.workspace.isTrusted ? null : RESTRICTED_RUN,
        // Restricted Mode: no cluster contact (ARCHITECTURE.md).
        liveOffReason: vscode.workspace.isTrusted ? null : RESTRICTED_LIVE,
      }),
      render: async (planned, plan, signal) => {
        // The schemas live in the cluster bundle, loaded on first use: activation stays light.
        const after = renderedAfter.capture((objects) => loadClusterModule().refusedReasons(objects));
        const diff = await renderPlanChange(planned.repo, plan, { trusted: vscode.workspace.isTrusted, timeoutMs: setting(Settings.renderTimeoutSeconds, 30) * 1000, signal, refused: after.refused });
        return after.keep(diff);
      },
      liveImpact: async (planned, plan, diff, signal) => {
        const after = renderedAfter.of(diff);
        const environment = model.findState(planned.target.folder, plan.to)?.state.environment;
        if (!after) return { status: 'none', objects: [], message: 'the render kept no objects to check' };
        if (!environment) return { status: 'none', objects: [], message: `${plan.to} is not in the Environments view; refresh it` };
        return promotionLiveImpact({
          repo: planned.repo,
          plan,
          environment,
          after,
          kubeconfig: setting<string>(Settings.kubeconfig, '') || undefined,
          timeoutMs: setting(Settings.renderTimeoutSeconds, 30) * 1000,
          signal,
          cluster: loadClusterModule(),
        });
      },
      execute: async (planned, plan) => {
        const result = await runPlan(execution, planned, plan);
        if (result) afterRun(planned);
        return result;
      },
      failed: (planned, error) => void showFailure(execution, error, { hostKind: planned?.plan.host.kind }),
      describe: describeFailure,
      openExternal: (url) => void vscode.env.openExternal(vscode.Uri.parse(url, true)),
    },
  });

  /** Plans under a progress notification, then opens (or refreshes) the preview. */
  const preview = async (target: PreviewTarget): Promise<void> => {
    const title = target.kind === 'promotion' ? `Planning ${target.from} → ${target.to}…` : `Planning the rollback of ${target.environment}…`;
    try {
      const planned = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => planPreview({ model, log, driftState }, target));
      panels.show(planned);
    } catch (error) {
      void showFailure(execution, error);
    }
  };

  const disposables: vscode.Disposable[] = [
    tokens,
    pullRequests,
    rows,
    panels,
    registerPromotionPanelSerializer(panels),
    vscode.commands.registerCommand(Commands.promote, async (arg?: unknown) => {
      const target = await pickPromotion(model, arg);
      if (target) await preview(target);
    }),
    vscode.commands.registerCommand(Commands.rollback, async (arg?: unknown) => {
      const target = rollbackTarget(arg);
      if (target) await preview(target);
      else if (!promotionRowOf(arg)) void vscode.window.showInformationMessage('Roll back from the Environments view: expand an environment’s History and right-click the commit to return to.');
    }),
    vscode.commands.registerCommand(Commands.signInHost, async () => {
      if (await signIn()) await pullRequests.refresh();
    }),
    vscode.commands.registerCommand(Commands.signOutHost, () => signOutOfHost(tokens)),
    vscode.commands.registerCommand(Commands.refreshPullRequests, async () => {
      await vscode.window.withProgress({ location: { viewId: ENVIRONMENTS_VIEW_ID } }, () => pullRequests.refresh());
      const blocked = model
        .folders()
        .map((f) => ({ name: f.folder.name, status: pullRequests.status(f.folder.uri.toString()) }))
        .filter((f) => f.status.state === 'noProvider' || f.status.state === 'failed');
      if (blocked.length === 0) return;
      const first = blocked[0];
      const why = first.status.state === 'noProvider' ? first.status.reason : first.status.state === 'failed' ? first.status.message : '';
      const choice = await vscode.window.showWarningMessage(`Pull requests of ${first.name} cannot be listed: ${why}`, 'Sign In…');
      if (choice) await vscode.commands.executeCommand(Commands.signInHost);
    }),
    vscode.commands.registerCommand(Commands.openPullRequest, async (arg?: unknown) => {
      const row = promotionRowOf(arg);
      if (row?.type !== 'pullRequest') return;
      await vscode.env.openExternal(vscode.Uri.parse(row.pull.info.url, true));
    }),
    deps.view.onDidChangeVisibility((e) => pullRequests.setVisible(e.visible)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${Settings.section}.hosts`)) void pullRequests.refresh();
      if (event.affectsConfiguration(`${Settings.section}.${Settings.promotionPullRequestRefreshMinutes}`)) pullRequests.restartTimer();
      if (event.affectsConfiguration(`${Settings.section}.${Settings.promotionHistoryLimit}`)) {
        history.clear();
        rows.refresh();
      }
    }),
  ];
  if (deps.view.visible) pullRequests.setVisible(true);
  return disposables;
}
