// Which cluster a pipeline command talks to: the kubeconfig (explicit, KUBECONFIG or ~/.kube/config)
// and a context, or — inside a pod, when no kubeconfig exists — the pod's service account, as
// kubectl and client-go do (token, CA and namespace under /var/run/secrets/kubernetes.io/serviceaccount).
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { ApiDiscovery } from '../apiDiscovery';
import { ClusterError } from '../clusterError';
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
  const config = new KubeConfig();
  const prefix = root.endsWith('/') ? root.slice(0, -1) : root;
  // client-node reads the host and port from process.env; the pod's own values are those.
  const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
  process.env.KUBERNETES_SERVICE_HOST = env.KUBERNETES_SERVICE_HOST;
  process.env.KUBERNETES_SERVICE_PORT = env.KUBERNETES_SERVICE_PORT;
  try {
    config.loadFromCluster(prefix);
  } finally {
    if (saved.host === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
    else process.env.KUBERNETES_SERVICE_HOST = saved.host;
    if (saved.port === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
    else process.env.KUBERNETES_SERVICE_PORT = saved.port;
  }
  const context = config.getCurrentContext();
  const client = new KubeClient(config, context);
  return { client, discovery: new ApiDiscovery(client), context, namespace: config.getContextObject(context)?.namespace ?? null, inCluster: true };
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
  const config = loaded.forContext(context);
  const client = new KubeClient(config, context);
  return { client, discovery: new ApiDiscovery(client), context, namespace: config.getContextObject(context)?.namespace || null, inCluster: false };
}
