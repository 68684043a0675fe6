// A small REST client for one cluster context. Authentication, TLS and exec credential plugins come
// from the context's connection (contextConnection.ts); requests go over Node's https in-process,
// so there is no kubectl process per call.
import https from 'node:https';
import http from 'node:http';
import { ClusterError, codeForStatus, statusCauses, statusMessage, toClusterError } from './clusterError';
import type { ContextConnection } from './contextConnection';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Reuse connections through one keep-alive agent per client. client-node makes a fresh agent
   * per request, so each call pays a TLS handshake; bursts (a thousand drift dry-runs) would
   * spend most of their time there. The agent pools per TLS identity (CA, client cert), so
   * rotated credentials still get their own connections.
   */
  keepAlive?: boolean;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

export interface WatchHandle {
  /**
   * Resolves once the server accepted the watch (2xx headers): only then does the stream follow
   * the cluster. Rejects like `done` when it fails first; resolves when aborted first.
   */
  opened: Promise<void>;
  /** Resolves when the stream ends (server closed it, timeout, abort); rejects on HTTP errors. */
  done: Promise<void>;
  abort(): void;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function buildPath(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export class KubeClient {
  private readonly server: URL;
  private keepAliveAgent: http.Agent | undefined;

  constructor(
    private readonly connection: ContextConnection,
    readonly context: string,
  ) {
    if (!connection.server) throw new ClusterError('config', `Context "${context}" names no cluster`);
    try {
      this.server = new URL(connection.server);
    } catch {
      throw new ClusterError('config', `Context "${context}" has an invalid server URL`);
    }
  }

  get serverUrl(): string {
    return this.server.origin + this.server.pathname.replace(/\/$/, '');
  }

  private async requestOptions(method: string, path: string, headers: Record<string, string>): Promise<https.RequestOptions> {
    const options: https.RequestOptions = {
      method,
      protocol: this.server.protocol,
      hostname: this.server.hostname.replace(/^\[|\]$/g, ''),
      port: this.server.port || (this.server.protocol === 'https:' ? 443 : 80),
      path: this.server.pathname.replace(/\/$/, '') + path,
      headers: { Accept: 'application/json', 'User-Agent': 'gitops-environments', ...headers },
    };
    try {
      await this.connection.apply(options);
    } catch (error) {
      if (error instanceof ClusterError) throw error;
      throw new ClusterError('unauthorized', `Credentials for context "${this.context}" failed: ${(error as Error).message}`);
    }
    return options;
  }

  /** Puts the shared keep-alive agent on the request, unless the connection set a proxy agent. */
  private reuseConnections(options: https.RequestOptions): void {
    const agent = options.agent;
    const plain = agent instanceof http.Agent && (Object.getPrototypeOf(agent) === https.Agent.prototype || Object.getPrototypeOf(agent) === http.Agent.prototype);
    if (agent !== undefined && !plain) return;
    this.keepAliveAgent ??=
      this.server.protocol === 'http:' ? new http.Agent({ keepAlive: true, maxSockets: 32 }) : new https.Agent({ keepAlive: true, maxSockets: 32 });
    options.agent = this.keepAliveAgent;
  }

  private transport(): typeof https | typeof http {
    return this.server.protocol === 'http:' ? http : https;
  }

  /** One request; parses JSON; maps every failure to a ClusterError. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const what = `${method} ${path}`;
    const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const headers: Record<string, string> = {};
    if (payload !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const requestOptions = await this.requestOptions(method, buildPath(path, options.query), headers);
    if (options.keepAlive) this.reuseConnections(requestOptions);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (error: ClusterError | null, value?: T): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(value as T);
      };
      const req = this.transport().request(requestOptions, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => finish(toClusterError(error, what)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            try {
              finish(null, (text ? JSON.parse(text) : undefined) as T);
            } catch {
              finish(new ClusterError('serverError', `${what}: response is not JSON`, status));
            }
            return;
          }
          const retryAfter = Number(res.headers['retry-after']);
          // A refused credential (revoked early, rotated file) is fetched again on the next request.
          if (status === 401) this.connection.forget?.();
          finish(
            new ClusterError(
              codeForStatus(status),
              `${what}: ${status} ${statusMessage(text)}`,
              status,
              Number.isFinite(retryAfter) ? retryAfter : undefined,
              statusCauses(text),
            ),
          );
        });
      });
      const timer = setTimeout(() => {
        req.destroy();
        finish(new ClusterError('timeout', `${what}: no answer in ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      const onAbort = (): void => {
        req.destroy();
        finish(new ClusterError('cancelled', `${what}: cancelled`));
      };
      options.signal?.addEventListener('abort', onAbort);
      req.on('error', (error) => finish(toClusterError(error, what)));
      // One call: Node then sends the headers and a string body in one write (one TLS record and
      // one read on the server's side instead of two; ~10 % of a small request's HTTP cost).
      req.end(payload);
    });
  }

  /**
   * Opens a watch stream (`?watch=1`) and calls `onEvent` per JSON line. An `idleTimeoutMs` without
   * any byte (bookmarks included) aborts the stream: a watch that silently stops is a dead watch.
   * The clock starts when the request is sent: a server that never answers the request is as dead.
   */
  async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (event: WatchEvent) => void,
    idleTimeoutMs = 90_000,
  ): Promise<WatchHandle> {
    const what = `WATCH ${path}`;
    const requestOptions = await this.requestOptions('GET', buildPath(path, { ...query, watch: 1 }), {});
    let req: http.ClientRequest | undefined;
    let idle: NodeJS.Timeout | undefined;
    let aborted = false;
    let markOpen: (() => void) | undefined;
    let failOpen: ((error: ClusterError) => void) | undefined;
    const opened = new Promise<void>((resolve, reject) => {
      markOpen = resolve;
      failOpen = reject;
    });
    const done = new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: ClusterError): void => {
        if (settled) return;
        settled = true;
        if (idle) clearTimeout(idle);
        // Errors after our own abort() are the abort echoing back, not faults.
        if (error && !aborted) {
          failOpen?.(error);
          reject(error);
        } else {
          markOpen?.();
          resolve();
        }
      };
      let answered = false;
      const touch = (): void => {
        if (idle) clearTimeout(idle);
        idle = setTimeout(() => {
          req?.destroy();
          finish(new ClusterError('timeout', answered ? `${what}: stream went silent` : `${what}: no answer in ${Math.round(idleTimeoutMs / 100) / 10} s`));
        }, idleTimeoutMs);
      };
      req = this.transport().request(requestOptions, (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const retryAfter = Number(res.headers['retry-after']);
            if (status === 401) this.connection.forget?.();
            finish(new ClusterError(codeForStatus(status), `${what}: ${status} ${statusMessage(text)}`, status, Number.isFinite(retryAfter) ? retryAfter : undefined));
          });
          return;
        }
        answered = true;
        touch();
        markOpen?.();
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          touch();
          buffer += chunk;
          let newline = buffer.indexOf('\n');
          while (newline >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            newline = buffer.indexOf('\n');
            if (!line) continue;
            let event: WatchEvent;
            try {
              event = JSON.parse(line) as WatchEvent;
            } catch {
              continue;
            }
            if (event.type === 'ERROR') {
              const status = Number((event.object as { code?: number }).code ?? 500);
              req?.destroy();
              finish(new ClusterError(codeForStatus(status), `${what}: ${String((event.object as { message?: string }).message ?? status)}`, status));
              return;
            }
            onEvent(event);
          }
        });
        res.on('end', () => finish());
        res.on('aborted', () => finish(new ClusterError('unreachable', `${what}: stream aborted`)));
        res.on('error', (error) => finish(toClusterError(error, what)));
      });
      req.on('error', (error) => finish(toClusterError(error, what)));
      req.end();
      touch();
    });
    // Callers may await only one of the two; the other's rejection is the same failure.
    opened.catch(() => undefined);
    done.catch(() => undefined);
    return {
      opened,
      done,
      abort: () => {
        aborted = true;
        if (idle) clearTimeout(idle);
        req?.destroy();
      },
    };
  }
}
