// The state a fresh cluster starts with: the system namespaces, the `kubernetes` Service in
// `default`, and the Argo CD and Flux CRDs (so pull-model resources can be applied at once).

import { builtinResourceTypes } from './builtinResourceTypes';
import { gitopsDefinitions } from './gitopsDefinitions';
import type { KubeObject } from './kubeObject';
import type { ResourceRegistry } from './resourceRegistry';
import type { ResourceService, WriteContext } from './resourceService';

export function registerBuiltins(registry: ResourceRegistry): void {
  for (const type of builtinResourceTypes()) registry.register(type, true);
}

function context(manager: string): WriteContext {
  return { dryRun: false, fieldManager: manager, fieldValidation: 'Ignore', warnings: [] };
}

function create(service: ResourceService, object: KubeObject, manager: string): void {
  const type = service.registry.byApiVersionKind(object.apiVersion, object.kind);
  if (!type) throw new Error(`bootstrap: no resource for ${object.apiVersion} ${object.kind}`);
  service.create(type, object.metadata.namespace ?? '', object, context(manager));
}

export function bootstrapCluster(service: ResourceService, extraNamespaces: string[]): void {
  const namespaces = [...new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', ...extraNamespaces])];
  for (const name of namespaces) create(service, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, 'kube-apiserver');
  create(
    service,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
    },
    'kube-apiserver',
  );
  for (const definition of gitopsDefinitions()) create(service, definition, 'sandbox-bootstrap');
}
