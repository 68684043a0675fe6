// The live half of a change preview: what applying the head of a touched environment would change
// in its cluster (server dry-run through `previewLive`), including live drift it would overwrite
// and objects the server refuses. Shared by `gitops-env preview` and the editor's Preview Impact.
import { objectId } from '../../core/drift/compare';
import type { KubeObject } from '../../core/drift/driftTypes';
import type { Environment } from '../../core/model';
import type { ObjectChangeReport } from '../../core/preview/objectDiff';
import type { EnvironmentPreview } from '../../core/preview/previewReport';
import { ClusterError } from '../clusterError';
import { previewLive } from './livePreview';
import { openSyncConnection } from './syncConnection';

export interface LiveImpactInput {
  environment: Environment;
  /** The head render's objects. */
  head: readonly KubeObject[];
  /** The base render's objects (those head no longer has are removals). */
  base: readonly KubeObject[];
  /** The Git change, to tell the change's own fields from live drift. */
  gitChanges: readonly ObjectChangeReport[];
  /** A kubeconfig file; default: the usual KUBECONFIG / ~/.kube/config (or the pod's service account). */
  kubeconfig?: string;
}

function keyOf(object: KubeObject): string {
  const id = objectId(object);
  return `${id.group}/${id.kind}/${id.namespace ?? ''}/${id.name}`;
}

/** Sets `preview.cluster` (checked, unreachable, or none with the reason) and adds a problem per refused object. Never throws. */
export async function addLiveImpact(preview: EnvironmentPreview, input: LiveImpactInput): Promise<void> {
  const { environment } = input;
  let connection: ReturnType<typeof openSyncConnection>;
  try {
    if (!environment.cluster.context && !input.kubeconfig) {
      preview.cluster = { status: 'none', objects: [], message: 'the environment names no cluster context' };
      return;
    }
    connection = openSyncConnection({ kubeconfig: input.kubeconfig, context: environment.cluster.context });
  } catch (error) {
    preview.cluster = { status: 'none', objects: [], message: error instanceof Error ? error.message : String(error) };
    return;
  }
  const namespace = environment.cluster.namespace ?? connection.namespace ?? 'default';
  const headKeys = new Set(input.head.map(keyOf));
  const removed = input.base.filter((object) => !headKeys.has(keyOf(object)));
  try {
    await connection.client.request('GET', '/version', { timeoutMs: 5000 });
    const objects = await previewLive(connection, { environment: environment.name, namespace, head: input.head, removed, gitChanges: input.gitChanges });
    preview.cluster = { status: 'checked', objects };
    for (const refused of objects.filter((o) => o.change === 'refused')) preview.problems.push(`the server refuses ${refused.kind} ${refused.namespace ? `${refused.namespace}/` : ''}${refused.name}: ${refused.error ?? ''}`);
  } catch (error) {
    const hint = error instanceof ClusterError && error.hint ? ` — ${error.hint}` : '';
    preview.cluster = { status: 'unreachable', objects: [], message: `${connection.context} at ${connection.client.serverUrl}: ${error instanceof Error ? error.message : String(error)}${hint}` };
  }
}
