// Loads a kubeconfig and hands out a connection per context. The user's file and its
// current-context are never written: choosing a context happens on our in-memory copy only.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ClusterError } from './clusterError';
import { contextConnection, type ContextConnection } from './contextConnection';
import { readKubeconfigFiles } from './kubeconfigModel';

export interface KubeconfigSource {
  /** Explicit path (setting or --kubeconfig); wins over the environment. */
  path?: string | null;
  env?: NodeJS.ProcessEnv;
}

export interface LoadedKubeconfig {
  /** Files read, in merge order. */
  files: string[];
  contexts: string[];
  currentContext: string | null;
  /** The connection of `context` (server, TLS, credentials, namespace), one per call. */
  forContext(context: string): ContextConnection;
}

/** Resolves which files to read: explicit path, then KUBECONFIG (a path list), then ~/.kube/config. */
export function kubeconfigFiles(source: KubeconfigSource = {}): string[] {
  if (source.path) return [source.path];
  const env = source.env ?? process.env;
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter((p) => p.length > 0);
  return [join(env.HOME ?? homedir(), '.kube', 'config')];
}

export function loadKubeconfig(source: KubeconfigSource = {}): LoadedKubeconfig {
  const files = kubeconfigFiles(source).filter((file) => existsSync(file));
  if (files.length === 0) {
    throw new ClusterError('config', `No kubeconfig found (looked at ${kubeconfigFiles(source).join(', ')})`);
  }
  const document = readKubeconfigFiles(files);
  return {
    files,
    contexts: [...document.contexts.keys()],
    currentContext: document.currentContext,
    forContext: (context) => contextConnection(document, context, files),
  };
}
