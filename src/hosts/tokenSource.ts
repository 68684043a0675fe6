// Where provider tokens come from. The extension supplies one backed by VS Code's GitHub sign-in
// and SecretStorage; the CLI reads environment variables. Tokens are fetched when a provider is
// built and kept only in memory, never in an argument list, a log line or a message.
import type { HostKind } from '../core/model';

export interface TokenRequest {
  kind: HostKind;
  /** Host name of the repository (`github.com`, `git.example.com`). */
  host: string;
  /** REST API base the token is for. */
  apiUrl: string;
}

export interface TokenSource {
  /** A token for the host, or null when none is available (the caller then pushes and offers the compare page). */
  getToken(request: TokenRequest): Promise<string | null>;
}

/** Environment variable the CLI reads per host kind. */
export function tokenVariableFor(kind: HostKind): string | null {
  switch (kind) {
    case 'github':
    case 'github-enterprise':
      return 'GITHUB_TOKEN';
    case 'gitlab':
      return 'GITLAB_TOKEN';
    case 'gitea':
      return 'GITEA_TOKEN';
    case 'azure-devops':
      return 'AZURE_DEVOPS_TOKEN';
    case 'bitbucket':
    case 'bitbucket-server':
      return 'BITBUCKET_TOKEN';
    default:
      return null;
  }
}

/** Tokens from environment variables (GITHUB_TOKEN, GITLAB_TOKEN, GITEA_TOKEN, AZURE_DEVOPS_TOKEN, BITBUCKET_TOKEN). */
export function environmentTokenSource(env: Readonly<Record<string, string | undefined>> = process.env): TokenSource {
  return {
    async getToken(request: TokenRequest): Promise<string | null> {
      const name = tokenVariableFor(request.kind);
      const value = name ? env[name]?.trim() : undefined;
      return value ? value : null;
    },
  };
}

/** A fixed token (tests, or a token the caller already holds). */
export function staticTokenSource(token: string | null): TokenSource {
  return { getToken: async () => token };
}
