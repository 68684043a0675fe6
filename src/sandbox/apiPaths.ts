// Parses Kubernetes API paths into what they address: a discovery document or a resource
// (collection, object, subresource), including the legacy /watch/ prefix.

export type ApiPath =
  | { kind: 'apiVersions' }
  | { kind: 'groupList' }
  | { kind: 'group'; group: string }
  | { kind: 'resourceList'; group: string; version: string }
  | {
      kind: 'resource';
      group: string;
      version: string;
      plural: string;
      namespace?: string;
      name?: string;
      subresource?: string;
      /** Addressed through the legacy /watch/ prefix. */
      legacyWatch: boolean;
    }
  | { kind: 'unknown' };

function resourcePath(group: string, version: string, rest: string[]): ApiPath {
  let segments = rest;
  let legacyWatch = false;
  if (segments[0] === 'watch') {
    legacyWatch = true;
    segments = segments.slice(1);
  }
  let namespace: string | undefined;
  // /namespaces/<ns>/<plural>/... addresses namespaced objects; /namespaces/<name>[/status|/finalize]
  // addresses a Namespace itself.
  const namespaceSubresource = segments.length === 3 && (segments[2] === 'status' || segments[2] === 'finalize');
  if (segments[0] === 'namespaces' && segments.length >= 3 && !namespaceSubresource) {
    namespace = segments[1];
    segments = segments.slice(2);
  }
  if (segments.length === 0 || segments.length > 3 || segments.some((segment) => segment === '')) return { kind: 'unknown' };
  return {
    kind: 'resource',
    group,
    version,
    plural: segments[0],
    namespace,
    name: segments[1],
    subresource: segments[2],
    legacyWatch,
  };
}

export function parseApiPath(pathname: string): ApiPath {
  const segments = pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment));
  if (segments[0] === 'api') {
    if (segments.length === 1) return { kind: 'apiVersions' };
    if (segments.length === 2) return { kind: 'resourceList', group: '', version: segments[1] };
    return resourcePath('', segments[1], segments.slice(2));
  }
  if (segments[0] === 'apis') {
    if (segments.length === 1) return { kind: 'groupList' };
    if (segments.length === 2) return { kind: 'group', group: segments[1] };
    if (segments.length === 3) return { kind: 'resourceList', group: segments[1], version: segments[2] };
    return resourcePath(segments[1], segments[2], segments.slice(3));
  }
  return { kind: 'unknown' };
}
