// Which operator kinds a cluster serves, from one GET /apis (the group list with each group's
// preferred version) and the group-version documents of the groups present. A cluster without
// Argo CD or Flux simply has none: no cache is started for a kind that is not served, so a missing
// CRD costs one request, not a watch retrying forever.
import type { GroupVersionKind } from '../../core/model';
import { ARTIFACT_GENERATOR, OPERATOR_OBJECT_KINDS } from '../../core/operators/operatorStatus';
import type { OperatorKind } from '../../core/operators/operatorTypes';
import type { ApiDiscovery } from '../apiDiscovery';
import { ClusterError } from '../clusterError';
import type { KubeClient } from '../kubeClient';

export interface DetectedOperatorKinds {
  /** Kinds to show (Applications, Kustomizations…), at the version the cluster prefers. */
  kinds: GroupVersionKind[];
  /** Kinds read only to resolve references (ArtifactGenerators). */
  helperKinds: GroupVersionKind[];
  operators: Record<OperatorKind, boolean>;
  checkedAt: number;
}

interface ApiGroupList {
  groups?: Array<{ name?: string; preferredVersion?: { version?: string }; versions?: Array<{ version?: string }> }>;
}

const WANTED: ReadonlyArray<{ group: string; kind: string; helper: boolean; operator: OperatorKind }> = [
  ...OPERATOR_OBJECT_KINDS.map((k) => ({ group: k.group, kind: k.kind as string, helper: false, operator: k.operator })),
  { group: ARTIFACT_GENERATOR.group, kind: ARTIFACT_GENERATOR.kind, helper: true, operator: 'flux' },
];

/** Throws ClusterError when the cluster cannot be asked; a kind it does not serve is left out. */
export async function detectOperatorKinds(client: KubeClient, discovery: ApiDiscovery, timeoutMs = 5000): Promise<DetectedOperatorKinds> {
  const list = await client.request<ApiGroupList>('GET', '/apis', { timeoutMs });
  const preferred = new Map<string, string>();
  for (const group of list.groups ?? []) {
    const version = group.preferredVersion?.version ?? group.versions?.[0]?.version;
    if (group.name && version) preferred.set(group.name, version);
  }
  // A CRD installed or removed since the last look must not hide behind a cached document.
  for (const group of new Set(WANTED.map((w) => w.group))) {
    const version = preferred.get(group);
    if (version) discovery.invalidate(group, version);
  }
  const detected: DetectedOperatorKinds = { kinds: [], helperKinds: [], operators: { argocd: false, flux: false }, checkedAt: Date.now() };
  for (const wanted of WANTED) {
    const version = preferred.get(wanted.group);
    if (!version) continue;
    const gvk = { group: wanted.group, version, kind: wanted.kind };
    try {
      await discovery.resolve(gvk);
    } catch (error) {
      // Group served but not this kind (an older Flux without OCIRepository): leave it out.
      if (error instanceof ClusterError && error.code === 'notFound') continue;
      throw error;
    }
    (wanted.helper ? detected.helperKinds : detected.kinds).push(gvk);
    if (!wanted.helper) detected.operators[wanted.operator] = true;
  }
  return detected;
}
