// Whole-environment verdicts (Missing, Extra, Unknown), source ranges of drifted fields in the
// manifest that declares them, and Secret values that never leave the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifests, type ParsedManifest } from '../../src/core/manifest';
import { compareEnvironment, compareResource } from '../../src/core/drift/compare';
import type { DesiredResource, KubeObject } from '../../src/core/drift/driftTypes';

const shopFile = join(__dirname, '..', 'fixtures', 'drift', 'shop.yaml');

function shopManifests(text = readFileSync(shopFile, 'utf8')): ParsedManifest[] {
  const parsed = parseManifests(text, 'envs/prod/shop.yaml');
  assert.deepEqual(parsed.problems, []);
  return parsed.manifests;
}

function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `${needle} not in fixture`);
  return index + 1;
}

function liveWeb(overrides: { replicas?: number; labels?: Record<string, string>; image?: string; lastApplied?: KubeObject } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      resourceVersion: '7',
      labels: overrides.labels ?? { app: 'web' },
      annotations: overrides.lastApplied ? { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(overrides.lastApplied) } : {},
      managedFields: [
        {
          manager: 'kubectl-scale',
          operation: 'Update',
          time: '2025-05-01T09:30:00Z',
          subresource: 'scale',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:spec': { 'f:replicas': {} } },
        },
      ],
    },
    spec: {
      replicas: overrides.replicas ?? 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: overrides.image ?? 'registry.example.com/web:1.4.0',
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
              resources: { limits: { memory: '1024Mi' } },
            },
          ],
        },
      },
    },
  };
}

test('a drifted field carries the source range of the line that declares it in Git', () => {
  const text = readFileSync(shopFile, 'utf8');
  const [web] = shopManifests(text);
  const result = compareResource({ desired: { object: web.object, manifest: web }, live: liveWeb({ replicas: 5 }) });
  assert.equal(result.status, 'Drifted');
  assert.equal(result.fields.length, 1);
  const [field] = result.fields;
  assert.equal(field.pointer, '/spec/replicas');
  assert.equal(field.desired, 2);
  assert.equal(field.live, 5);
  assert.equal(field.range?.start.line, lineOf(text, 'replicas: 2'));
  assert.equal(field.manager, 'kubectl-scale');
  assert.equal(field.changedAt, '2025-05-01T09:30:00Z');
  assert.deepEqual(result.origin, { file: 'envs/prod/shop.yaml', range: web.kindRange });
  assert.equal(result.origin?.range?.start.line, lineOf(text, 'kind: Deployment'));
});

test('a field Git does not declare gets the range of its nearest ancestor that Git declares', () => {
  const text = readFileSync(shopFile, 'utf8');
  const [web] = shopManifests(text);
  // The last apply set a label Git has since dropped: the hint goes on `labels:`.
  const previous = structuredClone(web.object) as KubeObject;
  (previous.metadata as Record<string, Record<string, string>>).labels.team = 'payments';
  const live = liveWeb({ labels: { app: 'web', team: 'payments' }, lastApplied: previous });
  const result = compareResource({ desired: { object: web.object, manifest: web }, live });
  assert.deepEqual(result.fields.map((f) => [f.change, f.pointer]), [['notInGit', '/metadata/labels/team']]);
  assert.equal(result.fields[0].range?.start.line, lineOf(text, '  labels:'));
  assert.equal(result.fields[0].desired, undefined);
});

test('ranges inside keyed lists follow Git’s item, wherever live keeps it', () => {
  const text = readFileSync(shopFile, 'utf8');
  const [web] = shopManifests(text);
  const live = liveWeb();
  const containers = ((live.spec as Record<string, Record<string, Record<string, unknown[]>>>).template.spec.containers);
  containers.unshift({ name: 'istio-proxy', image: 'proxy:1' });
  ((containers[1] as Record<string, Record<string, Record<string, string>>>).resources.limits).memory = '2Gi';
  const result = compareResource({ desired: { object: web.object, manifest: web }, live });
  assert.deepEqual(result.fields.map((f) => [f.pointer, f.livePointer]), [
    ['/spec/template/spec/containers/0/resources/limits/memory', '/spec/template/spec/containers/1/resources/limits/memory'],
  ]);
  assert.equal(result.fields[0].range?.start.line, lineOf(text, 'memory: 1Gi'));
});

test('Secret values never appear in the result: masked with a short hash, stringData ranges kept', () => {
  const text = readFileSync(shopFile, 'utf8');
  const [, secret] = shopManifests(text);
  const live: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'web-credentials', namespace: 'shop', resourceVersion: '3' },
    type: 'Opaque',
    data: { password: Buffer.from('Tr0ub4dor&3').toString('base64'), token: Buffer.from('secret-token-999').toString('base64'), extra: 'ZXh0cmE=' },
  };
  const result = compareResource({ desired: { object: secret.object, manifest: secret }, live });
  assert.equal(result.status, 'Drifted');
  const serialized = JSON.stringify(result);
  for (const raw of ['correct-horse-battery-staple', 'Tr0ub4dor&3', 'secret-token-123', 'secret-token-999']) {
    assert.ok(!serialized.includes(raw), `${raw} leaked`);
    assert.ok(!serialized.includes(Buffer.from(raw).toString('base64')), `${raw} leaked as base64`);
  }
  assert.deepEqual(result.fields.map((f) => f.pointer).sort(), ['/data/password', '/data/token']);
  for (const field of result.fields) {
    assert.match(JSON.stringify(field.desired), /^\{"masked":true,"hash":"[0-9a-f]{8}"\}$/);
    assert.match(JSON.stringify(field.live), /^\{"masked":true,"hash":"[0-9a-f]{8}"\}$/);
    assert.notDeepEqual(field.desired, field.live, 'different values, different hashes');
  }
  const password = result.fields.find((f) => f.pointer === '/data/password');
  assert.equal(password?.range?.start.line, lineOf(text, 'password:'), 'range points at stringData, where Git declares it');
  // The same value hashes the same on both sides, and a salt changes every hash.
  const same = compareResource({ desired: { object: secret.object }, live: { ...live, data: { ...(live.data as object), token: 'c2VjcmV0LXRva2VuLTEyMw==' } } });
  assert.deepEqual(same.fields.map((f) => f.pointer), ['/data/password']);
  const salted = compareResource({ desired: { object: secret.object }, live, options: { secretHashSalt: 'per-install-salt' } });
  assert.notDeepEqual(salted.fields[0].desired, result.fields.find((f) => f.pointer === salted.fields[0].pointer)?.desired);
});

test('a whole missing Secret data map is masked too', () => {
  const desired = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { key: 'aHVudGVyMg==' } };
  const live = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque' };
  const result = compareResource({ desired: { object: desired }, live });
  assert.deepEqual(result.fields.map((f) => f.pointer), ['/data']);
  assert.ok(!JSON.stringify(result).includes('aHVudGVyMg=='));
});

test('environment: Missing (in Git, not live), Extra (labelled, not in Git), Unknown (kind not listable)', () => {
  const desired: DesiredResource[] = [
    { object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 2 } } },
    { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: '1' } } },
    { object: { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'web', namespace: 'shop' }, spec: {} } },
  ];
  const live: KubeObject[] = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', labels: { 'app.kubernetes.io/instance': 'shop' } }, spec: { replicas: 2 } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'old', namespace: 'shop', labels: { 'app.kubernetes.io/instance': 'shop' } }, spec: {} },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'unrelated', namespace: 'shop', labels: { 'app.kubernetes.io/instance': 'other' } }, spec: {} },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-5d8f', namespace: 'shop', labels: { 'app.kubernetes.io/instance': 'shop' }, ownerReferences: [{ kind: 'Deployment', name: 'web', uid: 'u' }] },
    },
  ];
  const result = compareEnvironment(desired, live, {
    extraSelector: 'app.kubernetes.io/instance=shop',
    liveUnavailable: [{ group: 'monitoring.coreos.com', kind: 'ServiceMonitor', reason: 'the server does not serve monitoring.coreos.com/v1 ServiceMonitor' }],
  });
  assert.deepEqual(
    result.resources.map((r) => [r.key, r.status]),
    [
      ['apps/Deployment/shop/web', 'InSync'],
      ['/ConfigMap/shop/settings', 'Missing'],
      ['monitoring.coreos.com/ServiceMonitor/shop/web', 'Unknown'],
      ['/Service/shop/old', 'Extra'],
    ],
  );
  assert.match(result.resources[2].reason ?? '', /does not serve/);
  assert.deepEqual(result.counts, { InSync: 1, Drifted: 0, Missing: 1, Extra: 1, Unknown: 1, Invalid: 0 });
  assert.equal(result.mode, 'local');
  assert.equal(result.approximate, true);
  // No selector: nothing can be called Extra.
  assert.equal(compareEnvironment(desired, live).counts.Extra, 0);
});

test('environment: objects without a namespace in Git match live ones in the default namespace', () => {
  const desired: DesiredResource[] = [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } } }];
  const live: KubeObject[] = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: '2' } }];
  const result = compareEnvironment(desired, live, { defaultNamespace: 'shop' });
  assert.deepEqual(result.resources.map((r) => [r.key, r.status]), [['/ConfigMap/shop/settings', 'Drifted']]);
  assert.equal(compareEnvironment(desired, live).resources[0].status, 'Missing');
});

test('environment: a bad extra selector is a problem, not a crash', () => {
  const result = compareEnvironment([], [], { extraSelector: 'app==,,=x' });
  assert.equal(result.problems.length, 1);
  assert.match(result.problems[0], /label selector/);
});

test('server mode uses the dry-run result and is exact; without one it falls back to local and says so', () => {
  const git: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { a: '1' } };
  const live: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { a: '1', b: 'manual' } };
  const predicted: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { a: '1' } };
  const server = compareEnvironment([{ object: git }], [live], { mode: 'server', predictedLive: new Map([['/ConfigMap/n/c', predicted]]) });
  assert.equal(server.resources[0].mode, 'server');
  assert.equal(server.resources[0].approximate, false);
  assert.deepEqual(server.resources[0].fields.map((f) => [f.change, f.pointer]), [['notInGit', '/data/b']]);
  assert.equal(server.approximate, false);
  const fallback = compareEnvironment([{ object: git }], [live], { mode: 'server' });
  assert.equal(fallback.resources[0].mode, 'local');
  assert.equal(fallback.resources[0].approximate, true);
  assert.equal(fallback.resources[0].status, 'InSync');
});

test('compareResource: Extra without desired, Missing without live, Unknown with a reason, and nothing at all is an error', () => {
  const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' } };
  assert.equal(compareResource({ live: object }).status, 'Extra');
  assert.equal(compareResource({ desired: { object } }).status, 'Missing');
  const unknown = compareResource({ desired: { object }, unknownReason: 'forbidden: cannot list configmaps in n' });
  assert.equal(unknown.status, 'Unknown');
  assert.equal(unknown.reason, 'forbidden: cannot list configmaps in n');
  assert.throws(() => compareResource({}), /needs a desired or a live object/);
});

test("Argo CD's tracking annotation (its default since 3.0) marks the environment's live objects: those not in Git are Extra", () => {
  const tracked = (name: string, id: string | undefined, extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'shop', ...(id ? { annotations: { 'argocd.argoproj.io/tracking-id': id } } : {}), ...extra },
  });
  const desired: DesiredResource[] = [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept', namespace: 'shop' } } }];
  const live = [
    tracked('kept', 'shop-prod:/ConfigMap:shop/kept'),
    tracked('left-behind', 'shop-prod:/ConfigMap:shop/left-behind'),
    tracked('apps-in-any-namespace', 'team-a_shop-prod:/ConfigMap:shop/apps-in-any-namespace'),
    tracked('other-app', 'shop-staging:/ConfigMap:shop/other-app'),
    tracked('prefix-only', 'shop-prod-2:/ConfigMap:shop/prefix-only'),
    tracked('untracked', undefined),
    tracked('made-by-a-controller', 'shop-prod:/ConfigMap:shop/made-by-a-controller', { ownerReferences: [{ kind: 'Thing', name: 'x' }] }),
  ];
  const result = compareEnvironment(desired, live, { extraTrackingApp: 'shop-prod' });
  const extra = result.resources.filter((r) => r.status === 'Extra').map((r) => r.id.name).sort();
  assert.deepEqual(extra, ['apps-in-any-namespace', 'left-behind']);
  assert.equal(result.counts.InSync, 1);
});
