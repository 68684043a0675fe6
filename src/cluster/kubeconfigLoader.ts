// Loads a kubeconfig and hands out a private copy per context. The user's file and its
// current-context are never written: choosing a context happens on our in-memory copy only.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
// The config module alone: the package root would also bundle the watch, exec, cp and informer clients.
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { ClusterError } from './clusterError';

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
  /** A KubeConfig whose current context is `context`, independent of every other copy. */
  forContext(context: string): KubeConfig;
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
  const merged = new KubeConfig();
  for (const file of files) {
    const one = new KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (error) {
      throw new ClusterError('config', `Cannot read kubeconfig ${file}: ${(error as Error).message}`);
    }
    if (merged.contexts.length === 0 && merged.clusters.length === 0) merged.loadFromString(one.exportConfig());
    else merged.mergeConfig(one, true);
  }
  const snapshot = merged.exportConfig();
  return {
    files,
    contexts: merged.getContexts().map((c) => c.name),
    currentContext: merged.getCurrentContext() || null,
    forContext(context: string): KubeConfig {
      if (!merged.getContextObject(context)) {
        throw new ClusterError('config', `Context "${context}" is not in ${files.join(', ')}`);
      }
      const copy = new KubeConfig();
      copy.loadFromString(snapshot);
      copy.setCurrentContext(context);
      return copy;
    },
  };
}
