// The sandbox cluster: a Kubernetes API server emulator on https://127.0.0.1:<port> with a CA made
// at start, a bearer token, and a kubeconfig written for it. Used by integration tests, e2e,
// benchmarks and the demo, wherever a real API server cannot run.

import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { ApiError } from './apiStatus';
import { bootstrapCluster, registerBuiltins } from './clusterBootstrap';
import { FaultInjector, type FaultController } from './faultInjection';
import { deepClone, type KubeObject, type ObjectRef } from './kubeObject';
import { userNameFor, writeKubeconfig } from './kubeconfigFile';
import { NamespaceContentController } from './namespaceContentController';
import { ObjectStore } from './objectStore';
import { OpenApiDocuments } from './openApiDocuments';
import { ResourceRegistry } from './resourceRegistry';
import { ResourceService, type WriteContext } from './resourceService';
import { storageKey, type ResourceType } from './resourceType';
import { createRequestHandler } from './sandboxRequestHandler';
import { applySeed } from './seedManifests';
import { parseLabelSelector } from './selectors';
import { ServiceAddressAllocator } from './serviceAddressAllocator';
import { createSandboxCertificates } from './tlsCertificates';
import { WatchRegistry } from './watchSessions';
import { WorkloadStatusController } from './workloadStatusController';

export interface SandboxOptions {
  /** 0 or omitted = a random free port. */
  port?: number;
  kubeconfigPath: string;
  /** Directory of manifests applied at start (see seedManifests.ts). */
  seedDir?: string;
  /** Context (and cluster) name in the kubeconfig; default 'sandbox'. */
  contextName?: string;
  /** The context's namespace; created if missing. Default 'default'. */
  namespace?: string;
  /** Workload status and namespace content controllers; default true. */
  controllers?: boolean;
  /** Interval of watch BOOKMARK events when a client allows them; default 5000 ms. */
  bookmarkIntervalMs?: number;
  /** Change events kept for watch resumption; default 100,000. */
  watchHistoryLimit?: number;
  /**
   * Images whose pull fails (as ImagePullBackOff would): Deployments whose pods use one roll out
   * but never become available. Default none.
   */
  unpullableImages?: readonly string[];
}

/** Direct access to the sandbox's objects, bypassing HTTP (tests and the demo make live drift with it). */
export interface SandboxStore {
  /** Server-side apply with `force` (default manager 'sandbox-direct'); `status` is stored as given. */
  apply(object: KubeObject, fieldManager?: string): KubeObject;
  /**
   * JSON merge patch as an Update by `fieldManager` (default 'sandbox-direct'), like `kubectl patch
   * --type merge`: the simplest way to make one live field drift without owning the rest.
   */
  patch(ref: ObjectRef, mergePatch: Record<string, unknown>, fieldManager?: string): KubeObject;
  get(ref: ObjectRef): KubeObject | undefined;
  list(apiVersion: string, kind: string, options?: { namespace?: string; labelSelector?: string }): KubeObject[];
  /** Removes the object at once (finalizers are ignored); false when it did not exist. */
  delete(ref: ObjectRef): boolean;
  /** Current global resourceVersion. */
  readonly resourceVersion: string;
  /** Forgets the watch history like an etcd compaction: resuming from an older resourceVersion gets 410 Expired. */
  compact(): void;
}

export interface SandboxHandle {
  url: string;
  kubeconfigPath: string;
  contextName: string;
  port: number;
  /** The bearer token the server accepts (also in the kubeconfig). */
  token: string;
  /** PEM of the CA that signed the server certificate (also in the kubeconfig). */
  caCertPem: string;
  stop(): Promise<void>;
  faults: FaultController;
  store: SandboxStore;
}

const host = '127.0.0.1';

function directContext(manager: string): WriteContext & { force: boolean } {
  return { dryRun: false, fieldManager: manager, fieldValidation: 'Ignore', warnings: [], includeStatus: true, force: true };
}

function createStoreApi(service: ResourceService, defaultNamespace: string): SandboxStore {
  const typeOf = (apiVersion: string, kind: string): ResourceType => {
    const type = service.registry.byApiVersionKind(apiVersion, kind);
    if (!type) throw new ApiError(404, 'NotFound', `the server doesn't have a resource type for ${apiVersion} ${kind}`);
    return type;
  };
  const namespaceOf = (type: ResourceType, namespace: string | undefined): string => (type.namespaced ? (namespace ?? defaultNamespace) : '');
  return {
    apply(object, fieldManager = 'sandbox-direct') {
      const type = typeOf(object.apiVersion, object.kind);
      const result = service.patch(type, namespaceOf(type, object.metadata.namespace), object.metadata.name ?? '', 'apply', object, directContext(fieldManager));
      return deepClone(service.served(type, result.object));
    },
    patch(ref, mergePatch, fieldManager = 'sandbox-direct') {
      const type = typeOf(ref.apiVersion, ref.kind);
      const result = service.patch(type, namespaceOf(type, ref.namespace), ref.name, 'merge', mergePatch, directContext(fieldManager));
      return deepClone(service.served(type, result.object));
    },
    get(ref) {
      const type = typeOf(ref.apiVersion, ref.kind);
      const stored = service.store.get(storageKey(type), namespaceOf(type, ref.namespace), ref.name);
      return stored ? deepClone(service.served(type, stored.object)) : undefined;
    },
    list(apiVersion, kind, options = {}) {
      const type = typeOf(apiVersion, kind);
      const filter = parseLabelSelector(options.labelSelector);
      return service
        .list(type, { namespace: type.namespaced ? options.namespace : undefined, filter })
        .items.map((item) => deepClone(service.served(type, item.object)));
    },
    delete(ref) {
      const type = typeOf(ref.apiVersion, ref.kind);
      const namespace = namespaceOf(type, ref.namespace);
      const stored = service.store.get(storageKey(type), namespace, ref.name);
      if (!stored) return false;
      if ((stored.object.metadata.finalizers ?? []).length > 0) {
        service.modify(type, namespace, ref.name, (object) => {
          delete object.metadata.finalizers;
        }, directContext('sandbox-direct'));
      }
      if (service.store.get(storageKey(type), namespace, ref.name)) service.delete(type, namespace, ref.name, directContext('sandbox-direct'));
      return true;
    },
    get resourceVersion() {
      return String(service.store.resourceVersion);
    },
    compact() {
      service.store.compact();
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ port, host }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export async function startSandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const contextName = options.contextName ?? 'sandbox';
  const namespace = options.namespace ?? 'default';
  const certificates = createSandboxCertificates();
  const token = randomBytes(32).toString('base64url');

  const registry = new ResourceRegistry();
  registerBuiltins(registry);
  const store = new ObjectStore({ historyLimit: options.watchHistoryLimit });
  const service = new ResourceService(store, registry, new ServiceAddressAllocator());
  const watches = new WatchRegistry({ bookmarkIntervalMs: options.bookmarkIntervalMs ?? 5000 });

  const controllersOn = options.controllers !== false;
  const workloads = new WorkloadStatusController(service, undefined, options.unpullableImages);
  const namespaceContent = new NamespaceContentController(service, certificates.caCertPem);
  bootstrapCluster(service, [namespace]);
  if (controllersOn) {
    namespaceContent.fillExisting();
    namespaceContent.start();
    workloads.start();
  }
  const stopControllers = (): void => {
    workloads.stop();
    namespaceContent.stop();
  };
  try {
    if (options.seedDir) applySeed(service, options.seedDir, namespace);
  } catch (error) {
    stopControllers();
    throw error;
  }

  const sockets = new Set<Socket>();
  let listening = false;
  let port = options.port ?? 0;
  let outageTimer: NodeJS.Timeout | undefined;

  const server = createServer({ key: certificates.serverKeyPem, cert: certificates.serverCertPem });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client hanging up mid-handshake is its own business, not a sandbox error.
  server.on('tlsClientError', () => undefined);

  const stopListening = async (): Promise<void> => {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    watches.drop('reset');
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  const startListening = async (): Promise<void> => {
    if (listening) return;
    port = await listen(server, port);
    listening = true;
  };

  const faults = new FaultInjector({
    dropWatches: (mode, path) => watches.drop(mode, path),
    stopListening,
    startListening,
    isListening: () => listening,
  });

  server.on(
    'request',
    createRequestHandler({
      token,
      service,
      watches,
      openApi: new OpenApiDocuments(registry),
      faults,
      serverAddress: () => `${host}:${port}`,
      userName: userNameFor(contextName),
      identities: new Map(),
      scheduleOutage: (ms) => {
        void stopListening().then(() => {
          outageTimer = setTimeout(() => void startListening(), ms);
        });
      },
    }),
  );

  const url = await (async (): Promise<string> => {
    try {
      await startListening();
      const address = `https://${host}:${port}`;
      writeKubeconfig(options.kubeconfigPath, { contextName, server: address, caCertPem: certificates.caCertPem, token, namespace });
      return address;
    } catch (error) {
      stopControllers();
      await stopListening();
      throw error;
    }
  })();

  return {
    url,
    kubeconfigPath: options.kubeconfigPath,
    contextName,
    port,
    token,
    caCertPem: certificates.caCertPem,
    faults,
    store: createStoreApi(service, namespace),
    async stop() {
      clearTimeout(outageTimer);
      stopControllers();
      faults.clear();
      watches.closeAll();
      await stopListening();
    },
  };
}
