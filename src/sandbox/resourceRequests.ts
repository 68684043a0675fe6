// HTTP handling of resource paths: list / watch / get / create / update / patch / delete /
// deletecollection, the status and scale subresources, query parameters (dryRun, fieldManager,
// fieldValidation, force, selectors, paging, watch options) and response representations.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, methodNotAllowed, pathNotFound, successStatus } from './apiStatus';
import type { ApiPath } from './apiPaths';
import { negotiateRepresentation, type Representation } from './contentNegotiation';
import { parseBody, sendJson, sendJsonText, warningHeaders } from './httpMessages';
import { isProtobuf } from './protobufBodies';
import { isRecord, type KubeObject } from './kubeObject';
import type { StoredObject } from './objectStore';
import type { FieldValidation, PatchKind, ResourceService, WriteContext, WriteResult } from './resourceService';
import { typeApiVersion, type ResourceType } from './resourceType';
import { toScale, writePath } from './scaleSubresource';
import { objectFilter } from './selectors';
import { applyJsonPatch } from './jsonPatch';
import { applyMergePatch } from './jsonMergePatch';
import { renderTable, type IncludeObject } from './tableRendering';
import type { WatchRegistry } from './watchSessions';

type ResourcePath = Extract<ApiPath, { kind: 'resource' }>;

export interface ResourceRequest {
  request: IncomingMessage;
  response: ServerResponse;
  route: ResourcePath;
  query: URLSearchParams;
  /** Path plus query, for watch fault matching. */
  pathAndQuery: string;
  body: Buffer;
  service: ResourceService;
  watches: WatchRegistry;
}

function patchKind(contentType: string): PatchKind {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  switch (mediaType) {
    case 'application/apply-patch+yaml':
      return 'apply';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/json-patch+json':
      return 'json';
    default:
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
  }
}

function booleanParam(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === 'true' || value === '1';
}

/** The field manager: the `fieldManager` parameter, else the user agent's product name (as the real server does). */
function fieldManager(query: URLSearchParams, request: IncomingMessage, required: boolean): string {
  const explicit = query.get('fieldManager');
  if (explicit !== null && explicit !== '') {
    if (explicit.length > 128) throw badRequest(`fieldManager: Too long: may not be longer than 128`);
    return explicit;
  }
  if (required) {
    throw badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  }
  const agent = request.headers['user-agent'] ?? '';
  const product = agent.split('/')[0].trim();
  return product === '' ? 'unknown' : product.slice(0, 128);
}

function fieldValidation(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation') ?? 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw badRequest(`fieldValidation: Unsupported value: "${value}": supported values: "Ignore", "Strict", "Warn"`);
}

function dryRun(query: URLSearchParams, deleteBody?: Record<string, unknown>): boolean {
  const values = [...query.getAll('dryRun'), ...(Array.isArray(deleteBody?.dryRun) ? deleteBody.dryRun.map(String) : [])];
  for (const value of values) if (value !== 'All') throw badRequest(`dryRun: Unsupported value: "${value}": supported values: "All"`);
  return values.length > 0;
}

function writeContext(req: ResourceRequest, applyPatch: boolean, deleteBody?: Record<string, unknown>): WriteContext {
  return {
    dryRun: dryRun(req.query, deleteBody),
    fieldManager: fieldManager(req.query, req.request, applyPatch),
    fieldValidation: fieldValidation(req.query),
    warnings: [],
  };
}

function servedJson(service: ResourceService, type: ResourceType, stored: StoredObject): string {
  return stored.object.apiVersion === typeApiVersion(type) ? stored.json : JSON.stringify(service.served(type, stored.object));
}

function includeObject(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

function sendObject(req: ResourceRequest, type: ResourceType, code: number, object: KubeObject, representation: Representation, headers: Record<string, string> = {}): void {
  const served = req.service.served(type, object);
  if (representation.kind === 'table') {
    sendJson(req.response, code, renderTable(type, [served], { version: representation.version, includeObject: includeObject(req.query) }), headers);
  } else if (representation.kind === 'partial') {
    sendJson(req.response, code, { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${representation.version}`, metadata: served.metadata }, headers);
  } else {
    sendJson(req.response, code, served, headers);
  }
}

function handleList(req: ResourceRequest, type: ResourceType, representation: Representation): void {
  const { query, service, route } = req;
  const filter = objectFilter(query.get('labelSelector'), query.get('fieldSelector'));
  const limitText = query.get('limit');
  const limit = limitText === null ? undefined : Number(limitText);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw badRequest(`limit: Invalid value: "${limitText}"`);
  const result = service.list(type, { namespace: route.namespace, filter, limit, continueToken: query.get('continue') ?? undefined });
  const resourceVersion = String(result.resourceVersion);
  if (representation.kind === 'table') {
    const objects = result.items.map((item) => service.served(type, item.object));
    sendJson(
      req.response,
      200,
      renderTable(type, objects, {
        version: representation.version,
        includeObject: includeObject(query),
        resourceVersion,
        continueToken: result.continueToken,
        remainingItemCount: result.remainingItemCount,
      }),
    );
    return;
  }
  const metadata: Record<string, unknown> = { resourceVersion };
  if (result.continueToken !== undefined) metadata.continue = result.continueToken;
  if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
  if (representation.kind === 'partial') {
    const apiVersion = `meta.k8s.io/${representation.version}`;
    sendJson(req.response, 200, {
      kind: 'PartialObjectMetadataList',
      apiVersion,
      metadata,
      items: result.items.map((item) => ({ kind: 'PartialObjectMetadata', apiVersion, metadata: item.object.metadata })),
    });
    return;
  }
  // Built as text from each object's cached JSON: listing thousands of objects stays cheap.
  const items = result.items.map((item) => servedJson(service, type, item)).join(',');
  const head = JSON.stringify({ kind: type.listKind, apiVersion: typeApiVersion(type), metadata });
  sendJsonText(req.response, 200, `${head.slice(0, -1)},"items":[${items}]}`);
}

function handleWatch(req: ResourceRequest, type: ResourceType, representation: Representation): void {
  const { query, service, route } = req;
  const timeout = query.get('timeoutSeconds');
  const include = includeObject(query);
  req.watches.open(
    service.store,
    {
      type,
      namespace: route.namespace,
      filter: objectFilter(query.get('labelSelector'), query.get('fieldSelector')),
      resourceVersion: query.get('resourceVersion') ?? undefined,
      allowBookmarks: booleanParam(query, 'allowWatchBookmarks'),
      sendInitialEvents: query.has('sendInitialEvents') ? booleanParam(query, 'sendInitialEvents') : undefined,
      timeoutSeconds: timeout === null ? undefined : Number(timeout),
      path: req.pathAndQuery,
      render:
        representation.kind === 'table'
          ? (stored) => JSON.stringify(renderTable(type, [service.served(type, stored.object)], { version: representation.version, includeObject: include }))
          : (stored) => servedJson(service, type, stored),
    },
    req.response,
  );
}

function respondToWrite(req: ResourceRequest, type: ResourceType, result: WriteResult, context: WriteContext, representation: Representation): void {
  sendObject(req, type, result.created ? 201 : 200, result.object, representation, warningHeaders(context.warnings));
}

function handleScale(req: ResourceRequest, type: ResourceType, method: string): void {
  const { service, route } = req;
  const scale = type.scaleSubresource;
  if (!scale || route.name === undefined) throw pathNotFound(req.route.plural);
  const namespace = route.namespace ?? '';
  const current = service.get(type, namespace, route.name).object;
  if (method === 'GET') {
    sendJson(req.response, 200, toScale(current, scale));
    return;
  }
  if (method !== 'PUT' && method !== 'PATCH') throw methodNotAllowed();
  const contentType = req.request.headers['content-type'] ?? 'application/json';
  const body = parseBody(req.body, contentType);
  let desired: unknown;
  if (method === 'PUT') desired = body;
  else {
    const kind = patchKind(contentType);
    const base = toScale(current, scale);
    // A Scale has no lists, so strategic merge and apply reduce to a merge patch here.
    desired = kind === 'json' ? applyJsonPatch(base, body) : applyMergePatch(base, body);
  }
  const replicas = isRecord(desired) && isRecord(desired.spec) ? desired.spec.replicas : undefined;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new ApiError(422, 'Invalid', `Scale.autoscaling "${route.name}" is invalid: spec.replicas: Invalid value: must be greater than or equal to 0`);
  }
  const requestedVersion = isRecord(desired) && isRecord(desired.metadata) ? desired.metadata.resourceVersion : undefined;
  const context = writeContext(req, method === 'PATCH' && patchKind(contentType) === 'apply');
  const result = service.modify(
    type,
    namespace,
    route.name,
    (object) => {
      if (typeof requestedVersion === 'string' && requestedVersion !== '') object.metadata.resourceVersion = requestedVersion;
      writePath(object, scale.specReplicasPath, replicas);
    },
    context,
    'scale',
  );
  sendJson(req.response, 200, toScale(result.object, scale));
}

// DeleteOptions: typed clients may send them as protobuf, which is ignored (defaults apply).
function parseDeleteBody(body: Buffer, contentType: string): Record<string, unknown> | undefined {
  if (body.toString('utf8').trim() === '' || isProtobuf(contentType)) return undefined;
  const parsed = parseBody(body, 'application/json');
  return isRecord(parsed) ? parsed : undefined;
}

function handleDelete(req: ResourceRequest, type: ResourceType, representation: Representation): void {
  const { route, service } = req;
  const body = parseDeleteBody(req.body, req.request.headers['content-type'] ?? '');
  const context = writeContext(req, false, body);
  if (route.name === undefined) {
    const filter = objectFilter(req.query.get('labelSelector'), req.query.get('fieldSelector'));
    const deleted = service.deleteCollection(type, route.namespace, filter, context);
    const items = deleted.map((object) => service.served(type, object));
    sendJson(req.response, 200, { kind: type.listKind, apiVersion: typeApiVersion(type), metadata: { resourceVersion: String(service.store.resourceVersion) }, items });
    return;
  }
  const preconditions = body && isRecord(body.preconditions) ? body.preconditions : undefined;
  const result = service.delete(type, route.namespace ?? '', route.name, context, {
    preconditions: preconditions
      ? {
          uid: typeof preconditions.uid === 'string' ? preconditions.uid : undefined,
          resourceVersion: typeof preconditions.resourceVersion === 'string' ? preconditions.resourceVersion : undefined,
        }
      : undefined,
  });
  // Like the real server: custom resources and namespaces answer with the object, other
  // built-ins with a Success Status; an object kept by finalizers is returned as it now is.
  if (type.custom || type.kind === 'Namespace' || !result.finished) {
    sendObject(req, type, result.finished ? 200 : 202, result.object, representation);
    return;
  }
  sendJson(req.response, 200, successStatus({ name: route.name, group: type.group, kind: type.plural, uid: result.object.metadata.uid }));
}

export function handleResourceRequest(req: ResourceRequest): void {
  const { route, service, request, query } = req;
  const method = (request.method ?? 'GET').toUpperCase();
  const type = service.registry.byResource(route.group, route.version, route.plural);
  if (!type) throw pathNotFound(new URL(request.url ?? '/', 'https://sandbox').pathname);
  if (route.namespace !== undefined && !type.namespaced) throw pathNotFound(route.plural);
  if (type.namespaced && route.name !== undefined && route.namespace === undefined) throw pathNotFound(route.plural);
  const representation = negotiateRepresentation(request.headers.accept);
  const isWatch = route.legacyWatch || booleanParam(query, 'watch');

  if (route.subresource === 'scale') {
    handleScale(req, type, method);
    return;
  }
  if (route.subresource !== undefined && route.subresource !== 'status') throw pathNotFound(route.subresource);
  if (route.subresource === 'status' && !type.statusSubresource && !(type.kind === 'Namespace' && type.group === '')) throw pathNotFound('status');

  if (route.name === undefined) {
    if (method === 'GET') {
      if (isWatch) handleWatch(req, type, representation);
      else handleList(req, type, representation);
      return;
    }
    if (method === 'POST') {
      const context = writeContext(req, false);
      const body = parseBody(req.body, request.headers['content-type'] ?? 'application/json');
      respondToWrite(req, type, service.create(type, route.namespace ?? '', body, context), context, representation);
      return;
    }
    if (method === 'DELETE') {
      handleDelete(req, type, representation);
      return;
    }
    throw methodNotAllowed();
  }

  const namespace = route.namespace ?? '';
  switch (method) {
    case 'GET':
      if (isWatch) {
        // Watching one object: a watch on the collection narrowed to that name, as the real server does.
        req.query.set('fieldSelector', [req.query.get('fieldSelector'), `metadata.name=${route.name}`].filter(Boolean).join(','));
        handleWatch(req, type, representation);
        return;
      }
      sendObject(req, type, 200, service.get(type, namespace, route.name).object, representation);
      return;
    case 'PUT': {
      const context = writeContext(req, false);
      const body = parseBody(req.body, request.headers['content-type'] ?? 'application/json');
      respondToWrite(req, type, service.update(type, namespace, route.name, body, context, route.subresource), context, representation);
      return;
    }
    case 'PATCH': {
      const kind = patchKind(request.headers['content-type'] ?? '');
      const context = { ...writeContext(req, kind === 'apply'), force: booleanParam(query, 'force') };
      if (query.has('force') && kind !== 'apply') throw badRequest('force: Forbidden: may not be specified for non-apply patch');
      const body = parseBody(req.body, kind === 'apply' ? 'application/yaml' : 'application/json');
      respondToWrite(req, type, service.patch(type, namespace, route.name, kind, body, context, route.subresource), context, representation);
      return;
    }
    case 'DELETE':
      handleDelete(req, type, representation);
      return;
    default:
      throw methodNotAllowed();
  }
}
