// Per-kind defaulting, run on every write after merging and before storing, like the defaulting
// and allocation steps of a real API server (Deployment strategy, Service cluster IPs, Secret
// stringData, Namespace phase and name label, CRD status, ...).

import { isRecord, type KubeObject } from './kubeObject';
import { defaultPodSpec, defaultPodTemplate } from './podTemplateDefaults';
import type { ServiceAddressAllocator } from './serviceAddressAllocator';

type Json = Record<string, unknown>;

function setDefault(target: Json, key: string, value: unknown): void {
  if (target[key] === undefined) target[key] = value;
}

function recordAt(target: Json, key: string): Json {
  const existing = target[key];
  if (isRecord(existing)) return existing;
  const created: Json = {};
  target[key] = created;
  return created;
}

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export interface DefaultingContext {
  /** The stored object for updates (values the server allocated are carried over). */
  previous?: KubeObject;
  addresses: ServiceAddressAllocator;
}

function defaultDeployment(spec: Json): void {
  setDefault(spec, 'replicas', 1);
  const strategy = recordAt(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rolling = recordAt(strategy, 'rollingUpdate');
    setDefault(rolling, 'maxUnavailable', '25%');
    setDefault(rolling, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(spec.template);
}

function defaultStatefulSet(spec: Json): void {
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  setDefault(spec, 'revisionHistoryLimit', 10);
  const strategy = recordAt(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') setDefault(recordAt(strategy, 'rollingUpdate'), 'partition', 0);
  const retention = recordAt(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefault(retention, 'whenDeleted', 'Retain');
  setDefault(retention, 'whenScaled', 'Retain');
  for (const claim of records(spec.volumeClaimTemplates)) {
    setDefault(claim, 'apiVersion', 'v1');
    setDefault(claim, 'kind', 'PersistentVolumeClaim');
    setDefault(recordAt(claim, 'spec'), 'volumeMode', 'Filesystem');
    setDefault(recordAt(claim, 'status'), 'phase', 'Pending');
  }
  defaultPodTemplate(spec.template);
}

function defaultDaemonSet(spec: Json): void {
  setDefault(spec, 'revisionHistoryLimit', 10);
  const strategy = recordAt(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rolling = recordAt(strategy, 'rollingUpdate');
    setDefault(rolling, 'maxSurge', 0);
    setDefault(rolling, 'maxUnavailable', 1);
  }
  defaultPodTemplate(spec.template);
}

function defaultJobSpec(spec: Json, inCronJob: boolean): void {
  if (!inCronJob) {
    setDefault(spec, 'backoffLimit', 6);
    setDefault(spec, 'completionMode', 'NonIndexed');
    setDefault(spec, 'completions', 1);
    setDefault(spec, 'parallelism', 1);
    setDefault(spec, 'suspend', false);
    setDefault(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
  }
  defaultPodTemplate(spec.template);
}

function defaultCronJob(spec: Json): void {
  setDefault(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'suspend', false);
  const jobTemplate = spec.jobTemplate;
  if (isRecord(jobTemplate) && isRecord(jobTemplate.spec)) defaultJobSpec(jobTemplate.spec, true);
}

function defaultService(object: KubeObject, context: DefaultingContext): void {
  const spec = recordAt(object, 'spec');
  const previousSpec = context.previous && isRecord(context.previous.spec) ? context.previous.spec : undefined;
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  for (const port of records(spec.ports)) {
    setDefault(port, 'protocol', 'TCP');
    setDefault(port, 'targetPort', port.port);
  }
  if (spec.type === 'ExternalName') return;
  // Allocated values are immutable: an update that leaves them out keeps the stored ones.
  if (previousSpec) {
    for (const key of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) setDefault(spec, key, previousSpec[key]);
  }
  if (spec.clusterIP === undefined) spec.clusterIP = context.addresses.allocateClusterIP();
  setDefault(spec, 'clusterIPs', [spec.clusterIP]);
  setDefault(spec, 'ipFamilies', ['IPv4']);
  setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    const previousPorts = records(previousSpec?.ports);
    for (const port of records(spec.ports)) {
      const before = previousPorts.find((candidate) => candidate.port === port.port && (candidate.protocol ?? 'TCP') === port.protocol);
      if (port.nodePort === undefined) port.nodePort = before?.nodePort ?? context.addresses.allocateNodePort();
    }
    setDefault(spec, 'externalTrafficPolicy', 'Cluster');
    if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  }
  setDefault(recordAt(object, 'status'), 'loadBalancer', {});
}

function defaultSecret(object: KubeObject): void {
  setDefault(object, 'type', 'Opaque');
  const stringData = object.stringData;
  if (isRecord(stringData)) {
    const data = recordAt(object, 'data');
    for (const [key, value] of Object.entries(stringData)) {
      if (typeof value === 'string') data[key] = Buffer.from(value, 'utf8').toString('base64');
    }
    delete object.stringData;
  }
}

function defaultNamespace(object: KubeObject): void {
  const name = object.metadata.name;
  if (typeof name === 'string') object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': name };
  setDefault(recordAt(object, 'spec'), 'finalizers', ['kubernetes']);
  setDefault(recordAt(object, 'status'), 'phase', 'Active');
}

function defaultNetworkPolicy(spec: Json): void {
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) return;
  spec.policyTypes = Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function defaultHorizontalPodAutoscaler(spec: Json): void {
  setDefault(spec, 'minReplicas', 1);
  setDefault(spec, 'metrics', [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  if (!isRecord(spec.behavior)) return;
  const up = recordAt(spec.behavior, 'scaleUp');
  setDefault(up, 'stabilizationWindowSeconds', 0);
  setDefault(up, 'selectPolicy', 'Max');
  setDefault(up, 'policies', [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ]);
  const down = recordAt(spec.behavior, 'scaleDown');
  setDefault(down, 'stabilizationWindowSeconds', 300);
  setDefault(down, 'selectPolicy', 'Max');
  setDefault(down, 'policies', [{ type: 'Percent', value: 100, periodSeconds: 15 }]);
}

function defaultBindingSubjects(object: KubeObject): void {
  for (const subject of records(object.subjects)) {
    if ((subject.kind === 'User' || subject.kind === 'Group') && subject.apiGroup === undefined) subject.apiGroup = 'rbac.authorization.k8s.io';
  }
}

function defaultCustomResourceDefinition(object: KubeObject): void {
  const spec = recordAt(object, 'spec');
  setDefault(spec, 'conversion', { strategy: 'None' });
  const names = isRecord(spec.names) ? { ...spec.names } : {};
  if (typeof names.kind === 'string') setDefault(names, 'listKind', `${names.kind}List`);
  if (typeof names.kind === 'string') setDefault(names, 'singular', names.kind.toLowerCase());
  spec.names = names;
  const versions = records(spec.versions);
  const storage = versions.find((version) => version.storage === true)?.name;
  const status = recordAt(object, 'status');
  const stored = Array.isArray(status.storedVersions) ? status.storedVersions.filter((v) => typeof v === 'string') : [];
  if (typeof storage === 'string' && !stored.includes(storage)) stored.push(storage);
  const now = object.metadata.creationTimestamp;
  object.status = {
    acceptedNames: names,
    conditions: [
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: now },
      { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: now },
    ],
    storedVersions: stored,
  };
}

export function applyDefaults(object: KubeObject, group: string, context: DefaultingContext): void {
  const spec = isRecord(object.spec) ? object.spec : undefined;
  switch (`${group}/${object.kind}`) {
    case 'apps/Deployment':
      if (spec) defaultDeployment(spec);
      break;
    case 'apps/StatefulSet':
      if (spec) defaultStatefulSet(spec);
      break;
    case 'apps/DaemonSet':
      if (spec) defaultDaemonSet(spec);
      break;
    case 'apps/ReplicaSet':
      if (spec) {
        setDefault(spec, 'replicas', 1);
        defaultPodTemplate(spec.template);
      }
      break;
    case 'batch/Job':
      if (spec) defaultJobSpec(spec, false);
      break;
    case 'batch/CronJob':
      if (spec) defaultCronJob(spec);
      break;
    case '/Pod':
      defaultPodSpec(spec, true);
      setDefault(recordAt(object, 'status'), 'phase', 'Pending');
      break;
    case '/Service':
      defaultService(object, context);
      break;
    case '/Secret':
      defaultSecret(object);
      break;
    case '/Namespace':
      defaultNamespace(object);
      break;
    case '/PersistentVolumeClaim':
      setDefault(recordAt(object, 'spec'), 'volumeMode', 'Filesystem');
      setDefault(recordAt(object, 'status'), 'phase', 'Pending');
      break;
    case 'networking.k8s.io/Ingress':
      setDefault(recordAt(object, 'status'), 'loadBalancer', {});
      break;
    case 'networking.k8s.io/NetworkPolicy':
      if (spec) defaultNetworkPolicy(spec);
      break;
    case 'autoscaling/HorizontalPodAutoscaler':
      if (spec) defaultHorizontalPodAutoscaler(spec);
      break;
    case 'rbac.authorization.k8s.io/RoleBinding':
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
      defaultBindingSubjects(object);
      break;
    case 'apiextensions.k8s.io/CustomResourceDefinition':
      defaultCustomResourceDefinition(object);
      break;
    default:
      break;
  }
}
