// The sandbox's HTTP entry point: injected faults first, then health endpoints, bearer-token
// authentication, the /__sandbox/ control API, discovery and OpenAPI documents, and resources.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, pathNotFound, reasonForCode } from './apiStatus';
import { parseApiPath, type ApiPath } from './apiPaths';
import {
  apiGroupDocument,
  apiGroupListDocument,
  apiResourceListDocument,
  apiVersionsDocument,
  serverVersion,
} from './discoveryDocuments';
import { parseFaultRule, type FaultDecision, type FaultInjector } from './faultInjection';
import { parseBody, readBody, sendError, sendJson, sendJsonText } from './httpMessages';
import { isRecord } from './kubeObject';
import type { OpenApiDocuments } from './openApiDocuments';
import { handleResourceRequest } from './resourceRequests';
import type { ResourceService } from './resourceService';
import type { WatchRegistry } from './watchSessions';

export interface RequestHandlerDeps {
  token: string;
  service: ResourceService;
  watches: WatchRegistry;
  openApi: OpenApiDocuments;
  faults: FaultInjector;
  /** host:port the server listens on. */
  serverAddress: () => string;
  /** Name of the kubeconfig user, for realistic Forbidden messages. */
  userName: string;
  /** Takes the server down for `ms`, then brings it back (/__sandbox/outage). */
  scheduleOutage: (ms: number) => void;
  /**
   * Extra bearer tokens, each naming an identity (token → name), made by POST /__sandbox/identities.
   * They reach the API like the main token, but not the control API; fault rules can match one.
   */
  identities?: Map<string, string>;
}

/** The identity the main token authenticates as. */
export const ADMIN_IDENTITY = 'admin';
const IDENTITY_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function sameToken(given: Buffer, token: string): boolean {
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Who the request's bearer token belongs to: ADMIN_IDENTITY, an identity's name, or undefined. */
function identityOf(request: IncomingMessage, deps: Pick<RequestHandlerDeps, 'token' | 'identities'>): string | undefined {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) return undefined;
  const given = Buffer.from(match[1].trim());
  if (sameToken(given, deps.token)) return ADMIN_IDENTITY;
  for (const [token, name] of deps.identities ?? []) if (sameToken(given, token)) return name;
  return undefined;
}

function verbOf(method: string, route: ApiPath, isWatch: boolean): string {
  const hasName = route.kind === 'resource' && route.name !== undefined;
  switch (method) {
    case 'GET':
      return isWatch ? 'watch' : hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

// Messages shaped like the real server's, so clients that show them look right in tests.
function injectedError(decision: FaultDecision, code: number, method: string, route: ApiPath, isWatch: boolean, userName: string): ApiError {
  const reason = reasonForCode(code);
  const resource = route.kind === 'resource' ? route : undefined;
  const qualified = resource ? (resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`) : '';
  const details = resource ? { name: resource.name, group: resource.group, kind: resource.plural, retryAfterSeconds: decision.retryAfterSeconds } : { retryAfterSeconds: decision.retryAfterSeconds };
  let message = decision.message;
  if (message === undefined) {
    if (code === 403 && resource) {
      const where = resource.namespace !== undefined ? ` in the namespace "${resource.namespace}"` : resource.name === undefined ? ' at the cluster scope' : '';
      const subject = resource.name !== undefined ? `${qualified} "${resource.name}"` : qualified;
      message = `${subject} is forbidden: User "${userName}" cannot ${verbOf(method, route, isWatch)} resource "${resource.plural}" in API group "${resource.group}"${where}`;
    } else if (code === 404 && resource?.name !== undefined) message = `${qualified} "${resource.name}" not found`;
    else if (code === 401) message = 'Unauthorized';
    else if (code === 429) message = 'Too many requests, please try again later.';
    else if (code === 503) message = 'The server is currently unable to handle the request';
    else if (code === 409 && resource?.name !== undefined) message = `Operation cannot be fulfilled on ${qualified} "${resource.name}": the object has been modified; please apply your changes to the latest version and try again`;
    else message = `injected fault: ${code} ${reason}`;
  }
  return new ApiError(code, reason, message, details);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function handleControl(deps: RequestHandlerDeps, request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
  const method = request.method ?? 'GET';
  const body = method === 'POST' ? await readBody(request) : Buffer.alloc(0);
  const faultsPrefix = '/__sandbox/faults';
  if (pathname === faultsPrefix) {
    if (method === 'GET') return sendJson(response, 200, { items: deps.faults.list() });
    if (method === 'POST') return sendJson(response, 201, { id: deps.faults.add(parseFaultRule(parseBody(body, 'application/json'))) });
    if (method === 'DELETE') {
      const count = deps.faults.list().length;
      deps.faults.clear();
      return sendJson(response, 200, { removed: count });
    }
  }
  if (pathname.startsWith(`${faultsPrefix}/`) && method === 'DELETE') {
    const removed = deps.faults.remove(decodeURIComponent(pathname.slice(faultsPrefix.length + 1)));
    return sendJson(response, removed ? 200 : 404, { removed });
  }
  if (pathname === '/__sandbox/watches/drop' && method === 'POST') {
    const parsed = body.length === 0 ? {} : parseBody(body, 'application/json');
    const mode = isRecord(parsed) ? parsed.mode : undefined;
    if (mode !== 'close' && mode !== 'hang' && mode !== 'reset') throw new ApiError(400, 'BadRequest', 'mode must be "close", "hang" or "reset"');
    const path = isRecord(parsed) && typeof parsed.path === 'string' ? parsed.path : undefined;
    return sendJson(response, 200, { dropped: deps.faults.dropWatches(mode, path) });
  }
  if (pathname === '/__sandbox/outage' && method === 'POST') {
    const parsed = body.length === 0 ? {} : parseBody(body, 'application/json');
    const ms = isRecord(parsed) && typeof parsed.ms === 'number' && parsed.ms >= 0 ? parsed.ms : 1000;
    sendJson(response, 202, { downForMs: ms });
    // Only after the answer is out, or the caller would see its own request reset.
    response.on('finish', () => deps.scheduleOutage(ms));
    return;
  }
  if (pathname === '/__sandbox/compact' && method === 'POST') {
    deps.service.store.compact();
    return sendJson(response, 200, { compactedThrough: String(deps.service.store.resourceVersion) });
  }
  if (pathname === '/__sandbox/identities' && method === 'POST') {
    const parsed = body.length === 0 ? {} : parseBody(body, 'application/json');
    const name = isRecord(parsed) ? parsed.name : undefined;
    if (typeof name !== 'string' || !IDENTITY_NAME.test(name) || name === ADMIN_IDENTITY) {
      throw new ApiError(400, 'BadRequest', `identity "name" must be a DNS label other than "${ADMIN_IDENTITY}"`);
    }
    const identities = deps.identities;
    if (!identities) throw new ApiError(501, 'NotImplemented', 'this sandbox keeps no identities');
    for (const [token, existing] of identities) if (existing === name) return sendJson(response, 200, { name, token });
    const token = randomBytes(32).toString('base64url');
    identities.set(token, name);
    return sendJson(response, 201, { name, token });
  }
  if (pathname === '/__sandbox/stats' && method === 'GET') {
    const store = deps.service.store;
    const objects = store.collectionKeys().reduce((sum, key) => sum + store.count(key), 0);
    return sendJson(response, 200, { objects, resourceVersion: String(store.resourceVersion), watches: deps.watches.size });
  }
  throw pathNotFound(pathname);
}

async function route(deps: RequestHandlerDeps, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const method = (request.method ?? 'GET').toUpperCase();
  const pathname = url.pathname;
  if (pathname === '/healthz' || pathname === '/livez' || pathname === '/readyz') {
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('ok');
    return;
  }
  if (pathname === '/version') return sendJson(response, 200, serverVersion);
  const identity = identityOf(request, deps);
  if (identity === undefined) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
  if (pathname.startsWith('/__sandbox/')) {
    if (identity !== ADMIN_IDENTITY) throw new ApiError(403, 'Forbidden', `the sandbox's control API needs the main token, not identity "${identity}"`);
    return handleControl(deps, request, response, pathname);
  }
  if (pathname === '/openapi/v3') return sendJsonText(response, 200, deps.openApi.indexJson());
  if (pathname.startsWith('/openapi/v3/')) {
    const document = deps.openApi.documentJson(pathname.slice('/openapi/v3/'.length));
    if (document === undefined) throw pathNotFound(pathname);
    return sendJsonText(response, 200, document, { 'Cache-Control': 'public, immutable' });
  }
  const apiPath = parseApiPath(pathname);
  const registry = deps.service.registry;
  switch (apiPath.kind) {
    case 'apiVersions':
      return sendJson(response, 200, apiVersionsDocument(deps.serverAddress()));
    case 'groupList':
      return sendJson(response, 200, apiGroupListDocument(registry));
    case 'group': {
      const document = apiGroupDocument(registry, apiPath.group);
      if (!document) throw pathNotFound(pathname);
      return sendJson(response, 200, document);
    }
    case 'resourceList': {
      const document = apiResourceListDocument(registry, apiPath.group, apiPath.version);
      if (!document) throw pathNotFound(pathname);
      return sendJson(response, 200, document);
    }
    case 'resource': {
      const body = method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE' ? await readBody(request) : Buffer.alloc(0);
      handleResourceRequest({
        request,
        response,
        route: apiPath,
        query: url.searchParams,
        pathAndQuery: `${url.pathname}${url.search}`,
        body,
        service: deps.service,
        watches: deps.watches,
      });
      return;
    }
    default:
      throw pathNotFound(pathname);
  }
}

export function createRequestHandler(deps: RequestHandlerDeps): (request: IncomingMessage, response: ServerResponse) => void {
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'https://sandbox.invalid');
    const method = (request.method ?? 'GET').toUpperCase();
    if (!url.pathname.startsWith('/__sandbox/')) {
      const apiPath = parseApiPath(url.pathname);
      const isWatch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1' || (apiPath.kind === 'resource' && apiPath.legacyWatch);
      const decision = deps.faults.decide(method, `${url.pathname}${url.search}`, isWatch, identityOf(request, deps));
      if (decision) {
        if (decision.delayMs > 0) await delay(decision.delayMs);
        if (decision.reset) {
          request.socket.destroy();
          return;
        }
        if (decision.hang) return;
        if (decision.status !== undefined) {
          const error = injectedError(decision, decision.status, method, apiPath, isWatch, deps.userName);
          // Drain the body so the connection stays usable for the client's retry.
          request.resume();
          sendError(response, error);
          return;
        }
      }
    }
    await route(deps, request, response, url);
  };
  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      const apiError = error instanceof ApiError ? error : new ApiError(500, 'InternalError', `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`);
      if (!(error instanceof ApiError)) console.error('[sandbox] internal error', error);
      sendError(response, apiError);
    });
  };
}
