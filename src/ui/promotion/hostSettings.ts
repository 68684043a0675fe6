// Host names and overrides for pull-request hosts, shared by sign-in, the token source and the
// promotion commands. Pure (no `vscode`): the callers read settings and secrets.
import type { HostConfig } from '../../core/config';
import type { HostOverrides } from '../../core/hostKind';
import type { HostKind } from '../../core/model';
import { parseRemoteUrl } from '../../core/remoteUrl';

export type SignInKind = Exclude<HostKind, 'unknown'>;

export const SIGN_IN_KINDS: ReadonlyArray<{ kind: SignInKind; label: string; tokenHint: string }> = [
  { kind: 'github', label: 'GitHub', tokenHint: 'a personal access token with the repo scope (usually not needed: VS Code’s GitHub sign-in is used)' },
  { kind: 'github-enterprise', label: 'GitHub Enterprise Server', tokenHint: 'a personal access token with the repo scope' },
  { kind: 'gitlab', label: 'GitLab', tokenHint: 'a personal or project access token with the api scope' },
  { kind: 'gitea', label: 'Gitea / Forgejo', tokenHint: 'an access token with repository read and write' },
  { kind: 'azure-devops', label: 'Azure DevOps', tokenHint: 'a personal access token with Code (read & write)' },
  { kind: 'bitbucket', label: 'Bitbucket Cloud', tokenHint: 'an app password or access token with pull request write' },
  { kind: 'bitbucket-server', label: 'Bitbucket Data Center', tokenHint: 'an HTTP access token with repository write' },
];

export function isSignInKind(value: unknown): value is SignInKind {
  return typeof value === 'string' && SIGN_IN_KINDS.some((k) => k.kind === value);
}

/** SecretStorage key of a host's token. Only the host name: never the token, never a URL with credentials. */
export function tokenSecretKey(host: string): string {
  return `gitops.hostToken/${host}`;
}

/**
 * The host name a token is kept under, from what the user typed: a host name (`git.example.com`,
 * `git.example.com:8443`), a URL, or a remote (`git@host:owner/repo.git`). Lower-case, without
 * port, user or path — the same name `selectPullRequestProvider` asks tokens for. Null when it is
 * not a host name.
 */
export function normalizeHostInput(text: string): string | null {
  const value = text.trim();
  if (value === '') return null;
  const parsed = parseRemoteUrl(value);
  if (parsed && parsed.host) return parsed.host;
  const bare = value.replace(/:\d+$/, '').toLowerCase();
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(bare) ? bare : null;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Which of VS Code's GitHub sign-ins may answer a token request, if any: github.com's session goes
 * only to api.github.com, a GitHub Enterprise session only to the host `github-enterprise.uri`
 * names. Anything else (a test server, another Enterprise host) needs a token stored for that
 * host — a session token must never be sent to a server it was not issued by.
 */
export function githubSessionProvider(request: { host: string; apiUrl: string }, enterpriseUri: string): 'github' | 'github-enterprise' | null {
  if (request.apiUrl.replace(/\/+$/, '') === 'https://api.github.com') return 'github';
  const enterpriseHost = enterpriseUri ? hostOf(enterpriseUri) : null;
  if (!enterpriseHost) return null;
  return enterpriseHost === request.host || enterpriseHost === hostOf(request.apiUrl) ? 'github-enterprise' : null;
}

export interface HostSettings {
  /** `gitops.hosts.kind`; '' = not set. */
  kind: string;
  /** `gitops.hosts.apiUrl`; '' = not set. */
  apiUrl: string;
}

/**
 * Settings win over gitops.yaml `hosts:` (they are the user's machine-specific answer, like the
 * CLI's --provider / --api-url); an unusable setting is left out and reported.
 */
export function mergeHostOverrides(config: HostConfig | null, settings: HostSettings): { overrides: HostOverrides; problems: string[] } {
  const problems: string[] = [];
  let kind: HostKind | null = config?.kind ?? null;
  let apiUrl: string | null = config?.apiUrl ?? null;
  const settingKind = settings.kind.trim();
  if (settingKind !== '') {
    if (isSignInKind(settingKind)) kind = settingKind;
    else problems.push(`gitops.hosts.kind "${settingKind}" is not a known host kind; using ${kind ?? 'the kind the remote URL implies'}`);
  }
  const settingApi = settings.apiUrl.trim();
  if (settingApi !== '') {
    if (!/^https?:\/\/[^/\s@]+(\/\S*)?$/i.test(settingApi)) problems.push('gitops.hosts.apiUrl must be an http(s) URL without user or password; it is ignored');
    else apiUrl = settingApi.replace(/\/+$/, '');
  }
  return { overrides: { kind, apiUrl }, problems };
}
