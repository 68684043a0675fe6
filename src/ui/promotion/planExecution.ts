// Runs a previewed plan: the protected-environment check (type its name), the pull-request
// provider (or the compare page when there is none), then `executePlan` under a cancellable
// progress notification, and the link at the end. The engine guarantees the rest: the user's
// checkout is untouched, the temporary worktree is removed, and nothing is pushed once cancelled.
import * as vscode from 'vscode';
import type { HostOverrides } from '../../core/hostKind';
import { PromotionError } from '../../core/promotion/promotionError';
import type { PromotionPlan } from '../../core/promotion/promotionTypes';
import { maskSecrets } from '../../core/secrets';
import type { GitRepository } from '../../git/gitRepository';
import { GitError } from '../../git/gitError';
import { executePlan, type ExecutionResult } from '../../git/promotion/executePlan';
import { remoteHost } from '../../git/promotion/remoteHost';
import { HostError } from '../../hosts/hostError';
import { selectPullRequestProvider } from '../../hosts/providerFactory';
import type { PullRequestProvider } from '../../hosts/pullRequestProvider';
import { parseRemoteUrl } from '../../core/remoteUrl';
import type { Logger } from '../logger';
import { isSignInKind, type SignInKind } from './hostSettings';
import type { HostTokens } from './hostTokens';

export interface ExecutionDeps {
  tokens: HostTokens;
  log: Logger;
  /** "Sign in to Pull Request Host…" with the kind and host preset; resolves when done or cancelled. */
  signIn(preset: { kind?: SignInKind; host?: string }): Promise<unknown>;
}

export interface ExecutionInput {
  repo: GitRepository;
  overrides: HostOverrides;
  hostName: string;
}

const SIGN_IN = 'Sign In…';
const PUSH_ONLY = 'Push and Open Compare Page';

/** The environment's name typed into an input box; false when the user cancelled. */
async function confirmProtected(plan: PromotionPlan): Promise<boolean> {
  const name = plan.to;
  const typed = await vscode.window.showInputBox({
    title: `${name} is a protected environment`,
    prompt: `Type "${name}" to ${plan.kind === 'rollback' ? 'open the rollback pull request' : 'open the promotion pull request'} into ${name}.`,
    placeHolder: name,
    ignoreFocusOut: true,
    validateInput: (value) => (value === name ? undefined : `Type ${name} exactly`),
  });
  return typed === name;
}

/**
 * The provider for the target's remote. When there is none, says why and offers to sign in or to
 * push only; undefined when the user cancelled.
 */
async function chooseProvider(deps: ExecutionDeps, input: ExecutionInput, plan: PromotionPlan): Promise<{ provider: PullRequestProvider | null } | undefined> {
  const { remoteUrl } = await remoteHost(input.repo, plan.target.remote, input.overrides);
  if (!remoteUrl) return { provider: null };
  for (let attempt = 0; attempt < 2; attempt++) {
    const selection = await selectPullRequestProvider({ remoteUrl, overrides: input.overrides, tokenSource: deps.tokens.source(true) });
    if (selection.provider) return { provider: selection.provider };
    const kind = selection.host.kind;
    const canSignIn = isSignInKind(kind) && selection.host.owner !== null;
    const choice = await vscode.window.showWarningMessage(
      `No pull request can be opened on ${input.hostName}: ${selection.reason ?? 'no provider'}.`,
      { modal: true, detail: `The branch ${plan.headBranch} can still be pushed; the host's page to open the pull request by hand is offered afterwards.` },
      ...(canSignIn && attempt === 0 ? [SIGN_IN] : []),
      PUSH_ONLY,
    );
    if (choice === PUSH_ONLY) return { provider: null };
    if (choice !== SIGN_IN) return undefined;
    await deps.signIn({ kind: isSignInKind(kind) ? kind : undefined, host: parseRemoteUrl(remoteUrl)?.host });
  }
  return { provider: null };
}

/** What happened, for a notification: the error's own sentence and next step. */
export function describeFailure(error: unknown): string {
  if (error instanceof PromotionError || error instanceof HostError) return maskSecrets(error.describe());
  if (error instanceof GitError) return maskSecrets(error.message);
  return maskSecrets(error instanceof Error ? error.message : String(error));
}

/**
 * Runs the plan. Resolves undefined when the user backed out before anything started; throws
 * PromotionError (with `describe()`) when the run failed.
 */
export async function runPlan(deps: ExecutionDeps, input: ExecutionInput, plan: PromotionPlan): Promise<ExecutionResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    throw new PromotionError('failed', 'Promotions and rollbacks push with Git, which Restricted Mode does not allow', 'trust this workspace first (Manage Workspace Trust)');
  }
  if (plan.targetProtected && !(await confirmProtected(plan))) return undefined;
  const chosen = await chooseProvider(deps, input, plan);
  if (!chosen) return undefined;
  const what = plan.kind === 'rollback' ? `Rolling back ${plan.to} to ${plan.source.shortCommit}` : `Promoting ${plan.from} → ${plan.to}`;
  deps.log.info(`${what}: ${plan.headBranch} → ${plan.target.branch}${chosen.provider ? ` on ${chosen.provider.displayName}` : ' (push only)'}`);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: what, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      return await executePlan(input.repo, plan, {
        provider: chosen.provider,
        signal: controller.signal,
        onProgress: (p) => {
          deps.log.debug(`${p.step}: ${p.message}`);
          progress.report({ message: p.message, increment: p.increment });
        },
      });
    } finally {
      cancel.dispose();
    }
  });
  deps.log.info(`${plan.headBranch}: ${result.pullRequestAction === 'none' ? `pushed to ${result.remote}` : `pull request #${result.pullRequest?.number} ${result.pullRequestAction}`}`);
  announce(result, plan);
  return result;
}

function openExternal(url: string): void {
  void vscode.env.openExternal(vscode.Uri.parse(url, true));
}

/** The link at the end, without waiting for the user to click it. */
function announce(result: ExecutionResult, plan: PromotionPlan): void {
  if (result.warnings.length) void vscode.window.showWarningMessage(maskSecrets(result.warnings.join('; ')));
  const pull = result.pullRequest;
  if (pull) {
    const verb = result.pullRequestAction === 'updated' ? 'Updated' : 'Opened';
    void vscode.window.showInformationMessage(`${verb} pull request #${pull.number}: ${pull.title}`, 'Open Pull Request').then((choice) => {
      if (choice) openExternal(pull.url);
    });
    return;
  }
  const pushed = result.pushed ? `Pushed ${result.headBranch} to ${result.remote}.` : `${result.headBranch} on ${result.remote} already holds this ${plan.kind}.`;
  if (result.compareUrl) {
    const url = result.compareUrl;
    void vscode.window.showInformationMessage(`${pushed} Open the pull request into ${plan.target.branch} on the host's page.`, 'Open Compare Page').then((choice) => {
      if (choice) openExternal(url);
    });
  } else {
    void vscode.window.showInformationMessage(`${pushed} Open a pull request into ${plan.target.branch} on your Git host.`);
  }
}

/** Shows a failure with its next step; "Sign In…" when the host refused the token. */
export async function showFailure(deps: ExecutionDeps, error: unknown, input?: { hostKind?: string; host?: string }): Promise<void> {
  if (error instanceof PromotionError && error.code === 'cancelled') {
    void vscode.window.showInformationMessage(error.message);
    return;
  }
  const message = describeFailure(error);
  deps.log.error('promotion failed', new Error(message));
  const unauthorized = error instanceof PromotionError && error.code === 'unauthorized';
  const choice = await vscode.window.showErrorMessage(message, ...(unauthorized ? [SIGN_IN] : []), 'Show Log');
  if (choice === SIGN_IN) await deps.signIn({ kind: isSignInKind(input?.hostKind) ? input?.hostKind : undefined, host: input?.host });
  else if (choice === 'Show Log') deps.log.show();
}
