// Rules for the names and paths that flow from gitops.yaml or discovery into git arguments, file
// paths, tree labels and the CLI. They are checked once, here, so no later layer has to quote them.

/** Environment names: they appear in commands, branch names and pull request titles. */
export const ENVIRONMENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function isSafeEnvironmentName(name: string): boolean {
  return ENVIRONMENT_NAME_PATTERN.test(name);
}

/** A safe name close to `name`, offered in hints (`prod eu` → `prod-eu`); undefined when nothing is left. */
export function suggestEnvironmentName(name: string): string | undefined {
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 63)
    .replace(/[-.]+$/, '');
  return cleaned && isSafeEnvironmentName(cleaned) ? cleaned : undefined;
}

/**
 * Why a branch name is not usable, or undefined when it is. Follows `git check-ref-format` and also
 * refuses a leading `-`, which git would read as an option.
 */
export function branchNameProblem(branch: string): string | undefined {
  if (branch === '') return 'is empty';
  if (branch.startsWith('-')) return 'starts with "-" (git would read it as an option)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(branch)) return 'contains a space, a control character or one of ~ ^ : ? * [ \\';
  if (branch.includes('..')) return 'contains ".."';
  if (branch.includes('@{') || branch === '@') return 'contains "@{"';
  if (branch.startsWith('/') || branch.endsWith('/') || branch.includes('//')) return 'has an empty path segment (leading, trailing or double "/")';
  if (branch.endsWith('.') || branch.endsWith('.lock')) return 'ends with "." or ".lock"';
  if (branch.split('/').some((part) => part.startsWith('.'))) return 'has a segment starting with "."';
  if (branch.split('/').some((part) => part.endsWith('.lock'))) return 'has a segment ending in ".lock"';
  if (branch === 'HEAD') return 'is "HEAD", which git keeps for the checked-out commit';
  return undefined;
}

export type RepoPathResult = { ok: true; path: string | null } | { ok: false; reason: string };

/**
 * Normalizes a folder inside the repository: POSIX separators, no `./`, no trailing `/`; the root is
 * null. Refuses absolute paths and any `..` segment — even one that would stay inside — so a config
 * can never point a read or a write outside the checkout.
 */
export function normalizeRepoPath(raw: string): RepoPathResult {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return { ok: false, reason: 'contains a control character' };
  const posix = raw.trim().replace(/\\/g, '/');
  if (posix.startsWith('/') || /^[A-Za-z]:/.test(posix) || posix.startsWith('~')) return { ok: false, reason: 'is absolute' };
  const segments = posix.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { ok: false, reason: 'contains ".." and could leave the repository' };
  return { ok: true, path: segments.length ? segments.join('/') : null };
}

/** A DNS-1123 label, what Kubernetes accepts as a namespace name. */
export function isNamespaceName(value: string): boolean {
  return /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value);
}

/**
 * Why a `repo:` value cannot be used, or undefined. Allows a folder path or a URL git can clone, but
 * refuses remote-helper transports (`ext::` runs a command), option-looking values and embedded
 * credentials (they would be committed and shown in the UI).
 */
export function repoLocationProblem(repo: string): string | undefined {
  if (repo.trim() === '') return 'is empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(repo)) return 'contains a control character';
  if (repo.startsWith('-')) return 'starts with "-" (git would read it as an option)';
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(repo)) return 'uses a git remote-helper transport ("ext::", "fd::"…), which can run commands';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(repo);
  if (scheme) {
    if (!['https', 'http', 'ssh', 'git', 'file', 'git+ssh', 'ssh+git'].includes(scheme[1].toLowerCase())) return `uses the unsupported scheme "${scheme[1]}"`;
    const authority = repo.slice(scheme[0].length).split('/')[0];
    const at = authority.lastIndexOf('@');
    if (at >= 0 && looksLikeSecretUserInfo(authority.slice(0, at))) return 'contains a password or token';
  }
  return undefined;
}

/**
 * True when the user-info part of a URL carries a secret: a password, or a user name that is really
 * a token (`https://ghp_…@github.com`). A plain user name (`org@dev.azure.com`, `git@`) is fine.
 */
export function looksLikeSecretUserInfo(userInfo: string): boolean {
  if (userInfo.includes(':')) return true;
  return /^(ghp|gho|ghu|ghs|ghr|github_pat|glpat|gldt)[_-]/i.test(userInfo) || /^[A-Za-z0-9_-]{30,}$/.test(userInfo);
}
