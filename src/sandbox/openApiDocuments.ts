// OpenAPI v3 documents: an index at /openapi/v3 and one document per group-version, with the
// operations and the component schemas of the kinds served there. `kubectl apply` (default
// --validate=strict) checks that the PATCH operation of the object's kind declares a
// `fieldValidation` query parameter and then leaves validation to the server; `kubectl explain`
// finds a kind's schema through its `x-kubernetes-group-version-kind`. Built-in schemas are the
// bundled generated models (bundledSchemas.ts); a custom resource's is its CRD's openAPIV3Schema.

import { createHash } from 'node:crypto';
import { bundledModels } from './bundledSchemas';
import type { ResourceRegistry } from './resourceRegistry';
import type { ResourceType } from './resourceType';

interface CachedDocuments {
  revision: number;
  byPath: Map<string, { hash: string; json: string }>;
  indexJson: string;
}

function queryParameter(name: string, type: 'string' | 'boolean' | 'integer'): Record<string, unknown> {
  return { name, in: 'query', schema: { type, uniqueItems: true } };
}

const okResponse = { '200': { description: 'OK' } };

function operation(action: string, type: ResourceType, operationId: string, parameters: Record<string, unknown>[]): Record<string, unknown> {
  return {
    operationId,
    parameters,
    responses: okResponse,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: type.group, version: type.version, kind: type.kind },
  };
}

function operationName(verb: string, type: ResourceType, scope: 'Namespaced' | ''): string {
  const groupPart = type.group
    .split('.')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  const version = type.version.charAt(0).toUpperCase() + type.version.slice(1);
  return `${verb}${type.group === '' ? 'Core' : groupPart}${version}${scope}${type.kind}`;
}

function pathsFor(type: ResourceType): Record<string, unknown> {
  const prefix = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  const collection = type.namespaced ? `${prefix}/namespaces/{namespace}/${type.plural}` : `${prefix}/${type.plural}`;
  const scope = type.namespaced ? 'Namespaced' : '';
  const writeParameters = [queryParameter('dryRun', 'string'), queryParameter('fieldManager', 'string'), queryParameter('fieldValidation', 'string')];
  const patchParameters = [...writeParameters, queryParameter('force', 'boolean')];
  const listParameters = [
    queryParameter('labelSelector', 'string'),
    queryParameter('fieldSelector', 'string'),
    queryParameter('limit', 'integer'),
    queryParameter('continue', 'string'),
    queryParameter('resourceVersion', 'string'),
    queryParameter('watch', 'boolean'),
  ];
  return {
    [collection]: {
      get: operation('list', type, operationName('list', type, scope), listParameters),
      post: operation('post', type, operationName('create', type, scope), writeParameters),
    },
    [`${collection}/{name}`]: {
      get: operation('get', type, operationName('read', type, scope), []),
      put: operation('put', type, operationName('replace', type, scope), writeParameters),
      patch: operation('patch', type, operationName('patch', type, scope), patchParameters),
      delete: operation('delete', type, operationName('delete', type, scope), [queryParameter('dryRun', 'string')]),
    },
  };
}

/** The kind's schema (tagged with its group-version-kind) and every schema it refers to. */
function componentSchemas(type: ResourceType): Record<string, unknown> {
  const gvk = [{ group: type.group, version: type.version, kind: type.kind }];
  if (type.custom) {
    if (!type.openApiSchema) return {};
    return { [`${type.group}.${type.version}.${type.kind}`]: { ...type.openApiSchema, 'x-kubernetes-group-version-kind': gvk } };
  }
  const models = bundledModels();
  const root = models.kindModel(type.group, type.version, type.kind);
  if (!root) return {};
  const out: Record<string, unknown> = {};
  for (const name of models.reachable(root)) out[name] = models.schema(name);
  out[root] = { ...models.schema(root), 'x-kubernetes-group-version-kind': gvk };
  return out;
}

function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

export class OpenApiDocuments {
  private cache: CachedDocuments | undefined;

  constructor(private readonly registry: ResourceRegistry) {}

  private build(): CachedDocuments {
    if (this.cache && this.cache.revision === this.registry.revision) return this.cache;
    const byPath = new Map<string, { hash: string; json: string }>();
    const index: Record<string, { serverRelativeURL: string }> = {};
    for (const { group, versions } of this.registry.groups()) {
      for (const version of versions) {
        let paths: Record<string, unknown> = {};
        const schemas: Record<string, unknown> = {};
        for (const type of this.registry.resourcesIn(group, version)) {
          paths = { ...paths, ...pathsFor(type) };
          Object.assign(schemas, componentSchemas(type));
        }
        const document = {
          openapi: '3.0.0',
          info: { title: 'Kubernetes', version: 'v1.32.0' },
          paths,
          components: { schemas },
        };
        const json = JSON.stringify(document);
        const hash = createHash('sha512').update(json).digest('hex').toUpperCase();
        const path = groupVersionPath(group, version);
        byPath.set(path, { hash, json });
        index[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
      }
    }
    this.cache = { revision: this.registry.revision, byPath, indexJson: JSON.stringify({ paths: index }) };
    return this.cache;
  }

  indexJson(): string {
    return this.build().indexJson;
  }

  /** The document for `api/v1` or `apis/<group>/<version>`, or undefined. */
  documentJson(path: string): string | undefined {
    return this.build().byPath.get(path)?.json;
  }
}
