// Each entry of normalize.ts's tables, one case per entry: a server-written metadata field, an
// int-or-string field, a quantity map at each parent where Kubernetes keeps one. A rule lost from a
// table would make the API server's respelling show up as drift (or hide a real change).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/core/drift/driftTypes';
import { compileIgnoreRules, removeIgnoredPaths } from '../../src/core/drift/ignoreRules';
import { LAST_APPLIED_ANNOTATION, TRACKING_ANNOTATION, normalizeObject, secretSource } from '../../src/core/drift/normalize';

function assertSame(a: KubeObject, b: KubeObject, message?: string): void {
  assert.deepEqual(normalizeObject(a), normalizeObject(b), message);
}

function assertDiffer(a: KubeObject, b: KubeObject, message?: string): void {
  assert.notDeepEqual(normalizeObject(a), normalizeObject(b), message);
}

test('every metadata field the API server writes is left out', () => {
  for (const field of ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds']) {
    const normalized = normalizeObject({ kind: 'ConfigMap', metadata: { name: 'a', [field]: 'x' } });
    assert.deepEqual(normalized.metadata, { name: 'a' }, field);
  }
  // The namespace is identity, matched before comparing.
  assert.deepEqual(normalizeObject({ metadata: { name: 'a', namespace: 'shop' } }).metadata, { name: 'a' });
  // What Git writes stays.
  assert.deepEqual(normalizeObject({ metadata: { name: 'a', finalizers: ['x'], labels: { app: 'a' } } }).metadata, {
    name: 'a',
    finalizers: ['x'],
    labels: { app: 'a' },
  });
});

test('annotations: ours and last-applied are dropped, nulls too, an empty result leaves no annotations map', () => {
  const normalized = normalizeObject({
    metadata: { name: 'a', annotations: { [LAST_APPLIED_ANNOTATION]: '{}', [TRACKING_ANNOTATION]: 't', gone: null, kept: 'yes' } },
  });
  assert.deepEqual(normalized.metadata, { name: 'a', annotations: { kept: 'yes' } });
  const onlyDropped = normalizeObject({ metadata: { name: 'a', annotations: { [TRACKING_ANNOTATION]: 't', gone: null } } });
  assert.deepEqual(onlyDropped.metadata, { name: 'a' });
  assert.deepEqual(normalizeObject({ metadata: { name: 'a', annotations: {} } }).metadata, { name: 'a' });
  // Annotations that are not a map are copied like any other member.
  assert.deepEqual(normalizeObject({ metadata: { name: 'a', annotations: 'text' } }).metadata, { name: 'a', annotations: 'text' });
  assert.deepEqual(normalizeObject({ metadata: { name: 'a', labels: null, annotations: undefined } }).metadata, { name: 'a' });
});

test('metadata members are normalized like the rest of the object', () => {
  assert.deepEqual(normalizeObject({ metadata: { name: 'a', labels: { gone: null, app: 'a' } } }).metadata, { name: 'a', labels: { app: 'a' } });
});

test('apiVersion is left out and status only compared on request', () => {
  assert.deepEqual(normalizeObject({ apiVersion: 'v1', kind: 'ConfigMap', status: { phase: 'x' } }), { kind: 'ConfigMap' });
  assert.deepEqual(normalizeObject({ kind: 'ConfigMap', status: { phase: 'x' } }, { compareStatus: true }), { kind: 'ConfigMap', status: { phase: 'x' } });
  assert.deepEqual(normalizeObject({ kind: 'ConfigMap', spec: null, data: undefined }), { kind: 'ConfigMap' });
});

test('every int-or-string field compares a numeric string with its number', () => {
  for (const field of ['targetPort', 'port', 'containerPort', 'hostPort', 'nodePort', 'replicas', 'maxSurge', 'maxUnavailable', 'minAvailable', 'partition']) {
    assertSame({ spec: { [field]: '3' } }, { spec: { [field]: 3 } }, field);
    assertDiffer({ spec: { [field]: '3' } }, { spec: { [field]: 4 } }, field);
    assertSame({ spec: { [field]: '25%' } }, { spec: { [field]: '25%' } }, field);
  }
  // Another field keeps its type: "3" and 3 are different values there.
  assertDiffer({ spec: { value: '3' } }, { spec: { value: 3 } });
});

test('only whole numbers of at most 15 digits are read as numbers', () => {
  assert.deepEqual(normalizeObject({ spec: { replicas: '-2' } }), { spec: { replicas: -2 } });
  assert.deepEqual(normalizeObject({ spec: { replicas: '123456789012345' } }), { spec: { replicas: 123456789012345 } });
  assert.deepEqual(normalizeObject({ spec: { replicas: '1234567890123456' } }), { spec: { replicas: '1234567890123456' } });
  assert.deepEqual(normalizeObject({ spec: { replicas: '1.5' } }), { spec: { replicas: '1.5' } });
  assert.deepEqual(normalizeObject({ spec: { replicas: ' 3' } }), { spec: { replicas: ' 3' } });
  assert.deepEqual(normalizeObject({ spec: { replicas: '3 ' } }), { spec: { replicas: '3 ' } });
  assert.deepEqual(normalizeObject({ spec: { replicas: 'x3' } }), { spec: { replicas: 'x3' } });
  assert.deepEqual(normalizeObject({ spec: { replicas: '' } }), { spec: { replicas: '' } });
  assert.deepEqual(normalizeObject({ spec: { replicas: true } }), { spec: { replicas: true } });
});

test('quantity maps are reduced to one spelling where Kubernetes keeps them', () => {
  const cases: Array<[string, KubeObject, KubeObject]> = [
    ['container requests', { spec: { resources: { requests: { cpu: '1000m' } } } }, { spec: { resources: { requests: { cpu: '1' } } } }],
    ['container limits', { spec: { resources: { limits: { memory: '1024Mi' } } } }, { spec: { resources: { limits: { memory: '1Gi' } } } }],
    ['ResourceQuota spec.hard', { spec: { hard: { cpu: '2000m' } } }, { spec: { hard: { cpu: '2' } } }],
    ['ResourceQuota status.hard', { status: { hard: { cpu: '2000m' } } }, { status: { hard: { cpu: '2' } } }],
    ['PersistentVolume spec.capacity', { spec: { capacity: { storage: '1024Mi' } } }, { spec: { capacity: { storage: '1Gi' } } }],
    ['PVC status.capacity', { status: { capacity: { storage: '1024Mi' } } }, { status: { capacity: { storage: '1Gi' } } }],
    ['Node status.allocatable', { status: { allocatable: { cpu: '500m' } } }, { status: { allocatable: { cpu: '0.5' } } }],
    ['RuntimeClass spec.overhead', { spec: { overhead: { cpu: '250m' } } }, { spec: { overhead: { cpu: '0.25' } } }],
  ];
  for (const limit of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) {
    cases.push([`LimitRange ${limit}`, { spec: { limits: [{ [limit]: { cpu: '1000m' } }] } }, { spec: { limits: [{ [limit]: { cpu: '1' } }] } }]);
  }
  for (const [name, a, b] of cases) assertSame(a, b, name);
  for (const [name, a, b] of cases) assert.deepEqual(normalizeObject(a, { compareStatus: true }), normalizeObject(b, { compareStatus: true }), name);
});

test('a quantity-map name under another parent is not a quantity map', () => {
  const cases: KubeObject[] = [
    { spec: { other: { requests: { cpu: '1000m' } } } },
    { spec: { other: { limits: { cpu: '1000m' } } } },
    { spec: { other: { hard: { cpu: '1000m' } } } },
    { spec: { other: { capacity: { cpu: '1000m' } } } },
    { spec: { other: { allocatable: { cpu: '1000m' } } } },
    { spec: { other: { overhead: { cpu: '1000m' } } } },
    { spec: { other: { max: { cpu: '1000m' } } } },
    { spec: { other: { default: { cpu: '1000m' } } } },
    { spec: { other: { min: { cpu: '1000m' } } } },
    { spec: { other: { defaultRequest: { cpu: '1000m' } } } },
    { spec: { other: { maxLimitRequestRatio: { cpu: '1000m' } } } },
    { spec: { other: { unrelated: { cpu: '1000m' } } } },
  ];
  for (const object of cases) assert.deepEqual(normalizeObject(object), object, JSON.stringify(object));
  // At the top of the object (no parent) either.
  assert.deepEqual(normalizeObject({ requests: { cpu: '1000m' } }), { requests: { cpu: '1000m' } });
});

test('inside a quantity map, nested maps and lists are copied, not read as quantities', () => {
  assert.deepEqual(normalizeObject({ spec: { resources: { requests: { nested: { cpu: '1000m' }, list: ['1000m'] } } } }), {
    spec: { resources: { requests: { nested: { cpu: '1000m' }, list: ['1000m'] } } },
  });
  assert.deepEqual(normalizeObject({ spec: { resources: { requests: { cpu: null, memory: '1Gi' } } } }), normalizeObject({ spec: { resources: { requests: { memory: '1024Mi' } } } }));
});

test('sizeLimit and divisor are quantities wherever they are', () => {
  assertSame({ spec: { volumes: [{ emptyDir: { sizeLimit: '1024Mi' } }] } }, { spec: { volumes: [{ emptyDir: { sizeLimit: '1Gi' } }] } });
  assertSame({ spec: { env: [{ resourceFieldRef: { divisor: '1000m' } }] } }, { spec: { env: [{ resourceFieldRef: { divisor: '1' } }] } });
  assertDiffer({ spec: { other: '1024Mi' } }, { spec: { other: '1Gi' } });
});

test('a __proto__ key is kept as data and does not change the prototype', () => {
  const parsed = JSON.parse('{"kind":"ConfigMap","data":{"__proto__":{"polluted":"yes"}},"metadata":{"name":"a","labels":{"__proto__":"x"},"annotations":{"__proto__":"y"}}}') as KubeObject;
  const normalized = normalizeObject(parsed);
  const data = normalized.data as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(data), Object.prototype);
  assert.ok(Object.prototype.hasOwnProperty.call(data, '__proto__'));
  assert.deepEqual(Object.keys(data), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const metadata = normalized.metadata as Record<string, Record<string, unknown>>;
  assert.ok(Object.prototype.hasOwnProperty.call(metadata.labels, '__proto__'));
  assert.ok(Object.prototype.hasOwnProperty.call(metadata.annotations, '__proto__'));
  const top = normalizeObject(JSON.parse('{"__proto__":{"a":1},"kind":"X"}') as KubeObject);
  assert.deepEqual(Object.keys(top), ['__proto__', 'kind']);
  const secret = secretSource(JSON.parse('{"kind":"Secret","data":{"__proto__":"eA=="},"stringData":{"__proto__":"y"}}') as KubeObject);
  assert.ok(Object.prototype.hasOwnProperty.call(secret.data, '__proto__'));
});

test('ports get the TCP protocol only in a ports list, and only when they name a port', () => {
  assert.deepEqual(normalizeObject({ spec: { ports: [{ port: 80 }, { containerPort: 81 }, { name: 'x' }, { port: 82, protocol: 'UDP' }, 'text'] } }), {
    spec: { ports: [{ port: 80, protocol: 'TCP' }, { containerPort: 81, protocol: 'TCP' }, { name: 'x' }, { port: 82, protocol: 'UDP' }, 'text'] },
  });
  assert.deepEqual(normalizeObject({ spec: { other: [{ port: 80 }] } }), { spec: { other: [{ port: 80 }] } });
});

test('lists are copied item by item with the rules of the key that holds them', () => {
  assert.deepEqual(normalizeObject({ spec: { replicas: ['3', null] } }), { spec: { replicas: [3, null] } });
});

test('secretSource merges stringData into data as base64, stringData winning, empty values as empty', () => {
  assert.deepEqual(secretSource({ kind: 'Secret', data: { a: 'eA==', b: null }, stringData: { a: 'y', c: null, d: 5 } }), {
    kind: 'Secret',
    data: { a: 'eQ==', b: '', c: '', d: 'NQ==' },
  });
  const onlyStringData = { kind: 'Secret', stringData: { a: 'y' } };
  assert.deepEqual(secretSource(onlyStringData), { kind: 'Secret', data: { a: 'eQ==' } });
  const neither = { kind: 'Secret', type: 'Opaque' };
  assert.equal(secretSource(neither), neither, 'nothing to merge: the same object');
  assert.deepEqual(secretSource({ kind: 'Secret', data: 'text', stringData: { a: 'y' } }), { kind: 'Secret', data: { a: 'eQ==' } });
  assert.deepEqual(secretSource({ kind: 'Secret', data: { a: 'eA==' }, stringData: ['list'] }), { kind: 'Secret', data: { a: 'eA==' } });
});

test('only a Secret has its stringData merged', () => {
  assert.deepEqual(normalizeObject({ kind: 'ConfigMap', stringData: { a: 'y' } }), { kind: 'ConfigMap', stringData: { a: 'y' } });
  assert.deepEqual(normalizeObject({ kind: 'Secret', stringData: { a: 'y' } }), { kind: 'Secret', data: { a: 'eQ==' } });
});

test('Endpoints: subsets, addresses, notReadyAddresses and ports compare in any order; other kinds keep their order', () => {
  const a = {
    kind: 'Endpoints',
    subsets: [
      { addresses: [{ ip: '10.0.0.2' }, { ip: '10.0.0.1' }], notReadyAddresses: [{ ip: '10.0.1.2' }, { ip: '10.0.1.1' }], ports: [{ port: 2 }, { port: 1 }] },
      { addresses: [{ ip: '10.0.0.9' }] },
      'not a subset',
    ],
  };
  const b = {
    kind: 'Endpoints',
    subsets: [
      'not a subset',
      { addresses: [{ ip: '10.0.0.9' }] },
      { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], notReadyAddresses: [{ ip: '10.0.1.1' }, { ip: '10.0.1.2' }], ports: [{ port: 1 }, { port: 2 }] },
    ],
  };
  assertSame(a, b);
  assertDiffer({ ...a, kind: 'Other' }, { ...b, kind: 'Other' });
  assertDiffer({ kind: 'Endpoints', subsets: [{ addresses: [{ ip: '1' }], notReadyAddresses: [{ ip: '2' }] }] }, { kind: 'Endpoints', subsets: [{ addresses: [{ ip: '2' }], notReadyAddresses: [{ ip: '1' }] }] });
  assert.deepEqual(normalizeObject({ kind: 'Endpoints', subsets: 'text' }), { kind: 'Endpoints', subsets: 'text' });
  // Ports are copied first (the TCP default), then sorted.
  const sorted = normalizeObject({ kind: 'Endpoints', subsets: [{ ports: [{ port: 9 }, { port: 1, protocol: 'UDP' }] }] });
  assert.deepEqual(sorted.subsets, [{ ports: [{ port: 1, protocol: 'UDP' }, { port: 9, protocol: 'TCP' }] }]);
});

test('aggregated ClusterRole rules are dropped only with the option, only for ClusterRoles with an aggregationRule', () => {
  const aggregated = { kind: 'ClusterRole', aggregationRule: { clusterRoleSelectors: [] }, rules: [{ verbs: ['get'] }] };
  assert.deepEqual(normalizeObject(aggregated, { ignoreAggregatedRoles: true }), { kind: 'ClusterRole', aggregationRule: { clusterRoleSelectors: [] } });
  assert.deepEqual(normalizeObject(aggregated), aggregated);
  assert.deepEqual(normalizeObject({ ...aggregated, kind: 'Role' }, { ignoreAggregatedRoles: true }), { ...aggregated, kind: 'Role' });
  const plain = { kind: 'ClusterRole', rules: [{ verbs: ['get'] }] };
  assert.deepEqual(normalizeObject(plain, { ignoreAggregatedRoles: true }), plain);
  const notAMap = { kind: 'ClusterRole', aggregationRule: 'x', rules: [{ verbs: ['get'] }] };
  assert.deepEqual(normalizeObject(notAMap, { ignoreAggregatedRoles: true }), notAMap);
});

test('normalizing never changes its input', () => {
  const input = { kind: 'Secret', metadata: { name: 's', uid: 'u' }, stringData: { a: 'y' }, data: { b: null } };
  const before = structuredClone(input);
  normalizeObject(input);
  assert.deepEqual(input, before);
});

test('a copied __proto__ member can still be removed by an ignore rule', () => {
  const normalized = normalizeObject(JSON.parse('{"kind":"ConfigMap","data":{"__proto__":"x","kept":"y"}}') as KubeObject);
  const [rule] = compileIgnoreRules([{ jsonPointers: ['/data/__proto__'] }]).rules;
  removeIgnoredPaths([rule], [normalized, structuredClone(normalized)], false);
  assert.deepEqual(Object.keys(normalized.data as object), ['kept']);
});

test('undefined members (from JavaScript callers) are absent, like nulls', () => {
  assert.deepEqual(normalizeObject({ kind: 'X', spec: { a: undefined, b: 1 } }), { kind: 'X', spec: { b: 1 } });
  assert.deepEqual(normalizeObject({ kind: 'X', metadata: { name: 'a', annotations: { gone: undefined } } }), { kind: 'X', metadata: { name: 'a' } });
  assert.deepEqual(secretSource({ kind: 'Secret', data: { a: undefined }, stringData: { b: undefined } }), { kind: 'Secret', data: { a: '', b: '' } });
});

test('Endpoints subsets that are not maps (null included) are left as they are', () => {
  assert.deepEqual(normalizeObject({ kind: 'Endpoints', subsets: [null, { addresses: [{ ip: '2' }, { ip: '1' }] }] }), {
    kind: 'Endpoints',
    subsets: [null, { addresses: [{ ip: '1' }, { ip: '2' }] }],
  });
});
