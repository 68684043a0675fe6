// The one error type pull-request providers throw. The code is assigned here, at the HTTP
// boundary, from the status and headers; callers switch on it and show `hint` as the next step.
import { maskSecrets } from '../core/secrets';

export type HostErrorCode =
  /** 401: the token is missing, expired or revoked. */
  | 'unauthorized'
  /** 403 without a rate limit: the token lacks a scope or the user lacks access. */
  | 'forbidden'
  | 'notFound'
  /** Still rate limited after one bounded wait. */
  | 'rateLimited'
  /** DNS, TCP or TLS failure. */
  | 'unreachable'
  | 'timeout'
  /** 5xx. */
  | 'server'
  /** 400/409/422: the host refused the request's content. */
  | 'invalid'
  | 'failed';

export class HostError extends Error {
  override readonly name = 'HostError';

  constructor(
    readonly code: HostErrorCode,
    message: string,
    readonly hint: string = '',
    readonly status: number | null = null,
  ) {
    super(maskSecrets(message));
  }

  describe(): string {
    return this.hint ? `${this.message} — ${this.hint}` : this.message;
  }
}
