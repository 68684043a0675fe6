// The API semantics between HTTP and storage: create / update / patch / apply / delete with the
// server-set metadata (uid, resourceVersion, generation, creationTimestamp, managedFields),
// defaulting, validation, status-subresource rules, dry runs, no-op detection, finalizers,
// namespace lifecycle and CRD registration. Both the HTTP handlers and the direct store API of
// the sandbox handle go through here, so they behave the same.

import { randomUUID } from 'node:crypto';
import {
  alreadyExists,
  ApiError,
  badRequest,
  expired,
  modifiedConflict,
  notFound,
} from './apiStatus';
import { resourceTypesOfDefinition, validateCustomResourceDefinition } from './customResourceTypes';
import { applyJsonPatch } from './jsonPatch';
import { conflictsAllowedByLastApplied, lastAppliedManager, syncLastApplied } from './lastAppliedAnnotation';
import { applyMergePatch } from './jsonMergePatch';
import {
  apiVersionOf,
  deepClone,
  deepEqual,
  isKubeObject,
  isRecord,
  kubeTimestamp,
  withoutNulls,
  type KubeObject,
} from './kubeObject';
import { trackUpdate } from './managedFieldsEntries';
import { applyDefaults } from './objectDefaults';
import { ObjectStore, StoredObject } from './objectStore';
import { admitBySchema, validateObject } from './objectValidation';
import { ResourceRegistry } from './resourceRegistry';
import { storageKey, typeApiVersion, type ResourceType } from './resourceType';
import type { ObjectPredicate } from './selectors';
import { serverSideApply } from './serverSideApply';
import { ServiceAddressAllocator } from './serviceAddressAllocator';
import { applyStrategicMergePatch } from './strategicMergePatch';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteContext {
  dryRun: boolean;
  /** Resolved field manager (the request's, or one derived from the user agent). */
  fieldManager: string;
  fieldValidation: FieldValidation;
  /** Collects warnings (fieldValidation=Warn) for the response's Warning headers. */
  warnings: string[];
  /** Writes through the main resource keep the status they carry (direct store API, controllers). */
  includeStatus?: boolean;
}

export interface WriteResult {
  /** The stored object (or, for a dry run, what would have been stored), at its storage version. */
  object: KubeObject;
  created: boolean;
}

export interface ListOptions {
  namespace?: string;
  filter?: ObjectPredicate;
  limit?: number;
  continueToken?: string;
}

export interface ListResult {
  items: StoredObject[];
  resourceVersion: number;
  continueToken?: string;
  remainingItemCount?: number;
}

export type PatchKind = 'apply' | 'merge' | 'strategic' | 'json';

export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  object: KubeObject;
  /** false when finalizers keep the object (it got a deletionTimestamp instead). */
  finished: boolean;
}

const namespaceType = { group: '', plural: 'namespaces' };
const protectedNamespaces = new Set(['default', 'kube-system', 'kube-public']);

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

function decodeContinue(value: string): ContinueToken {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (isRecord(parsed) && typeof parsed.rv === 'number' && typeof parsed.start === 'string') return { rv: parsed.rv, start: parsed.start };
  } catch {
    // reported below
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

function withoutManagedTimes(object: KubeObject): KubeObject {
  const managed = object.metadata.managedFields;
  if (!managed) return object;
  return { ...object, metadata: { ...object.metadata, managedFields: managed.map((entry) => ({ ...entry, time: undefined })) } };
}

function specPart(object: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (key !== 'metadata' && key !== 'status' && key !== 'apiVersion' && key !== 'kind') out[key] = value;
  return out;
}

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < 5; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}

export class ResourceService {
  constructor(
    readonly store: ObjectStore,
    readonly registry: ResourceRegistry,
    private readonly addresses: ServiceAddressAllocator,
  ) {}

  /** The object as served at `type`'s version (custom resources may be stored at another). */
  served(type: ResourceType, object: KubeObject): KubeObject {
    const apiVersion = typeApiVersion(type);
    return object.apiVersion === apiVersion ? object : { ...object, apiVersion };
  }

  get(type: ResourceType, namespace: string, name: string): StoredObject {
    const stored = this.store.get(storageKey(type), type.namespaced ? namespace : '', name);
    if (!stored) throw notFound(type, name);
    return stored;
  }

  list(type: ResourceType, options: ListOptions = {}): ListResult {
    const resourceVersion = this.store.resourceVersion;
    let items = this.store.list(storageKey(type), type.namespaced ? options.namespace : undefined);
    if (options.continueToken) {
      const token = decodeContinue(options.continueToken);
      if (token.rv < this.store.oldestResumableVersion) {
        throw expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      }
      items = items.filter((item) => `${item.namespace}/${item.name}` > token.start);
    }
    if (options.filter) {
      const filter = options.filter;
      items = items.filter((item) => filter(item.object));
    }
    if (options.limit !== undefined && options.limit > 0 && items.length > options.limit) {
      const page = items.slice(0, options.limit);
      const last = page[page.length - 1];
      return {
        items: page,
        resourceVersion,
        continueToken: encodeContinue({ rv: resourceVersion, start: `${last.namespace}/${last.name}` }),
        remainingItemCount: options.filter ? undefined : items.length - page.length,
      };
    }
    return { items, resourceVersion };
  }

  private checkIdentity(type: ResourceType, body: KubeObject, namespace: string, name?: string): void {
    const expected = typeApiVersion(type);
    if (body.apiVersion !== expected) {
      throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${expected})`);
    }
    if (body.kind !== type.kind) throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${type.kind})`);
    if (type.namespaced) {
      const given = body.metadata.namespace;
      if (given !== undefined && given !== '' && given !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
    }
    if (name !== undefined && body.metadata.name !== undefined && body.metadata.name !== name) {
      throw badRequest(`the name of the object (${String(body.metadata.name)}) does not match the name on the URL (${name})`);
    }
  }

  private ensureNamespace(type: ResourceType, namespace: string): void {
    if (!type.namespaced) return;
    if (namespace === '') throw badRequest('the namespace of the object is required');
    if (!this.store.get(storageKey(namespaceType), '', namespace)) throw notFound(namespaceType, namespace);
  }

  /** Apply patches must name their kind; other bodies default apiVersion and kind from the URL, as upstream decoding does. */
  private parseBody(body: unknown, type: ResourceType, requireKind = false): KubeObject {
    const cleaned = withoutNulls(body);
    if (isRecord(cleaned) && !requireKind) {
      cleaned.apiVersion ??= typeApiVersion(type);
      cleaned.kind ??= type.kind;
      cleaned.metadata ??= {};
    }
    if (!isKubeObject(cleaned)) throw badRequest("Object 'Kind' is missing or the object is not a Kubernetes object");
    return deepClone(cleaned);
  }

  create(type: ResourceType, namespace: string, body: unknown, context: WriteContext): WriteResult {
    const object = this.parseBody(body, type);
    this.checkIdentity(type, object, namespace);
    if (type.namespaced) object.metadata.namespace = namespace;
    else delete object.metadata.namespace;
    if (object.metadata.resourceVersion !== undefined && object.metadata.resourceVersion !== '') {
      throw badRequest('resourceVersion should not be set on objects to be created');
    }
    if (!object.metadata.name && object.metadata.generateName) object.metadata.name = `${object.metadata.generateName}${randomSuffix()}`;
    const name = object.metadata.name ?? '';
    this.ensureNamespace(type, namespace);
    if (name !== '' && this.store.get(storageKey(type), type.namespaced ? namespace : '', name)) throw alreadyExists(type, name);
    return this.commit(type, undefined, object, context, 'update');
  }

  update(type: ResourceType, namespace: string, name: string, body: unknown, context: WriteContext, subresource?: string): WriteResult {
    const previous = this.get(type, namespace, name);
    const object = this.parseBody(body, type);
    this.checkIdentity(type, object, namespace, name);
    object.metadata.name = name;
    if (type.namespaced) object.metadata.namespace = namespace;
    return this.commit(type, previous, object, context, 'update', subresource);
  }

  patch(
    type: ResourceType,
    namespace: string,
    name: string,
    kind: PatchKind,
    patch: unknown,
    context: WriteContext & { force?: boolean },
    subresource?: string,
  ): WriteResult {
    if (kind === 'apply') return this.apply(type, namespace, name, patch, context);
    const previous = this.get(type, namespace, name);
    const base = deepClone(this.served(type, previous.object));
    let patched: unknown;
    if (kind === 'merge') patched = applyMergePatch(base, patch);
    else if (kind === 'json') patched = applyJsonPatch(base, patch);
    else {
      if (type.custom) {
        throw new ApiError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
      }
      patched = applyStrategicMergePatch(base, patch, type.mergeSchema);
    }
    const object = this.parseBody(patched, type);
    this.checkIdentity(type, object, namespace, name);
    object.metadata.name = name;
    if (type.namespaced) object.metadata.namespace = namespace;
    return this.commit(type, previous, object, context, 'update', subresource);
  }

  private apply(type: ResourceType, namespace: string, name: string, patch: unknown, context: WriteContext & { force?: boolean }): WriteResult {
    const applied = this.parseBody(patch, type, true);
    this.checkIdentity(type, applied, namespace, name);
    if (applied.metadata.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
    applied.metadata.name = name;
    if (type.namespaced) applied.metadata.namespace = namespace;
    else delete applied.metadata.namespace;
    const previous = this.store.get(storageKey(type), type.namespaced ? namespace : '', name);
    if (!previous) this.ensureNamespace(type, namespace);
    const live = previous ? deepClone(this.served(type, previous.object)) : undefined;
    const skipStatus = type.statusSubresource && context.includeStatus !== true;
    const fromKubectl = context.fieldManager === lastAppliedManager;
    const merged = serverSideApply({
      live,
      applied,
      manager: context.fieldManager,
      force: context.force === true,
      apiVersion: typeApiVersion(type),
      schema: type.mergeSchema,
      skipStatus,
      now: kubeTimestamp(),
      resource: type,
      conflictAllowed: fromKubectl ? conflictsAllowedByLastApplied(live, type.mergeSchema, skipStatus) : undefined,
    });
    if (fromKubectl) syncLastApplied(merged, applied);
    return this.commit(type, previous, merged, context, 'apply');
  }

  /** Reads, changes and writes one object (controllers, scale). */
  modify(type: ResourceType, namespace: string, name: string, change: (object: KubeObject) => void, context: WriteContext, subresource?: string): WriteResult {
    const previous = this.get(type, namespace, name);
    const object = deepClone(previous.object);
    change(object);
    return this.commit(type, previous, object, context, 'update', subresource);
  }

  private commit(
    type: ResourceType,
    previous: StoredObject | undefined,
    candidate: KubeObject,
    context: WriteContext,
    operation: 'update' | 'apply',
    subresource?: string,
  ): WriteResult {
    const now = kubeTimestamp();
    const key = storageKey(type);
    let next = candidate;
    const before = previous?.object;
    if (before) {
      if (next.metadata.resourceVersion !== undefined && next.metadata.resourceVersion !== '' && next.metadata.resourceVersion !== before.metadata.resourceVersion) {
        throw modifiedConflict(type, before.metadata.name ?? '');
      }
      if (next.metadata.uid !== undefined && next.metadata.uid !== before.metadata.uid) {
        throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${String(next.metadata.uid)}, UID in object meta: ${before.metadata.uid ?? ''}`);
      }
      if (subresource === 'status') {
        next = { ...deepClone(before), status: next.status, metadata: { ...deepClone(before.metadata), managedFields: next.metadata.managedFields } };
        if (next.status === undefined) delete next.status;
      } else if (type.statusSubresource && context.includeStatus !== true) {
        if (before.status === undefined) delete next.status;
        else next.status = deepClone(before.status);
      }
      next.metadata.uid = before.metadata.uid;
      next.metadata.creationTimestamp = before.metadata.creationTimestamp;
      // Kinds without a generation keep none: an `undefined` key would make a no-op apply look like a change.
      if (before.metadata.generation === undefined) delete next.metadata.generation;
      else next.metadata.generation = before.metadata.generation;
      // Only deletion sets these; no write may add, change or drop them.
      if (before.metadata.deletionTimestamp === undefined) delete next.metadata.deletionTimestamp;
      else next.metadata.deletionTimestamp = before.metadata.deletionTimestamp;
      if (before.metadata.deletionGracePeriodSeconds === undefined) delete next.metadata.deletionGracePeriodSeconds;
      else next.metadata.deletionGracePeriodSeconds = before.metadata.deletionGracePeriodSeconds;
    } else {
      next.metadata.uid = randomUUID();
      next.metadata.creationTimestamp = now;
      delete next.metadata.generation;
      delete next.metadata.deletionTimestamp;
      delete next.metadata.deletionGracePeriodSeconds;
      if (type.tracksGeneration) next.metadata.generation = 1;
      if (type.statusSubresource && context.includeStatus !== true) delete next.status;
    }
    delete next.metadata.resourceVersion;
    next.apiVersion = apiVersionOf(type.group, type.storageVersion);
    next.kind = type.kind;

    admitBySchema(next, type, context.fieldValidation, context.warnings);
    applyDefaults(next, type.group, { previous: before, addresses: this.addresses });
    validateObject(next, type, subresource === 'status' ? undefined : before);
    if (type.kind === 'CustomResourceDefinition' && type.group === 'apiextensions.k8s.io') validateCustomResourceDefinition(next);
    if (type.tracksGeneration && before && !deepEqual(specPart(before), specPart(next))) {
      next.metadata.generation = (before.metadata.generation ?? 0) + 1;
    }
    if (operation !== 'apply') {
      trackUpdate({
        previous: before,
        next,
        manager: context.fieldManager,
        apiVersion: typeApiVersion(type),
        subresource,
        schema: type.mergeSchema,
        skipStatus: type.statusSubresource && subresource !== 'status' && context.includeStatus !== true,
        now,
      });
    }
    if (before && deepEqual(withoutManagedTimes(before), withoutManagedTimes({ ...next, metadata: { ...next.metadata, resourceVersion: before.metadata.resourceVersion } }))) {
      return { object: before, created: false };
    }
    if (context.dryRun) {
      if (before) next.metadata.resourceVersion = before.metadata.resourceVersion;
      return { object: next, created: !before };
    }
    if (before && next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0) {
      const removed = this.store.remove(key, previous?.namespace ?? '', previous?.name ?? '', next);
      this.afterDelete(type, next);
      return { object: removed?.object ?? next, created: false };
    }
    if (type.group === '' && type.kind === 'Service' && isRecord(next.spec)) this.addresses.reserve(next.spec.clusterIP);
    const stored = this.store.put(key, next);
    if (type.kind === 'CustomResourceDefinition' && type.group === 'apiextensions.k8s.io') this.registerDefinition(next);
    return { object: stored.object, created: !before };
  }

  delete(type: ResourceType, namespace: string, name: string, context: WriteContext, options: DeleteOptions = {}): DeleteResult {
    const previous = this.get(type, namespace, name);
    const object = previous.object;
    const preconditions = options.preconditions;
    if (preconditions?.uid !== undefined && preconditions.uid !== object.metadata.uid) {
      throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${object.metadata.uid ?? ''}`, { name, group: type.group, kind: type.plural });
    }
    if (preconditions?.resourceVersion !== undefined && preconditions.resourceVersion !== object.metadata.resourceVersion) {
      throw new ApiError(409, 'Conflict', `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${object.metadata.resourceVersion ?? ''}`, { name, group: type.group, kind: type.plural });
    }
    if (type.group === '' && type.kind === 'Namespace' && protectedNamespaces.has(name)) {
      throw new ApiError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
    }
    if (context.dryRun) return { object, finished: true };
    const finalizers = object.metadata.finalizers ?? [];
    if (finalizers.length > 0) {
      if (object.metadata.deletionTimestamp) return { object, finished: false };
      const marked = deepClone(object);
      marked.metadata.deletionTimestamp = kubeTimestamp();
      marked.metadata.deletionGracePeriodSeconds = 0;
      return { object: this.store.put(storageKey(type), marked).object, finished: false };
    }
    if (type.group === '' && type.kind === 'Namespace') this.emptyNamespace(name);
    const removed = this.store.remove(storageKey(type), previous.namespace, previous.name);
    this.afterDelete(type, object);
    return { object: removed?.object ?? object, finished: true };
  }

  // Namespace deletion: a real server runs the namespace controller; here everything inside goes at once.
  private emptyNamespace(namespace: string): void {
    for (const key of this.store.collectionKeys()) {
      for (const stored of [...this.store.list(key, namespace)]) this.store.remove(key, namespace, stored.name);
    }
  }

  private afterDelete(type: ResourceType, object: KubeObject): void {
    if (type.kind !== 'CustomResourceDefinition' || type.group !== 'apiextensions.k8s.io') return;
    const spec = isRecord(object.spec) ? object.spec : {};
    const names = isRecord(spec.names) ? spec.names : {};
    if (typeof spec.group !== 'string' || typeof names.plural !== 'string') return;
    const key = storageKey({ group: spec.group, plural: names.plural });
    for (const stored of [...this.store.list(key)]) this.store.remove(key, stored.namespace, stored.name);
    this.registry.unregister(spec.group, names.plural);
  }

  /** (Re)registers the resource types a stored CRD serves. */
  registerDefinition(crd: KubeObject): void {
    const types = resourceTypesOfDefinition(crd);
    if (types.length === 0) return;
    this.registry.unregister(types[0].group, types[0].plural);
    for (const type of types) this.registry.register(type);
  }

  deleteCollection(type: ResourceType, namespace: string | undefined, filter: ObjectPredicate | undefined, context: WriteContext): KubeObject[] {
    const { items } = this.list(type, { namespace, filter });
    const out: KubeObject[] = [];
    for (const item of [...items]) {
      try {
        out.push(this.delete(type, item.namespace, item.name, context).object);
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 404)) throw error;
      }
    }
    return out;
  }
}
