// The one place where HTTP statuses and socket errors become codes. Callers switch on `code`,
// never on message text.

export type ClusterErrorCode =
  | 'config' // kubeconfig missing/broken, context unknown
  | 'unauthorized' // 401: credentials missing, expired, exec plugin failed
  | 'forbidden' // 403: RBAC
  | 'notFound' // 404
  | 'conflict' // 409: SSA field conflict, resourceVersion conflict, already exists
  | 'gone' // 410: watch resourceVersion too old
  | 'invalid' // 400/422
  | 'tooManyRequests' // 429
  | 'serverError' // 5xx
  | 'unreachable' // connection refused/reset, DNS, TLS
  | 'timeout'
  | 'cancelled';

export class ClusterError extends Error {
  constructor(
    readonly code: ClusterErrorCode,
    message: string,
    readonly status?: number,
    /** Seconds to wait before retrying, from a 429/503 Retry-After header. */
    readonly retryAfterSeconds?: number,
    /** The `details.causes` of the server's `Status` (a 422 Invalid names each refused field). */
    readonly causes?: readonly { field?: string; message?: string; reason?: string }[],
  ) {
    super(message);
    this.name = 'ClusterError';
  }

  /** What the user should do about it, in one short sentence. */
  get hint(): string {
    switch (this.code) {
      case 'config':
        return 'Check the kubeconfig file and the context named in gitops.yaml.';
      case 'unauthorized':
        return 'Log in to the cluster again (your token or exec plugin credentials were refused).';
      case 'forbidden':
        return 'Your account lacks permission; ask for read access to these resources.';
      case 'unreachable':
        return 'Check that the cluster is running and reachable (VPN, port-forward, network).';
      case 'timeout':
        return 'The cluster is slow to answer; it will be retried.';
      case 'tooManyRequests':
      case 'serverError':
        return 'The API server is struggling; it will be retried.';
      case 'notFound':
        return 'The cluster does not serve it: check that its CRD is installed and the namespace exists.';
      case 'gone':
        return 'The watch fell behind the API server; everything is listed again (retried with backoff).';
      case 'conflict':
        return 'Someone else changed the object at the same moment; it is compared again on the next change, or refresh now.';
      default:
        return '';
    }
  }

  /** Faults that end by themselves: worth retrying with backoff. */
  get transient(): boolean {
    return ['unreachable', 'timeout', 'tooManyRequests', 'serverError'].includes(this.code);
  }
}

export function codeForStatus(status: number): ClusterErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 409) return 'conflict';
  if (status === 410) return 'gone';
  if (status === 429) return 'tooManyRequests';
  if (status === 400 || status === 422) return 'invalid';
  if (status >= 500) return 'serverError';
  return 'invalid';
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Maps a thrown socket/TLS/auth error to a ClusterError. Already-mapped errors pass through. */
export function toClusterError(error: unknown, what: string): ClusterError {
  if (error instanceof ClusterError) return error;
  const err = error as { code?: string; message?: string; name?: string };
  if (err?.name === 'AbortError') return new ClusterError('cancelled', `${what}: cancelled`);
  if (err?.code && UNREACHABLE_CODES.has(err.code)) {
    return new ClusterError('unreachable', `${what}: ${err.code}${err.message ? ` (${err.message})` : ''}`);
  }
  if (err?.code === 'ETIMEDOUT') return new ClusterError('timeout', `${what}: timed out`);
  const message = err?.message ?? String(error);
  // Exec credential plugins fail before any request is sent; client-node reports them as plain errors.
  if (/exec|credential|token/i.test(message)) return new ClusterError('unauthorized', `${what}: ${message}`);
  return new ClusterError('unreachable', `${what}: ${message}`);
}

/** The `details.causes` of a Kubernetes `Status` body; undefined when it has none. */
export function statusCauses(body: string): { field?: string; message?: string; reason?: string }[] | undefined {
  try {
    const parsed = JSON.parse(body) as { details?: { causes?: unknown } };
    const causes = parsed?.details?.causes;
    if (!Array.isArray(causes) || causes.length === 0) return undefined;
    const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
    return causes
      .filter((cause): cause is Record<string, unknown> => typeof cause === 'object' && cause !== null)
      .map((cause) => ({ field: text(cause.field), message: text(cause.message), reason: text(cause.reason) }));
  } catch {
    return undefined;
  }
}

/** Reads the `message` of a Kubernetes `Status` body, falling back to the raw text. */
export function statusMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { kind?: string; message?: string };
    if (parsed && typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: fall through
  }
  return body.slice(0, 300);
}
