// Tokens for pull-request hosts, from the two places the extension may keep them: VS Code's
// SecretStorage (tokens the user gave "GitOps: Sign in to Pull Request Host…", keyed by host
// name) and VS Code's own GitHub sign-in (`vscode.authentication`), so GitHub needs no personal
// token. Tokens stay in memory only as long as a provider is built; they are never logged, put in
// settings, argument lists or webview messages.
import * as vscode from 'vscode';
import type { TokenRequest, TokenSource } from '../../hosts/tokenSource';
import type { Logger } from '../logger';
import { githubSessionProvider, isSignInKind, tokenSecretKey, type SignInKind } from './hostSettings';

export interface SignedInHost {
  host: string;
  kind: SignInKind;
}

/** globalState key of the hosts with a stored token (names and kinds only: SecretStorage cannot be listed on older hosts). */
const HOSTS_KEY = 'gitops.signedInHosts';
/** What promotion needs from GitHub: push is the user's git credentials; the API needs `repo` for pull requests on private repositories. */
const GITHUB_SCOPES = ['repo'];

export class HostTokens implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** A token was stored or removed, or a GitHub session changed: providers and lists are out of date. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly log: Logger,
  ) {
    this.subscriptions.push(
      secrets.onDidChange((e) => {
        if (e.key.startsWith(tokenSecretKey(''))) this.changed.fire();
      }),
      vscode.authentication.onDidChangeSessions((e) => {
        if (e.provider.id === 'github' || e.provider.id === 'github-enterprise') this.changed.fire();
      }),
    );
  }

  /** Hosts with a stored token, by name. */
  hosts(): SignedInHost[] {
    const raw = this.state.get<unknown>(HOSTS_KEY, []);
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((entry: unknown): SignedInHost[] => {
      if (typeof entry !== 'object' || entry === null) return [];
      const { host, kind } = entry as Record<string, unknown>;
      return typeof host === 'string' && isSignInKind(kind) ? [{ host, kind }] : [];
    });
  }

  async store(host: string, kind: SignInKind, token: string): Promise<void> {
    await this.secrets.store(tokenSecretKey(host), token);
    const others = this.hosts().filter((h) => h.host !== host);
    await this.state.update(HOSTS_KEY, [...others, { host, kind }]);
    this.log.info(`stored a ${kind} token for ${host}`);
    this.changed.fire();
  }

  async remove(host: string): Promise<void> {
    await this.secrets.delete(tokenSecretKey(host));
    await this.state.update(
      HOSTS_KEY,
      this.hosts().filter((h) => h.host !== host),
    );
    this.log.info(`removed the token for ${host}`);
    this.changed.fire();
  }

  /**
   * A TokenSource for providers. `interactive`: GitHub may ask the user to sign in (when a pull
   * request is about to be opened); otherwise only existing sessions count (background refreshes
   * must never pop up a sign-in).
   */
  source(interactive: boolean): TokenSource {
    return { getToken: (request) => this.getToken(request, interactive) };
  }

  private async getToken(request: TokenRequest, interactive: boolean): Promise<string | null> {
    const stored = await this.secrets.get(tokenSecretKey(request.host));
    if (stored) return stored;
    if (request.kind === 'github' || request.kind === 'github-enterprise') return this.githubSession(request, interactive);
    return null;
  }

  /** VS Code's GitHub session, only for the server that issued it (see githubSessionProvider). */
  private async githubSession(request: TokenRequest, interactive: boolean): Promise<string | null> {
    const providerId = githubSessionProvider(request, vscode.workspace.getConfiguration('github-enterprise').get<string>('uri', ''));
    if (!providerId) return null;
    try {
      const session = await vscode.authentication.getSession(providerId, GITHUB_SCOPES, interactive ? { createIfNone: true } : { silent: true });
      return session?.accessToken ?? null;
    } catch (error) {
      // No such provider here (VS Code in a browser), or the user declined.
      this.log.debug(`no ${providerId} session: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
