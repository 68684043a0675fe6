// Web links into a repository's host: commits (for the PR body's commit list) and the page that
// starts a pull request (what the user gets when no provider or token is available). Pure string
// work on the repository's web URL from detectHostKind.
import type { HostKind } from '../model';

/** Encodes a branch for a URL path or query, keeping its `/` readable. */
function branchParam(branch: string): string {
  return encodeURIComponent(branch).replace(/%2F/gi, '/');
}

export function commitUrl(kind: HostKind, webUrl: string | null, sha: string): string | null {
  if (!webUrl) return null;
  switch (kind) {
    case 'gitlab':
      return `${webUrl}/-/commit/${sha}`;
    case 'bitbucket':
    case 'bitbucket-server':
      return `${webUrl}/commits/${sha}`;
    case 'unknown':
      return null;
    default:
      return `${webUrl}/commit/${sha}`;
  }
}

/** The host's "new pull request" page for `head` into `base`; null for unknown hosts. */
export function compareUrl(kind: HostKind, webUrl: string | null, base: string, head: string): string | null {
  if (!webUrl) return null;
  const b = branchParam(base);
  const h = branchParam(head);
  switch (kind) {
    case 'github':
    case 'github-enterprise':
      return `${webUrl}/compare/${b}...${h}?expand=1`;
    case 'gitea':
      return `${webUrl}/compare/${b}...${h}`;
    case 'gitlab':
      return `${webUrl}/-/merge_requests/new?merge_request%5Bsource_branch%5D=${h}&merge_request%5Btarget_branch%5D=${b}`;
    case 'azure-devops':
      return `${webUrl}/pullrequestcreate?sourceRef=${h}&targetRef=${b}`;
    case 'bitbucket':
      return `${webUrl}/pull-requests/new?source=${h}&dest=${b}`;
    case 'bitbucket-server':
      return `${webUrl}/pull-requests?create&sourceBranch=${encodeURIComponent(`refs/heads/${head}`)}&targetBranch=${encodeURIComponent(`refs/heads/${base}`)}`;
    default:
      return null;
  }
}
