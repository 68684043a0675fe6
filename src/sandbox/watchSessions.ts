// Watch streams (`?watch=true`): newline-delimited `{type, object}` events, starting from the
// state at the requested resourceVersion (synthetic ADDED events when none is given, replay of
// the history otherwise, an ERROR event with a 410 Expired Status when the history no longer
// reaches back that far), optional BOOKMARK events, `timeoutSeconds`, and selector-aware
// transitions (an object that stops matching is reported DELETED). Open sessions are tracked so
// fault injection can close, silence or reset them.

import type { ServerResponse } from 'node:http';
import { ApiError, statusBody } from './apiStatus';
import type { KubeObject } from './kubeObject';
import type { ObjectStore, StoreEvent, StoredObject } from './objectStore';
import { storageKey, type ResourceType } from './resourceType';
import type { ObjectPredicate } from './selectors';

export interface WatchRequest {
  type: ResourceType;
  namespace?: string;
  filter?: ObjectPredicate;
  /** Query value: undefined/'' = now with initial state, '0' = any (same), N = resume after N. */
  resourceVersion?: string;
  allowBookmarks: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
  /** Serializes the event object (plain JSON, or a Table row for `kubectl get -w`). */
  render: (stored: StoredObject, type: 'ADDED' | 'MODIFIED' | 'DELETED') => string;
  /** Path of the request, for fault matching. */
  path: string;
}

export type WatchDropMode = 'close' | 'hang' | 'reset';

export interface WatchSessionOptions {
  bookmarkIntervalMs: number;
}

export class WatchSession {
  private unsubscribe: (() => void) | undefined;
  private timers: NodeJS.Timeout[] = [];
  private muted = false;
  private closed = false;

  constructor(
    private readonly request: WatchRequest,
    private readonly response: ServerResponse,
    private readonly onClose: (session: WatchSession) => void,
  ) {}

  get path(): string {
    return this.request.path;
  }

  start(store: ObjectStore, options: WatchSessionOptions): void {
    const { request, response } = this;
    response.on('close', () => this.finish());
    response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    response.flushHeaders();
    const key = storageKey(request.type);
    const requested = request.resourceVersion;
    // Subscribing and computing the starting point happen in one synchronous step, so no event
    // can fall between them.
    this.unsubscribe = store.subscribe(key, (event) => this.deliver(event));
    if (requested === undefined || requested === '' || requested === '0' || request.sendInitialEvents === true) {
      for (const stored of store.list(key, request.type.namespaced ? request.namespace : undefined)) {
        if (!request.filter || request.filter(stored.object)) this.writeEvent('ADDED', request.render(stored, 'ADDED'));
      }
      if (request.sendInitialEvents === true && request.allowBookmarks) this.writeBookmark(store.resourceVersion, true);
    } else {
      const from = Number(requested);
      if (!Number.isInteger(from) || from < 0) {
        this.fail(new ApiError(400, 'BadRequest', `invalid resourceVersion "${requested}"`));
        return;
      }
      try {
        for (const event of store.eventsSince(key, from)) this.deliver(event);
      } catch (error) {
        if (error instanceof ApiError) {
          this.fail(error);
          return;
        }
        throw error;
      }
    }
    if (request.allowBookmarks) {
      this.timers.push(setInterval(() => this.writeBookmark(store.resourceVersion, false), options.bookmarkIntervalMs));
    }
    if (request.timeoutSeconds !== undefined && request.timeoutSeconds > 0) {
      this.timers.push(setTimeout(() => this.close(), request.timeoutSeconds * 1000));
    }
  }

  private deliver(event: StoreEvent): void {
    const { filter, namespace, type } = this.request;
    if (type.namespaced && namespace !== undefined && event.object.namespace !== namespace) return;
    if (!filter) {
      this.writeEvent(event.type, this.request.render(event.object, event.type));
      return;
    }
    const now = filter(event.object.object);
    if (event.type === 'ADDED') {
      if (now) this.writeEvent('ADDED', this.request.render(event.object, 'ADDED'));
      return;
    }
    if (event.type === 'DELETED') {
      if (filter(event.previous?.object ?? event.object.object)) this.writeEvent('DELETED', this.request.render(event.object, 'DELETED'));
      return;
    }
    const before = event.previous ? filter(event.previous.object) : false;
    if (before && now) this.writeEvent('MODIFIED', this.request.render(event.object, 'MODIFIED'));
    else if (now) this.writeEvent('ADDED', this.request.render(event.object, 'ADDED'));
    else if (before) this.writeEvent('DELETED', this.request.render(event.object, 'DELETED'));
  }

  private writeEvent(type: string, objectJson: string): void {
    if (this.closed || this.muted) return;
    this.response.write(`{"type":"${type}","object":${objectJson}}\n`);
  }

  private writeBookmark(resourceVersion: number, initialEventsEnd: boolean): void {
    const { type } = this.request;
    const metadata: KubeObject['metadata'] = { resourceVersion: String(resourceVersion) };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    const object = { kind: type.kind, apiVersion: type.group === '' ? type.version : `${type.group}/${type.version}`, metadata };
    this.writeEvent('BOOKMARK', JSON.stringify(object));
  }

  // The real server reports watch errors in-band: HTTP 200, one ERROR event with a Status, then EOF.
  private fail(error: ApiError): void {
    this.writeEvent('ERROR', JSON.stringify(statusBody(error)));
    this.close();
  }

  /** Ends the stream cleanly, as a server-side timeout does. */
  close(): void {
    if (this.closed) return;
    this.response.end();
    this.finish();
  }

  /** Keeps the connection open but sends nothing more ("hangs silently"). */
  mute(): void {
    this.muted = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** Drops the TCP connection without ending the HTTP response. */
  reset(): void {
    this.response.socket?.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.unsubscribe?.();
    this.onClose(this);
  }
}

/** The open watch sessions of one sandbox. */
export class WatchRegistry {
  private readonly sessions = new Set<WatchSession>();

  constructor(private readonly options: WatchSessionOptions) {}

  open(store: ObjectStore, request: WatchRequest, response: ServerResponse): WatchSession {
    const session = new WatchSession(request, response, (closed) => this.sessions.delete(closed));
    this.sessions.add(session);
    session.start(store, this.options);
    return session;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Applies `mode` to every open session whose path matches; returns how many. */
  drop(mode: WatchDropMode, path?: RegExp): number {
    let count = 0;
    for (const session of [...this.sessions]) {
      if (path && !path.test(session.path)) continue;
      count++;
      if (mode === 'close') session.close();
      else if (mode === 'reset') session.reset();
      else session.mute();
    }
    return count;
  }

  closeAll(): void {
    for (const session of [...this.sessions]) session.close();
  }
}
