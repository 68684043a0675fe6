// Values the API server fills in when Git leaves a field out. They matter in two places:
// a field Git declares with its default value and the live object omits is not drift, and a field
// the last apply declared and Git dropped is not drift when the live value is what the server
// would put back anyway. Paths are dotted, list items written `[]`, pod specs written `$pod`.

type DefaultCheck = (value: unknown, parent: Record<string, unknown> | undefined) => boolean;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (Array.isArray(value) && value.length === 0) ||
    (isRecord(value) && Object.keys(value).length === 0)
  );
}

const is =
  (...expected: unknown[]): DefaultCheck =>
  (value) =>
    expected.includes(value);
const empty: DefaultCheck = (value) => isEmpty(value);
/** Allocated or chosen by the server (cluster IPs, node ports): whatever it holds is not Git's. */
const serverChosen: DefaultCheck = () => true;

/** `Always` for `:latest` or untagged images, `IfNotPresent` otherwise — the kubelet's rule. */
function defaultPullPolicy(image: unknown): string {
  if (typeof image !== 'string' || image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  const tag = colon < 0 ? '' : last.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

const COMMON: Record<string, DefaultCheck> = {
  '$pod.restartPolicy': is('Always'),
  '$pod.dnsPolicy': is('ClusterFirst'),
  '$pod.schedulerName': is('default-scheduler'),
  '$pod.securityContext': empty,
  '$pod.terminationGracePeriodSeconds': is(30),
  '$pod.enableServiceLinks': is(true),
  '$pod.preemptionPolicy': is('PreemptLowerPriority'),
  '$pod.priority': is(0),
  '$pod.serviceAccount': (value, parent) => value === (parent?.serviceAccountName ?? 'default'),
  '$pod.serviceAccountName': is('default'),
  '$pod.volumes[].configMap.defaultMode': is(420),
  '$pod.volumes[].secret.defaultMode': is(420),
  '$pod.volumes[].projected.defaultMode': is(420),
  '$pod.volumes[].downwardAPI.defaultMode': is(420),
  '$pod.volumes[].emptyDir': empty,
  '$pod.volumes[].hostPath.type': is(''),
};

for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
  const c = `$pod.${list}[]`;
  COMMON[`${c}.terminationMessagePath`] = is('/dev/termination-log');
  COMMON[`${c}.terminationMessagePolicy`] = is('File');
  COMMON[`${c}.imagePullPolicy`] = (value, parent) => value === defaultPullPolicy(parent?.image);
  COMMON[`${c}.resources`] = empty;
  COMMON[`${c}.ports[].protocol`] = is('TCP');
  COMMON[`${c}.env[].valueFrom.fieldRef.apiVersion`] = is('v1');
  COMMON[`${c}.env[].valueFrom.resourceFieldRef.divisor`] = is('0', 0);
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    COMMON[`${c}.${probe}.failureThreshold`] = is(3);
    COMMON[`${c}.${probe}.periodSeconds`] = is(10);
    COMMON[`${c}.${probe}.successThreshold`] = is(1);
    COMMON[`${c}.${probe}.timeoutSeconds`] = is(1);
    COMMON[`${c}.${probe}.httpGet.scheme`] = is('HTTP');
  }
}

const BY_KIND: Record<string, Record<string, DefaultCheck>> = {
  Deployment: {
    'spec.replicas': is(1),
    'spec.revisionHistoryLimit': is(10),
    'spec.progressDeadlineSeconds': is(600),
    'spec.strategy.type': is('RollingUpdate'),
    'spec.strategy.rollingUpdate.maxSurge': is('25%'),
    'spec.strategy.rollingUpdate.maxUnavailable': is('25%'),
    'metadata.annotations.deployment.kubernetes.io/revision': serverChosen,
  },
  StatefulSet: {
    'spec.replicas': is(1),
    'spec.revisionHistoryLimit': is(10),
    'spec.podManagementPolicy': is('OrderedReady'),
    'spec.updateStrategy.type': is('RollingUpdate'),
    'spec.updateStrategy.rollingUpdate.partition': is(0),
    'spec.persistentVolumeClaimRetentionPolicy.whenDeleted': is('Retain'),
    'spec.persistentVolumeClaimRetentionPolicy.whenScaled': is('Retain'),
    'spec.volumeClaimTemplates[].spec.volumeMode': is('Filesystem'),
    'spec.volumeClaimTemplates[].status': serverChosen,
  },
  DaemonSet: {
    'spec.revisionHistoryLimit': is(10),
    'spec.updateStrategy.type': is('RollingUpdate'),
    'spec.updateStrategy.rollingUpdate.maxUnavailable': is(1),
    'spec.updateStrategy.rollingUpdate.maxSurge': is(0),
  },
  ReplicaSet: { 'spec.replicas': is(1) },
  Job: {
    'spec.backoffLimit': is(6),
    'spec.completions': is(1),
    'spec.parallelism': is(1),
    'spec.completionMode': is('NonIndexed'),
    'spec.suspend': is(false),
    'spec.podReplacementPolicy': is('TerminatingOrFailed'),
    'spec.selector': serverChosen,
  },
  CronJob: {
    'spec.concurrencyPolicy': is('Allow'),
    'spec.suspend': is(false),
    'spec.successfulJobsHistoryLimit': is(3),
    'spec.failedJobsHistoryLimit': is(1),
  },
  Service: {
    'spec.type': is('ClusterIP'),
    'spec.sessionAffinity': is('None'),
    'spec.internalTrafficPolicy': is('Cluster'),
    'spec.externalTrafficPolicy': is('Cluster'),
    'spec.ipFamilyPolicy': is('SingleStack'),
    'spec.ipFamilies': serverChosen,
    'spec.clusterIP': serverChosen,
    'spec.clusterIPs': serverChosen,
    'spec.healthCheckNodePort': serverChosen,
    'spec.allocateLoadBalancerNodePorts': is(true),
    'spec.ports[].protocol': is('TCP'),
    'spec.ports[].nodePort': serverChosen,
    'spec.ports[].targetPort': (value, parent) => value === parent?.port,
  },
  PersistentVolumeClaim: { 'spec.volumeMode': is('Filesystem'), 'spec.volumeName': serverChosen, 'spec.storageClassName': serverChosen },
  ServiceAccount: { secrets: serverChosen },
  Endpoints: { 'subsets[].ports[].protocol': is('TCP') },
  NetworkPolicy: { 'spec.ingress[].ports[].protocol': is('TCP'), 'spec.egress[].ports[].protocol': is('TCP') },
};

const WEBHOOKS: Record<string, DefaultCheck> = {
  // v1beta1 and v1 default some of these differently; either value is the server's, not Git's.
  'webhooks[].matchPolicy': is('Equivalent', 'Exact'),
  'webhooks[].namespaceSelector': empty,
  'webhooks[].objectSelector': empty,
  'webhooks[].reinvocationPolicy': is('Never'),
  'webhooks[].timeoutSeconds': is(10, 30),
  'webhooks[].failurePolicy': is('Fail', 'Ignore'),
  'webhooks[].sideEffects': is('Unknown', 'None'),
  'webhooks[].admissionReviewVersions': serverChosen,
  'webhooks[].rules[].scope': is('*'),
  'webhooks[].clientConfig.service.port': is(443),
};
BY_KIND.MutatingWebhookConfiguration = WEBHOOKS;
BY_KIND.ValidatingWebhookConfiguration = WEBHOOKS;

const POD_SPEC_PREFIX: Record<string, string> = {
  Pod: 'spec',
  PodTemplate: 'template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};
const WORKLOAD_POD_SPEC = 'spec.template.spec';
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

/** `spec.template.spec.containers[].image` → `$pod.containers[].image` for kinds that hold a pod spec. */
function podRelative(kind: string, path: string): string | undefined {
  const prefix = (Object.hasOwn(POD_SPEC_PREFIX, kind) ? POD_SPEC_PREFIX[kind] : undefined) ?? (WORKLOADS.has(kind) ? WORKLOAD_POD_SPEC : undefined);
  if (!prefix || !path.startsWith(`${prefix}.`)) return undefined;
  return `$pod.${path.slice(prefix.length + 1)}`;
}

/**
 * True when `value` at `path` (dotted keys, `[]` for list items) is what the API server would
 * set if Git left the field out. `parent` is the object holding the field (for defaults that depend
 * on a sibling, like imagePullPolicy on the image tag).
 */
export function isServerDefault(kind: string, path: string, value: unknown, parent: Record<string, unknown> | undefined): boolean {
  // Own keys only: a kind or field named `constructor` or `__proto__` must not find Object's members.
  const byKind = Object.hasOwn(BY_KIND, kind) ? BY_KIND[kind] : undefined;
  const own = byKind && Object.hasOwn(byKind, path) ? byKind[path] : undefined;
  if (own) return own(value, parent);
  const pod = podRelative(kind, path);
  if (pod) {
    const check = Object.hasOwn(COMMON, pod) ? COMMON[pod] : undefined;
    if (check) return check(value, parent);
  }
  return false;
}
