// JSON over HTTP for the REST providers (GitLab, Gitea, Azure DevOps, Bitbucket), on Node's global
// fetch. Every failure becomes a HostError with a code here: 401 → unauthorized ("sign in
// again"), a rate-limited 403/429 → one bounded wait and one retry, 5xx → server, network → unreachable.
import { HostError } from './hostError';
import { rateLimitSignal, sleep } from './rateLimit';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HostHttpOptions {
  apiUrl: string;
  /** `GitLab`, `Gitea`… for messages. */
  hostName: string;
  /** Authorization headers; called per request so a refreshed token is used. */
  authorize: () => Promise<Record<string, string>>;
  /** Environment variable or sign-in command named in "sign in again" hints. */
  signInHint: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  /** Longest wait for a rate limit to reset before giving up; default 60 s. */
  maxRateLimitWaitMs?: number;
  signal?: AbortSignal;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path after the API base, starting with `/`, already encoded. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  data: unknown;
}

export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 60_000;

/** The server's own words, when it sent any (`message`, `error`, `errors`), shortened. */
export function serverMessage(data: unknown): string {
  if (typeof data === 'string') return data.slice(0, 300);
  if (typeof data !== 'object' || data === null) return '';
  const record = data as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of ['message', 'error', 'error_description', 'errors']) {
    const value = record[key];
    if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) parts.push(value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('; '));
    else if (typeof value === 'object' && value !== null) {
      const nested = (value as Record<string, unknown>).message;
      parts.push(typeof nested === 'string' ? nested : JSON.stringify(value));
    }
  }
  return parts.join(': ').slice(0, 300);
}

/** Maps a final (non-retried) error response to a HostError. */
export function errorForStatus(hostName: string, status: number, data: unknown, signInHint: string, what: string): HostError {
  const said = serverMessage(data);
  const detail = said ? `: ${said}` : '';
  if (status === 401) return new HostError('unauthorized', `${hostName} rejected the token (expired or revoked) while ${what}${detail}`, `sign in again${signInHint ? ` (${signInHint})` : ''}`, status);
  if (status === 403) return new HostError('forbidden', `${hostName} refused access while ${what}${detail}`, 'check that the token has write access to pull requests in this repository', status);
  if (status === 404) return new HostError('notFound', `${hostName} found nothing while ${what}${detail}`, 'check the repository URL and that the token can see the repository', status);
  if (status === 429) return new HostError('rateLimited', `${hostName} rate limit reached while ${what}`, 'try again in a few minutes', status);
  if (status >= 500) return new HostError('server', `${hostName} answered ${status} while ${what}${detail}`, `${hostName} has a problem; try again later`, status);
  if (status === 400 || status === 409 || status === 422) return new HostError('invalid', `${hostName} refused the request while ${what}${detail}`, 'check the branch names and the pull request text', status);
  return new HostError('failed', `${hostName} answered ${status} while ${what}${detail}`, '', status);
}

export class HostHttpClient {
  private readonly fetchImpl: FetchLike;

  constructor(private readonly options: HostHttpOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  get apiUrl(): string {
    return this.options.apiUrl;
  }

  /** Sends one request; `what` completes "… while <what>" in error messages. */
  async request(request: HttpRequest, what: string, okStatuses: readonly number[] = []): Promise<HttpResponse> {
    let response = await this.send(request, what);
    if (response.status === 403 || response.status === 429) {
      const limit = rateLimitSignal(response.status, (name) => response.headers.get(name));
      if (limit) {
        const maxWait = this.options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
        if (limit.waitMs > maxWait) {
          throw new HostError('rateLimited', `${this.options.hostName} rate limit reached while ${what}; it resets at ${limit.resetAt.toISOString()}`, 'try again after the reset', response.status);
        }
        await sleep(limit.waitMs, this.options.signal).catch(() => {
          throw new HostError('failed', `Cancelled while waiting for the ${this.options.hostName} rate limit`);
        });
        response = await this.send(request, what);
        if (rateLimitSignal(response.status, (name) => response.headers.get(name))) {
          throw new HostError('rateLimited', `${this.options.hostName} rate limit still reached after waiting, while ${what}`, 'try again in a few minutes', response.status);
        }
      }
    }
    const data = await readBody(response);
    if (response.ok || okStatuses.includes(response.status)) return { status: response.status, headers: response.headers, data };
    throw errorForStatus(this.options.hostName, response.status, data, this.options.signInHint, what);
  }

  private async send(request: HttpRequest, what: string): Promise<Response> {
    const url = new URL(`${this.options.apiUrl}${request.path}`);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'gitops-environments', ...(await this.options.authorize()) };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS);
    const signal = this.options.signal ? AbortSignal.any([timeout, this.options.signal]) : timeout;
    try {
      return await this.fetchImpl(url.toString(), { method: request.method, headers, body: request.body === undefined ? undefined : JSON.stringify(request.body), signal });
    } catch (error) {
      if (timeout.aborted) throw new HostError('timeout', `${this.options.hostName} did not answer within ${Math.round((this.options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS) / 1000)} s while ${what}`, 'check the network and try again');
      const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      throw new HostError('unreachable', `Cannot reach ${this.options.hostName} at ${url.origin} while ${what}: ${cause}`, 'check the network, a proxy, or the API URL (hosts.apiUrl / --api-url)');
    }
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Narrowing helpers for JSON answers: providers read fields through these, never through `any`. */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}

export function asNumber(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : fallback;
}

export function asBoolean(value: unknown): boolean {
  return value === true;
}

/** `a.b.c` inside nested records. */
export function pick(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) current = asRecord(current)[key];
  return current;
}
