// A small HTTP server for host API tests: records every request, checks the token, injects
// faults (401, rate limits, 5xx) for the next N matching requests, and serves JSON from a handler.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the server's base path and without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Fault extends Reply {
  /** How many matching requests get this reply; default 1. */
  times?: number;
  match?: (request: RecordedRequest) => boolean;
}

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

export interface JsonServerOptions {
  /** Prefix of every API path (`/api/v4`); stripped before the handler sees the path. */
  basePath?: string;
  /** Reads the token from the request; null when absent. */
  tokenOf: (headers: IncomingHttpHeaders) => string | null;
  /** Body of a 401 in the host's own shape. */
  unauthorizedBody: unknown;
}

export class JsonTestServer {
  readonly requests: RecordedRequest[] = [];
  /** The token the server accepts; change it to simulate an expired token. */
  token: string;
  private faults: Fault[] = [];

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    private readonly options: JsonServerOptions,
    token: string,
  ) {
    this.token = token;
  }

  static async start(token: string, options: JsonServerOptions, handler: Handler): Promise<JsonTestServer> {
    // The request handler needs the instance, which exists only once the server listens.
    const holder: { instance?: JsonTestServer } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void (async () => {
          const self = holder.instance as JsonTestServer;
          const url = new URL(req.url ?? '/', 'http://localhost');
          const base = options.basePath ?? '';
          const path = base && url.pathname.startsWith(base) ? url.pathname.slice(base.length) || '/' : url.pathname;
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? (JSON.parse(text) as unknown) : undefined;
          } catch {
            body = text;
          }
          const request: RecordedRequest = { method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, body };
          self.requests.push(request);
          let reply: Reply;
          const fault = self.faults.find((f) => !f.match || f.match(request));
          if (fault) {
            fault.times = (fault.times ?? 1) - 1;
            if (fault.times <= 0) self.faults.splice(self.faults.indexOf(fault), 1);
            reply = fault;
          } else if (options.tokenOf(req.headers) !== self.token) {
            reply = { status: 401, body: options.unauthorizedBody };
          } else {
            try {
              reply = await handler(request);
            } catch (error) {
              reply = { status: 500, body: { message: String(error) } };
            }
          }
          const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
          res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
          res.end(payload);
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const instance = new JsonTestServer(server, `http://127.0.0.1:${port}`, options, token);
    holder.instance = instance;
    return instance;
  }

  /** API base URL (origin plus base path). */
  get url(): string {
    return `${this.origin}${this.options.basePath ?? ''}`;
  }

  /** The next `times` matching requests get `reply` instead of the handler's answer. */
  failNext(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Base of the fakes of one host (GitHub, GitLab, Gitea): owns the JSON server and forwards the
 * controls every host test uses. A subclass answers requests in its host's shapes in `handle`.
 */
export abstract class HostTestServer {
  private server: JsonTestServer | undefined;

  /** Starts serving; `handle` sees only requests that carry the token and hit no fault. */
  protected async listen(token: string, options: JsonServerOptions): Promise<this> {
    this.server = await JsonTestServer.start(token, options, (request) => this.handle(request));
    return this;
  }

  protected abstract handle(request: RecordedRequest): Reply | Promise<Reply>;

  private get running(): JsonTestServer {
    if (!this.server) throw new Error('the test server is not listening yet');
    return this.server;
  }

  get url(): string {
    return this.running.url;
  }

  get requests(): RecordedRequest[] {
    return this.running.requests;
  }

  /** The token the server accepts; change it to simulate an expired or rotated token. */
  set token(value: string) {
    this.running.token = value;
  }

  failNext(fault: Fault): void {
    this.running.failNext(fault);
  }

  close(): Promise<void> {
    return this.running.close();
  }
}

/** Splits `/a/b/c` into segments. */
export function segments(path: string): string[] {
  return path.split('/').filter(Boolean).map(decodeURIComponent);
}
