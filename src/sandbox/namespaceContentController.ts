// What a real cluster puts into every new namespace: the `default` ServiceAccount and the
// `kube-root-ca.crt` ConfigMap. Having them here means drift and listing code meets the
// unmanaged objects it will meet on a real cluster.

import { ApiError } from './apiStatus';
import type { StoreEvent } from './objectStore';
import type { ResourceService, WriteContext } from './resourceService';

function controllerContext(manager: string): WriteContext {
  return { dryRun: false, fieldManager: manager, fieldValidation: 'Ignore', warnings: [] };
}

export class NamespaceContentController {
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly service: ResourceService,
    private readonly caCertPem: string,
  ) {}

  start(): void {
    this.unsubscribe = this.service.store.subscribeAll((event) => this.onEvent(event));
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
  }

  /** Fills namespaces that existed before the controller started. */
  fillExisting(): void {
    for (const stored of this.service.store.list('/namespaces')) this.fill(stored.name);
  }

  private onEvent(event: StoreEvent): void {
    if (event.collection !== '/namespaces' || event.type !== 'ADDED') return;
    // Deferred: creating objects from inside the store's event dispatch would interleave events.
    queueMicrotask(() => {
      if (!this.stopped) this.fill(event.object.name);
    });
  }

  private fill(namespace: string): void {
    const registry = this.service.registry;
    const serviceAccounts = registry.byGroupVersionKind('', 'v1', 'ServiceAccount');
    const configMaps = registry.byGroupVersionKind('', 'v1', 'ConfigMap');
    if (!serviceAccounts || !configMaps) return;
    const create = (type: typeof serviceAccounts, body: Record<string, unknown>, manager: string): void => {
      try {
        this.service.create(type, namespace, body, controllerContext(manager));
      } catch (error) {
        // Already there (a seed or the user made it), or the namespace went away meanwhile.
        if (!(error instanceof ApiError)) throw error;
      }
    };
    create(serviceAccounts, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } }, 'kube-controller-manager');
    create(
      configMaps,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } }, data: { 'ca.crt': this.caCertPem } },
      'kube-controller-manager',
    );
  }
}
