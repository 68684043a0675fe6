// Which cluster a pipeline command talks to: the kubeconfig (explicit, KUBECONFIG or ~/.kube/config)
// and a context, or — inside a pod, when no kubeconfig exists — the pod's service account, as
// kubectl and client-go do (token, CA and namespace under /var/run/secrets/kubernetes.io/serviceaccount).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiDiscovery } from '../apiDiscovery';
import { ClusterError } from '../clusterError';
import { serviceAccountConnection } from '../contextConnection';
import { KubeClient } from '../kubeClient';
import { kubeconfigFiles, loadKubeconfig } from '../kubeconfigLoader';
import type { ApplyTarget } from '../drift/applyRequest';

export interface ConnectionRequest {
  kubeconfig?: string;
  /** The context to use; default: the environment's, else the kubeconfig's current one. */
  context?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Root the service-account files are read under (tests); default '/'. */
  serviceAccountRoot?: string;
}

export interface SyncConnection extends ApplyTarget {
  context: string;
  /** The context's namespace (or the service account's); null when it names none. */
  namespace: string | null;
  inCluster: boolean;
}

const SERVICE_ACCOUNT_DIR = 'var/run/secrets/kubernetes.io/serviceaccount';

function inClusterConnection(root: string, env: NodeJS.ProcessEnv): SyncConnection {
  const dir = join(root, SERVICE_ACCOUNT_DIR);
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() || null : null;
  const connection = serviceAccountConnection({
    host: env.KUBERNETES_SERVICE_HOST ?? '',
    port: env.KUBERNETES_SERVICE_PORT ?? '443',
    tokenFile: join(dir, 'token'),
    caFile: join(dir, 'ca.crt'),
    namespace,
  });
  const client = new KubeClient(connection, connection.context);
  return { client, discovery: new ApiDiscovery(client), context: connection.context, namespace, inCluster: true };
}

/** Opens the cluster; ClusterError `config` when there is no kubeconfig, no context, and no pod to run in. */
export function openSyncConnection(request: ConnectionRequest): SyncConnection {
  const env = request.env ?? process.env;
  const hasKubeconfig = request.kubeconfig !== undefined || kubeconfigFiles({ env }).some((file) => existsSync(file));
  if (!hasKubeconfig && env.KUBERNETES_SERVICE_HOST) {
    const root = request.serviceAccountRoot ?? '/';
    if (!existsSync(`${root.replace(/\/$/, '')}/${SERVICE_ACCOUNT_DIR}/token`)) {
      throw new ClusterError('config', `KUBERNETES_SERVICE_HOST is set but there is no service-account token under /${SERVICE_ACCOUNT_DIR}`);
    }
    return inClusterConnection(root, env);
  }
  const loaded = loadKubeconfig({ path: request.kubeconfig ?? null, env });
  const context = request.context ?? loaded.currentContext;
  if (!context) throw new ClusterError('config', 'the kubeconfig names no current context; pass --context');
  const connection = loaded.forContext(context);
  const client = new KubeClient(connection, context);
  return { client, discovery: new ApiDiscovery(client), context, namespace: connection.namespace, inCluster: false };
}
