// Git remote URLs (https, ssh, scp-like `git@host:owner/repo`) taken apart without `new URL`, which
// rejects scp-like forms and Azure's `host:v3/…`. Credentials are dropped here, at the edge, so no
// caller can pass a token on to a label, a log or a pull request body.
import { looksLikeSecretUserInfo } from './safeNames';

export interface ParsedRemote {
  /** Lower-case scheme; `ssh` for scp-like URLs. */
  scheme: string;
  /** Plain user name when it is not a secret (`git`, an Azure organization), else null. */
  user: string | null;
  /** Lower-case host name, without port. */
  host: string;
  port: number | null;
  /** Path without leading or trailing `/`, still URL-encoded (`org/My%20Project/_git/repo`). */
  path: string;
  /** True when written as `user@host:path`. */
  scpLike: boolean;
}

const SCHEME_URL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^/?#]*)@)?(\[[^\]]*\]|[^/:?#]*)(?::(\d*))?([^?#]*)/;
const SCP_URL = /^(?:([^@/:\s]+)@)?([A-Za-z0-9.-]+):(?!\/\/)([^\s]*)$/;

/** Parses a remote URL; null for local paths, `file://` URLs and anything unrecognisable. */
export function parseRemoteUrl(raw: string): ParsedRemote | null {
  const url = raw.trim();
  const scheme = SCHEME_URL.exec(url);
  if (scheme) {
    const name = scheme[1].toLowerCase();
    if (name === 'file' || scheme[3] === '') return null;
    const userInfo = scheme[2] === undefined ? null : scheme[2];
    return {
      scheme: name === 'git+ssh' || name === 'ssh+git' ? 'ssh' : name,
      user: userInfo && !looksLikeSecretUserInfo(userInfo) ? safeDecode(userInfo) : null,
      host: scheme[3].toLowerCase(),
      port: scheme[4] ? Number(scheme[4]) : null,
      path: trimSlashes(scheme[5] ?? ''),
      scpLike: false,
    };
  }
  const scp = SCP_URL.exec(url);
  // One-letter "hosts" are Windows drive letters (C:\repo, C:/repo).
  if (scp && scp[2].length > 1) {
    return { scheme: 'ssh', user: scp[1] ?? null, host: scp[2].toLowerCase(), port: null, path: trimSlashes(scp[3]), scpLike: true };
  }
  return null;
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+/, '').replace(/\/+$/, '');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Decodes one path segment for display (`My%20Project` → `My Project`). */
export function decodeSegment(segment: string): string {
  return safeDecode(segment);
}

/**
 * The URL with any password or token removed (`https://user:tok@host/x` → `https://user@host/x`,
 * `https://ghp_…@host/x` → `https://host/x`). Non-URLs are returned unchanged.
 */
export function stripUrlCredentials(raw: string): string {
  const url = raw.trim();
  const match = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)@/.exec(url);
  if (!match) return url;
  const userInfo = match[2];
  const rest = url.slice(match[0].length);
  if (!looksLikeSecretUserInfo(userInfo)) return url;
  const user = userInfo.split(':')[0];
  return user && !looksLikeSecretUserInfo(user) ? `${match[1]}${user}@${rest}` : `${match[1]}${rest}`;
}

/**
 * A comparable identity (`host/path` without `.git`, lower-case) so `git@github.com:o/r.git` and
 * `https://github.com/o/r` compare equal; null when the string is not a remote URL.
 */
export function remoteIdentity(raw: string): string | null {
  // A repository on this machine (`/srv/git/env.git`, `file:///srv/git/env.git`): Git and Argo CD
  // both accept it as a remote; its identity is the path, whichever way it is spelled.
  const local = /^(?:file:\/\/)?(\/[^\s?#]*)$/.exec(raw.trim());
  if (local) {
    const path = safeDecode(local[1]).replace(/\/+$/, '').replace(/\.git$/i, '').replace(/\/{2,}/g, '/');
    return path ? `file:${path}` : null;
  }
  const remote = parseRemoteUrl(raw);
  if (!remote) return null;
  const path = remote.path.replace(/\.git$/i, '').replace(/^v3\//, '').replace(/\/_git\//, '/');
  const host = remote.host.replace(/^ssh\.dev\.azure\.com$/, 'dev.azure.com');
  return `${host}/${safeDecode(path)}`.toLowerCase();
}
