// Picks the pull-request provider for a repository: the host kind from the remote URL (or the
// gitops.yaml / --provider override), owner and repository always from the remote URL, the API
// base from the host or the override, and a token from the TokenSource. When any of that is
// missing the answer is "no provider" with the reason; the caller then pushes the branch and
// offers the host's compare page.
import { detectHostKind, type HostInfo, type HostOverrides } from '../core/hostKind';
import type { HostKind } from '../core/model';
import { parseRemoteUrl } from '../core/remoteUrl';
import { AzureDevOpsProvider } from './azureDevOpsProvider';
import { BitbucketCloudProvider } from './bitbucketCloudProvider';
import { BitbucketServerProvider } from './bitbucketServerProvider';
import { GiteaProvider } from './giteaProvider';
import { GitHubProvider, type ProviderOptions } from './githubProvider';
import { GitLabProvider } from './gitlabProvider';
import type { PullRequestProvider, RepositoryRef } from './pullRequestProvider';
import { tokenVariableFor, type TokenSource } from './tokenSource';

export interface ProviderRequest {
  /** The remote's URL as configured (`https://host/owner/repo.git`, `git@host:owner/repo.git`). */
  remoteUrl: string;
  /** gitops.yaml `hosts`, settings, or the CLI's --provider / --api-url. */
  overrides?: HostOverrides;
  tokenSource: TokenSource;
  options?: ProviderOptions;
}

export interface ProviderSelection {
  host: HostInfo;
  provider: PullRequestProvider | null;
  /** Why there is no provider, with the next step; null when there is one. */
  reason: string | null;
}

const DISPLAY: Record<HostKind, string> = {
  github: 'GitHub',
  'github-enterprise': 'GitHub Enterprise',
  gitlab: 'GitLab',
  gitea: 'Gitea',
  'azure-devops': 'Azure DevOps',
  bitbucket: 'Bitbucket',
  'bitbucket-server': 'Bitbucket Data Center',
  unknown: 'this host',
};

export function hostDisplayName(kind: HostKind): string {
  return DISPLAY[kind];
}

/** Builds the provider for a known repository and token. */
export function createPullRequestProvider(repository: RepositoryRef, token: string, options: ProviderOptions = {}): PullRequestProvider {
  switch (repository.kind) {
    case 'github':
    case 'github-enterprise':
      return new GitHubProvider(repository, token, options);
    case 'gitlab':
      return new GitLabProvider(repository, token, options);
    case 'gitea':
      return new GiteaProvider(repository, token, options);
    case 'azure-devops':
      return new AzureDevOpsProvider(repository, token, options);
    case 'bitbucket':
      return new BitbucketCloudProvider(repository, token, options);
    case 'bitbucket-server':
      return new BitbucketServerProvider(repository, token, options);
    default:
      throw new Error(`No pull request provider for host kind ${repository.kind}`);
  }
}

/** Detects the host and builds its provider, or says why it cannot. Never throws for missing pieces. */
export async function selectPullRequestProvider(request: ProviderRequest): Promise<ProviderSelection> {
  const host = detectHostKind(request.remoteUrl, request.overrides ?? {});
  if (host.kind === 'unknown') {
    return { host, provider: null, reason: 'the remote URL does not name a known pull-request host; set hosts.kind in gitops.yaml (CLI: --provider)' };
  }
  const name = hostDisplayName(host.kind);
  if (!host.owner || !host.repo || !host.webUrl) {
    return { host, provider: null, reason: `the remote URL does not name a ${name} repository (owner/repository)` };
  }
  if (!host.apiUrl) return { host, provider: null, reason: `no API URL for ${name}; set hosts.apiUrl in gitops.yaml (CLI: --api-url)` };
  const hostName = parseRemoteUrl(request.remoteUrl)?.host ?? '';
  const token = await request.tokenSource.getToken({ kind: host.kind, host: hostName, apiUrl: host.apiUrl });
  if (!token) {
    const variable = tokenVariableFor(host.kind);
    return { host, provider: null, reason: `there is no ${name} token; sign in to ${name}${variable ? ` (CLI: set ${variable})` : ''}` };
  }
  const repository: RepositoryRef = { kind: host.kind, owner: host.owner, repo: host.repo, webUrl: host.webUrl, apiUrl: host.apiUrl };
  return { host, provider: createPullRequestProvider(repository, token, request.options), reason: null };
}

/** The CLI's --provider words (and every HostKind) to a kind; null when not recognised. */
export function parseProviderKind(value: string, detected: HostKind = 'unknown'): HostKind | null {
  switch (value.trim().toLowerCase()) {
    case 'github':
      return detected === 'github-enterprise' ? 'github-enterprise' : 'github';
    case 'github-enterprise':
    case 'ghe':
      return 'github-enterprise';
    case 'gitlab':
      return 'gitlab';
    case 'gitea':
    case 'forgejo':
      return 'gitea';
    case 'azure':
    case 'azure-devops':
      return 'azure-devops';
    case 'bitbucket':
      return detected === 'bitbucket-server' ? 'bitbucket-server' : 'bitbucket';
    case 'bitbucket-server':
    case 'bitbucket-datacenter':
      return 'bitbucket-server';
    default:
      return null;
  }
}
