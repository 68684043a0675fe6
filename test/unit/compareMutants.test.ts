// Rules of src/core/drift/compare.ts that mutation testing (npm run mutate -- drift-compare) found
// no test holding: identity of odd objects, which field managers count as applying Git, the
// last-applied annotation of a Secret, the cache signature (every option that changes a result,
// the live resourceVersion), environment matching (default namespace, unavailable kinds, owned
// objects), and which keys a result carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareEnvironment, compareResource, DEFAULT_APPLY_MANAGERS, objectId } from '../../src/core/drift/compare';
import { DriftCache } from '../../src/core/drift/driftCache';
import type { CompareInput, CompareOptions, KubeObject, ResourceDrift } from '../../src/core/drift/driftTypes';
import type { FieldBlame } from '../../src/core/blame/blameTypes';
import { parseManifests } from '../../src/core/manifest';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function configMap(data: Record<string, string>, metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop', ...metadata }, data };
}

/** A live ConfigMap whose `data.extra` (absent from Git) is owned by `manager` with `operation`. */
function liveWithOwnedExtra(manager: string, operation: 'Apply' | 'Update'): KubeObject {
  return configMap({ mode: 'fast', extra: 'x' }, {
    resourceVersion: '3',
    managedFields: [{ manager, operation, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:mode': {}, 'f:extra': {} } } }],
  });
}

const fieldPointers = (drift: ResourceDrift): string[] => drift.fields.map((field) => field.pointer);

test('objectId: fields of the wrong type read as empty, an empty namespace as none; a null metadata is no crash', () => {
  assert.deepEqual(objectId({ apiVersion: 7, kind: 9, metadata: { namespace: '', name: 3 } }), { group: '', version: '', kind: '', namespace: null, name: '' });
  assert.deepEqual(objectId({ apiVersion: 'v1', kind: 'ConfigMap', metadata: null }), { group: '', version: 'v1', kind: 'ConfigMap', namespace: null, name: '' });
  assert.deepEqual(objectId({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace: 'shop', name: 'web' } }).namespace, 'shop');
});

test('a field Git dropped counts as drift when one of the default apply managers applied it, not when another manager or an Update wrote it', () => {
  const desired = { object: configMap({ mode: 'fast' }) };
  for (const manager of DEFAULT_APPLY_MANAGERS) {
    assert.deepEqual(fieldPointers(compareResource({ desired, live: liveWithOwnedExtra(manager, 'Apply') })), ['/data/extra'], manager);
  }
  assert.deepEqual(DEFAULT_APPLY_MANAGERS, ['gitops-environments', 'argocd-controller', 'kustomize-controller']);
  assert.equal(compareResource({ desired, live: liveWithOwnedExtra('helm', 'Apply') }).status, 'InSync');
  assert.equal(compareResource({ desired, live: liveWithOwnedExtra('argocd-controller', 'Update') }).status, 'InSync');
  // The option replaces the defaults.
  assert.equal(compareResource({ desired, live: liveWithOwnedExtra('helm', 'Apply'), options: { applyManagers: ['helm'] } }).status, 'Drifted');
  assert.equal(compareResource({ desired, live: liveWithOwnedExtra('argocd-controller', 'Apply'), options: { applyManagers: ['helm'] } }).status, 'InSync');
});

test("a Secret's last-applied stringData names the data keys kubectl declared: a key Git dropped is drift", () => {
  const git: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque', stringData: { user: 'app' } };
  const applied = { ...git, stringData: { user: 'app', password: 'hunter2' } };
  const live: KubeObject = {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: { name: 'db', namespace: 'shop', resourceVersion: '1', annotations: { [LAST_APPLIED]: JSON.stringify(applied) } },
    data: { user: Buffer.from('app').toString('base64'), password: Buffer.from('hunter2').toString('base64') },
  };
  assert.deepEqual(fieldPointers(compareResource({ desired: { object: git }, live })), ['/data/password']);
});

test('an unreadable last-applied annotation is ignored, not an error', () => {
  const live = configMap({ mode: 'fast', extra: 'x' }, { annotations: { [LAST_APPLIED]: '{not json' } });
  assert.equal(compareResource({ desired: { object: configMap({ mode: 'fast' }) }, live }).status, 'InSync');
});

test('local mode ignores a dry-run result, even one that is the live object itself', () => {
  const live = configMap({ mode: 'slow' }, { resourceVersion: '1' });
  for (const options of [{}, { mode: 'local' as const }]) {
    const drift = compareResource({ desired: { object: configMap({ mode: 'fast' }) }, live, predictedLive: live, options });
    assert.equal(drift.status, 'Drifted');
    assert.equal(drift.mode, 'local');
    assert.equal(drift.approximate, true);
  }
});

// ---- the cache: a cached result is reused only when nothing that changes it has changed ---------

/** Inputs whose verdict depends on one option each. */
function optionCases(): { name: string; input: CompareInput; variants: CompareOptions[] }[] {
  const role = (rules: unknown[]): KubeObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'view' },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { aggregate: 'true' } }] }, rules,
  });
  const secret = (value: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque', data: { password: value } });
  const desiredMap = configMap({ mode: 'fast' });
  const webhookLive = configMap({ mode: 'fast' }, { resourceVersion: '5' });
  return [
    {
      name: 'compareStatus',
      input: { desired: { object: { ...desiredMap, status: { phase: 'a' } } }, live: { ...configMap({ mode: 'fast' }, { resourceVersion: '1' }), status: { phase: 'b' } } },
      variants: [{}, { compareStatus: true }],
    },
    {
      name: 'ignoreAggregatedRoles',
      input: { desired: { object: role([]) }, live: { ...role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]), metadata: { name: 'view', resourceVersion: '1' } } },
      variants: [{}, { ignoreAggregatedRoles: true }],
    },
    {
      name: 'ignoreMutationWebhook',
      input: { desired: { object: desiredMap }, live: webhookLive, predictedLive: configMap({ mode: 'fast', injected: 'yes' }) },
      variants: [{ mode: 'server' }, { mode: 'server', ignoreMutationWebhook: false }],
    },
    {
      name: 'applyManagers',
      input: { desired: { object: desiredMap }, live: liveWithOwnedExtra('helm', 'Apply') },
      variants: [{}, { applyManagers: ['helm'] }],
    },
    {
      name: 'secretHashSalt',
      input: { desired: { object: secret('YQ==') }, live: { ...secret('Yg=='), metadata: { name: 'db', namespace: 'shop', resourceVersion: '1' } } },
      variants: [{ secretHashSalt: 'one' }, { secretHashSalt: 'two' }],
    },
    {
      name: 'ignoreRules',
      input: { desired: { object: desiredMap }, live: configMap({ mode: 'slow' }, { resourceVersion: '1' }) },
      variants: [{ ignoreRules: [{ kind: 'ConfigMap', jsonPointers: ['/data/other'] }] }, { ignoreRules: [{ kind: 'ConfigMap', jsonPointers: ['/data/mode'] }] }],
    },
    {
      name: 'mode',
      input: { desired: { object: desiredMap }, live: configMap({ mode: 'slow' }, { resourceVersion: '1' }), predictedLive: configMap({ mode: 'slow' }) },
      variants: [{ mode: 'local' }, { mode: 'server' }],
    },
  ];
}

test('every option that changes a verdict changes the cache signature: a shared cache gives what no cache gives', () => {
  for (const { name, input, variants } of optionCases()) {
    const fresh = variants.map((options) => compareResource({ ...input, options }));
    // The case must really depend on its option, or it proves nothing.
    assert.notDeepEqual(fresh[0], fresh[1], `${name}: the variants give the same result`);
    const cache = new DriftCache();
    for (const order of [[0, 1, 0, 1], [1, 0, 1, 0]]) {
      for (const i of order) assert.deepEqual(compareResource({ ...input, options: { ...variants[i], cache } }), fresh[i], `${name}: variant ${i}`);
    }
  }
});

test("the cache keys on the live resourceVersion; without a usable one it compares the live object's content", () => {
  const desired = { object: configMap({ mode: 'fast' }) };
  const cache = new DriftCache();
  const at = (mode: string, metadata: Record<string, unknown>) => compareResource({ desired, live: configMap({ mode }, metadata), options: { cache } }).status;
  assert.equal(at('fast', { resourceVersion: '7' }), 'InSync');
  // A new resourceVersion is a new object, even when the version text is all that tells them apart.
  assert.equal(at('slow', { resourceVersion: '8' }), 'Drifted');
  assert.equal(at('fast', { resourceVersion: '9' }), 'InSync');
  // No (or an empty) resourceVersion: the content decides.
  for (const metadata of [{}, { resourceVersion: '' }, { resourceVersion: 9 }]) {
    assert.equal(at('fast', metadata), 'InSync');
    assert.equal(at('slow', metadata), 'Drifted');
  }
});

test('the cache never returns the reason of another Unknown', () => {
  const cache = new DriftCache();
  const desired = { object: configMap({ mode: 'fast' }) };
  assert.equal(compareResource({ desired, unknownReason: 'forbidden', options: { cache } }).reason, 'forbidden');
  assert.equal(compareResource({ desired, unknownReason: 'not served', options: { cache } }).reason, 'not served');
});

test('a cached result takes the origin of the current desired object (the manifest may have moved)', () => {
  const cache = new DriftCache();
  const object = configMap({ mode: 'fast' });
  const live = configMap({ mode: 'slow' }, { resourceVersion: '1' });
  const origin = (line: number) => ({ file: 'envs/prod/cm.yaml', range: { start: { line, column: 0 }, end: { line, column: 4 } } });
  assert.deepEqual(compareResource({ desired: { object, origin: origin(1) }, live, options: { cache } }).origin, origin(1));
  assert.deepEqual(compareResource({ desired: { object, origin: origin(9) }, live, options: { cache } }).origin, origin(9));
});

test('a result carries reason, origin and source only when there is one (no undefined keys)', () => {
  const extra = compareResource({ live: configMap({ mode: 'fast' }) });
  assert.deepEqual(Object.keys(extra).sort(), ['approximate', 'fields', 'id', 'ignored', 'key', 'mode', 'status']);
  const drifted = compareResource({ desired: { object: configMap({ mode: 'fast' }) }, live: configMap({ mode: 'slow' }) });
  assert.equal(drifted.status, 'Drifted');
  assert.ok(!('origin' in drifted) && !('reason' in drifted));
  for (const field of drifted.fields) assert.ok(!('source' in field), 'no blame, no source key');
});

test("a rendered object's drifted fields carry the blame of the line that set them", () => {
  const blamed: FieldBlame = {
    location: { file: 'envs/prod/patch.yaml', range: { start: { line: 4, column: 2 }, end: { line: 4, column: 12 } } },
    via: 'patch', docIndex: 0, sourcePointer: '/data/mode', exact: true,
  };
  const blame = { blame: (pointer: string) => (pointer === '/data/mode' ? blamed : undefined) };
  const drift = compareResource({ desired: { object: configMap({ mode: 'fast', size: '1' }), blame }, live: configMap({ mode: 'slow', size: '2' }) });
  const byPointer = new Map(drift.fields.map((field) => [field.pointer, field]));
  assert.deepEqual(byPointer.get('/data/mode')?.source, blamed);
  assert.ok(byPointer.has('/data/size') && !('source' in (byPointer.get('/data/size') ?? {})));
});

test("an Invalid object's problems point at the manifest: the whole object at its kind line, a field at its line", () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  mode: fast\n';
  const manifest = parseManifests(text, 'envs/prod/cm.yaml').manifests[0];
  const drift = compareResource({
    desired: { object: manifest.object as KubeObject, manifest },
    invalid: { by: 'schema', reason: 'refused', problems: [{ path: '', message: 'whole', pointer: '' }, { path: 'data.mode', message: 'bad', pointer: '/data/mode' }, { path: 'x', message: 'nowhere' }] },
  });
  assert.equal(drift.status, 'Invalid');
  const [whole, field, nowhere] = drift.problems ?? [];
  assert.deepEqual(whole.range, manifest.kindRange);
  assert.deepEqual(field.range, manifest.rangeOf('/data/mode'));
  assert.notDeepEqual(field.range, manifest.kindRange);
  assert.ok(!('range' in nowhere));
});

// ---- environments -------------------------------------------------------------------------------

test('a default namespace never hides a cluster-scoped object that is live, nor matches an object of another namespace', () => {
  const role: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'view' }, rules: [] };
  const env = compareEnvironment([{ object: role }], [{ ...role, metadata: { name: 'view', resourceVersion: '1' } }], { defaultNamespace: 'shop' });
  assert.equal(env.resources[0].status, 'InSync');
  assert.equal(env.resources[0].id.namespace, null);
  // Git says namespace "other": the live object in the default namespace is another object.
  const other = compareEnvironment([{ object: configMap({ mode: 'fast' }, { namespace: 'other' }) }], [configMap({ mode: 'fast' })], { defaultNamespace: 'shop' });
  assert.equal(other.resources[0].status, 'Missing');
  assert.equal(other.resources[0].id.namespace, 'other');
  // Missing everywhere and no dry-run: the namespace Git gave (none) is kept.
  const missing = compareEnvironment([{ object: configMap({ mode: 'fast' }, { namespace: undefined }) }], [], { defaultNamespace: 'shop' });
  assert.equal(missing.resources[0].status, 'Missing');
  assert.equal(missing.resources[0].id.namespace, null);
  // Found in the default namespace: matched there.
  const found = compareEnvironment([{ object: configMap({ mode: 'fast' }, { namespace: undefined }) }], [configMap({ mode: 'fast' })], { defaultNamespace: 'shop' });
  assert.equal(found.resources[0].status, 'InSync');
  assert.equal(found.resources[0].id.namespace, 'shop');
});

test('an unavailable kind makes Unknown only the objects of that group, kind and (when given) namespace', () => {
  const desired = [{ object: configMap({ mode: 'fast' }) }];
  const status = (entry: { group: string; kind: string; namespace?: string }) =>
    compareEnvironment(desired, [], { liveUnavailable: [{ ...entry, reason: 'forbidden' }] }).resources[0].status;
  assert.equal(status({ group: '', kind: 'ConfigMap' }), 'Unknown');
  assert.equal(status({ group: '', kind: 'ConfigMap', namespace: 'shop' }), 'Unknown');
  assert.equal(status({ group: '', kind: 'ConfigMap', namespace: 'other' }), 'Missing');
  assert.equal(status({ group: '', kind: 'Secret' }), 'Missing');
  assert.equal(status({ group: 'example.com', kind: 'ConfigMap' }), 'Missing');
});

test('an object with an empty ownerReferences list is not controller-owned: it can be Extra', () => {
  const stray = configMap({ a: 'b' }, { name: 'stray', labels: { app: 'shop' }, ownerReferences: [] });
  const owned = configMap({ a: 'b' }, { name: 'child', labels: { app: 'shop' }, ownerReferences: [{ kind: 'Deployment', name: 'web' }] });
  const env = compareEnvironment([], [stray, owned], { extraSelector: 'app=shop' });
  assert.deepEqual(env.resources.map((r) => [r.id.name, r.status]), [['stray', 'Extra']]);
});

test('an environment is approximate when any resource is, or when local mode has nothing to compare', () => {
  assert.equal(compareEnvironment([], [], {}).approximate, true);
  assert.equal(compareEnvironment([], [], { mode: 'server' }).approximate, false);
  const a = configMap({ mode: 'fast' }, { name: 'a' });
  const b = configMap({ mode: 'fast' }, { name: 'b' });
  const predicted = new Map([[compareResource({ desired: { object: a }, live: a }).key, a]]);
  const mixed = compareEnvironment([{ object: a }, { object: b }], [a, b], { mode: 'server', predictedLive: predicted });
  assert.deepEqual(mixed.resources.map((r) => r.approximate), [false, true]);
  assert.equal(mixed.approximate, true);
  const exact = compareEnvironment([{ object: a }], [a], { mode: 'server', predictedLive: predicted });
  assert.equal(exact.approximate, false);
});

test('an ignored field only live has counts as ignored in server mode (a real difference), not in local mode (Git never declared it)', () => {
  const rules = { ignoreRules: [{ kind: 'ConfigMap', jsonPointers: ['/data/extra'] }] };
  const live = configMap({ mode: 'fast', extra: 'x' }, { resourceVersion: '1' });
  const desired = { object: configMap({ mode: 'fast' }) };
  const server = compareResource({ desired, live, predictedLive: configMap({ mode: 'fast' }), options: { mode: 'server', ...rules } });
  assert.deepEqual([server.mode, server.status, server.ignored], ['server', 'InSync', 1]);
  const local = compareResource({ desired, live, options: rules });
  assert.deepEqual([local.mode, local.status, local.ignored], ['local', 'InSync', 0]);
});

test('the cache tells two dry-run results apart, also when the first one was the live object itself', () => {
  const cache = new DriftCache();
  const desired = { object: configMap({ mode: 'fast' }) };
  const live = configMap({ mode: 'fast' }, { resourceVersion: '4' });
  const run = (predictedLive: KubeObject) => compareResource({ desired, live, predictedLive, options: { mode: 'server', cache } }).status;
  assert.equal(run(live), 'InSync');
  assert.equal(run(configMap({ mode: 'slow' })), 'Drifted');
  assert.equal(run(configMap({ mode: 'fast' })), 'InSync');
  assert.equal(run(configMap({ mode: 'slower' })), 'Drifted');
});

test("a field a base sets in this very manifest gets the base's range; a patch's field or another file's gets none here", () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  mode: fast\n  size: "1"\n  tier: a\n';
  const manifest = parseManifests(text, 'base/cm.yaml').manifests[0];
  const range = (line: number) => ({ start: { line, column: 2 }, end: { line, column: 9 } });
  const sources: Record<string, FieldBlame> = {
    '/data/mode': { location: { file: 'base/cm.yaml', range: range(6) }, via: 'base', docIndex: manifest.docIndex, sourcePointer: '/data/mode', exact: true },
    '/data/size': { location: { file: 'base/cm.yaml', range: range(7) }, via: 'patch', docIndex: manifest.docIndex, sourcePointer: '/data/size', exact: true },
    '/data/tier': { location: { file: 'base/other.yaml', range: range(8) }, via: 'base', docIndex: manifest.docIndex, sourcePointer: '/data/tier', exact: true },
  };
  const otherDoc: FieldBlame = { ...sources['/data/mode'], docIndex: manifest.docIndex + 1 };
  const cases: [Record<string, FieldBlame>, boolean][] = [[sources, true], [{ ...sources, '/data/mode': otherDoc }, false]];
  for (const [blame, expectModeRange] of cases) {
    const drift = compareResource({
      desired: { object: manifest.object as KubeObject, manifest, blame: { blame: (pointer: string) => blame[pointer] } },
      live: configMap({ mode: 'slow', size: '2', tier: 'b' }),
    });
    const byPointer = new Map(drift.fields.map((field) => [field.pointer, field]));
    assert.deepEqual(byPointer.get('/data/mode')?.range, expectModeRange ? range(6) : undefined);
    assert.equal(byPointer.get('/data/size')?.range, undefined);
    assert.equal(byPointer.get('/data/tier')?.range, undefined);
    assert.equal(byPointer.get('/data/tier')?.source?.location.file, 'base/other.yaml');
  }
});

test("an Invalid object's problem in a rendered object carries the blame of the line that set it", () => {
  const blamed: FieldBlame = {
    location: { file: 'envs/prod/patch.yaml', range: { start: { line: 3, column: 2 }, end: { line: 3, column: 9 } } },
    via: 'patch', docIndex: 0, sourcePointer: '/data/mode', exact: true,
  };
  const drift = compareResource({
    desired: { object: configMap({ mode: 'fast' }), blame: { blame: (pointer: string) => (pointer === '/data/mode' ? blamed : undefined) } },
    invalid: { by: 'server', reason: 'refused', problems: [{ path: 'data.mode', message: 'bad', pointer: '/data/mode' }] },
  });
  assert.deepEqual(drift.problems?.[0].source, blamed);
});
