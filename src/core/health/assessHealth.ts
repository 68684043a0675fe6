// The health of one Kubernetes object, as Argo CD would show it with its built-in rules
// (gitops-engine pkg/health, plus the Flux scripts Argo CD ships). Kinds Argo has no rule for get
// `null`, not a guess: Argo shows no health for them, and an environment roll-up must skip them.
import { apiServiceHealth, customResourceDefinitionHealth } from './apiExtensionHealth';
import { workflowHealth } from './argoHealth';
import { cronJobHealth } from './cronJobHealth';
import { FLUX_KINDS, fluxHealth } from './fluxHealth';
import { health, type HealthResult } from './healthStatus';
import { hpaHealth } from './hpaHealth';
import { jobHealth } from './jobHealth';
import { ingressHealth, serviceHealth } from './networkHealth';
import { FieldTypeError, isRecord, type KubeObject } from './objectFields';
import { podHealth } from './podHealth';
import { persistentVolumeClaimHealth } from './storageHealth';
import { daemonSetHealth, deploymentHealth, replicaSetHealth, statefulSetHealth } from './workloadHealth';

type HealthRule = (object: KubeObject, version: string) => HealthResult;

/**
 * Keyed by `group/kind` (core group: `/Kind`), as gitops-engine's GetHealthCheckFunc switches on
 * group and kind. The version only matters to the HPA (v1 keeps its conditions in an annotation);
 * older versions of the other kinds carry the same fields, so one rule serves them all.
 */
const RULES: ReadonlyMap<string, HealthRule> = new Map<string, HealthRule>([
  ['apps/Deployment', deploymentHealth],
  ['apps/StatefulSet', statefulSetHealth],
  ['apps/ReplicaSet', replicaSetHealth],
  ['apps/DaemonSet', daemonSetHealth],
  ['extensions/Ingress', ingressHealth],
  ['networking.k8s.io/Ingress', ingressHealth],
  ['argoproj.io/Workflow', workflowHealth],
  ['apiregistration.k8s.io/APIService', apiServiceHealth],
  ['apiextensions.k8s.io/CustomResourceDefinition', customResourceDefinitionHealth],
  ['/Service', serviceHealth],
  ['/PersistentVolumeClaim', persistentVolumeClaimHealth],
  ['/Pod', podHealth],
  ['batch/Job', jobHealth],
  // Not in gitops-engine: the health script Argo CD ships for CronJobs (see cronJobHealth.ts).
  ['batch/CronJob', cronJobHealth],
  ['autoscaling/HorizontalPodAutoscaler', hpaHealth],
  ...[...FLUX_KINDS].map(([key, family]): [string, HealthRule] => [key, (object) => fluxHealth(object, family)]),
]);

/** `apps/v1` → { group: 'apps', version: 'v1' }; `v1` → core group ''. */
function groupVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Argo CD keeps hook resources alive with this finalizer; their deletion is not "pending". */
const HOOK_FINALIZER = 'argocd.argoproj.io/hook-finalizer';

function pendingDeletion(metadata: KubeObject): HealthResult | null {
  const deletion = metadata.deletionTimestamp;
  if (deletion === undefined || deletion === null || deletion === '') return null;
  const finalizers = Array.isArray(metadata.finalizers) ? metadata.finalizers.filter((f): f is string => typeof f === 'string') : [];
  if (finalizers.includes(HOOK_FINALIZER)) return null;
  // Naming the finalizers tells the user what the deletion waits on (newer Argo scripts do the same).
  return health('Progressing', finalizers.length ? `Pending deletion; blocked by finalizers: ${finalizers.join(', ')}` : 'Pending deletion');
}

/** True when a built-in rule exists for the kind (Argo's `GetHealthCheckFunc(gvk) != nil`). */
export function hasHealthRule(apiVersion: string, kind: string): boolean {
  return RULES.has(`${groupVersion(apiVersion).group}/${kind}`);
}

/**
 * Assesses one object (usually a live one: health reads `status`). Returns null when no rule applies
 * to its kind. A field of the wrong type gives Unknown with the path, where Argo's typed conversion
 * fails the same way.
 */
export function assessHealth(object: Record<string, unknown>): HealthResult | null {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const kind = typeof object.kind === 'string' ? object.kind : '';
  // Before the kind lookup, as in Argo: an object being deleted is Progressing whatever its kind.
  if (isRecord(object.metadata)) {
    const deleting = pendingDeletion(object.metadata);
    if (deleting) return deleting;
  }
  const { group, version } = groupVersion(apiVersion);
  const rule = RULES.get(`${group}/${kind}`);
  if (!rule) return null;
  try {
    return rule(object, version);
  } catch (error) {
    if (error instanceof FieldTypeError) return health('Unknown', `failed to convert unstructured ${kind} to typed: ${error.message}`);
    throw error;
  }
}
