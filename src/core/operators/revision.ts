// Revisions as Argo CD and Flux write them, taken apart. Flux v2 writes `<ref>@sha1:<sha>`
// (`main@sha1:…`, `refs/heads/main@sha1:…`), or `sha1:<sha>` for a pinned commit; Flux before 2.0
// wrote `<branch>/<sha>`; Argo writes the bare SHA. OCI sources write `<tag>@sha256:<digest>`, a
// digest that is not a commit, so it is never reported as one.

export interface ParsedRevision {
  /** The branch, tag or ref before the commit (`main`, `refs/heads/main`, `v1.2.0`); null when absent. */
  ref: string | null;
  /** Full commit SHA, lower-case; null when the revision names none (a chart version, an OCI digest). */
  sha: string | null;
}

const HEX_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

export function parseRevision(revision: string | null | undefined, options: { sha256IsCommit?: boolean } = {}): ParsedRevision {
  const text = (revision ?? '').trim();
  if (text === '') return { ref: null, sha: null };
  const at = text.lastIndexOf('@');
  const head = at >= 0 ? text.slice(0, at) : null;
  const tail = at >= 0 ? text.slice(at + 1) : text;
  const algorithm = /^(sha1|sha256):([0-9a-f]+)$/i.exec(tail);
  if (algorithm) {
    // A Git repository in SHA-256 object format also writes `sha256:`; only the caller can tell.
    const isCommit = algorithm[1].toLowerCase() === 'sha1' || options.sha256IsCommit === true;
    return { ref: head || null, sha: isCommit && HEX_SHA.test(algorithm[2]) ? algorithm[2].toLowerCase() : null };
  }
  if (at < 0) {
    if (HEX_SHA.test(text)) return { ref: null, sha: text.toLowerCase() };
    const legacy = /^(.+)\/([0-9a-f]{40})$/i.exec(text);
    if (legacy) return { ref: legacy[1], sha: legacy[2].toLowerCase() };
  }
  return { ref: at >= 0 ? head || null : text, sha: null };
}

/** The commit a revision names, or null. */
export function revisionSha(revision: string | null | undefined, options: { sha256IsCommit?: boolean } = {}): string | null {
  return parseRevision(revision, options).sha;
}

/** The 7-digit form git and both operators' UIs show. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
