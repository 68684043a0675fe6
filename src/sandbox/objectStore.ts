// In-memory storage with etcd's versioning model: one global, monotonic resourceVersion counter,
// every write gets the next value, and a bounded history of change events lets watches resume
// from a past resourceVersion (410 Expired once that part of the history is compacted away).
// Stored objects are immutable; each keeps its JSON text once computed, so lists and watch
// fan-out serialize every object version at most once.

import { expired } from './apiStatus';
import type { KubeObject } from './kubeObject';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export class StoredObject {
  private serialized: string | undefined;

  constructor(
    readonly object: KubeObject,
    readonly resourceVersion: number,
  ) {}

  get json(): string {
    this.serialized ??= JSON.stringify(this.object);
    return this.serialized;
  }

  get namespace(): string {
    return this.object.metadata.namespace ?? '';
  }

  get name(): string {
    return this.object.metadata.name ?? '';
  }
}

export interface StoreEvent {
  type: StoreEventType;
  /** Storage key (`group/plural`). */
  collection: string;
  object: StoredObject;
  /** The version replaced or deleted (for MODIFIED / DELETED). */
  previous?: StoredObject;
  resourceVersion: number;
}

export type StoreListener = (event: StoreEvent) => void;

interface Collection {
  byNamespace: Map<string, Map<string, StoredObject>>;
  /** Sorted namespace → sorted names, rebuilt lazily after inserts and deletes. */
  order: StoredObject[] | undefined;
  size: number;
}

export interface ObjectStoreOptions {
  /** How many change events are kept for watch resumption (default 100,000). */
  historyLimit?: number;
}

export class ObjectStore {
  private counter = 0;
  private readonly collections = new Map<string, Collection>();
  private history: StoreEvent[] = [];
  /** Events with resourceVersion ≤ this are gone from the history. */
  private compactedThrough = 0;
  private readonly historyLimit: number;
  private readonly listeners = new Map<string, Set<StoreListener>>();
  private readonly globalListeners = new Set<StoreListener>();

  constructor(options: ObjectStoreOptions = {}) {
    this.historyLimit = options.historyLimit ?? 100_000;
  }

  get resourceVersion(): number {
    return this.counter;
  }

  /** The oldest resourceVersion a watch can still resume from. */
  get oldestResumableVersion(): number {
    return this.compactedThrough;
  }

  private collection(key: string): Collection {
    let collection = this.collections.get(key);
    if (!collection) {
      collection = { byNamespace: new Map(), order: undefined, size: 0 };
      this.collections.set(key, collection);
    }
    return collection;
  }

  get(key: string, namespace: string, name: string): StoredObject | undefined {
    return this.collections.get(key)?.byNamespace.get(namespace)?.get(name);
  }

  /** Objects ordered by namespace then name (etcd key order); `namespace` undefined = all. */
  list(key: string, namespace?: string): StoredObject[] {
    const collection = this.collections.get(key);
    if (!collection) return [];
    if (namespace !== undefined) {
      const names = collection.byNamespace.get(namespace);
      if (!names) return [];
      return [...names.values()].sort(compareStored);
    }
    collection.order ??= [...collection.byNamespace.values()].flatMap((names) => [...names.values()]).sort(compareStored);
    return collection.order;
  }

  count(key: string): number {
    return this.collections.get(key)?.size ?? 0;
  }

  /** Stores `object` (which must not be mutated afterwards) at the next resourceVersion. */
  put(key: string, object: KubeObject): StoredObject {
    const resourceVersion = ++this.counter;
    object.metadata.resourceVersion = String(resourceVersion);
    const stored = new StoredObject(object, resourceVersion);
    const collection = this.collection(key);
    let names = collection.byNamespace.get(stored.namespace);
    if (!names) {
      names = new Map();
      collection.byNamespace.set(stored.namespace, names);
    }
    const previous = names.get(stored.name);
    names.set(stored.name, stored);
    if (previous) {
      if (collection.order) collection.order[collection.order.indexOf(previous)] = stored;
    } else {
      collection.size++;
      collection.order = undefined;
    }
    this.emit({ type: previous ? 'MODIFIED' : 'ADDED', collection: key, object: stored, previous, resourceVersion });
    return stored;
  }

  /** Deletes the object; the DELETED event carries `finalState` (or the last version) at a new resourceVersion. */
  remove(key: string, namespace: string, name: string, finalState?: KubeObject): StoredObject | undefined {
    const collection = this.collections.get(key);
    const names = collection?.byNamespace.get(namespace);
    const previous = names?.get(name);
    if (!collection || !names || !previous) return undefined;
    names.delete(name);
    if (names.size === 0) collection.byNamespace.delete(namespace);
    collection.size--;
    collection.order = undefined;
    const resourceVersion = ++this.counter;
    const object: KubeObject = { ...(finalState ?? previous.object), metadata: { ...(finalState ?? previous.object).metadata, resourceVersion: String(resourceVersion) } };
    const stored = new StoredObject(object, resourceVersion);
    this.emit({ type: 'DELETED', collection: key, object: stored, previous, resourceVersion });
    return stored;
  }

  collectionKeys(): string[] {
    return [...this.collections.keys()];
  }

  /** Listens to one collection's changes; returns the unsubscribe function. */
  subscribe(key: string, listener: StoreListener): () => void {
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Listens to every change (controllers). */
  subscribeAll(listener: StoreListener): () => void {
    this.globalListeners.add(listener);
    return () => this.globalListeners.delete(listener);
  }

  /** Events of one collection after `resourceVersion`; throws 410 Expired when history no longer reaches back that far. */
  eventsSince(key: string, resourceVersion: number): StoreEvent[] {
    if (resourceVersion < this.compactedThrough) {
      throw expired(`too old resource version: ${resourceVersion} (${this.compactedThrough})`);
    }
    let low = 0;
    let high = this.history.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.history[mid].resourceVersion <= resourceVersion) low = mid + 1;
      else high = mid;
    }
    const out: StoreEvent[] = [];
    for (let i = low; i < this.history.length; i++) if (this.history[i].collection === key) out.push(this.history[i]);
    return out;
  }

  /** Forgets all history, like an etcd compaction: watches from older resourceVersions get 410. */
  compact(): void {
    this.history = [];
    this.compactedThrough = this.counter;
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, Math.ceil(this.historyLimit / 10));
      this.compactedThrough = dropped[dropped.length - 1].resourceVersion;
    }
    const set = this.listeners.get(event.collection);
    if (set) for (const listener of [...set]) listener(event);
    for (const listener of [...this.globalListeners]) listener(event);
  }
}

function compareStored(a: StoredObject, b: StoredObject): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
