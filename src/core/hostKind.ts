// Which pull-request host a remote URL belongs to, and where its web pages and REST API live.
// Pure string work on the URL: hosts are never contacted here. Credentials never survive: every
// returned URL is rebuilt from host and path only.
import type { HostKind } from './model';
import { decodeSegment, parseRemoteUrl, stripUrlCredentials, type ParsedRemote } from './remoteUrl';

export interface HostInfo {
  kind: HostKind;
  /** Repository home page, e.g. https://github.com/owner/repo; null when it cannot be derived. */
  webUrl: string | null;
  /** Owner as the host's API names it: user/org (GitHub, Gitea, Bitbucket), group path (GitLab), `org/project` (Azure DevOps), project key (Bitbucket Data Center). */
  owner: string | null;
  repo: string | null;
  /** REST API base URL; null for unknown hosts. */
  apiUrl: string | null;
}

export interface HostOverrides {
  /** Repository-wide kind, e.g. gitops.yaml `hosts.kind`; wins over the guess from the host name. */
  kind?: HostKind | null;
  /** REST API base, e.g. gitops.yaml `hosts.apiUrl`. */
  apiUrl?: string | null;
  /** Kinds by host name (lower-case, no port), e.g. from settings: `{ 'git.corp.example': 'gitlab' }`. Wins over `kind`. */
  hosts?: Readonly<Record<string, HostKind>>;
}

const UNKNOWN: HostInfo = { kind: 'unknown', webUrl: null, owner: null, repo: null, apiUrl: null };

/** Bitbucket Data Center's default SSH port. */
const BITBUCKET_SERVER_SSH_PORT = 7999;

function guessKind(remote: ParsedRemote): HostKind {
  const { host } = remote;
  const segments = remote.path.split('/');
  if (host === 'github.com' || host === 'www.github.com' || host === 'ssh.github.com') return 'github';
  if (host === 'dev.azure.com' || host === 'ssh.dev.azure.com' || host.endsWith('.visualstudio.com')) return 'azure-devops';
  if (host === 'bitbucket.org' || host === 'www.bitbucket.org') return 'bitbucket';
  // Data Center serves Git over HTTP under /scm/ and SSH on 7999, whatever the host is called.
  if ((!remote.scpLike && remote.scheme.startsWith('http') && segments.includes('scm')) || remote.port === BITBUCKET_SERVER_SSH_PORT) return 'bitbucket-server';
  if (host.endsWith('.ghe.com') || /(^|[.-])github\./.test(host)) return 'github-enterprise';
  if (host.includes('gitlab')) return 'gitlab';
  if (host === 'codeberg.org' || host.includes('gitea') || host.includes('forgejo')) return 'gitea';
  if (host.includes('bitbucket')) return 'bitbucket-server';
  return 'unknown';
}

/** `https://host[:port]` for web pages: http(s) remotes keep their port, ssh ones drop it (it is the ssh port). */
function webBase(remote: ParsedRemote): string {
  if (remote.scheme === 'http' || remote.scheme === 'https') {
    return `${remote.scheme}://${remote.host}${remote.port ? `:${remote.port}` : ''}`;
  }
  return `https://${remote.host}`;
}

function withoutGit(name: string): string {
  return name.replace(/\.git$/i, '');
}

function ownerRepo(segments: string[], nestedOwner: boolean): { owner: string; repo: string; rest: string[] } | null {
  const parts = segments.filter((s) => s !== '');
  if (parts.length < 2) return null;
  if (nestedOwner) return { owner: parts.slice(0, -1).join('/'), repo: withoutGit(parts[parts.length - 1]), rest: parts };
  return { owner: parts[0], repo: withoutGit(parts[1]), rest: parts.slice(0, 2) };
}

function azure(remote: ParsedRemote): Omit<HostInfo, 'kind'> | null {
  const segments = remote.path.split('/').filter((s) => s !== '');
  let org: string | undefined;
  let project: string | undefined;
  let repo: string | undefined;
  let base: string;
  if (remote.host === 'ssh.dev.azure.com' || remote.host === 'vs-ssh.visualstudio.com') {
    // git@ssh.dev.azure.com:v3/org/project/repo
    const parts = segments[0] === 'v3' ? segments.slice(1) : segments;
    [org, project, repo] = parts;
    base = remote.host === 'ssh.dev.azure.com' ? 'https://dev.azure.com' : `https://${org}.visualstudio.com`;
  } else {
    const git = segments.indexOf('_git');
    if (git < 0) return null;
    repo = segments[git + 1];
    const before = segments.slice(0, git);
    if (remote.host === 'dev.azure.com') {
      org = before[0];
      project = before[1];
      base = 'https://dev.azure.com';
    } else {
      org = remote.host.slice(0, -'.visualstudio.com'.length);
      // Old URLs carry the collection: org.visualstudio.com/DefaultCollection/project/_git/repo
      project = before.length >= 2 ? before[1] : before[0];
      base = `https://${remote.host}`;
    }
    // A repository named like its project may leave the project out: dev.azure.com/org/_git/repo.
    project ??= repo;
  }
  if (!org || !project || !repo) return null;
  repo = withoutGit(repo);
  const orgBase = base === 'https://dev.azure.com' ? `${base}/${org}` : base;
  return {
    webUrl: `${orgBase}/${project}/_git/${repo}`,
    owner: `${decodeSegment(org)}/${decodeSegment(project)}`,
    repo: decodeSegment(repo),
    apiUrl: orgBase,
  };
}

function bitbucketServer(remote: ParsedRemote): Omit<HostInfo, 'kind'> | null {
  const segments = remote.path.split('/').filter((s) => s !== '');
  const scm = segments.indexOf('scm');
  const isHttp = remote.scheme === 'http' || remote.scheme === 'https';
  // Over HTTP the path is [context…]/scm/PROJECT/repo.git; over SSH it is PROJECT/repo.git.
  const context = isHttp && scm >= 0 ? segments.slice(0, scm) : [];
  const rest = isHttp && scm >= 0 ? segments.slice(scm + 1) : segments;
  if (rest.length < 2) return null;
  const project = rest[0].startsWith('~') ? rest[0] : rest[0].toUpperCase();
  const repo = withoutGit(rest[1]);
  const base = `${webBase(remote)}${context.length ? `/${context.join('/')}` : ''}`;
  const page = project.startsWith('~') ? `users/${project.slice(1)}` : `projects/${project}`;
  return { webUrl: `${base}/${page}/repos/${repo}`, owner: decodeSegment(project), repo: decodeSegment(repo), apiUrl: `${base}/rest/api/1.0` };
}

function simple(remote: ParsedRemote, kind: HostKind): Omit<HostInfo, 'kind'> {
  const base = webBase(remote);
  const parsed = ownerRepo(remote.path.split('/'), kind === 'gitlab' || kind === 'unknown');
  const webUrl = parsed ? `${base}/${[...parsed.rest.slice(0, -1), parsed.repo].join('/')}` : null;
  let apiUrl: string | null = null;
  if (kind === 'github') apiUrl = 'https://api.github.com';
  else if (kind === 'github-enterprise') apiUrl = remote.host.endsWith('.ghe.com') ? `https://api.${remote.host}` : `${base}/api/v3`;
  else if (kind === 'gitlab') apiUrl = `${base}/api/v4`;
  else if (kind === 'gitea') apiUrl = `${base}/api/v1`;
  else if (kind === 'bitbucket') apiUrl = 'https://api.bitbucket.org/2.0';
  return {
    // An ssh remote of an unknown host says nothing about where its web pages are.
    webUrl: kind === 'unknown' && !remote.scheme.startsWith('http') ? null : webUrl,
    owner: parsed ? decodeSegment(parsed.owner) : null,
    repo: parsed ? decodeSegment(parsed.repo) : null,
    apiUrl,
  };
}

/**
 * Identifies the host of a remote URL (https, http, ssh:// or scp-like `git@host:owner/repo.git`).
 * Never throws; local paths and unparsable strings give kind `unknown` with every field null.
 */
export function detectHostKind(remoteUrl: string, overrides: HostOverrides = {}): HostInfo {
  const remote = parseRemoteUrl(remoteUrl);
  if (!remote) return { ...UNKNOWN };
  const kind = overrides.hosts?.[remote.host] ?? overrides.kind ?? guessKind(remote);
  let info: Omit<HostInfo, 'kind'> | null;
  if (kind === 'azure-devops') info = azure(remote);
  else if (kind === 'bitbucket-server') info = bitbucketServer(remote);
  else info = simple(remote, kind);
  const result: HostInfo = { kind, ...(info ?? { webUrl: null, owner: null, repo: null, apiUrl: null }) };
  if (overrides.apiUrl) result.apiUrl = stripUrlCredentials(overrides.apiUrl).replace(/\/+$/, '');
  return result;
}
