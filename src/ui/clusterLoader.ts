// Loads the cluster layer (dist/cluster.js, which carries @kubernetes/client-node) on first use,
// so activation never pays for it.
import { join } from 'node:path';
import type * as ClusterModule from '../cluster/clusterModule';

export type ClusterModuleApi = typeof ClusterModule;

let loaded: ClusterModuleApi | undefined;

export function loadClusterModule(): ClusterModuleApi {
  // A plain require of a sibling bundle: esbuild leaves it alone (marked external).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require(join(__dirname, 'cluster.js')) as ClusterModuleApi;
  return loaded;
}
