// One literal case per normalization rule: what the API server adds, respells or reorders is not
// drift, and the same change of a value Git declares still is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareResource } from '../../src/core/drift/compare';
import type { CompareOptions, KubeObject, ResourceDrift } from '../../src/core/drift/driftTypes';
import { hasNumericStringField, normalizeObject } from '../../src/core/drift/normalize';
import { seededRandom } from '../support/seededRandom';
import { canonicalQuantity, parseQuantity } from '../../src/core/drift/quantity';

function compare(desired: KubeObject, live: KubeObject, options: CompareOptions = {}): ResourceDrift {
  return compareResource({ desired: { object: desired }, live, options });
}

function pointers(result: ResourceDrift): string[] {
  return result.fields.map((f) => f.pointer);
}

const clone = <T>(value: T): T => structuredClone(value);

function gitDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'web:1.0',
              ports: [{ containerPort: 8080, name: 'http' }],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              resources: { requests: { cpu: '1000m', memory: '1024Mi' }, limits: { cpu: '0.5', memory: '1.5Gi' } },
              volumeMounts: [
                { name: 'config', mountPath: '/etc/config' },
                { name: 'data', mountPath: '/data' },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: 'web' } },
            { name: 'data', emptyDir: {} },
          ],
        },
      },
    },
  };
}

/** What the API server returns for gitDeployment(): defaults, canonical quantities, server metadata, status. */
function liveDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      labels: { app: 'web' },
      annotations: { 'deployment.kubernetes.io/revision': '4', 'gitops-environments/tracking-id': 'shop:apps/Deployment:shop/web' },
      uid: 'c2ff066f-cbbd-408d-a015-85f1b6332193',
      resourceVersion: '46835',
      generation: 5,
      creationTimestamp: '2025-02-25T00:20:45Z',
      selfLink: '/apis/apps/v1/namespaces/shop/deployments/web',
      managedFields: [{ manager: 'kubectl-edit', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }],
    },
    spec: {
      progressDeadlineSeconds: 600,
      replicas: 2,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'web:1.0',
              imagePullPolicy: 'IfNotPresent',
              ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '500m', memory: '1536Mi' } },
              volumeMounts: [
                { name: 'config', mountPath: '/etc/config' },
                { name: 'data', mountPath: '/data' },
              ],
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: 'web', defaultMode: 420 } },
            { name: 'data', emptyDir: {} },
          ],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
        },
      },
    },
    status: { replicas: 2, readyReplicas: 1, observedGeneration: 5 },
  };
}

type Container = Record<string, unknown> & { env: Array<Record<string, unknown>>; ports: Array<Record<string, unknown>>; volumeMounts: unknown[] };
function container(object: KubeObject, index = 0): Container {
  return ((object.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers)[index];
}
function podSpec(object: KubeObject): Record<string, unknown> & { containers: Container[]; volumes: unknown[] } {
  return (object.spec as { template: { spec: Record<string, unknown> & { containers: Container[]; volumes: unknown[] } } }).template.spec;
}

test('baseline: the live Deployment with every server-side addition is in sync with Git', () => {
  const result = compare(gitDeployment(), liveDeployment());
  assert.equal(result.status, 'InSync', JSON.stringify(result.fields));
});

test('status is dropped by default and compared when asked', () => {
  const desired = { ...gitDeployment(), status: { replicas: 3 } };
  assert.equal(compare(desired, liveDeployment()).status, 'InSync');
  const strict = compare(desired, liveDeployment(), { compareStatus: true });
  assert.deepEqual(pointers(strict), ['/status/replicas']);
});

test('server metadata (managedFields, resourceVersion, generation, uid, creationTimestamp, selfLink) is never compared', () => {
  const desired = gitDeployment();
  Object.assign(desired.metadata as object, { uid: 'other', resourceVersion: '1', generation: 1, creationTimestamp: null, selfLink: '/x', managedFields: [] });
  assert.equal(compare(desired, liveDeployment()).status, 'InSync');
  const normalized = normalizeObject(liveDeployment());
  assert.deepEqual(Object.keys(normalized.metadata as object).sort(), ['annotations', 'labels', 'name']);
  assert.equal(normalized.status, undefined);
  assert.equal(normalized.apiVersion, undefined);
});

test('last-applied-configuration and our tracking annotation are dropped; other annotations still count', () => {
  const desired = gitDeployment();
  (desired.metadata as Record<string, unknown>).annotations = {
    'kubectl.kubernetes.io/last-applied-configuration': '{"stale":true}',
    'gitops-environments/tracking-id': 'something-else',
  };
  assert.equal(compare(desired, liveDeployment()).status, 'InSync');
  (desired.metadata as Record<string, unknown>).annotations = { 'deployment.kubernetes.io/revision': '3' };
  assert.deepEqual(pointers(compare(desired, liveDeployment())), ['/metadata/annotations/deployment.kubernetes.io~1revision']);
});

test('Secret stringData compares as the base64 data the server stores', () => {
  const desired = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', stringData: { user: 'admin', note: 'héllo' } };
  const live = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { user: 'YWRtaW4=', note: 'aMOpbGxv' } };
  assert.equal(compare(desired, live).status, 'InSync');
  const changed = compare(desired, { ...live, data: { user: 'cm9vdA==', note: 'aMOpbGxv' } });
  assert.deepEqual(pointers(changed), ['/data/user']);
  const normalized = normalizeObject(desired);
  assert.deepEqual(normalized.data, { user: 'YWRtaW4=', note: 'aMOpbGxv' });
  assert.equal(normalized.stringData, undefined);
});

test('an empty Secret value equals the null the server returns for it', () => {
  const desired = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { empty: '' } };
  const live = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { empty: null } };
  assert.equal(compare(desired, live).status, 'InSync');
});

test('container and Service ports default to protocol TCP; a UDP port is a different port', () => {
  const desired = gitDeployment();
  assert.equal(container(desired).ports[0].protocol, undefined);
  assert.equal(container(normalizeObject(desired)).ports[0].protocol, 'TCP');
  assert.equal(compare(desired, liveDeployment()).status, 'InSync');
  const udp = liveDeployment();
  container(udp).ports[0].protocol = 'UDP';
  const result = compare(desired, udp);
  assert.deepEqual(result.fields.map((f) => [f.change, f.path]), [['notInLive', 'spec.template.spec.containers[name=web].ports[containerPort=8080,protocol=TCP]']]);

  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } };
  const liveService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'], type: 'ClusterIP' },
  };
  assert.equal(compare(service, liveService).status, 'InSync');
  assert.deepEqual((normalizeObject(service).spec as { ports: unknown[] }).ports, [{ port: 80, targetPort: 8080, protocol: 'TCP' }]);
});

test('quantities compare by value: 1000m = 1, 1024Mi = 1Gi, 0.5 = 500m, 1.5Gi = 1536Mi', () => {
  assert.equal(canonicalQuantity('1000m'), canonicalQuantity('1'));
  assert.equal(canonicalQuantity('1024Mi'), canonicalQuantity('1Gi'));
  assert.equal(canonicalQuantity('0.5'), canonicalQuantity('500m'));
  assert.equal(canonicalQuantity('1e3'), canonicalQuantity('1k'));
  assert.equal(canonicalQuantity(2), '2');
  assert.equal(canonicalQuantity('1Gi'), '1Gi');
  assert.equal(canonicalQuantity('500m'), '500m');
  assert.notEqual(canonicalQuantity('1G'), canonicalQuantity('1Gi'));
  assert.equal(parseQuantity('abc'), undefined);
  assert.equal(canonicalQuantity('not-a-quantity'), 'not-a-quantity');
  // The baseline pair spells every quantity differently on each side, and is in sync.
  assert.equal(compare(gitDeployment(), liveDeployment()).status, 'InSync');
  const live = liveDeployment();
  (container(live).resources as { limits: Record<string, string> }).limits.memory = '2Gi';
  const result = compare(gitDeployment(), live);
  assert.deepEqual(result.fields.map((f) => [f.pointer, f.desired, f.live]), [['/spec/template/spec/containers/0/resources/limits/memory', '1536Mi', '2Gi']]);
});

test('quantities at other known paths: PVC storage, ResourceQuota hard, LimitRange defaults, emptyDir sizeLimit', () => {
  const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'd' }, spec: { resources: { requests: { storage: '1024Mi' } } } };
  const livePvc = { ...pvc, spec: { resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' } };
  assert.equal(compare(pvc, livePvc).status, 'InSync');
  const quota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { 'requests.cpu': '2000m', pods: '10' } } };
  assert.equal(compare(quota, { ...quota, spec: { hard: { 'requests.cpu': '2', pods: '10' } } }).status, 'InSync');
  const limits = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', default: { memory: '0.5Gi' } }] } };
  assert.equal(compare(limits, { ...limits, spec: { limits: [{ type: 'Container', default: { memory: '512Mi' } }] } }).status, 'InSync');
  const desired = gitDeployment();
  (podSpec(desired).volumes[1] as Record<string, unknown>).emptyDir = { sizeLimit: '1024Mi' };
  const live = liveDeployment();
  (podSpec(live).volumes[1] as Record<string, unknown>).emptyDir = { sizeLimit: '1Gi' };
  assert.equal(compare(desired, live).status, 'InSync');
});

test('number and string forms compare by value where Kubernetes takes both (targetPort, ports, replicas)', () => {
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: '80', targetPort: '8080' }] } };
  const live = { ...service, spec: { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } };
  assert.equal(compare(service, live).status, 'InSync');
  const named = { ...service, spec: { ports: [{ port: 80, targetPort: 'http' }] } };
  assert.deepEqual(pointers(compare(named, live)), ['/spec/ports/0/targetPort']);
  const desired = gitDeployment();
  (desired.spec as Record<string, unknown>).replicas = '2';
  container(desired).ports[0].containerPort = '8080';
  assert.equal(compare(desired, liveDeployment()).status, 'InSync');
  (desired.spec as Record<string, unknown>).replicas = '3';
  assert.deepEqual(pointers(compare(desired, liveDeployment())), ['/spec/replicas']);
});

test('Endpoints subsets, addresses and ports compare regardless of order', () => {
  const desired = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'e' },
    subsets: [
      { addresses: [{ ip: '10.0.0.2' }, { ip: '10.0.0.1' }], ports: [{ name: 'b', port: 2 }, { name: 'a', port: 1 }] },
      { addresses: [{ ip: '10.0.1.1' }], ports: [{ name: 'c', port: 3 }] },
    ],
  };
  const live = {
    ...desired,
    subsets: [
      { addresses: [{ ip: '10.0.1.1' }], ports: [{ name: 'c', port: 3, protocol: 'TCP' }] },
      { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ name: 'a', port: 1, protocol: 'TCP' }, { name: 'b', port: 2, protocol: 'TCP' }] },
    ],
  };
  assert.equal(compare(desired, live).status, 'InSync');
  const moved = structuredClone(live);
  moved.subsets[0].addresses = [{ ip: '10.0.1.9' }];
  assert.equal(compare(desired, moved).status, 'Drifted');
});

test('empty rules equal null for Roles and ClusterRoles; non-empty rules still count', () => {
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [] };
  assert.equal(compare(role, { ...role, rules: null }).status, 'InSync');
  assert.equal(compare({ ...role, kind: 'ClusterRole' }, { ...role, kind: 'ClusterRole', rules: null }).status, 'InSync');
  const rule = { apiGroups: [''], resources: ['pods'], verbs: ['get'] };
  assert.equal(compare({ ...role, rules: [rule] }, { ...role, rules: null }).status, 'Drifted');
});

test('aggregated ClusterRole rules are controller-managed when ignoreAggregatedRoles is set', () => {
  const aggregation = { clusterRoleSelectors: [{ matchLabels: { agg: 'true' } }] };
  const desired = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'c' }, aggregationRule: aggregation, rules: [] };
  const live = { ...desired, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
  assert.equal(compare(desired, live).status, 'Drifted');
  assert.equal(compare(desired, live, { ignoreAggregatedRoles: true }).status, 'InSync');
  // Without an aggregationRule the option changes nothing.
  const plain = { ...desired, aggregationRule: undefined };
  assert.equal(compare(plain, { ...live, aggregationRule: undefined }, { ignoreAggregatedRoles: true }).status, 'Drifted');
});

test('API-server defaults omitted in Git are not drift (Deployment, pod template, container, Service)', () => {
  // The baseline live object carries the Deployment, pod and container defaults.
  assert.equal(compare(gitDeployment(), liveDeployment()).status, 'InSync');
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
  const liveService = {
    ...service,
    spec: {
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      clusterIP: '10.96.0.12',
      clusterIPs: ['10.96.0.12'],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    },
  };
  assert.equal(compare(service, liveService).status, 'InSync');
});

test('a default Git declares explicitly is not drift when live omits it; a non-default value is', () => {
  const desired = gitDeployment();
  Object.assign(podSpec(desired), { dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' });
  Object.assign(container(desired), { terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' });
  const bare = liveDeployment();
  delete podSpec(bare).dnsPolicy;
  delete podSpec(bare).restartPolicy;
  delete container(bare).terminationMessagePolicy;
  delete container(bare).imagePullPolicy;
  assert.equal(compare(desired, bare).status, 'InSync');
  podSpec(desired).dnsPolicy = 'None';
  assert.deepEqual(compare(desired, bare).fields.map((f) => [f.change, f.pointer]), [['notInLive', '/spec/template/spec/dnsPolicy']]);
});

test('fields only live has are not drift in local mode, but a container or list item Git declares and live lacks is', () => {
  const live = liveDeployment();
  Object.assign(podSpec(live), { priorityClassName: 'high', nodeSelector: { zone: 'a' } });
  container(live).env.push({ name: 'INJECTED', value: 'by-webhook' });
  assert.equal(compare(gitDeployment(), live).status, 'InSync');

  const desired = gitDeployment();
  podSpec(desired).containers.push({ name: 'sidecar', image: 'proxy:2', env: [], ports: [], volumeMounts: [] });
  container(desired).env.push({ name: 'C', value: '3' });
  const result = compare(desired, liveDeployment());
  assert.deepEqual(
    result.fields.map((f) => [f.change, f.path]),
    [
      ['notInLive', 'spec.template.spec.containers[name=web].env[name=C]'],
      ['notInLive', 'spec.template.spec.containers[name=sidecar]'],
    ],
  );
});

test('null in Git means absent', () => {
  const desired = gitDeployment();
  Object.assign(desired.spec as object, { paused: null });
  (desired.metadata as Record<string, unknown>).annotations = null;
  container(desired).args = null;
  assert.equal(compare(desired, liveDeployment()).status, 'InSync');
});

test('map key order is irrelevant', () => {
  const desired = gitDeployment();
  const reordered: KubeObject = {};
  for (const key of Object.keys(desired).reverse()) reordered[key] = desired[key];
  const labels = { z: '1', a: '2' };
  (reordered.metadata as Record<string, unknown>).labels = labels;
  const live = liveDeployment();
  (live.metadata as Record<string, unknown>).labels = { a: '2', z: '1' };
  assert.equal(compare(reordered, live).status, 'InSync');
});

test('containers, env, ports, volumes and volumeMounts match by merge key, not position', () => {
  const desired = gitDeployment();
  podSpec(desired).containers.push({ name: 'sidecar', image: 'proxy:2', env: [], ports: [{ containerPort: 9090 }], volumeMounts: [] });
  const live = clone(liveDeployment());
  podSpec(live).containers.unshift({ name: 'sidecar', image: 'proxy:2', env: [], ports: [{ containerPort: 9090, protocol: 'TCP' }], volumeMounts: [] });
  const web = container(live, 1);
  web.env.reverse();
  web.volumeMounts.reverse();
  web.ports.unshift({ containerPort: 9100, name: 'metrics', protocol: 'TCP' });
  podSpec(live).volumes.reverse();
  assert.equal(compare(desired, live).status, 'InSync', JSON.stringify(compare(desired, live).fields));
  // A changed value inside a moved item is found, pointing at Git's index and live's index.
  container(live, 1).image = 'web:2.0';
  const result = compare(desired, live);
  assert.deepEqual(result.fields.map((f) => [f.pointer, f.livePointer, f.path]), [
    ['/spec/template/spec/containers/0/image', '/spec/template/spec/containers/1/image', 'spec.template.spec.containers[name=web].image'],
  ]);
});

test('a field the last kubectl apply declared and Git dropped is drift, unless live holds the server default', () => {
  const desired = gitDeployment();
  const live = liveDeployment();
  const previous = gitDeployment();
  (previous.metadata as Record<string, Record<string, string>>).labels.team = 'payments';
  container(previous).imagePullPolicy = 'IfNotPresent';
  (live.metadata as Record<string, Record<string, string>>).labels.team = 'payments';
  (live.metadata as Record<string, Record<string, string>>).annotations['kubectl.kubernetes.io/last-applied-configuration'] = JSON.stringify(previous);
  const result = compare(desired, live);
  assert.deepEqual(result.fields.map((f) => [f.change, f.pointer, f.live]), [['notInGit', '/metadata/labels/team', 'payments']]);
});

test('a field owned by a server-side applier of Git and dropped from Git is drift; other managers’ fields are not', () => {
  const live = liveDeployment();
  (live.metadata as Record<string, Record<string, string>>).labels.team = 'payments';
  (live.metadata as Record<string, unknown>).managedFields = [
    { manager: 'gitops-environments', operation: 'Apply', time: '2025-03-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {}, 'f:team': {} } } } },
  ];
  assert.deepEqual(pointers(compare(gitDeployment(), live)), ['/metadata/labels/team']);
  // The same field owned by a manager that does not apply Git is left alone.
  assert.equal(compare(gitDeployment(), live, { applyManagers: ['someone-else'] }).status, 'InSync');
});

test('atomic lists: a different length or a changed element is drift', () => {
  const desired = gitDeployment();
  container(desired).command = ['serve', '--port=8080'];
  const live = liveDeployment();
  container(live).command = ['serve', '--port=9090'];
  assert.deepEqual(pointers(compare(desired, live)), ['/spec/template/spec/containers/0/command/1']);
  container(live).command = ['serve'];
  assert.deepEqual(pointers(compare(desired, live)), ['/spec/template/spec/containers/0/command']);
});

test('pod defaults are recognised wherever the kind keeps its pod spec (CronJob job template)', () => {
  const git = (extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly' },
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'job', image: 'job:1' }], ...extra } } } } },
  });
  const live = git({ dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler' });
  (live.metadata as Record<string, unknown>).annotations = {
    'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(git({ dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 })),
  };
  assert.equal(compare(git(), live).status, 'InSync', 'dropped from Git, but live holds the defaults');
  const custom = git({ dnsPolicy: 'None' });
  (custom.metadata as Record<string, unknown>).annotations = { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(git({ dnsPolicy: 'None' })) };
  assert.deepEqual(pointers(compare(git(), custom)), ['/spec/jobTemplate/spec/template/spec/dnsPolicy']);
});

test('hasNumericStringField: a string normalization reads as a number, anywhere in the object; nothing else', () => {
  assert.equal(hasNumericStringField({ spec: { replicas: '3' } }), true);
  assert.equal(hasNumericStringField({ spec: { ports: [{ name: 'http' }, { port: '-80' }] } }), true);
  assert.equal(hasNumericStringField({ spec: { replicas: 3, ports: [{ port: 80, name: '80' }] } }), false, 'numbers, and numeric strings in other fields');
  assert.equal(hasNumericStringField({ spec: { replicas: 'three', port: '1234567890123456' } }), false, 'what normalization leaves a string');
  assert.equal(hasNumericStringField({ replicas: ['3'] }), true, 'inside a list under the key');
  assert.equal(hasNumericStringField({}), false);
});

test('hasNumericStringField is true whenever normalizeObject turns one of the object\'s strings into a number (500 seeded objects)', () => {
  const keys = ['replicas', 'port', 'targetPort', 'name', 'spec', 'items', 'labels', 'metadata', 'data'];
  const strings = ['3', '-1', '07', 'abc', '', '1234567890123456', '1e3'];
  for (let seed = 1; seed <= 500; seed++) {
    const random = seededRandom(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const value = (depth: number): unknown => {
      const roll = random();
      if (depth < 3 && roll < 0.3) return Object.fromEntries(Array.from({ length: 1 + Math.floor(random() * 3) }, () => [pick(keys), value(depth + 1)]));
      if (depth < 3 && roll < 0.45) return Array.from({ length: 1 + Math.floor(random() * 2) }, () => value(depth + 1));
      return roll < 0.8 ? pick(strings) : Math.floor(random() * 100);
    };
    const object = { kind: 'Thing', ...(value(0) as object) } as KubeObject;
    const turned = (before: unknown, after: unknown): boolean => {
      if (typeof before === 'string') return typeof after === 'number';
      if (Array.isArray(before)) return Array.isArray(after) && before.some((item, i) => turned(item, after[i]));
      if (before && typeof before === 'object' && after && typeof after === 'object') return Object.keys(before).some((k) => turned((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k]));
      return false;
    };
    if (turned(object, normalizeObject(object))) assert.equal(hasNumericStringField(object), true, `seed ${seed}: ${JSON.stringify(object)}`);
  }
});
