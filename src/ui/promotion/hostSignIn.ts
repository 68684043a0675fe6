// "GitOps: Sign in to Pull Request Host…" and "Sign out…": a token for GitLab, Gitea/Forgejo,
// Azure DevOps, Bitbucket or a GitHub server VS Code's own sign-in does not cover, typed into a
// password box and kept in SecretStorage under the host's name. Nothing else sees it.
import * as vscode from 'vscode';
import type { EnvironmentsModel } from '../environmentsModel';
import type { Logger } from '../logger';
import { remoteHostChoices } from './hostContext';
import { normalizeHostInput, SIGN_IN_KINDS, type SignInKind } from './hostSettings';
import type { HostTokens } from './hostTokens';

export interface SignInResult {
  host: string;
  kind: SignInKind;
}

function kindLabel(kind: SignInKind): string {
  return SIGN_IN_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

export async function signInToHost(tokens: HostTokens, model: EnvironmentsModel, log: Logger, preset?: { kind?: SignInKind; host?: string }): Promise<SignInResult | undefined> {
  const detected = await remoteHostChoices(model, log).catch(() => []);
  let kind: SignInKind | undefined = preset?.kind;
  if (!kind) {
    const detectedKinds = new Set(detected.map((d) => d.kind));
    const pick = await vscode.window.showQuickPick(
      SIGN_IN_KINDS.map((k) => ({
        label: k.label,
        description: detectedKinds.has(k.kind) ? 'used by this workspace' : undefined,
        hostKind: k.kind,
      })).sort((a, b) => Number(detectedKinds.has(b.hostKind)) - Number(detectedKinds.has(a.hostKind))),
      { title: 'Sign in to a Pull Request Host (1/3)', placeHolder: 'Which kind of host?', ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    kind = pick.hostKind;
  }
  const chosen: SignInKind = kind;
  const suggestion = preset?.host ?? detected.find((d) => d.kind === chosen)?.host ?? detected[0]?.host ?? '';
  const typed = await vscode.window.showInputBox({
    title: 'Sign in to a Pull Request Host (2/3)',
    prompt: `Host name of the ${kindLabel(chosen)} server, as in the repository's remote URL`,
    value: suggestion,
    placeHolder: 'git.example.com',
    ignoreFocusOut: true,
    validateInput: (value) => (normalizeHostInput(value) ? undefined : 'Type a host name, e.g. git.example.com (a URL works too)'),
  });
  const host = typed === undefined ? null : normalizeHostInput(typed);
  if (!host) return undefined;
  const hint = SIGN_IN_KINDS.find((k) => k.kind === chosen)?.tokenHint ?? 'an access token';
  const token = await vscode.window.showInputBox({
    title: 'Sign in to a Pull Request Host (3/3)',
    prompt: `Token for ${host}: ${hint}. It is kept in VS Code's secret storage.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'Paste the token' : /\s/.test(value.trim()) ? 'A token has no spaces' : undefined),
  });
  if (token === undefined || token.trim() === '') return undefined;
  await tokens.store(host, chosen, token.trim());
  void vscode.window.showInformationMessage(`Signed in to ${host} (${kindLabel(chosen)}). Pull requests for repositories on ${host} use this token.`);
  return { host, kind: chosen };
}

export async function signOutOfHost(tokens: HostTokens): Promise<void> {
  const hosts = tokens.hosts();
  if (hosts.length === 0) {
    void vscode.window.showInformationMessage('No pull request host token is stored. GitHub sign-ins are managed in the Accounts menu.');
    return;
  }
  const pick = await vscode.window.showQuickPick(
    hosts.map((h) => ({ label: h.host, description: kindLabel(h.kind), host: h.host })),
    { title: 'Sign out of a Pull Request Host', placeHolder: 'Forget the token of…' },
  );
  if (!pick) return;
  await tokens.remove(pick.host);
  void vscode.window.showInformationMessage(`Signed out of ${pick.host}: its token was removed from VS Code's secret storage.`);
}
