// The pull-request host of a repository's remote, for commit links in a plan and for choosing a
// provider. Uses the URL as configured (before `insteadOf` rewriting): that is the address the
// user knows the repository by, and owner/repository come from it.
import { detectHostKind, type HostInfo, type HostOverrides } from '../../core/hostKind';
import { stripUrlCredentials } from '../../core/remoteUrl';
import type { GitRepository } from '../gitRepository';
import { configuredRemoteUrl } from './promotionGit';

export interface RemoteHost {
  /** Credentials removed; null when the remote does not exist. */
  remoteUrl: string | null;
  host: HostInfo;
}

export async function remoteHost(repo: GitRepository, remote: string | null, overrides: HostOverrides = {}): Promise<RemoteHost> {
  const raw = remote ? await configuredRemoteUrl(repo, remote) : null;
  const remoteUrl = raw ? stripUrlCredentials(raw) : null;
  return { remoteUrl, host: detectHostKind(remoteUrl ?? '', overrides) };
}
